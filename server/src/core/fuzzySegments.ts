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
 * A segment is built a slice at a time (FuzzyIndex.building, BUILD_SLICE_WORK
 * a step): until its last slice its items are not searchable if they were
 * pending, and stay searchable in the segments it replaces if it is a merge;
 * an item removed meanwhile is retired in it when it is done.
 * A search asks every segment for its best `limit` and merges them: the answer
 * is exactly what one FuzzyIndex over the same items would give, because
 * every segment orders its items by the same total order (`compare`) and a
 * segment's best `limit` holds every item of its among the union's best.
 */

import { FuzzyIndex, prepareSearch, queryShape, sortInSlices, SUBSTRING_COMPLETE_ABOVE, type SearchField, type SearchFilter, type SearchPhase } from './fuzzySearch';

interface Segment<T> {
  readonly index: FuzzyIndex<T>;
  readonly items: readonly T[];
  retired: number;
}

/** Segments with fewer live items than this are merged by the next step (two or more of them): fewer segments, fewer searches per query. */
const SMALL_SEGMENT = 2048;

/**
 * Work units (one item's pass of one phase of a build) a step does: about
 * 2-4 ms on these machines, so a keystroke that arrives during background
 * building waits that long, not for a whole segment (16,384 names: 100-170 ms).
 * 2,048 units took 12-16 ms a step in the completion catalog, whose items hold
 * three texts each (the name, its jamo, its initials), each character listed
 * alone and in a pair.
 */
export const BUILD_SLICE_WORK = 512;

/** A segment being built by steps, and what happened to its items meanwhile. */
interface Build<T> {
  builder: Generator<void, FuzzyIndex<T>, void>;
  /** Its items; in the index's order once sorted (the index's positions). */
  items: T[];
  readonly members: Set<T>;
  /** The segments it replaces when done (a merge); none when it is built from pending items. */
  readonly replacing: ReadonlyArray<Segment<T>>;
  /** Its items removed while it was built: retired in it when it is done. */
  readonly removed: Set<T>;
}

export class SegmentedFuzzyIndex<T> {
  readonly #fields: ReadonlyArray<SearchField<T>>;
  readonly #kindOf: (item: T) => number;
  readonly #compare: (a: T, b: T) => number;
  #segments: Array<Segment<T>> = [];
  /**
   * Which segment each item built into one is in. Its place there is found by
   * binary search when it is removed (a segment's items are in `compare`
   * order): a { segment, at } object per item was 40 bytes each, 6 MB at
   * 10,000 notes' symbols.
   */
  readonly #segmentOf = new Map<T, Segment<T>>();
  /** Items added and not yet in a segment, oldest first. */
  readonly #pending = new Set<T>();
  #building: Build<T> | undefined;

  /**
   * `compare` is a total order of the items (no two compare equal): it ranks
   * equal scores, as the order items are given in does for one FuzzyIndex.
   */
  constructor(fields: ReadonlyArray<SearchField<T>>, kindOf: (item: T) => number, compare: (a: T, b: T) => number) {
    this.#fields = fields;
    this.#kindOf = kindOf;
    this.#compare = compare;
  }

  /** Items added and not yet searchable (see `step`): waiting, or in a segment still being built from them. */
  get pendingCount(): number {
    const building = this.#building;
    return this.#pending.size + (building && building.replacing.length === 0 ? building.items.length - building.removed.size : 0);
  }

  get segmentCount(): number {
    return this.#segments.length;
  }

  /** Whether a `step` has anything to do: items waiting, or segments to merge or rebuild. */
  get hasWork(): boolean {
    return this.#building !== undefined || this.#pending.size > 0 || this.#compactable().length > 0;
  }

  add(item: T): void {
    this.#pending.add(item);
  }

  remove(item: T): void {
    if (this.#pending.delete(item)) return;
    if (this.#building?.members.has(item)) this.#building.removed.add(item);
    const segment = this.#segmentOf.get(item);
    if (!segment) return;
    this.#segmentOf.delete(item);
    segment.index.retire(positionOf(segment.items, item, this.#compare));
    segment.retired++;
  }

  /**
   * One bounded piece of work (BUILD_SLICE_WORK): a slice of the segment being
   * built; else a new segment is begun of at most `maxItems` pending items, or
   * of small or half-retired segments merged (at most `maxItems` live items),
   * and its first slice built. Returns whether more remains.
   */
  step(maxItems: number): boolean {
    if (!this.#building) this.#begin(maxItems);
    const building = this.#building;
    if (building) {
      const slice = building.builder.next();
      if (slice.done) this.#install(building, slice.value);
    }
    return this.hasWork;
  }

  /** Builds what waits, to the end: the segment in progress, then every pending item. The index is then one over every item added and not removed. */
  flush(maxItems: number): void {
    while (this.#building || this.#pending.size > 0) {
      if (!this.#building) this.#begin(maxItems, true);
      const building = this.#building!;
      for (;;) {
        const slice = building.builder.next();
        if (slice.done) {
          this.#install(building, slice.value);
          break;
        }
      }
    }
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

  /** Begins a segment: of pending items if any wait, else (unless `pendingOnly`) a merge of compactable segments. */
  #begin(maxItems: number, pendingOnly = false): void {
    let items: T[] = [];
    const replacing: Array<Segment<T>> = [];
    if (this.#pending.size > 0) {
      for (const item of this.#pending) {
        if (items.length >= maxItems) break;
        items.push(item);
      }
      for (const item of items) this.#pending.delete(item);
    } else if (!pendingOnly) {
      for (const segment of this.#compactable()) {
        const live = segment.items.filter((item) => this.#segmentOf.get(item) === segment);
        if (replacing.length > 0 && items.length + live.length > maxItems) continue;
        replacing.push(segment);
        items = items.concat(live);
      }
      if (replacing.length === 0) return;
    } else return;
    const fields = this.#fields;
    const kindOf = this.#kindOf;
    const compare = this.#compare;
    const members = new Set(items);
    // Sorted in slices too: a comparison of two names folds both, and 16,384 of them took 20-40 ms to sort at once.
    const build: Build<T> = { builder: undefined!, items, members, replacing, removed: new Set() };
    build.builder = (function* (): Generator<void, FuzzyIndex<T>, void> {
      // A comparison of two names folds both: about four units of work an item for a run's sort.
      const sorted = yield* sortInSlices(items, compare, { left: BUILD_SLICE_WORK, slice: BUILD_SLICE_WORK }, 4);
      build.items = sorted;
      return yield* FuzzyIndex.building(sorted, fields, kindOf, BUILD_SLICE_WORK);
    })();
    this.#building = build;
  }

  /** A segment's last slice is built: it replaces what it merges, and its items removed meanwhile are retired in it. */
  #install(building: Build<T>, index: FuzzyIndex<T>): void {
    this.#building = undefined;
    const { items, removed, replacing } = building;
    const segment: Segment<T> = { index, items, retired: 0 };
    for (let at = 0; at < items.length; at++) {
      if (removed.has(items[at])) {
        index.retire(at);
        segment.retired++;
      } else this.#segmentOf.set(items[at], segment);
    }
    this.#segments = this.#segments.filter((old) => !replacing.includes(old));
    if (items.length > segment.retired) this.#segments.push(segment);
  }
}

/** Where `item` is in `items`, which are in `compare` order, a total order (no two items compare equal); a linear search if the order does not find it. */
function positionOf<T>(items: readonly T[], item: T, compare: (a: T, b: T) => number): number {
  let low = 0;
  let high = items.length - 1;
  while (low <= high) {
    const mid = (low + high) >>> 1;
    const order = compare(items[mid], item);
    if (order === 0) return mid;
    if (order < 0) low = mid + 1;
    else high = mid - 1;
  }
  return items.indexOf(item);
}
