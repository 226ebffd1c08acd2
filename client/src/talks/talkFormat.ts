// How the Talks view shows and filters talk outlines. Presentation only: the
// outline comes from the server, and so do its exported tables and files
// (`vaultlink/talkExport`, the CLI's formatter). No `vscode` import, so the
// unit tests run it directly.
import type { Conference, Talk, TalkDay, TalkExportFormat, TalkLinkKind } from '../protocol';

/** Which talks to show: every talk when a field is absent. */
export interface TalkFilter {
  readonly day?: string;
  readonly track?: string;
}

export type ExportFormat = TalkExportFormat;

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

/** The first link of a kind, which is what "open slides" opens. */
export function linkOf(talk: Talk, kind: TalkLinkKind): string | undefined {
  return talk.links.find((link) => link.kind === kind)?.url;
}

/** `10:00 · Track 1 · 발표자`: what the tree and the Outline show beside a title. */
export function talkDetail(talk: Talk): string {
  return [talk.time, talk.track, talk.speaker].filter((part): part is string => !!part).join(' · ');
}

export const EXPORT_EXTENSIONS: Record<ExportFormat, string> = { markdown: 'md', csv: 'csv', json: 'json' };

/** The conferences with only the talks the filter keeps, and none left empty: what is exported. */
export function filterConferences(conferences: readonly Conference[], filter: TalkFilter): Conference[] {
  return conferences.map((conference) => filterConference(conference, filter)).filter((conference) => conference.days.length > 0);
}
