/**
 * A fuzzy search (fuzzySearch.ts) over a set of items that changes one at a
 * time, without rebuilding the whole index on each change: building the index
 * of 50,000 names takes about a second, and completion must answer in a few
 * milliseconds while notes come and go (a cold index adds them by the thousand).
 *
 * The items live in segments, each a FuzzyIndex built once over a few thousand
 * of them. An item added waits in `pending` until a bounded step builds a
 * segment of what waits; an item removed is retired in its segment (no search
 * returns it) until a step rebuilds a segment that is half retired or small.
 * A search asks every segment for its best `limit` and merges them: the answer
 * is exactly what one FuzzyIndex over the same items would give, because
 * every segment orders its items by the same total order (`compare`) and a
 * segment's best `limit` holds every item of its among the union's best.
 */

import { FuzzyIndex, prepareSearch, queryShape, SUBSTRING_COMPLETE_ABOVE, type SearchField, type SearchFilter, type SearchPhase } from './fuzzySearch';

interface Segment<T> {
  readonly index: FuzzyIndex<T>;
  readonly items: readonly T[];
  retired: number;
}

/** Segments with fewer live items than this are merged by the next step (two or more of them): fewer segments, fewer searches per query. */
const SMALL_SEGMENT = 2048;

export class SegmentedFuzzyIndex<T> {
  readonly #fields: ReadonlyArray<SearchField<T>>;
  readonly #kindOf: (item: T) => number;
  readonly #compare: (a: T, b: T) => number;
  #segments: Array<Segment<T>> = [];
  /** Where each item built into a segment is. */
  readonly #placeOf = new Map<T, { segment: Segment<T>; at: number }>();
  /** Items added and not yet in a segment, oldest first. */
  readonly #pending = new Set<T>();

  /**
   * `compare` is a total order of the items (no two compare equal): it ranks
   * equal scores, as the order items are given in does for one FuzzyIndex.
   */
  constructor(fields: ReadonlyArray<SearchField<T>>, kindOf: (item: T) => number, compare: (a: T, b: T) => number) {
    this.#fields = fields;
    this.#kindOf = kindOf;
    this.#compare = compare;
  }

  /** Items added and not yet searchable (see `step`). */
  get pendingCount(): number {
    return this.#pending.size;
  }

  get segmentCount(): number {
    return this.#segments.length;
  }

  /** Whether a `step` has anything to do: items waiting, or segments to merge or rebuild. */
  get hasWork(): boolean {
    return this.#pending.size > 0 || this.#compactable().length > 0;
  }

  add(item: T): void {
    this.#pending.add(item);
  }

  remove(item: T): void {
    if (this.#pending.delete(item)) return;
    const place = this.#placeOf.get(item);
    if (!place) return;
    this.#placeOf.delete(item);
    place.segment.index.retire(place.at);
    place.segment.retired++;
  }

  /**
   * One bounded piece of work: a segment of at most `maxItems` pending items,
   * else one of small or half-retired segments merged (at most `maxItems` live
   * items). Returns whether more remains.
   */
  step(maxItems: number): boolean {
    if (this.#pending.size > 0) {
      const taken: T[] = [];
      for (const item of this.#pending) {
        if (taken.length >= maxItems) break;
        taken.push(item);
      }
      for (const item of taken) this.#pending.delete(item);
      this.#build(taken, []);
      return this.hasWork;
    }
    const merged: Array<Segment<T>> = [];
    const items: T[] = [];
    for (const segment of this.#compactable()) {
      const live = segment.items.filter((item) => this.#placeOf.get(item)?.segment === segment);
      if (merged.length > 0 && items.length + live.length > maxItems) continue;
      merged.push(segment);
      items.push(...live);
    }
    if (merged.length) this.#build(items, merged);
    return this.hasWork;
  }

  /** Runs steps until nothing waits: the index is then one over every item added and not removed. */
  flush(maxItems: number): void {
    while (this.#pending.size > 0) this.step(maxItems);
  }

  /**
   * The best `limit` items the filter accepts among those in segments (not
   * the pending ones), best first, as one FuzzyIndex over them would answer.
   * Pass by pass over every segment, as one index searches (fuzzySearch.ts):
   * when `limit` items of all segments start with the query, or the substring
   * pass of all of them is complete, the later passes are not run in any.
   */
  search(query: string, limit: number, filter: SearchFilter): T[] {
    const prepared = prepareSearch(query, filter);
    const shape = queryShape(prepared.wanted);
    const merged = (phase: SearchPhase, typos: boolean) => {
      let prefixes = 0;
      const found: Array<{ item: T; score: number }> = [];
      for (const segment of this.#segments) {
        const answer = segment.index.searchScored(prepared, limit, typos, phase);
        prefixes += answer.prefixes;
        for (const scored of answer.items) found.push(scored);
      }
      found.sort((a, b) => b.score - a.score || this.#compare(a.item, b.item));
      return { best: found.slice(0, limit), prefixes };
    };
    if (shape.empty) return merged('all', false).best.map(({ item }) => item);
    const prefix = merged('prefix', false);
    if (prefix.prefixes >= limit) return prefix.best.map(({ item }) => item);
    if (shape.substrings) {
      const substring = merged('substring', false).best;
      if (substring.length === limit && substring[limit - 1].score > SUBSTRING_COMPLETE_ABOVE) return substring.map(({ item }) => item);
    }
    let inOrder = merged('inOrder', false).best;
    // One index looks for near misses only when fewer than `limit` items really match: across segments, so must this.
    if (inOrder.length < limit && shape.typos) inOrder = merged('inOrder', true).best;
    return inOrder.map(({ item }) => item);
  }

  /** Segments a step should merge or rebuild: small ones when there are two or more, and half-retired ones. */
  #compactable(): Array<Segment<T>> {
    const small = this.#segments.filter((segment) => segment.items.length - segment.retired < SMALL_SEGMENT);
    const halfRetired = this.#segments.filter((segment) => segment.retired > 0 && segment.retired * 2 >= segment.items.length && !small.includes(segment));
    return [...(small.length >= 2 ? small : small.filter((segment) => segment.retired > 0 && segment.retired * 2 >= segment.items.length)), ...halfRetired];
  }

  #build(items: T[], replacing: ReadonlyArray<Segment<T>>): void {
    items.sort(this.#compare);
    const segment: Segment<T> = { index: new FuzzyIndex(items, this.#fields, this.#kindOf), items, retired: 0 };
    for (let at = 0; at < items.length; at++) this.#placeOf.set(items[at], { segment, at });
    this.#segments = this.#segments.filter((old) => !replacing.includes(old));
    if (items.length) this.#segments.push(segment);
  }
}
