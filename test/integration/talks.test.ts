// The Talks view and its commands in the real editor, on the two seed notes.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { DEVIEW_NOTE, LINE_NOTE, findLine, indexedVault, noteUri, openNote, poll, type VaultlinkApi } from './helpers';

/** What the extension's API gives of the Talks view, as the tree shows it. */
interface TalkNodeLike {
  readonly kind: string;
}
interface TalksApi {
  getChildren(node?: TalkNodeLike): TalkNodeLike[];
  getTreeItem(node: TalkNodeLike): vscode.TreeItem;
  refresh(): Promise<void>;
  setLinkOpener(opener: (uri: vscode.Uri) => Thenable<boolean>): void;
}

function talksOf(api: VaultlinkApi): TalksApi {
  const talks = (api as unknown as { talks?: TalksApi }).talks;
  assert.ok(talks, 'the extension API has no talks view');
  return talks;
}

function label(talks: TalksApi, node: TalkNodeLike): string {
  const item = talks.getTreeItem(node);
  return typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
}

function description(talks: TalksApi, node: TalkNodeLike): string {
  const text = talks.getTreeItem(node).description;
  return typeof text === 'string' ? text : '';
}

function child(talks: TalksApi, parent: TalkNodeLike | undefined, name: string): TalkNodeLike {
  const children = talks.getChildren(parent);
  const found = children.find((node) => label(talks, node) === name);
  assert.ok(found, `no "${name}" under ${parent ? label(talks, parent) : 'the root'}; found: ${children.map((node) => label(talks, node)).join(', ')}`);
  return found;
}

/** Every talk node under a conference node, through its days if it has them. */
function talkNodes(talks: TalksApi, conference: TalkNodeLike): TalkNodeLike[] {
  return talks.getChildren(conference).flatMap((node) => (node.kind === 'day' ? talks.getChildren(node) : [node]));
}

describe('talks view', () => {
  let talks: TalksApi;

  before(async () => {
    const { api } = await indexedVault();
    talks = talksOf(api);
    await talks.refresh();
  });

  after(async () => {
    await vscode.commands.executeCommand('vaultlink.talks.clearFilter');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('lists both conference notes, and the Line talks without the author\'s Idea section', () => {
    const conferences = talks.getChildren().map((node) => label(talks, node));
    assert.deepStrictEqual(conferences, ['2021 Line Developer Day', 'DEVIEW 2018']);
    const line = talkNodes(talks, child(talks, undefined, '2021 Line Developer Day')).map((node) => label(talks, node));
    assert.strictEqual(line.length, 11, line.join(' | '));
    assert.strictEqual(line[0], 'Opening Keynote');
    assert.ok(!line.includes('Idea'), 'Idea is the author\'s own section, not a talk');
    assert.strictEqual(line[10], '멀티 테넌트 k8s 클러스터로 구축하는 신뢰할 수 있는 로그 수집 인프라');
  });

  it('groups the DEVIEW talks by day, with time and track beside each title', () => {
    const deview = child(talks, undefined, 'DEVIEW 2018');
    const days = talks.getChildren(deview);
    assert.strictEqual(days.length, 2);
    assert.ok(days.every((node) => node.kind === 'day'));
    const [first, second] = days.map((day) => talks.getChildren(day).map((node) => label(talks, node)));
    assert.deepStrictEqual(first, ['쿠팡 서비스 클라우드 마이그레이션']);
    assert.strictEqual(second.length, 6, second.join(' | '));
    const druid = child(talks, days[1], 'Druid');
    assert.match(description(talks, druid), /^15:00 · Track 1\b/);
    assert.match(description(talks, child(talks, days[0], '쿠팡 서비스 클라우드 마이그레이션')), /^16:00\b/);
  });

  it('shows a talk\'s slides and video under it, and "open slides" opens the speakerdeck link', async () => {
    const line = child(talks, undefined, '2021 Line Developer Day');
    const talk = talkNodes(talks, line).find((node) => label(talks, node).startsWith('멀티 테넌트'))!;
    const links = talks.getChildren(talk).map((node) => label(talks, node));
    assert.deepStrictEqual([...links].sort(), ['Slides', 'Video'], `links: ${links.join(', ')}`);
    const opened: string[] = [];
    talks.setLinkOpener(async (uri) => {
      opened.push(uri.toString(true));
      return true;
    });
    const url = await vscode.commands.executeCommand<string>('vaultlink.talks.openSlides', talk);
    assert.match(url, /^https:\/\/speakerdeck\.com\/line_devday2021\/reliable-log-aggregation/);
    assert.deepStrictEqual(opened, [url]);
    const video = await vscode.commands.executeCommand<string>('vaultlink.talks.openVideo', talk);
    assert.match(video, /youtube\.com\/watch\?v=jXN0AhOt_8A/);
  });

  it('clicking a talk reveals its heading in the note', async () => {
    const deview = child(talks, undefined, 'DEVIEW 2018');
    const druid = talkNodes(talks, deview).find((node) => label(talks, node) === 'Druid')!;
    const command = talks.getTreeItem(druid).command!;
    await vscode.commands.executeCommand(command.command, ...(command.arguments ?? []));
    const editor = vscode.window.activeTextEditor!;
    assert.strictEqual(editor.document.uri.toString(), noteUri(DEVIEW_NOTE).toString());
    assert.strictEqual(editor.document.lineAt(editor.selection.active.line).text, '## 15:00, Track1, Druid');
  });

  it('copies the outline as a markdown table and exports it as CSV', async () => {
    const deview = child(talks, undefined, 'DEVIEW 2018');
    const table = await vscode.commands.executeCommand<string>('vaultlink.talks.copyOutline', deview);
    const rows = table.trim().split('\n');
    assert.strictEqual(rows.length, 2 + 7, table);
    assert.ok(rows.some((row) => /\| 15:00 \| Track 1 \| Druid \|/.test(row)), table);

    const target = noteUri('exported talks.csv');
    await vscode.commands.executeCommand('vaultlink.talks.export', deview, { format: 'csv', target });
    const csv = new TextDecoder().decode(await vscode.workspace.fs.readFile(target)).trim().split('\r\n');
    await vscode.workspace.fs.delete(target);
    assert.strictEqual(csv.length, 1 + 7);
    assert.match(csv[0], /^Conference,Day,Time,Track,Title,Speaker,Slides,Video,Page/);
    assert.ok(csv.some((row) => row.includes(',15:00,Track 1,Druid,')), csv.join('\n'));
  });

  it('filters by track, and clearing the filter brings every talk back', async () => {
    await vscode.commands.executeCommand('vaultlink.talks.filterByTrack', 'Track 1');
    const filtered = talkNodes(talks, child(talks, undefined, 'DEVIEW 2018')).map((node) => label(talks, node));
    assert.ok(filtered.includes('Druid') && !filtered.includes('대형 컨테이너 클러스터에서의 고가용성'), filtered.join(' | '));
    assert.ok(
      !talks.getChildren().some((node) => label(talks, node) === '2021 Line Developer Day'),
      'the Line note names no tracks, so none of its talks is on Track 1',
    );
    await vscode.commands.executeCommand('vaultlink.talks.clearFilter');
    assert.strictEqual(talkNodes(talks, child(talks, undefined, 'DEVIEW 2018')).length, 7);
  });

  it('updates as the user types a new talk heading', async () => {
    const editor = await openNote(DEVIEW_NOTE);
    const end = editor.document.lineAt(editor.document.lineCount - 1).range.end;
    await editor.edit((edit) => edit.insert(end, '\n\n## 17:00, Track2, Closing Remarks\n- [발표자료](https://www.slideshare.net/deview/closing)\n'));
    await poll(
      () => talkNodes(talks, child(talks, undefined, 'DEVIEW 2018')).map((node) => label(talks, node)),
      (labels) => labels.includes('Closing Remarks'),
      { what: 'the typed talk to appear in the tree' },
    );
    const closing = talkNodes(talks, child(talks, undefined, 'DEVIEW 2018')).find((node) => label(talks, node) === 'Closing Remarks')!;
    assert.match(description(talks, closing), /^17:00 · Track 2/);
    await vscode.commands.executeCommand('undo');
    await poll(
      () => talkNodes(talks, child(talks, undefined, 'DEVIEW 2018')).length,
      (count) => count === 7,
      { what: 'the tree to drop the talk after undo' },
    );
  });

  it('follows a conference note written, changed and deleted on disk while closed', async () => {
    const folder = vscode.workspace.workspaceFolders![0].uri;
    const target = vscode.Uri.joinPath(folder, 'PyCon KR 2019.md');
    const text = ['# PyCon KR 2019', '', '1일차, 19.08.17', '', '## 10:00, Track1, Async in Practice', '- [발표자료](https://speakerdeck.com/pycon/async)', '', '## 11:00, Track2, Typing at Scale', '- [영상](https://youtu.be/typing)', ''].join('\n');
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(text));
    try {
      const pycon = await poll(
        () => talks.getChildren().find((node) => label(talks, node) === 'PyCon KR 2019'),
        (node) => node !== undefined,
        { what: 'the note written on disk to appear in the Talks view' },
      );
      assert.deepEqual(
        talkNodes(talks, pycon!).map((node) => label(talks, node)),
        ['Async in Practice', 'Typing at Scale'],
      );
      // Changed on disk while closed (a sync or a git pull): same note count, new talk.
      await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(`${text}\n## 14:00, Track1, Packaging Today\n`));
      await poll(
        () => {
          const node = talks.getChildren().find((candidate) => label(talks, candidate) === 'PyCon KR 2019');
          return node ? talkNodes(talks, node).map((talk) => label(talks, talk)) : [];
        },
        (labels) => labels.includes('Packaging Today'),
        { what: 'the talk added on disk to appear' },
      );
    } finally {
      await vscode.workspace.fs.delete(target);
    }
    await poll(
      () => talks.getChildren().some((node) => label(talks, node) === 'PyCon KR 2019'),
      (present) => !present,
      { what: 'the deleted note to leave the Talks view' },
    );
  });

  it('shows the talks in the Outline with time and track', async () => {
    const symbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', noteUri(DEVIEW_NOTE));
    const all = (list: vscode.DocumentSymbol[]): vscode.DocumentSymbol[] => list.flatMap((symbol) => [symbol, ...all(symbol.children)]);
    const druid = all(symbols).find((symbol) => symbol.name.includes('Druid'));
    assert.ok(druid, 'no Druid symbol');
    assert.match(druid.detail, /15:00 · Track 1/);
  });
});

describe('insert / update table of contents', () => {
  before(async () => {
    await indexedVault();
  });

  it('writes a [[#Heading|Heading]] list into the DEVIEW note, once, as one undoable edit', async () => {
    const editor = await openNote(DEVIEW_NOTE);
    const original = editor.document.getText();
    assert.ok(await vscode.commands.executeCommand('vaultlink.insertTableOfContents'));
    const druidEntry = findLine(editor.document, (text) => text.includes('[[#15:00, Track1, Druid|'));
    assert.ok(druidEntry < findLine(editor.document, (text) => text === '## 15:00, Track1, Druid'), 'the table of contents comes before the talks');
    const once = editor.document.getText();
    assert.ok(await vscode.commands.executeCommand('vaultlink.insertTableOfContents'));
    assert.strictEqual(editor.document.getText(), once, 'a second run changed a current table of contents');
    await vscode.commands.executeCommand('undo');
    assert.strictEqual(editor.document.getText(), original, 'one undo should remove the table of contents');
  });

  it('leaves the Line note\'s current table of contents as it is', async () => {
    const editor = await openNote(LINE_NOTE);
    const version = editor.document.version;
    assert.ok(await vscode.commands.executeCommand('vaultlink.insertTableOfContents'));
    assert.strictEqual(editor.document.version, version);
  });
});
