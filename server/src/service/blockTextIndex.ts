import { yieldToEventLoop } from '../core/cancellation';
import { FuzzyIndex, prepareQuery, textScore, type PreparedQuery } from '../core/fuzzySearch';
import type { IndexedNote, VaultIndex } from '../core/vaultIndex';
import { blockCandidates } from '../features/blockCandidates';
import type { TextReader } from '../features/tagReferences';
import type { IDerivedIndex, IndexChangeEvent } from './derivedIndexes';

/** A block's text is kept (and matched, and shown) this long at most. */
export const BLOCK_TEXT_CAP = 120;
/** Blocks kept of one note at most: a huge note does not fill the index. */
const MAX_BLOCKS_PER_NOTE = 200;
/** Notes per search segment: what one change makes the index rebuild. */
const SEGMENT_NOTES = 256;
/** A segment is rebuilt (in the background, or before a search) once this many of its notes changed since its build. */
const SEGMENT_REBUILD_AFTER = 32;
/** Notes read at once while building, between two checks for cancellation. */
const NOTES_PER_SLICE = 32;
/** Work between two yields to the event loop, where a keystroke's request can be answered. */
const YIELD_EVERY_MS = 8;
/**
 * The least score a block must reach: a prefix, word-start or substring match
 * of its text, jamo or initials (fuzzySearch's scores; letters merely in order
 * score at most 0.65). A 120-character paragraph holds the letters of almost
 * any short query in order, so those matches would only be noise.
 */
const MIN_SCORE = 0.7;

/** The text the index keeps of a block: its first BLOCK_TEXT_CAP characters. */
export function capBlockText(text: string): string {
  return text.length > BLOCK_TEXT_CAP ? text.slice(0, BLOCK_TEXT_CAP) : text;
}

/** A block of some note, as the index keeps it. */
export interface IndexedBlock {
  /** The note's vault-relative path. */
  readonly path: string;
  /** The block's text, capped at BLOCK_TEXT_CAP. */
  readonly text: string;
  /** The line that carries, or would carry, its ` ^id`. */
  readonly line: number;
  readonly id?: string;
}

/** What a search found, and whether every note's blocks were indexed when it ran. */
export interface BlockSearchResult {
  readonly blocks: readonly IndexedBlock[];
  readonly complete: boolean;
}

interface Segment {
  /** The notes (paths) kept in this segment. */
  readonly members: Set<string>;
  /** Built from the members' blocks as they were; undefined until first built. */
  index: FuzzyIndex<IndexedBlock> | undefined;
  /** Members whose blocks changed, came or went since `index` was built: its answers for them are not used. */
  readonly changed: Set<string>;
}

interface VaultBlocks {
  /** Note path → its blocks; a note not read yet is absent (and in `unread`). */
  readonly blocks: Map<string, readonly IndexedBlock[]>;
  readonly segmentOf: Map<string, Segment>;
  readonly segments: Segment[];
  /** Notes still to read; the build reads them in order of insertion. */
  readonly unread: Set<string>;
  /** Set while a build runs; cancelled when the vault is reset or removed. */
  build: { cancelled: boolean; done: Promise<void> } | undefined;
}

/**
 * The text of every block (paragraphs and list items, see blockCandidates) of
 * every note, for `[[^^query`, Obsidian's vault-wide block search.
 *
 * Bounded by design, because the vault index keeps no note text:
 * - built lazily, on the first search of a vault (a vault nobody searches
 *   costs nothing), in the background: notes are read (buffer or disk, the
 *   TextReader unlinked mentions use) a slice at a time with the event loop
 *   given a turn every few milliseconds, and a reset or removal of the vault
 *   cancels it. Until it is done, searches answer from what is read so far and
 *   say so (`complete: false`, completion's `isIncomplete`);
 * - it keeps each block's first 120 characters (its id and line), never a
 *   note's text: at 50,000 notes of ~15 blocks that is at most ~90 MB of
 *   Latin text, typically far less (most blocks are shorter);
 * - searched through FuzzyIndex (the matching of the rest of completion:
 *   Korean initials, a syllable being composed, NFC/NFD) in segments of 256
 *   notes, so a note's change rebuilds one segment and not the vault's index.
 *   Until then the changed notes' blocks are scored one by one (a few dozen
 *   notes at most: a segment with more is rebuilt first), and the segment's
 *   old answers for them are dropped;
 * - kept current from each note's change (derivedIndexes.ts): a changed note's
 *   blocks are dropped at once and its text read again in the background; a
 *   deleted (or renamed away) note's blocks are dropped.
 * No search reads a note.
 */
export class BlockTextIndex implements IDerivedIndex {
  readonly #vaults = new Map<VaultIndex, VaultBlocks>();
  readonly #readText: TextReader;

  constructor(readText: TextReader) {
    this.#readText = readText;
  }

  fileChanged(event: IndexChangeEvent): void {
    const entry = this.#vaults.get(event.vault);
    // Not searched yet: nothing is kept, nothing to bring up to date.
    if (!entry) return;
    if (event.before) this.#forget(entry, event.before.file.relativePath);
    if (event.after && !event.after.parsed.skippedReason) {
      entry.unread.add(event.after.file.relativePath);
      this.#startBuild(event.vault, entry);
    }
  }

  vaultReset(vault: VaultIndex): void {
    const entry = this.#vaults.get(vault);
    if (!entry) return;
    // Notes came and went by the thousand, or settings changed what is a note: read the vault again.
    this.vaultRemoved(vault);
    this.#start(vault);
  }

  vaultRemoved(vault: VaultIndex): void {
    const entry = this.#vaults.get(vault);
    if (entry?.build) entry.build.cancelled = true;
    this.#vaults.delete(vault);
  }

  /**
   * The best `limit` blocks whose text matches `query`, of every note but
   * `except`. The first search of a vault starts indexing it.
   */
  search(vault: VaultIndex, query: string, limit: number, except?: string): BlockSearchResult {
    const entry = this.#vaults.get(vault) ?? this.#start(vault);
    const prepared = prepareQuery(query);
    const found: Array<{ block: IndexedBlock; score: number; order: number }> = [];
    let order = 0;
    const offer = (block: IndexedBlock, score: number) => {
      if (block.path !== except && score >= MIN_SCORE) found.push({ block, score, order: order++ });
    };
    for (const segment of entry.segments) {
      if (segment.changed.size >= SEGMENT_REBUILD_AFTER) this.#rebuild(entry, segment);
      if (segment.index) {
        // A few extra: answers for changed notes are dropped.
        for (const block of segment.index.search(prepared.plain === '' ? '' : query, limit + 8, { accept: () => true })) {
          if (segment.changed.has(block.path)) continue;
          offer(block, scoreOf(block, prepared));
        }
      }
      for (const path of segment.changed) for (const block of entry.blocks.get(path) ?? []) offer(block, scoreOf(block, prepared));
    }
    found.sort((a, b) => b.score - a.score || a.order - b.order);
    return { blocks: found.slice(0, limit).map((entry) => entry.block), complete: entry.unread.size === 0 };
  }

  /** Builds the segments with changes now, so the next search does not (the host calls this when idle). */
  prepare(): void {
    for (const entry of this.#vaults.values()) for (const segment of entry.segments) if (segment.changed.size) this.#rebuild(entry, segment);
  }

  /** Resolves once every note of the vault known now is read (at once if the vault was never searched). */
  async whenIndexed(vault: VaultIndex): Promise<void> {
    for (let entry = this.#vaults.get(vault); entry?.build; entry = this.#vaults.get(vault)) await entry.build.done;
  }

  #start(vault: VaultIndex): VaultBlocks {
    const entry: VaultBlocks = { blocks: new Map(), segmentOf: new Map(), segments: [], unread: new Set(), build: undefined };
    for (const note of vault.notes()) if (!note.parsed.skippedReason) entry.unread.add(note.file.relativePath);
    this.#vaults.set(vault, entry);
    this.#startBuild(vault, entry);
    return entry;
  }

  #startBuild(vault: VaultIndex, entry: VaultBlocks): void {
    if (entry.build || entry.unread.size === 0) return;
    const build = { cancelled: false, done: Promise.resolve() };
    entry.build = build;
    build.done = this.#read(vault, entry, build).finally(() => {
      if (entry.build === build) entry.build = undefined;
    });
  }

  async #read(vault: VaultIndex, entry: VaultBlocks, build: { cancelled: boolean }): Promise<void> {
    // Let the request that started the build be answered first.
    await yieldToEventLoop();
    let lastYield = Date.now();
    while (!build.cancelled && entry.unread.size) {
      const slice = [...takeFirst(entry.unread, NOTES_PER_SLICE)];
      for (const path of slice) entry.unread.delete(path);
      const notes = slice.map((path) => vault.note(path)).filter((note): note is IndexedNote => !!note && !note.parsed.skippedReason);
      const texts = await Promise.all(notes.map(async (note) => {
        try {
          return await this.#readText(note.file.uri);
        } catch {
          return undefined;
        }
      }));
      if (build.cancelled) return;
      notes.forEach((note, at) => {
        const text = texts[at];
        // The note may have gone, or changed again (then it is unread again and read later) while its text was read.
        if (text === undefined || vault.note(note.file.relativePath) !== note || entry.unread.has(note.file.relativePath)) return;
        this.#remember(entry, note, text);
      });
      for (const segment of entry.segments) if (segment.changed.size >= SEGMENT_REBUILD_AFTER) this.#rebuild(entry, segment);
      if (Date.now() - lastYield >= YIELD_EVERY_MS) {
        await yieldToEventLoop();
        lastYield = Date.now();
      }
    }
    if (!build.cancelled) for (const segment of entry.segments) if (segment.changed.size) this.#rebuild(entry, segment);
  }

  #remember(entry: VaultBlocks, note: IndexedNote, text: string): void {
    const path = note.file.relativePath;
    this.#forget(entry, path);
    const blocks: IndexedBlock[] = [];
    for (const block of blockCandidates(text, note.parsed.blocks)) {
      if (block.text === '') continue;
      blocks.push(block.id ? { path, text: capBlockText(block.text), line: block.line, id: block.id } : { path, text: capBlockText(block.text), line: block.line });
      if (blocks.length >= MAX_BLOCKS_PER_NOTE) break;
    }
    entry.blocks.set(path, blocks);
    let segment = entry.segments[entry.segments.length - 1];
    if (!segment || segment.members.size >= SEGMENT_NOTES) entry.segments.push((segment = { members: new Set(), index: undefined, changed: new Set() }));
    segment.members.add(path);
    segment.changed.add(path);
    entry.segmentOf.set(path, segment);
  }

  #forget(entry: VaultBlocks, path: string): void {
    entry.unread.delete(path);
    entry.blocks.delete(path);
    const segment = entry.segmentOf.get(path);
    if (!segment) return;
    entry.segmentOf.delete(path);
    segment.members.delete(path);
    // The segment's index may still list the note's old blocks: its answers for the note are dropped until the rebuild.
    segment.changed.add(path);
  }

  #rebuild(entry: VaultBlocks, segment: Segment): void {
    const blocks = [...segment.members].flatMap((path) => entry.blocks.get(path) ?? []);
    segment.index = new FuzzyIndex(blocks, [{ text: (block) => block.text, weight: 1 }]);
    segment.changed.clear();
  }
}

function scoreOf(block: IndexedBlock, prepared: PreparedQuery): number {
  return prepared.plain === '' ? 1 : textScore(block.text, prepared);
}

function* takeFirst<T>(items: Iterable<T>, count: number): Iterable<T> {
  if (count <= 0) return;
  for (const item of items) {
    yield item;
    if (--count <= 0) return;
  }
}
