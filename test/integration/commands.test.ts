// The extension's contributed commands.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { indexedVault, withTimeout } from './helpers';

describe('commands', () => {
  it('registers vaultlink.reindex and vaultlink.restartServer', async () => {
    await indexedVault();
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('vaultlink.reindex'), 'vaultlink.reindex is not registered');
    assert.ok(commands.includes('vaultlink.restartServer'), 'vaultlink.restartServer is not registered');
  });

  it('vaultlink.reindex re-indexes the vault and whenIndexed() resolves again', async () => {
    const { api } = await indexedVault();
    await withTimeout(Promise.resolve(vscode.commands.executeCommand('vaultlink.reindex')), 30_000, 'vaultlink.reindex');
    const counts = await withTimeout(api.whenIndexed(), 30_000, 'whenIndexed() after reindex');
    // The vault copy holds exactly two notes.
    assert.strictEqual(counts.notes, 2, `counts: ${JSON.stringify(counts)}`);
    assert.strictEqual(typeof counts.attachments, 'number');
  });
});
