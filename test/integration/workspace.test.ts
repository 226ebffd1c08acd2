// Sanity checks of the host itself, independent of the extension: they tell a
// broken launcher (wrong folder, wrong VS Code) apart from a broken extension.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { DEVIEW_NOTE, LINE_NOTE, vaultFolder } from './helpers';

describe('test host', () => {
  it('runs a VS Code the extension supports (engines.vscode ^1.90.0)', () => {
    const [major, minor] = vscode.version.split('.').map(Number);
    assert.ok(major === 1 && minor >= 90, `VS Code ${vscode.version}`);
  });

  it('has the sample vault copy open as the workspace folder', async () => {
    const entries = await vscode.workspace.fs.readDirectory(vaultFolder().uri);
    const names = entries.map(([name]) => name);
    assert.ok(names.includes(LINE_NOTE), `folder holds: ${names.join(', ')}`);
    assert.ok(names.includes(DEVIEW_NOTE), `folder holds: ${names.join(', ')}`);
  });
});
