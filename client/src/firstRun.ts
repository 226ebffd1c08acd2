// The first run: the sample vault command the walkthrough offers, and what a
// person is told about a vault that is set up oddly (a broken
// .obsidian/app.json, a folder too large: the server finds these and sends them
// with its status; shown here once each) or a window with no folder.
import * as vscode from 'vscode';
import type { IndexStatus } from './protocol';

/** Where the packaged extension keeps the sample notes (.vscodeignore ships them). */
const SAMPLE_VAULT = ['examples', 'conference-notes'];

export interface OpenSampleVaultOptions {
  /** false: copy only, and return the folder (tests: opening a folder reloads the window). */
  readonly open?: boolean;
}

/**
 * `vaultlink.openSampleVault`: copies the sample notes out of the extension
 * (read-only once installed, and shared by every window) into the extension's
 * global storage, then opens that copy. A copy made earlier is opened as it
 * was left, so a person's edits to it survive.
 */
export function registerFirstRun(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('vaultlink.openSampleVault', async (options?: OpenSampleVaultOptions) => {
      const source = vscode.Uri.joinPath(context.extensionUri, ...SAMPLE_VAULT);
      const target = vscode.Uri.joinPath(context.globalStorageUri, 'Sample Vault');
      if (!(await exists(target))) {
        await vscode.workspace.fs.createDirectory(context.globalStorageUri);
        await vscode.workspace.fs.copy(source, target, { overwrite: false });
        // An empty .obsidian/ marks it a vault, as Obsidian would leave it.
        await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(target, '.obsidian'));
      }
      if (options?.open !== false) {
        await vscode.commands.executeCommand('vscode.openFolder', target, { forceNewWindow: (vscode.workspace.workspaceFolders?.length ?? 0) > 0 });
      }
      return target;
    }),
    vscode.commands.registerCommand('vaultlink.openWalkthrough', () =>
      vscode.commands.executeCommand('workbench.action.openWalkthrough', `${context.extension.id}#vaultlink.firstRun`, false),
    ),
  );
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

/** Shows each notice of the server's status once per window. */
export function vaultNoticeReporter(output: vscode.OutputChannel): (status: IndexStatus) => void {
  const shown = new Set<string>();
  return (status) => {
    for (const notice of status.notices ?? []) {
      const key = `${notice.kind} ${notice.uri} ${notice.message}`;
      if (shown.has(key)) continue;
      shown.add(key);
      output.appendLine(`${notice.uri}: ${notice.message}`);
      if (notice.kind === 'appJson') {
        void vscode.window.showWarningMessage(`Vaultlink: ${notice.message}`, 'Open app.json').then((picked) => {
          if (picked) void vscode.window.showTextDocument(vscode.Uri.parse(notice.uri, true));
        });
      } else {
        void vscode.window.showWarningMessage(`Vaultlink: ${notice.message}`, 'Exclude Folders…').then((picked) => {
          if (picked) void vscode.commands.executeCommand('workbench.action.openSettings', 'vaultlink.exclude');
        });
      }
    }
  };
}

/** The status bar's words when no folder is open: what Vaultlink does then, and what a folder adds. */
export const NO_FOLDER_TOOLTIP =
  'Vaultlink: no folder is open. Each note you open is checked within its vault (the folder above it holding .obsidian/, else its own folder). ' +
  'Open your vault\'s folder for problems across the whole vault and the Talks view, or run "Vaultlink: Open the Sample Vault".';
