// The schedule view (a webview panel) and the calendar export in the real
// editor, on the sample vault's DEVIEW 2018 note.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { DEVIEW_NOTE, indexedVault, noteUri, poll, restoreText, type VaultlinkApi } from './helpers';

interface ScheduleCellLike {
  readonly id: string;
  readonly title: string;
  readonly time?: string;
}
interface ScheduleStateLike {
  readonly model?: { readonly title: string; readonly talks: number; readonly days: ReadonlyArray<{ readonly name: string; readonly columns: readonly string[]; readonly rows: ReadonlyArray<{ readonly time: string; readonly cells: ReadonlyArray<readonly ScheduleCellLike[]>; readonly spanning: readonly ScheduleCellLike[] }> }> };
  readonly rendered?: { readonly cells: number; readonly days: number };
}
interface TalksApi {
  refresh(): Promise<void>;
  schedule(uri: string): ScheduleStateLike | undefined;
}

function talksOf(api: VaultlinkApi): TalksApi {
  const talks = (api as unknown as { talks?: TalksApi }).talks;
  assert.ok(talks?.schedule, 'the extension API has no schedule');
  return talks;
}

function scheduleTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((group) => group.tabs).filter((tab) => tab.input instanceof vscode.TabInputWebview && tab.label.startsWith('Schedule'));
}

function cellsOf(state: ScheduleStateLike | undefined): ScheduleCellLike[] {
  return (state?.model?.days ?? []).flatMap((day) => day.rows.flatMap((row) => [...row.spanning, ...row.cells.flat()]));
}

describe('schedule view', () => {
  let talks: TalksApi;
  const deview = noteUri(DEVIEW_NOTE).toString();

  before(async () => {
    const { api } = await indexedVault();
    talks = talksOf(api);
    await talks.refresh();
    // The note in the first column, so that the schedule opens beside it.
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(noteUri(DEVIEW_NOTE)), { viewColumn: vscode.ViewColumn.One, preview: false });
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('opens from the Talks view as a panel, and its script draws every talk of the note', async () => {
    await vscode.commands.executeCommand('vaultlink.talks.showSchedule', deview);
    const tab = await poll(() => scheduleTabs()[0], (found) => found !== undefined, { what: 'a Schedule tab' });
    assert.strictEqual(tab?.label, 'Schedule: DEVIEW 2018');
    // The webview's own script reports what it drew: proof that it ran under the panel's CSP.
    const state = await poll(() => talks.schedule(deview), (current) => current?.rendered?.cells === 7, { what: 'the webview to draw 7 talk cells' });
    assert.deepStrictEqual(state?.rendered, { cells: 7, days: 2 });
    const days = state!.model!.days;
    assert.deepStrictEqual(days.map((day) => day.name), ['1일차 (2018-10-11)', '2일차 (2018-10-11)']);
    // Day 2 as a programme: tracks across, times down.
    assert.deepStrictEqual(days[1].columns, ['Track 1', 'Track 3']);
    assert.deepStrictEqual(days[1].rows.map((row) => row.time), ['10:00', '11:00', '12:00', '14:00', '15:00', '16:00']);
    const noon = days[1].rows.find((row) => row.time === '12:00')!;
    assert.deepStrictEqual(noon.cells.map((column) => column.map((cell) => cell.title)), [[], ['대형 컨테이너 클러스터에서의 고가용성']]);
    // A talk on no track (14:00) spans the tracks.
    assert.deepStrictEqual(days[1].rows.find((row) => row.time === '14:00')!.spanning.map((cell) => cell.title), ['네이버 검색과 개인화']);
  });

  it('follows edits: a talk typed into the note appears in the open schedule', async () => {
    // The note in the first column, the schedule staying visible beside it, as a person types with both open.
    const document = await vscode.workspace.openTextDocument(noteUri(DEVIEW_NOTE));
    const original = document.getText();
    const editor = await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.One, preview: false });
    const end = editor.document.lineAt(editor.document.lineCount - 1).range.end;
    await editor.edit((edit) => edit.insert(end, '\n\n## 17:00, Track3, 스케줄 뷰 테스트\n- 발표자 홍길동\n'));
    try {
      const state = await poll(() => talks.schedule(deview), (current) => current?.rendered?.cells === 8, { what: 'the schedule to redraw with the typed talk' });
      const typed = cellsOf(state).find((cell) => cell.title === '스케줄 뷰 테스트');
      assert.strictEqual(typed?.time, '17:00');
    } finally {
      await restoreText(document, original);
    }
    await poll(() => talks.schedule(deview), (current) => current?.rendered?.cells === 7, { what: 'the schedule to drop the talk after undo' });
  });

  it('exports the outline as an iCalendar file through the server', async () => {
    const target = noteUri('exported talks.ics');
    await vscode.commands.executeCommand('vaultlink.talks.export', undefined, { format: 'ics', target });
    const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(target));
    await vscode.workspace.fs.delete(target);
    assert.match(text, /^BEGIN:VCALENDAR\r\n/);
    // The active editor is the DEVIEW note: its 7 talks.
    assert.strictEqual(text.match(/BEGIN:VEVENT/g)?.length, 7, text.slice(0, 400));
    assert.match(text, /SUMMARY:Druid\r\n/);
  });
});
