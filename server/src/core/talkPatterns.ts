import { scanWork } from './scanWork';

/**
 * The textual conventions of conference notes, one recognizer each: a talk
 * heading's time and track, day lines, dates, speaker lines, what a link is, and
 * whether a heading names an event. Pure string functions, so the rules can be
 * read and tested one at a time; `talks.ts` applies them to a parsed note.
 *
 * Every recognizer answers `undefined` when it is not sure: a value is reported
 * only when the note states it.
 */

/** What a talk heading says besides its title. */
export interface TalkHeadingParts {
  /** The heading without its time and track (`Druid` for `15:00, Track1, Druid`). */
  readonly title: string;
  /** The start time, `HH:MM`. */
  readonly time?: string;
  /** Normalized: `Track 1` for `Track1`, `track1`, `트랙 1`. */
  readonly track?: string;
}

/** A line or heading that starts a day of the conference. */
export interface DayMarker {
  /** As written, dates and times removed: `1일차` for `1일차, 18.10.11 15:00`. */
  readonly label: string;
  /** `YYYY-MM-DD`, when the line gives a full date. */
  readonly date?: string;
}

export type TalkLinkKind = 'slides' | 'video' | 'page';

// Every rule runs in time linear in its text. Whitespace appears in the
// patterns only as `\s*` or `\s+`, never two of them able to share a run (no
// `\s*[-#]?\s*`, which splits a run of n spaces n² ways), and the unanchored
// patterns run on the text with each run of whitespace squeezed to one space
// (`squeezeSpaces`), which matches where the text does.

// ---- time and track ---------------------------------------------------

const TIME = String.raw`(?<![\d:])(?:[01]?\d|2[0-3])[:：][0-5]\d(?![\d:])`;
const TIME_RANGE = String.raw`${TIME}(?:\s*[~\-–—]\s*${TIME})?`;
// `Track` then a number or a single letter; `Tracking` is not a track.
const TRACK = String.raw`(?:track|트랙)\s*(?:[-#]\s*)?(?:\d{1,2}|[a-z])(?![\p{L}\p{N}])`;
const TOKEN = `(?:${TIME_RANGE}|${TRACK})`;
const SEPARATOR = String.raw`(?:\s*[,·|/\-–—:]\s*|\s+)`;
const LEADING_TOKEN = new RegExp(String.raw`^[\[(]?\s*(${TOKEN})\s*[\])]?${SEPARATOR}`, 'iu');
const TRAILING_TOKEN = new RegExp(String.raw`${SEPARATOR}[\[(]?\s*(${TOKEN})\s*[\])]?\s*$`, 'iu');
const TIME_ONLY = new RegExp(TIME, 'u');
const TIME_GLOBAL = new RegExp(TIME, 'gu');
const TRACK_ONLY = new RegExp(String.raw`^(?:track|트랙)\s*(?:[-#]\s*)?(\d{1,2}|[a-z])$`, 'iu');

/**
 * Splits a talk heading into title, time and track. Times and tracks are taken
 * only at either end of the heading (`10:00, Track1, Title`, `11:00 track1, Title`,
 * `Title, 16:00`), never from inside the title.
 */
export function parseTalkHeading(text: string): TalkHeadingParts {
  const whole = plainInline(text).trim();
  // The tokens are found in the squeezed text; the title is cut from the text as written.
  const squeezed = squeezeSpaces(whole);
  let rest = squeezed.text;
  let restStart = 0;
  let time: string | undefined;
  let track: string | undefined;
  // Each token is taken once: a second time or track is part of the title.
  const take = (token: string): boolean => {
    if (TIME_ONLY.test(token) && !TRACK_ONLY.test(token.trim())) {
      if (time !== undefined) return false;
      time = normalizeTime(token);
      return true;
    }
    const trackMatch = TRACK_ONLY.exec(token.trim());
    if (!trackMatch || track !== undefined) return false;
    track = `Track ${trackMatch[1].toUpperCase()}`;
    return true;
  };
  for (let round = 0; round < 2; round++) {
    const match = LEADING_TOKEN.exec(rest);
    scanWork.steps += rest.length;
    if (!match || match[0].length >= rest.length || !take(match[1])) break;
    rest = rest.slice(match[0].length);
    restStart += match[0].length;
  }
  for (let round = 0; round < 2; round++) {
    const match = TRAILING_TOKEN.exec(rest);
    scanWork.steps += rest.length;
    if (!match || match.index === 0 || !take(match[1])) break;
    rest = rest.slice(0, match.index);
  }
  const title = whole.slice(squeezed.origin(restStart), squeezed.origin(restStart + rest.length)).trim();
  return { title: title || whole, time, track };
}

/**
 * The text with each run of whitespace as one space, and the offset in the
 * text of each offset in it. Patterns that take whitespace only as `\s*` or
 * `\s+` match the squeezed text where they match the text, the match then
 * covering whole runs; but a run of n spaces no longer costs an unanchored
 * pattern n attempts of n steps each.
 */
function squeezeSpaces(text: string): { readonly text: string; origin(offset: number): number } {
  scanWork.steps += text.length;
  if (!/\s\s/u.test(text)) return { text, origin: (offset) => offset };
  const origins: number[] = [];
  let squeezed = '';
  const runs = /\s+/gu;
  let from = 0;
  let match: RegExpExecArray | null;
  while ((match = runs.exec(text))) {
    for (let i = from; i < match.index; i++) origins.push(i);
    origins.push(match.index);
    squeezed += text.slice(from, match.index) + ' ';
    from = match.index + match[0].length;
  }
  for (let i = from; i < text.length; i++) origins.push(i);
  origins.push(text.length);
  squeezed += text.slice(from);
  return { text: squeezed, origin: (offset) => origins[offset] };
}

/** `9:30` → `09:30`; of a range, the start. */
function normalizeTime(token: string): string {
  const [start] = token.match(TIME_GLOBAL) ?? [token];
  const [hours, minutes] = start.split(/[:：]/);
  return `${hours.padStart(2, '0')}:${minutes}`;
}

// ---- dates and days ---------------------------------------------------

const FULL_DATE = /(?<!\d)(\d{4})\s*[.\-/년]\s*(\d{1,2})\s*[.\-/월]\s*(\d{1,2})(?!\d)\s*[.일]?/gu;
// `18.10.11`: two-digit years are written with dots in Korean notes (YY.MM.DD).
const SHORT_DATE = /(?<![\d.])(\d{2})\.(\d{1,2})\.(\d{1,2})(?![\d])\.?/gu;
// Month and day without a year: allowed on a day line, but no date is made of it.
const PARTIAL_DATE = /(?<![\d.])\d{1,2}\s*월\s*\d{1,2}\s*일|(?<![\d.:])\d{1,2}[./]\d{1,2}(?![\d:])\.?/gu;
const WEEKDAY = /(?<![\p{L}])(?:[월화수목금토일](?:요일)?|mon(?:day)?|tue(?:s|sday)?|wed(?:nesday)?|thu(?:rs|rsday)?|fri(?:day)?|sat(?:urday)?|sun(?:day)?)(?![\p{L}])/giu;
const PUNCTUATION_ONLY = /^[\s,.:;·~\-–—()[\]/]*$/u;
const DAY_MARKER = /^(?:\d{1,2}\s*일\s*차|\d{1,2}\s*일째|(?:첫|둘|셋|넷|다섯)째\s*날|day\s*(?:[-#]\s*)?\d{1,2}(?!\d))/iu;

/** The first full date in the text, as `YYYY-MM-DD`. */
export function parseDate(text: string): string | undefined {
  const found: Array<{ index: number; year: number; month: number; day: number }> = [];
  for (const match of text.matchAll(FULL_DATE)) found.push({ index: match.index, year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) });
  for (const match of text.matchAll(SHORT_DATE)) found.push({ index: match.index, year: 2000 + Number(match[1]), month: Number(match[2]), day: Number(match[3]) });
  found.sort((a, b) => a.index - b.index);
  const date = found.find(({ month, day }) => month >= 1 && month <= 12 && day >= 1 && day <= 31);
  if (!date) return undefined;
  return `${date.year}-${String(date.month).padStart(2, '0')}-${String(date.day).padStart(2, '0')}`;
}

/** The text with dates, times and weekdays removed. */
function withoutDatesAndTimes(text: string): string {
  scanWork.steps += text.length; // global patterns, linear: each starts only at a digit or a letter and reads the run after it
  return text.replace(FULL_DATE, ' ').replace(SHORT_DATE, ' ').replace(PARTIAL_DATE, ' ').replace(TIME_GLOBAL, ' ').replace(WEEKDAY, ' ');
}

/**
 * A prose line that starts a day: `1일차, 18.10.11 15:00`, `2일차`, `Day 1 (Mon)`.
 * The whole line must be the marker plus dates and times, so a sentence that
 * merely starts with `2일차` is not a day.
 */
export function parseDayLine(line: string): DayMarker | undefined {
  scanWork.steps += line.length; // anchored patterns, each linear
  // A list marker is allowed only at the margin: a nested bullet is part of a talk's notes.
  const text = stripEmphasis(line.replace(/^(?:[-*+]\s+| {0,3})/, '')).trim();
  const marker = DAY_MARKER.exec(text);
  if (!marker) return undefined;
  const rest = text.slice(marker[0].length);
  if (!PUNCTUATION_ONLY.test(withoutDatesAndTimes(rest))) return undefined;
  return { label: marker[0].trim(), date: parseDate(rest) };
}

/**
 * A heading that names a day rather than a talk: one that starts with a day
 * marker (`## Day 1: Keynotes`) or is only a date (`## 2021.11.10 (수)`).
 */
export function parseDayHeading(text: string): DayMarker | undefined {
  const plain = stripEmphasis(plainInline(text)).trim();
  const date = parseDate(plain);
  if (DAY_MARKER.test(plain)) {
    const label = trimEnd(withoutDatesAndTimes(plain), isDayLabelPunctuation).replace(/\s+/g, ' ').trim();
    return { label: label || plain, date };
  }
  if (date && PUNCTUATION_ONLY.test(withoutDatesAndTimes(plain))) return { label: plain, date };
  return undefined;
}

/** What `[\s,.:;·~\-–—()[\]/]` takes: the punctuation a day label does not end with. */
function isDayLabelPunctuation(c: number): boolean {
  return isWhitespace(c) || ',.:;·~-–—()[]/'.includes(String.fromCharCode(c));
}

/** What `\s` takes. */
function isWhitespace(c: number): boolean {
  if (c <= 32) return c === 32 || (c >= 9 && c <= 13);
  if (c < 0xa0) return false;
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/**
 * The text without the characters `drop` takes at its end: `replace(/[…]+$/, '')`
 * without the regular expression, which retries at every character of a run
 * that does not reach the end.
 */
function trimEnd(text: string, drop: (c: number) => boolean): string {
  let end = text.length;
  while (end > 0 && drop(text.charCodeAt(end - 1))) end--;
  scanWork.steps += text.length - end + 1;
  return text.slice(0, end);
}

// ---- speakers -----------------------------------------------------------

// Labels with a colon (`Speaker: Jane`, `연사: 김`), and Korean labels followed by
// just a space (`발표자 이승`). English needs the colon: `Speaker notes are…` is prose.
const LABELLED_SPEAKER = /^(?:발표자|연사|스피커|speakers?|presenters?)\s*[:：]\s*(\S.*)$|^presented by(?:\s*:\s+|\s+)(\S.*)$/iu;
const SPACED_SPEAKER = /^(?:발표자|연사|스피커)\s+(\S.*)$/u;
// `발표자 소개` (about the speaker) is a heading-like phrase, not a name.
const NOT_A_NAME = /^(?:소개|정보|약력|프로필|이력|자료)(?![\p{L}])/u;
const MAX_SPEAKER_LENGTH = 80;
const MAX_SPACED_NAME_WORDS = 4;

/** The speaker a line names: `발표자 이승`, `Speaker: Jane Doe`, `- **연사**: 김`. */
export function parseSpeakerLine(line: string): string | undefined {
  scanWork.steps += line.length; // anchored patterns, each linear
  const text = stripEmphasis(line.replace(/^\s*(?:#{1,6}\s+|>\s*)*(?:(?:[-*+]|\d+[.)])\s+)?(?:\[[ xX]\]\s+)?/, '')).trim();
  const labelled = LABELLED_SPEAKER.exec(text);
  const spaced = labelled ? undefined : SPACED_SPEAKER.exec(text);
  const written = labelled ? (labelled[1] ?? labelled[2]) : spaced?.[1];
  if (written === undefined) return undefined;
  const name = trimEnd(plainInline(written), (c) => c === 46 || c === 44 || c === 59 /* . , ; */).trim();
  if (!name || name.length > MAX_SPEAKER_LENGTH || NOT_A_NAME.test(name)) return undefined;
  // Without a colon only a short name counts: a longer line is a sentence about the speaker.
  if (spaced && (/[:：]/.test(name) || name.split(/\s+/).length > MAX_SPACED_NAME_WORDS)) return undefined;
  return name;
}

// ---- links ----------------------------------------------------------------

const SLIDE_HOSTS = ['speakerdeck.com', 'slideshare.net', 'slides.com'];
const VIDEO_HOSTS = ['youtube.com', 'youtu.be', 'vimeo.com', 'tv.naver.com', 'tv.kakao.com'];
const SLIDE_FILE = /\.(?:pdf|pptx?|key)$/i;
const SLIDES_LABEL = /발표\s*자료|슬라이드|(?<![a-z])(?:slides?|slide deck|deck|ppt)(?![a-z])/iu;
const VIDEO_LABEL = /영상|녹화|(?<![a-z])(?:video|recording)(?![a-z])/iu;
const SESSION_LABEL = /세션|발표\s*소개|프로그램|(?<![a-z])(?:session|program|agenda|schedule)(?![a-z])/iu;
const SESSION_PATH = /\/(?:sessions?|schedule|program|agenda|talks?)(?:[/?#._-]|$)/i;

/** The host name of a URL, lowercased and without `www.`; undefined when it is not a web URL. */
export function webHost(url: string): string | undefined {
  if (!/^https?:\/\//i.test(url)) return undefined;
  try {
    return new URL(url).hostname.toLowerCase().replace(/^www\./, '');
  } catch {
    return undefined;
  }
}

function onHost(host: string, domains: readonly string[]): boolean {
  return domains.some((domain) => host === domain || host.endsWith('.' + domain));
}

/** Slides or video by where the link points, or by what its text says. */
export function mediaKind(url: string, label: string | undefined): 'slides' | 'video' | undefined {
  const host = webHost(url);
  if (!host) return undefined;
  if (onHost(host, SLIDE_HOSTS) || (host === 'docs.google.com' && /\/presentation\//.test(url))) return 'slides';
  if (onHost(host, VIDEO_HOSTS)) return 'video';
  let path = '';
  try {
    path = new URL(url).pathname;
  } catch {
    path = '';
  }
  if (SLIDE_FILE.test(path)) return 'slides';
  if (label && SLIDES_LABEL.test(label)) return 'slides';
  if (label && VIDEO_LABEL.test(label)) return 'video';
  return undefined;
}

/**
 * What a talk's link is: slides, video, or the talk's session page. A session
 * page is on the event's own site (a host the note links to outside any talk),
 * is labelled as one, has a session or schedule path, or is linked from the talk
 * heading itself. Anything else (an article, a project page) is a reference the
 * author added, not one of the talk's links: undefined.
 */
export function classifyTalkLink(url: string, label: string | undefined, context: { readonly eventHosts: ReadonlySet<string>; readonly inHeading: boolean }): TalkLinkKind | undefined {
  const media = mediaKind(url, label);
  if (media) return media;
  const host = webHost(url);
  if (!host) return undefined;
  if (context.inHeading || context.eventHosts.has(host)) return 'page';
  if ((label && SESSION_LABEL.test(label)) || SESSION_PATH.test(url.replace(/^https?:\/\/[^/]+/i, ''))) return 'page';
  return undefined;
}

// ---- events and the author's own sections ------------------------------------

const YEAR = /(?<!\d)(?:19|20)\d{2}(?!\d)/;
const EVENT_WORD =
  /(?<![a-z])(?:conference|conf|summit|dev\s?day|developers?\s+day|meetup|meet-up|forum|festival|fest|expo|symposium|workshop|seminar|webinar|hackathon)(?![a-z])|컨퍼런스|콘퍼런스|세미나|밋업|포럼|행사|데브데이|개발자\s*대회|학회|페스티벌|심포지엄|워크숍|워크샵|해커톤|웨비나/iu;
// `PyCon`, `JSConf`: case matters here, or `Icon` and `Falcon` would be events.
const CAMEL_CASE_CON = /[A-Za-z]Con(?:f)?(?![a-z])/u;

/** Whether a title names an event: a year (`DEVIEW 2018`) or an event word (`PyCon`, `세미나`). */
export function namesAnEvent(text: string): boolean {
  return YEAR.test(text) || EVENT_WORD.test(text) || CAMEL_CASE_CON.test(text);
}

// Compared after Obsidian's heading reduction (lowercase, punctuation to spaces).
const AUTHOR_SECTION_TITLES = new Set([
  'idea', 'ideas', 'note', 'notes', 'my notes', 'memo', 'memos', 'todo', 'to do', 'summary', 'review', 'retrospective',
  'takeaway', 'takeaways', 'thoughts', 'reference', 'references', 'links', 'table of contents', 'contents', 'toc',
  '아이디어', '생각', '메모', '정리', '요약', '후기', '소감', '느낀점', '느낀 점', '회고', '참고', '참고자료', '참고 자료', '목차',
]);

/** Whether a section title is the author's own (`Idea`, `메모`, `후기`), not a talk. */
export function isAuthorSectionTitle(matchKey: string): boolean {
  return AUTHOR_SECTION_TITLES.has(matchKey);
}

// ---- inline markup ---------------------------------------------------------

/**
 * Links reduced to their text: `[Kim](url)` → `Kim`, `[[Kim|김]]` → `김`.
 * As `replace(/!?\[\[([^\]|]*)(?:\|([^\]]*))?\]\]/g, display ?? target)` then
 * `replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')`, by hand: those retry from every
 * `[` to the next `]`, which a line of `[` makes quadratic. Each search here
 * starts where the last one did or later, so each reads the text once.
 */
export function plainInline(text: string): string {
  return withoutMarkdownLinks(withoutWikiLinks(text));
}

function withoutWikiLinks(text: string): string {
  if (!text.includes('[[')) return text;
  const targetEnd = new Searches(text, [']', '|']);
  const displayEnd = new Searches(text, [']']);
  let result = '';
  let copied = 0;
  for (let i = nextOpening(text, 0); i >= 0 && i < text.length; ) {
    const open = text.charCodeAt(i) === 33 /* ! */ ? i + 1 : i;
    if (text.charCodeAt(open) === 91 && text.charCodeAt(open + 1) === 91) {
      const contentStart = open + 2;
      const stop = targetEnd.from(contentStart);
      let end = -1;
      let shown = '';
      if (stop >= 0 && text.charCodeAt(stop) === 93 /* ] */) {
        if (text.charCodeAt(stop + 1) === 93) {
          end = stop + 2;
          shown = text.slice(contentStart, stop);
        }
      } else if (stop >= 0) {
        const close = displayEnd.from(stop + 1);
        if (close >= 0 && text.charCodeAt(close + 1) === 93) {
          end = close + 2;
          shown = text.slice(stop + 1, close);
        }
      }
      if (end >= 0) {
        result += text.slice(copied, i) + shown;
        copied = end;
        i = end;
        continue;
      }
    }
    i = nextOpening(text, i + 1);
  }
  return copied === 0 ? text : result + text.slice(copied);
}

function withoutMarkdownLinks(text: string): string {
  if (!text.includes('](')) return text;
  const textEnd = new Searches(text, [']']);
  const destinationEnd = new Searches(text, [')']);
  let result = '';
  let copied = 0;
  for (let i = nextOpening(text, 0); i >= 0 && i < text.length; ) {
    const open = text.charCodeAt(i) === 33 /* ! */ ? i + 1 : i;
    if (text.charCodeAt(open) === 91) {
      const close = textEnd.from(open + 1);
      if (close >= 0 && text.charCodeAt(close + 1) === 40 /* ( */) {
        const end = destinationEnd.from(close + 2);
        if (end >= 0) {
          result += text.slice(copied, i) + text.slice(open + 1, close);
          copied = end + 1;
          i = end + 1;
          continue;
        }
      }
    }
    i = nextOpening(text, i + 1);
  }
  return copied === 0 ? text : result + text.slice(copied);
}

/** The next place a link may start, `!` or `[`, at or after `from`; -1 when none. */
function nextOpening(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    scanWork.steps++;
    const c = text.charCodeAt(i);
    if (c === 91 || (c === 33 && text.charCodeAt(i + 1) === 91)) return i;
  }
  return -1;
}

/**
 * The first of some characters at or after an offset that only grows: each
 * character's last answer stands until the offset passes it, so the searches
 * together read the text once per character.
 */
class Searches {
  readonly #from: number[];
  readonly #found: number[];

  constructor(
    readonly text: string,
    readonly characters: readonly string[],
  ) {
    this.#from = characters.map(() => -1);
    this.#found = characters.map(() => -1);
  }

  from(from: number): number {
    let first = -1;
    for (let c = 0; c < this.characters.length; c++) {
      if (!(this.#from[c] >= 0 && from >= this.#from[c] && (this.#found[c] < 0 || from <= this.#found[c]))) {
        const found = this.text.indexOf(this.characters[c], from);
        scanWork.steps += (found < 0 ? this.text.length : found) - from + 1;
        this.#from[c] = from;
        this.#found[c] = found;
      }
      const found = this.#found[c];
      if (found >= 0 && (first < 0 || found < first)) first = found;
    }
    return first;
  }
}

function stripEmphasis(text: string): string {
  return text.replace(/\*\*|__/g, '');
}
