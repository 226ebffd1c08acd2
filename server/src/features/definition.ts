import type { LocationLink, Position } from 'vscode-languageserver-types';
import { resolveLink } from '../core/linkResolver';
import { linkAt } from '../core/noteQueries';
import type { IndexedNote, VaultIndex } from '../core/vaultIndex';

const START = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/**
 * Go to definition on any link: `[[#Heading]]` lands on the heading, `[[#^id]]` on
 * the block, `[[Note]]` and `![[image.png]]` open the file, markdown links too,
 * and links inside `%%` comments (Obsidian indexes them).
 */
export function provideDefinition(vault: VaultIndex, note: IndexedNote, position: Position): LocationLink[] {
  const link = linkAt(note.parsed, position);
  if (!link) return [];
  const resolution = resolveLink(vault, note, link);
  if (resolution.kind !== 'file') return [];
  let targetRange = START;
  let targetSelectionRange = START;
  if (resolution.heading) {
    targetRange = resolution.heading.range;
    targetSelectionRange = resolution.heading.textRange;
  } else if (resolution.block) {
    const line = resolution.block.line;
    targetRange = { start: { line, character: 0 }, end: resolution.block.range.end.line === line ? resolution.block.range.end : { line, character: 0 } };
    targetSelectionRange = resolution.block.line === resolution.block.range.start.line ? resolution.block.range : targetRange;
  }
  return [{ originSelectionRange: link.range, targetUri: resolution.file.uri, targetRange, targetSelectionRange }];
}
