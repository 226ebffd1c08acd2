import type { DocumentLink } from 'vscode-languageserver-types';
import { resolveLink } from '../core/linkResolver';
import type { IndexedNote, VaultIndex } from '../core/vaultIndex';

/**
 * Clickable links for every link that resolves, those inside `%%` comments too
 * (the editor shows the source, as Obsidian's source mode does, where they are
 * clickable). Headings and blocks open at their line (`#L12`, which VS Code and
 * most editors understand for file URIs).
 */
export function provideDocumentLinks(vault: VaultIndex, note: IndexedNote): DocumentLink[] {
  const links: DocumentLink[] = [];
  for (const link of note.parsed.links) {
    if (link.external) continue;
    const resolution = resolveLink(vault, note, link);
    if (resolution.kind !== 'file') continue;
    const line = resolution.heading?.range.start.line ?? resolution.block?.line;
    const target = line === undefined ? resolution.file.uri : `${resolution.file.uri}#L${line + 1}`;
    links.push({ range: link.targetRange.start.character === link.targetRange.end.character ? link.range : link.targetRange, target, tooltip: resolution.file.relativePath });
  }
  return links;
}
