import { indexNotes } from '../core/bulkIndexer';
import { CancellationSource, Deferred, withinTime } from '../core/cancellation';
import { resolvePath } from '../core/linkResolver';
import { pathKey } from '../core/names';
import type { INoteSource, ParsedFile } from '../core/noteSource';
import type { IParseCacheStorage } from '../core/parseCache';
import { parseNote } from '../core/parser';
import type { ParsedNote } from '../core/types';
import { VaultIndex, type IndexedNote, type VaultFile } from '../core/vaultIndex';
import { parseVaultConfig } from '../core/vaultConfig';
import { lexicalRelativePath, vaultPathOf } from '../core/containment';
import { findVaultRoot } from '../core/vaultRoot';
import { createLimiter, createVaultPathFilter, scanVault } from '../core/vaultScanner';
import { neverCancelled, type ICancellationToken, type IFileSystem, type ILogger } from '../core/workspace';
import type { DerivedIndexRegistry } from './derivedIndexes';
import { URI } from 'vscode-uri';
import { canonicalUri, type DocumentStore } from './documentStore';

export interface IndexStats {
  readonly notes: number;
  readonly attachments: number;
  readonly milliseconds: number;
  /** Files or folders that could not be read, and why. */
  readonly problems: readonly string[];
  /** True when a newer index (or the caller's token) stopped this one before the end. */
  readonly cancelled?: boolean;
}

export type IndexProgress = (done: number, total: number) => void;

/** What a change did to the vault: notes whose diagnostics may differ now, and notes that are gone. */
export interface NotesUpdate {
  readonly changed: readonly string[];
  readonly removed: readonly string[];
}

export const noUpdate: NotesUpdate = { changed: [], removed: [] };

/** A change seen on disk (a watcher event): a file or folder created or changed, or deleted. */
export interface FileEvent {
  readonly uri: string;
  readonly deleted: boolean;
}

export interface IndexerOptions {
  readonly fileSystem: IFileSystem;
  readonly logger: ILogger;
  readonly noteSource: INoteSource;
  readonly parseCache: IParseCacheStorage | undefined;
  readonly readConcurrency: number;
  readonly documents: DocumentStore;
  readonly derived: DerivedIndexRegistry;
  /** The exclude globs in force (they change with the settings). */
  readonly exclude: () => readonly string[];
}

/** Files listed at most for a loose note's own folder (no `.obsidian/` marks it a vault; it may be a home folder). */
export const LOOSE_VAULT_MAX_FILES = 20_000;

/** How long a request about a note waits for that note to be indexed before it answers from what is. */
export const NOTE_READY_TIMEOUT_MS = 2000;

const decoder = new TextDecoder('utf-8');
/** Timers fire at once beyond this (2^31 - 1 ms): a wait "without limit" is capped here. */
const MAX_TIMER_MS = 2 ** 31 - 1;
const APP_JSON = '.obsidian/app.json';
const CONFIG_FOLDER = '.obsidian';

/** One bulk index in progress: every folder (`indexAll`) or folders just added. */
interface IndexRun {
  readonly source: CancellationSource;
  readonly done: Deferred;
}

/**
 * Gets notes into the index and keeps them there: the scan, the bulk index,
 * the open notes' buffers, file events from disk, and the readiness every
 * request waits on. One `VaultIndex` per workspace folder. Every single-note
 * change goes through `#setNote`/`#removeFile`, which tell the derived
 * indexes; a bulk index tells them once, at its end.
 */
export class VaultIndexer {
  readonly #fs: IFileSystem;
  readonly #logger: ILogger;
  readonly #noteSource: INoteSource;
  readonly #documents: DocumentStore;
  readonly #derived: DerivedIndexRegistry;
  readonly #exclude: () => readonly string[];
  readonly #readLimit: <T>(task: () => Promise<T>) => Promise<T>;
  #parseCache: IParseCacheStorage | undefined;
  #vaults: VaultIndex[] = [];
  /** Settles once a vault's files are listed: from then on links resolve against the whole folder. */
  readonly #listed = new WeakMap<VaultIndex, Deferred>();
  readonly #runs = new Set<IndexRun>();
  /** File events and listing refreshes, applied one after another, each after the runs going on when it came. */
  #queue: Promise<unknown> = Promise.resolve();
  /** Notes being read from disk on demand, so simultaneous requests share one read. */
  readonly #loading = new Map<string, Promise<void>>();
  /** Loose notes whose vault is being found and indexed, by canonical URI. */
  readonly #adopting = new Map<string, Promise<boolean>>();
  /** Open notes (canonical URIs) whose buffer changed since their last parse. */
  readonly #unparsedEdits = new Set<string>();
  /** Per open note, the other notes its parsed edits affected, not yet handed to the host. */
  readonly #editEffects = new Map<string, Set<string>>();
  #excludeFilter: { globs: readonly string[]; test: (relativePath: string) => boolean } | undefined;
  #parses = 0;
  #indexed = 0;
  #total = 0;

  constructor(options: IndexerOptions) {
    this.#fs = options.fileSystem;
    this.#logger = options.logger;
    this.#documents = options.documents;
    this.#derived = options.derived;
    this.#exclude = options.exclude;
    this.#parseCache = options.parseCache;
    this.#readLimit = createLimiter(options.readConcurrency);
    this.#noteSource = countingSource(options.noteSource, () => this.#parses++);
  }

  get vaults(): readonly VaultIndex[] {
    return this.#vaults;
  }

  /** Notes parsed from text since the start (cache hits excluded): what a settings change must leave at rest. */
  get parses(): number {
    return this.#parses;
  }

  get isIndexing(): boolean {
    return this.#runs.size > 0;
  }

  /** Files indexed so far out of those the running index found (0 of 0 when none runs). */
  get progress(): { indexed: number; total: number } {
    return this.isIndexing ? { indexed: this.#indexed, total: this.#total } : { indexed: 0, total: 0 };
  }

  useParseCache(storage: IParseCacheStorage | undefined): void {
    this.#parseCache = storage;
  }

  /** Replaces the set of vault roots. Requests about their notes wait until the next index lists them. */
  setRoots(rootUris: readonly string[]): void {
    this.#replaceVaults(rootUris.map((uri) => new VaultIndex(uri.replace(/\/$/, ''))));
  }

  /** Adds workspace folders and indexes just them. */
  async addRoots(rootUris: readonly string[], token: ICancellationToken = neverCancelled): Promise<IndexStats> {
    const known = new Set(this.#vaults.map((vault) => vault.rootUri));
    const added = rootUris.map((uri) => uri.replace(/\/$/, '')).filter((uri) => !known.has(uri)).map((uri) => new VaultIndex(uri));
    this.#vaults = [...this.#vaults, ...added];
    return this.#withRun(token, (run) => this.#indexVaults(added, run, undefined, undefined));
  }

  /**
   * A note opened outside every vault (an editor started on one file, with no
   * folder): its vault is the nearest folder above holding `.obsidian/`, else
   * its own folder (listed up to LOOSE_VAULT_MAX_FILES files) unless
   * `folderWithoutMarker` is false, indexed alone. Requests about the note
   * wait for this. Resolves true when a vault was added.
   */
  adoptLooseNote(uri: string, options: { folderWithoutMarker?: boolean } = {}): Promise<boolean> {
    if (this.vaultFor(uri) || URI.parse(uri).scheme !== 'file') return Promise.resolve(false);
    const key = canonicalUri(uri);
    let adopting = this.#adopting.get(key);
    if (!adopting) {
      adopting = (async () => {
        const { rootUri, marked } = await findVaultRoot(this.#fs, uri);
        if (this.vaultFor(uri) || (!marked && options.folderWithoutMarker === false)) return false;
        this.#logger.log(`${uri} is in no workspace folder: indexing ${rootUri} ${marked ? '(it holds .obsidian/)' : '(its folder)'} for it.`);
        const vault = new VaultIndex(rootUri.replace(/\/$/, ''));
        this.#vaults = [...this.#vaults, vault];
        await this.#withRun(neverCancelled, (run) => this.#indexVaults([vault], run, undefined, undefined, marked ? undefined : LOOSE_VAULT_MAX_FILES));
        return true;
      })().finally(() => this.#adopting.delete(key));
      this.#adopting.set(key, adopting);
    }
    return adopting;
  }

  /** Drops workspace folders; returns the notes that left with them. */
  removeRoots(rootUris: readonly string[]): string[] {
    const removed = new Set(rootUris.map((uri) => uri.replace(/\/$/, '')));
    const leaving = this.#vaults.filter((vault) => removed.has(vault.rootUri));
    this.#vaults = this.#vaults.filter((vault) => !removed.has(vault.rootUri));
    for (const vault of leaving) this.#forget(vault);
    return leaving.flatMap((vault) => [...vault.notes()].map((note) => note.file.uri));
  }

  /**
   * Indexes every root from scratch, cancelling any index still running. Open
   * notes and the notes they link to come first, then `onPriorityReady` fires;
   * the rest come from the parse cache when unchanged, else from the note source.
   */
  async indexAll(progress?: IndexProgress, token: ICancellationToken = neverCancelled, onPriorityReady?: () => void): Promise<IndexStats> {
    const previous = [...this.#runs];
    for (const run of previous) run.source.cancel();
    // Fresh indexes at once: requests from now on wait for these, not the half-built old ones.
    this.#replaceVaults(this.#vaults.map((vault) => new VaultIndex(vault.rootUri)));
    const vaults = this.#vaults;
    return this.#withRun(token, async (run) => {
      // A cancelled run stops at its next check; two runs never write one parse cache file.
      await Promise.all(previous.map((old) => old.done.promise));
      return this.#indexVaults(vaults, run, progress, onPriorityReady);
    });
  }

  async #withRun(token: ICancellationToken, work: (run: IndexRun) => Promise<IndexStats>): Promise<IndexStats> {
    const run: IndexRun = { source: new CancellationSource(token), done: new Deferred() };
    this.#runs.add(run);
    try {
      return await work(run);
    } finally {
      this.#runs.delete(run);
      run.done.resolve();
    }
  }

  async #indexVaults(vaults: readonly VaultIndex[], run: IndexRun, progress: IndexProgress | undefined, onPriorityReady: (() => void) | undefined, maxFiles?: number): Promise<IndexStats> {
    const started = Date.now();
    const token = run.source.token;
    const problems: string[] = [];
    const stats = (cancelled: boolean): IndexStats => ({ ...this.stats, milliseconds: Date.now() - started, problems, ...(cancelled ? { cancelled } : {}) });
    const exclude = this.#exclude();
    await Promise.all(
      vaults.map(async (vault) => {
        await this.#loadVaultConfig(vault);
        const listing = await scanVault(this.#fs, vault.rootUri, { exclude, token, maxFiles });
        problems.push(...listing.problems);
        // Files are known before any note is parsed, so nothing resolves against a half-listed vault.
        for (const relativePath of listing.files) vault.addFile(relativePath);
        this.#listedOf(vault).resolve();
      }),
    );
    if (token.isCancellationRequested) return stats(true);

    this.#total = vaults.reduce((sum, vault) => sum + vault.fileCount, 0);
    this.#indexed = 0;
    let lastReport = 0;
    const tick = () => {
      this.#indexed++;
      const now = Date.now();
      if (progress && (now - lastReport > 100 || this.#indexed === this.#total)) {
        lastReport = now;
        progress(this.#indexed, this.#total);
      }
    };

    // Open notes and what they link to first: what an editor asks about at once.
    await Promise.all(
      vaults.flatMap((vault) => [...this.#documents.uris()].filter((uri) => vault.relativePathOf(uri) !== undefined).map((uri) => this.#ensureNote(vault, uri, problems))),
    );
    onPriorityReady?.();
    if (token.isCancellationRequested) return stats(true);

    const storage = this.#usableParseCache();
    await Promise.all(
      vaults.map((vault) => {
        const indexedAlready: VaultFile[] = [];
        const rest: VaultFile[] = [];
        for (const file of vault.files()) {
          if (!file.isNote) tick();
          else if (vault.note(file)) {
            indexedAlready.push(file);
            tick();
          } else rest.push(file);
        }
        return indexNotes(vault, rest, indexedAlready, {
          source: this.#noteSource,
          storage,
          openText: (uri) => this.#documents.get(uri),
          token,
          onIndexed: tick,
          problems,
          logger: this.#logger,
        });
      }),
    );
    for (const problem of problems) this.#logger.log(`Could not read ${problem}`);
    for (const vault of vaults) if (this.#vaults.includes(vault)) this.#derived.vaultReset(vault);
    return stats(token.isCancellationRequested);
  }

  get stats(): { notes: number; attachments: number } {
    let notes = 0;
    let files = 0;
    for (const vault of this.#vaults) {
      notes += vault.noteCount;
      files += vault.fileCount;
    }
    return { notes, attachments: files - notes };
  }

  vaultFor(uri: string): VaultIndex | undefined {
    let best: VaultIndex | undefined;
    for (const vault of this.#vaults) {
      // The deepest root wins when workspace folders nest.
      if (vault.relativePathOf(uri) !== undefined && (!best || vault.rootUri.length > best.rootUri.length)) best = vault;
    }
    return best;
  }

  noteFor(uri: string): { vault: VaultIndex; note: IndexedNote } | undefined {
    const vault = this.vaultFor(uri);
    const file = vault?.fileForUri(uri);
    const note = file && vault!.note(file);
    return note ? { vault: vault!, note } : undefined;
  }

  // ---- readiness --------------------------------------------------------

  /**
   * Settles when the note and the notes it links to are indexed (so its
   * diagnostics, definitions and outline are final), or after `timeoutMs`, or
   * when cancelled. Resolves true when the note is ready.
   */
  async whenNoteReady(uri: string, token: ICancellationToken = neverCancelled, timeoutMs = NOTE_READY_TIMEOUT_MS, options: { parseEdits?: boolean } = {}): Promise<boolean> {
    const ready = (async () => {
      // A re-index may replace the vault while this waits: then wait for its successor.
      for (let attempt = 0; attempt < 5; attempt++) {
        await this.#adopting.get(canonicalUri(uri));
        const vault = this.vaultFor(uri);
        if (!vault) return;
        await this.#listedOf(vault).promise;
        if (this.vaultFor(uri) !== vault) continue;
        // File events that came before this request are applied first (they wait for a running index, this does not).
        if (!this.isIndexing) await this.#queue;
        if (this.vaultFor(uri) !== vault) continue;
        // Edits not parsed yet are parsed now, unless the caller can answer from the last parse.
        if (options.parseEdits !== false) this.#parseEdit(uri);
        await this.#ensureNote(vault, uri, []);
        return;
      }
    })();
    return (await withinTime(ready.then(() => true), Math.min(timeoutMs, MAX_TIMER_MS), token)) ?? false;
  }

  /** Settles when no index is running (true), or after `timeoutMs` / on cancellation (false). */
  async whenIndexed(token: ICancellationToken = neverCancelled, timeoutMs = Number.POSITIVE_INFINITY): Promise<boolean> {
    const runs = (async () => {
      while (this.#runs.size) await Promise.all([...this.#runs].map((run) => run.done.promise));
    })();
    if (!this.#runs.size) return true;
    return (await withinTime(runs.then(() => true), Math.min(timeoutMs, MAX_TIMER_MS), token)) ?? false;
  }

  #listedOf(vault: VaultIndex): Deferred {
    let listed = this.#listed.get(vault);
    if (!listed) this.#listed.set(vault, (listed = new Deferred()));
    return listed;
  }

  /**
   * Makes sure a note (from its buffer when open) and the notes its links
   * resolve to are in the index. The vault must be listed.
   */
  async #ensureNote(vault: VaultIndex, uri: string, problems: string[]): Promise<void> {
    const named = vault.relativePathOf(uri);
    if (named === undefined) return;
    const relativePath = this.#spellingOf(vault, named);
    let file = vault.fileAt(relativePath);
    const open = this.#documents.get(uri);
    if (open !== undefined && (!file || !vault.note(file))) {
      // Open but not parsed yet (opened before the listing), or not on disk yet (a new, unsaved note).
      if (this.#isExcluded(relativePath)) return;
      this.#setNote(vault, relativePath, parseNote(open));
      file = vault.fileAt(relativePath);
    }
    if (!file?.isNote) return;
    if (!vault.note(file)) await this.#loadFromDisk(vault, file, problems);
    const note = vault.note(file);
    if (!note) return;
    const targets = new Set<VaultFile>();
    for (const link of note.parsed.links) {
      if (link.external || link.path === '') continue;
      const target = resolvePath(vault, file, link.path, link.kind).file;
      if (target?.isNote && !vault.note(target)) targets.add(target);
    }
    await Promise.all([...targets].map((target) => this.#loadFromDisk(vault, target, problems)));
  }

  /** Reads and parses a listed note that is not indexed yet; simultaneous calls share one read. */
  #loadFromDisk(vault: VaultIndex, file: VaultFile, problems: string[]): Promise<void> {
    const key = file.uri;
    let loading = this.#loading.get(key);
    if (!loading) {
      loading = this.#readLimit(async () => {
        if (vault.note(file)) return;
        const text = await this.#readText(file.uri, problems);
        // Indexed or removed meanwhile (the bulk index, an edit, a file event): that is newer.
        if (vault.note(file) || vault.fileByPathKey(file.pathKey) !== file) return;
        // Opened while the read was under way: the buffer wins over the disk.
        const current = this.#documents.get(file.uri) ?? text;
        if (current !== undefined) this.#setNote(vault, file.relativePath, parseNote(current));
      }).finally(() => this.#loading.delete(key));
      this.#loading.set(key, loading);
    }
    return loading;
  }

  // ---- open notes ---------------------------------------------------------

  /**
   * A note's text changed in an editor: re-parse that one note (once its vault
   * is listed; before, the text waits for the index). Returns the other notes
   * whose diagnostics may have changed.
   */
  setDocumentText(uri: string, text: string): string[] {
    this.#documents.set(uri, text);
    const vault = this.vaultFor(uri);
    const named = vault?.relativePathOf(uri);
    if (!vault || named === undefined || !this.#listedOf(vault).settled || this.#isExcluded(named)) return [];
    return this.#setNote(vault, this.#spellingOf(vault, named), parseNote(text));
  }

  /**
   * An edit in an editor, parsed later: on the next request about the note
   * (`whenNoteReady`), or when the host takes its effects (`takeEditEffects`).
   * Typing in a large note parses it once per pause, not once per keystroke.
   */
  noteEdited(uri: string, text: string): void {
    this.#documents.set(uri, text);
    this.#unparsedEdits.add(canonicalUri(uri));
  }

  /**
   * Parses the note's latest edit if not done yet, and hands over (once) the
   * other notes that the edits parsed since the last call affect; undefined when
   * nothing was parsed since then.
   */
  takeEditEffects(uri: string): string[] | undefined {
    this.#parseEdit(uri);
    const key = canonicalUri(uri);
    const effects = this.#editEffects.get(key);
    this.#editEffects.delete(key);
    return effects && [...effects];
  }

  #parseEdit(uri: string): void {
    const key = canonicalUri(uri);
    if (!this.#unparsedEdits.has(key)) return;
    const text = this.#documents.get(uri);
    const vault = this.vaultFor(uri);
    // Until its folder is listed the edit waits: the index parses open notes from their buffers.
    if (text === undefined || !vault || !this.#listedOf(vault).settled) return;
    this.#unparsedEdits.delete(key);
    const others = this.setDocumentText(uri, text);
    let effects = this.#editEffects.get(key);
    if (!effects) this.#editEffects.set(key, (effects = new Set()));
    for (const other of others) effects.add(other);
  }

  /** Records an editor's text for a note without parsing it: the next index parses it from there. */
  rememberOpenText(uri: string, text: string): void {
    this.#documents.set(uri, text);
  }

  /** The editor closed a note: from now on the file on disk is what counts. */
  closeDocument(uri: string): Promise<NotesUpdate> {
    this.#documents.delete(uri);
    this.#unparsedEdits.delete(canonicalUri(uri));
    this.#editEffects.delete(canonicalUri(uri));
    return this.applyFileEvents([{ uri, deleted: false }]);
  }

  // ---- changes on disk --------------------------------------------------

  /** Applies watcher events in order, after any index running now; returns what changed. */
  applyFileEvents(events: readonly FileEvent[]): Promise<NotesUpdate> {
    return this.#enqueue(async () => {
      const changed = new Set<string>();
      const removed = new Set<string>();
      for (const event of events) {
        const update = event.deleted ? this.#fileDeleted(event.uri) : await this.#fileChanged(event.uri);
        for (const uri of update.removed) {
          removed.add(uri);
          changed.delete(uri);
        }
        for (const uri of update.changed) {
          changed.add(uri);
          removed.delete(uri);
        }
      }
      return { changed: [...changed], removed: [...removed] };
    });
  }

  /** Lists every vault again (the exclude globs changed): files now left out go, files now let in come. */
  refreshListings(): Promise<NotesUpdate> {
    return this.#enqueue(async () => {
      const changed = new Set<string>();
      const removed = new Set<string>();
      const exclude = this.#exclude();
      for (const vault of this.#vaults) {
        const listing = await scanVault(this.#fs, vault.rootUri, { exclude });
        const listed = new Set(listing.files);
        for (const file of [...vault.files()]) {
          if (listed.has(file.relativePath) || this.#documents.has(file.uri)) continue;
          if (file.isNote && vault.note(file)) removed.add(file.uri);
          for (const uri of this.#removeFile(vault, file)) changed.add(uri);
        }
        const added: VaultFile[] = [];
        for (const relativePath of listing.files) {
          if (vault.fileAt(relativePath)) continue;
          for (const uri of this.#addFile(vault, relativePath)) changed.add(uri);
          const file = vault.fileAt(relativePath);
          if (file?.isNote) added.push(file);
        }
        await Promise.all(added.map((file) => this.#loadFromDisk(vault, file, [])));
        for (const file of added) {
          changed.add(file.uri);
          for (const linker of urisOf(vault, vault.linkersOf(file.nameKey))) changed.add(linker);
        }
      }
      for (const uri of removed) changed.delete(uri);
      return { changed: [...changed], removed: [...removed] };
    });
  }

  #enqueue<T>(job: () => Promise<T>): Promise<T> {
    const result = this.#queue.then(async () => {
      await this.whenIndexed();
      return job();
    });
    this.#queue = result.catch(() => undefined);
    return result;
  }

  async #fileChanged(eventUri: string): Promise<NotesUpdate> {
    const vault = this.vaultFor(eventUri);
    if (!vault) return noUpdate;
    // Before the real-path check: a symbolically linked `.obsidian/` is common, and the index reads through it.
    // `.obsidian/` itself: a watcher may report only the folder when it comes with app.json inside.
    const eventPath = lexicalRelativePath(vault.rootUri, eventUri);
    if (eventPath === APP_JSON || eventPath === CONFIG_FOLDER) {
      await this.#loadVaultConfig(vault);
      this.#derived.vaultReset(vault);
      return noUpdate;
    }
    // What the scanner would list: inside the vault on real paths, through no symbolic link.
    const relativePath = await vaultPathOf(this.#fs, vault.rootUri, eventUri, (why) => this.#logger.log(`Not indexing ${eventUri}: ${why}.`));
    if (relativePath === undefined || relativePath === '') {
      // Indexed before (an earlier event) but no file of the vault: it leaves, unless open in an editor.
      return vault.fileForUri(eventUri) && !this.#documents.has(eventUri) ? this.#fileDeleted(eventUri) : noUpdate;
    }
    const uri = vault.uriOf(relativePath);
    if (this.#isExcluded(relativePath)) return noUpdate;
    if (!/\.md$/i.test(relativePath)) {
      // A folder created or moved in arrives as one event: index what it holds.
      const folder = await this.#listFolder(vault, relativePath);
      if (folder) return folder;
      return { changed: this.#addFile(vault, relativePath), removed: [] };
    }
    const text = this.#documents.get(uri) ?? (await this.#readText(uri, []));
    // The buffer wins over the disk, even when the note was opened while the file was read.
    const current = this.#documents.get(uri) ?? text;
    if (current === undefined) return this.#fileDeleted(uri);
    const spelled = this.#spellingOf(vault, relativePath);
    const others = this.#setNote(vault, spelled, parseNote(current));
    return { changed: [vault.uriOf(spelled), ...others], removed: [] };
  }

  /**
   * Indexes the files of a folder that appeared on disk, or drops those of a
   * folder of the index that can no longer be listed (made unreadable);
   * undefined when the path is not a folder.
   */
  async #listFolder(vault: VaultIndex, relativePath: string): Promise<NotesUpdate | undefined> {
    try {
      await this.#fs.readDirectory(vault.uriOf(relativePath));
    } catch (error) {
      // ENOTDIR: a file, as nearly always. Anything else (gone, unreadable) may be a folder the index holds.
      const code = (error as { code?: unknown }).code;
      if (code !== 'ENOTDIR' && !vault.fileAt(relativePath) && [...vault.files()].some((file) => file.relativePath.startsWith(relativePath + '/'))) {
        return this.#fileDeleted(vault.uriOf(relativePath));
      }
      return undefined;
    }
    const listing = await scanVault(this.#fs, vault.uriOf(relativePath), { exclude: [] });
    const changed = new Set<string>();
    const notes: string[] = [];
    for (const inner of listing.files) {
      const path = `${relativePath}/${inner}`;
      if (this.#isExcluded(path)) continue;
      if (/\.md$/i.test(path)) notes.push(path);
      else for (const uri of this.#addFile(vault, path)) changed.add(uri);
    }
    for (const path of notes) {
      const update = await this.#fileChanged(vault.uriOf(path));
      for (const uri of update.changed) changed.add(uri);
    }
    return { changed: [...changed], removed: [] };
  }

  #fileDeleted(uri: string): NotesUpdate {
    const vault = this.vaultFor(uri);
    const relativePath = vault?.relativePathOf(uri);
    if (!vault || relativePath === undefined) return noUpdate;
    if (relativePath === APP_JSON || relativePath === CONFIG_FOLDER) {
      vault.config = parseVaultConfig(undefined);
      this.#derived.vaultReset(vault);
      return noUpdate;
    }
    const gone = this.#filesAtOrUnder(vault, relativePath);
    const changed = new Set<string>();
    const removed: string[] = [];
    for (const file of gone) {
      // Deleted on disk while open in an editor: the buffer is still the note (as a new,
      // unsaved one is) until the editor closes it, when the disk counts again.
      if (this.#documents.has(file.uri)) {
        changed.add(file.uri);
        continue;
      }
      if (file.isNote) removed.push(file.uri);
      for (const other of this.#removeFile(vault, file)) changed.add(other);
    }
    for (const uri of removed) changed.delete(uri);
    return { changed: [...changed], removed };
  }

  /**
   * The file at a deleted path, or the files below a deleted folder: spelled
   * exactly (on a case-sensitive disk `Notes/` and `notes/` are two folders),
   * else as the path key compares, for a client that spells paths otherwise.
   */
  #filesAtOrUnder(vault: VaultIndex, relativePath: string): VaultFile[] {
    const exact = vault.fileAt(relativePath);
    if (exact) return [exact];
    const prefix = relativePath + '/';
    const below = [...vault.files()].filter((file) => file.relativePath.startsWith(prefix));
    if (below.length) return below;
    const key = pathKey(relativePath);
    const byKey = vault.fileByPathKey(key);
    if (byKey && byKey.relativePath.normalize('NFC') === relativePath.normalize('NFC')) return [byKey];
    return [...vault.files()].filter((file) => file.pathKey.startsWith(key + '/') && file.relativePath.normalize('NFC').startsWith(prefix.normalize('NFC')));
  }

  /**
   * The indexed spelling of a path a client names: itself, or the file that
   * differs from it only by Unicode normalization (macOS writes NFD, clients
   * send NFC). Case is not folded: `Case.md` and `case.md` are two notes.
   */
  #spellingOf(vault: VaultIndex, relativePath: string): string {
    if (vault.fileAt(relativePath)) return relativePath;
    const byKey = vault.fileByPathKey(pathKey(relativePath));
    return byKey && byKey.relativePath.normalize('NFC') === relativePath.normalize('NFC') ? byKey.relativePath : relativePath;
  }

  // ---- the one way single notes change ---------------------------------

  /** Stores a note's parse and tells the derived indexes. Returns the other notes to re-check. */
  #setNote(vault: VaultIndex, relativePath: string, parsed: ParsedNote): string[] {
    this.#parses++;
    const existed = vault.fileAt(relativePath);
    const before = vault.note(relativePath);
    const change = vault.setNote(relativePath, parsed);
    const file = vault.fileAt(relativePath)!;
    this.#derived.fileChanged({ vault, file, kind: existed ? 'changed' : 'added', before, after: vault.note(relativePath) });
    return urisOf(vault, change.affectedNotes);
  }

  #addFile(vault: VaultIndex, relativePath: string): string[] {
    if (vault.fileAt(relativePath)) return [];
    const change = vault.addFile(relativePath);
    this.#derived.fileChanged({ vault, file: vault.fileAt(relativePath)!, kind: 'added', before: undefined, after: undefined });
    return urisOf(vault, change.affectedNotes);
  }

  #removeFile(vault: VaultIndex, file: VaultFile): string[] {
    const before = vault.note(file);
    const change = vault.removeFile(file.relativePath);
    this.#derived.fileChanged({ vault, file, kind: 'removed', before, after: undefined });
    return urisOf(vault, change.affectedNotes);
  }

  // ---- helpers ------------------------------------------------------------

  #replaceVaults(vaults: VaultIndex[]): void {
    const old = this.#vaults;
    this.#vaults = vaults;
    for (const vault of old) this.#forget(vault);
  }

  #forget(vault: VaultIndex): void {
    this.#derived.vaultRemoved(vault);
    // Requests waiting for it look for its successor.
    this.#listedOf(vault).resolve();
  }

  #isExcluded(relativePath: string): boolean {
    const exclude = this.#exclude();
    // Building the matcher compiles every glob: once per settings change, not per event.
    if (this.#excludeFilter?.globs !== exclude) this.#excludeFilter = { globs: exclude, test: createVaultPathFilter(exclude) };
    return this.#excludeFilter.test(relativePath);
  }

  /** The parse cache, unless its folder is inside a vault: the server never writes into one. */
  #usableParseCache(): IParseCacheStorage | undefined {
    const storage = this.#parseCache;
    if (!storage) return undefined;
    const inside = this.#vaults.find((vault) => storage.isInsideFolder?.(vault.rootUri) || vault.rootUri === storage.directoryUri.replace(/\/$/, '') || vault.relativePathOf(storage.directoryUri) !== undefined);
    if (!inside) return storage;
    this.#logger.log(`Not caching parses: the cache folder ${storage.directoryUri} is inside the vault ${inside.rootUri}.`);
    return undefined;
  }

  /** Reads `.obsidian/app.json`; a vault without one uses Obsidian's defaults. */
  async #loadVaultConfig(vault: VaultIndex): Promise<void> {
    let text: string | undefined;
    try {
      text = decoder.decode(await this.#fs.readFile(vault.uriOf(APP_JSON)));
    } catch {
      text = undefined;
    }
    vault.config = parseVaultConfig(text);
    for (const warning of vault.config.warnings ?? []) this.#logger.log(`${vault.uriOf(APP_JSON)}: ${warning}`);
  }

  async #readText(uri: string, problems: string[]): Promise<string | undefined> {
    try {
      return decoder.decode(await this.#fs.readFile(uri));
    } catch (error) {
      // A file that vanished between the listing and the read is simply not indexed.
      problems.push(`${uri}: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
  }
}

/** The URIs of notes given by relative path (as the index reports affected notes). */
function urisOf(vault: VaultIndex, relativePaths: ReadonlySet<string>): string[] {
  const uris: string[] = [];
  for (const relativePath of relativePaths) {
    const file = vault.fileAt(relativePath);
    if (file) uris.push(file.uri);
  }
  return uris;
}

/** The same source, counting the notes it parses (not those it fails to read). */
function countingSource(source: INoteSource, onParse: () => void): INoteSource {
  return {
    stamps: (rootUri, paths) => source.stamps(rootUri, paths),
    parseFiles: (uris, onParsed, token) =>
      source.parseFiles(
        uris,
        (file: ParsedFile) => {
          if (!('error' in file)) onParse();
          onParsed(file);
        },
        token,
      ),
  };
}
