import { SymbolKind, type Range, type SymbolInformation } from 'vscode-languageserver-types';
import { SegmentedFuzzyIndex } from '../core/fuzzySegments';
import { compareLowerCase } from '../core/names';
import type { IndexedNote, VaultIndex } from '../core/vaultIndex';
import { tagKey } from '../features/tagNames';
import { readConferenceStructure } from '../features/talks';
import type { IDerivedIndex, IndexChangeEvent } from './derivedIndexes';

/** While indexing, a search may use a name index this old rather than build one for every file added. */
const STALE_SEARCH_MS = 2000;
/**
 * Names in one segment of the name index. A segment is built a slice at a
 * time (core/fuzzySegments.ts, a few milliseconds a step), so a keystroke
 * waits for one slice at most, where building a segment whole took 100-170 ms
 * and the whole index at once a second at 10,000 notes (100,000 names).
 */
const SYMBOL_SEGMENT_NAMES = 16384;
/** Symbols a step sorts into note order, name by name (a name with more is sorted whole: a tag of every note). */
const SORT_STEP_SYMBOLS = 4096;
/** Notes whose names a step of a vault's reset reads (about 20 µs a note). */
const RESET_STEP_NOTES = 256;

/**
 * One name the vault can be searched for: a note, one of its aliases, a
 * heading, a talk (`Event`), a tag it uses, or a block id (`Field`, for
 * `[[^^`, not workspace symbols).
 */
export interface NamedSymbol {
  readonly name: string;
  readonly kind: SymbolKind;
  readonly range: Range;
  /** A talk's time and track (`10:00 · Track 1`). */
  readonly detail?: string;
  /** A heading that is a talk's: workspace symbols show the talk instead. */
  readonly isTalkHeading?: true;
  /** A block's line (for a lone `^id` line, the block above it). */
  readonly line?: number;
}

/** What a search may return, as flags (see `SymbolIndex.find`). */
export const SymbolScope = {
  Note: 1,
  Alias: 2,
  Heading: 4,
  Tag: 8,
  Talk: 16,
  /** A heading that is a talk's. */
  TalkHeading: 32,
  Block: 64,
} as const;

/** What workspace symbols (Ctrl+T) list: a talk once, as its talk. */
export const WORKSPACE_SYMBOL_SCOPE = SymbolScope.Note | SymbolScope.Alias | SymbolScope.Heading | SymbolScope.Tag | SymbolScope.Talk;

/** Ranked first to last among equally good matches. */
const KIND_ORDER = new Map<SymbolKind, number>([
  [SymbolKind.File, 0],
  [SymbolKind.Constant, 1],
  [SymbolKind.Event, 2],
  [SymbolKind.String, 3],
  [SymbolKind.Key, 4],
  [SymbolKind.Field, 5],
]);

function scopeOf(symbol: { readonly kind: SymbolKind; readonly isTalkHeading?: true }): number {
  switch (symbol.kind) {
    case SymbolKind.File:
      return SymbolScope.Note;
    case SymbolKind.Constant:
      return SymbolScope.Alias;
    case SymbolKind.Event:
      return SymbolScope.Talk;
    case SymbolKind.Key:
      return SymbolScope.Tag;
    case SymbolKind.Field:
      return SymbolScope.Block;
    default:
      return symbol.isTalkHeading ? SymbolScope.TalkHeading : SymbolScope.Heading;
  }
}

const START: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/**
 * The note's names: its file name, aliases (at its front matter), headings,
 * talks (a conference note's, with time and track), tags (each at its first
 * mention) and block ids.
 */
export function symbolsOfNote(note: IndexedNote): NamedSymbol[] {
  const symbols: NamedSymbol[] = [{ name: note.name, kind: SymbolKind.File, range: START }];
  const frontMatter = note.parsed.frontMatter;
  const atFrontMatter: Range = frontMatter ? { start: frontMatter.range.start, end: frontMatter.range.start } : START;
  for (const alias of frontMatter?.aliases ?? []) symbols.push({ name: alias, kind: SymbolKind.Constant, range: atFrontMatter });
  // Talks from the talks feature's reading of the note (most notes are rejected there having read only their headings).
  const talks = readConferenceStructure(note.parsed)?.talks ?? [];
  const talkHeadings = new Set(talks.map((talk) => talk.heading));
  for (const heading of note.parsed.headings) if (heading.text.trim()) symbols.push({ name: heading.text.trim(), kind: SymbolKind.String, range: heading.textRange, ...(talkHeadings.has(heading) ? { isTalkHeading: true as const } : {}) });
  for (const talk of talks) {
    const detail = [talk.time, talk.track].filter(Boolean).join(' · ');
    if (talk.title.trim()) symbols.push({ name: talk.title.trim(), kind: SymbolKind.Event, range: talk.heading.textRange, ...(detail ? { detail } : {}) });
  }
  for (const block of note.parsed.blocks) symbols.push({ name: block.id, kind: SymbolKind.Field, range: block.range, line: block.line });
  const tags = new Set<string>();
  for (const tag of frontMatter?.tags ?? []) {
    if (tags.has(tagKey(tag))) continue;
    tags.add(tagKey(tag));
    symbols.push({ name: `#${tag}`, kind: SymbolKind.Key, range: atFrontMatter });
  }
  for (const tag of note.parsed.tags) {
    if (tags.has(tagKey(tag.name))) continue;
    tags.add(tagKey(tag.name));
    symbols.push({ name: `#${tag.name}`, kind: SymbolKind.Key, range: tag.range });
  }
  return symbols;
}

/**
 * Every symbol of one name and scope, across the vault: what the name index
 * holds. Names repeat (a tag in every note that uses it, `Slides` under every
 * talk): 138,000 symbols at 10,000 generated notes are 29,550 distinct names,
 * and each name's folded text, jamo, initials and postings were built and kept
 * once per symbol. Equal names score the same, so a search ranks names and
 * lists each one's symbols in note order. A symbol is its note's path and its
 * place among the note's symbols, in two parallel arrays: an object each was
 * 64 bytes (9 MB at 10,000 notes), and the symbol itself is read from the note
 * when found (ranges move as the note is edited).
 */
interface NameGroup {
  readonly name: string;
  readonly kind: SymbolKind;
  readonly scope: number;
  /** Each symbol's note (relative path) and place in it; in (path, place) order when `sorted`. */
  paths: string[];
  places: number[];
  sorted: boolean;
}

/**
 * The name index's total order, which ranks equal scores: kind, case-folded
 * name, the name's own code units, scope. A group's symbols then follow in
 * note path and place order: the order of symbols is kind, name, path, place.
 */
function compareGroups(a: NameGroup, b: NameGroup): number {
  // Folded as compared, not kept on each of the vault's names: a step sorts a few thousand of them.
  const order = (KIND_ORDER.get(a.kind) ?? 9) - (KIND_ORDER.get(b.kind) ?? 9);
  if (order) return order;
  return compareLowerCase(a.name, b.name) || (a.name < b.name ? -1 : a.name > b.name ? 1 : a.scope - b.scope);
}

function newNameIndex(): SegmentedFuzzyIndex<NameGroup> {
  return new SegmentedFuzzyIndex<NameGroup>([{ text: (group) => group.name, weight: 1 }], (group) => group.scope, compareGroups);
}

/** A vault's names, grouped: the fuzzy index over the groups, each group by scope and name, and each note's groups. */
class GroupedNames {
  readonly index = newNameIndex();
  readonly #groups = new Map<string, NameGroup>();
  /** Note (relative path) → the group of each of its symbols, in the note's order. */
  readonly #notes = new Map<string, NameGroup[]>();
  /** Groups whose symbols came out of note order (a reset reads notes in the vault's order): sorted in background steps, or by the search that lists them. */
  readonly #unsorted = new Set<NameGroup>();

  has(path: string): boolean {
    return this.#notes.has(path);
  }

  groupsOf(path: string): readonly NameGroup[] | undefined {
    return this.#notes.get(path);
  }

  paths(): IterableIterator<string> {
    return this.#notes.keys();
  }

  /** Takes in a note's symbols, in place of any it had. */
  addNote(path: string, symbols: readonly NamedSymbol[]): void {
    this.removeNote(path);
    const groups = new Array<NameGroup>(symbols.length);
    for (let at = 0; at < symbols.length; at++) {
      const { name, kind } = symbols[at];
      const scope = scopeOf(symbols[at]);
      const key = `${scope}\0${name}`;
      let group = this.#groups.get(key);
      if (!group) {
        // Most names are one symbol's (a note's own name, most headings): arrays of one, not the 17 slots a first push makes.
        this.#groups.set(key, (group = { name, kind, scope, paths: [path], places: [at], sorted: true }));
        this.index.add(group);
      } else {
        const last = group.paths.length - 1;
        if (group.sorted && !(group.paths[last] < path || (group.paths[last] === path && group.places[last] < at))) {
          group.sorted = false;
          this.#unsorted.add(group);
        }
        group.paths.push(path);
        group.places.push(at);
      }
      groups[at] = group;
    }
    this.#notes.set(path, groups);
  }

  removeNote(path: string): void {
    const groups = this.#notes.get(path);
    if (!groups) return;
    this.#notes.delete(path);
    for (const group of new Set(groups)) {
      // The note's symbols leave in one pass over the group; the rest keep their order.
      let kept = 0;
      for (let i = 0; i < group.paths.length; i++) {
        if (group.paths[i] === path) continue;
        group.paths[kept] = group.paths[i];
        group.places[kept] = group.places[i];
        kept++;
      }
      group.paths.length = kept;
      group.places.length = kept;
      if (kept > 0) continue;
      this.#unsorted.delete(group);
      this.#groups.delete(`${group.scope}\0${group.name}`);
      this.index.remove(group);
    }
  }

  /** Whether some groups wait to be sorted (see `sortSome`). */
  get hasUnsorted(): boolean {
    return this.#unsorted.size > 0;
  }

  /** Sorts waiting groups, about `maxSymbols` symbols' worth (a larger group whole); returns whether any wait still. */
  sortSome(maxSymbols: number): boolean {
    let work = 0;
    for (const group of this.#unsorted) {
      if (work >= maxSymbols) break;
      work += group.paths.length;
      this.sorted(group);
    }
    return this.#unsorted.size > 0;
  }

  /** A group's symbols in note path and place order. */
  sorted(group: NameGroup): NameGroup {
    if (group.sorted) return group;
    this.#unsorted.delete(group);
    const { paths, places } = group;
    const order = paths.map((_, i) => i).sort((a, b) => (paths[a] < paths[b] ? -1 : paths[a] > paths[b] ? 1 : places[a] - places[b]));
    group.paths = order.map((i) => paths[i]);
    group.places = order.map((i) => places[i]);
    group.sorted = true;
    return group;
  }
}

/** A symbol found, with the note (vault-relative path) it is in. */
export interface FoundSymbol {
  readonly path: string;
  readonly symbol: NamedSymbol;
}

/**
 * A vault's name index. A note's symbols themselves are not kept: they are
 * read from the note when a search finds one of its names (a few dozen per
 * search), which saved about 8 MB at 10,000 notes (138,000 objects) of what the vault already holds.
 */
interface VaultSymbols {
  /** The fuzzy name index over their names, and each note's, kept from each note's change (a note's names come and go, never the whole index). */
  readonly names: GroupedNames;
  /** When the vault was last read whole (vaultReset): while indexing, a search reads it again after STALE_SEARCH_MS. */
  builtAt: number;
  /**
   * The notes of a reset not read yet, read by steps (`prepare`) or at once by
   * a search; a note changed meanwhile is read from the change (fileChanged)
   * and skipped here, one gone from the vault is skipped.
   */
  unread: IndexedNote[];
  /** How many of `unread` have been read. */
  read: number;
}

/**
 * The names of every note of a vault (file names, aliases, headings, tags)
 * for workspace symbols, kept from each note's change, and a fuzzy name index
 * over them kept the same way (core/fuzzySegments.ts): a note's changed names
 * leave and enter it, built in bounded background steps (`prepare`) or, for
 * what still waits, when a search comes. While indexing, a search reads the
 * notes indexed so far at most every two seconds.
 */
export class SymbolIndex implements IDerivedIndex {
  readonly #vaults = new Map<VaultIndex, VaultSymbols>();
  readonly #isIndexing: () => boolean;
  readonly #now: () => number;

  constructor(isIndexing: () => boolean, now: () => number = Date.now) {
    this.#isIndexing = isIndexing;
    this.#now = now;
  }

  fileChanged(event: IndexChangeEvent): void {
    if (!event.before && !event.after) return;
    const vault = this.#vaultSymbols(event.vault);
    const after = event.after && symbolsOfNote(event.after);
    const beforePath = event.before?.file.relativePath;
    const afterPath = event.after?.file.relativePath;
    // Same note, same names (an edit that moved them): the name index keeps its items, which find symbols by position.
    if (beforePath !== undefined && beforePath === afterPath && after && sameNames(vault.names.groupsOf(beforePath), after)) return;
    if (beforePath !== undefined) vault.names.removeNote(beforePath);
    if (afterPath !== undefined && after) vault.names.addNote(afterPath, after);
  }

  /** Every note may have changed (a bulk index): its names are read again, by steps (`prepare`) or when a search comes. */
  vaultReset(vault: VaultIndex): void {
    this.#vaults.set(vault, { names: new GroupedNames(), builtAt: this.#now(), unread: [...vault.notes()], read: 0 });
  }

  /** Reads up to `maxNotes` notes of a reset; returns whether any are left. */
  #readReset(vault: VaultIndex, entry: VaultSymbols, maxNotes: number): boolean {
    const end = Math.min(entry.unread.length, entry.read + maxNotes);
    for (; entry.read < end; entry.read++) {
      const note = entry.unread[entry.read];
      const path = note.file.relativePath;
      if (entry.names.has(path) || vault.fileAt(path) !== note.file) continue;
      const current = vault.note(note.file);
      if (!current) continue;
      entry.names.addNote(path, symbolsOfNote(current));
    }
    if (entry.read < entry.unread.length) return true;
    entry.unread = [];
    entry.read = 0;
    return false;
  }

  vaultRemoved(vault: VaultIndex): void {
    this.#vaults.delete(vault);
  }

  /** Every symbol of the vault's notes, by note path (for tests comparing with an index from scratch). */
  symbols(vault: VaultIndex): Record<string, NamedSymbol[]> {
    const entry = this.#vaults.get(vault);
    if (entry) this.#readReset(vault, entry, Number.MAX_SAFE_INTEGER);
    const out: Record<string, NamedSymbol[]> = {};
    // As the name index holds them: each ref's symbol as the note has it now, or, for a ref the note no longer matches, the ref's own name (so a stale index shows).
    for (const path of [...(entry?.names.paths() ?? [])].sort()) {
      const now = symbolsAt(vault, path) ?? [];
      out[path] = entry!.names.groupsOf(path)!.map((group, at) => {
        const symbol = now[at];
        return symbol && symbol.name === group.name && symbol.kind === group.kind ? symbol : { name: group.name, kind: group.kind, range: START, detail: 'stale' };
      });
    }
    return out;
  }

  /** The best `limit` symbols for `query` (fuzzy, Korean included), notes before aliases, talks, headings and tags among equals. */
  search(vault: VaultIndex, query: string, limit: number): SymbolInformation[] {
    return this.find(vault, query, limit, WORKSPACE_SYMBOL_SCOPE).map(({ path, symbol }) => {
      const container = path.replace(/\.md$/i, '');
      const containerName =
        symbol.kind === SymbolKind.File ? (container.includes('/') ? container.slice(0, container.lastIndexOf('/')) : undefined) : symbol.detail ? `${symbol.detail} · ${container}` : container;
      return { name: symbol.name, kind: symbol.kind, location: { uri: vault.uriOf(path), range: symbol.range }, ...(containerName !== undefined ? { containerName } : {}) };
    });
  }

  /** The best `limit` symbols of the kinds in `scope` (SymbolScope flags) for `query`, with their notes. */
  find(vault: VaultIndex, query: string, limit: number, scope: number): FoundSymbol[] {
    // A bulk index tells derived indexes only at its end (vaultReset): meanwhile the notes
    // indexed so far are read from the vault, at most every two seconds, to answer what is known.
    const known = this.#vaults.get(vault);
    if (this.#isIndexing() && (!known || this.#now() - known.builtAt >= STALE_SEARCH_MS)) this.vaultReset(vault);
    const entry = this.#vaults.get(vault);
    if (!entry) return [];
    // What still waits is read and built now: the answer is the one a whole index would give.
    this.#readReset(vault, entry, Number.MAX_SAFE_INTEGER);
    entry.names.index.flush(Number.MAX_SAFE_INTEGER);
    const found: FoundSymbol[] = [];
    const read = new Map<string, NamedSymbol[] | undefined>();
    // The best `limit` names hold at least `limit` symbols: each has one at least.
    for (const group of entry.names.index.search(query, limit, { accept: (kind) => (kind & scope) !== 0 })) {
      const { paths, places } = entry.names.sorted(group);
      for (let i = 0; i < paths.length; i++) {
        if (found.length >= limit) return found;
        const path = paths[i];
        if (!read.has(path)) read.set(path, symbolsAt(vault, path));
        const symbol = read.get(path)?.[places[i]];
        // Only names still there count (a defensive check: the index follows every change).
        if (!symbol || symbol.name !== group.name || symbol.kind !== group.kind) continue;
        found.push({ path, symbol });
      }
    }
    return found;
  }

  /** Names taken into the vault's name index and not yet built into it (for tests and measurements). */
  namesWaiting(vault: VaultIndex): number {
    const entry = this.#vaults.get(vault);
    if (!entry) return 0;
    // Notes of a reset not read yet hold names that wait too: read them, to count them.
    this.#readReset(vault, entry, Number.MAX_SAFE_INTEGER);
    return entry.names.index.pendingCount;
  }

  /** One bounded step, so a search finds the index built: reading notes of a reset (RESET_STEP_NOTES), else a slice of building the name index; returns whether more remains. */
  prepare(vault: VaultIndex): boolean {
    const entry = this.#vaults.get(vault);
    if (!entry) return false;
    if (entry.read < entry.unread.length) return this.#readReset(vault, entry, RESET_STEP_NOTES) || entry.names.index.hasWork || entry.names.hasUnsorted;
    if (entry.names.index.hasWork) {
      entry.names.index.step(SYMBOL_SEGMENT_NAMES);
      return entry.names.index.hasWork || entry.names.hasUnsorted;
    }
    // Then each name's symbols in note order, so that a search lists them without sorting a tag's thousands first.
    return entry.names.sortSome(SORT_STEP_SYMBOLS);
  }

  #vaultSymbols(vault: VaultIndex): VaultSymbols {
    let entry = this.#vaults.get(vault);
    if (!entry) this.#vaults.set(vault, (entry = { names: new GroupedNames(), builtAt: 0, unread: [], read: 0 }));
    return entry;
  }
}

/** Whether two lists of symbols have the same names and kinds in the same order (their ranges aside). */
function sameNames(groups: readonly NameGroup[] | undefined, symbols: readonly NamedSymbol[]): boolean {
  return !!groups && groups.length === symbols.length && groups.every((group, i) => group.name === symbols[i].name && group.kind === symbols[i].kind && group.scope === scopeOf(symbols[i]));
}

/** The symbols of the note at `path`, read from the vault as it is now. */
function symbolsAt(vault: VaultIndex, path: string): NamedSymbol[] | undefined {
  const file = vault.fileAt(path);
  const note = file && vault.note(file);
  return note ? symbolsOfNote(note) : undefined;
}
