// Paste and drop of images and files into a note, as Obsidian does it: the
// server says where each file goes (the folder `.obsidian/app.json` names,
// Obsidian's `Pasted image YYYYMMDDHHmmss.png` naming) and what link to write
// (`vaultlink/attachmentTarget`); the client only gathers the files from the
// paste or drop and writes their bytes, as part of the edit VS Code applies
// (one undo), and only inside the workspace.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { AttachmentTargetRequest, type AttachmentSource } from '../protocol';
import { pasteApi, type PasteEdit, type PasteEditProvider } from './pasteApi';

/** What VS Code hands over for files: every file item, the explorer's URI lists, any image. */
const FILE_MIME_TYPES = ['files', 'text/uri-list', 'image/*'];

/** A file of the paste or drop, and how to get its bytes. */
interface IncomingFile {
  readonly source: AttachmentSource;
  readonly file?: vscode.DataTransferFile;
  readonly uri?: vscode.Uri;
}

export interface AttachmentEdit {
  /** The links, one per line. */
  readonly insertText: string;
  /** The files to create, with their bytes; empty when every file was in the vault already. */
  readonly additionalEdit: vscode.WorkspaceEdit;
}

/** The paste provider (for tests, which cannot put an image on the clipboard) and the registrations. */
export interface AttachmentProviders {
  readonly paste: PasteEditProvider | undefined;
  readonly drop: vscode.DocumentDropEditProvider;
}

export function registerAttachmentPasteAndDrop(context: vscode.ExtensionContext, client: LanguageClient, output: vscode.OutputChannel): AttachmentProviders {
  const selector: vscode.DocumentSelector = [{ language: 'markdown', scheme: 'file' }];
  const edits = (document: vscode.TextDocument, files: IncomingFile[], token: vscode.CancellationToken) => attachmentEdit(client, document, files, token, output);

  const drop: vscode.DocumentDropEditProvider = {
    async provideDocumentDropEdits(document, _position, dataTransfer, token) {
      const edit = await edits(document, await incomingFiles(dataTransfer, false), token);
      if (!edit) return undefined;
      const dropEdit = new vscode.DocumentDropEdit(edit.insertText);
      dropEdit.additionalEdit = edit.additionalEdit;
      return dropEdit;
    },
  };
  // The 1.97 metadata (a third argument) is ignored by older versions.
  const registerDrop = vscode.languages.registerDocumentDropEditProvider as (selector: vscode.DocumentSelector, provider: vscode.DocumentDropEditProvider, metadata?: unknown) => vscode.Disposable;
  context.subscriptions.push(registerDrop(selector, drop, { dropMimeTypes: FILE_MIME_TYPES }));

  const api = pasteApi();
  if (!api) {
    output.appendLine('This VS Code has no document paste API (before 1.97): pasted images are not saved to the attachments folder; dropping files works.');
    return { paste: undefined, drop };
  }
  const kind = api.emptyKind.append('markdown', 'link', 'vaultlink');
  const paste: PasteEditProvider = {
    async provideDocumentPasteEdits(document, _ranges, dataTransfer, _context, token): Promise<PasteEdit[] | undefined> {
      const edit = await edits(document, await incomingFiles(dataTransfer, true), token);
      if (!edit || token.isCancellationRequested) return undefined;
      const pasteEdit = api.createEdit(edit.insertText, 'Save to the attachments folder and link (Obsidian)', kind);
      pasteEdit.additionalEdit = edit.additionalEdit;
      return [pasteEdit];
    },
  };
  context.subscriptions.push(api.register(selector, paste, { providedPasteEditKinds: [kind], pasteMimeTypes: FILE_MIME_TYPES }));
  return { paste, drop };
}

/**
 * The files in a paste or drop: file items first (a screenshot on the
 * clipboard, files from the desktop), else the `file:` URIs of a URI list (the
 * explorer). Image data pasted without a file behind it gets Obsidian's
 * `Pasted image …` name from the server, whatever name the browser made up.
 */
async function incomingFiles(dataTransfer: vscode.DataTransfer, pasted: boolean): Promise<IncomingFile[]> {
  const files: IncomingFile[] = [];
  for (const [mimeType, item] of dataTransfer) {
    const file = item.asFile();
    if (!file) continue;
    const nameless = pasted && !file.uri && mimeType.startsWith('image/');
    const uri = file.uri && onDisk(file.uri);
    files.push({ source: { name: nameless ? undefined : file.name, sourceUri: uri?.toString(), mimeType }, file, uri });
  }
  if (files.length) return files;
  const list = await dataTransfer.get('text/uri-list')?.asString();
  for (const line of (list ?? '').split(/\r?\n/)) {
    const text = line.trim();
    if (!text || text.startsWith('#')) continue;
    let parsed: vscode.Uri;
    try {
      parsed = vscode.Uri.parse(text, true);
    } catch {
      continue;
    }
    const uri = onDisk(parsed);
    if (!uri) continue;
    files.push({ source: { name: uri.path.slice(uri.path.lastIndexOf('/') + 1), sourceUri: uri.toString() }, uri });
  }
  return files;
}

/**
 * A URI of a file on the extension host's disk, or undefined. The explorer of
 * a remote window (code-server) lists `vscode-remote://host/path`, which is the
 * host's `file:///path`.
 */
function onDisk(uri: vscode.Uri): vscode.Uri | undefined {
  if (uri.scheme === 'file') return uri;
  if (uri.scheme === 'vscode-remote') return vscode.Uri.file(uri.path);
  return undefined;
}

/** Asks the server where the files go, and builds the edit that writes them and inserts their links. */
async function attachmentEdit(client: LanguageClient, document: vscode.TextDocument, files: IncomingFile[], token: vscode.CancellationToken, output: vscode.OutputChannel): Promise<AttachmentEdit | undefined> {
  if (!files.length || !client.isRunning()) return undefined;
  let targets;
  try {
    targets = await client.sendRequest(AttachmentTargetRequest, { uri: document.uri.toString(), files: files.map((file) => file.source) }, token);
  } catch (error) {
    output.appendLine(`Vaultlink could not place the pasted or dropped files: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
  const links: string[] = [];
  const additionalEdit = new vscode.WorkspaceEdit();
  for (const [index, target] of targets.entries()) {
    if (!target || token.isCancellationRequested) continue;
    const file = files[index];
    if (target.targetUri) {
      const uri = vscode.Uri.parse(target.targetUri, true);
      // The server never names a place outside the vault; the writer checks once more that it is in the workspace.
      if (!insideWorkspace(uri)) {
        output.appendLine(`Vaultlink refused to write ${uri.toString()}: it is outside the workspace.`);
        continue;
      }
      const contents = file.file ? await file.file.data() : file.uri ? await vscode.workspace.fs.readFile(file.uri) : undefined;
      if (!contents) continue;
      // Never over a file that appeared meanwhile: then the whole edit fails and nothing is lost.
      additionalEdit.createFile(uri, { contents, overwrite: false, ignoreIfExists: false });
    }
    links.push(target.linkText);
  }
  if (!links.length || token.isCancellationRequested) return undefined;
  return { insertText: links.join('\n'), additionalEdit };
}

function insideWorkspace(uri: vscode.Uri): boolean {
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  if (!folder || uri.scheme !== folder.uri.scheme) return false;
  const root = folder.uri.path.endsWith('/') ? folder.uri.path : `${folder.uri.path}/`;
  return uri.path.startsWith(root) && !uri.path.split('/').includes('..');
}
