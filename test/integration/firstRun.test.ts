// The first run (issue 16): the sample vault command copies the notes the
// package ships into a writable place, and a copy made earlier keeps what was
// changed in it. Run against the installed .vsix (runIntegration --installed),
// this proves the sample notes are in the package.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { activateExtension, EXTENSION_ID } from './helpers';

const decoder = new TextDecoder();

async function notesIn(folder: vscode.Uri): Promise<Map<string, string>> {
  const notes = new Map<string, string>();
  for (const [name, type] of await vscode.workspace.fs.readDirectory(folder)) {
    if (type === vscode.FileType.File && name.endsWith('.md')) notes.set(name, decoder.decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(folder, name))));
  }
  return notes;
}

describe('first run', () => {
  it('Open the Sample Vault copies the shipped notes outside the extension, as a vault', async () => {
    await activateExtension();
    const extension = vscode.extensions.getExtension(EXTENSION_ID)!;
    const copy = await vscode.commands.executeCommand<vscode.Uri>('vaultlink.openSampleVault', { open: false });
    assert.ok(copy instanceof vscode.Uri, `the command returned ${String(copy)}`);
    assert.ok(!copy.fsPath.startsWith(extension.extensionUri.fsPath), `the copy ${copy.fsPath} is inside the extension`);
    const shipped = await notesIn(vscode.Uri.joinPath(extension.extensionUri, 'examples', 'conference-notes'));
    assert.deepEqual([...shipped.keys()].sort(), ['2021 Line Developer Day.md', 'DEVIEW 2018.md']);
    assert.deepEqual(await notesIn(copy), shipped);
    assert.equal((await vscode.workspace.fs.stat(vscode.Uri.joinPath(copy, '.obsidian'))).type, vscode.FileType.Directory);
  });

  it('opens an earlier copy as it was left', async () => {
    const copy = await vscode.commands.executeCommand<vscode.Uri>('vaultlink.openSampleVault', { open: false });
    const mine = vscode.Uri.joinPath(copy, 'My note.md');
    await vscode.workspace.fs.writeFile(mine, new TextEncoder().encode('# Mine\n'));
    const again = await vscode.commands.executeCommand<vscode.Uri>('vaultlink.openSampleVault', { open: false });
    assert.equal(again.toString(), copy.toString());
    assert.equal(decoder.decode(await vscode.workspace.fs.readFile(mine)), '# Mine\n');
  });

  it('contributes the walkthrough and its commands', async () => {
    const commands = await vscode.commands.getCommands(true);
    for (const command of ['vaultlink.openSampleVault', 'vaultlink.openWalkthrough', 'workbench.action.openWalkthrough']) assert.ok(commands.includes(command), command);
    const walkthroughs = (vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as { contributes: { walkthroughs?: Array<{ id: string; steps: unknown[] }> } }).contributes.walkthroughs;
    assert.equal(walkthroughs?.[0]?.id, 'vaultlink.firstRun');
  });
});
