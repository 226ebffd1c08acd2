import type { DocumentLink } from 'vscode-languageserver-types';
import { resolveLink } from '../core/linkResolver';
import type { IndexedNote, VaultIndex } from '../core/vaultIndex';
import { newNoteForLink } from './createNote';

export interface DocumentLinkOptions {
  /**
   * A client command that takes `(noteUri, position)` and creates the note the
   * link there names (see createNote.ts), then opens it: with it, a link to a
   * missing note is clickable as in Obsidian, and clicking creates the note.
   * LSP has no such request, so only clients that declare one get these links.
   */
  readonly createNoteCommand?: string;
}

/**
 * Clickable links for every link that resolves, those inside `%%` comments too
 * (the editor shows the source, as Obsidian's source mode does, where they are
 * clickable). Headings and blocks open at their line (`#L12`, which VS Code and
 * most editors understand for file URIs). A link to a missing note, for a
 * client with a create-note command, runs it.
 */
export function provideDocumentLinks(vault: VaultIndex, note: IndexedNote, options: DocumentLinkOptions = {}): DocumentLink[] {
  const links: DocumentLink[] = [];
  for (const link of note.parsed.links) {
    if (link.external) continue;
    const range = link.targetRange.start.character === link.targetRange.end.character ? link.range : link.targetRange;
    const resolution = resolveLink(vault, note, link);
    if (resolution.kind !== 'file') {
      const created = options.createNoteCommand && resolution.kind === 'missingFile' ? newNoteForLink(vault, note, link) : undefined;
      if (created) {
        const args = encodeURIComponent(JSON.stringify([note.file.uri, link.range.start]));
        links.push({ range, target: `command:${options.createNoteCommand}?${args}`, tooltip: `Create note "${created.relativePath}"` });
      }
      continue;
    }
    const line = resolution.heading?.range.start.line ?? resolution.block?.line;
    const target = line === undefined ? resolution.file.uri : `${resolution.file.uri}#L${line + 1}`;
    links.push({ range, target, tooltip: resolution.file.relativePath });
  }
  return links;
}
