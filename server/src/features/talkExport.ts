import type { Conference, Talk, TalkDay } from './talks';

/**
 * Talk outlines as the tables and files people paste into a wiki, a
 * spreadsheet or a script: a markdown table, CSV or JSON. One formatter for
 * `vaultlink outline` and for the VS Code client's "Copy Talk Outline" and
 * "Export Talk Outline…" (`vaultlink/talkExport`), so a script and an editor
 * user get the same outline.
 */

export type TalkExportFormat = 'markdown' | 'csv' | 'json';

export interface TalkExport {
  readonly text: string;
  /** Talks in it. */
  readonly talks: number;
}

interface TalkRow {
  readonly conference: Conference;
  readonly day: TalkDay;
  readonly talk: Talk;
}

export function dayName(day: TalkDay): string {
  if (day.label && day.date && !day.label.includes(day.date)) return `${day.label} (${day.date})`;
  return day.label || day.date || '';
}

function rowsOf(conferences: readonly Conference[]): TalkRow[] {
  return conferences.flatMap((conference) => conference.days.flatMap((day) => day.talks.map((talk) => ({ conference, day, talk }))));
}

function linkOf(talk: Talk, kind: 'slides' | 'video' | 'page'): string | undefined {
  return talk.links.find((link) => link.kind === kind)?.url;
}

const COLUMNS = ['Conference', 'Day', 'Time', 'Track', 'Title', 'Speaker', 'Slides', 'Video', 'Page', 'Images', 'Broken images'] as const;

/** A GitHub-flavoured markdown table; links become `[slides](url)`; a Conference column when there are several. */
export function outlineMarkdown(conferences: readonly Conference[]): string {
  const rows = rowsOf(conferences);
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
    // A pipe ends a cell and a line break ends the row.
    lines.push(`| ${row.map((cell) => cell.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ')).join(' | ')} |`);
  }
  return lines.join('\n') + '\n';
}

/** RFC 4180 CSV with a header row, CRLF line ends; fields quoted when they need it. */
export function outlineCsv(conferences: readonly Conference[]): string {
  const rows = rowsOf(conferences).map(({ conference, day, talk }) =>
    [conference.title, dayName(day), talk.time ?? '', talk.track ?? '', talk.title, talk.speaker ?? '', linkOf(talk, 'slides') ?? '', linkOf(talk, 'video') ?? '', linkOf(talk, 'page') ?? '', String(talk.images), String(talk.brokenImages)]
      .map(csvField)
      .join(','),
  );
  return [COLUMNS.join(','), ...rows].join('\r\n') + '\r\n';
}

function csvField(text: string): string {
  // A leading = + - @ would run as a formula in a spreadsheet.
  const safe = /^[=+\-@]/.test(text) ? `'${text}` : text;
  return /[",\r\n']/.test(safe) || safe !== text ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The outlines as the talks feature gives them (days without talks left out), for scripts. */
export function outlineJson(conferences: readonly Conference[]): string {
  const kept = conferences.map((conference) => ({ ...conference, days: conference.days.filter((day) => day.talks.length > 0) })).filter((conference) => conference.days.length > 0);
  return JSON.stringify(kept, null, 2) + '\n';
}

export function formatOutline(conferences: readonly Conference[], format: TalkExportFormat): string {
  return format === 'json' ? outlineJson(conferences) : format === 'csv' ? outlineCsv(conferences) : outlineMarkdown(conferences);
}

/** The outlines (as `vaultlink/talks` gave them, filtered as the user chose) in a format, with their talk count. */
export function exportTalks(conferences: readonly Conference[], format: TalkExportFormat): TalkExport {
  return { text: formatOutline(conferences, format), talks: rowsOf(conferences).length };
}
