// `vaultlink/notesChangedOnDisk` for every view that wants it. A JSON-RPC
// method has one handler: a second `client.onNotification` for it replaces the
// first, so each view registering its own would leave only the last one
// hearing of notes changed on disk. The handler is registered once per client
// here, and views subscribe to the event.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { NotesChangedOnDiskNotification, type NotesChangedOnDiskParams } from './protocol';

const events = new WeakMap<LanguageClient, vscode.EventEmitter<NotesChangedOnDiskParams>>();

/** Fires with the notes created, changed or deleted on disk (not edits in the editor), as the server reports them. */
export function notesChangedOnDisk(context: vscode.ExtensionContext, client: LanguageClient): vscode.Event<NotesChangedOnDiskParams> {
  let emitter = events.get(client);
  if (!emitter) {
    const created = new vscode.EventEmitter<NotesChangedOnDiskParams>();
    emitter = created;
    events.set(client, created);
    context.subscriptions.push(created, client.onNotification(NotesChangedOnDiskNotification, (params) => created.fire(params)));
  }
  return emitter.event;
}
