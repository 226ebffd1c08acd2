import type { IndexedNote, VaultFile, VaultIndex } from '../core/vaultIndex';
import { LinkCatalog } from '../features/completion';

/**
 * One change to a vault's index, as derived indexes see it: a file came, went
 * or (for a note) was parsed again. `before` and `after` are the note's entries
 * around the change (undefined where it was not, or is no longer, a parsed note).
 */
export interface IndexChangeEvent {
  readonly vault: VaultIndex;
  readonly file: VaultFile;
  readonly kind: 'added' | 'changed' | 'removed';
  readonly before: IndexedNote | undefined;
  readonly after: IndexedNote | undefined;
}

/**
 * Something kept across notes (the completion catalog; tags, vault-wide
 * headings and symbols later) and brought up to date from each note's change,
 * never by a scan of the vault per request.
 */
export interface IDerivedIndex {
  /** One file's change, after the vault index holds it. */
  fileChanged(event: IndexChangeEvent): void;
  /** The vault was indexed in bulk, its settings (`.obsidian/app.json`) changed, or it is new: rebuild from the vault. */
  vaultReset(vault: VaultIndex): void;
  /** The vault is gone (a workspace folder closed, or a re-index replaced it). */
  vaultRemoved(vault: VaultIndex): void;
}

/** The one place every derived index hears of every change, so none can be forgotten. */
export class DerivedIndexRegistry {
  readonly #indexes: IDerivedIndex[] = [];

  register<T extends IDerivedIndex>(index: T): T {
    this.#indexes.push(index);
    return index;
  }

  fileChanged(event: IndexChangeEvent): void {
    for (const index of this.#indexes) index.fileChanged(event);
  }

  vaultReset(vault: VaultIndex): void {
    for (const index of this.#indexes) index.vaultReset(vault);
  }

  vaultRemoved(vault: VaultIndex): void {
    for (const index of this.#indexes) index.vaultRemoved(vault);
  }
}

/** While indexing, completion may use a catalog this old rather than rebuild it for every file added. */
const STALE_CATALOG_MS = 2000;

/**
 * The names `[[` completion searches (file names, titles, aliases), one
 * catalog per vault. Building one takes about a second at 50,000 notes, so it
 * is rebuilt only when a name came, went or changed, and ahead of the next
 * keystroke (`prepare`) rather than on it.
 */
export class CompletionCatalogIndex implements IDerivedIndex {
  readonly #catalogs = new Map<VaultIndex, { catalog: LinkCatalog | undefined; stale: boolean; builtAt: number }>();
  readonly #isIndexing: () => boolean;
  readonly #now: () => number;

  constructor(isIndexing: () => boolean, now: () => number = Date.now) {
    this.#isIndexing = isIndexing;
    this.#now = now;
  }

  fileChanged(event: IndexChangeEvent): void {
    if (event.kind !== 'changed' || !sameNames(event.before, event.after)) this.#markStale(event.vault);
  }

  vaultReset(vault: VaultIndex): void {
    this.#markStale(vault);
  }

  vaultRemoved(vault: VaultIndex): void {
    this.#catalogs.delete(vault);
  }

  /** Whether the next `catalog` call would build one. */
  isStale(vault: VaultIndex): boolean {
    const entry = this.#catalogs.get(vault);
    return !entry?.catalog || entry.stale;
  }

  /** The vault's catalog, built now if out of date (while indexing, a recent one is good enough). */
  catalog(vault: VaultIndex): LinkCatalog {
    const entry = this.#catalogs.get(vault);
    if (entry?.catalog && !entry.stale) return entry.catalog;
    // Indexing adds names by the thousand: rebuilding the list on every keystroke would stall completion.
    if (entry?.catalog && this.#isIndexing() && this.#now() - entry.builtAt < STALE_CATALOG_MS) return entry.catalog;
    const catalog = new LinkCatalog(vault);
    this.#catalogs.set(vault, { catalog, stale: false, builtAt: this.#now() });
    return catalog;
  }

  #markStale(vault: VaultIndex): void {
    const entry = this.#catalogs.get(vault);
    if (entry) entry.stale = true;
    else this.#catalogs.set(vault, { catalog: undefined, stale: true, builtAt: 0 });
  }
}

/** Whether two entries of one note offer the same names to completion (its title and aliases). */
function sameNames(a: IndexedNote | undefined, b: IndexedNote | undefined): boolean {
  const x = a?.parsed.frontMatter;
  const y = b?.parsed.frontMatter;
  return x?.title === y?.title && (x?.aliases ?? []).join('\n') === (y?.aliases ?? []).join('\n');
}
