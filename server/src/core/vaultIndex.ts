import { URI, Utils } from 'vscode-uri';
import { basename, isNotePath, nameKey, noteName, pathKey } from './names';
import type { NoteLink, ParsedNote } from './types';
import { defaultVaultConfig, type VaultConfig } from './vaultConfig';

/** A file of the vault: a note (`.md`) or an attachment (any other file). */
export interface VaultFile {
  readonly uri: string;
  /** Vault-relative, `/`-separated, as on disk. */
  readonly relativePath: string;
  /** Normalized lowercase path: the exact-match lookup key. */
  readonly pathKey: string;
  /** Normalized lowercase last segment without `.md`: the suffix-match bucket. */
  readonly nameKey: string;
  readonly isNote: boolean;
}

export interface IndexedNote {
  readonly file: VaultFile;
  readonly parsed: ParsedNote;
  /** The note's name as Obsidian shows it (file name without `.md`). */
  readonly name: string;
}

/** What an update changed, so the caller knows which other notes to re-check. */
export interface IndexChange {
  /** Notes (path keys) whose links may now resolve differently. */
  readonly affectedNotes: ReadonlySet<string>;
}

/**
 * The index of one vault (one workspace folder). Every lookup is a map access:
 * files by exact path, files by name bucket for Obsidian's path-suffix rule, and
 * a reverse index from a name bucket to the notes linking into it, which serves
 * both backlinks and "which notes must be re-checked when X changes".
 */
export class VaultIndex {
  readonly #root: URI;
  readonly #files = new Map<string, VaultFile>();
  readonly #filesByName = new Map<string, VaultFile[]>();
  readonly #notes = new Map<string, IndexedNote>();
  /** name bucket → path keys of the notes with a link into that bucket. */
  readonly #linkersByName = new Map<string, Set<string>>();
  /** path key of a note → the name buckets its links point into (to undo them on update). */
  readonly #linkedNames = new Map<string, Set<string>>();
  #generation = 0;
  #catalogGeneration = 0;
  #config: VaultConfig = defaultVaultConfig;

  constructor(readonly rootUri: string) {
    this.#root = URI.parse(rootUri);
  }

  /** Grows by one on every change; cached answers derived from the index compare it. */
  get generation(): number {
    return this.#generation;
  }

  /** The vault's `.obsidian/app.json` settings (defaults when it has none). */
  get config(): VaultConfig {
    return this.#config;
  }

  set config(config: VaultConfig) {
    this.#config = config;
    this.#catalogGeneration++;
  }

  /** Grows when the set of linkable names changes (files added or removed, titles or aliases edited). */
  get catalogGeneration(): number {
    return this.#catalogGeneration;
  }

  get noteCount(): number {
    return this.#notes.size;
  }

  get fileCount(): number {
    return this.#files.size;
  }

  files(): IterableIterator<VaultFile> {
    return this.#files.values();
  }

  notes(): IterableIterator<IndexedNote> {
    return this.#notes.values();
  }

  fileByPathKey(key: string): VaultFile | undefined {
    return this.#files.get(key);
  }

  filesNamed(key: string): readonly VaultFile[] {
    return this.#filesByName.get(key) ?? [];
  }

  note(file: VaultFile | string): IndexedNote | undefined {
    return this.#notes.get(typeof file === 'string' ? file : file.pathKey);
  }

  /** The vault-relative path of a URI inside this vault, or undefined for one outside it. */
  relativePathOf(uri: string): string | undefined {
    const target = URI.parse(uri);
    if (target.scheme !== this.#root.scheme || target.authority !== this.#root.authority) return undefined;
    const rootPath = this.#root.path.endsWith('/') ? this.#root.path : this.#root.path + '/';
    if (!target.path.startsWith(rootPath)) return undefined;
    return target.path.slice(rootPath.length);
  }

  fileForUri(uri: string): VaultFile | undefined {
    const relative = this.relativePathOf(uri);
    return relative === undefined ? undefined : this.#files.get(pathKey(relative));
  }

  uriOf(relativePath: string): string {
    return Utils.joinPath(this.#root, ...relativePath.split('/')).toString();
  }

  /** Adds a file (idempotent). Returns the notes whose links may resolve differently now. */
  addFile(relativePath: string): IndexChange {
    const key = pathKey(relativePath);
    if (this.#files.has(key)) return { affectedNotes: new Set() };
    const file: VaultFile = {
      uri: this.uriOf(relativePath),
      relativePath,
      pathKey: key,
      nameKey: nameKey(relativePath),
      isNote: isNotePath(relativePath),
    };
    this.#files.set(key, file);
    const bucket = this.#filesByName.get(file.nameKey);
    if (bucket) bucket.push(file);
    else this.#filesByName.set(file.nameKey, [file]);
    this.#generation++;
    this.#catalogGeneration++;
    return { affectedNotes: this.linkersOf(file.nameKey) };
  }

  removeFile(relativePath: string): IndexChange {
    const key = pathKey(relativePath);
    const file = this.#files.get(key);
    if (!file) return { affectedNotes: new Set() };
    this.#setLinks(key, []);
    this.#notes.delete(key);
    this.#files.delete(key);
    const bucket = this.#filesByName.get(file.nameKey);
    if (bucket) {
      const remaining = bucket.filter((f) => f !== file);
      if (remaining.length) this.#filesByName.set(file.nameKey, remaining);
      else this.#filesByName.delete(file.nameKey);
    }
    this.#generation++;
    this.#catalogGeneration++;
    const affected = new Set(this.linkersOf(file.nameKey));
    affected.delete(key);
    return { affectedNotes: affected };
  }

  /**
   * Stores a note's parse. Links into this note from elsewhere only need
   * re-checking when what they can point at (headings, block ids) changed: an edit
   * that changes no heading or block id invalidates nothing in other notes.
   */
  setNote(relativePath: string, parsed: ParsedNote): IndexChange {
    const added = this.addFile(relativePath);
    const key = pathKey(relativePath);
    const file = this.#files.get(key)!;
    const previous = this.#notes.get(key);
    this.#notes.set(key, { file, parsed, name: noteName(basename(relativePath)) });
    this.#setLinks(key, parsed.links);
    this.#generation++;
    if (!previous || !sameNames(previous.parsed, parsed)) this.#catalogGeneration++;
    const affected = new Set(added.affectedNotes);
    if (!previous || !sameAnchors(previous.parsed, parsed)) {
      for (const linker of this.linkersOf(file.nameKey)) affected.add(linker);
    }
    affected.delete(key);
    return { affectedNotes: affected };
  }

  /** Notes with at least one link whose last path segment names this bucket. */
  linkersOf(name: string): ReadonlySet<string> {
    return this.#linkersByName.get(name) ?? new Set();
  }

  #setLinks(source: string, links: readonly NoteLink[]): void {
    const names = new Set<string>();
    for (const link of links) {
      if (!link.external && link.path !== '') names.add(nameKey(link.path));
    }
    const previous = this.#linkedNames.get(source);
    if (previous) {
      for (const name of previous) {
        if (names.has(name)) continue;
        const linkers = this.#linkersByName.get(name);
        linkers?.delete(source);
        if (linkers && linkers.size === 0) this.#linkersByName.delete(name);
      }
    }
    for (const name of names) {
      if (previous?.has(name)) continue;
      let linkers = this.#linkersByName.get(name);
      if (!linkers) this.#linkersByName.set(name, (linkers = new Set()));
      linkers.add(source);
    }
    if (names.size) this.#linkedNames.set(source, names);
    else this.#linkedNames.delete(source);
  }
}

function sameAnchors(a: ParsedNote, b: ParsedNote): boolean {
  if (a.headings.length !== b.headings.length || a.blocks.length !== b.blocks.length) return false;
  for (let i = 0; i < a.headings.length; i++) {
    if (a.headings[i].matchKey !== b.headings[i].matchKey || a.headings[i].level !== b.headings[i].level) return false;
  }
  for (let i = 0; i < a.blocks.length; i++) {
    if (a.blocks[i].id.toLowerCase() !== b.blocks[i].id.toLowerCase()) return false;
  }
  return true;
}

function sameNames(a: ParsedNote, b: ParsedNote): boolean {
  const x = a.frontMatter;
  const y = b.frontMatter;
  return x?.title === y?.title && (x?.aliases ?? []).join('\n') === (y?.aliases ?? []).join('\n');
}
