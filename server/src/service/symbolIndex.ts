import { SymbolKind, type Range, type SymbolInformation } from 'vscode-languageserver-types';
import { FuzzyIndex } from '../core/fuzzySearch';
import type { IndexedNote, VaultIndex } from '../core/vaultIndex';
import { tagKey } from '../features/tagNames';
import type { IDerivedIndex, IndexChangeEvent } from './derivedIndexes';

/** While indexing, a search may use a name index this old rather than build one for every file added. */
const STALE_SEARCH_MS = 2000;

/** One name workspace symbols can find: a note, one of its aliases, a heading or a tag it uses. */
export interface NamedSymbol {
  readonly name: string;
  readonly kind: SymbolKind;
  readonly range: Range;
}

/** Ranked first to last among equally good matches. */
const KIND_ORDER = new Map<SymbolKind, number>([
  [SymbolKind.File, 0],
  [SymbolKind.Constant, 1],
  [SymbolKind.String, 2],
  [SymbolKind.Key, 3],
]);

const START: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/** The note's names: its file name, aliases (at its front matter), headings and tags (each at its first mention). */
export function symbolsOfNote(note: IndexedNote): NamedSymbol[] {
  const symbols: NamedSymbol[] = [{ name: note.name, kind: SymbolKind.File, range: START }];
  const frontMatter = note.parsed.frontMatter;
  const atFrontMatter: Range = frontMatter ? { start: frontMatter.range.start, end: frontMatter.range.start } : START;
  for (const alias of frontMatter?.aliases ?? []) symbols.push({ name: alias, kind: SymbolKind.Constant, range: atFrontMatter });
  for (const heading of note.parsed.headings) if (heading.text.trim()) symbols.push({ name: heading.text.trim(), kind: SymbolKind.String, range: heading.textRange });
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

  /** The best `limit` symbols for `query` (fuzzy, Korean included), notes before aliases, headings and tags among equals. */
  search(vault: VaultIndex, query: string, limit: number): SymbolInformation[] {
    // A bulk index tells derived indexes only at its end (vaultReset): meanwhile the notes
    // indexed so far are read from the vault, at most every two seconds, to answer what is known.
    const known = this.#vaults.get(vault);
    if (this.#isIndexing() && (!known?.search || this.#now() - known.builtAt >= STALE_SEARCH_MS)) this.vaultReset(vault);
    const entry = this.#vaults.get(vault);
    if (!entry) return [];
    const found: SymbolInformation[] = [];
    for (const ref of this.#searchIndex(entry).search(query, limit, { accept: () => true })) {
      const symbol = entry.notes.get(ref.path)?.[ref.at];
      // A name index kept while indexing may point at a note since changed: only names still there count.
      if (!symbol || symbol.name !== ref.name || symbol.kind !== ref.kind) continue;
      const container = ref.path.replace(/\.md$/i, '');
      found.push({ name: symbol.name, kind: symbol.kind, location: { uri: vault.uriOf(ref.path), range: symbol.range }, ...(symbol.kind === SymbolKind.File ? (container.includes('/') ? { containerName: container.slice(0, container.lastIndexOf('/')) } : {}) : { containerName: container }) });
    }
    return found;
  }

  #searchIndex(entry: VaultSymbols): FuzzyIndex<SymbolRef> {
    if (entry.search && !entry.stale) return entry.search;
    if (entry.search && this.#isIndexing() && this.#now() - entry.builtAt < STALE_SEARCH_MS) return entry.search;
    const refs: SymbolRef[] = [];
    for (const [path, symbols] of entry.notes) symbols.forEach((symbol, at) => refs.push({ path, at, name: symbol.name, kind: symbol.kind }));
    const keyed = refs.map((ref) => ({ ref, order: KIND_ORDER.get(ref.kind) ?? 9, key: ref.name.toLowerCase() }));
    keyed.sort((a, b) => a.order - b.order || (a.key < b.key ? -1 : a.key > b.key ? 1 : a.ref.path < b.ref.path ? -1 : a.ref.path > b.ref.path ? 1 : 0));
    entry.search = new FuzzyIndex(
      keyed.map((item) => item.ref),
      [{ text: (ref) => ref.name, weight: 1 }],
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
  return !!a && a.length === b.length && a.every((symbol, i) => symbol.name === b[i].name && symbol.kind === b[i].kind);
}
