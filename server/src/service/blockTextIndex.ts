import { backgroundTurn, yieldToEventLoop } from '../core/cancellation';
import { matchScore, prepareQuery, type PreparedQuery } from '../core/fuzzySearch';
import { hangulInitials, hangulJamo, hasHangul } from '../core/hangul';
import type { IndexedNote, VaultIndex } from '../core/vaultIndex';
import { blockCandidates } from '../features/blockCandidates';
import type { TextReader } from '../features/tagReferences';
import type { IDerivedIndex, IndexChangeEvent } from './derivedIndexes';

/** A block's text is kept (and matched, and shown) this long at most. */
export const BLOCK_TEXT_CAP = 120;
/** Blocks kept of one note at most: a huge note does not fill the index. */
const MAX_BLOCKS_PER_NOTE = 200;
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
/** 32-bit words of one form's pair mask (256 bits): few enough bits set by a 120-character text that most blocks fail a query's pairs. */
const MASK_WORDS = 8;
/** How a block's text is folded for matching (NoteBlocks.foldable): lowercased, or normalized too; and whether it holds conjoining jamo. */
const FOLD_LOWERCASE = 1;
const FOLD_NFC = 2;
const HAS_CONJOINING = 4;
/** A one-letter query has no pair to test: the first blocks holding it are ranked, this many times the limit. */
const SINGLE_LETTER_SCAN = 4;
/**
 * Matches ranked at most per search, as a multiple of the limit: a common
 * word is in tens of thousands of blocks at 50,000 notes, and scoring them all
 * on every keystroke is what the bound prevents. The first ones found (in the
 * order notes were read) are ranked; the list is incomplete anyway, and each
 * letter typed narrows the matches until they are all ranked.
 */
const MATCHES_RANKED = 40;

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

/** One note's blocks and, per block, the pair masks of its text's forms (see pairMasks). */
interface NoteBlocks {
  readonly blocks: readonly IndexedBlock[];
  /** Per block, what folding its text as queries are takes (FOLD_LOWERCASE, FOLD_NFC): done for the blocks whose masks pass, not kept. */
  readonly foldable: Uint8Array;
  /** Per block, MASK_WORDS words for its folded text, then (for a block with Hangul) as many for its jamo and its initials. */
  readonly masks: Uint32Array;
  /** Per block, where its masks start in `masks`, and whether it has the jamo and initials ones. */
  readonly maskAt: Int32Array;
  readonly hangul: Uint8Array;
}

interface VaultBlocks {
  /** Note path → its blocks; a note not read yet is absent (and in `unread`). */
  readonly notes: Map<string, NoteBlocks>;
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
 *   say so (`complete: false`; completion's lists are `isIncomplete` anyway);
 * - it keeps each block's first 120 characters (copied out of the note's
 *   text, see `detached`), line and id, never a note's text, and per block
 *   a few 256-bit masks of the character pairs of its folded text, jamo and
 *   initials (32 bytes, 96 with Hangul). In the bench's vaults (21 blocks a
 *   note, 85 characters on average, three in four with Hangul) that is about
 *   330 bytes a block: ~70 MB at 10,000 notes, ~350 MB at 50,000, paid only
 *   once `[[^^` is used;
 * - a search tests each block's masks against the query's pairs (a few
 *   integer ANDs; most blocks fail there) and matches only the blocks that pass
 *   with completion's Korean-aware scoring (fuzzySearch's prepareQuery and
 *   matchScore: initials, a syllable being composed, NFC/NFD), substring or better. A posting list
 *   per pair, as FuzzyIndex keeps for names, would cost ~1.6 KB per block at
 *   this text length (a gigabyte at 50,000 notes); the masks cost a few dozen
 *   bytes and a pass over typed arrays (bench/blockSearchProfile.ts times it);
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
    if (event.before) {
      entry.notes.delete(event.before.file.relativePath);
      entry.unread.delete(event.before.file.relativePath);
    }
    if (event.after && !event.after.parsed.skippedReason) {
      entry.unread.add(event.after.file.relativePath);
      this.#startBuild(event.vault, entry);
    }
  }

  vaultReset(vault: VaultIndex): void {
    if (!this.#vaults.has(vault)) return;
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
   * `except`, best first (ties in the order notes were read). The first search
   * of a vault starts indexing it.
   */
  search(vault: VaultIndex, query: string, limit: number, except?: string): BlockSearchResult {
    const entry = this.#vaults.get(vault) ?? this.#start(vault);
    const prepared = prepareQuery(query);
    const complete = entry.unread.size === 0;
    const best = new BestBlocks(limit);
    if (prepared.plain === '') {
      for (const [path, note] of entry.notes) {
        if (path === except) continue;
        for (const block of note.blocks) if (best.size < limit) best.offer(block, 1);
        if (best.size >= limit) break;
      }
      return { blocks: best.blocks(), complete };
    }
    const wanted = [prepared.plain, prepared.jamo, prepared.initials].map((form) => (form === undefined ? undefined : pairMask(form)));
    // No pair to test (one letter): every block passes the masks, so the first matches found are ranked.
    const scanLimit = limit * (wanted.every((mask) => mask === undefined || mask.pairs === 0) ? SINGLE_LETTER_SCAN : MATCHES_RANKED);
    let matched = 0;
    const plainFirst = wanted[0]!.first;
    const plainBits = wanted[0]!.firstBits;
    for (const [path, note] of entry.notes) {
      if (path === except) continue;
      const { blocks, foldable, masks, maskAt, hangul } = note;
      for (let at = 0; at < blocks.length; at++) {
        const start = maskAt[at];
        // One word of each mask first (most blocks fail there), then the whole mask.
        if (
          ((masks[start + plainFirst] & plainBits) >>> 0 !== plainBits || !passes(masks, start, wanted[0])) &&
          (hangul[at] !== 1 || !(firstPasses(masks, start + MASK_WORDS, wanted[1]) || firstPasses(masks, start + 2 * MASK_WORDS, wanted[2])))
        ) {
          continue;
        }
        const plain = passes(masks, start, wanted[0]);
        const jamo = hangul[at] === 1 && passes(masks, start + MASK_WORDS, wanted[1]);
        const initials = hangul[at] === 1 && passes(masks, start + 2 * MASK_WORDS, wanted[2]);
        if (!plain && !jamo && !initials) continue;
        const text = blocks[at].text;
        const way = foldable[at];
        const how = way & (FOLD_LOWERCASE | FOLD_NFC);
        const score = blockScore(how === 0 ? text : how === FOLD_LOWERCASE ? text.toLowerCase() : fold(text), prepared, plain, jamo, initials, (way & HAS_CONJOINING) !== 0);
        if (score < MIN_SCORE) continue;
        best.offer(blocks[at], score);
        if (++matched >= scanLimit) return { blocks: best.blocks(), complete };
      }
    }
    return { blocks: best.blocks(), complete };
  }

  /** Resolves once every note of the vault known now is read (at once if the vault was never searched). */
  async whenIndexed(vault: VaultIndex): Promise<void> {
    for (let entry = this.#vaults.get(vault); entry?.build; entry = this.#vaults.get(vault)) await entry.build.done;
  }

  #start(vault: VaultIndex): VaultBlocks {
    const entry: VaultBlocks = { notes: new Map(), unread: new Set(), build: undefined };
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
      const texts = await Promise.all(
        notes.map(async (note) => {
          try {
            return await this.#readText(note.file.uri);
          } catch {
            return undefined;
          }
        }),
      );
      if (build.cancelled) return;
      notes.forEach((note, at) => {
        const text = texts[at];
        // The note may have gone, or changed again (then it is unread again and read later) while its text was read.
        if (text === undefined || vault.note(note.file.relativePath) !== note || entry.unread.has(note.file.relativePath)) return;
        entry.notes.set(note.file.relativePath, blocksOf(note, text));
      });
      if (Date.now() - lastYield >= YIELD_EVERY_MS) {
        await backgroundTurn();
        lastYield = Date.now();
      }
    }
  }
}

/** A note's blocks as the index keeps them, with their masks. */
function blocksOf(note: IndexedNote, text: string): NoteBlocks {
  const path = note.file.relativePath;
  const blocks: IndexedBlock[] = [];
  for (const block of blockCandidates(text, note.parsed.blocks)) {
    if (block.text === '') continue;
    const capped = detached(capBlockText(block.text));
    blocks.push(block.id ? { path, text: capped, line: block.line, id: block.id } : { path, text: capped, line: block.line });
    if (blocks.length >= MAX_BLOCKS_PER_NOTE) break;
  }
  const folded = blocks.map((block) => fold(block.text));
  // Most texts are NFC already: only lowercasing them (a quarter of the cost) gives the same folded text.
  const foldable = Uint8Array.from(blocks, (block, at) =>
    (folded[at] === block.text ? 0 : block.text.toLowerCase() === folded[at] ? FOLD_LOWERCASE : FOLD_NFC) | (/[\u1100-\u11ff]/.test(folded[at]) ? HAS_CONJOINING : 0),
  );
  const hangul = Uint8Array.from(folded, (text) => (hasHangul(text) ? 1 : 0));
  const maskAt = new Int32Array(blocks.length);
  let words = 0;
  for (let at = 0; at < blocks.length; at++) {
    maskAt[at] = words;
    words += MASK_WORDS * (hangul[at] ? 3 : 1);
  }
  const masks = new Uint32Array(words);
  for (let at = 0; at < blocks.length; at++) {
    addPairs(masks, maskAt[at], folded[at]);
    if (!hangul[at]) continue;
    addPairs(masks, maskAt[at] + MASK_WORDS, hangulJamo(folded[at]));
    addPairs(masks, maskAt[at] + 2 * MASK_WORDS, hangulInitials(folded[at]));
  }
  return { blocks, foldable, masks, maskAt, hangul };
}

/**
 * How well a block's folded text matches the query, as fuzzySearch's
 * textScore scores it but for substring matches only, and testing only the
 * forms whose masks passed: the text itself, then (when that does not hold the
 * query) its jamo, for a syllable being composed, or its initials. Neither
 * form is built for the whole text (that was most of a Korean query's time):
 * see composingScore and initialsScore.
 */
function blockScore(folded: string, query: PreparedQuery, plain: boolean, jamo: boolean, initials: boolean, conjoining: boolean): number {
  if (plain && folded.includes(query.plain)) return matchScore(folded, query.plain);
  let score = 0;
  if (jamo && query.jamo !== undefined) score = composingScore(folded, query);
  if (initials && query.initials !== undefined) score = Math.max(score, initialsScore(folded, query.initials, conjoining));
  return score;
}

/** fuzzySearch's substring scores (matchScore), for a match of `length` at `at` in a text of `textLength`. */
function substringScore(text: string, at: number, length: number, textLength: number): number {
  if (at < 0) return 0;
  const closeness = (0.09 * length) / textLength;
  if (at === 0) return length === textLength ? 1 : 0.9 + closeness;
  const before = text.charCodeAt(at - 1);
  const wordStart = before === 32 || before === 47 || before === 45 || before === 95 || before === 46 || before === 40;
  return (wordStart ? 0.8 : 0.7) + closeness;
}

/**
 * A query whose last syllable is still being composed (`회고ㅇ`, `제모` for
 * `제목`, `각` on the way to `가기`): everything before that syllable is in the
 * text as typed, and the jamo of the few characters after it start with the
 * last syllable's. A one-syllable query has nothing before it: the text's jamo are built.
 */
function composingScore(folded: string, query: PreparedQuery): number {
  const typed = query.plain;
  const head = typed.slice(0, -1);
  const last = hangulJamo(typed.slice(-1));
  if (head === '') {
    const letters = hangulJamo(folded);
    return letters.includes(query.jamo!) ? matchScore(letters, query.jamo!) : 0;
  }
  for (let at = folded.indexOf(head); at >= 0; at = folded.indexOf(head, at + 1)) {
    const next = at + head.length;
    // Three characters hold the jamo of any one syllable, its final consonant moved on to the next one included.
    if (hangulJamo(folded.slice(next, next + 3)).startsWith(last)) return substringScore(folded, at, typed.length, folded.length);
  }
  return 0;
}

/** Per syllable (code − 0xAC00), the code of its initial consonant as hangulInitials writes it; 0 until first asked. */
const INITIAL_CODES = new Uint16Array(11172);

/** The character hangulInitials puts for this one (a syllable's initial, any other character itself). */
function initialCode(code: number): number {
  const syllable = code - 0xac00;
  if (syllable < 0 || syllable >= 11172) return code;
  return INITIAL_CODES[syllable] || (INITIAL_CODES[syllable] = hangulInitials(String.fromCharCode(code)).charCodeAt(0));
}

/**
 * Where the query's initials are among the text's (`ㅎㄱㅇ` in `회고와`), found
 * character by character through a table instead of building the text's
 * initials; scored as matchScore would score that text.
 */
function initialsScore(folded: string, initials: string, conjoining: boolean): number {
  // Conjoining jamo stand for several letters in hangulInitials: rare in folded (NFC) text, built as it does.
  if (conjoining) {
    const letters = hangulInitials(folded);
    return letters.includes(initials) ? matchScore(letters, initials) : 0;
  }
  const last = folded.length - initials.length;
  const first = initials.charCodeAt(0);
  for (let at = 0; at <= last; at++) {
    if (initialCode(folded.charCodeAt(at)) !== first) continue;
    let j = 1;
    while (j < initials.length && initialCode(folded.charCodeAt(at + j)) === initials.charCodeAt(j)) j++;
    if (j === initials.length) return substringScore(folded, at, initials.length, folded.length);
  }
  return 0;
}

function fold(text: string): string {
  return text.normalize('NFC').toLowerCase();
}

/**
 * A copy of the text that holds no reference to the string it was cut from:
 * V8 keeps a slice of a longer string (the note's text, a joined paragraph) as
 * a view of it, which would keep every note's text alive in the index.
 */
function detached(text: string): string {
  return text.length < 13 ? text : (' ' + text).slice(1);
}

/** The bit (0..255) a character pair sets. */
function pairBit(first: number, second: number): number {
  return Math.imul(first * 65599 + second, 0x9e3779b1) >>> 24;
}

function addPairs(masks: Uint32Array, start: number, text: string): void {
  for (let i = 0; i + 1 < text.length; i++) {
    const bit = pairBit(text.charCodeAt(i), text.charCodeAt(i + 1));
    masks[start + (bit >>> 5)] |= 1 << (bit & 31);
  }
}

/** A query form's pair mask, and how many pairs it has (0 for one letter: every text passes). */
function pairMask(text: string): QueryMask {
  const words = new Uint32Array(MASK_WORDS);
  addPairs(words, 0, text);
  let first = 0;
  for (let i = 1; i < MASK_WORDS; i++) if (bitCount(words[i]) > bitCount(words[first])) first = i;
  return { words, pairs: Math.max(0, text.length - 1), first, firstBits: words[first] };
}

/** A query form's mask, with the word of it that has the most bits: tested first, alone it rejects most blocks. */
interface QueryMask {
  readonly words: Uint32Array;
  readonly pairs: number;
  readonly first: number;
  readonly firstBits: number;
}

function bitCount(word: number): number {
  let count = 0;
  for (let bits = word >>> 0; bits; bits &= bits - 1) count++;
  return count;
}

/** passes, testing the query's fullest word first. */
function firstPasses(masks: Uint32Array, start: number, wanted: QueryMask | undefined): boolean {
  return wanted !== undefined && (masks[start + wanted.first] & wanted.firstBits) >>> 0 === wanted.firstBits && passes(masks, start, wanted);
}

/** Whether a block's mask for one form has every pair bit of the query's (undefined: the query has no such form). */
function passes(masks: Uint32Array, start: number, wanted: QueryMask | undefined): boolean {
  if (!wanted) return false;
  const words = wanted.words;
  // `>>> 0`: the AND is signed, the words are not.
  for (let i = 0; i < MASK_WORDS; i++) if ((masks[start + i] & words[i]) >>> 0 !== words[i]) return false;
  return true;
}

/** The `limit` best blocks offered, best first; among equal scores the first offered. */
class BestBlocks {
  readonly #blocks: IndexedBlock[] = [];
  readonly #scores: number[] = [];

  constructor(readonly limit: number) {}

  get size(): number {
    return this.#blocks.length;
  }

  offer(block: IndexedBlock, score: number): void {
    const count = this.#scores.length;
    if (count >= this.limit && score <= this.#scores[count - 1]) return;
    let at = count;
    while (at > 0 && this.#scores[at - 1] < score) at--;
    this.#blocks.splice(at, 0, block);
    this.#scores.splice(at, 0, score);
    if (this.#blocks.length > this.limit) {
      this.#blocks.pop();
      this.#scores.pop();
    }
  }

  blocks(): IndexedBlock[] {
    return [...this.#blocks];
  }
}

function* takeFirst<T>(items: Iterable<T>, count: number): Iterable<T> {
  if (count <= 0) return;
  for (const item of items) {
    yield item;
    if (--count <= 0) return;
  }
}
