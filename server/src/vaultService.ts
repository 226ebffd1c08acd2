import type { CodeAction, CompletionList, Diagnostic, Range, DocumentLink, DocumentSymbol, Location, LocationLink, Position, TextEdit, WorkspaceEdit } from 'vscode-languageserver-types';
import { URI } from 'vscode-uri';
import { indexNotes } from './core/bulkIndexer';
import { pathKey } from './core/names';
import { InThreadNoteSource, type INoteSource } from './core/noteSource';
import type { IParseCacheStorage } from './core/parseCache';
import { parseNote } from './core/parser';
import { LineIndex } from './core/text';
import { resolvePath } from './core/linkResolver';
import { VaultIndex, type IndexedNote, type VaultFile } from './core/vaultIndex';
import { parseVaultConfig } from './core/vaultConfig';
import { createLimiter, createVaultPathFilter, scanVault } from './core/vaultScanner';
import { neverCancelled, nullLogger, type ICancellationToken, type IFileSystem, type ILogger } from './core/workspace';
import { LinkCatalog, defaultCompletionOptions, provideCompletions, type CompletionOptions } from './features/completion';
import { provideCodeActions, type CodeActionOptions } from './features/codeActions';
import { provideDefinition } from './features/definition';
import { computeDiagnostics, defaultDiagnosticOptions, type DiagnosticOptions } from './features/diagnostics';
import { provideDocumentLinks } from './features/documentLinks';
import { provideDocumentSymbols } from './features/documentSymbols';
import { provideReferences } from './features/references';
import { linkEditsForFileMove, provideRename, renameTargetAt } from './features/rename';
import { computeTableOfContentsEdit } from './features/tableOfContents';
import { conferenceOutline, getConferences, type Conference } from './features/talks';

export interface VaultSettings {
  /** Globs (vault-relative) of files and folders to leave out, beyond `.git`, `.obsidian`, `.trash`, `node_modules`. */
  readonly exclude: readonly string[];
  readonly diagnostics: DiagnosticOptions;
  readonly completion: CompletionOptions;
  /** Whether hosts report problems of every note or only of open ones. */
  readonly diagnosticScope: 'workspace' | 'openNotes';
}

export const defaultVaultSettings: VaultSettings = {
  exclude: [],
  diagnostics: defaultDiagnosticOptions,
  completion: defaultCompletionOptions,
  diagnosticScope: 'workspace',
};

export interface VaultServiceOptions {
  readonly fileSystem: IFileSystem;
  readonly logger?: ILogger;
  readonly settings?: VaultSettings;
  /** How many files are read at once while indexing. */
  readonly readConcurrency?: number;
  /** Reads and parses notes in bulk (the server's parses in worker threads); default: here, through `fileSystem`. */
  readonly noteSource?: INoteSource;
  /** Keeps parses between sessions, outside the vault; default: none, every note is parsed. */
  readonly parseCache?: IParseCacheStorage;
}

/** While indexing, completion may use a list of names this old rather than rebuild it for every file added. */
const STALE_CATALOG_MS = 2000;

export interface IndexStats {
  readonly notes: number;
  readonly attachments: number;
  readonly milliseconds: number;
  /** Files or folders that could not be read, and why. */
  readonly problems: readonly string[];
}

export type IndexProgress = (done: number, total: number) => void;

const decoder = new TextDecoder('utf-8');
const APP_JSON = '.obsidian/app.json';

/** Clients spell URIs differently (`%20` or not, drive-letter case); one spelling is kept. */
function canonicalUri(uri: string): string {
  return URI.parse(uri).toString();
}

/**
 * The one object the hosts (language server, CLI, benchmarks, tests) talk to. It
 * owns one index per workspace folder and the text of open notes, and answers each
 * feature as a function of that state. It knows nothing of LSP connections or of
 * `node:fs`: the file system is passed in.
 */
export class VaultService {
  readonly #fs: IFileSystem;
  readonly #logger: ILogger;
  readonly #readLimit: <T>(task: () => Promise<T>) => Promise<T>;
  #settings: VaultSettings;
  /** Built from the settings' exclude globs, for watcher events (the scan applies them as it walks). */
  #isExcluded: (relativePath: string) => boolean;
  #vaults: VaultIndex[] = [];
  readonly #openTexts = new Map<string, string>();
  readonly #catalogs = new WeakMap<VaultIndex, { generation: number; catalog: LinkCatalog; builtAt: number }>();
  readonly #noteSource: INoteSource;
  #parseCache: IParseCacheStorage | undefined;
  #indexing = false;

  constructor(options: VaultServiceOptions) {
    this.#fs = options.fileSystem;
    this.#logger = options.logger ?? nullLogger;
    this.#settings = options.settings ?? defaultVaultSettings;
    this.#isExcluded = createVaultPathFilter(this.#settings.exclude);
    this.#readLimit = createLimiter(options.readConcurrency ?? 32);
    this.#noteSource = options.noteSource ?? new InThreadNoteSource(options.fileSystem, options.readConcurrency ?? 32);
    this.#parseCache = options.parseCache;
  }

  get settings(): VaultSettings {
    return this.#settings;
  }

  updateSettings(settings: VaultSettings): void {
    this.#settings = settings;
    this.#isExcluded = createVaultPathFilter(settings.exclude);
  }

  get vaults(): readonly VaultIndex[] {
    return this.#vaults;
  }

  /** Sets (or, with undefined, removes) the parse cache used from the next index on. */
  useParseCache(storage: IParseCacheStorage | undefined): void {
    this.#parseCache = storage;
  }

  /** The parse cache, unless its folder is inside a vault: the server never writes into one. */
  #usableParseCache(): IParseCacheStorage | undefined {
    const storage = this.#parseCache;
    if (!storage) return undefined;
    const inside = this.#vaults.find((vault) => vault.rootUri === storage.directoryUri.replace(/\/$/, '') || vault.relativePathOf(storage.directoryUri) !== undefined);
    if (!inside) return storage;
    this.#logger.log(`Not caching parses: the cache folder ${storage.directoryUri} is inside the vault ${inside.rootUri}.`);
    return undefined;
  }

  /** Replaces the set of vault roots; call `indexAll` afterwards. */
  setRoots(rootUris: readonly string[]): void {
    this.#vaults = rootUris.map((uri) => new VaultIndex(uri.replace(/\/$/, '')));
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

  /**
   * Scans every root and parses every note; open notes are parsed from their
   * buffers. Open notes and the notes they link to are parsed first, then
   * `onPriorityReady` fires, so an editor shows the open note's problems without
   * waiting for the whole vault. The rest come from the parse cache when
   * unchanged, else from the note source.
   */
  async indexAll(progress?: IndexProgress, token: ICancellationToken = neverCancelled, onPriorityReady?: () => void): Promise<IndexStats> {
    this.#indexing = true;
    try {
      return await this.#indexAll(progress, token, onPriorityReady);
    } finally {
      this.#indexing = false;
    }
  }

  async #indexAll(progress: IndexProgress | undefined, token: ICancellationToken, onPriorityReady: (() => void) | undefined): Promise<IndexStats> {
    const started = Date.now();
    this.setRoots(this.#vaults.map((vault) => vault.rootUri));
    const problems: string[] = [];
    await Promise.all(this.#vaults.map((vault) => this.#loadVaultConfig(vault)));
    const listings = await Promise.all(this.#vaults.map((vault) => scanVault(this.#fs, vault.rootUri, { exclude: this.#settings.exclude, token })));
    // Files are known before any note is parsed, so nothing resolves against a half-listed vault.
    listings.forEach((listing, index) => {
      problems.push(...listing.problems);
      for (const relativePath of listing.files) this.#vaults[index].addFile(relativePath);
    });

    const total = listings.reduce((sum, listing) => sum + listing.files.length, 0);
    let done = 0;
    let lastReport = 0;
    const tick = () => {
      done++;
      const now = Date.now();
      if (progress && (now - lastReport > 100 || done === total)) {
        lastReport = now;
        progress(done, total);
      }
    };

    const priority = await this.#parsePriorityNotes(problems, token);
    onPriorityReady?.();
    done += priority.size;
    const storage = this.#usableParseCache();
    await Promise.all(
      this.#vaults.map((vault) => {
        const rest = [...vault.files()].filter((file) => !priority.has(file));
        for (const file of rest) if (!file.isNote) tick();
        const indexedAlready = [...priority].filter((file) => file.isNote && vault.fileByPathKey(file.pathKey) === file);
        return indexNotes(vault, rest.filter((file) => file.isNote), indexedAlready, {
          source: this.#noteSource,
          storage,
          openText: (uri) => this.#openTexts.get(uri),
          token,
          onIndexed: tick,
          problems,
          logger: this.#logger,
        });
      }),
    );
    for (const problem of problems) this.#logger.log(`Could not read ${problem}`);
    const { notes, attachments } = this.stats;
    return { notes, attachments, milliseconds: Date.now() - started, problems };
  }

  /** Parses the open notes, then the notes they link to. Returns the files done. */
  async #parsePriorityNotes(problems: string[], token: ICancellationToken): Promise<Set<VaultFile>> {
    const done = new Set<VaultFile>();
    for (const vault of this.#vaults) {
      const open = [...this.#openTexts.keys()].map((uri) => vault.fileForUri(uri)).filter((file): file is VaultFile => !!file);
      await this.#parseFiles(vault, open, problems, token);
      open.forEach((file) => done.add(file));
      const targets = new Set<VaultFile>();
      for (const file of open) {
        const note = vault.note(file);
        for (const link of note?.parsed.links ?? []) {
          if (link.external || link.path === '') continue;
          const target = resolvePath(vault, file, link.path, link.kind).file;
          if (target?.isNote && !done.has(target)) targets.add(target);
        }
      }
      await this.#parseFiles(vault, [...targets], problems, token);
      targets.forEach((file) => done.add(file));
    }
    return done;
  }

  #parseFiles(vault: VaultIndex, files: readonly VaultFile[], problems: string[], token: ICancellationToken): Promise<unknown> {
    return Promise.all(
      files.map((file) =>
        this.#readLimit(async () => {
          if (token.isCancellationRequested) return;
          const text = this.#openTexts.get(file.uri) ?? (await this.#readText(file.uri, problems));
          if (text !== undefined) vault.setNote(file.relativePath, parseNote(text));
          else vault.removeFile(file.relativePath);
        }),
      ),
    );
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

  /** Records an editor's text for a note without parsing it (while indexing runs). */
  rememberOpenText(uri: string, text: string): void {
    this.#openTexts.set(canonicalUri(uri), text);
  }

  /**
   * A note's text changed in an editor: re-parse that one note. Returns the URIs of
   * the other notes whose diagnostics may have changed.
   */
  setDocumentText(uri: string, text: string): string[] {
    this.#openTexts.set(canonicalUri(uri), text);
    return this.#updateNote(uri, text);
  }

  /** The editor closed a note: from now on the file on disk is what counts. */
  async closeDocument(uri: string): Promise<string[]> {
    this.#openTexts.delete(canonicalUri(uri));
    return this.fileChanged(uri);
  }

  /** A file was created or changed on disk (watcher events). */
  async fileChanged(uri: string): Promise<string[]> {
    const vault = this.vaultFor(uri);
    const relativePath = vault?.relativePathOf(uri);
    if (!vault || relativePath === undefined) return [];
    if (relativePath === APP_JSON) {
      await this.#loadVaultConfig(vault);
      return [];
    }
    if (this.#isExcluded(relativePath)) return [];
    if (!/\.md$/i.test(relativePath)) return this.#urisOf(vault, vault.addFile(relativePath).affectedNotes);
    const openText = this.#openTexts.get(canonicalUri(uri));
    if (openText !== undefined) return this.#updateNote(uri, openText);
    const text = await this.#readText(uri, []);
    if (text === undefined) return this.fileDeleted(uri);
    return this.#updateNote(uri, text);
  }

  fileDeleted(uri: string): string[] {
    const vault = this.vaultFor(uri);
    const relativePath = vault?.relativePathOf(uri);
    if (!vault || relativePath === undefined) return [];
    if (relativePath === APP_JSON) vault.config = parseVaultConfig(undefined);
    // A deleted folder arrives as one event: remove everything below it too.
    const prefix = pathKey(relativePath) + '/';
    const affected = new Set<string>();
    for (const file of [...vault.files()]) {
      if (file.pathKey === pathKey(relativePath) || file.pathKey.startsWith(prefix)) {
        for (const key of vault.removeFile(file.relativePath).affectedNotes) affected.add(key);
      }
    }
    return this.#urisOf(vault, affected);
  }

  #updateNote(uri: string, text: string): string[] {
    const vault = this.vaultFor(uri);
    const relativePath = vault?.relativePathOf(uri);
    if (!vault || relativePath === undefined) return [];
    return this.#urisOf(vault, vault.setNote(relativePath, parseNote(text)).affectedNotes);
  }

  #urisOf(vault: VaultIndex, keys: ReadonlySet<string>): string[] {
    const uris: string[] = [];
    for (const key of keys) {
      const file = vault.fileByPathKey(key);
      if (file) uris.push(file.uri);
    }
    return uris;
  }

  /**
   * Builds the link catalogs that are out of date (after indexing, or once a
   * note came, went or was renamed), so the next `[[` does not wait for one:
   * building takes about a second at 50,000 notes. The LSP layer calls this
   * when the editor is idle.
   */
  prepareCompletion(): void {
    // While indexing, names change by the thousand: the catalog is built once it is done.
    if (this.#indexing) return;
    for (const vault of this.#vaults) this.#catalog(vault);
  }

  #catalog(vault: VaultIndex): LinkCatalog {
    const cached = this.#catalogs.get(vault);
    if (cached && cached.generation === vault.catalogGeneration) return cached.catalog;
    // Indexing adds names by the thousand: rebuilding the list on every keystroke would stall completion.
    if (cached && this.#indexing && Date.now() - cached.builtAt < STALE_CATALOG_MS) return cached.catalog;
    const catalog = new LinkCatalog(vault);
    this.#catalogs.set(vault, { generation: vault.catalogGeneration, catalog, builtAt: Date.now() });
    return catalog;
  }

  // ---- features -------------------------------------------------------

  getDiagnostics(uri: string): Diagnostic[] {
    const found = this.noteFor(uri);
    return found ? computeDiagnostics(found.vault, found.note, this.#settings.diagnostics) : [];
  }

  getCompletions(uri: string, position: Position, token: ICancellationToken = neverCancelled): CompletionList {
    const found = this.noteFor(uri);
    const text = this.#openTexts.get(canonicalUri(uri));
    if (!found || text === undefined || token.isCancellationRequested) return { isIncomplete: false, items: [] };
    const lines = new LineIndex(text);
    const lineText = lines.lineText(position.line);
    return provideCompletions(found.vault, this.#catalog(found.vault), found.note, lineText, position, this.#settings.completion);
  }

  getCodeActions(uri: string, range: Range, diagnostics: readonly Diagnostic[], only?: readonly string[], options?: CodeActionOptions): CodeAction[] {
    const found = this.noteFor(uri);
    return found ? provideCodeActions(found.vault, this.#catalog(found.vault), found.note, range, diagnostics, only, options) : [];
  }

  getDefinition(uri: string, position: Position): LocationLink[] {
    const found = this.noteFor(uri);
    return found ? provideDefinition(found.vault, found.note, position) : [];
  }

  getReferences(uri: string, position: Position, includeDeclaration: boolean): Location[] {
    const found = this.noteFor(uri);
    return found ? provideReferences(found.vault, found.note, position, includeDeclaration) : [];
  }

  getDocumentSymbols(uri: string): DocumentSymbol[] {
    const found = this.noteFor(uri);
    return found ? provideDocumentSymbols(found.note.parsed) : [];
  }

  getDocumentLinks(uri: string): DocumentLink[] {
    const found = this.noteFor(uri);
    return found ? provideDocumentLinks(found.vault, found.note) : [];
  }

  /** The talk outline of one note (`[]` when it is not a conference note), or of every conference note in every folder. */
  getTalks(uri?: string): Conference[] {
    if (uri !== undefined) {
      const found = this.noteFor(uri);
      const outline = found && conferenceOutline(found.vault, found.note);
      return outline ? [outline] : [];
    }
    return this.#vaults.flatMap((vault) => getConferences(vault)).sort((a, b) => a.title.localeCompare(b.title) || a.uri.localeCompare(b.uri));
  }

  /** Edits that insert or refresh the note's table of contents; none when it is current. */
  getTableOfContentsEdits(uri: string): TextEdit[] {
    const found = this.noteFor(uri);
    if (!found) return [];
    // The index keeps prose text only for conference notes; any note may want a table of contents.
    const text = this.#openTexts.get(canonicalUri(uri));
    const parsed = found.note.parsed.proseText || text === undefined ? found.note.parsed : parseNote(text, { keepProse: true });
    return computeTableOfContentsEdit(parsed);
  }

  /** What F2 would rename here, for the editor's rename box; undefined when nothing can be. */
  prepareRename(uri: string, position: Position): { range: Range; placeholder: string } | undefined {
    const found = this.noteFor(uri);
    const target = found && renameTargetAt(found.vault, found.note, position);
    return target && { range: target.range, placeholder: target.placeholder };
  }

  /** The rename of the heading or file at `position` and of every link to it; throws `RenameError` for a name that cannot be. */
  rename(uri: string, position: Position, newName: string): WorkspaceEdit | undefined {
    const found = this.noteFor(uri);
    return found ? provideRename(found.vault, found.note, position, newName) : undefined;
  }

  /**
   * The link edits for files (or folders) about to be renamed or moved by the
   * editor, so links keep pointing at them. A folder's files are found by
   * prefix: a rare, user-started operation, not a per-keystroke one.
   */
  linkEditsForRenamedFiles(renames: ReadonlyArray<{ oldUri: string; newUri: string }>): WorkspaceEdit {
    const changes: Record<string, TextEdit[]> = {};
    for (const { oldUri, newUri } of renames) {
      const vault = this.vaultFor(oldUri);
      const oldPath = vault?.relativePathOf(oldUri);
      const newPath = vault?.relativePathOf(newUri);
      if (!vault || oldPath === undefined || newPath === undefined) continue; // moved out of the vault: nothing can point at it any more
      const single = vault.fileForUri(oldUri);
      const moves: Array<[VaultFile, string]> = single
        ? [[single, newPath]]
        : [...vault.files()].filter((file) => file.relativePath.startsWith(`${oldPath}/`)).map((file) => [file, newPath + file.relativePath.slice(oldPath.length)]);
      for (const [file, movedTo] of moves) {
        for (const [linker, edits] of linkEditsForFileMove(vault, file, movedTo)) (changes[linker] ??= []).push(...edits);
      }
    }
    return { changes };
  }
}
