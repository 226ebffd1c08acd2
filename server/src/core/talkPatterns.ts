import { RE2JS } from 're2js';
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
  /** The heading without its time, track, room and speaker (`Druid` for `15:00, Track1, Druid`). */
  readonly title: string;
  /** The start time, `HH:MM` (24 hours). */
  readonly time?: string;
  /** The end time of a range (`10:00–10:40`), `HH:MM`. */
  readonly endTime?: string;
  /** Normalized: `Track 1` for `Track1`, `track1`, `트랙 1`. */
  readonly track?: string;
  /** Normalized: `Room B` for `(room b)`; Korean as written: `A홀`, `101호`. */
  readonly room?: string;
  /** From `Title — by Jane Doe` or `Title (by Jane Doe)`. */
  readonly speaker?: string;
}

/** A line or heading that starts a day of the conference. */
export interface DayMarker {
  /** As written, dates and times removed: `1일차` for `1일차, 18.10.11 15:00`. */
  readonly label: string;
  /** `YYYY-MM-DD`, when the line gives a full date. */
  readonly date?: string;
  /** `MM-DD`, when the line gives a month and day but no year (`Wednesday, April 2`, `10월 22일 (화)`). */
  readonly monthDay?: string;
}

export type TalkLinkKind = 'slides' | 'video' | 'page';

// Every rule runs in time linear in its text. Whitespace appears in the
// patterns only as `\s*` or `\s+`, never two of them able to share a run (no
// `\s*[-#]?\s*`, which splits a run of n spaces n² ways), and the unanchored
// patterns run on the text with each run of whitespace squeezed to one space
// (`squeezeSpaces`), which matches where the text does.

// ---- time, track and room ---------------------------------------------

/** Headings and lines longer than this are read by the original rules only: the newer ones are bounded by it. */
const MAX_RULE_TEXT = 1000;

// `10:00`, `9:30 am`, `2:30PM`.
const CLOCK_TIME = String.raw`(?<![\d:])(?:[01]?\d|2[0-3])[:：][0-5]\d(?![\d:])(?: ?[ap]\.?m\.?(?![\p{L}]))?`;
// `오전 10시`, `오후 2시 30분`, `14시`, `10시 반`; not `2시간` (two hours).
const KOREAN_TIME = String.raw`(?<!\d)(?:(?:오전|오후)\s*)?(?:[01]?\d|2[0-3])\s*시(?!간)(?:\s*(?:[0-5]?\d\s*분|반))?`;
const TIME = `(?:${CLOCK_TIME}|${KOREAN_TIME})`;
const TIME_RANGE = String.raw`${TIME}(?:\s*[~\-–—]\s*${TIME})?`;
// `Track` then a number or a single letter; `Tracking` is not a track.
const TRACK = String.raw`(?:track|트랙)\s*(?:[-#]\s*)?(?:\d{1,2}|[a-z])(?![\p{L}\p{N}])`;
// `Room B`, `Hall 2`, `Stage A`, `세미나실 1`; `A홀`, `B룸`, `101호`; `Main Hall`.
const ROOM_WORD = String.raw`(?:room|hall|stage|홀|룸|강의실|세미나실|회의실)`;
const ROOM = String.raw`(?<![\p{L}\p{N}])(?:${ROOM_WORD}\s*(?:[-#]\s*)?(?:\d{1,4}|[a-z]\d{0,3})|(?:[a-z]\d{0,2}|\d{1,4})\s*(?:홀|룸|호)|(?:main|grand|big|small)\s+(?:hall|stage|room|ballroom))(?![\p{L}\p{N}])`;
const TOKEN = `(?:${TIME_RANGE}|${TRACK}|${ROOM})`;
const SEPARATOR = String.raw`(?:\s*[,·|/\-–—:]\s*|\s+)`;
const LEADING_TOKEN = new RegExp(String.raw`^[\[(]?\s*(${TOKEN})\s*[\])]?${SEPARATOR}`, 'iu');
const TRAILING_TOKEN = new RegExp(String.raw`${SEPARATOR}[\[(]?\s*(${TOKEN})\s*[\])]?\s*$`, 'iu');
const TIME_GLOBAL = new RegExp(TIME, 'giu');
const TRACK_ONLY = new RegExp(String.raw`^(?:track|트랙)\s*(?:[-#]\s*)?(\d{1,2}|[a-z])$`, 'iu');
const ROOM_ONLY = new RegExp(String.raw`^${ROOM}$`, 'iu');
// The old rules, for headings past MAX_RULE_TEXT.
const OLD_TIME = String.raw`(?<![\d:])(?:[01]?\d|2[0-3])[:：][0-5]\d(?![\d:])`;
const OLD_TOKEN = String.raw`(?:${OLD_TIME}(?:\s*[~\-–—]\s*${OLD_TIME})?|${TRACK})`;
const OLD_LEADING_TOKEN = new RegExp(String.raw`^[\[(]?\s*(${OLD_TOKEN})\s*[\])]?${SEPARATOR}`, 'iu');
const OLD_TRAILING_TOKEN = new RegExp(String.raw`${SEPARATOR}[\[(]?\s*(${OLD_TOKEN})\s*[\])]?\s*$`, 'iu');
// `— by Jane Doe`, `(by Jane Doe)`, `, by Jane`: after a separator, so `Scaling by sharding` keeps its title.
const HEADING_BY = /(?:\s*[,·|\-–—]\s*|\s*\(\s*)by\s+([^()[\]]{1,80}?)\s*\)?\s*$/iu;

/**
 * Splits a talk heading into title, time, track and room. Times, tracks and
 * rooms are taken only at either end of the heading (`10:00, Track1, Title`,
 * `11:00 [Track A] Title`, `Title (Room B)`, `Title, 16:00`), never from inside
 * the title; `extra` are the user's own patterns, tried first anywhere.
 */
export function parseTalkHeading(text: string, extra?: CompiledTalkPatterns): TalkHeadingParts {
  let whole = plainInline(text).trim();
  const custom: { time?: string; endTime?: string; track?: string; room?: string } = {};
  if (extra && whole.length <= MAX_RULE_TEXT) {
    for (const field of ['time', 'track', 'room'] as const) {
      for (const pattern of extra[field]) {
        const found = pattern.find(whole);
        if (!found) continue;
        if (field === 'time') {
          const [start, end] = timesOf(found.value);
          if (start === undefined) continue;
          custom.time = start;
          custom.endTime = end;
        } else {
          custom[field] = field === 'track' ? normalizeTrack(found.value) : normalizeRoom(found.value);
        }
        whole = trimSeparators(whole.slice(0, found.start) + ' ' + whole.slice(found.end));
        break;
      }
    }
  }
  const bounded = whole.length <= MAX_RULE_TEXT;
  // The tokens are found in the squeezed text; the title is cut from the text as written.
  const squeezed = squeezeSpaces(whole);
  let rest = squeezed.text;
  let restStart = 0;
  let time = custom.time;
  let endTime = custom.endTime;
  let track = custom.track;
  let room = custom.room;
  // Each token is taken once: a second time, track or room is part of the title.
  const take = (token: string): boolean => {
    const trimmed = token.trim();
    if (TRACK_ONLY.test(trimmed)) {
      if (track !== undefined) return false;
      track = normalizeTrack(trimmed);
      return true;
    }
    if (bounded && ROOM_ONLY.test(trimmed)) {
      if (room !== undefined) return false;
      room = normalizeRoom(trimmed);
      return true;
    }
    if (time !== undefined) return false;
    [time, endTime] = timesOf(trimmed);
    return time !== undefined;
  };
  const leading = bounded ? LEADING_TOKEN : OLD_LEADING_TOKEN;
  const trailing = bounded ? TRAILING_TOKEN : OLD_TRAILING_TOKEN;
  for (let round = 0; round < 3; round++) {
    const match = leading.exec(rest);
    scanWork.steps += rest.length;
    if (!match || match[0].length >= rest.length || !take(match[1])) break;
    rest = rest.slice(match[0].length);
    restStart += match[0].length;
  }
  for (let round = 0; round < 3; round++) {
    const match = trailing.exec(rest);
    scanWork.steps += rest.length;
    if (!match || match.index === 0 || !take(match[1])) break;
    rest = rest.slice(0, match.index);
  }
  let title = whole.slice(squeezed.origin(restStart), squeezed.origin(restStart + rest.length)).trim();
  // The speaker last: `Title — by Jane, 10:30` has its time at the end.
  let speaker: string | undefined;
  const by = bounded ? HEADING_BY.exec(title) : null;
  if (by && by.index > 0) {
    speaker = trimName(by[1]);
    title = title.slice(0, by.index).trim();
  }
  const parts: TalkHeadingParts = { title: title || whole, time, track };
  // The newer fields only when present, so a heading read as before compares equal to before.
  return { ...parts, ...(endTime !== undefined && { endTime }), ...(room !== undefined && { room }), ...(speaker !== undefined && { speaker }) };
}

/** `track2`, `트랙 b`, `Track-3` → `Track 2`, `Track B`; anything else as written. */
function normalizeTrack(text: string): string {
  const trimmed = text.trim().replace(/\s+/g, ' ');
  const match = TRACK_ONLY.exec(trimmed) ?? /^(\d{1,2}|[a-z])$/iu.exec(trimmed);
  return match ? `Track ${match[1].toUpperCase()}` : trimmed;
}

/** `room b` → `Room B`, `hall-2` → `Hall 2`; Korean rooms (`A홀`, `세미나실 1`) and named halls as written. */
function normalizeRoom(text: string): string {
  const trimmed = text.trim().replace(/\s+/g, ' ');
  const english = /^(room|hall|stage)\s*(?:[-#]\s*)?(\d{1,4}|[a-z]\d{0,3})$/iu.exec(trimmed);
  if (english) return `${english[1][0].toUpperCase()}${english[1].slice(1).toLowerCase()} ${english[2].toUpperCase()}`;
  const korean = /^([a-z]\d{0,2}|\d{1,4})\s*(홀|룸|호)$/iu.exec(trimmed);
  if (korean) return `${korean[1].toUpperCase()}${korean[2]}`;
  return trimmed.replace(/(^|\s)([a-z])/g, (_, space: string, letter: string) => space + letter.toUpperCase());
}

/** The text without separators left at either end, or brackets left empty, once a token was cut out of it. */
function trimSeparators(text: string): string {
  return text
    .replace(/[[(]\s*[\])]/gu, ' ')
    .replace(/\s+/gu, ' ')
    .replace(/^[\s,·|/\-–—:]+|[\s,·|/\-–—:]+$/gu, '');
}

/** The start and end of a time or a range (`10:00–10:40`, `오후 2시~3시`), as `HH:MM`; an end before the start is taken as afternoon. */
export function timesOf(token: string): [start: string | undefined, end: string | undefined] {
  const found = [...token.matchAll(TIME_GLOBAL)].slice(0, 2).map((match) => clockOf(match[0]));
  const [start, end] = found;
  if (start === undefined) return [undefined, undefined];
  if (end === undefined) return [format(start), undefined];
  let endMinutes = end.minutes;
  if (endMinutes < start.minutes && !end.explicit && endMinutes + 12 * 60 > start.minutes && endMinutes + 12 * 60 < 24 * 60) endMinutes += 12 * 60;
  return [format(start), format({ minutes: endMinutes })];
}

/** One written time as minutes after midnight; `explicit` when it says am/pm (오전/오후). */
function clockOf(written: string): { minutes: number; explicit: boolean } {
  const korean = /^(?:(오전|오후)\s*)?(\d{1,2})\s*시(?:\s*(?:(\d{1,2})\s*분|(반)))?$/u.exec(written);
  if (korean) {
    let hours = Number(korean[2]);
    if (korean[1] === '오후' && hours < 12) hours += 12;
    if (korean[1] === '오전' && hours === 12) hours = 0;
    const minutes = korean[4] ? 30 : Number(korean[3] ?? 0);
    return { minutes: hours * 60 + minutes, explicit: korean[1] !== undefined };
  }
  const clock = /^(\d{1,2})[:：](\d{2})(?: ?([ap])\.?m\.?)?$/iu.exec(written);
  let hours = Number(clock?.[1] ?? 0);
  const meridiem = clock?.[3]?.toLowerCase();
  if (meridiem === 'p' && hours < 12) hours += 12;
  if (meridiem === 'a' && hours === 12) hours = 0;
  return { minutes: hours * 60 + Number(clock?.[2] ?? 0), explicit: meridiem !== undefined || hours >= 13 };
}

function format({ minutes }: { minutes: number }): string {
  return `${String(Math.floor(minutes / 60) % 24).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
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

// ---- dates and days ---------------------------------------------------

const FULL_DATE = /(?<!\d)(\d{4})\s*[.\-/년]\s*(\d{1,2})\s*[.\-/월]\s*(\d{1,2})(?!\d)\s*[.일]?/gu;
// `18.10.11`: two-digit years are written with dots in Korean notes (YY.MM.DD).
const SHORT_DATE = /(?<![\d.])(\d{2})\.(\d{1,2})\.(\d{1,2})(?![\d])\.?/gu;
// Month and day without a year: allowed on a day line, but no date is made of it.
const PARTIAL_DATE = /(?<![\d.])\d{1,2}\s*월\s*\d{1,2}\s*일|(?<![\d.:])\d{1,2}[./]\d{1,2}(?![\d:])\.?/gu;
const WEEKDAY = /(?<![\p{L}])(?:[월화수목금토일](?:요일)?|mon(?:day)?|tue(?:s|sday)?|wed(?:nesday)?|thu(?:rs|rsday)?|fri(?:day)?|sat(?:urday)?|sun(?:day)?)(?![\p{L}])/giu;
// A weekday that is surely one: an English name, `화요일`, or `(화)`; not the `월` of `10월`.
const CERTAIN_WEEKDAY = /(?<![\p{L}])(?:mon(?:day)?|tue(?:s|sday)?|wed(?:nesday)?|thu(?:rs|rsday)?|fri(?:day)?|sat(?:urday)?|sun(?:day)?)(?![\p{L}])|[월화수목금토일]요일|[(（]\s*[월화수목금토일]\s*[)）]/iu;
// A weekday heading needs the whole word: `## Monday`, `## 월요일`.
const WHOLE_WEEKDAY = /(?<![\p{L}])(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)(?![\p{L}])|[월화수목금토일]요일/iu;
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTH_NAME = String.raw`(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)`;
// `April 2`, `Apr. 2nd, 2025`; `2 April 2025`, `2nd of April`.
const MONTH_DAY = new RegExp(String.raw`(?<![\p{L}])(${MONTH_NAME})\.?\s*(\d{1,2})(?:st|nd|rd|th)?(?!\d)(?:,?\s*(\d{4})(?!\d))?`, 'giu');
const DAY_MONTH = new RegExp(String.raw`(?<![\p{L}\p{N}])(\d{1,2})(?:st|nd|rd|th)?\s*(?:of\s+)?(${MONTH_NAME})(?![\p{L}])\.?(?:,?\s*(\d{4})(?!\d))?`, 'giu');
const KOREAN_MONTH_DAY = /(?<![\d.])(\d{1,2})\s*월\s*(\d{1,2})\s*일/gu;
const NUMERIC_MONTH_DAY = /(?<![\d.:])(\d{1,2})[./](\d{1,2})(?![\d:])\.?/gu;
const PUNCTUATION_ONLY = /^[\s,.:;·~\-–—()[\]/]*$/u;
const DAY_MARKER =
  /^(?:\d{1,2}\s*일\s*차|\d{1,2}\s*일째|(?:첫|둘|셋|넷|다섯)째\s*날|day\s*(?:[-#]\s*)?\d{1,2}(?!\d)|day\s+(?:one|two|three|four|five)(?![\p{L}])|(?:first|second|third|fourth|fifth|1st|2nd|3rd|4th|5th)\s+day(?![\p{L}]))/iu;

/** The first full date in the text, as `YYYY-MM-DD`: `2024-10-22`, `18.10.11`, `2024년 10월 22일`, `April 2, 2025`. */
export function parseDate(text: string): string | undefined {
  const date = datesIn(text).find((found) => found.year !== undefined);
  return date && isoDate(date.year!, date.month, date.day);
}

interface WrittenDate {
  readonly index: number;
  readonly year?: number;
  readonly month: number;
  readonly day: number;
}

/** Every date the text writes, with or without a year, in order; numeric month/day (`10/22`) only when `numeric`. */
function datesIn(text: string, numeric = false): WrittenDate[] {
  const found: WrittenDate[] = [];
  const bounded = text.length <= MAX_RULE_TEXT;
  for (const match of text.matchAll(FULL_DATE)) found.push({ index: match.index, year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) });
  for (const match of text.matchAll(SHORT_DATE)) found.push({ index: match.index, year: 2000 + Number(match[1]), month: Number(match[2]), day: Number(match[3]) });
  if (bounded) {
    const month = (name: string) => MONTHS.indexOf(name.slice(0, 3).toLowerCase()) + 1;
    for (const match of text.matchAll(MONTH_DAY)) found.push({ index: match.index, month: month(match[1]), day: Number(match[2]), year: match[3] ? Number(match[3]) : undefined });
    for (const match of text.matchAll(DAY_MONTH)) found.push({ index: match.index, month: month(match[2]), day: Number(match[1]), year: match[3] ? Number(match[3]) : undefined });
    const covered = (index: number) => found.some((date) => date.index === index || (date.year !== undefined && Math.abs(date.index - index) < 8));
    for (const match of text.matchAll(KOREAN_MONTH_DAY)) if (!covered(match.index)) found.push({ index: match.index, month: Number(match[1]), day: Number(match[2]) });
    if (numeric) for (const match of text.matchAll(NUMERIC_MONTH_DAY)) if (!covered(match.index)) found.push({ index: match.index, month: Number(match[1]), day: Number(match[2]) });
  }
  return found.filter(({ month, day }) => month >= 1 && month <= 12 && day >= 1 && day <= 31).sort((a, b) => a.index - b.index);
}

function isoDate(year: number, month: number, day: number): string {
  return `${year}-${monthDayOf(month, day)}`;
}

function monthDayOf(month: number, day: number): string {
  return `${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The text with dates, times and weekdays removed. */
function withoutDatesAndTimes(text: string): string {
  scanWork.steps += text.length; // global patterns, linear: each starts only at a digit or a letter and reads the run after it
  let rest = text.replace(FULL_DATE, ' ').replace(SHORT_DATE, ' ');
  if (text.length <= MAX_RULE_TEXT) rest = rest.replace(MONTH_DAY, ' ').replace(DAY_MONTH, ' ');
  return rest.replace(PARTIAL_DATE, ' ').replace(TIME_GLOBAL, ' ').replace(WEEKDAY, ' ');
}

/** The day a text names: its first date, full or month and day only. */
function dayDate(text: string, numeric: boolean): { date?: string; monthDay?: string } {
  const [first] = datesIn(text, numeric);
  if (!first) return {};
  return first.year !== undefined ? { date: isoDate(first.year, first.month, first.day) } : { monthDay: monthDayOf(first.month, first.day) };
}

/**
 * A prose line that starts a day: `1일차, 18.10.11 15:00`, `2일차`, `Day 1 (Mon)`,
 * `Wednesday, April 2`, `10월 22일 (화)`, `2024-10-22`. The whole line must be
 * the marker plus dates and times (or one date, with a weekday when it has no
 * year), so a sentence that merely starts with `2일차` is not a day, nor is a
 * range of dates (`18.10.11 ~ 10.12`, the dates of the whole event).
 */
export function parseDayLine(line: string, extra?: CompiledTalkPatterns): DayMarker | undefined {
  scanWork.steps += line.length; // anchored patterns, each linear
  // A list marker is allowed only at the margin: a nested bullet is part of a talk's notes.
  const text = stripEmphasis(line.replace(/^(?:[-*+]\s+| {0,3})/, '')).trim();
  const custom = extra && customDay(text, extra);
  if (custom) return custom;
  const marker = DAY_MARKER.exec(text);
  if (!marker) {
    if (text.length > MAX_RULE_TEXT || !PUNCTUATION_ONLY.test(withoutDatesAndTimes(text))) return undefined;
    const weekday = CERTAIN_WEEKDAY.test(text);
    // Counted with `10.12` as a date, so that `18.10.11 ~ 10.12` is two.
    const dates = datesIn(text, true);
    if (dates.length !== 1 || (dates[0].year === undefined && !weekday)) return undefined;
    return withoutUndefinedFields({ label: text.replace(/\s+/g, ' '), ...dayDate(text, weekday) });
  }
  const rest = text.slice(marker[0].length);
  if (!PUNCTUATION_ONLY.test(withoutDatesAndTimes(rest))) return undefined;
  const { date, monthDay } = dayDate(rest, CERTAIN_WEEKDAY.test(rest));
  return withoutUndefinedFields({ label: marker[0].trim(), date, monthDay });
}

/**
 * A heading that names a day rather than a talk: one that starts with a day
 * marker (`## Day 1: Keynotes`), or is only a date or a weekday
 * (`## 2021.11.10 (수)`, `## Wednesday, April 2`, `## 10월 22일 (화)`, `## Monday`).
 */
export function parseDayHeading(text: string, extra?: CompiledTalkPatterns): DayMarker | undefined {
  const plain = stripEmphasis(plainInline(text)).trim();
  const custom = extra && customDay(plain, extra);
  if (custom) return custom;
  const weekday = plain.length <= MAX_RULE_TEXT && CERTAIN_WEEKDAY.test(plain);
  const { date, monthDay } = dayDate(plain, weekday);
  if (DAY_MARKER.test(plain)) {
    const label = trimEnd(withoutDatesAndTimes(plain), isDayLabelPunctuation).replace(/\s+/g, ' ').trim();
    return withoutUndefinedFields({ label: label || plain, date, monthDay });
  }
  if ((date || monthDay || (plain.length <= MAX_RULE_TEXT && WHOLE_WEEKDAY.test(plain))) && PUNCTUATION_ONLY.test(withoutDatesAndTimes(plain))) {
    return withoutUndefinedFields({ label: plain, date, monthDay });
  }
  return undefined;
}

function customDay(text: string, extra: CompiledTalkPatterns): DayMarker | undefined {
  if (text.length > MAX_RULE_TEXT) return undefined;
  for (const pattern of extra.day) {
    const found = pattern.find(text);
    if (!found) continue;
    const { date, monthDay } = dayDate(text, true);
    return withoutUndefinedFields({ label: found.value.trim() || text, date, monthDay });
  }
  return undefined;
}

/** `{ label, date: undefined }` as `{ label }`, so a day reads the same whichever rule found it. */
function withoutUndefinedFields<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
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
const LABELLED_SPEAKER = /^(?:발표자|연사|강연자|스피커|speakers?|presenters?)\s*[:：]\s*(\S.*)$|^presented by(?:\s*:\s+|\s+)(\S.*)$/iu;
const SPACED_SPEAKER = /^(?:발표자|연사|강연자|스피커)\s+(\S.*)$/u;
// `by Jane Doe` alone on a line (often in italics under the heading).
const BY_SPEAKER = /^by\s+(\S.*)$/iu;
// `발표자 소개` (about the speaker) is a heading-like phrase, not a name.
const NOT_A_NAME = /^(?:소개|정보|약력|프로필|이력|자료)(?![\p{L}])/u;
const MAX_SPEAKER_LENGTH = 80;
const MAX_SPACED_NAME_WORDS = 4;

/** A line without its heading, quote, list and task markers and its bold/italic. */
function lineContent(line: string): string {
  return stripEmphasis(line.replace(/^\s*(?:#{1,6}\s+|>\s*)*(?:(?:[-*+]|\d+[.)])\s+)?(?:\[[ xX]\]\s+)?/, '')).trim();
}

/** The speaker a line names: `발표자 이승`, `Speaker: Jane Doe`, `- **연사**: 김`, `*by Jane Doe*`. */
export function parseSpeakerLine(line: string, extra?: CompiledTalkPatterns): string | undefined {
  scanWork.steps += line.length; // anchored patterns, each linear
  const text = lineContent(line);
  if (extra && text.length <= MAX_RULE_TEXT) {
    for (const pattern of extra.speaker) {
      const found = pattern.find(text);
      const name = found && plainInline(found.value).trim();
      if (name) return name.slice(0, MAX_SPEAKER_LENGTH);
    }
  }
  const labelled = LABELLED_SPEAKER.exec(text);
  const spaced = labelled ? undefined : SPACED_SPEAKER.exec(text);
  const by = labelled || spaced || text.length > MAX_RULE_TEXT ? undefined : BY_SPEAKER.exec(text.replace(/^[*_]+|[*_]+$/g, ''));
  const written = labelled ? (labelled[1] ?? labelled[2]) : (spaced?.[1] ?? by?.[1]);
  if (written === undefined) return undefined;
  const name = trimName(plainInline(written));
  if (!name || name.length > MAX_SPEAKER_LENGTH || NOT_A_NAME.test(name)) return undefined;
  // Without a colon only a short name counts: a longer line is a sentence about the speaker.
  if ((spaced || by) && (/[:：]/.test(name) || name.split(/\s+/).length > MAX_SPACED_NAME_WORDS)) return undefined;
  return name;
}

/** A name without the `.`, `,` or `;` that ends its sentence; an initial keeps its dot (`Linus T.`). */
function trimName(written: string): string {
  const name = trimEnd(written, (c) => c === 46 || c === 44 || c === 59 /* . , ; */).trim();
  return /(?:^|\s)\p{Lu}$/u.test(name) && written.trimEnd().startsWith(name + '.') ? name + '.' : name;
}

/** What a labelled line in a talk's section says of its time, track or room. */
export interface TalkFieldLine {
  readonly time?: string;
  readonly endTime?: string;
  readonly track?: string;
  readonly room?: string;
}

const FIELD_LINE = /^(time|when|시간|일시|track|트랙|room|location|where|venue|장소|강의실)\s*[:：]\s*(\S.{0,60})$/iu;
const FIELD_OF: Record<string, keyof TalkFieldLine> = { time: 'time', when: 'time', 시간: 'time', 일시: 'time', track: 'track', 트랙: 'track' };

/** `Time: 10:00–10:40`, `Track: A`, `Room: B`, `장소: A홀`: a talk's facts written as labelled lines. */
export function parseFieldLine(line: string): TalkFieldLine | undefined {
  if (line.length > MAX_RULE_TEXT) return undefined;
  const match = FIELD_LINE.exec(lineContent(line));
  if (!match) return undefined;
  const value = plainInline(match[2]).trim();
  const field = FIELD_OF[match[1].toLowerCase()] ?? 'room';
  if (field === 'time') {
    const [time, endTime] = timesOf(value);
    return time === undefined ? undefined : withoutUndefinedFields({ time, endTime });
  }
  if (!value) return undefined;
  if (field === 'track') return { track: normalizeTrack(value) };
  // `Room: B` names room B.
  return { room: normalizeRoom(/^(?:[a-z]\d{0,3}|\d{1,4})$/iu.test(value) ? `Room ${value}` : value) };
}

/** A heading that only names a track or a room (`## Track A`, `## Room 2`, `## A홀`): the talks below it are there. */
export function parseTrackHeading(text: string): { readonly track?: string; readonly room?: string } | undefined {
  const plain = stripEmphasis(plainInline(text)).trim().replace(/^[[(]\s*|\s*[\])]$/g, '');
  if (plain.length > 40) return undefined;
  if (TRACK_ONLY.test(plain)) return { track: normalizeTrack(plain) };
  if (ROOM_ONLY.test(plain)) return { room: normalizeRoom(plain) };
  return undefined;
}

// ---- the user's own patterns ----------------------------------------------

/** `vaultlink.talks.patterns`: regular expressions for what an event writes its own way. */
export interface TalkPatternSettings {
  readonly day?: readonly string[];
  readonly time?: readonly string[];
  readonly track?: readonly string[];
  readonly room?: readonly string[];
  readonly speaker?: readonly string[];
}

/** One user pattern, compiled for a linear-time engine: the first match, its group 1 (or all of it) as the value. */
export interface TalkPatternMatcher {
  readonly source: string;
  find(text: string): { readonly start: number; readonly end: number; readonly value: string } | undefined;
}

export interface CompiledTalkPatterns {
  readonly day: readonly TalkPatternMatcher[];
  readonly time: readonly TalkPatternMatcher[];
  readonly track: readonly TalkPatternMatcher[];
  readonly room: readonly TalkPatternMatcher[];
  readonly speaker: readonly TalkPatternMatcher[];
  /** The patterns that were refused, with why. */
  readonly refused: readonly string[];
}

const MAX_USER_PATTERN_LENGTH = 500;
const MAX_USER_PATTERNS = 20;
const compiledPatterns = new WeakMap<TalkPatternSettings, CompiledTalkPatterns>();

/**
 * The user's patterns compiled once per settings object. They come from
 * settings anyone may share (a workspace's `.vscode/settings.json`), so they
 * never run on JavaScript's backtracking engine: RE2JS, linear in the text, as
 * `.obsidian/app.json`'s filters (`vaultConfig.ts`); case-insensitive; a
 * pattern it cannot run, or longer than 500 characters, is refused and said so.
 */
export function compileTalkPatterns(settings: TalkPatternSettings | undefined): CompiledTalkPatterns | undefined {
  if (!settings) return undefined;
  let compiled = compiledPatterns.get(settings);
  if (compiled) return compiled;
  const refused: string[] = [];
  const compileAll = (field: keyof TalkPatternSettings): TalkPatternMatcher[] => {
    const sources = Array.isArray(settings[field]) ? settings[field]!.filter((source): source is string => typeof source === 'string' && source !== '') : [];
    const matchers: TalkPatternMatcher[] = [];
    for (const source of sources.slice(0, MAX_USER_PATTERNS)) {
      if (source.length > MAX_USER_PATTERN_LENGTH) {
        refused.push(`${field}: ${source.slice(0, 40)}… is longer than ${MAX_USER_PATTERN_LENGTH} characters`);
        continue;
      }
      try {
        const engine = RE2JS.compile(source, RE2JS.CASE_INSENSITIVE);
        matchers.push({
          source,
          find: (text) => {
            const matcher = engine.matcher(text);
            if (!matcher.find()) return undefined;
            const group = matcher.groupCount() >= 1 ? matcher.group(1) : null;
            return { start: matcher.start(), end: matcher.end(), value: group ?? matcher.group() ?? '' };
          },
        });
      } catch (error) {
        refused.push(`${field}: ${source}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    if (sources.length > MAX_USER_PATTERNS) refused.push(`${field}: only the first ${MAX_USER_PATTERNS} patterns are used`);
    return matchers;
  };
  compiled = { day: compileAll('day'), time: compileAll('time'), track: compileAll('track'), room: compileAll('room'), speaker: compileAll('speaker'), refused };
  compiledPatterns.set(settings, compiled);
  return compiled;
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
