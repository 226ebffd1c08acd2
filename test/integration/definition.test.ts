// Go to definition on a table-of-contents link to a heading in the same note.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { LINE_NOTE, findLine, indexedVault, openNote } from './helpers';

describe('definition', () => {
  before(async () => {
    await indexedVault();
  });

  it('[[#Opening Keynote|Opening Keynote]] goes to the "# Opening Keynote" heading', async () => {
    const editor = await openNote(LINE_NOTE);
    const document = editor.document;
    const link = '[[#Opening Keynote|Opening Keynote]]';
    const linkLine = findLine(document, (text) => text.includes(link));
    const headingLine = findLine(document, (text) => text === '# Opening Keynote');
    // Inside the link target, on "Keynote".
    const column = document.lineAt(linkLine).text.indexOf(link) + '[[#Opening Key'.length;
    const results = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>(
      'vscode.executeDefinitionProvider',
      document.uri,
      new vscode.Position(linkLine, column),
    );
    assert.ok(results && results.length > 0, `no definition for the link on line ${linkLine + 1}`);
    const targets = results.map((result) =>
      result instanceof vscode.Location
        ? { uri: result.uri, line: result.range.start.line }
        : { uri: result.targetUri, line: (result.targetSelectionRange ?? result.targetRange).start.line },
    );
    assert.ok(
      targets.some((target) => target.uri.toString() === document.uri.toString() && target.line === headingLine),
      `expected ${document.uri.path}:${headingLine + 1}, got ${targets.map((t) => `${t.uri.path}:${t.line + 1}`).join(', ')}`,
    );
  });
});
