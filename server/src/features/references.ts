import type { Location, Position } from 'vscode-languageserver-types';
import { yieldToEventLoop } from '../core/cancellation';
import { resolveLink } from '../core/linkResolver';
import { headingAt, linkAt } from '../core/noteQueries';
import { createFileResolutionMemo } from '../core/resolutionMemo';
import type { BlockAnchor, Heading, NoteLink } from '../core/types';
import type { IndexedNote, VaultFile, VaultIndex } from '../core/vaultIndex';
import type { ICancellationToken } from '../core/workspace';

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
  return locationsOf(target, findReferencingLinks(vault, target), includeDeclaration);
}

function locationsOf(target: ReferenceTarget, links: readonly ReferencingLink[], includeDeclaration: boolean): Location[] {
  const locations = links.map(({ source, link }) => ({ uri: source.file.uri, range: referenceRange(target, link) }));
  if (includeDeclaration && target.heading) locations.unshift({ uri: target.file.uri, range: target.heading.range });
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
  return findReferencingLinks(vault, target).map(({ source, link }) => ({ uri: source.file.uri, range: referenceRange(target, link) }));
}

/**
 * What a reference covers: the whole link, except for an attachment (an
 * image, a PDF), where it is the path that names the file. That is the range
 * VS Code's built-in markdown features report for `![](x.png)` too, and VS
 * Code lists a location both give once: Find All References on an image shows
 * Vaultlink's list, not the two side by side.
 */
function referenceRange(target: ReferenceTarget, link: NoteLink): Location['range'] {
  return !target.file.isNote && !target.heading && !target.block && link.path ? link.pathRange : link.range;
}

/** A link that points at a reference target, and the note it is in. */
export interface ReferencingLink {
  readonly source: IndexedNote;
  readonly link: NoteLink;
}

/**
 * Notes whose links are read between two checks of the cancellation token.
 * At about 3 µs a linking note (26 ms for 8,800 at 10,000 notes), a slice is
 * well under a millisecond: a cancelled search stops within one.
 */
export const NOTES_PER_SLICE = 200;
/** Work between two yields to the event loop, where a cancellation can arrive. */
const YIELD_EVERY_MS = 8;

/** Every link in the vault to the target (find references, rename), from the backlink index. */
export function findReferencingLinks(vault: VaultIndex, target: ReferenceTarget): ReferencingLink[] {
  const found: ReferencingLink[] = [];
  for (const slice of referencingLinkSlices(vault, target)) for (const link of slice) found.push(link);
  return found;
}

/**
 * The same links, read in slices with the token checked between two and a
 * yield to the event loop every few milliseconds, so a `$/cancelRequest` (or
 * a keystroke) is handled meanwhile; undefined once `token` is cancelled.
 */
export async function findReferencingLinksCancellable(vault: VaultIndex, target: ReferenceTarget, token: ICancellationToken): Promise<ReferencingLink[] | undefined> {
  const found: ReferencingLink[] = [];
  let lastYield = Date.now();
  for (const slice of referencingLinkSlices(vault, target)) {
    if (token.isCancellationRequested) return undefined;
    for (const link of slice) found.push(link);
    // A yield costs a timer tick (about 1 ms): taken every few milliseconds of work, not every slice.
    if (Date.now() - lastYield >= YIELD_EVERY_MS) {
      await yieldToEventLoop();
      lastYield = Date.now();
    }
  }
  return token.isCancellationRequested ? undefined : found;
}

/** Find references with cancellation (see findReferencingLinksCancellable); undefined when cancelled. */
export async function provideReferencesCancellable(vault: VaultIndex, note: IndexedNote, position: Position, includeDeclaration: boolean, token: ICancellationToken): Promise<Location[] | undefined> {
  const target = referenceTargetAt(vault, note, position);
  if (!target) return [];
  const links = await findReferencingLinksCancellable(vault, target, token);
  return links && locationsOf(target, links, includeDeclaration);
}

/**
 * Find references as batches of locations, for a client that takes partial
 * results: the links of NOTES_PER_SLICE linking notes at a time (the heading
 * itself first when the declaration is asked for), each batch as soon as it is
 * found. Together, in order, the batches are `provideReferences`'s answer.
 * Lazy: the caller decides when to read on, so it can send a batch, yield to the
 * event loop and check its token between two.
 */
export function* referenceLocationBatches(vault: VaultIndex, note: IndexedNote, position: Position, includeDeclaration: boolean): Generator<Location[]> {
  const target = referenceTargetAt(vault, note, position);
  if (!target) return;
  let first = true;
  for (const slice of referencingLinkSlices(vault, target)) {
    const locations = locationsOf(target, slice, includeDeclaration && first);
    first = false;
    if (locations.length) yield locations;
  }
}

/** The referencing links, NOTES_PER_SLICE linking notes at a time. */
function* referencingLinkSlices(vault: VaultIndex, target: ReferenceTarget): Generator<ReferencingLink[]> {
  let found: ReferencingLink[] = [];
  const targetName = target.file.nameKey;
  const sources = new Set(vault.linkersOf(targetName));
  // Links like [[#Heading]] name no file: the note links to itself.
  sources.add(target.file.relativePath);
  const fileOf = createFileResolutionMemo(vault);
  const visit = (source: IndexedNote, index: number, isTarget: boolean) => {
    const link = source.parsed.links[index];
    if (link.external) return;
    if (link.path === '' && !isTarget) return;
    // References to a heading or block come only from links naming one.
    if ((target.heading && link.subpath?.kind !== 'heading') || (target.block && link.subpath?.kind !== 'block')) return;
    // The file first, from a memo; the heading or block only when references are to one.
    if (link.path !== '' && fileOf(source.file, link) !== target.file) return;
    if (target.heading || target.block || link.path === '') {
      const resolution = resolveLink(vault, source, link);
      if (resolution.kind !== 'file' || resolution.file !== target.file) return;
      if (target.heading && resolution.heading !== target.heading) return;
      if (target.block && resolution.block !== target.block) return;
    }
    found.push({ source, link });
  };
  let notesInSlice = 0;
  for (const sourceKey of sources) {
    if (notesInSlice++ === NOTES_PER_SLICE) {
      yield found;
      found = [];
      notesInSlice = 1;
    }
    const source = vault.note(sourceKey);
    if (!source) continue;
    const isTarget = source.file === target.file;
    // Only the links in the target's name bucket ('' too in the target itself, for [[#Heading]]), in note order.
    const named = vault.linksInBucket(source, targetName);
    const own = isTarget ? vault.linksInBucket(source, '') : undefined;
    const indices = own && own.length ? [...Array.from(named), ...Array.from(own)].sort((a, b) => a - b) : named;
    for (let at = 0; at < indices.length; at++) visit(source, indices[at], isTarget);
  }
  yield found;
}
