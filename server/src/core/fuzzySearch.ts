/**
 * Ranked fuzzy search over names, fast enough to run on every keystroke in a
 * vault of 50,000 notes: cheap string tests (prefix, word start, substring,
 * letters in order) into a bounded top list, on as few items as give the same
 * answer as testing all of them (see FuzzyIndex), and a bigram similarity pass
 * for typos only when that finds too little. Case-insensitive and
 * NFC-normalized, so Korean typed in any normalization form matches.
 *
 * Korean is also matched the way it is typed (see hangul.ts): a query with
 * Hangul is compared with each name's jamo, contiguously, so the syllable
 * still being composed matches (`제모` finds `제목`, `발ㅍ` finds `발표`); a query
 * of initial consonants with each name's initials (`ㅅㅇㅈ` finds `사용자 속성 추정`),
 * with the same kinds of match as the name itself.
 */

import { CharacterPostings, characterKey, pairKey, type WorkBudget } from './characterPostings';
import { hangulInitials, hangulJamo, hasHangul, isInitialsQuery } from './hangul';

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

/** Subtracted from a demoted kind's scores (all in 0..1): below every other match, and never 0 (no match). */
const DEMOTED = 2;
/** The most letters-in-order matching can score (compact, every letter at a word start): substring matches score more. */
const IN_ORDER_MAX = IN_ORDER + 0.2 + 0.15;

/** The kind of a retired item (FuzzyIndex.retire): no filter accepts it. */
const RETIRED_KIND = 255;

/**
 * The passes of one search, which SegmentedFuzzyIndex runs over all its
 * indexes one pass at a time, so a pass that settles the answer for their
 * union ends it (as it ends one index's search): `prefix` alone (its best and
 * how many accepted items start with the query), `substring` (the items with
 * the query's rarest character pair), `inOrder` (the items with its rarest
 * letter, then near misses), or `all` of them as `search` does.
 */
export type SearchPhase = 'all' | 'prefix' | 'substring' | 'inOrder';

export interface ScoredItems<T> {
  readonly items: Array<{ item: T; score: number }>;
  /** Accepted, not demoted items whose main text starts with the query (counted by the prefix pass). */
  readonly prefixes: number;
}

/** How a query is searched: whether it is empty, whether the substring pass applies (every form two letters or more), whether near misses are looked for. */
export function queryShape(wanted: PreparedQuery): { empty: boolean; substrings: boolean; typos: boolean } {
  return { empty: wanted.plain === '', substrings: queryForms(wanted).every((form) => form.length >= 2), typos: wanted.plain.length >= 3 };
}

/** A query and a filter as every index searches them: prepared once for a search of many (SegmentedFuzzyIndex). */
export interface PreparedSearch {
  readonly wanted: PreparedQuery;
  /** Per kind, 1 when the filter accepts it (never the retired kind), and 1 when it demotes it. */
  readonly accepted: Uint8Array;
  readonly demoted: Uint8Array;
}

export function prepareSearch(query: string, filter: SearchFilter): PreparedSearch {
  const accepted = new Uint8Array(256);
  const demoted = new Uint8Array(256);
  for (let kind = 0; kind < RETIRED_KIND; kind++) {
    accepted[kind] = filter.accept(kind) ? 1 : 0;
    demoted[kind] = filter.demote?.(kind) ? 1 : 0;
  }
  return { wanted: prepareQuery(query), accepted, demoted };
}

/** Above the best letters-in-order score: a substring pass whose worst kept score is above it is complete. */
export const SUBSTRING_COMPLETE_ABOVE = IN_ORDER_MAX;

/**
 * What a search may return. Items carry a small kind (flags, below 255) given
 * when the index is built, so filtering is a table lookup and not a call per item.
 */
export interface SearchFilter {
  /** Kinds that may be returned at all. */
  readonly accept: (kind: number) => boolean;
  /** Kinds ranked after every item of the other kinds (each group in fuzzy order). */
  readonly demote?: (kind: number) => boolean;
}

/**
 * The index answers a query exactly as scoring every item would (best `limit`
 * by score, ties by item order), without scoring every item:
 * - items are also kept in order of the main field's text: any prefix match
 *   beats every other match, so when `limit` items start with the query a
 *   binary search finds them all (most short queries);
 * - a posting list per character pair finds the items that contain the query
 *   as a substring; only when those are too few or too weak is every item tested
 *   for its letters in order (cheaply: most fail one bit test);
 * - near misses (typos) come from the same posting lists, so only names sharing
 *   a character pair with the query are compared.
 */
export class FuzzyIndex<T> {
  readonly #items: readonly T[];
  readonly #kinds: Uint8Array;
  readonly #fields: ReadonlyArray<IndexedField>;
  /** Item indices in order of their main (heaviest) field's folded text: the items a prefix matches are a run of it. */
  readonly #byMainText: Int32Array;
  /** The same for the main field's jamo and initials, of the items whose main text has Hangul. */
  readonly #byMainJamo: Int32Array;
  readonly #byMainInitials: Int32Array;
  /**
   * Character (a UTF-16 unit, key below 65,536) or character pair (key
   * first × 65,536 + second) → indices of the items with it in any field, ascending.
   */
  readonly #postings: CharacterPostings;
  /** Per item, the search that last visited it: dedupes posting-list unions without clearing a set. */
  readonly #visited: Uint32Array;
  /** Per item, a count of the current search's typo pass (valid where #visited says so). */
  readonly #counts: Uint8Array;
  #search = 0;
  #scored = 0;

  constructor(items: readonly T[], fields: ReadonlyArray<SearchField<T>>, kindOf: (item: T) => number = () => 0, built?: FuzzyIndexParts) {
    const parts = built ?? runToEnd(buildParts(items, fields, kindOf, { left: Number.MAX_SAFE_INTEGER, slice: Number.MAX_SAFE_INTEGER }));
    this.#items = items;
    this.#kinds = parts.kinds;
    this.#fields = parts.fields;
    this.#byMainText = parts.byMainText;
    this.#byMainJamo = parts.byMainJamo;
    this.#byMainInitials = parts.byMainInitials;
    this.#postings = parts.postings;
    this.#visited = new Uint32Array(items.length);
    this.#counts = new Uint8Array(items.length);
  }

  /**
   * The same index built a slice at a time: each `next()` does about
   * `sliceWork` units of work (one unit is one item's pass of one phase:
   * folding a field, listing its characters) and the last returns the index.
   * A builder of tens of thousands of names thus never holds the thread for
   * more than a few milliseconds (SegmentedFuzzyIndex runs one slice a step).
   */
  static *building<T>(items: readonly T[], fields: ReadonlyArray<SearchField<T>>, kindOf: (item: T) => number, sliceWork: number): Generator<void, FuzzyIndex<T>, void> {
    const parts = yield* buildParts(items, fields, kindOf, { left: sliceWork, slice: sliceWork });
    return new FuzzyIndex(items, fields, kindOf, parts);
  }

  get size(): number {
    return this.#items.length;
  }

  /**
   * Takes item `index` out of every search from now on (as if the index had
   * been built without it): a note deleted or renamed, until the segment it is
   * in is rebuilt (see SegmentedFuzzyIndex).
   */
  retire(index: number): void {
    this.#kinds[index] = RETIRED_KIND;
  }

  /** How many items the last search scored: what the shortcuts save, for tests and profiles. */
  get lastSearchScored(): number {
    return this.#scored;
  }

  /**
   * The best `limit` items the filter accepts, best first; equal scores keep the
   * order the items were given in.
   */
  search(query: string, limit: number, filter: SearchFilter): T[] {
    return this.#searchIndices(prepareSearch(query, filter), limit, true).entries.map(({ index }) => this.#items[index]);
  }

  /**
   * The same search with each item's score and its place in this index, for
   * merging the answers of several indexes (SegmentedFuzzyIndex). Without
   * `typos`, only real matches (no near misses), so the caller can count them.
   */
  searchScored(search: PreparedSearch, limit: number, typos: boolean, phase: SearchPhase = 'all'): ScoredItems<T> {
    const found = this.#searchIndices(search, limit, typos, phase);
    return { items: found.entries.map(({ index, score }) => ({ item: this.#items[index], score })), prefixes: found.prefixes };
  }

  #searchIndices(search: PreparedSearch, limit: number, typos: boolean, phase: SearchPhase = 'all'): { entries: Array<{ index: number; score: number }>; prefixes: number } {
    const { wanted, accepted, demoted } = search;
    this.#scored = 0;
    const kinds = this.#kinds;
    const count = this.#items.length;
    const plainMask = charMask(wanted.plain);
    const jamoMask = wanted.jamo === undefined ? 0 : charMask(wanted.jamo);
    const initialsMask = wanted.initials === undefined ? 0 : charMask(wanted.initials);
    /** The item's score, lowered below every other kind's when demoted; 0 for no match. */
    const scoreOf = (index: number): number => {
      this.#scored++;
      let score = 0;
      for (const field of this.#fields) {
        // A lighter field cannot beat what a heavier one already scored.
        if (score >= field.weight) break;
        // Letters the text lacks cannot all be in it: most texts fail here, with one AND.
        const text = field.texts[index];
        if (text !== undefined && (field.masks[index] & plainMask) === plainMask) score = Math.max(score, matchScore(text, wanted.plain) * field.weight);
        const jamo = field.jamo[index];
        if (jamo === undefined) continue;
        if (wanted.jamo !== undefined && (field.jamoMasks[index] & jamoMask) === jamoMask) score = Math.max(score, contiguousScore(jamo, wanted.jamo) * field.weight);
        if (wanted.initials !== undefined && (field.initialsMasks[index] & initialsMask) === initialsMask) score = Math.max(score, matchScore(field.initials[index]!, wanted.initials) * field.weight);
      }
      return score > 0 && demoted[kinds[index]] ? score - DEMOTED : score;
    };

    let best = new TopList(limit);
    if (wanted.plain === '') {
      for (let index = 0; index < count && best.size < limit; index++) if (accepted[kinds[index]] && !demoted[kinds[index]]) best.offer(index, 1);
      for (let index = 0; index < count && best.size < limit; index++) if (accepted[kinds[index]] && demoted[kinds[index]]) best.offer(index, -DEMOTED);
      return { entries: best.entries(), prefixes: 0 };
    }

    const prefixes = phase === 'all' || phase === 'prefix' ? this.#searchPrefixes(wanted, best, accepted, demoted, scoreOf) : 0;
    if (phase === 'prefix') return { entries: best.entries(), prefixes };
    if (prefixes < limit) {
      best = new TopList(limit);
      // Every substring match contains the query's rarest character pair (or, for one
      // letter, the letter); every letters-in-order match contains its rarest letter:
      // in each form the query is matched in (its own text, jamo, initials).
      const forms = queryForms(wanted);
      let complete = false;
      if (phase !== 'inOrder' && forms.every((form) => form.length >= 2)) {
        const visit = this.#nextVisit();
        for (const form of forms) {
          for (const index of this.#holdingAll(queryPairs(form))) {
            if (this.#visited[index] === visit) continue;
            this.#visited[index] = visit;
            if (accepted[kinds[index]]) best.offer(index, scoreOf(index));
          }
        }
        complete = best.size === limit && best.worst > IN_ORDER_MAX;
        if (phase === 'substring') return { entries: best.entries(), prefixes };
      }
      if (!complete) {
        best = new TopList(limit);
        const visit = this.#nextVisit();
        for (const [at, form] of forms.entries()) {
          // Jamo match only contiguously (forms[1] when there is one): their rarest pair finds them all, and is far rarer than any one letter.
          const keys = at === 1 && wanted.jamo !== undefined && form.length >= 2 ? queryPairs(form) : queryLetters(form);
          for (const index of this.#holdingAll(keys)) {
            if (this.#visited[index] === visit) continue;
            this.#visited[index] = visit;
            if (accepted[kinds[index]]) best.offer(index, scoreOf(index));
          }
        }
      }
    }

    // Few matches: look for near misses (`meetign` for `meeting`) by the heaviest
    // field (the name), ranked after every real match (and demoted ones after those).
    if (typos && best.size < limit && wanted.plain.length >= 3) {
      const grams = bigramIndex(wanted.plain);
      const names = this.#fields[0].texts;
      // First count, per item, how many of the query's pairs it has in any field (an
      // upper bound of those its name shares): a typo must share enough of them to
      // reach the threshold, so only those items are scored. Common pairs (`er`,
      // `pa`) reach most of a vault; counting them is an increment each.
      const visit = this.#nextVisit();
      const counts = this.#counts;
      const touched: number[] = [];
      for (const pair of grams.keys()) {
        for (const index of this.#postings.get(pair)) {
          if (this.#visited[index] !== visit) {
            this.#visited[index] = visit;
            counts[index] = 0;
            touched.push(index);
          }
          counts[index]++;
        }
      }
      touched.sort((a, b) => a - b);
      for (const index of touched) {
        const text = names[index];
        if (text === undefined || counts[index] < minSharedForTypo(grams.size, text.length)) continue;
        if (!accepted[kinds[index]] || scoreOf(index) !== 0) continue;
        const score = typoScore(text, grams);
        if (score > 0) best.offer(index, demoted[kinds[index]] ? score - DEMOTED : score);
      }
    }
    return { entries: best.entries(), prefixes };
  }

  /**
   * Any prefix of the main text (or of its jamo or initials, for a Korean
   * query) outscores every other kind of match (see the scores), so when
   * `limit` accepted items start with the query, they are the answer: found by
   * binary search, scored without looking at the rest. False when fewer do.
   */
  #searchPrefixes(wanted: PreparedQuery, best: TopList, accepted: Uint8Array, demoted: Uint8Array, scoreOf: (index: number) => number): number {
    const main = this.#fields[0];
    if (!main) return 0;
    const runs: Array<[Int32Array, ReadonlyArray<string | undefined>, string]> = [[this.#byMainText, main.texts, wanted.plain]];
    if (wanted.jamo !== undefined) runs.push([this.#byMainJamo, main.jamo, wanted.jamo]);
    if (wanted.initials !== undefined) runs.push([this.#byMainInitials, main.initials, wanted.initials]);
    const visit = this.#nextVisit();
    let found = 0;
    for (const [order, texts, prefix] of runs) {
      let low = 0;
      let high = order.length;
      while (low < high) {
        const mid = (low + high) >>> 1;
        if (compareCodeUnits(texts[order[mid]] ?? '', prefix) < 0) low = mid + 1;
        else high = mid;
      }
      for (let at = low; at < order.length; at++) {
        const index = order[at];
        if (!texts[index]?.startsWith(prefix)) break;
        if (this.#visited[index] === visit) continue;
        this.#visited[index] = visit;
        if (!accepted[this.#kinds[index]] || demoted[this.#kinds[index]]) continue;
        best.offer(index, scoreOf(index));
        found++;
      }
    }
    return found;
  }

  /**
   * The items holding every one of `keys` (characters or pairs) in some field:
   * a superset of those matching a form that needs them all (a substring needs
   * each of its pairs, letters in order each letter). The rarest lists are
   * intersected, a few at most: past that, each list more removes little.
   */
  #holdingAll(keys: readonly number[]): Iterable<number> & ArrayLike<number> {
    const lists = [...new Set(keys)].map((key) => this.#postings.get(key)).sort((a, b) => a.length - b.length);
    if (lists.length === 0) return [];
    let found: Iterable<number> & ArrayLike<number> = lists[0];
    for (let at = 1; at < Math.min(lists.length, 3) && found.length > 0; at++) found = intersectSorted(found, lists[at]);
    return found;
  }

  #nextVisit(): number {
    this.#search = (this.#search + 1) >>> 0;
    if (this.#search === 0) {
      this.#visited.fill(0);
      this.#search = 1;
    }
    return this.#search;
  }
}

/** The values in both ascending lists, ascending: a walk of the shorter with a galloping search in the longer. */
function intersectSorted(short: ArrayLike<number>, long: ArrayLike<number>): number[] {
  const both: number[] = [];
  let from = 0;
  for (let i = 0; i < short.length && from < long.length; i++) {
    const value = short[i];
    // Gallop, then binary search, for the first entry of `long` not below `value`.
    let step = 1;
    let high = from;
    while (high < long.length && long[high] < value) {
      from = high + 1;
      high += step;
      step *= 2;
    }
    high = Math.min(high, long.length);
    while (from < high) {
      const mid = (from + high) >>> 1;
      if (long[mid] < value) from = mid + 1;
      else high = mid;
    }
    if (from < long.length && long[from] === value) both.push(value);
  }
  return both;
}

/** Orders strings by UTF-16 code units, as `startsWith` sees them (not by locale). */
function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

interface IndexedField {
  readonly texts: ReadonlyArray<string | undefined>;
  readonly masks: Int32Array;
  /** Per item, the text's jamo and initials (hangul.ts); undefined when it has no Hangul. */
  readonly jamo: ReadonlyArray<string | undefined>;
  readonly jamoMasks: Int32Array;
  readonly initials: ReadonlyArray<string | undefined>;
  readonly initialsMasks: Int32Array;
  readonly weight: number;
}

/** What an index is made of (FuzzyIndex's fields), built by `buildParts`. */
interface FuzzyIndexParts {
  readonly kinds: Uint8Array;
  readonly fields: ReadonlyArray<IndexedField>;
  readonly byMainText: Int32Array;
  readonly byMainJamo: Int32Array;
  readonly byMainInitials: Int32Array;
  readonly postings: CharacterPostings;
}

/** Work left in the current slice of a sliced build, and a slice's size (see WorkBudget in characterPostings.ts). */
type Budget = WorkBudget;

/** Runs a sliced build to its end at once. */
function runToEnd<R>(builder: Generator<void, R, void>): R {
  for (;;) {
    const step = builder.next();
    if (step.done) return step.value;
  }
}

/** Yields (ends the slice) once the slice's work is spent. */
function* spend(budget: Budget, work: number): Generator<void, void, void> {
  budget.left -= work;
  if (budget.left <= 0) {
    budget.left = budget.slice;
    yield;
  }
}

function* buildParts<T>(items: readonly T[], fields: ReadonlyArray<SearchField<T>>, kindOf: (item: T) => number, budget: Budget): Generator<void, FuzzyIndexParts, void> {
  const count = items.length;
  const kinds = Uint8Array.from(items, kindOf);
  const maxWeight = Math.max(...fields.map((field) => field.weight));
  const indexed: IndexedField[] = [];
  // Heaviest first: the search stops early once a field's score cannot be beaten.
  for (const field of [...fields].sort((a, b) => b.weight - a.weight)) {
    const texts: Array<string | undefined> = [];
    const jamo: Array<string | undefined> = [];
    const initials: Array<string | undefined> = [];
    const masks = new Int32Array(count);
    const jamoMasks = new Int32Array(count);
    const initialsMasks = new Int32Array(count);
    for (let at = 0; at < count; at++) {
      const text = fold(field.text(items[at]));
      const textJamo = text !== undefined && hasHangul(text) ? hangulJamo(text) : undefined;
      const textInitials = textJamo !== undefined ? hangulInitials(text!) : undefined;
      texts.push(text);
      jamo.push(textJamo);
      initials.push(textInitials);
      if (text !== undefined) masks[at] = charMask(text);
      if (textJamo !== undefined) jamoMasks[at] = charMask(textJamo);
      if (textInitials !== undefined) initialsMasks[at] = charMask(textInitials);
      if (--budget.left <= 0) yield* spend(budget, 0);
    }
    indexed.push({ texts, masks, jamo, jamoMasks, initials, initialsMasks, weight: field.weight / maxWeight });
  }
  const main = indexed[0];
  // Sorted in slices like the rest: one sort of a segment's 4,096 texts at once took 10-30 ms on these machines.
  const byMainText = yield* sortedBy(main?.texts ?? [], count, false, budget);
  const byMainJamo = yield* sortedBy(main?.jamo ?? [], count, true, budget);
  const byMainInitials = yield* sortedBy(main?.initials ?? [], count, true, budget);
  // Every form of every field: a jamo or initials match is found through its characters' postings like any other.
  const fieldTexts = indexed.flatMap((field) => [field.texts, field.jamo, field.initials]);
  // A text inside another field's text (a note's name in its path) adds no key: skipped, a third less to hash.
  const postings = yield* CharacterPostings.building(
    count,
    (index) => {
      const texts = fieldTexts.map((field) => field[index]);
      return texts.filter((text, at) => text !== undefined && !texts.some((other, otherAt) => otherAt !== at && other !== undefined && other.length > text.length && other.includes(text)));
    },
    budget,
  );
  return { kinds, fields: indexed, byMainText, byMainJamo, byMainInitials, postings };
}

/** Item indices ordered by their text (equal texts by index); with `definedOnly`, only the items that have one. */
function* sortedBy(texts: ReadonlyArray<string | undefined>, count: number, definedOnly: boolean, budget: Budget): Generator<void, Int32Array, void> {
  const indices: number[] = [];
  for (let index = 0; index < count; index++) if (!definedOnly || texts[index] !== undefined) indices.push(index);
  // Code-unit comparisons are cheap: a run's sort counts as a pass over its items, as a whole sort did before it was sliced.
  return Int32Array.from(yield* sortInSlices(indices, (a, b) => compareCodeUnits(texts[a] ?? '', texts[b] ?? ''), budget, 1));
}

/** Items per run the merge sort of `sortInSlices` begins with (sorted at once, one slice each at most). */
const SORT_RUN = 512;

/**
 * `items` sorted by `compare` (stable), a slice at a time: runs of SORT_RUN
 * sorted at once (`runWork` units of work an item: what a comparison costs
 * against a pass over an item), then merged pairwise, one unit an item placed.
 */
export function* sortInSlices<T>(items: readonly T[], compare: (a: T, b: T) => number, budget: WorkBudget, runWork: number): Generator<void, T[], void> {
  let runs: T[][] = [];
  for (let start = 0; start < items.length; start += SORT_RUN) {
    const run = items.slice(start, start + SORT_RUN).sort(compare);
    runs.push(run);
    yield* spend(budget, run.length * runWork);
  }
  while (runs.length > 1) {
    const merged: T[][] = [];
    for (let at = 0; at < runs.length; at += 2) {
      const a = runs[at];
      const b = runs[at + 1];
      if (!b) {
        merged.push(a);
        continue;
      }
      const out = new Array<T>(a.length + b.length);
      let i = 0;
      let j = 0;
      for (let k = 0; k < out.length; k++) {
        out[k] = j >= b.length || (i < a.length && compare(a[i], b[j]) <= 0) ? a[i++] : b[j++];
        if (--budget.left <= 0) yield* spend(budget, 0);
      }
      merged.push(out);
    }
    runs = merged;
  }
  return runs[0] ?? [];
}

/** A query as it is matched: folded, and for Korean its jamo (contiguous matches) or initials. */
export interface PreparedQuery {
  readonly plain: string;
  /** For a query with Hangul other than initials alone: its jamo, matched contiguously against names' jamo. */
  readonly jamo?: string;
  /** For a query of initial consonants (`ㅅㅇㅈ`): its letters, matched against names' initials. */
  readonly initials?: string;
}

export function prepareQuery(query: string): PreparedQuery {
  const plain = fold(query)!.trim();
  if (!hasHangul(plain)) return { plain };
  return isInitialsQuery(plain) ? { plain, initials: hangulJamo(plain) } : { plain, jamo: hangulJamo(plain) };
}

/** The query's forms: its text, then its jamo or its initials when it has them. */
function queryForms(query: PreparedQuery): string[] {
  const forms = [query.plain];
  if (query.jamo !== undefined) forms.push(query.jamo);
  if (query.initials !== undefined) forms.push(query.initials);
  return forms;
}

/**
 * How well a prepared query matches a text in any of its forms: the text
 * itself, its jamo (contiguously), its initials. 0 for no match, up to 1.
 */
export function textScore(text: string, query: PreparedQuery): number {
  const folded = fold(text)!;
  let score = matchScore(folded, query.plain);
  if ((query.jamo === undefined && query.initials === undefined) || !hasHangul(folded)) return score;
  if (query.jamo !== undefined) score = Math.max(score, contiguousScore(hangulJamo(folded), query.jamo));
  if (query.initials !== undefined) score = Math.max(score, matchScore(hangulInitials(folded), query.initials));
  return score;
}

/** Like matchScore, but only prefix, word-start and substring matches: jamo in order would match almost any Korean name. */
function contiguousScore(text: string, query: string): number {
  return text.includes(query) ? matchScore(text, query) : 0;
}

function queryLetters(text: string): number[] {
  const letters: number[] = [];
  for (let i = 0; i < text.length; i++) letters.push(characterKey(text, i));
  return letters;
}

function queryPairs(text: string): number[] {
  const pairs: number[] = [];
  for (let i = 0; i + 1 < text.length; i++) pairs.push(pairKey(text, i));
  return pairs;
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
export function bigramIndex(text: string): Map<number, number> {
  const grams = new Map<number, number>();
  for (let i = 0; i + 1 < text.length && grams.size < 31; i++) {
    const gram = pairKey(text, i);
    if (!grams.has(gram)) grams.set(gram, 1 << grams.size);
  }
  return grams;
}

/**
 * The fewest of the query's `queryGrams` distinct pairs a text of `textLength`
 * must share for typoScore to pass the threshold: Dice = 2 × shared ÷ (query
 * pairs + text pairs) ≥ TYPO_THRESHOLD.
 */
export function minSharedForTypo(queryGrams: number, textLength: number): number {
  return Math.max(1, Math.ceil((TYPO_THRESHOLD * (queryGrams + Math.max(0, textLength - 1))) / 2 - 1e-9));
}

/** Dice similarity of character pairs, for typos; 0 below the threshold. */
export function typoScore(text: string, queryGrams: ReadonlyMap<number, number>): number {
  if (text.length < 2) return 0;
  let seen = 0;
  for (let i = 0; i + 1 < text.length; i++) {
    const bit = queryGrams.get(pairKey(text, i));
    if (bit !== undefined) seen |= bit;
  }
  let shared = 0;
  for (; seen; seen &= seen - 1) shared++;
  const dice = (2 * shared) / (queryGrams.size + text.length - 1);
  return dice >= TYPO_THRESHOLD ? TYPO * dice : 0;
}

/** The `limit` best (index, score) pairs offered, best first: higher score, then lower index. Scores of 0 are no match. */
class TopList {
  readonly #indices: number[] = [];
  readonly #scores: number[] = [];

  constructor(readonly limit: number) {}

  get size(): number {
    return this.#indices.length;
  }

  /** The lowest score kept (meaningful once full). */
  get worst(): number {
    return this.#scores[this.#scores.length - 1] ?? 0;
  }

  offer(index: number, score: number): void {
    if (score === 0) return;
    const count = this.#scores.length;
    const last = count - 1;
    if (count >= this.limit && (score < this.#scores[last] || (score === this.#scores[last] && index > this.#indices[last]))) return;
    // Binary search for the first entry this one ranks before.
    let low = 0;
    let high = count;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.#scores[mid] > score || (this.#scores[mid] === score && this.#indices[mid] < index)) low = mid + 1;
      else high = mid;
    }
    this.#indices.splice(low, 0, index);
    this.#scores.splice(low, 0, score);
    if (this.#indices.length > this.limit) {
      this.#indices.pop();
      this.#scores.pop();
    }
  }

  entries(): Array<{ index: number; score: number }> {
    return this.#indices.map((index, at) => ({ index, score: this.#scores[at] }));
  }
}
