// Registers the Backlinks view and its commands: following the active editor,
// refreshing as notes change (in the editor or on disk), opening a link or
// mention, "Link it" on an unlinked mention (the server computed the edit; it
// is applied here), and the command the "N backlinks" code lens runs.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { notesChangedOnDisk } from '../notesChangedOnDisk';
import type { WireRange } from '../protocol';
import { BacklinkTreeProvider, type BacklinkTreeNode, type MentionNode } from './backlinksTree';

export interface BacklinksView {
  readonly provider: BacklinkTreeProvider;
  readonly treeView: vscode.TreeView<BacklinkTreeNode>;
  /** Settles once the view has asked the server again for the active note. */
  refresh(): Promise<void>;
}

/** Quiet time after typing before the view asks again (an edit anywhere may add or remove a backlink). */
const REFRESH_AFTER_TYPING_MS = 400;

export function registerBacklinksView(context: vscode.ExtensionContext, client: LanguageClient, output: vscode.OutputChannel): BacklinksView {
  const provider = new BacklinkTreeProvider(client);
  const treeView = vscode.window.createTreeView('vaultlink.backlinks', { treeDataProvider: provider, showCollapseAll: true });
  const report = (error: unknown) => output.appendLine(`Backlinks: ${error instanceof Error ? error.message : String(error)}`);

  const activeNote = (): string | undefined => {
    const document = vscode.window.activeTextEditor?.document;
    if (document && document.languageId === 'markdown' && document.uri.scheme === 'file') return document.uri.toString();
    // Focus in the view itself or in a panel leaves no active editor: keep showing the last note.
    return vscode.window.activeTextEditor ? undefined : provider.uri;
  };

  const showTitle = () => {
    const name = provider.backlinks?.name;
    treeView.description = name;
    treeView.message = provider.uri === undefined ? 'Open a note to see its backlinks.' : provider.backlinks === null ? 'This file is not a note of the vault.' : undefined;
  };

  const refresh = (): Promise<void> =>
    provider.show(activeNote()).then(showTitle, (error) => {
      report(error);
    });

  /** Automatic refreshes only while the view is visible: hidden, it asks nothing (it refreshes when shown). */
  const refreshIfVisible = () => (treeView.visible ? refresh() : Promise.resolve());
  let typingTimer: ReturnType<typeof setTimeout> | undefined;
  const refreshSoon = () => {
    if (!treeView.visible) return;
    clearTimeout(typingTimer);
    typingTimer = setTimeout(() => void refresh(), REFRESH_AFTER_TYPING_MS);
  };

  const open = async (uri: string, range?: WireRange) => {
    const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(uri));
    const selection = range ? new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character) : undefined;
    const editor = await vscode.window.showTextDocument(document, { preview: true, selection });
    if (selection) editor.revealRange(selection, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  };

  context.subscriptions.push(
    provider,
    treeView,
    vscode.window.onDidChangeActiveTextEditor(() => void refreshIfVisible()),
    treeView.onDidChangeVisibility((event) => event.visible && void refresh()),
    vscode.workspace.onDidChangeTextDocument((event) => event.contentChanges.length && event.document.languageId === 'markdown' && refreshSoon()),
    // Notes written by something else (git, sync, another editor): their links may point here.
    notesChangedOnDisk(context, client)(() => refreshSoon()),
    vscode.commands.registerCommand('vaultlink.backlinks.refresh', refresh),
    vscode.commands.registerCommand('vaultlink.backlinks.open', open),
    vscode.commands.registerCommand('vaultlink.backlinks.linkMention', async (node: MentionNode | undefined) => {
      if (!node || node.linked || !('edit' in node.mention)) return false;
      const mention = node.mention;
      const uri = vscode.Uri.parse(node.uri);
      const document = await vscode.workspace.openTextDocument(uri);
      const range = new vscode.Range(mention.edit.range.start.line, mention.edit.range.start.character, mention.edit.range.end.line, mention.edit.range.end.character);
      // The search ran on an earlier text: an edit since would put the link in the wrong place.
      if (document.getText(range) !== mention.text) {
        void vscode.window.showInformationMessage(`The mention in ${vscode.workspace.asRelativePath(uri)} has changed; the list is refreshed.`);
        await refresh();
        return false;
      }
      const wasDirty = document.isDirty;
      const edit = new vscode.WorkspaceEdit();
      edit.replace(uri, range, mention.edit.newText);
      const applied = await vscode.workspace.applyEdit(edit);
      // A note that had no unsaved changes is saved, as a rename saves the notes it edits.
      if (applied && !wasDirty) await document.save();
      await refresh();
      return applied;
    }),
    // Run by the "N backlinks" code lens: the server sends plain JSON, VS Code's command wants its own types.
    vscode.commands.registerCommand('vaultlink.showBacklinks', async (uri: string, position: { line: number; character: number }, locations: Array<{ uri: string; range: WireRange }>) => {
      const toRange = (range: WireRange) => new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character);
      await vscode.commands.executeCommand(
        'editor.action.showReferences',
        vscode.Uri.parse(uri),
        new vscode.Position(position.line, position.character),
        locations.map((location) => new vscode.Location(vscode.Uri.parse(location.uri), toRange(location.range))),
      );
    }),
  );

  return { provider, treeView, refresh };
}
