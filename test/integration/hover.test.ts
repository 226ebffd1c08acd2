// Hover over a table-of-contents link: a preview of the heading's section, in the real editor.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { LINE_NOTE, findLine, indexedVault, openNote } from './helpers';

describe('hover', () => {
  before(async () => {
    await indexedVault();
  });

  it('over [[#Opening Keynote|Opening Keynote]] previews the "# Opening Keynote" section', async () => {
    const editor = await openNote(LINE_NOTE);
    const document = editor.document;
    const link = '[[#Opening Keynote|Opening Keynote]]';
    const line = findLine(document, (text) => text.includes(link));
    const column = document.lineAt(line).text.indexOf(link) + '[[#Open'.length;
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, new vscode.Position(line, column));
    const texts = hovers.flatMap((hover) => hover.contents.map((content) => (typeof content === 'string' ? content : 'value' in content ? content.value : '')));
    assert.ok(
      texts.some((text) => /^# Opening Keynote/m.test(text)),
      `no preview of the section among ${texts.length} hover parts: ${texts.join(' | ').slice(0, 300)}`,
    );
  });
});
