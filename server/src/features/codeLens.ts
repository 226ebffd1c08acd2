import type { CodeLens, Location } from 'vscode-languageserver-types';
import type { IndexedNote, VaultIndex } from '../core/vaultIndex';
import { linksToNote } from './backlinks';

/**
 * The client command a backlinks lens runs, with the note's URI, the lens's
 * position and the backlinks' locations as arguments (the VS Code client turns
 * them into `editor.action.showReferences`). Other clients show the lens's
 * title; running it is theirs to offer.
 */
export const SHOW_BACKLINKS_COMMAND = 'vaultlink.showBacklinks';

/**
 * "N backlinks" above the note's first heading (line 0 when it has none), from
 * the backlink index: one lens per note, whatever its size.
 */
export function provideBacklinkCodeLenses(vault: VaultIndex, note: IndexedNote): CodeLens[] {
  const links = linksToNote(vault, note);
  const first = note.parsed.headings[0];
  const line = first ? first.range.start.line : 0;
  const range = { start: { line, character: 0 }, end: { line, character: 0 } };
  const locations: Location[] = links.map(({ source, link }) => ({ uri: source.file.uri, range: link.range }));
  const title = `${links.length} ${links.length === 1 ? 'backlink' : 'backlinks'}`;
  return [{ range, command: { title, command: SHOW_BACKLINKS_COMMAND, arguments: [note.file.uri, range.start, locations] } }];
}
