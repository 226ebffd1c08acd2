// The talk outline as people paste it elsewhere: markdown tables, CSV, JSON
// (the server's formatter, which the CLI and the client's copy and export use),
// filtered as the Talks view's filter says (the client's).
import * as assert from 'node:assert/strict';
import type { Conference, Talk } from '../../client/src/protocol';
import { filterConference, filterConferences, talkDetail } from '../../client/src/talks/talkFormat';
import { exportTalks, formatOutline } from '../../server/src/features/talkExport';

const range = (line: number) => ({ start: { line, character: 0 }, end: { line, character: 10 } });
const talk = (title: string, extra: Partial<Talk> = {}): Talk => ({ title, range: range(1), links: [], images: 0, brokenImages: 0, ...extra });

const deview: Conference = {
  uri: 'file:///vault/DEVIEW%202018.md',
  title: 'DEVIEW 2018',
  days: [
    { label: '1일차', date: '2018-10-11', talks: [talk('쿠팡 서비스 클라우드 마이그레이션', { time: '16:00' })] },
    {
      label: '2일차',
      date: '2018-10-12',
      talks: [
        talk('Druid', { time: '15:00', track: 'Track 1', links: [{ kind: 'slides', url: 'https://www.slideshare.net/deview/druid' }] }),
        talk('A | B, "quoted"', { time: '16:00', track: 'Track 3', speaker: '=cmd', images: 2, brokenImages: 1 }),
      ],
    },
  ],
};

describe('talk outline formats', () => {
  it('writes a markdown table with a row per talk, escaping pipes and linking slides', () => {
    const lines = formatOutline([deview], 'markdown').trim().split('\n');
    assert.equal(lines[0], '| Day | Time | Track | Talk | Speaker | Links |');
    assert.equal(lines.length, 2 + 3);
    assert.equal(lines[3], '| 2일차 (2018-10-12) | 15:00 | Track 1 | Druid |  | [slides](https://www.slideshare.net/deview/druid) |');
    assert.equal(lines[4], '| 2일차 (2018-10-12) | 16:00 | Track 3 | A \\| B, "quoted" | =cmd |  |');
  });

  it('writes CSV that a spreadsheet reads back: quoted commas and quotes, no formulas', () => {
    const rows = formatOutline([deview], 'csv').split('\r\n');
    assert.equal(rows[0], 'Conference,Day,Time,Track,Title,Speaker,Slides,Video,Page,Images,Broken images');
    assert.equal(rows[3], `DEVIEW 2018,2일차 (2018-10-12),16:00,Track 3,"A | B, ""quoted""","'=cmd",,,,2,1`);
  });

  it('filters by day and track, in every format', () => {
    const onTrack1 = filterConference(deview, { track: 'Track 1' });
    assert.deepEqual(onTrack1.days.map((day) => day.talks.map((t) => t.title)), [['Druid']]);
    const json = JSON.parse(formatOutline(filterConferences([deview], { day: '1일차 (2018-10-11)' }), 'json')) as Conference[];
    assert.deepEqual(json[0].days.map((day) => day.label), ['1일차']);
    const csv = exportTalks(filterConferences([deview], { track: 'Track 3' }), 'csv');
    assert.equal(csv.talks, 1);
    assert.equal(csv.text.split('\r\n').filter(Boolean).length, 2, 'the header and the one talk on Track 3');
    assert.deepEqual(filterConferences([deview], { track: 'Track 9' }), [], 'a filter nothing passes leaves no conference');
  });

  it('describes a talk by time, track and speaker, leaving out what is unknown', () => {
    assert.equal(talkDetail(talk('x', { time: '10:00', track: 'Track 1' })), '10:00 · Track 1');
    assert.equal(talkDetail(talk('x', { speaker: '이승' })), '이승');
    assert.equal(talkDetail(talk('x')), '');
  });
});
