// The Backlinks view and the "N backlinks" code lens in the real editor, for
// the Line Developer Day note, with notes written on disk that link to it and
// name it.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { LINE_NOTE, indexedVault, noteUri, openNote, poll, type VaultlinkApi } from './helpers';

/** What the extension's API gives of the Backlinks view, as the tree shows it. */
interface BacklinkNodeLike {
  readonly kind: string;
}
interface BacklinksApi {
  getChildren(node?: BacklinkNodeLike): Promise<BacklinkNodeLike[]>;
  getTreeItem(node: BacklinkNodeLike): vscode.TreeItem;
  refresh(): Promise<void>;
  readonly uri: string | undefined;
}

function backlinksOf(api: VaultlinkApi): BacklinksApi {
  const backlinks = (api as unknown as { backlinks?: BacklinksApi }).backlinks;
  assert.ok(backlinks, 'the extension API has no backlinks view');
  return backlinks;
}

function label(view: BacklinksApi, node: BacklinkNodeLike): string {
  const item = view.getTreeItem(node);
  return typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
}

async function group(view: BacklinksApi, name: string): Promise<BacklinkNodeLike> {
  const groups = await view.getChildren();
  const found = groups.find((node) => label(view, node) === name);
  assert.ok(found, `no "${name}" group; found: ${groups.map((node) => label(view, node)).join(', ')}`);
  return found;
}

/** The labels under a group, and under each of its note nodes. */
async function outline(view: BacklinksApi, name: string): Promise<Array<[string, string[]]>> {
  const notes = await view.getChildren(await group(view, name));
  return Promise.all(notes.map(async (note) => [label(view, note), (await view.getChildren(note)).map((child) => label(view, child))] as [string, string[]]));
}

async function lensTitles(uri: vscode.Uri): Promise<Array<{ title: string; line: number }>> {
  const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? [];
  return lenses.filter((lens) => lens.command?.title.endsWith('backlinks') || lens.command?.title.endsWith('backlink')).map((lens) => ({ title: lens.command!.title, line: lens.range.start.line }));
}

describe('backlinks view and code lens', () => {
  let view: BacklinksApi;
  const recap = () => noteUri('Backlinks recap.md');
  const mention = () => noteUri('talks/Backlinks mention.md');
  const firstHeadingLine = (document: vscode.TextDocument) => document.getText().split(/\r?\n/).findIndex((line) => line.startsWith('# '));

  before(async () => {
    const { api } = await indexedVault();
    view = backlinksOf(api);
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const uri of [recap(), mention()]) await vscode.workspace.fs.delete(uri).then(undefined, () => undefined);
  });

  it('the code lens says "0 backlinks" above the first heading of the Line note, on the first request', async () => {
    const editor = await openNote(LINE_NOTE);
    const lenses = await lensTitles(editor.document.uri);
    assert.deepStrictEqual(lenses, [{ title: '0 backlinks', line: firstHeadingLine(editor.document) }]);
  });

  it('follows notes written on disk that link to the Line note: the lens, then the view', async () => {
    await vscode.workspace.fs.writeFile(recap(), new TextEncoder().encode('# Backlinks recap\n\nWent to [[2021 Line Developer Day]], see [[2021 Line Developer Day#Opening Keynote|the keynote]].\n'));
    await vscode.workspace.fs.writeFile(mention(), new TextEncoder().encode('# Mention\n\nI keep thinking about 2021 Line Developer Day.\n'));
    const editor = await openNote(LINE_NOTE);
    await poll(() => lensTitles(editor.document.uri), (lenses) => lenses[0]?.title === '2 backlinks', { what: 'the lens to count the two links of the new note' });
    await view.refresh();
    assert.strictEqual(view.uri, editor.document.uri.toString(), 'the view follows the active note');
    const groups = (await view.getChildren()).map((node) => label(view, node));
    assert.deepStrictEqual(groups, ['Linked mentions', 'Unlinked mentions', 'Outgoing links']);
    assert.deepStrictEqual(await outline(view, 'Linked mentions'), [
      ['Backlinks recap', ['Went to [[2021 Line Developer Day]], see [[2021 Line Developer Day#Opening Keynote|the keynote]].', 'Went to [[2021 Line Developer Day]], see [[2021 Line Developer Day#Opening Keynote|the keynote]].']],
    ]);
    assert.deepStrictEqual(await outline(view, 'Unlinked mentions'), [['Backlinks mention', ['I keep thinking about 2021 Line Developer Day.']]]);
    const outgoing = await view.getChildren(await group(view, 'Outgoing links'));
    // The note's image embeds (43 in the sample vault), none of whose images is there; its table of contents links within the note.
    assert.ok(outgoing.length >= 40, `${outgoing.length} outgoing links`);
    const mlops = outgoing.find((node) => label(view, node) === 'What_mlops.png');
    assert.ok(mlops, 'What_mlops.png is among the outgoing links');
    assert.strictEqual(view.getTreeItem(mlops).description, 'broken');
  });

  it('a click on a linked mention opens the linking note at the link', async () => {
    const [note] = await view.getChildren(await group(view, 'Linked mentions'));
    const [first] = await view.getChildren(note);
    const command = view.getTreeItem(first).command;
    assert.ok(command, 'a linked mention has a command');
    await vscode.commands.executeCommand(command.command, ...(command.arguments ?? []));
    const editor = vscode.window.activeTextEditor;
    assert.strictEqual(editor?.document.uri.toString(), recap().toString());
    assert.strictEqual(editor.document.getText(editor.selection), '[[2021 Line Developer Day]]');
  });

  it('"Link It" turns the unlinked mention into a link, which becomes a backlink', async () => {
    await openNote(LINE_NOTE);
    await view.refresh();
    const [note] = await view.getChildren(await group(view, 'Unlinked mentions'));
    const [unlinked] = await view.getChildren(note);
    assert.strictEqual(view.getTreeItem(unlinked).contextValue, 'unlinkedMention');
    assert.strictEqual(await vscode.commands.executeCommand('vaultlink.backlinks.linkMention', unlinked), true);
    const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(mention()));
    assert.strictEqual(text, '# Mention\n\nI keep thinking about [[2021 Line Developer Day]].\n', 'the note is saved with the link');
    await openNote(LINE_NOTE);
    await poll(
      async () => {
        await view.refresh();
        return (await outline(view, 'Linked mentions')).map(([name]) => name);
      },
      (names) => names.join() === 'Backlinks recap,Backlinks mention',
      { what: 'the linked note among the linked mentions' },
    );
    assert.deepStrictEqual(await outline(view, 'Unlinked mentions'), [['No note mentions 2021 Line Developer Day without a link.', []]]);
  });
});
