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

/**
 * The names `[[` completion searches (file names, titles, aliases), one
 * catalog per vault, kept up to date file by file (a note added, removed,
 * renamed, or its title or aliases changed) and never rebuilt on a keystroke.
 * After a bulk index or a settings change (`vaultReset`) a new catalog is
 * built in bounded steps (`prepare`) while the old one keeps answering, and
 * replaces it once every file is in it; a vault's first catalog answers at once
 * from the files taken in so far (a cold start: what is indexed so far).
 */
export class CompletionCatalogIndex implements IDerivedIndex {
  readonly #catalogs = new Map<VaultIndex, { current: LinkCatalog; next: LinkCatalog | undefined }>();

  fileChanged(event: IndexChangeEvent): void {
    const entry = this.#catalogs.get(event.vault);
    if (!entry) return;
    for (const catalog of entry.next ? [entry.current, entry.next] : [entry.current]) {
      if (event.kind === 'added') catalog.addFile(event.file);
      else if (event.kind === 'removed') catalog.removeFile(event.file);
      else if (!sameNames(event.before, event.after)) catalog.updateFile(event.file);
    }
  }

  vaultReset(vault: VaultIndex): void {
    const entry = this.#catalogs.get(vault);
    if (entry) entry.next = LinkCatalog.inSteps(vault);
  }

  vaultRemoved(vault: VaultIndex): void {
    this.#catalogs.delete(vault);
  }

  /** Whether the vault has a catalog (asked for, or prepared) yet. */
  has(vault: VaultIndex): boolean {
    return this.#catalogs.has(vault);
  }

  /** Whether `prepare` has work to do for the vault: a catalog to build or merge. */
  isStale(vault: VaultIndex): boolean {
    const entry = this.#catalogs.get(vault);
    return !entry || !!entry.next || !entry.current.isComplete;
  }

  /** The vault's catalog; one still being taken in answers from the files it has, and takes in a few more on each search. */
  catalog(vault: VaultIndex): LinkCatalog {
    let entry = this.#catalogs.get(vault);
    if (!entry) {
      entry = { current: LinkCatalog.inSteps(vault), next: undefined };
      this.#catalogs.set(vault, entry);
    }
    if (entry.next?.isSearchable) {
      entry.current = entry.next;
      entry.next = undefined;
    }
    return entry.current;
  }

  /** The vault's catalog with every file taken in (quick fixes and search want every name, not the first found). */
  completeCatalog(vault: VaultIndex): LinkCatalog {
    const catalog = this.catalog(vault);
    catalog.takeInAll();
    return catalog;
  }

  /** One bounded step of building the vault's catalog (a few thousand names); returns whether more remains. */
  prepare(vault: VaultIndex): boolean {
    const entry = this.#catalogs.get(vault);
    if (!entry) {
      this.catalog(vault).step();
      return this.isStale(vault);
    }
    const building = entry.next ?? entry.current;
    building.step();
    this.catalog(vault);
    return this.isStale(vault);
  }
}

/** Whether two entries of one note offer the same names to completion (its title and aliases). */
function sameNames(a: IndexedNote | undefined, b: IndexedNote | undefined): boolean {
  const x = a?.parsed.frontMatter;
  const y = b?.parsed.frontMatter;
  return x?.title === y?.title && (x?.aliases ?? []).join('\n') === (y?.aliases ?? []).join('\n');
}
