// Folding, expand selection and following a link to a missing note, through
// VS Code's own commands on the sample vault: what the editor asks the server
// for when a user folds a section, presses Shift+Alt+→, or Ctrl+clicks a link.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { EXTENSION_ID, LINE_NOTE, findLine, indexedVault, noteUri, openNote, poll, vaultFolder } from './helpers';

function vaultlinkDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((diagnostic) => diagnostic.source === 'vaultlink');
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  return vscode.workspace.fs.stat(uri).then(
    () => true,
    () => false,
  );
}

describe('folding, expand selection, and creating a note by following its link', () => {
  const created: vscode.Uri[] = [];

  before(async () => {
    await indexedVault();
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const uri of created.reverse()) await vscode.workspace.fs.delete(uri, { recursive: true }).then(undefined, () => undefined);
  });

  it('folds the Line note: front matter, "# Opening Keynote" to its last line, a list item with its nested items', async () => {
    const { document } = await openNote(LINE_NOTE);
    const keynote = findLine(document, (text) => text === '# Opening Keynote');
    const nextTalk = findLine(document, (text) => text.startsWith('# 사용자 속성'));
    const hyper = findLine(document, (text) => text === '- 하이퍼 클로바');
    const ranges = await poll(
      async () => (await vscode.commands.executeCommand<vscode.FoldingRange[]>('vscode.executeFoldingRangeProvider', document.uri)) ?? [],
      (found) => found.some((range) => range.start === keynote),
      { what: 'folding ranges for the Line note' },
    );
    const has = (start: number, end: number) => ranges.some((range) => range.start === start && range.end === end);
    assert.ok(has(0, 4), 'the front matter');
    assert.ok(has(keynote, nextTalk - 2), `# Opening Keynote to line ${nextTalk - 1}, before the blank line and the next talk`);
    assert.ok(has(hyper, hyper + 6), '- 하이퍼 클로바 and its six nested items');
  });

  it('folds a callout and a %% comment block, which only Vaultlink knows', async () => {
    const uri = noteUri('Folding check.md');
    created.push(uri);
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode('# Folding\n\n> [!warning]- Careful\n> line\n> line\n\n%%\ndraft\n- commented\n%%\nend\n'));
    const { document } = await openNote('Folding check.md');
    const ranges = await poll(
      async () => (await vscode.commands.executeCommand<vscode.FoldingRange[]>('vscode.executeFoldingRangeProvider', document.uri)) ?? [],
      (found) => found.some((range) => range.start === 6),
      { what: 'folding ranges for a new note' },
    );
    assert.ok(ranges.some((range) => range.start === 2 && range.end === 4), 'the callout');
    assert.ok(ranges.some((range) => range.start === 6 && range.end === 9 && range.kind === vscode.FoldingRangeKind.Comment), 'the %% comment, as a comment');
  });

  it('expands a selection in a table-of-contents link: heading, target, link, line', async () => {
    const { document } = await openNote(LINE_NOTE);
    const link = '[[#Opening Keynote|Opening Keynote]]';
    const line = findLine(document, (text) => text.includes(link));
    const start = document.lineAt(line).text.indexOf(link);
    const position = new vscode.Position(line, start + '[[#Open'.length);
    const [selection] = await vscode.commands.executeCommand<vscode.SelectionRange[]>('vscode.executeSelectionRangeProvider', document.uri, [position]);
    const texts: string[] = [];
    for (let step: vscode.SelectionRange | undefined = selection; step; step = step.parent) texts.push(document.getText(step.range));
    for (const wanted of ['Opening Keynote', '#Opening Keynote', link, `- ${link}`]) assert.ok(texts.includes(wanted), `"${wanted}" not among the steps: ${JSON.stringify(texts.slice(0, 8))}`);
    assert.ok(texts.indexOf('#Opening Keynote') < texts.indexOf(link), 'the target before the whole link');
  });

  it('colours ==highlight== by default in light and dark themes (the configuration default VS Code took from package.json)', () => {
    type Customizations = Record<string, { textMateRules?: Array<{ scope: string; settings: { foreground?: string } }> }>;
    const defaults = vscode.workspace.getConfiguration('editor').inspect<Customizations>('tokenColorCustomizations')?.defaultValue;
    for (const themes of ['[*Light*]', '[*Dark*]']) {
      const rule = defaults?.[themes]?.textMateRules?.find((candidate) => candidate.scope === 'markup.highlight.content.vaultlink');
      assert.match(rule?.settings.foreground ?? '', /^#[0-9a-f]{6}$/i, `${themes}: ${JSON.stringify(defaults)}`);
    }
  });

  it('clicking [[Missing#Heading]] creates the note in the folder app.json names, with the heading, and opens it', async () => {
    const appJson = vscode.Uri.joinPath(vaultFolder().uri, '.obsidian', 'app.json');
    created.push(vscode.Uri.joinPath(vaultFolder().uri, '.obsidian'));
    await vscode.workspace.fs.writeFile(appJson, new TextEncoder().encode('{"newFileLocation":"folder","newFileFolderPath":"inbox"}'));
    const linker = noteUri('Wants an idea.md');
    created.push(linker, vscode.Uri.joinPath(vaultFolder().uri, 'inbox'));
    await vscode.workspace.fs.writeFile(linker, new TextEncoder().encode('# Ideas\n\nNext: [[Brand new idea#First steps]].\n'));
    const { document } = await openNote('Wants an idea.md');
    await poll(() => vaultlinkDiagnostics(linker), (found) => found.length === 1, { what: 'the missing-note problem' });

    // The link the editor underlines; Ctrl+click opens its target, here a command: URI.
    const links = await poll(
      async () => (await vscode.commands.executeCommand<vscode.DocumentLink[]>('vscode.executeLinkProvider', document.uri)) ?? [],
      (found) => found.some((link) => link.target?.scheme === 'command' && link.tooltip === 'Create note "inbox/Brand new idea.md"'),
      { what: 'a document link that creates inbox/Brand new idea.md (app.json read)' },
    );
    const target = links.find((link) => link.target?.scheme === 'command')!.target!;
    assert.strictEqual(target.path, 'vaultlink.createNote');
    const newNote = vscode.Uri.joinPath(vaultFolder().uri, 'inbox', 'Brand new idea.md');
    assert.ok(!(await exists(newNote)), 'nothing is created before the click');
    // What VS Code's opener does with a command: URI: the query is the JSON array of arguments.
    await vscode.commands.executeCommand(target.path, ...(JSON.parse(target.query) as unknown[]));

    assert.ok(await exists(newNote), 'the note is on disk');
    assert.strictEqual(new TextDecoder().decode(await vscode.workspace.fs.readFile(newNote)), '# First steps\n');
    assert.strictEqual(vscode.window.activeTextEditor?.document.uri.toString(), newNote.toString(), 'the new note is open');
    await poll(() => vaultlinkDiagnostics(linker), (found) => found.length === 0, { what: 'the link to resolve, heading included' });
    assert.ok(!(await exists(noteUri('Brand new idea.md'))), 'not at the vault root');
  });

  it('F12 on [[Missing]] creates the note as a click does; F12 on a link that resolves goes to its target', async () => {
    const linker = noteUri('F12 check.md');
    const newNote = vscode.Uri.joinPath(vaultFolder().uri, 'inbox', 'Made by F12.md');
    created.push(linker);
    await vscode.workspace.fs.writeFile(linker, new TextEncoder().encode('# F12\n\nSee [[Made by F12]] and [[#F12]].\n'));
    const editor = await openNote('F12 check.md');
    await poll(() => vaultlinkDiagnostics(linker), (found) => found.length === 1, { what: 'the missing-note problem' });
    const keybinding = (vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON as { contributes?: { keybindings?: Array<{ command: string; key: string }> } }).contributes?.keybindings;
    assert.ok(keybinding?.some((binding) => binding.command === 'vaultlink.goToDefinition' && binding.key === 'f12'), 'F12 runs it in notes');

    const onHeadingLink = new vscode.Position(2, editor.document.lineAt(2).text.indexOf('[[#F12]]') + 4);
    editor.selection = new vscode.Selection(onHeadingLink, onHeadingLink);
    await vscode.commands.executeCommand('vaultlink.goToDefinition');
    await poll(() => vscode.window.activeTextEditor?.selection.active.line, (line) => line === 0, { what: 'Go to Definition to reach the # F12 heading' });
    assert.ok(!(await exists(newNote)));

    const onMissing = new vscode.Position(2, 8);
    editor.selection = new vscode.Selection(onMissing, onMissing);
    await vscode.commands.executeCommand('vaultlink.goToDefinition');
    assert.ok(await exists(newNote), 'F12 created inbox/Made by F12.md');
    assert.strictEqual(vscode.window.activeTextEditor?.document.uri.toString(), newNote.toString());
    assert.strictEqual(new TextDecoder().decode(await vscode.workspace.fs.readFile(newNote)), '', 'an empty note, as Obsidian creates one');
    await poll(() => vaultlinkDiagnostics(linker), (found) => found.length === 0, { what: 'the link to resolve' });
  });
});
