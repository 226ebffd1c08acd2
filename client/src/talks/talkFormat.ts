// Turns talk outlines into the tables and files people paste into a wiki, a
// spreadsheet or a script. Presentation only: the outline itself comes from
// the server. No `vscode` import, so the unit tests run it directly.
import type { Conference, Talk, TalkDay, TalkLinkKind } from '../protocol';

/** Which talks to show: every talk when a field is absent. */
export interface TalkFilter {
  readonly day?: string;
  readonly track?: string;
}

export type ExportFormat = 'markdown' | 'csv' | 'json';

/** A talk with where it sits, one row of an exported outline. */
export interface TalkRow {
  readonly conference: Conference;
  readonly day: TalkDay;
  readonly talk: Talk;
}

export function dayName(day: TalkDay): string {
  if (day.label && day.date && !day.label.includes(day.date)) return `${day.label} (${day.date})`;
  return day.label || day.date || '';
}

export function matchesFilter(day: TalkDay, talk: Talk, filter: TalkFilter): boolean {
  if (filter.day !== undefined && dayName(day) !== filter.day) return false;
  if (filter.track !== undefined && (talk.track ?? '') !== filter.track) return false;
  return true;
}

export function filterConference(conference: Conference, filter: TalkFilter): Conference {
  const days = conference.days
    .map((day) => ({ ...day, talks: day.talks.filter((talk) => matchesFilter(day, talk, filter)) }))
    .filter((day) => day.talks.length > 0);
  return { ...conference, days };
}

export function talkRows(conferences: readonly Conference[], filter: TalkFilter = {}): TalkRow[] {
  const rows: TalkRow[] = [];
  for (const conference of conferences) {
    for (const day of conference.days) {
      for (const talk of day.talks) if (matchesFilter(day, talk, filter)) rows.push({ conference, day, talk });
    }
  }
  return rows;
}

/** The first link of a kind, which is what "open slides" opens. */
export function linkOf(talk: Talk, kind: TalkLinkKind): string | undefined {
  return talk.links.find((link) => link.kind === kind)?.url;
}

/** `10:00 · Track 1 · 발표자`: what the tree and the Outline show beside a title. */
export function talkDetail(talk: Talk): string {
  return [talk.time, talk.track, talk.speaker].filter((part): part is string => !!part).join(' · ');
}

const COLUMNS = ['Conference', 'Day', 'Time', 'Track', 'Title', 'Speaker', 'Slides', 'Video', 'Page', 'Images', 'Broken images'] as const;

function cells(row: TalkRow): string[] {
  const { conference, day, talk } = row;
  return [
    conference.title,
    dayName(day),
    talk.time ?? '',
    talk.track ?? '',
    talk.title,
    talk.speaker ?? '',
    linkOf(talk, 'slides') ?? '',
    linkOf(talk, 'video') ?? '',
    linkOf(talk, 'page') ?? '',
    String(talk.images),
    String(talk.brokenImages),
  ];
}

/** A GitHub-flavoured markdown table; links become `[slides](url)`. */
export function toMarkdownTable(rows: readonly TalkRow[]): string {
  const multiple = new Set(rows.map((row) => row.conference.uri)).size > 1;
  const header = ['Day', 'Time', 'Track', 'Talk', 'Speaker', 'Links'];
  if (multiple) header.unshift('Conference');
  const lines = [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`];
  for (const { conference, day, talk } of rows) {
    const links = (['slides', 'video', 'page'] as const)
      .map((kind) => {
        const url = linkOf(talk, kind);
        return url ? `[${kind}](${url.replace(/\)/g, '%29').replace(/ /g, '%20')})` : '';
      })
      .filter(Boolean)
      .join(' ');
    const row = [dayName(day), talk.time ?? '', talk.track ?? '', talk.title, talk.speaker ?? '', links];
    if (multiple) row.unshift(conference.title);
    lines.push(`| ${row.map(markdownCell).join(' | ')} |`);
  }
  return lines.join('\n') + '\n';
}

function markdownCell(text: string): string {
  // A pipe ends a cell and a line break ends the row.
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** RFC 4180 CSV with a header row; fields quoted when they need it. */
export function toCsv(rows: readonly TalkRow[]): string {
  const lines = [COLUMNS.join(','), ...rows.map((row) => cells(row).map(csvField).join(','))];
  return lines.join('\r\n') + '\r\n';
}

function csvField(text: string): string {
  // A leading = + - @ would run as a formula in a spreadsheet.
  const safe = /^[=+\-@]/.test(text) ? `'${text}` : text;
  return /[",\r\n']/.test(safe) || safe !== text ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The outlines as the server gave them, filtered, for scripts. */
export function toJson(conferences: readonly Conference[], filter: TalkFilter = {}): string {
  const filtered = conferences.map((conference) => filterConference(conference, filter)).filter((conference) => conference.days.length > 0);
  return JSON.stringify(filtered, null, 2) + '\n';
}

export function formatOutline(conferences: readonly Conference[], format: ExportFormat, filter: TalkFilter = {}): string {
  if (format === 'json') return toJson(conferences, filter);
  const rows = talkRows(conferences, filter);
  return format === 'csv' ? toCsv(rows) : toMarkdownTable(rows);
}

export const EXPORT_EXTENSIONS: Record<ExportFormat, string> = { markdown: 'md', csv: 'csv', json: 'json' };
