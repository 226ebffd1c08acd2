// "Vaultlink: Restart Language Server" as a user runs it: the old server is
// stopped cleanly before the new one starts, so the Vaultlink output shows no
// error, and the new server indexes the vault and answers.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { LINE_NOTE, activateExtension, indexedVault, noteUri, poll, withTimeout } from './helpers';

interface LoggingApi {
  whenIndexed(): Promise<{ notes: number; attachments: number }>;
  outputLines(): readonly string[];
}

describe('restarting the language server', () => {
  it('stops the old server cleanly (no error in the output) and the new one answers', async () => {
    await indexedVault();
    const api = (await activateExtension()) as unknown as LoggingApi;
    const before = api.outputLines().length;
    await withTimeout(Promise.resolve(vscode.commands.executeCommand('vaultlink.restartServer')), 30_000, 'vaultlink.restartServer');
    await withTimeout(api.whenIndexed(), 30_000, 'whenIndexed() after the restart');
    // Once the old process's exit has been seen (it may come after the new server started).
    const logged = await poll(
      () => api.outputLines().slice(before),
      (lines) => lines.some((line) => line.includes('The language server stopped, as asked.')) && lines.some((line) => /Indexed \d+ notes/.test(line)),
      { what: 'the old server to exit and the new one to index' },
    );
    assert.deepStrictEqual(logged.filter((line) => /\[Error\b/.test(line)), [], `the output after the restart:\n${logged.join('\n')}`);
    const uri = noteUri(LINE_NOTE);
    const symbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', uri);
    assert.ok(symbols?.some((symbol) => symbol.name === 'Opening Keynote'), 'the restarted server does not answer');
  });
});
