import ical, { type ICalEventData } from 'ical-generator';
import { isTimeZone, type Conference, type Talk, type TalkDay } from './talks';

/**
 * The talk outline as an iCalendar file (RFC 5545), written by ical-generator:
 * one event per talk with a date, its time (or the whole day when the note
 * gives none), its track and room as the location, its speaker and links in
 * the description, and its page (else slides, else video) as the URL.
 *
 * A day needs a year to be a date: the note's (front matter, title), else
 * `year` here (the `vaultlink.talks.calendar.year` setting). Times are the
 * note's wall-clock times in its time zone (front matter `timezone`), else in
 * `timeZone`, written as UTC so that every calendar shows them right without a
 * VTIMEZONE block; with no zone at all they are floating (the reader's own).
 */
export interface TalkCalendarOptions {
  /** For notes whose days give a month and day only and that say no year. */
  readonly year?: number;
  /** IANA zone for notes whose front matter names none. */
  readonly timeZone?: string;
  /** DTSTAMP; now by default. */
  readonly stamp?: Date;
}

export interface TalkCalendar {
  readonly text: string;
  /** Talks written as events. */
  readonly events: number;
  /** Talks left out because their day has no date (no year anywhere, or a day without a date). */
  readonly skipped: number;
}

/** A talk without an end time lasts until the next talk of its track that day, at most this long. */
const DEFAULT_MINUTES = 45;
const MAX_GAP_MINUTES = 3 * 60;

export function talkCalendar(conferences: readonly Conference[], options: TalkCalendarOptions = {}): TalkCalendar {
  const calendar = ical({ name: conferences.length === 1 ? conferences[0].title : 'Talks', prodId: { company: 'Vaultlink', product: 'Talk outline', language: 'EN' } });
  let events = 0;
  let skipped = 0;
  for (const conference of conferences) {
    const zone = conference.timeZone ?? (options.timeZone && isTimeZone(options.timeZone) ? options.timeZone : undefined);
    const year = conference.year ?? options.year;
    for (const day of conference.days) {
      const date = dayDate(day, year);
      for (const talk of day.talks) {
        if (!date) {
          skipped++;
          continue;
        }
        calendar.createEvent(eventOf(conference, day, talk, date, zone, options.stamp));
        events++;
      }
    }
  }
  // The zone as information for calendars that show it; the times themselves are UTC
  // (ical-generator's own \`timezone\` would write them in no zone without a VTIMEZONE).
  const zones = new Set(conferences.map((conference) => conference.timeZone ?? options.timeZone).filter((zone): zone is string => !!zone && isTimeZone(zone)));
  if (zones.size === 1) calendar.x('X-WR-TIMEZONE', [...zones][0]);
  return { text: calendar.toString(), events, skipped };
}

function dayDate(day: TalkDay, year: number | undefined): { year: number; month: number; day: number } | undefined {
  const written = day.date ?? (day.monthDay && year !== undefined ? `${year}-${day.monthDay}` : undefined);
  const parts = written && /^(\d{4})-(\d{2})-(\d{2})$/.exec(written);
  return parts ? { year: Number(parts[1]), month: Number(parts[2]), day: Number(parts[3]) } : undefined;
}

function eventOf(conference: Conference, day: TalkDay, talk: Talk, date: { year: number; month: number; day: number }, zone: string | undefined, stamp: Date | undefined): ICalEventData {
  const base: Omit<ICalEventData, 'start'> = {
    id: uidOf(conference, talk),
    summary: talk.title,
    location: [talk.room, talk.track].filter(Boolean).join(' · ') || undefined,
    description: descriptionOf(conference, talk),
    url: (talk.links.find((link) => link.kind === 'page') ?? talk.links.find((link) => link.kind === 'slides') ?? talk.links[0])?.url,
    categories: [{ name: conference.title }, ...(talk.track ? [{ name: talk.track }] : [])],
    ...(stamp ? { stamp } : {}),
  };
  const start = minutesOf(talk.time);
  if (start === undefined) {
    // No time: the talk is on that day.
    return { ...base, allDay: true, start: new Date(date.year, date.month - 1, date.day) };
  }
  const end = minutesOf(talk.endTime) ?? nextStart(day, talk, start) ?? start + DEFAULT_MINUTES;
  const at = (minutes: number) => wallClock(date, minutes, zone);
  return { ...base, start: at(start), end: at(end > start ? end : end + 24 * 60), ...(zone ? {} : { floating: true }) };
}

function descriptionOf(conference: Conference, talk: Talk): string {
  const lines: string[] = [];
  if (talk.speaker) lines.push(`Speaker: ${talk.speaker}`);
  if (talk.track) lines.push(`Track: ${talk.track}`);
  if (talk.room) lines.push(`Room: ${talk.room}`);
  const labels = { slides: 'Slides', video: 'Video', page: 'Session page' } as const;
  for (const link of talk.links) lines.push(`${labels[link.kind]}: ${link.url}`);
  lines.push(`Notes: ${conference.title}`);
  return lines.join('\n');
}

/** The start of the next talk after this one, that day, on its track (any track when it has none), within MAX_GAP_MINUTES. */
function nextStart(day: TalkDay, talk: Talk, start: number): number | undefined {
  let next: number | undefined;
  for (const other of day.talks) {
    if (other === talk || (talk.track && other.track && other.track !== talk.track)) continue;
    const minutes = minutesOf(other.time);
    if (minutes !== undefined && minutes > start && minutes - start <= MAX_GAP_MINUTES && (next === undefined || minutes < next)) next = minutes;
  }
  return next;
}

function minutesOf(time: string | undefined): number | undefined {
  const match = time && /^(\d{2}):(\d{2})$/.exec(time);
  return match ? Number(match[1]) * 60 + Number(match[2]) : undefined;
}

/**
 * The instant a wall-clock time of the date names: in `zone` when given (an
 * instant, written as UTC), else a local Date whose local fields are that time
 * (ical-generator writes a floating event from those fields).
 */
function wallClock(date: { year: number; month: number; day: number }, minutes: number, zone: string | undefined): Date {
  const hours = Math.floor(minutes / 60);
  if (!zone) return new Date(date.year, date.month - 1, date.day, hours, minutes % 60);
  const asUtc = Date.UTC(date.year, date.month - 1, date.day, hours, minutes % 60);
  // The zone's offset at the guess, then at the corrected instant (they differ across a DST change).
  let instant = asUtc - offsetMinutes(asUtc, zone) * 60_000;
  const second = offsetMinutes(instant, zone);
  instant = asUtc - second * 60_000;
  return new Date(instant);
}

/** How far `zone`'s wall clock is ahead of UTC at an instant, in minutes. */
function offsetMinutes(instant: number, zone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }).formatToParts(new Date(instant));
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const wall = Date.UTC(part('year'), part('month') - 1, part('day'), part('hour') % 24, part('minute'), part('second'));
  return Math.round((wall - Math.floor(instant / 1000) * 1000) / 60_000);
}

/** A UID that stays the same when the calendar is exported again: the note, the heading's line and the title. */
function uidOf(conference: Conference, talk: Talk): string {
  let hash = 0x811c9dc5;
  for (const c of `${conference.uri}#${talk.range.start.line}#${talk.title}`) {
    hash ^= c.codePointAt(0)!;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return `talk-${hash.toString(16).padStart(8, '0')}-${talk.range.start.line}@vaultlink`;
}
