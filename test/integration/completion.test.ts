// Completion inside wiki links, as a person typing into the note would get it.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { LINE_NOTE, indexedVault, labelOf, noteUri, openNote, poll, restoreText, withTimeout } from './helpers';

const ATTACHMENT = 'vaultlink-completion-fixture.png';
const isAttachment = (label: string) => /\.(png|jpe?g|gif|svg|webp|pdf)$/i.test(label);

describe('completion', () => {
  let editor: vscode.TextEditor;
  let original: string;

  before(async () => {
    await indexedVault();
    editor = await openNote(LINE_NOTE);
    original = editor.document.getText();
  });

  afterEach(async () => {
    await restoreText(editor.document, original);
  });

  /**
   * Types `text` on a new last line of the note and asks for completions right
   * after it, retrying until `expected` labels are all offered.
   */
  async function completeAfter(text: string, expected: string[]): Promise<vscode.CompletionItem[]> {
    const document = editor.document;
    const end = document.lineAt(document.lineCount - 1).range.end;
    const edit = new vscode.WorkspaceEdit();
    edit.insert(document.uri, end, `\n${text}`);
    assert.ok(await vscode.workspace.applyEdit(edit), 'edit was not applied');
    const position = document.lineAt(document.lineCount - 1).range.end;
    const trigger = text.slice(-1);
    const list = await poll(
      async () =>
        (await vscode.commands.executeCommand<vscode.CompletionList>(
          'vscode.executeCompletionItemProvider',
          document.uri,
          position,
          trigger,
        )) ?? new vscode.CompletionList([]),
      (found) => expected.every((label) => found.items.some((item) => labelOf(item) === label)),
      { what: `completions after ${JSON.stringify(text)} to include ${JSON.stringify(expected)}` },
    );
    return list.items;
  }

  it('[[ offers the notes of the vault', async () => {
    const items = await completeAfter('[[', ['DEVIEW 2018']);
    assert.ok(items.some((item) => labelOf(item) === 'DEVIEW 2018'));
  });

  it('[[# offers the headings of the current note', async () => {
    const items = await completeAfter('[[#', ['Opening Keynote', 'LINT: HTTP/2와 TLS를 통한 네트워크 현대화']);
    const labels = items.map(labelOf);
    assert.ok(!labels.includes('DEVIEW 2018'), `a note was offered among headings: ${JSON.stringify(labels.slice(0, 20))}`);
  });

  describe('![[ (embeds)', () => {
    before(async () => {
      // The vault ships no attachments; add one and re-index so there is one to offer.
      await vscode.workspace.fs.writeFile(noteUri(ATTACHMENT), new Uint8Array([0x89, 0x50, 0x4e, 0x47]));
      const { api } = await indexedVault();
      await vscode.commands.executeCommand('vaultlink.reindex');
      await withTimeout(api.whenIndexed(), 30_000, 'whenIndexed() after reindex');
    });

    after(async () => {
      await vscode.workspace.fs.delete(noteUri(ATTACHMENT)).then(undefined, () => undefined);
    });

    it('offers attachments first, then notes', async () => {
      const items = await completeAfter('![[', [ATTACHMENT, 'DEVIEW 2018']);
      // Ordered as the suggest widget orders them for an empty prefix.
      const ordered = [...items].sort((a, b) => (a.sortText ?? labelOf(a)).localeCompare(b.sortText ?? labelOf(b)));
      const labels = ordered.map(labelOf);
      const lastAttachment = Math.max(...labels.map((label, i) => (isAttachment(label) ? i : -1)));
      const firstNote = labels.indexOf('DEVIEW 2018');
      assert.ok(lastAttachment >= 0 && lastAttachment < firstNote, `order: ${JSON.stringify(labels.slice(0, 20))}`);
    });
  });
});
