import * as vscode from 'vscode';
import {
  CloseAction,
  ErrorAction,
  TransportKind,
  type CloseHandlerResult,
  type ErrorHandlerResult,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';

import { VaultlinkLanguageClient, recordedOutputChannel } from './languageClient';
import { registerAttachmentPasteAndDrop } from './paste/attachments';
import type { PasteEditProvider } from './paste/pasteApi';
import { registerBacklinksView } from './backlinks/backlinksView';
import type { BacklinkTreeNode } from './backlinks/backlinksTree';
import { FollowLinkRequest, IndexStatusNotification, ReindexRequest, type FollowLinkResult, type IndexStatus } from './protocol';
import { NO_FOLDER_TOOLTIP, registerFirstRun, vaultNoticeReporter } from './firstRun';
import { filesChangedOnServer } from './notesChangedOnDisk';
import { PreviewLinkCache } from './preview/previewLinks';
import { registerQuickOpen, type QuickOpenState } from './quickOpen';
import { registerTableOfContents } from './tableOfContents';
import { registerTalksView, type LinkOpener } from './talks/talksView';
import type { ScheduleState } from './talks/scheduleView';
import type { TalkTreeNode } from './talks/talkTree';

/** What the extension returns from `activate`, for tests and other extensions. */
export interface VaultlinkApi {
  /** Resolves once the server has indexed the workspace (again, after a re-index). */
  whenIndexed(): Promise<{ notes: number; attachments: number }>;
  /** The Talks view's data, as its tree shows it. */
  readonly talks: {
    getChildren(node?: TalkTreeNode): TalkTreeNode[];
    getTreeItem(node: TalkTreeNode): import('vscode').TreeItem;
    refresh(): Promise<void>;
    /** Replaces how talk links are opened outside the editor (tests use it to stay offline). */
    setLinkOpener(opener: LinkOpener): void;
    /** What the schedule panel of a note shows and what its script drew (`vaultlink.talks.showSchedule` opens it). */
    schedule(uri: string): ScheduleState | undefined;
  };
  /** VS Code's markdown preview calls this (`contributes.markdown.markdownItPlugins`) to draw Obsidian notes. */
  extendMarkdownIt: PreviewLinkCache['extendMarkdownIt'];
  /** The latest lines of the Vaultlink output (what a user reads after a restart). */
  outputLines(): readonly string[];
  /** The paste and drop providers of images and files, as VS Code calls them (tests cannot put an image on the clipboard). */
  readonly attachments: {
    /** Undefined where VS Code has no paste API (before 1.97). */
    readonly paste: PasteEditProvider | undefined;
    readonly drop: import('vscode').DocumentDropEditProvider;
  };
  /** The Backlinks view's data, as its tree shows it, for the note it follows. */
  readonly backlinks: {
    getChildren(node?: BacklinkTreeNode): Promise<BacklinkTreeNode[]>;
    getTreeItem(node: BacklinkTreeNode): import('vscode').TreeItem;
    /** Asks the server again for the active note. */
    refresh(): Promise<void>;
    /** The note shown. */
    readonly uri: string | undefined;
  };
  /** The open quick pick of the Vaultlink quick-open commands (value and items), for tests. */
  readonly quickOpen: { state(): QuickOpenState | undefined };
}

const MAX_RESTARTS = 5;
const RESTART_WINDOW_MS = 3 * 60 * 1000;

let client: VaultlinkLanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<VaultlinkApi> {
  const recorded = recordedOutputChannel(vscode.window.createOutputChannel('Vaultlink'));
  const output = recorded.channel;
  const statusItem = vscode.window.createStatusBarItem('vaultlink.status', vscode.StatusBarAlignment.Right, 100);
  statusItem.name = 'Vaultlink';
  statusItem.command = 'vaultlink.reindex';
  context.subscriptions.push(output, statusItem);
  registerFirstRun(context);
  const reportNotices = vaultNoticeReporter(output);

  let status: IndexStatus = { state: 'indexing', notes: 0, attachments: 0 };
  let indexed = deferred<IndexStatus>();
  const showStatus = () => {
    if (status.state === 'indexing') {
      statusItem.text = '$(sync~spin) Vaultlink';
      statusItem.tooltip = 'Vaultlink is indexing the notes of this workspace';
    } else {
      statusItem.text = `$(notebook) ${status.notes.toLocaleString()} notes`;
      const took = status.milliseconds === undefined ? '' : ` in ${(status.milliseconds / 1000).toFixed(1)} s`;
      statusItem.tooltip = `Vaultlink: ${status.notes} notes and ${status.attachments} other files indexed${took}. Click to re-index.`;
    }
    if (!vscode.workspace.workspaceFolders?.length) statusItem.tooltip = NO_FOLDER_TOOLTIP;
    statusItem.show();
  };
  showStatus();

  const serverModule = context.asAbsolutePath('dist/server/main.js');
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6011'] } },
  };

  const restarts: number[] = [];
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ language: 'markdown', scheme: 'file' }],
    outputChannel: output,
    // clientCommands: commands the server may put in code actions (see README, "Custom messages").
    // cacheDirectory: the parse cache lives in the extension's own storage, never in the vault.
    // In Restricted Mode the fix that creates and reveals a folder is not offered (package.json capabilities.untrustedWorkspaces);
    // creating the note of a clicked link stays, as the "Create note" quick fix does: an edit the user asked for.
    initializationOptions: { settings: vscode.workspace.getConfiguration('vaultlink'), clientCommands: vscode.workspace.isTrusted ? ['vaultlink.revealFolder', 'vaultlink.createNote'] : ['vaultlink.createNote'], cacheDirectory: context.globalStorageUri.fsPath },
    errorHandler: {
      error: (): ErrorHandlerResult => ({ action: ErrorAction.Continue }),
      closed: (): CloseHandlerResult => {
        const now = Date.now();
        restarts.push(now);
        while (restarts.length && now - restarts[0] > RESTART_WINDOW_MS) restarts.shift();
        if (restarts.length > MAX_RESTARTS) {
          return { action: CloseAction.DoNotRestart, message: `Vaultlink's language server stopped ${restarts.length} times in 3 minutes and will not be restarted. See the Vaultlink output, then run "Vaultlink: Restart Language Server".`, handled: false };
        }
        void vscode.window.showWarningMessage("Vaultlink's language server stopped unexpectedly and is being restarted.");
        return { action: CloseAction.Restart, handled: true };
      },
    },
  };

  /** Set once the views exist: a JSON-RPC method has one handler, so the status handler calls them. */
  const onIndexed: { views?: () => void } = {};
  client = new VaultlinkLanguageClient('vaultlink', 'Vaultlink', serverOptions, clientOptions);
  context.subscriptions.push(
    client.onNotification(IndexStatusNotification, (next) => {
      status = next;
      showStatus();
      if (next.state === 'ready') {
        reportNotices(next);
        indexed.resolve(next);
        onIndexed.views?.();
      }
      else if (indexed.settled) indexed = deferred<IndexStatus>();
    }),
    vscode.commands.registerCommand('vaultlink.reindex', async () => {
      if (!client) return;
      if (indexed.settled) indexed = deferred<IndexStatus>();
      status = await client.sendRequest(ReindexRequest);
      showStatus();
      indexed.resolve(status);
      void vscode.window.setStatusBarMessage(`Vaultlink: indexed ${status.notes} notes`, 3000);
    }),
    vscode.commands.registerCommand('vaultlink.restartServer', async () => {
      if (!client) return;
      indexed = deferred<IndexStatus>();
      restarts.length = 0;
      // Stopped cleanly (shutdown, exit, the process gone) before the new one starts: its end is no error.
      if (client.isRunning()) await client.stop();
      await client.start();
    }),
    vscode.commands.registerCommand('vaultlink.showOutput', () => output.show()),
    vscode.commands.registerCommand('vaultlink.revealFolder', async (folder: string) => {
      // Only from the quick fix the user picked: making the attachments folder is what they asked for.
      if (!vscode.workspace.isTrusted) {
        void vscode.window.showInformationMessage('Vaultlink creates folders only in a trusted workspace (Restricted Mode).');
        return undefined;
      }
      const uri = vscode.Uri.parse(folder, true);
      await vscode.workspace.fs.createDirectory(uri);
      await vscode.commands.executeCommand('workbench.view.explorer');
      const root = vscode.workspace.workspaceFolders?.find((workspaceFolder) => workspaceFolder.uri.toString() === uri.toString());
      if (root && vscode.workspace.workspaceFolders?.length === 1) {
        // A single folder's root has no row of its own to select: its files are the top level, shown with every folder collapsed.
        await vscode.commands.executeCommand('workbench.files.action.collapseExplorerFolders');
        await vscode.commands.executeCommand('workbench.files.action.focusFilesExplorer');
      } else {
        // Expands the folders on the way, selects the folder and focuses it.
        await vscode.commands.executeCommand('revealInExplorer', uri);
      }
      return uri;
    }),
    // Run by clicking a link to a missing note (its document link is a command: URI): the server says
    // which note and how to create it (in the folder .obsidian/app.json names); the click is the user's ask.
    vscode.commands.registerCommand('vaultlink.createNote', async (noteUri: string, position: { line: number; character: number }) => {
      if (!client) return undefined;
      const followed = await client.sendRequest(FollowLinkRequest, { uri: noteUri, position });
      if (!followed) {
        void vscode.window.showWarningMessage('Vaultlink: there is no note to create for this link (its name is one a file cannot have, or it would be outside the vault).');
        return undefined;
      }
      return openFollowedLink(followed);
    }),
    // F12 in a note: on a link to a missing note, create it as a click would; anywhere else, VS Code's own
    // Go to Definition. (The definition request itself never creates anything: Ctrl+hover asks it too.)
    vscode.commands.registerCommand('vaultlink.goToDefinition', async () => {
      const editor = vscode.window.activeTextEditor;
      const followed = client && editor?.document.languageId === 'markdown' ? await client.sendRequest(FollowLinkRequest, { uri: editor.document.uri.toString(), position: editor.selection.active }) : null;
      if (followed?.edit) return openFollowedLink(followed);
      await vscode.commands.executeCommand('editor.action.revealDefinition');
      return undefined;
    }),
  );

  // Trusting the folder turns on what Restricted Mode left out: the server learns it at its start.
  context.subscriptions.push(vscode.workspace.onDidGrantWorkspaceTrust(() => void vscode.commands.executeCommand('vaultlink.restartServer')));

  await client.start();
  const talksView = registerTalksView(context, client, output);
  registerTableOfContents(context, client);
  const previewLinks = new PreviewLinkCache(client, filesChangedOnServer(context, client));
  context.subscriptions.push(previewLinks);
  const attachments = registerAttachmentPasteAndDrop(context, client, output);
  const backlinksView = registerBacklinksView(context, client, output);
  onIndexed.views = () => {
    void talksView.refresh();
    void backlinksView.refresh();
  };
  const quickOpen = registerQuickOpen(context, client);
  if (status.state === 'ready') onIndexed.views();
  return {
    quickOpen: { state: () => quickOpen.state() },
    talks: {
      getChildren: (node) => talksView.provider.getChildren(node),
      getTreeItem: (node) => talksView.provider.getTreeItem(node),
      refresh: () => talksView.refresh(),
      setLinkOpener: (opener) => talksView.setLinkOpener(opener),
      schedule: (uri) => talksView.schedule.stateOf(uri),
    },
    extendMarkdownIt: (md) => previewLinks.extendMarkdownIt(md),
    attachments,
    outputLines: recorded.lines,
    backlinks: {
      getChildren: (node) => backlinksView.provider.getChildren(node),
      getTreeItem: (node) => backlinksView.provider.getTreeItem(node),
      refresh: () => backlinksView.refresh(),
      get uri() {
        return backlinksView.provider.uri;
      },
    },
    whenIndexed: async () => {
      const { notes, attachments } = await indexed.promise;
      return { notes, attachments };
    },
  };
}

/** Opens the note a followed link leads to, creating it first with the server's edit when it is missing; its URI, or undefined when it could not be created. */
async function openFollowedLink(followed: FollowLinkResult): Promise<string | undefined> {
  const target = vscode.Uri.parse(followed.uri, true);
  if (followed.edit && client) {
    const edit = await client.protocol2CodeConverter.asWorkspaceEdit(followed.edit);
    if (!(await vscode.workspace.applyEdit(edit))) {
      void vscode.window.showErrorMessage(`Vaultlink could not create "${followed.relativePath ?? target.fsPath}".`);
      return undefined;
    }
  }
  const document = await vscode.workspace.openTextDocument(target);
  // Saved at once, as Obsidian does: the note exists from the click on.
  if (document.isDirty) await document.save();
  const editor = await vscode.window.showTextDocument(document);
  const end = document.lineAt(document.lineCount - 1).range.end;
  editor.selection = new vscode.Selection(end, end);
  return target.toString();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}

interface Deferred<T> {
  readonly promise: Promise<T>;
  readonly settled: boolean;
  resolve(value: T): void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let settled = false;
  const promise = new Promise<T>((r) => (resolve = r));
  return {
    promise,
    get settled() {
      return settled;
    },
    resolve(value) {
      settled = true;
      resolve(value);
    },
  };
}
