// "Insert / Update Table of Contents": the server computes the edit (it knows
// the headings and how Obsidian matches them); the client applies it to the
// editor as one undoable step.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { TableOfContentsRequest } from './protocol';

export function registerTableOfContents(context: vscode.ExtensionContext, client: LanguageClient): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('vaultlink.insertTableOfContents', async (uri?: vscode.Uri) => {
      const editor = uri
        ? await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: false })
        : vscode.window.activeTextEditor;
      if (!editor || editor.document.languageId !== 'markdown') {
        void vscode.window.showInformationMessage('Open a markdown note to insert its table of contents.');
        return false;
      }
      const version = editor.document.version;
      const edits = await client.sendRequest(TableOfContentsRequest, { uri: editor.document.uri.toString() });
      if (!edits.length) {
        void vscode.window.setStatusBarMessage('Vaultlink: the table of contents is up to date', 3000);
        return true;
      }
      if (editor.document.version !== version) return false; // the user typed meanwhile; the edit would land in the wrong place
      return editor.edit((builder) => {
        for (const edit of edits) {
          builder.replace(new vscode.Range(edit.range.start.line, edit.range.start.character, edit.range.end.line, edit.range.end.character), edit.newText);
        }
      });
    }),
  );
}
