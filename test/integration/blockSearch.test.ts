// `[[^^` as an Obsidian user meets it in the real editor: a block of another note found
// by its text (Korean initials), accepted as VS Code accepts a suggestion (the item's
// edit, then its command), so the link is written here and the block gets its id there.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { DEVIEW_NOTE, LINE_NOTE, indexedVault, labelOf, noteUri, openNote, poll, restoreText } from './helpers';

const BLOCK = '만료된 서비스부터 먼저 이동한다';

describe('[[^^ block search across notes', () => {
  it('accepting another note\'s block links it as [[Note#^id]] and writes ^id on its line there', async () => {
    await indexedVault();
    const editor = await openNote(LINE_NOTE);
    const original = editor.document.getText();
    const other = await vscode.workspace.openTextDocument(noteUri(DEVIEW_NOTE));
    const otherOriginal = other.getText();
    try {
      const document = editor.document;
      const edit = new vscode.WorkspaceEdit();
      edit.insert(document.uri, document.lineAt(document.lineCount - 1).range.end, '\n[[^^ㅁㄹㄷ ㅅㅂㅅ');
      assert.ok(await vscode.workspace.applyEdit(edit));
      const position = document.lineAt(document.lineCount - 1).range.end;
      // The first `[[^^` starts reading the vault's block texts; VS Code asks again as the list is incomplete.
      const list = await poll(
        async () => (await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', document.uri, position)) ?? new vscode.CompletionList([]),
        (found) => found.items.some((item) => labelOf(item) === BLOCK),
        { what: `[[^^ completion offering ${BLOCK}` },
      );
      const item = list.items.find((candidate) => labelOf(candidate) === BLOCK)!;
      assert.ok(item.command, 'a block without an id carries the command that gives it one');
      const range = item.range instanceof vscode.Range ? item.range : item.range!.replacing;
      const accepted = new vscode.WorkspaceEdit();
      accepted.replace(document.uri, range, typeof item.insertText === 'string' ? item.insertText : item.insertText!.value);
      assert.ok(await vscode.workspace.applyEdit(accepted));
      await vscode.commands.executeCommand(item.command.command, ...(item.command.arguments ?? []));

      const link = document.lineAt(document.lineCount - 1).text;
      const id = /^\[\[DEVIEW 2018#\^([a-z0-9]{6})\]\]$/.exec(link)?.[1];
      assert.ok(id, link);
      const blockLine = otherOriginal.split('\n').findIndex((line) => line.includes(BLOCK));
      await poll(() => other.lineAt(blockLine).text, (text) => text.endsWith(` ^${id}`), { what: `line ${blockLine + 1} of ${DEVIEW_NOTE} to end with ^${id}` });
      assert.equal(other.lineAt(blockLine).text, `${otherOriginal.split('\n')[blockLine].trimEnd()} ^${id}`);
      assert.equal(other.getText().split(`^${id}`).length, 2, 'the id is written once');
      const definition = await vscode.commands.executeCommand<Array<vscode.Location | vscode.LocationLink>>('vscode.executeDefinitionProvider', document.uri, new vscode.Position(document.lineCount - 1, 5));
      assert.ok(definition.length > 0, 'the new link resolves');
    } finally {
      await restoreText(editor.document, original);
      await restoreText(other, otherOriginal);
    }
  });
});
