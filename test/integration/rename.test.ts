// Rename in the real editor: F2 on a heading updates the links to it in other
// notes; moving a note in the explorer updates the links to the note.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { DEVIEW_NOTE, findLine, indexedVault, noteUri, openNote, poll } from './helpers';

describe('rename', () => {
  const linker = () => noteUri('Druid links.md');

  before(async () => {
    await indexedVault();
    await vscode.workspace.fs.writeFile(linker(), new TextEncoder().encode('# Druid links\n\n[[DEVIEW 2018#15:00, Track1, Druid]]\n'));
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace.fs.delete(linker()).then(undefined, () => undefined);
  });

  it('F2 on a heading renames it and the link to it in another note', async () => {
    const deview = await openNote(DEVIEW_NOTE);
    const line = findLine(deview.document, (text) => text === '## 15:00, Track1, Druid');
    const edit = await poll(
      async () => vscode.commands.executeCommand<vscode.WorkspaceEdit | undefined>('vscode.executeDocumentRenameProvider', deview.document.uri, new vscode.Position(line, 20), '15:00, Track1, Apache Druid'),
      (result) => !!result && result.has(linker()),
      { what: 'a rename edit that reaches the linking note' },
    );
    assert.ok(await vscode.workspace.applyEdit(edit!, { isRefactoring: true }));
    assert.strictEqual(deview.document.lineAt(line).text, '## 15:00, Track1, Apache Druid');
    const linking = await vscode.workspace.openTextDocument(linker());
    assert.strictEqual(linking.lineAt(2).text, '[[DEVIEW 2018#15 00, Track1, Apache Druid]]');
    await vscode.workspace.saveAll(false);
  });

  it('moving a note into a folder rewrites the links to it', async () => {
    const moved = noteUri('talks/DEVIEW 2018.md');
    const edit = new vscode.WorkspaceEdit();
    edit.renameFile(noteUri(DEVIEW_NOTE), moved);
    assert.ok(await vscode.workspace.applyEdit(edit, { isRefactoring: true }));
    try {
      const linking = await vscode.workspace.openTextDocument(linker());
      await poll(() => linking.lineAt(2).text, (text) => text.startsWith('[[talks/DEVIEW 2018#'), { what: 'the link to follow the moved note' });
    } finally {
      const back = new vscode.WorkspaceEdit();
      back.renameFile(moved, noteUri(DEVIEW_NOTE));
      await vscode.workspace.applyEdit(back);
    }
  });
});
