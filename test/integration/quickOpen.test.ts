// Korean as a Korean user types it, in the real editor: `[[##` completion with
// initial consonants (through VS Code's own completion filter), and the quick-open
// commands driven as a person does (the command, its pick filled by the server,
// Enter).
import * as assert from 'assert';
import * as vscode from 'vscode';
import { LINE_NOTE, activateExtension, findLine, indexedVault, labelOf, noteUri, openNote, poll, restoreText } from './helpers';

interface QuickOpenApi {
  quickOpen: { state(): { value: string; labels: readonly string[]; busy: boolean } | undefined };
}

const HEADING = '멀티 테넌트 k8s 클러스터로 구축하는 신뢰할 수 있는 로그 수집 인프라';

describe('Korean search and quick open', () => {
  let api: QuickOpenApi;

  before(async () => {
    await indexedVault();
    api = (await activateExtension()) as unknown as QuickOpenApi;
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
  });

  it('[[##ㅁㅌ ㅌㄴㅌ offers the heading of the Line note first, and VS Code\'s filter keeps it', async () => {
    const editor = await openNote(LINE_NOTE);
    const original = editor.document.getText();
    try {
      const document = editor.document;
      const edit = new vscode.WorkspaceEdit();
      edit.insert(document.uri, document.lineAt(document.lineCount - 1).range.end, '\n[[##ㅁㅌ ㅌㄴㅌ');
      assert.ok(await vscode.workspace.applyEdit(edit));
      const position = document.lineAt(document.lineCount - 1).range.end;
      const list = await poll(
        async () => (await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', document.uri, position)) ?? new vscode.CompletionList([]),
        (found) => found.items.some((item) => labelOf(item) === HEADING),
        { what: `[[## completion offering ${HEADING}` },
      );
      const ours = list.items.filter((item) => item.detail?.startsWith('in '));
      assert.equal(labelOf(ours[0]), HEADING);
      // VS Code filters what a provider gives by the text from the item's range start to the
      // cursor (here `##ㅁㅌ ㅌㄴㅌ`), fuzzily against filterText: a filterText that starts with
      // exactly that text always matches, and every item scores alike, so sortText keeps our order.
      for (const item of ours) {
        const range = item.range instanceof vscode.Range ? item.range : item.range!.inserting;
        const typed = document.getText(new vscode.Range(range.start, position));
        assert.equal(typed, '##ㅁㅌ ㅌㄴㅌ');
        assert.ok(item.filterText?.startsWith(typed), `${labelOf(item)}: filterText ${item.filterText}`);
      }
      const accepted = new vscode.WorkspaceEdit();
      const first = ours[0];
      const range = first.range instanceof vscode.Range ? first.range : first.range!.replacing;
      accepted.replace(document.uri, range, typeof first.insertText === 'string' ? first.insertText : first.insertText!.value);
      assert.ok(await vscode.workspace.applyEdit(accepted));
      assert.equal(document.lineAt(document.lineCount - 1).text, `[[#${HEADING}]]`, 'a heading of this note links as [[#Heading]]');
    } finally {
      await restoreText(editor.document, original);
    }
  });

  /** Runs a quick-open command with `query` typed, waits for the server's items, and presses Enter. */
  async function pickFirst(command: string, query: string, expected: string): Promise<void> {
    void vscode.commands.executeCommand(command, { query });
    await poll(
      () => api.quickOpen.state(),
      (state) => !!state && state.value === query && !state.busy && state.labels[0] === expected,
      { what: `${command} "${query}" to list "${expected}" first` },
    );
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    await poll(() => api.quickOpen.state(), (state) => state === undefined, { what: 'the quick pick to close' });
  }

  it('Go to Heading in Vault with initials opens the note at the heading', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await pickFirst('vaultlink.quickOpen.heading', 'ㅁㅌ ㅌㄴㅌ', HEADING);
    const editor = await poll(() => vscode.window.activeTextEditor, (active) => active?.document.uri.toString() === noteUri(LINE_NOTE).toString(), { what: 'the Line note to open' });
    const line = findLine(editor!.document, (text) => text.startsWith('#') && text.includes(HEADING));
    assert.equal(editor!.selection.active.line, line);
  });

  it('Go to Talk finds a talk by a syllable still being composed', async () => {
    await pickFirst('vaultlink.quickOpen.talk', '네이버 검새', '네이버 검색과 개인화');
    const editor = await poll(() => vscode.window.activeTextEditor, (active) => !!active?.document.uri.path.endsWith('DEVIEW%202018.md') || !!active?.document.uri.fsPath.endsWith('DEVIEW 2018.md'), { what: 'the DEVIEW note to open' });
    assert.match(editor!.document.lineAt(editor!.selection.active.line).text, /네이버 검색과 개인화/);
  });

  it('Insert Link at Cursor writes the link where the cursor is', async () => {
    const editor = await openNote(LINE_NOTE);
    const original = editor.document.getText();
    try {
      const end = editor.document.lineAt(editor.document.lineCount - 1).range.end;
      await editor.edit((builder) => builder.insert(end, '\nSee '));
      const cursor = editor.document.lineAt(editor.document.lineCount - 1).range.end;
      editor.selection = new vscode.Selection(cursor, cursor);
      await pickFirst('vaultlink.quickOpen.insertLink', 'devie', 'DEVIEW 2018');
      await poll(() => editor.document.lineAt(editor.document.lineCount - 1).text, (text) => text === 'See [[DEVIEW 2018]]', { what: 'the link to be inserted' });
    } finally {
      await restoreText(editor.document, original);
    }
  });
});
