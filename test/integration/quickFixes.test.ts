// The Problems panel as users act on it: problems of notes that are not open,
// quick fixes applied through VS Code's own code action command, and links in
// one note breaking and healing as a heading in another note is edited.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { DEVIEW_NOTE, codeOf, findLine, indexedVault, noteUri, openNote, poll } from './helpers';

function vaultlinkDiagnostics(uri: vscode.Uri, code?: string): vscode.Diagnostic[] {
  return vscode.languages
    .getDiagnostics(uri)
    .filter((diagnostic) => diagnostic.source === 'vaultlink' && (code === undefined || codeOf(diagnostic) === code));
}

async function writeNote(name: string, text: string): Promise<vscode.Uri> {
  const uri = noteUri(name);
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
  return uri;
}

async function quickFixes(uri: vscode.Uri, diagnostic: vscode.Diagnostic): Promise<vscode.CodeAction[]> {
  const actions = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>(
    'vscode.executeCodeActionProvider',
    uri,
    diagnostic.range,
    vscode.CodeActionKind.QuickFix.value,
  );
  return (actions ?? []).filter((action): action is vscode.CodeAction => 'edit' in action || 'kind' in action);
}

describe('quick fixes and vault-wide problems', () => {
  const created: vscode.Uri[] = [];

  before(async () => {
    await indexedVault();
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const uri of created) await vscode.workspace.fs.delete(uri).then(undefined, () => undefined);
  });

  it('shows the problems of a note created on disk and never opened', async () => {
    const uri = await writeNote('Unopened links.md', '# Unopened\n\nSee [[DEVIEW 2019]].\n');
    created.push(uri);
    const found = await poll(
      () => vaultlinkDiagnostics(uri, 'link.missing-note'),
      (diagnostics) => diagnostics.length === 1,
      { what: 'a link.missing-note diagnostic for a note that is not open' },
    );
    assert.match(found[0].message, /DEVIEW 2019/);
    assert.ok(
      !vscode.workspace.textDocuments.some((document) => document.uri.toString() === uri.toString()),
      'the note was opened; this test is about notes that are not',
    );
  });

  it('"Change to DEVIEW 2018" fixes a misspelt note link, and the problem goes', async () => {
    const uri = await writeNote('Typo link.md', '# Typo\n\nThe talks of [[DEVIEW 2019]].\n');
    created.push(uri);
    const editor = await openNote('Typo link.md');
    const [diagnostic] = await poll(
      () => vaultlinkDiagnostics(uri, 'link.missing-note'),
      (diagnostics) => diagnostics.length === 1,
      { what: 'the missing-note diagnostic' },
    );
    const actions = await quickFixes(uri, diagnostic);
    const change = actions.find((action) => action.title === 'Change to "DEVIEW 2018"');
    assert.ok(change?.edit, `no "Change to" fix; offered: ${actions.map((action) => action.title).join(' | ')}`);
    assert.ok(await vscode.workspace.applyEdit(change.edit));
    assert.strictEqual(editor.document.lineAt(2).text, 'The talks of [[DEVIEW 2018]].');
    await poll(() => vaultlinkDiagnostics(uri), (diagnostics) => diagnostics.length === 0, { what: 'no problem left in the note' });
  });

  it('"Reveal the vault folder" for a missing image runs in the editor and changes no note', async () => {
    const line = noteUri('2021 Line Developer Day.md');
    await openNote('2021 Line Developer Day.md');
    const [diagnostic] = await poll(() => vaultlinkDiagnostics(line, 'link.missing-image'), (found) => found.length > 0, { what: 'a missing image' });
    const reveal = (await quickFixes(line, diagnostic)).find((action) => action.title.startsWith('Reveal the vault folder'));
    assert.ok(reveal?.command, 'no "Reveal" fix for a missing image');
    assert.strictEqual(reveal.edit, undefined);
    const shown = await vscode.commands.executeCommand<vscode.Uri>(reveal.command.command, ...(reveal.command.arguments ?? []));
    assert.strictEqual(shown.toString(), vscode.workspace.workspaceFolders![0].uri.toString());
  });

  it('"Create note" makes the missing note, and the link resolves', async () => {
    const uri = await writeNote('Wants a note.md', '# Wants\n\nNotes on [[Hallway track]].\n');
    created.push(uri);
    await openNote('Wants a note.md');
    const [diagnostic] = await poll(
      () => vaultlinkDiagnostics(uri, 'link.missing-note'),
      (diagnostics) => diagnostics.length === 1,
      { what: 'the missing-note diagnostic' },
    );
    const create = (await quickFixes(uri, diagnostic)).find((action) => action.title.startsWith('Create note'));
    assert.ok(create?.edit, 'no "Create note" fix');
    // As the light bulb applies it: a refactoring, which VS Code saves (files.refactoring.autoSave).
    assert.ok(await vscode.workspace.applyEdit(create.edit, { isRefactoring: true }));
    const newNote = noteUri('Hallway track.md');
    created.push(newNote);
    const document = await vscode.workspace.openTextDocument(newNote);
    assert.strictEqual(document.getText(), '', 'an empty note, as Obsidian creates one from a link');
    if (document.isDirty) await document.save();
    await poll(() => vaultlinkDiagnostics(uri), (diagnostics) => diagnostics.length === 0, { what: 'the link to resolve' });
  });

  it('editing a heading breaks the links to it in other notes, and undoing heals them', async () => {
    const linker = await writeNote('Links to Druid.md', '# Druid notes\n\nSee [[DEVIEW 2018#15:00, Track1, Druid]].\n');
    created.push(linker);
    await poll(() => vaultlinkDiagnostics(linker), (diagnostics) => diagnostics.length === 0, { what: 'the heading link to resolve first' });

    const deview = await openNote(DEVIEW_NOTE);
    const line = findLine(deview.document, (text) => text === '## 15:00, Track1, Druid');
    const druid = deview.document.lineAt(line).range;
    await deview.edit((edit) => edit.replace(druid, '## 15:00, Track1, Apache Druid'));
    await poll(
      () => vaultlinkDiagnostics(linker, 'link.missing-heading'),
      (diagnostics) => diagnostics.length === 1,
      { what: 'the link in the other note to break while the heading is edited' },
    );
    await vscode.commands.executeCommand('undo');
    assert.strictEqual(deview.document.lineAt(line).text, '## 15:00, Track1, Druid');
    await poll(() => vaultlinkDiagnostics(linker), (diagnostics) => diagnostics.length === 0, { what: 'the link to heal after undo' });
    assert.ok(!deview.document.isDirty, 'undo should leave the DEVIEW note as it was on disk');
  });
});
