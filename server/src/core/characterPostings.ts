/**
 * Posting lists for fuzzy search: for every character and every pair of
 * adjacent characters in a set of texts, which items contain it. Built for tens
 * of thousands of names at once, so it avoids a Map and a Set per item: keys live
 * in an open-addressing hash table of typed arrays and every list is a slice of
 * one typed array (nothing per list but two numbers): 2 bytes an entry when
 * every item number fits in 16 bits, as in every segment of completion's
 * catalog and the symbol index (SegmentedFuzzyIndex), 4 bytes otherwise. The
 * lists were 13 MB of the catalog and the symbol index at 10,000 notes.
 *
 * Keys: a character is its UTF-16 code (below 65,536); a pair is
 * first × 65,536 + second (at least 65,536 unless the first is NUL).
 */
/** Work left in the current slice of a build cut into slices, and the size of a slice (in work units: items per pass). */
export interface WorkBudget {
  left: number;
  readonly slice: number;
}

/** The items with one key, ascending. */
export type PostingList = Uint16Array | Int32Array;

/** Item numbers below this fit a Uint16Array's entries. */
const SHORT_ENTRIES_BELOW = 1 << 16;

export class CharacterPostings {
  #keys: Uint32Array;
  #used: Uint8Array;
  /** 32 − log2(capacity): the hash keeps the product's high bits (Fibonacci hashing). */
  #shift: number;
  #counts: Int32Array;
  #starts: Int32Array = new Int32Array(0);
  #entries: PostingList = EMPTY;
  #size = 0;
  /** Per slot, the last item counted or placed there: an item is listed once per key. */
  #lastItem: Int32Array;

  /**
   * `textsOf(item)` gives the item's texts; an item is listed once under each key
   * however often the key occurs in its texts. Lists are in ascending item order.
   */
  constructor(itemCount: number, textsOf: (item: number) => ReadonlyArray<string | undefined>, deferred = false) {
    const capacity = 1 << 12;
    this.#keys = new Uint32Array(capacity);
    this.#used = new Uint8Array(capacity);
    this.#shift = 32 - 12;
    this.#counts = new Int32Array(capacity);
    this.#lastItem = new Int32Array(capacity).fill(-1);
    if (deferred) return;
    const fill = this.#fill(itemCount, textsOf, { left: Number.MAX_SAFE_INTEGER, slice: Number.MAX_SAFE_INTEGER });
    while (!fill.next().done);
  }

  /**
   * The same lists built a slice at a time: the generator yields each time
   * `budget` is spent (one unit per item per pass; there are two passes) and
   * returns the postings. For builds that must not hold the thread (FuzzyIndex.building).
   */
  static *building(itemCount: number, textsOf: (item: number) => ReadonlyArray<string | undefined>, budget: WorkBudget): Generator<void, CharacterPostings, void> {
    const postings = new CharacterPostings(itemCount, textsOf, true);
    yield* postings.#fill(itemCount, textsOf, budget);
    return postings;
  }

  *#fill(itemCount: number, textsOf: (item: number) => ReadonlyArray<string | undefined>, budget: WorkBudget): Generator<void, void, void> {
    // First pass: count each key's items, so every list is a slice of one array.
    for (let item = 0; item < itemCount; item++) {
      for (const text of textsOf(item)) {
        if (text === undefined) continue;
        for (let i = 0; i < text.length; i++) {
          const code = text.charCodeAt(i);
          this.#count(code, item);
          if (i + 1 < text.length) this.#count(code * 65536 + text.charCodeAt(i + 1), item);
        }
      }
      if (--budget.left <= 0) {
        budget.left = budget.slice;
        yield;
      }
    }

    const slots = this.#keys.length;
    this.#starts = new Int32Array(slots);
    let total = 0;
    for (let slot = 0; slot < slots; slot++) {
      this.#starts[slot] = total;
      total += this.#counts[slot];
    }
    this.#entries = itemCount <= SHORT_ENTRIES_BELOW ? new Uint16Array(total) : new Int32Array(total);
    const filled = new Int32Array(slots);
    const lastItem = this.#lastItem.fill(-1);
    // Second pass: place each item in its keys' lists.
    for (let item = 0; item < itemCount; item++) {
      for (const text of textsOf(item)) {
        if (text === undefined) continue;
        for (let i = 0; i < text.length; i++) {
          const code = text.charCodeAt(i);
          let slot = this.#slotFor(code);
          if (lastItem[slot] !== item) {
            lastItem[slot] = item;
            this.#entries[this.#starts[slot] + filled[slot]++] = item;
          }
          if (i + 1 < text.length) {
            slot = this.#slotFor(code * 65536 + text.charCodeAt(i + 1));
            if (lastItem[slot] !== item) {
              lastItem[slot] = item;
              this.#entries[this.#starts[slot] + filled[slot]++] = item;
            }
          }
        }
      }
      if (--budget.left <= 0) {
        budget.left = budget.slice;
        yield;
      }
    }
    this.#lastItem = new Int32Array(0);
  }

  /** The items with `key`, ascending; empty when none has it. */
  get(key: number): PostingList {
    const slot = this.#slotFor(key);
    if (!this.#used[slot]) return EMPTY;
    return this.#entries.subarray(this.#starts[slot], this.#starts[slot] + this.#counts[slot]);
  }

  #count(key: number, item: number): void {
    let slot = this.#slotFor(key);
    if (!this.#used[slot]) {
      if (this.#size + 1 > this.#keys.length >> 1) {
        this.#grow();
        slot = this.#slotFor(key);
      }
      this.#used[slot] = 1;
      this.#keys[slot] = key;
      this.#size++;
    }
    if (this.#lastItem[slot] !== item) {
      this.#lastItem[slot] = item;
      this.#counts[slot]++;
    }
  }

  #grow(): void {
    const keys = this.#keys;
    const used = this.#used;
    const counts = this.#counts;
    const lastItem = this.#lastItem;
    const capacity = keys.length * 2;
    this.#keys = new Uint32Array(capacity);
    this.#used = new Uint8Array(capacity);
    this.#counts = new Int32Array(capacity);
    this.#lastItem = new Int32Array(capacity).fill(-1);
    this.#shift--;
    for (let slot = 0; slot < keys.length; slot++) {
      if (!used[slot]) continue;
      const to = this.#slotFor(keys[slot]);
      this.#used[to] = 1;
      this.#keys[to] = keys[slot];
      this.#counts[to] = counts[slot];
      this.#lastItem[to] = lastItem[slot];
    }
  }

  /** The slot holding `key`, or the empty slot where it would go (linear probing). */
  #slotFor(key: number): number {
    const mask = this.#keys.length - 1;
    // Keys are below 2^32: `| 0` keeps all their bits for the multiply.
    let slot = Math.imul(key | 0, 0x9e3779b1) >>> this.#shift;
    while (this.#used[slot] && this.#keys[slot] !== key) slot = (slot + 1) & mask;
    return slot;
  }
}

const EMPTY: PostingList = new Uint16Array(0);

/** A character's key. */
export function characterKey(text: string, at: number): number {
  return text.charCodeAt(at);
}

/** The key of the pair of characters at `at` and `at + 1`. */
export function pairKey(text: string, at: number): number {
  return text.charCodeAt(at) * 65536 + text.charCodeAt(at + 1);
}
