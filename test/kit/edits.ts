import type { TextEdit, WorkspaceEdit } from 'vscode-languageserver-types';
import { LineIndex } from '../../server/src/core/text';
import type { TestVault } from './vault';

/** Applies text edits to a string, last first so earlier offsets stay valid. */
export function applyTextEdits(text: string, edits: readonly TextEdit[]): string {
  const lines = new LineIndex(text);
  const sorted = [...edits].sort((a, b) => lines.offsetAt(b.range.start) - lines.offsetAt(a.range.start));
  let result = text;
  for (const edit of sorted) {
    result = result.slice(0, lines.offsetAt(edit.range.start)) + edit.newText + result.slice(lines.offsetAt(edit.range.end));
  }
  return result;
}

/**
 * Applies a workspace edit to the test vault as an editor would (file creations
 * included) and tells the service, returning the vault-relative paths touched.
 */
export async function applyWorkspaceEdit(vault: TestVault, edit: WorkspaceEdit, texts: Map<string, string>): Promise<void> {
  const relative = (uri: string) => decodeURIComponent(uri.slice(vault.fs.rootUri.length + 1));
  const editFile = async (uri: string, edits: readonly TextEdit[]) => {
    const path = relative(uri);
    const before = texts.get(path) ?? new TextDecoder().decode(await vault.fs.readFile(uri).catch(() => new Uint8Array()));
    const after = applyTextEdits(before, edits);
    texts.set(path, after);
    vault.fs.write(path, after);
    vault.service.setDocumentText(uri, after);
  };
  for (const [uri, edits] of Object.entries(edit.changes ?? {})) await editFile(uri, edits);
  for (const change of edit.documentChanges ?? []) {
    if ('kind' in change) {
      if (change.kind === 'create') {
        vault.fs.write(relative(change.uri), '');
        await vault.service.fileChanged(change.uri);
      } else if (change.kind === 'rename') {
        const content = texts.get(relative(change.oldUri)) ?? (await vault.fs.readFile(change.oldUri));
        vault.fs.delete(relative(change.oldUri));
        vault.fs.write(relative(change.newUri), content);
        texts.delete(relative(change.oldUri));
        if (typeof content === 'string') texts.set(relative(change.newUri), content);
        await vault.service.fileDeleted(change.oldUri);
        await vault.service.fileChanged(change.newUri);
      } else {
        throw new Error(`unexpected ${change.kind}`);
      }
    } else {
      await editFile(change.textDocument.uri, change.edits as TextEdit[]);
    }
  }
}
