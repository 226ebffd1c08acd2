/**
 * Ranked fuzzy search over names, fast enough to run on every keystroke in a
 * vault of 50,000 notes: one linear pass of cheap string tests (prefix, word
 * start, substring, letters in order) with a bounded top list, and a bigram
 * similarity pass for typos only when that finds too little. Case-insensitive
 * and NFC-normalized, so Korean typed in any normalization form matches.
 */

export interface SearchField<T> {
  readonly text: (item: T) => string | undefined;
  /** How much a match in this field counts, relative to the others (the best field wins). */
  readonly weight: number;
}

/** Scores: any prefix beats any word start, which beats any substring, which beats letters in order, which beat typos. */
const PREFIX = 0.9;
const WORD_START = 0.8;
const SUBSTRING = 0.7;
const IN_ORDER = 0.3;
const TYPO = 0.05;
/** Bigram similarity (Dice) a typo must reach to be offered at all. */
const TYPO_THRESHOLD = 0.5;

export class FuzzyIndex<T> {
  readonly #items: readonly T[];
  readonly #fields: ReadonlyArray<{ readonly texts: ReadonlyArray<string | undefined>; readonly masks: Int32Array; readonly weight: number }>;

  constructor(items: readonly T[], fields: ReadonlyArray<SearchField<T>>) {
    this.#items = items;
    const maxWeight = Math.max(...fields.map((field) => field.weight));
    // Heaviest first: the search stops early once a field's score cannot be beaten.
    this.#fields = [...fields]
      .sort((a, b) => b.weight - a.weight)
      .map((field) => {
        const texts = items.map((item) => fold(field.text(item)));
        return { texts, masks: Int32Array.from(texts, (text) => (text === undefined ? 0 : charMask(text))), weight: field.weight / maxWeight };
      });
  }

  /**
   * The best `limit` items that `accept` lets through, best first; equal scores
   * keep the order the items were given in.
   */
  search(query: string, limit: number, accept: (item: T) => boolean): T[] {
    const wanted = fold(query)!.trim();
    const wantedMask = charMask(wanted);
    const best = new TopList(limit);
    const missed: number[] = [];
    const fields = this.#fields;
    for (let index = 0; index < this.#items.length; index++) {
      if (!accept(this.#items[index])) continue;
      let score = 0;
      for (const field of fields) {
        // A lighter field cannot beat what a heavier one already scored.
        if (score >= field.weight) break;
        // Letters the text lacks cannot all be in it: most texts fail here, with one AND.
        if ((field.masks[index] & wantedMask) !== wantedMask) continue;
        const text = field.texts[index];
        if (text !== undefined) score = Math.max(score, matchScore(text, wanted) * field.weight);
      }
      if (score > 0) best.offer(index, score);
      else missed.push(index);
    }
    // Few matches: look for near misses (`meetign` for `meeting`) among the rest, by
    // the heaviest field (the name), ranked after every real match.
    if (best.size < limit && wanted.length >= 3) {
      const grams = bigramIndex(wanted);
      const names = fields[0].texts;
      for (const index of missed) {
        const text = names[index];
        const score = text === undefined ? 0 : typoScore(text, grams);
        if (score > 0) best.offer(index, score);
      }
    }
    return best.indices().map((index) => this.#items[index]);
  }
}

/** Which of 32 classes of characters (by code, modulo 32) a text contains: a quick test that a match is impossible. */
function charMask(text: string): number {
  let mask = 0;
  for (let i = 0; i < text.length; i++) mask |= 1 << (text.charCodeAt(i) & 31);
  return mask;
}

function fold(text: string | undefined): string | undefined {
  return text?.normalize('NFC').toLowerCase();
}

/** How well `query` matches `text` (both folded): 0 for no match, up to 1 for the whole text. */
export function matchScore(text: string, query: string): number {
  if (query === '') return PREFIX;
  const at = text.indexOf(query);
  // Shorter texts rank first among equal kinds of match: `dev` prefers `DEVIEW` to `DEVIEW 2018 notes`.
  const closeness = (0.09 * query.length) / text.length;
  if (at === 0) return text.length === query.length ? 1 : PREFIX + closeness;
  if (at > 0) return (isWordStart(text, at) ? WORD_START : SUBSTRING) + closeness;
  // Letters in order: compact runs and letters at word starts score higher.
  let from = 0;
  let first = -1;
  let wordStarts = 0;
  for (let i = 0; i < query.length; i++) {
    const found = text.indexOf(query[i], from);
    if (found < 0) return 0;
    if (first < 0) first = found;
    if (isWordStart(text, found)) wordStarts++;
    from = found + 1;
  }
  const compactness = query.length / (from - first);
  return IN_ORDER + 0.2 * compactness + (0.15 * wordStarts) / query.length;
}

function isWordStart(text: string, at: number): boolean {
  if (at === 0) return true;
  const before = text.charCodeAt(at - 1);
  return before === 32 /* space */ || before === 47 /* / */ || before === 45 /* - */ || before === 95 /* _ */ || before === 46 /* . */ || before === 40 /* ( */;
}

/** The query's distinct character pairs, each with a bit (the first 31; a longer query is no typo of a name). */
function bigramIndex(text: string): Map<number, number> {
  const grams = new Map<number, number>();
  for (let i = 0; i + 1 < text.length && grams.size < 31; i++) {
    const gram = text.charCodeAt(i) * 65536 + text.charCodeAt(i + 1);
    if (!grams.has(gram)) grams.set(gram, 1 << grams.size);
  }
  return grams;
}

/** Dice similarity of character pairs, for typos; 0 below the threshold. */
function typoScore(text: string, queryGrams: ReadonlyMap<number, number>): number {
  if (text.length < 2) return 0;
  let seen = 0;
  for (let i = 0; i + 1 < text.length; i++) {
    const bit = queryGrams.get(text.charCodeAt(i) * 65536 + text.charCodeAt(i + 1));
    if (bit !== undefined) seen |= bit;
  }
  let shared = 0;
  for (; seen; seen &= seen - 1) shared++;
  const dice = (2 * shared) / (queryGrams.size + text.length - 1);
  return dice >= TYPO_THRESHOLD ? TYPO * dice : 0;
}

/** The `limit` best (index, score) pairs seen, kept sorted; ties keep the earlier index first. */
class TopList {
  readonly #indices: number[] = [];
  readonly #scores: number[] = [];

  constructor(readonly limit: number) {}

  get size(): number {
    return this.#indices.length;
  }

  offer(index: number, score: number): void {
    const count = this.#scores.length;
    if (count >= this.limit && score <= this.#scores[count - 1]) return;
    // Binary search for the first place with a lower score: later items with equal scores go after.
    let low = 0;
    let high = count;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.#scores[mid] >= score) low = mid + 1;
      else high = mid;
    }
    this.#indices.splice(low, 0, index);
    this.#scores.splice(low, 0, score);
    if (this.#indices.length > this.limit) {
      this.#indices.pop();
      this.#scores.pop();
    }
  }

  indices(): number[] {
    return [...this.#indices];
  }
}
