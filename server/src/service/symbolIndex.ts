import { SymbolKind, type Range, type SymbolInformation } from 'vscode-languageserver-types';
import { FuzzyIndex } from '../core/fuzzySearch';
import type { IndexedNote, VaultIndex } from '../core/vaultIndex';
import { tagKey } from '../features/tagNames';
import { readConferenceStructure } from '../features/talks';
import type { IDerivedIndex, IndexChangeEvent } from './derivedIndexes';

/** While indexing, a search may use a name index this old rather than build one for every file added. */
const STALE_SEARCH_MS = 2000;

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

/** What a name index item points at: the note's symbol by position, read at search time (ranges move as the note is edited). */
interface SymbolRef {
  readonly path: string;
  readonly at: number;
  readonly name: string;
  readonly kind: SymbolKind;
  readonly scope: number;
}

/** A symbol found, with the note (vault-relative path) it is in. */
export interface FoundSymbol {
  readonly path: string;
  readonly symbol: NamedSymbol;
}

interface VaultSymbols {
  /** Note (relative path) → its symbols. */
  readonly notes: Map<string, NamedSymbol[]>;
  /** Built from `notes` when a name came, went or changed; undefined when out of date. */
  search: FuzzyIndex<SymbolRef> | undefined;
  /** Whether `search` misses a name change (kept while indexing, if recent). */
  stale: boolean;
  builtAt: number;
}

/**
 * The names of every note of a vault (file names, aliases, headings, tags)
 * for workspace symbols, kept from each note's change; the fuzzy name index
 * over them is rebuilt only when a name came, went or changed, on the next
 * search (while indexing, at most every two seconds).
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
    if (event.before) {
      const old = vault.notes.get(event.before.file.relativePath);
      vault.notes.delete(event.before.file.relativePath);
      if (!after || !sameNames(old, after)) vault.stale = true;
    } else {
      vault.stale = true;
    }
    if (event.after && after) vault.notes.set(event.after.file.relativePath, after);
  }

  vaultReset(vault: VaultIndex): void {
    const fresh: VaultSymbols = { notes: new Map(), search: undefined, stale: true, builtAt: 0 };
    for (const note of vault.notes()) fresh.notes.set(note.file.relativePath, symbolsOfNote(note));
    this.#vaults.set(vault, fresh);
  }

  vaultRemoved(vault: VaultIndex): void {
    this.#vaults.delete(vault);
  }

  /** Every symbol of the vault's notes, by note path (for tests comparing with an index from scratch). */
  symbols(vault: VaultIndex): Record<string, NamedSymbol[]> {
    const out: Record<string, NamedSymbol[]> = {};
    for (const path of [...(this.#vaults.get(vault)?.notes.keys() ?? [])].sort()) out[path] = this.#vaults.get(vault)!.notes.get(path)!;
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
    if (this.#isIndexing() && (!known?.search || this.#now() - known.builtAt >= STALE_SEARCH_MS)) this.vaultReset(vault);
    const entry = this.#vaults.get(vault);
    if (!entry) return [];
    const found: FoundSymbol[] = [];
    for (const ref of this.#searchIndex(entry).search(query, limit, { accept: (kind) => (kind & scope) !== 0 })) {
      const symbol = entry.notes.get(ref.path)?.[ref.at];
      // A name index kept while indexing may point at a note since changed: only names still there count.
      if (!symbol || symbol.name !== ref.name || symbol.kind !== ref.kind) continue;
      found.push({ path: ref.path, symbol });
    }
    return found;
  }

  /** Builds the name index now if a name came, went or changed, so the next search does not wait for it. */
  prepare(vault: VaultIndex): void {
    const entry = this.#vaults.get(vault);
    if (entry && (entry.stale || !entry.search)) this.#searchIndex(entry);
  }

  #searchIndex(entry: VaultSymbols): FuzzyIndex<SymbolRef> {
    if (entry.search && !entry.stale) return entry.search;
    if (entry.search && this.#isIndexing() && this.#now() - entry.builtAt < STALE_SEARCH_MS) return entry.search;
    const refs: SymbolRef[] = [];
    for (const [path, symbols] of entry.notes) symbols.forEach((symbol, at) => refs.push({ path, at, name: symbol.name, kind: symbol.kind, scope: scopeOf(symbol) }));
    const keyed = refs.map((ref) => ({ ref, order: KIND_ORDER.get(ref.kind) ?? 9, key: ref.name.toLowerCase() }));
    keyed.sort((a, b) => a.order - b.order || (a.key < b.key ? -1 : a.key > b.key ? 1 : a.ref.path < b.ref.path ? -1 : a.ref.path > b.ref.path ? 1 : 0));
    entry.search = new FuzzyIndex(
      keyed.map((item) => item.ref),
      [{ text: (ref) => ref.name, weight: 1 }],
      (ref) => ref.scope,
    );
    entry.stale = false;
    entry.builtAt = this.#now();
    return entry.search;
  }

  #vaultSymbols(vault: VaultIndex): VaultSymbols {
    let entry = this.#vaults.get(vault);
    if (!entry) this.#vaults.set(vault, (entry = { notes: new Map(), search: undefined, stale: true, builtAt: 0 }));
    return entry;
  }
}

/** Whether two lists of symbols have the same names and kinds in the same order (their ranges aside). */
function sameNames(a: readonly NamedSymbol[] | undefined, b: readonly NamedSymbol[]): boolean {
  return !!a && a.length === b.length && a.every((symbol, i) => symbol.name === b[i].name && symbol.kind === b[i].kind && symbol.isTalkHeading === b[i].isTalkHeading);
}
