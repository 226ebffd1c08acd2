import type { Location, Position } from 'vscode-languageserver-types';
import { resolveLink } from '../core/linkResolver';
import { headingAt, linkAt } from '../core/noteQueries';
import { nameKey } from '../core/names';
import type { BlockAnchor, Heading } from '../core/types';
import type { IndexedNote, VaultFile, VaultIndex } from '../core/vaultIndex';

/** What references are asked for: a file, or one heading or block of a note. */
export interface ReferenceTarget {
  readonly file: VaultFile;
  readonly heading?: Heading;
  readonly block?: BlockAnchor;
}

/**
 * Find references: on a link, to what it points at; on a heading line, to that
 * heading; elsewhere in a note, to the note. Answered from the backlink index:
 * only notes that link into the target's name bucket are looked at.
 */
export function provideReferences(vault: VaultIndex, note: IndexedNote, position: Position, includeDeclaration: boolean): Location[] {
  const target = referenceTargetAt(vault, note, position);
  if (!target) return [];
  const locations = findReferences(vault, target);
  if (includeDeclaration && target.heading) {
    locations.unshift({ uri: target.file.uri, range: target.heading.range });
  }
  return locations;
}

export function referenceTargetAt(vault: VaultIndex, note: IndexedNote, position: Position): ReferenceTarget | undefined {
  const link = linkAt(note.parsed, position);
  if (link) {
    const resolution = resolveLink(vault, note, link);
    if (resolution.kind !== 'file') return undefined;
    return { file: resolution.file, heading: resolution.heading, block: resolution.block };
  }
  const heading = headingAt(note.parsed, position);
  if (heading) return { file: note.file, heading };
  return { file: note.file };
}

export function findReferences(vault: VaultIndex, target: ReferenceTarget): Location[] {
  const locations: Location[] = [];
  const targetName = target.file.nameKey;
  const sources = new Set(vault.linkersOf(targetName));
  // Links like [[#Heading]] name no file: the note links to itself.
  sources.add(target.file.pathKey);
  for (const sourceKey of sources) {
    const source = vault.note(sourceKey);
    if (!source) continue;
    for (const link of source.parsed.links) {
      if (link.external) continue;
      if (link.path === '' ? source.file !== target.file : nameKey(link.path) !== targetName) continue;
      const resolution = resolveLink(vault, source, link);
      if (resolution.kind !== 'file' || resolution.file !== target.file) continue;
      if (target.heading && resolution.heading !== target.heading) continue;
      if (target.block && resolution.block !== target.block) continue;
      locations.push({ uri: source.file.uri, range: link.range });
    }
  }
  return locations;
}
