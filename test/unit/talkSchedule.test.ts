import * as assert from 'node:assert/strict';
import { scheduleModel, talkOfCell } from '../../client/src/talks/scheduleModel';
import { getConferenceOutline } from '../../server/src/features/talks';
import { DEVIEW_NOTE, LINE_NOTE, openVault, seedFiles } from '../kit/vault';

/** The schedule view's grid (client/src/talks/scheduleModel.ts) from the server's outlines. */

async function outlineOf(files: Record<string, string>, name: string) {
  const vault = await openVault(files);
  const outline = getConferenceOutline(vault.service.vaults[0], vault.uri(name));
  assert.ok(outline);
  return outline;
}

describe('schedule: days × time × track', () => {
  it('lays DEVIEW 2018 out by day, time and track, a talk on no track across them', async () => {
    const outline = await outlineOf(seedFiles(), DEVIEW_NOTE);
    const model = scheduleModel(outline);
    assert.equal(model.talks, 7);
    const [first, second] = model.days;
    assert.deepEqual([first.name, first.columnKind, first.columns], ['1일차 (2018-10-11)', 'none', ['']]);
    assert.deepEqual(second.columns, ['Track 1', 'Track 3']);
    const grid = second.rows.map((row) => [row.time, row.cells.map((column) => column.map((cell) => cell.title).join('+')), row.spanning.map((cell) => cell.title).join('+')]);
    assert.deepEqual(grid, [
      ['10:00', ['인공지능이 인공지능 챗봇을 만들다', ''], ''],
      ['11:00', ['Hadoop Cluster', ''], ''],
      ['12:00', ['', '대형 컨테이너 클러스터에서의 고가용성'], ''],
      ['14:00', ['', ''], '네이버 검색과 개인화'],
      ['15:00', ['Druid', ''], ''],
      ['16:00', ['Search Reliability Engineering', ''], ''],
    ]);
    // A cell's id finds its talk again, for the click that opens its heading.
    const druid = second.rows[4].cells[0][0];
    assert.equal(talkOfCell(outline, druid.id)?.range.start.line, 389);
  });

  it('keeps talks without times in the note\'s order, one row each, and shows their links', async () => {
    const model = scheduleModel(await outlineOf(seedFiles(), LINE_NOTE));
    const [day] = model.days;
    assert.equal(day.rows.length, 11);
    assert.ok(day.rows.every((row) => row.time === ''));
    assert.equal(day.rows[0].cells[0][0].title, 'Opening Keynote');
    const last = day.rows[10].cells[0][0];
    assert.deepEqual(last.links.map((link) => link.kind), ['video', 'slides']);
  });

  it('puts overlapping talks of one track in the same cell, rooms as columns when there are no tracks, and time ranges', async () => {
    const note = '---\ntags: conference\n---\n# Conf\n\n## 10:00–10:40 A (Room 2)\nx\n## 10:00 B (Room 10)\nx\n## 10:00 C (Room 2)\n';
    const [day] = scheduleModel(await outlineOf({ 'c.md': note }, 'c.md')).days;
    assert.deepEqual([day.columnKind, day.columns], ['room', ['Room 2', 'Room 10']]);
    assert.deepEqual(day.rows[0].cells.map((column) => column.map((cell) => `${cell.title} ${cell.time}${cell.needsNotes ? ' needs notes' : ''}`)), [['A 10:00–10:40', 'C 10:00 needs notes'], ['B 10:00']]);
  });

  it('finds no talk for a cell id the outline no longer has', async () => {
    const outline = await outlineOf(seedFiles(), DEVIEW_NOTE);
    assert.equal(talkOfCell(outline, '9:0'), undefined);
    assert.equal(talkOfCell(outline, 'constructor'), undefined);
  });
});
