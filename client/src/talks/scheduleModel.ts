// The schedule view's grid, days × time × track, from a talk outline: what a
// printed programme shows. Presentation only (the outline comes from the
// server); no `vscode` import, so the unit tests run it directly, and the
// webview script (media/schedule.js) only draws what this gives it.
import type { Conference, Talk, TalkDay, TalkLinkKind } from '../protocol';

export interface ScheduleModel {
  readonly uri: string;
  readonly title: string;
  readonly days: readonly ScheduleDay[];
  /** How many talks the grid shows (every talk of the outline). */
  readonly talks: number;
}

export interface ScheduleDay {
  /** `1일차 (2018-10-11)`; empty for a note without days. */
  readonly name: string;
  /** Tracks, else rooms, else one unnamed column. */
  readonly columns: readonly string[];
  /** What the columns are: `track`, `room`, or `none`. */
  readonly columnKind: 'track' | 'room' | 'none';
  readonly rows: readonly ScheduleRow[];
}

export interface ScheduleRow {
  /** `10:00`; empty for talks without a time (after the timed ones, in note order). */
  readonly time: string;
  /** One list per column: talks at that time there (several when they overlap). */
  readonly cells: ReadonlyArray<readonly ScheduleCell[]>;
  /** Talks at that time on no column (a keynote for every track): drawn across all columns. */
  readonly spanning: readonly ScheduleCell[];
}

export interface ScheduleCell {
  /** `day:talk` indices into the outline, what a click sends back. */
  readonly id: string;
  readonly title: string;
  /** `10:00–10:40`, `10:00`. */
  readonly time?: string;
  readonly speaker?: string;
  readonly track?: string;
  readonly room?: string;
  readonly links: ReadonlyArray<{ readonly kind: TalkLinkKind; readonly url: string; readonly label?: string }>;
  readonly needsNotes: boolean;
}

export function dayTitle(day: TalkDay): string {
  if (day.label && day.date && !day.label.includes(day.date)) return `${day.label} (${day.date})`;
  return day.label || day.date || '';
}

export function scheduleModel(conference: Conference): ScheduleModel {
  let talks = 0;
  const days = conference.days.map((day, dayIndex) => {
    talks += day.talks.length;
    return scheduleDay(day, dayIndex);
  });
  return { uri: conference.uri, title: conference.title, days, talks };
}

function scheduleDay(day: TalkDay, dayIndex: number): ScheduleDay {
  const tracks = distinct(day.talks.map((talk) => talk.track));
  const rooms = distinct(day.talks.map((talk) => talk.room));
  const columnKind = tracks.length ? 'track' : rooms.length ? 'room' : 'none';
  const columns = columnKind === 'track' ? tracks : columnKind === 'room' ? rooms : [''];
  const columnOf = (talk: Talk): number => (columnKind === 'track' ? tracks.indexOf(talk.track ?? '') : columnKind === 'room' ? rooms.indexOf(talk.room ?? '') : 0);

  const timed = new Map<string, Array<{ talk: Talk; index: number }>>();
  const untimed: Array<{ talk: Talk; index: number }> = [];
  day.talks.forEach((talk, index) => {
    if (!talk.time) untimed.push({ talk, index });
    else timed.set(talk.time, [...(timed.get(talk.time) ?? []), { talk, index }]);
  });
  const rowOf = (time: string, entries: ReadonlyArray<{ talk: Talk; index: number }>): ScheduleRow => {
    const cells: ScheduleCell[][] = columns.map(() => []);
    const spanning: ScheduleCell[] = [];
    for (const { talk, index } of entries) {
      const cell = cellOf(talk, `${dayIndex}:${index}`);
      const column = columnOf(talk);
      if (column < 0) spanning.push(cell);
      else cells[column].push(cell);
    }
    return { time, cells, spanning };
  };
  const rows = [...timed.keys()].sort().map((time) => rowOf(time, timed.get(time)!));
  // Without times, each talk is its own row, in the note's order.
  for (const entry of untimed) rows.push(rowOf('', [entry]));
  return { name: dayTitle(day), columns, columnKind, rows };
}

function cellOf(talk: Talk, id: string): ScheduleCell {
  return {
    id,
    title: talk.title,
    ...(talk.time ? { time: talk.endTime ? `${talk.time}–${talk.endTime}` : talk.time } : {}),
    ...(talk.speaker ? { speaker: talk.speaker } : {}),
    ...(talk.track ? { track: talk.track } : {}),
    ...(talk.room ? { room: talk.room } : {}),
    links: talk.links.map((link) => ({ kind: link.kind, url: link.url, ...(link.label ? { label: link.label } : {}) })),
    needsNotes: talk.needsNotes === true,
  };
}

/** The talk a cell id names, or undefined when the outline changed under it. */
export function talkOfCell(conference: Conference, id: string): Talk | undefined {
  const match = /^(\d+):(\d+)$/.exec(id);
  return match ? conference.days[Number(match[1])]?.talks[Number(match[2])] : undefined;
}

/** Distinct non-empty values, in natural order (`Track 2` before `Track 10`). */
function distinct(values: ReadonlyArray<string | undefined>): string[] {
  return [...new Set(values.filter((value): value is string => !!value))].sort((a, b) => a.localeCompare(b, undefined, { numeric: true, sensitivity: 'base' }));
}
