// Hover over an image embed, workspace symbols (Ctrl+T) over the whole vault,
// and renaming a tag everywhere, in the real editor.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { LINE_NOTE, findLine, indexedVault, noteUri, openNote, poll } from './helpers';
import { gradientPng } from './png';

function hoverTexts(hovers: readonly vscode.Hover[] | undefined): string[] {
  return (hovers ?? []).flatMap((hover) => hover.contents.map((content) => (typeof content === 'string' ? content : 'value' in content ? content.value : '')));
}

describe('hover over an image, workspace symbols, tag rename', () => {
  const image = () => noteUri('vaultlink-hover-fixture.png');
  const imageNote = () => noteUri('Hover image.md');
  const tagged = () => noteUri('Tagged notes.md');
  const alsoTagged = () => noteUri('More tagged notes.md');

  before(async () => {
    await indexedVault();
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const uri of [image(), imageNote(), tagged(), alsoTagged()]) await vscode.workspace.fs.delete(uri).then(undefined, () => undefined);
  });

  it('hover over an existing image embed shows the image itself, from a file: URI', async () => {
    await vscode.workspace.fs.writeFile(image(), gradientPng(120, 60));
    await vscode.workspace.fs.writeFile(imageNote(), new TextEncoder().encode('# Hover image\n\n![[vaultlink-hover-fixture.png]]\n'));
    const document = await vscode.workspace.openTextDocument(imageNote());
    await vscode.window.showTextDocument(document);
    const texts = await poll(
      async () => hoverTexts(await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, new vscode.Position(2, 8))),
      (found) => found.some((text) => text.includes('](file:')),
      { what: 'a hover with the image' },
    );
    const imageMarkdown = texts.find((text) => text.includes('](file:'))!;
    assert.match(imageMarkdown, /!\[[^\]]*vaultlink-hover-fixture\.png\]\(file:\/\/[^)]*vaultlink-hover-fixture\.png\)/);
  });

  it('workspace symbols find a heading of a note that is not open, and notes by name', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const symbols = await poll(
      async () => (await vscode.commands.executeCommand<vscode.SymbolInformation[]>('vscode.executeWorkspaceSymbolProvider', 'Zero-Downtime Kubernetes')) ?? [],
      (found) => found.length > 0,
      { what: 'workspace symbols for "Zero-Downtime Kubernetes"' },
    );
    const heading = symbols.find((symbol) => symbol.name === 'Zero-Downtime Kubernetes Cluster Upgrade Solution');
    assert.ok(heading, `symbols: ${symbols.map((symbol) => symbol.name).join(' | ')}`);
    assert.strictEqual(heading.location.uri.toString(), noteUri(LINE_NOTE).toString());
    const notes = (await vscode.commands.executeCommand<vscode.SymbolInformation[]>('vscode.executeWorkspaceSymbolProvider', 'DEVIEW 2018')) ?? [];
    assert.ok(
      notes.some((symbol) => symbol.name === 'DEVIEW 2018' && symbol.location.uri.toString() === noteUri('DEVIEW 2018.md').toString()),
      `symbols: ${notes.map((symbol) => symbol.name).join(' | ')}`,
    );
  });

  it('F2 on a tag renames it in every note, nested tags and front matter included', async () => {
    await vscode.workspace.fs.writeFile(tagged(), new TextEncoder().encode('# Tagged\n\nA #vaultlink-fixture and a nested #vaultlink-fixture/child tag.\n'));
    await vscode.workspace.fs.writeFile(alsoTagged(), new TextEncoder().encode('---\ntags: [vaultlink-fixture]\n---\n# More\n'));
    const editor = await openNote('Tagged notes.md');
    const line = findLine(editor.document, (text) => text.includes('#vaultlink-fixture'));
    const column = editor.document.lineAt(line).text.indexOf('#vaultlink-fixture') + 3;
    const edit = await poll(
      async () => vscode.commands.executeCommand<vscode.WorkspaceEdit | undefined>('vscode.executeDocumentRenameProvider', editor.document.uri, new vscode.Position(line, column), 'renamed-fixture'),
      (result) => !!result && result.has(alsoTagged()),
      { what: 'a tag rename that reaches the other note' },
    );
    assert.ok(await vscode.workspace.applyEdit(edit!));
    assert.strictEqual(editor.document.lineAt(line).text, 'A #renamed-fixture and a nested #renamed-fixture/child tag.');
    const other = await vscode.workspace.openTextDocument(alsoTagged());
    assert.strictEqual(other.lineAt(1).text, 'tags: [renamed-fixture]');
    await vscode.workspace.saveAll(false);
  });
});
