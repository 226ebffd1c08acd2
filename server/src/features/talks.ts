import { resolveLink } from '../core/linkResolver';
import { isImagePath } from '../core/names';
import { conferenceTitleHeading, hasConferenceTag, isConferenceCandidate } from '../core/conferenceCandidate';
import { LineIndex } from '../core/text';
import type { Heading, NoteLink, ParsedNote } from '../core/types';
import type { IndexedNote, VaultIndex } from '../core/vaultIndex';
import type { Conference, Talk, TalkDay, TalkLink } from '../protocol/vaultlinkProtocol';
import { findTableOfContents } from './tableOfContents';
import {
  classifyTalkLink,
  isAuthorSectionTitle,
  mediaKind,
  parseDayHeading,
  parseDayLine,
  parseFieldLine,
  parseSpeakerLine,
  parseTalkHeading,
  parseTrackHeading,
  webHost,
  type CompiledTalkPatterns,
  type DayMarker,
  type TalkPatternSettings,
} from '../core/talkPatterns';

// ---- the wire shape of `vaultlink/talks`: declared once, in the shared protocol

export type { Conference, Talk, TalkDay, TalkLink };

// ---- a conference note's structure, from its parse alone -------------------

/** A talk as the note's structure shows it, before its links and images are looked at. */
export interface TalkSection {
  readonly heading: Heading;
  readonly title: string;
  readonly time?: string;
  readonly endTime?: string;
  readonly track?: string;
  readonly room?: string;
  readonly speaker?: string;
  /** The lines after the heading that belong to the talk: [start, end). */
  readonly bodyStart: number;
  readonly bodyEnd: number;
  /** Index into `ConferenceStructure.days`. */
  readonly day: number;
  /** Whether the section has no text of its own yet. */
  readonly needsNotes?: boolean;
}

export interface ConferenceDay extends DayMarker {
  /** The line of the day marker; -1 for the implicit day of talks before any marker. */
  readonly line: number;
}

export interface ConferenceStructure {
  readonly titleHeading: Heading | undefined;
  readonly days: readonly ConferenceDay[];
  readonly talks: readonly TalkSection[];
  /** Web hosts the note links to outside any talk: the event's own site. */
  readonly eventHosts: ReadonlySet<string>;
}

/**
 * Reads a note as a conference: undefined when it is not one. A note is a
 * conference when its front matter `tags` or `categories` say `conference`
 * (any case), or when its title heading names an event (`DEVIEW 2018`) and its
 * sections are talks (most carry a time, a track, a speaker, slides or a video,
 * or the note has day lines).
 */
export function readConferenceStructure(note: ParsedNote, proseLines?: LineIndex, patterns?: CompiledTalkPatterns): ConferenceStructure | undefined {
  // Cheap rejection first: most notes of a vault end here, having read only headings.
  if (!isConferenceCandidate(note)) return undefined;
  const tagged = hasConferenceTag(note);
  const title = conferenceTitleHeading(note);

  const lines = proseLines ?? new LineIndex(note.proseText);
  const headingLines = new Set(note.headings.map((heading) => heading.range.start.line));
  const days = findDays(note, lines, headingLines, patterns);
  const dayLines = new Set(days.map((day) => day.line));
  const places = trackHeadings(note, title);
  const candidates = note.headings.filter((heading) => heading !== title && !dayLines.has(heading.range.start.line) && !places.has(heading));
  const sections = candidates.map((heading) => readSection(note, lines, heading, days, places, patterns));
  const level = talkLevel(sections);
  const tableOfContents = findTableOfContents(note, lines);
  const talks = sections.filter(
    (section) => section.heading.level === level && !isAuthorSectionTitle(section.heading.matchKey) && !isTableOfContentsSection(section, lines, tableOfContents),
  );

  if (!tagged) {
    const signalled = talks.filter((talk) => talk.signalled).length;
    const byDays = days.length > 0 && talks.length >= 2;
    if (!byDays && !(signalled >= 2 && signalled * 2 >= talks.length)) return undefined;
  }

  const firstTalkLine = talks.length ? talks[0].heading.range.start.line : note.lineCount;
  // Talks before the first day line, or in a note with none, sit on a day without a label.
  const unlabelled = days.length === 0 || talks.some((talk) => talk.day < 0);
  const shift = unlabelled ? 1 : 0;
  return {
    titleHeading: title,
    days: unlabelled ? [{ label: '', line: -1 }, ...days] : days,
    talks: talks.map(({ signalled: _signalled, ...talk }) => ({ ...talk, day: talk.day + shift })),
    eventHosts: eventHosts(note, firstTalkLine),
  };
}

/** Whether the note is a conference note (see `readConferenceStructure`). */
export function isConferenceNote(note: ParsedNote): boolean {
  return readConferenceStructure(note) !== undefined;
}

/** Day lines and day headings, in note order. */
function findDays(note: ParsedNote, lines: LineIndex, headingLines: ReadonlySet<number>, patterns: CompiledTalkPatterns | undefined): ConferenceDay[] {
  const days: ConferenceDay[] = [];
  for (const heading of note.headings) {
    const day = parseDayHeading(heading.text, patterns);
    if (day) days.push({ ...day, line: heading.range.start.line });
  }
  for (let line = 0; line < lines.lineCount; line++) {
    if (headingLines.has(line)) continue;
    const text = lines.lineText(line);
    if (text.trim() === '') continue;
    const day = parseDayLine(text, patterns);
    if (day) days.push({ ...day, line });
  }
  return days.sort((a, b) => a.line - b.line);
}

interface CandidateSection extends TalkSection {
  readonly needsNotes: boolean;
  /** Whether anything marks it as a talk: time, track, speaker, slides or video. */
  readonly signalled: boolean;
}

/**
 * Headings that only name a track or a room (`## Track A`, `## A홀`), each with
 * what it names: the talks under them are there. Not talks themselves.
 */
function trackHeadings(note: ParsedNote, title: Heading | undefined): Map<Heading, { readonly track?: string; readonly room?: string }> {
  const places = new Map<Heading, { readonly track?: string; readonly room?: string }>();
  for (const heading of note.headings) {
    if (heading === title) continue;
    const place = parseTrackHeading(heading.text);
    if (place) places.set(heading, place);
  }
  return places;
}

function readSection(
  note: ParsedNote,
  lines: LineIndex,
  heading: Heading,
  days: readonly ConferenceDay[],
  places: ReadonlyMap<Heading, { readonly track?: string; readonly room?: string }>,
  patterns: CompiledTalkPatterns | undefined,
): CandidateSection {
  const line = heading.range.start.line;
  const nextHeading = note.headings.find((other) => other.range.start.line > line && other.level <= heading.level);
  const nextDay = days.find((day) => day.line > line);
  // A day line closes the talk before it: what follows belongs to the next day.
  const bodyEnd = Math.min(nextHeading?.range.start.line ?? note.lineCount, nextDay?.line ?? note.lineCount);
  const parts = parseTalkHeading(heading.text, patterns);
  let { time, endTime, track, room, speaker } = parts;
  const metadataLines = new Set<number>();
  for (let body = line + 1; body < bodyEnd; body++) {
    const text = lines.lineText(body);
    if (text.trim() === '') continue;
    const named = speaker === undefined ? parseSpeakerLine(text, patterns) : undefined;
    if (named !== undefined) {
      speaker = named;
      metadataLines.add(body);
      continue;
    }
    const field = parseFieldLine(text);
    if (!field) continue;
    metadataLines.add(body);
    if (time === undefined && field.time !== undefined) [time, endTime] = [field.time, field.endTime];
    track ??= field.track;
    room ??= field.room;
  }
  // A track or room heading above the talk, within whose section it is.
  for (const [place, names] of places) {
    if (place.level >= heading.level || place.range.start.line > line) continue;
    const end = note.headings.find((other) => other.range.start.line > place.range.start.line && other.level <= place.level)?.range.start.line ?? note.lineCount;
    if (line < end) {
      track ??= names.track;
      room ??= names.room;
    }
  }
  let day = -1;
  for (let i = 0; i < days.length && days[i].line < line; i++) day = i;
  const hasMedia = note.links.some((link) => isShown(link) && inLines(link, line, bodyEnd) && !link.embed && mediaKind(link.path, link.display) !== undefined);
  return {
    heading,
    title: parts.title,
    time,
    endTime,
    track,
    room,
    speaker,
    bodyStart: line + 1,
    bodyEnd,
    day,
    needsNotes: !hasOwnText(note, lines, line + 1, bodyEnd, metadataLines),
    signalled: time !== undefined || track !== undefined || room !== undefined || speaker !== undefined || hasMedia,
  };
}

/**
 * Whether the lines hold text the author wrote: anything but blank lines,
 * rules, sub-headings, the speaker and `Room:`-like lines, links (their labels
 * are the event's words, `발표자료`) and embedded images.
 */
function hasOwnText(note: ParsedNote, lines: LineIndex, start: number, end: number, metadataLines: ReadonlySet<number>): boolean {
  for (let line = start; line < end; line++) {
    if (metadataLines.has(line)) continue;
    let text = lines.lineText(line);
    if (text.trim() === '' || /^\s{0,3}#{1,6}(?:\s|$)/.test(text)) continue;
    // Links cut out from the end first, so the columns of the earlier ones stay right.
    const onLine = note.links.filter((link) => link.range.start.line === line && link.range.end.line === line).sort((a, b) => b.range.start.character - a.range.start.character);
    for (const link of onLine) text = text.slice(0, link.range.start.character) + ' ' + text.slice(link.range.end.character);
    text = text.replace(/https?:\/\/\S+/g, ' ');
    if (/[\p{L}\p{N}]/u.test(text)) return true;
  }
  return false;
}

/**
 * The heading level that lists the sessions: the level with the most talk-like
 * sections (the shallower on a tie), or the shallowest when none is talk-like.
 */
function talkLevel(sections: readonly CandidateSection[]): number | undefined {
  const byLevel = new Map<number, number>();
  for (const section of sections) byLevel.set(section.heading.level, (byLevel.get(section.heading.level) ?? 0) + (section.signalled ? 1 : 0));
  let best: number | undefined;
  for (const [level, count] of [...byLevel].sort((a, b) => a[0] - b[0])) {
    if (best === undefined || count > byLevel.get(best)!) best = level;
  }
  return best;
}

/** A section holding only a generated table of contents (and blank lines). */
function isTableOfContentsSection(section: TalkSection, lines: LineIndex, block: ReturnType<typeof findTableOfContents>): boolean {
  if (!block) return false;
  let content = 0;
  for (let line = section.bodyStart; line < section.bodyEnd; line++) {
    if (lines.lineText(line).trim() === '') continue;
    if (line !== block.labelLine && (line < block.firstLine || line > block.lastLine)) return false;
    content++;
  }
  return content > 0;
}

/**
 * Whether a reader sees the link: one in a `%%` comment (a slide deck set aside,
 * a draft) is indexed but hidden, so it is not one of a talk's links or images.
 */
function isShown(link: NoteLink): boolean {
  return !link.inComment;
}

function inLines(link: NoteLink, start: number, end: number): boolean {
  return link.range.start.line >= start && link.range.start.line < end;
}

/** Hosts of the web links outside the talks (the preamble, front matter values): the event's site. */
function eventHosts(note: ParsedNote, firstTalkLine: number): Set<string> {
  const hosts = new Set<string>();
  const add = (url: string, label?: string) => {
    const host = webHost(url);
    if (host && !mediaKind(url, label)) hosts.add(host);
  };
  for (const link of note.links) {
    if (isShown(link) && link.range.start.line < firstTalkLine && !link.embed) add(link.path, link.display);
  }
  for (const value of Object.values(note.frontMatter?.data ?? {})) {
    if (typeof value === 'string') add(value.trim());
  }
  return hosts;
}

// ---- the outline: structure plus links and images, which need the vault -----

/** The `vaultlink.talks.*` settings. */
export interface TalkSettings {
  /** Extra patterns for what an event writes its own way (`vaultlink.talks.patterns`). */
  readonly patterns?: TalkPatternSettings;
  /** Calendar export: the year of notes that say none (`vaultlink.talks.calendar.year`). */
  readonly calendarYear?: number;
  /** Calendar export: the time zone of notes that name none (`vaultlink.talks.calendar.timeZone`). */
  readonly calendarTimeZone?: string;
}

/** How outlines are read: the user's extra patterns (`vaultlink.talks.patterns`, compiled). */
export interface TalkReadingOptions {
  readonly patterns?: CompiledTalkPatterns;
}

/** The outline of one note, or undefined when it is not a conference note. */
export function getConferenceOutline(index: VaultIndex, uri: string, options?: TalkReadingOptions): Conference | undefined {
  const file = index.fileForUri(uri);
  const note = file && index.note(file);
  return note ? conferenceOutline(index, note, options) : undefined;
}

/** Every conference note of the vault, sorted by title. */
export function getConferences(index: VaultIndex, options?: TalkReadingOptions): Conference[] {
  const conferences: Conference[] = [];
  for (const note of index.notes()) {
    const conference = conferenceOutline(index, note, options);
    if (conference) conferences.push(conference);
  }
  return conferences.sort((a, b) => a.title.localeCompare(b.title, undefined, { numeric: true, sensitivity: 'base' }) || (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : 0));
}

/** The outline of an indexed note, or undefined when it is not a conference note. */
export function conferenceOutline(index: VaultIndex, note: IndexedNote, options?: TalkReadingOptions): Conference | undefined {
  // Asked before the line index is built, which costs a pass over the note's text.
  if (!isConferenceCandidate(note.parsed)) return undefined;
  const lines = new LineIndex(note.parsed.proseText);
  const structure = readConferenceStructure(note.parsed, lines, options?.patterns);
  if (!structure) return undefined;
  const title = note.parsed.frontMatter?.title?.trim() || structure.titleHeading?.text.trim() || note.name;
  const data = note.parsed.frontMatter?.data ?? {};
  const year = frontMatterYear(data) ?? titleYear(title);
  const days = structure.days.map((day) => ({
    label: day.label,
    // `Wednesday, April 2` in a note of 2025 is 2025-04-02.
    date: day.date ?? (day.monthDay && year !== undefined ? `${year}-${day.monthDay}` : undefined),
    monthDay: day.date === undefined && year === undefined ? day.monthDay : undefined,
    talks: [] as Talk[],
  }));
  for (const section of structure.talks) {
    days[section.day].talks.push(talkOf(index, note, lines, section, structure.eventHosts));
  }
  return withoutUndefined({ uri: note.file.uri, title, days: days.map(withoutUndefined), year, timeZone: frontMatterTimeZone(data) });
}

const YEAR_KEYS = ['year', 'date', 'dates', 'start', 'startDate', 'start_date', 'when'];
const TIME_ZONE_KEYS = ['timezone', 'timeZone', 'time_zone', 'tz'];

/** `year: 2025`, `date: 2025-04-02` (a string, or a date YAML read as one). */
function frontMatterYear(data: Readonly<Record<string, unknown>>): number | undefined {
  for (const key of YEAR_KEYS) {
    const value = data[key];
    const written = value instanceof Date ? String(value.getUTCFullYear()) : typeof value === 'number' || typeof value === 'string' ? String(value) : undefined;
    const year = written && /^(?:19|20)\d{2}(?!\d)/.exec(written.trim());
    if (year) return Number(year[0]);
  }
  return undefined;
}

function titleYear(title: string): number | undefined {
  const years = title.match(/(?<!\d)(?:19|20)\d{2}(?!\d)/g);
  return years?.length === 1 ? Number(years[0]) : undefined;
}

/** An IANA zone the runtime knows (`Asia/Seoul`, `UTC`); anything else is ignored. */
function frontMatterTimeZone(data: Readonly<Record<string, unknown>>): string | undefined {
  for (const key of TIME_ZONE_KEYS) {
    const value = data[key];
    if (typeof value === 'string' && isTimeZone(value.trim())) return value.trim();
  }
  return undefined;
}

export function isTimeZone(name: string): boolean {
  if (!name || name.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

function talkOf(index: VaultIndex, note: IndexedNote, lines: LineIndex, section: TalkSection, hosts: ReadonlySet<string>): Talk {
  const headingLine = section.heading.range.start.line;
  const written: Array<{ url: string; label?: string; line: number; offset: number }> = [];
  let images = 0;
  let brokenImages = 0;
  for (const link of note.parsed.links) {
    if (!isShown(link) || !inLines(link, headingLine, section.bodyEnd)) continue;
    if (link.embed) {
      // `![alt](…)` is an image by its syntax; `![[…]]` when it names an image file.
      if (link.kind === 'markdown' || isImagePath(link.path)) {
        images++;
        if (resolveLink(index, note, link).kind === 'missingFile') brokenImages++;
      }
    } else if (link.external) {
      written.push({ url: link.path, label: link.display?.trim() || undefined, line: link.range.start.line, offset: lines.offsetAt(link.range.start) });
    }
  }
  written.push(...bareUrls(note.parsed, lines, headingLine, section.bodyEnd));

  // In the order they are written; one entry per address and kind.
  const links: TalkLink[] = [];
  for (const { url, label, line } of written.sort((a, b) => a.offset - b.offset)) {
    const kind = classifyTalkLink(url, label, { eventHosts: hosts, inHeading: line === headingLine });
    if (kind && !links.some((link) => link.kind === kind && link.url === url)) links.push(withoutUndefined({ kind, url, label }));
  }
  return withoutUndefined({
    title: section.title,
    time: section.time,
    endTime: section.endTime,
    track: section.track,
    room: section.room,
    speaker: section.speaker,
    needsNotes: section.needsNotes ? (true as const) : undefined,
    range: section.heading.range,
    links,
    images,
    brokenImages,
  });
}

const BARE_URL = /https?:\/\/[^\s<>"'`()[\]]+/g;

/** Web addresses written as plain text in the talk (outside links and code spans). */
function bareUrls(note: ParsedNote, lines: LineIndex, start: number, end: number): Array<{ url: string; line: number; offset: number }> {
  const found: Array<{ url: string; line: number; offset: number }> = [];
  for (let line = start; line < end; line++) {
    const text = lines.lineText(line);
    if (!text.includes('://')) continue;
    const covered = note.links.filter((link) => link.range.start.line === line);
    const withoutCode = text.replace(/`[^`]*`/g, (code) => ' '.repeat(code.length));
    for (const match of withoutCode.matchAll(BARE_URL)) {
      const column = match.index;
      if (covered.some((link) => link.range.start.character <= column && column < link.range.end.character)) continue;
      found.push({ url: match[0].replace(/[.,;:!?]+$/, ''), line, offset: lines.lineStart(line) + column });
    }
  }
  return found;
}

/** Drops `undefined` properties, so the wire shape has absent fields rather than nulls. */
function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
