// `vaultlink/notesChangedOnDisk` for every view that wants it. A JSON-RPC
// method has one handler: a second `client.onNotification` for it replaces the
// first, so each view registering its own would leave only the last one
// hearing of notes changed on disk. The handler is registered once per client
// here, and views subscribe to the event.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { FilesChangedNotification, NotesChangedOnDiskNotification, type FilesChangedParams, type NotesChangedOnDiskParams } from './protocol';

const events = new WeakMap<LanguageClient, vscode.EventEmitter<NotesChangedOnDiskParams>>();
const fileEvents = new WeakMap<LanguageClient, vscode.EventEmitter<FilesChangedParams>>();

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

/** Fires with the files (any kind) whose creation, change or deletion the server has applied to its index: ask it again now, not on a file watcher of the client's own, which can fire first. */
export function filesChangedOnServer(context: vscode.ExtensionContext, client: LanguageClient): vscode.Event<FilesChangedParams> {
  let emitter = fileEvents.get(client);
  if (!emitter) {
    const created = new vscode.EventEmitter<FilesChangedParams>();
    emitter = created;
    fileEvents.set(client, created);
    context.subscriptions.push(created, client.onNotification(FilesChangedNotification, (params) => created.fire(params)));
  }
  return emitter.event;
}
