// Shared helpers for the integration tests. They use only the public `vscode`
// API, against the opened workspace folder: a fresh copy of
// examples/conference-notes made by the launcher for each run, so tests may
// write files into it.
import * as assert from 'assert';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'vaultlink.vaultlink';
export const LINE_NOTE = '2021 Line Developer Day.md';
export const DEVIEW_NOTE = 'DEVIEW 2018.md';

/** What the extension's activate() returns. */
export interface VaultlinkApi {
  whenIndexed(): Promise<{ notes: number; attachments: number }>;
}

/** Activates the extension under test and returns its API. */
export async function activateExtension(): Promise<VaultlinkApi> {
  const extension = vscode.extensions.getExtension<VaultlinkApi>(EXTENSION_ID);
  assert.ok(extension, `extension ${EXTENSION_ID} is not loaded`);
  const api = await extension.activate();
  assert.ok(api && typeof api.whenIndexed === 'function', 'activate() did not return { whenIndexed }');
  return api;
}

/** Activates the extension and waits until the language server has indexed the vault. */
export async function indexedVault(timeoutMs = 30_000): Promise<{ api: VaultlinkApi; notes: number; attachments: number }> {
  const api = await activateExtension();
  const counts = await withTimeout(api.whenIndexed(), timeoutMs, 'whenIndexed()');
  return { api, ...counts };
}

export function vaultFolder(): vscode.WorkspaceFolder {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'no workspace folder is open');
  return folder;
}

export function noteUri(name: string): vscode.Uri {
  return vscode.Uri.joinPath(vaultFolder().uri, name);
}

/** Opens a note in an editor and makes it the active one. */
export async function openNote(name: string): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(noteUri(name));
  return vscode.window.showTextDocument(document, { preview: false });
}

/** Zero-based line of the first line for which `match` holds. */
export function findLine(document: vscode.TextDocument, match: (text: string) => boolean): number {
  for (let line = 0; line < document.lineCount; line++) {
    if (match(document.lineAt(line).text)) return line;
  }
  assert.fail(`no matching line in ${document.uri.path}`);
}

/** Discards unsaved edits of a document by putting back its original text and saving. */
export async function restoreText(document: vscode.TextDocument, original: string): Promise<void> {
  if (document.getText() === original) return;
  const edit = new vscode.WorkspaceEdit();
  const whole = new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length));
  edit.replace(document.uri, whole, original);
  await vscode.workspace.applyEdit(edit);
  await document.save();
}

/** Calls `probe` until it returns a value for which `done` holds, or fails after the timeout. */
export async function poll<T>(
  probe: () => T | Promise<T>,
  done: (value: T) => boolean,
  { timeoutMs = 20_000, intervalMs = 200, what = 'condition' } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T = await probe();
  while (!done(last)) {
    if (Date.now() > deadline) {
      assert.fail(`timed out after ${timeoutMs} ms waiting for ${what}; last value: ${describe(last)}`);
    }
    await sleep(intervalMs);
    last = await probe();
  }
  return last;
}

export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not settle within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function labelOf(item: vscode.CompletionItem): string {
  return typeof item.label === 'string' ? item.label : item.label.label;
}

/** A diagnostic's code as a string, whether given plainly or as { value, target }. */
export function codeOf(diagnostic: vscode.Diagnostic): string | undefined {
  const code = diagnostic.code;
  if (code === undefined) return undefined;
  return String(typeof code === 'object' ? code.value : code);
}

function describe(value: unknown): string {
  try {
    const text = JSON.stringify(value);
    return text.length > 300 ? `${text.slice(0, 300)}…` : text;
  } catch {
    return String(value);
  }
}
