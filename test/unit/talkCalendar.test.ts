import * as assert from 'node:assert/strict';
import ICAL from 'ical.js';
import { talkCalendar } from '../../server/src/features/talkCalendar';
import { getConferenceOutline, type Conference } from '../../server/src/features/talks';
import { DEVIEW_NOTE, openVault, seedFiles } from '../kit/vault';
import { assertUsageError, copySampleVault, removeTemporary, requireBuiltCli, runCli } from '../fixtures/cliRun';

/**
 * The calendar export, parsed back with ical.js (a second implementation of
 * RFC 5545, not the library that wrote it): what a calendar app would import.
 */

interface ParsedEvent {
  readonly summary: string;
  /** `YYYY-MM-DDTHH:MM:SSZ` for timed events (UTC), `YYYY-MM-DD` for all-day ones, local `YYYY-MM-DDTHH:MM:SS` for floating ones. */
  readonly start: string;
  readonly end?: string;
  readonly location?: string;
  readonly description: string;
  readonly url?: string;
  readonly uid: string;
}

function parse(text: string): ParsedEvent[] {
  const calendar = new ICAL.Component(ICAL.parse(text));
  return calendar.getAllSubcomponents('vevent').map((component) => {
    const event = new ICAL.Event(component);
    const time = (value: ICAL.Time | null | undefined) => {
      if (!value) return undefined;
      if (value.isDate) return value.toString();
      // ical.js writes a UTC time with its Z, a floating one without.
      return value.toString();
    };
    return {
      summary: event.summary,
      start: time(event.startDate)!,
      end: component.hasProperty('dtend') ? time(event.endDate) : undefined,
      location: event.location ?? undefined,
      description: event.description ?? '',
      url: (component.getFirstPropertyValue('url') as string | null) ?? undefined,
      uid: event.uid,
    };
  });
}

async function outlineOf(text: string): Promise<Conference> {
  const vault = await openVault({ 'Conference.md': text });
  const outline = getConferenceOutline(vault.service.vaults[0], vault.uri('Conference.md'));
  assert.ok(outline);
  return outline;
}

const BERLIN = `---
tags: conference
year: 2025
timezone: Europe/Berlin
---
# RustConf EU

## Wednesday, April 2

### 09:00–09:45 Opening keynote (Main Hall)
Speaker: Ada Lovelace
- [Slides](https://speakerdeck.com/ada/opening)
- [Session](https://rustconf.example.org/sessions/1)

### 10:00 [Track A] Async, without tears; really
Speaker: 김민수

### 10:30 [Track A] Embedded

## Thursday, April 3

### Unconference, all day
`;

describe('talk calendar: the outline as iCalendar, parsed back', () => {
  it('makes each talk an event with date, time, room and track, speaker and links', async () => {
    const events = parse(talkCalendar([await outlineOf(BERLIN)]).text);
    assert.deepEqual(
      events.map(({ uid: _uid, ...event }) => event),
      [
        {
          summary: 'Opening keynote',
          // 09:00 in Berlin (summer time, UTC+2) is 07:00 UTC.
          start: '2025-04-02T07:00:00Z',
          end: '2025-04-02T07:45:00Z',
          location: 'Main Hall',
          description: 'Speaker: Ada Lovelace\nRoom: Main Hall\nSlides: https://speakerdeck.com/ada/opening\nSession page: https://rustconf.example.org/sessions/1\nNotes: RustConf EU',
          url: 'https://rustconf.example.org/sessions/1',
        },
        {
          // Commas and semicolons survive escaping; Korean survives line folding.
          summary: 'Async, without tears; really',
          start: '2025-04-02T08:00:00Z',
          // No end written: until the next talk of its track.
          end: '2025-04-02T08:30:00Z',
          location: 'Track A',
          description: 'Speaker: 김민수\nTrack: Track A\nNotes: RustConf EU',
          url: undefined,
        },
        { summary: 'Embedded', start: '2025-04-02T08:30:00Z', end: '2025-04-02T09:15:00Z', location: 'Track A', description: 'Track: Track A\nNotes: RustConf EU', url: undefined },
        // No time: the whole day.
        { summary: 'Unconference, all day', start: '2025-04-03', end: undefined, location: undefined, description: 'Notes: RustConf EU', url: undefined },
      ],
    );
    assert.equal(new Set(events.map((event) => event.uid)).size, events.length, 'each event has its own UID');
  });

  it('keeps UIDs across exports, so a calendar updates its events rather than doubling them', async () => {
    const outline = await outlineOf(BERLIN);
    const uids = (text: string) => parse(text).map((event) => event.uid);
    assert.deepEqual(uids(talkCalendar([outline], { stamp: new Date(0) }).text), uids(talkCalendar([outline]).text));
  });

  it('takes the year and time zone from the settings when the note gives none, and floating times without a zone', async () => {
    const note = '---\ntags: conference\n---\n# Meetup\n\n## 10월 22일 (화)\n\n### 오후 7시 라이트닝 토크\n발표자: 윤하늘\n';
    const outline = await outlineOf(note);
    assert.equal(outline.days[0].monthDay, '10-22');
    const undated = talkCalendar([outline]);
    assert.deepEqual([undated.events, undated.skipped], [0, 1], 'no year anywhere: left out, and counted');
    const seoul = parse(talkCalendar([outline], { year: 2024, timeZone: 'Asia/Seoul' }).text);
    assert.equal(seoul[0].start, '2024-10-22T10:00:00Z', '19:00 in Seoul is 10:00 UTC');
    assert.equal(seoul[0].summary, '라이트닝 토크');
    const floating = parse(talkCalendar([outline], { year: 2024 }).text);
    assert.equal(floating[0].start, '2024-10-22T19:00:00', 'floating: the wall-clock time, in no zone');
    assert.equal(parse(talkCalendar([outline], { year: 2024, timeZone: 'Not/AZone' }).text)[0].start, '2024-10-22T19:00:00', 'an unknown zone is no zone');
  });

  it('exports the DEVIEW 2018 seed note: seven talks on its two dated days', async () => {
    const vault = await openVault(seedFiles());
    const outline = getConferenceOutline(vault.service.vaults[0], vault.uri(DEVIEW_NOTE))!;
    const calendar = talkCalendar([outline], { timeZone: 'Asia/Seoul' });
    assert.deepEqual([calendar.events, calendar.skipped], [7, 0]);
    const events = parse(calendar.text);
    const druid = events.find((event) => event.summary === 'Druid');
    assert.deepEqual([druid?.start, druid?.location], ['2018-10-11T06:00:00Z', 'Track 1']);
    assert.equal(events.find((event) => event.summary === '쿠팡 서비스 클라우드 마이그레이션')?.start, '2018-10-11T07:00:00Z');
  });
});

describe('vaultlink outline --format ics', function () {
  this.timeout(60_000);
  let vault: string;

  before(async () => {
    requireBuiltCli();
    vault = await copySampleVault();
  });
  after(removeTemporary);

  it('prints the calendar of a conference note, the time zone from --time-zone', async () => {
    const run = await runCli(['outline', 'DEVIEW 2018.md', '--format', 'ics', '--time-zone', 'Asia/Seoul'], { cwd: vault });
    assert.equal(run.code, 0, run.stderr);
    const events = parse(run.stdout);
    assert.equal(events.length, 7);
    // 10:00 in Seoul (UTC+9) on the second day line's date.
    assert.equal(events.find((event) => event.summary === '인공지능이 인공지능 챗봇을 만들다')?.start, '2018-10-11T01:00:00Z');
  });

  it('says on stderr which talks have no date, keeping stdout a calendar, and exits 1 when none has one', async () => {
    const run = await runCli(['outline', '2021 Line Developer Day.md', '--format', 'ics'], { cwd: vault });
    assert.equal(run.code, 1);
    assert.match(run.stderr, /11 talks are on a day without a date/);
    assert.deepEqual(parse(run.stdout), []);
  });

  it('refuses a bad --year or --time-zone, and either without --format ics', async () => {
    assertUsageError(await runCli(['outline', 'DEVIEW 2018.md', '--format', 'ics', '--time-zone', 'Mars/Olympus'], { cwd: vault }), /--time-zone/);
    assertUsageError(await runCli(['outline', 'DEVIEW 2018.md', '--format', 'ics', '--year', '25'], { cwd: vault }), /--year/);
    assertUsageError(await runCli(['outline', 'DEVIEW 2018.md', '--year', '2025'], { cwd: vault }), /--format ics/);
  });
});
