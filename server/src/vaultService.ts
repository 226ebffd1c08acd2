import type { CodeAction, CodeLens, CompletionList, Diagnostic, FoldingRange, Hover, Range, DocumentLink, DocumentSymbol, Location, LocationLink, Position, SelectionRange, SymbolInformation, TextEdit, WorkspaceEdit } from 'vscode-languageserver-types';
import { isInsideVault } from './core/containment';
import { dirname, pathKey } from './core/names';
import { InThreadNoteSource, type INoteSource } from './core/noteSource';
import type { IParseCacheStorage } from './core/parseCache';
import { parseNote } from './core/parser';
import { LineIndex } from './core/text';
import { attachmentFolder } from './core/vaultConfig';
import type { IndexedNote, VaultFile, VaultIndex } from './core/vaultIndex';
import { neverCancelled, nullLogger, type ICancellationToken, type IFileSystem, type ILogger } from './core/workspace';
import { provideAttachmentTargets, type AttachmentPlacement, type AttachmentSource } from './features/attachmentTarget';
import { completionContextAt, defaultCompletionOptions, provideCompletions, type CompletionOptions, type IVaultAnchorSearch } from './features/completion';
import { provideBacklinks, type Backlinks } from './features/backlinks';
import { provideBacklinkCodeLenses } from './features/codeLens';
import { keepActionsInsideVault, provideCodeActions, type CodeActionOptions } from './features/codeActions';
import { provideDefinition } from './features/definition';
import { followLinkAt, type NewNote } from './features/createNote';
import { computeDiagnostics, defaultDiagnosticOptions, type DiagnosticOptions } from './features/diagnostics';
import { provideDocumentLinks, type DocumentLinkOptions } from './features/documentLinks';
import { hoverTargetAt, renderHover, renderTagHover } from './features/hover';
import { provideDocumentSymbols } from './features/documentSymbols';
import { previewEmbedSources, providePreviewLinks } from './features/previewLinks';
import { provideFoldingRanges } from './features/foldingRanges';
import { provideSelectionRanges } from './features/selectionRanges';
import { findReferencingLinksCancellable, provideReferences, provideReferencesCancellable, referenceLocationBatches } from './features/references';
import { linkEditsForFileMove, provideRename, provideRenameCancellable, renameTargetAt } from './features/rename';
import { computeTableOfContentsEdit } from './features/tableOfContents';
import { lineInCodeOrFrontMatter, provideTagCompletions } from './features/tagCompletion';
import type { TagSummary } from './features/tagNames';
import { prepareTagRename, provideTagReferences, provideTagRename, tagAt } from './features/tagReferences';
import { compileTalkPatterns } from './core/talkPatterns';
import { talkCalendar, type TalkCalendar } from './features/talkCalendar';
import { conferenceOutline, getConferences, type Conference, type TalkReadingOptions, type TalkSettings } from './features/talks';
import { findUnlinkedMentions, type UnlinkedMentions } from './features/unlinkedMentions';
import { provideVaultNotices } from './features/vaultNotices';
import type { PreviewLinks, VaultNotice } from './protocol/vaultlinkProtocol';
import { provideSearch, type SearchHit, type SearchKind } from './features/vaultSearch';
import { CompletionCatalogIndex, DerivedIndexRegistry } from './service/derivedIndexes';
import { DocumentStore } from './service/documentStore';
import { SymbolIndex, SymbolScope } from './service/symbolIndex';
import { BlockTextIndex, capBlockText } from './service/blockTextIndex';
import { addBlockIdEdit, isAddBlockIdArguments } from './features/blockIds';
import { TagIndex } from './service/tagIndex';
import { VaultIndexer, noUpdate, type FileEvent, type IndexProgress, type IndexStats, type NotesUpdate } from './service/indexer';

export type { FileEvent, IndexProgress, IndexStats, NotesUpdate } from './service/indexer';

export interface VaultSettings {
  /** Globs (vault-relative) of files and folders to leave out, beyond `.git`, `.obsidian`, `.trash`, `node_modules`. */
  readonly exclude: readonly string[];
  readonly diagnostics: DiagnosticOptions;
  readonly completion: CompletionOptions;
  /** Whether hosts report problems of every note or only of open ones. */
  readonly diagnosticScope: 'workspace' | 'openNotes';
  /** Whether notes get the "N backlinks" code lens. */
  readonly codeLens: { readonly backlinks: boolean };
  /** The talk outline's extra patterns and calendar defaults. */
  readonly talks?: TalkSettings;
}

export const defaultVaultSettings: VaultSettings = {
  exclude: [],
  diagnostics: defaultDiagnosticOptions,
  completion: defaultCompletionOptions,
  diagnosticScope: 'workspace',
  codeLens: { backlinks: true },
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

/** What a settings change did: whether every note's diagnostics must be sent again, and the notes that came or went. */
export interface SettingsEffect {
  readonly republish: boolean;
  readonly update: NotesUpdate;
}

/**
 * The one object the hosts (language server, CLI, benchmarks, tests) talk to:
 * a thin facade, in the manner of vscode-markdown-languageservice's
 * `createLanguageService`, that wires the indexer (notes in and kept current),
 * the document store (open buffers), the derived indexes (kept across notes)
 * and the features (each a function of the index). It knows nothing of LSP
 * connections or of `node:fs`: the file system is passed in.
 *
 * Feature methods answer from what is indexed now; a host that must not answer
 * early awaits `whenNoteReady` (or `whenIndexed`) first — the request lifecycle
 * in ARCHITECTURE.md.
 */
export class VaultService {
  readonly #documents = new DocumentStore();
  readonly #derived = new DerivedIndexRegistry();
  readonly #indexer: VaultIndexer;
  readonly #catalogs: CompletionCatalogIndex;
  readonly #tags: TagIndex;
  readonly #symbols: SymbolIndex;
  readonly #blockTexts: BlockTextIndex;
  readonly #fs: IFileSystem;
  readonly #logger: ILogger;
  #settings: VaultSettings;

  constructor(options: VaultServiceOptions) {
    this.#settings = options.settings ?? defaultVaultSettings;
    this.#logger = options.logger ?? nullLogger;
    this.#fs = options.fileSystem;
    this.#indexer = new VaultIndexer({
      fileSystem: options.fileSystem,
      logger: options.logger ?? nullLogger,
      noteSource: options.noteSource ?? new InThreadNoteSource(options.fileSystem, options.readConcurrency ?? 32),
      parseCache: options.parseCache,
      readConcurrency: options.readConcurrency ?? 32,
      documents: this.#documents,
      derived: this.#derived,
      exclude: () => this.#settings.exclude,
    });
    this.#catalogs = this.#derived.register(new CompletionCatalogIndex());
    this.#tags = this.#derived.register(new TagIndex());
    this.#symbols = this.#derived.register(new SymbolIndex(() => this.#indexer.isIndexing));
    this.#blockTexts = this.#derived.register(new BlockTextIndex((uri) => this.#readText(uri)));
  }

  get settings(): VaultSettings {
    return this.#settings;
  }

  /** Sets the settings for what comes next (no re-index); `applySettings` also brings the index in line. */
  updateSettings(settings: VaultSettings): void {
    this.#settings = settings;
  }

  /**
   * Changes the settings, redoing only what they affect: new exclude globs add
   * or drop the files concerned; diagnostic options and scope only need every
   * note's diagnostics sent again; completion options need nothing.
   */
  async applySettings(settings: VaultSettings): Promise<SettingsEffect> {
    const before = this.#settings;
    this.#settings = settings;
    const republish = JSON.stringify(before.diagnostics) !== JSON.stringify(settings.diagnostics) || before.diagnosticScope !== settings.diagnosticScope;
    const excludeChanged = before.exclude.join('\n') !== settings.exclude.join('\n');
    const update = excludeChanged ? await this.#indexer.refreshListings() : noUpdate;
    return { republish, update };
  }

  get vaults(): readonly VaultIndex[] {
    return this.#indexer.vaults;
  }

  /** Sets (or, with undefined, removes) the parse cache used from the next index on. */
  useParseCache(storage: IParseCacheStorage | undefined): void {
    this.#indexer.useParseCache(storage);
  }

  /** Replaces the set of vault roots; call `indexAll` afterwards. Requests about their notes wait for it. */
  setRoots(rootUris: readonly string[]): void {
    this.#indexer.setRoots(rootUris);
  }

  /** Workspace folders opened: indexed alone, the others untouched. */
  addRoots(rootUris: readonly string[], token?: ICancellationToken): Promise<IndexStats> {
    return this.#indexer.addRoots(rootUris, token);
  }

  /** A note opened outside every vault: indexes the vault it belongs to (see VaultIndexer.adoptLooseNote). */
  adoptLooseNote(uri: string, options?: { folderWithoutMarker?: boolean }): Promise<boolean> {
    return this.#indexer.adoptLooseNote(uri, options);
  }

  /** Workspace folders closed; returns the notes that left with them. */
  removeRoots(rootUris: readonly string[]): string[] {
    return this.#indexer.removeRoots(rootUris);
  }

  /** A broken app.json, a vault too large: see features/vaultNotices.ts. */
  get notices(): VaultNotice[] {
    return provideVaultNotices(this.#indexer.vaults);
  }

  get stats(): { notes: number; attachments: number } {
    return this.#indexer.stats;
  }

  /** Notes parsed from text so far (cache hits excluded). */
  get parses(): number {
    return this.#indexer.parses;
  }

  get isIndexing(): boolean {
    return this.#indexer.isIndexing;
  }

  get indexProgress(): { indexed: number; total: number } {
    return this.#indexer.progress;
  }

  /** Indexes every root from scratch, cancelling an index still running (see VaultIndexer.indexAll). */
  indexAll(progress?: IndexProgress, token: ICancellationToken = neverCancelled, onPriorityReady?: () => void): Promise<IndexStats> {
    return this.#indexer.indexAll(progress, token, onPriorityReady);
  }

  /** Settles once the note and the notes it links to are indexed (true), or after `timeoutMs` / when cancelled (false). */
  whenNoteReady(uri: string, token?: ICancellationToken, timeoutMs?: number, options?: { parseEdits?: boolean }): Promise<boolean> {
    return this.#indexer.whenNoteReady(uri, token, timeoutMs, options);
  }

  /** Settles once no index runs (true), or after `timeoutMs` / when cancelled (false). */
  whenIndexed(token?: ICancellationToken, timeoutMs?: number): Promise<boolean> {
    return this.#indexer.whenIndexed(token, timeoutMs);
  }

  vaultFor(uri: string): VaultIndex | undefined {
    return this.#indexer.vaultFor(uri);
  }

  noteFor(uri: string): { vault: VaultIndex; note: IndexedNote } | undefined {
    return this.#indexer.noteFor(uri);
  }

  isOpen(uri: string): boolean {
    return this.#documents.has(uri);
  }

  /** Records an editor's text for a note without parsing it (the next index parses it from there). */
  rememberOpenText(uri: string, text: string): void {
    this.#indexer.rememberOpenText(uri, text);
  }

  /** A note's text changed in an editor: re-parse that one note. Returns the other notes whose diagnostics may have changed. */
  setDocumentText(uri: string, text: string): string[] {
    return this.#indexer.setDocumentText(uri, text);
  }

  /** An edit, parsed on the next request about the note or when `takeEditEffects` is called: once per pause in typing. */
  noteEdited(uri: string, text: string): void {
    this.#indexer.noteEdited(uri, text);
  }

  /** Parses the note's pending edit, and returns (once) the other notes its edits affected; undefined when none was parsed since the last call. */
  takeEditEffects(uri: string): string[] | undefined {
    return this.#indexer.takeEditEffects(uri);
  }

  /** The editor closed a note: from now on the file on disk is what counts. */
  closeDocument(uri: string): Promise<NotesUpdate> {
    return this.#indexer.closeDocument(uri);
  }

  /** Watcher events, applied in order after any running index. */
  applyFileEvents(events: readonly FileEvent[]): Promise<NotesUpdate> {
    return this.#indexer.applyFileEvents(events);
  }

  /** A file or folder was created or changed on disk. Returns the notes whose diagnostics may differ (itself included). */
  async fileChanged(uri: string): Promise<string[]> {
    return [...(await this.applyFileEvents([{ uri, deleted: false }])).changed];
  }

  /** A file or folder was deleted on disk. Returns the other notes whose diagnostics may differ. */
  async fileDeleted(uri: string): Promise<string[]> {
    return [...(await this.applyFileEvents([{ uri, deleted: true }])).changed];
  }

  /**
   * One bounded step of building the completion catalogs that are behind
   * (after indexing, or while it runs, or once names came, went or changed),
   * so the next `[[` finds them built. The LSP layer calls this when the
   * editor is idle, again while it returns true (more to do).
   */
  prepareCompletion(): boolean {
    let more = false;
    for (const vault of this.vaults) {
      // A vault whose files are not listed yet has nothing to build (its files come all at once). While indexing, only a
      // catalog `[[` already asked for is built on: the names and aliases change until the end, and memory is at its peak.
      if (vault.fileCount > 0 && this.#catalogs.isStale(vault) && (!this.#indexer.isIndexing || this.#catalogs.has(vault))) more = this.#catalogs.prepare(vault) || more;
      // `[[##` and `[[^^` search the symbol index: built here too, not on the keystroke, once indexing is done.
      if (!this.#indexer.isIndexing) more = this.#symbols.prepare(vault) || more;
    }
    return more;
  }

  /**
   * Resolves once the block texts `[[^^` searches are read for every note of
   * the note's vault (at once when no `[[^^` was asked there yet): for tests and
   * hosts that must not answer from a partial index.
   */
  async whenBlockTextsIndexed(uri: string): Promise<void> {
    const found = this.noteFor(uri);
    if (found) await this.#blockTexts.whenIndexed(found.vault);
  }

  /**
   * The edit that gives another note's block the id a `[[^^` completion
   * linked it by (the item's command, see features/blockIds.ts), checked
   * against that note's text now; or why it cannot be given.
   */
  async getAddBlockIdEdit(args: unknown): Promise<{ edit: WorkspaceEdit } | { refused: string } | { unchanged: true }> {
    if (!isAddBlockIdArguments(args)) return { refused: 'The block id command was given no block.' };
    const found = this.noteFor(args.uri);
    if (!found) return { refused: `The note to give the block id ^${args.id} is no longer in the vault.` };
    const text = await this.#readText(found.note.file.uri);
    if (text === undefined) return { refused: `${found.note.name} could not be read: the block was not given the id ^${args.id}.` };
    const result = addBlockIdEdit(found.note, text, args, (blockText, offered) => capBlockText(blockText) === offered);
    return 'edit' in result ? { edit: { changes: { [found.note.file.uri]: [result.edit] } } } : result;
  }

  /** The vault-wide heading and block search of `[[##` and `[[^^`, from the symbol index. */
  #anchorSearch(vault: VaultIndex): IVaultAnchorSearch {
    const find = (query: string, limit: number, scope: number) => this.#symbols.find(vault, query, limit, scope).map(({ path, symbol }) => ({ path, name: symbol.name, line: symbol.line }));
    return {
      headings: (query, limit) => find(query, limit, SymbolScope.Heading | SymbolScope.TalkHeading),
      blocks: (query, limit) => find(query, limit, SymbolScope.Block),
    };
  }

  // ---- features -------------------------------------------------------

  getDiagnostics(uri: string): Diagnostic[] {
    const found = this.noteFor(uri);
    return found ? computeDiagnostics(found.vault, found.note, this.#settings.diagnostics) : [];
  }

  getCompletions(uri: string, position: Position, token: ICancellationToken = neverCancelled): CompletionList {
    const found = this.noteFor(uri);
    const text = this.#documents.get(uri);
    if (!found || text === undefined || token.isCancellationRequested) return { isIncomplete: false, items: [] };
    const lines = new LineIndex(text);
    const lineText = lines.lineText(position.line);
    // `#tag` outside links, code and front matter: the vault's tags.
    if (!completionContextAt(lineText, position.character) && lineText.includes('#') && !lineInCodeOrFrontMatter(text, position.line)) {
      const tags = provideTagCompletions(found.vault, this.#tags, found.note, lineText, position, this.#settings.completion.maxItems);
      if (tags) return tags;
    }
    return provideCompletions(found.vault, this.#catalogs.catalog(found.vault), found.note, lineText, position, this.#settings.completion, {
      anchors: this.#anchorSearch(found.vault),
      blockTexts: { blocks: (query, limit, except) => this.#blockTexts.search(found.vault, query, limit, except) },
      noteText: text,
    });
  }

  getCodeActions(uri: string, range: Range, diagnostics: readonly Diagnostic[], only?: readonly string[], options?: CodeActionOptions): CodeAction[] {
    const found = this.noteFor(uri);
    if (!found) return [];
    const text = this.#documents.get(uri);
    // Read from the editor's text, split into lines only when a fix asks.
    let lines: LineIndex | undefined;
    const lineText = text === undefined ? undefined : (line: number) => {
      lines ??= new LineIndex(text);
      return line >= 0 && line < lines.lineCount ? lines.lineText(line) : undefined;
    };
    return provideCodeActions(found.vault, this.#catalogs.completeCatalog(found.vault), found.note, range, diagnostics, only, { ...options, lineText: options?.lineText ?? lineText });
  }

  /**
   * Code actions, less any whose target is outside the vault on real paths (a
   * symbolically linked folder inside it leading elsewhere, which the index
   * never lists): what an editor is offered.
   */
  async getCodeActionsInsideVault(uri: string, range: Range, diagnostics: readonly Diagnostic[], only?: readonly string[], options?: CodeActionOptions): Promise<CodeAction[]> {
    const actions = this.getCodeActions(uri, range, diagnostics, only, options);
    const vault = this.vaultFor(uri);
    return vault && actions.length ? keepActionsInsideVault(this.#fs, vault.rootUri, actions) : actions;
  }

  /**
   * The hover over a link: a preview of its target (read from its buffer or
   * the disk, never the network), or why it is broken and the closest match.
   */
  async getHover(uri: string, position: Position): Promise<Hover | null> {
    const found = this.noteFor(uri);
    const tag = await this.#tagAtReading(found, position);
    if (tag) return renderTagHover(tag.mention.name, tag.mention.range, this.#tags.tag(tag.vault, tag.mention.name));
    const target = found && hoverTargetAt(found.vault, found.note, position, () => this.getDiagnostics(uri));
    if (!found || !target) return null;
    let text: string | undefined;
    if (target.kind === 'note') {
      text = this.#documents.get(target.file.uri);
      if (text === undefined) {
        try {
          text = new TextDecoder('utf-8').decode(await this.#fs.readFile(target.file.uri));
        } catch {
          text = undefined;
        }
      }
    }
    let closest: string | undefined;
    if (target.kind === 'broken') {
      const change = this.getCodeActions(uri, target.link.range, [target.problem]).find((action) => action.title.startsWith('Change to '));
      closest = change && /^Change to "(.*)"$/.exec(change.title)?.[1];
    }
    return renderHover(found.vault, target, text, closest);
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

  /**
   * Workspace symbols (Ctrl+T): the notes, aliases, headings and tags of every
   * vault that fuzzy-match `query`, at most `limit`; while indexing, those known so far.
   */
  getWorkspaceSymbols(query: string, limit = 200): SymbolInformation[] {
    return this.vaults.flatMap((vault) => this.#symbols.search(vault, query, limit)).slice(0, limit);
  }

  /**
   * Quick open: notes, headings, talks or link targets matching `query` in
   * every vault (for `links`, in the vault of `fromUri`, with the link to
   * insert there), best first, at most `limit`.
   */
  search(kind: SearchKind, query: string, limit = 50, fromUri?: string): SearchHit[] {
    const from = fromUri === undefined ? undefined : this.noteFor(fromUri);
    const vaults = from ? [from.vault] : this.vaults;
    return vaults
      .flatMap((vault) =>
        provideSearch(
          vault,
          this.#catalogs.completeCatalog(vault),
          {
            find: (text, max, what) =>
              this.#symbols.find(vault, text, max, what === 'talks' ? SymbolScope.Talk : SymbolScope.Heading | SymbolScope.TalkHeading).map(({ path, symbol }) => ({ path, name: symbol.name, range: symbol.range, detail: symbol.detail })),
          },
          kind,
          query,
          limit,
          from?.note.file,
        ),
      )
      .slice(0, limit);
  }

  /** The names workspace symbols search, by note (tests compare them with an index built from scratch). */
  getSymbolNames(uri: string): Record<string, unknown> {
    const vault = this.vaultFor(uri);
    return vault ? this.#symbols.symbols(vault) : {};
  }

  /** Folding ranges of a note (headings' sections, front matter, lists, code, callouts, comments), from its buffer or the disk. */
  async getFoldingRanges(uri: string): Promise<FoldingRange[]> {
    const found = this.noteFor(uri);
    const text = found && (await this.#readText(uri));
    return found && text !== undefined ? provideFoldingRanges(text, found.note.parsed) : [];
  }

  /** Smart-select ranges at each position, word to whole note. */
  async getSelectionRanges(uri: string, positions: readonly Position[]): Promise<SelectionRange[]> {
    const found = this.noteFor(uri);
    const text = found && (await this.#readText(uri));
    return found && text !== undefined ? provideSelectionRanges(text, found.note.parsed, positions) : [];
  }

  getDocumentLinks(uri: string, options?: DocumentLinkOptions): DocumentLink[] {
    const found = this.noteFor(uri);
    return found ? provideDocumentLinks(found.vault, found.note, options) : [];
  }

  /**
   * Following the link at `position` (a click on it): the note it names, with
   * the edit that creates it when it is missing (the client applies it: the
   * user asked), or just its URI when it exists. Undefined when there is no
   * link to a note there, or the note would be outside the vault on real paths
   * (a folder on the way that is a symbolic link out of it).
   */
  async followLink(uri: string, position: Position): Promise<{ uri: string; edit?: NewNote['edit']; relativePath?: string } | undefined> {
    const found = this.noteFor(uri);
    const followed = found && followLinkAt(found.vault, found.note, position);
    if (!found || !followed) return undefined;
    if (followed.kind === 'open') return { uri: followed.uri };
    if (!(await isInsideVault(this.#fs, found.vault.rootUri, followed.note.uri))) return undefined;
    return { uri: followed.note.uri, edit: followed.note.edit, relativePath: followed.note.relativePath };
  }

  /** The talk outline of one note (`[]` when it is not a conference note), or of every conference note in every folder. */
  getTalks(uri?: string): Conference[] {
    const options = this.#talkReading();
    if (uri !== undefined) {
      const found = this.noteFor(uri);
      const outline = found && conferenceOutline(found.vault, found.note, options);
      return outline ? [outline] : [];
    }
    return this.vaults.flatMap((vault) => getConferences(vault, options)).sort((a, b) => a.title.localeCompare(b.title) || a.uri.localeCompare(b.uri));
  }

  /** Talk outlines as an iCalendar file, with the settings' year and time zone for notes that give none. */
  getTalkCalendar(conferences: readonly Conference[]): TalkCalendar {
    const talks = this.#settings.talks;
    return talkCalendar(conferences, { year: talks?.calendarYear, timeZone: talks?.calendarTimeZone });
  }

  readonly #reportedPatterns = new WeakSet<object>();

  #talkReading(): TalkReadingOptions {
    const settings = this.#settings.talks?.patterns;
    const patterns = compileTalkPatterns(settings);
    if (settings && patterns?.refused.length && !this.#reportedPatterns.has(settings)) {
      this.#reportedPatterns.add(settings);
      for (const why of patterns.refused) this.#logger.log(`vaultlink.talks.patterns: ${why}; the pattern is not used`);
    }
    return { patterns };
  }

  /**
   * Where files pasted or dropped into a note go and the links to insert
   * (features/attachmentTarget.ts). Names taken on disk but not yet indexed (a
   * file pasted a moment ago) count as taken; a target whose real path leaves
   * the vault (a symbolically linked attachments folder) is refused. Writes nothing.
   */
  async getAttachmentTargets(uri: string, sources: readonly AttachmentSource[], now = new Date()): Promise<Array<AttachmentPlacement | undefined>> {
    const found = this.noteFor(uri);
    if (!found) return sources.map(() => undefined);
    const { vault, note } = found;
    const folder = attachmentFolder(vault.config, dirname(note.file.relativePath));
    const onDisk = new Set<string>();
    try {
      for (const [name] of await this.#fs.readDirectory(folder ? vault.uriOf(folder) : vault.rootUri)) onDisk.add(pathKey(folder ? `${folder}/${name}` : name));
    } catch {
      // No such folder yet: the client creates it with the file.
    }
    const placements = provideAttachmentTargets(vault, note, sources, { now, taken: (path) => onDisk.has(pathKey(path)) || vault.fileByPathKey(pathKey(path)) !== undefined });
    return Promise.all(placements.map(async (placement) => (placement?.targetUri && !(await isInsideVault(this.#fs, vault.rootUri, placement.targetUri)) ? undefined : placement)));
  }

  /**
   * The Backlinks view's data: the notes linking to the note, each link with
   * its line, and the note's links out; undefined for no note of a vault or
   * once `token` is cancelled.
   */
  async getBacklinks(uri: string, token: ICancellationToken = neverCancelled): Promise<Backlinks | undefined> {
    const found = this.noteFor(uri);
    if (!found) return undefined;
    return provideBacklinks(found.vault, found.note, this.#readText, await this.#readText(found.note.file.uri), token);
  }

  /** Where other notes write the note's name or aliases as plain text (bounded, see findUnlinkedMentions); undefined for no note or once cancelled. */
  async getUnlinkedMentions(uri: string, token: ICancellationToken = neverCancelled): Promise<UnlinkedMentions | undefined> {
    const found = this.noteFor(uri);
    return found ? findUnlinkedMentions(found.vault, found.note, this.#readText, token) : undefined;
  }

  /** The "N backlinks" lens, unless the setting turns it off. */
  getCodeLenses(uri: string): CodeLens[] {
    const found = this.noteFor(uri);
    return found && this.#settings.codeLens.backlinks ? provideBacklinkCodeLenses(found.vault, found.note) : [];
  }

  /** Edits that insert or refresh the note's table of contents; none when it is current. */
  getTableOfContentsEdits(uri: string): TextEdit[] {
    const found = this.noteFor(uri);
    if (!found) return [];
    // The index keeps prose text only for conference notes; any note may want a table of contents.
    const text = this.#documents.get(uri);
    const parsed = found.note.parsed.proseText || text === undefined ? found.note.parsed : parseNote(text, { keepProse: true });
    return computeTableOfContentsEdit(parsed);
  }

  /**
   * What each wiki link and embed of the note leads to, for the markdown
   * preview; the notes it embeds are read (buffer, else disk) first.
   */
  async getPreviewLinks(uri: string): Promise<PreviewLinks> {
    const found = this.noteFor(uri);
    if (!found) return { uri, links: [] };
    const texts = new Map<string, string>();
    for (const file of previewEmbedSources(found.vault, found.note)) {
      const text = await this.#readText(file.uri);
      if (text !== undefined) texts.set(file.uri, text);
    }
    // The note may have been edited while embeds were read: answer about what it is now.
    const now = this.noteFor(uri) ?? found;
    return providePreviewLinks(now.vault, now.note, (file) => texts.get(file.uri));
  }

  /** Every tag of the note's vault (nested tags' parents included), with how many notes use each. */
  getTags(uri: string): TagSummary[] {
    const vault = this.vaultFor(uri);
    return vault ? this.#tags.tags(vault) : [];
  }

  /** The notes (URIs) using a tag or one nested under it, in path order. */
  notesWithTag(uri: string, tag: string): string[] {
    const vault = this.vaultFor(uri);
    return vault ? this.#tags.notesWith(vault, tag).map((path) => vault.uriOf(path)) : [];
  }

  /** The tag at `position` in the note (inline, or in front matter when `text`, the note's, is given); undefined when none. */
  #tagAt(found: { vault: VaultIndex; note: IndexedNote } | undefined, position: Position, text: string | undefined) {
    const mention = found && tagAt(found.note, text, position);
    return mention && { vault: found.vault, mention };
  }

  /** The same, reading the note's text only when the cursor is in its front matter. */
  async #tagAtReading(found: { vault: VaultIndex; note: IndexedNote } | undefined, position: Position) {
    const frontMatter = found?.note.parsed.frontMatter;
    return this.#tagAt(found, position, found && frontMatter && position.line <= frontMatter.range.end.line ? await this.#readText(found.note.file.uri) : undefined);
  }

  /** A note's text: its open buffer, else the disk; undefined when it cannot be read. */
  #readText = async (uri: string): Promise<string | undefined> => {
    const open = this.#documents.get(uri);
    if (open !== undefined) return open;
    try {
      return new TextDecoder('utf-8').decode(await this.#fs.readFile(uri));
    } catch {
      return undefined;
    }
  };

  /** What F2 would rename here, for the editor's rename box; undefined when nothing can be. */
  prepareRename(uri: string, position: Position): { range: Range; placeholder: string } | undefined {
    const found = this.noteFor(uri);
    const tag = this.#tagAt(found, position, this.#documents.get(uri));
    if (tag) return prepareTagRename(tag.mention);
    const target = found && renameTargetAt(found.vault, found.note, position);
    return target && { range: target.range, placeholder: target.placeholder };
  }

  /** The rename of the heading or file at `position` and of every link to it; throws `RenameError` for a name that cannot be. */
  rename(uri: string, position: Position, newName: string): WorkspaceEdit | undefined {
    const found = this.noteFor(uri);
    return found ? provideRename(found.vault, found.note, position, newName) : undefined;
  }

  /** Find references, stopping when `token` is cancelled (then undefined): the vault-wide loop yields between slices. */
  async findReferences(uri: string, position: Position, includeDeclaration: boolean, token: ICancellationToken): Promise<Location[] | undefined> {
    const found = this.noteFor(uri);
    const tag = await this.#tagAtReading(found, position);
    if (tag) return provideTagReferences(tag.vault, this.#tags, tag.mention.name, this.#readText, token);
    return found ? provideReferencesCancellable(found.vault, found.note, position, includeDeclaration, token) : Promise.resolve([]);
  }

  /**
   * Find references as batches found one after another (see
   * `referenceLocationBatches`), for partial results: read lazily, so the
   * caller sends each and yields between two. A tag's references come as one
   * batch; undefined when cancelled before the first.
   */
  async referenceBatches(uri: string, position: Position, includeDeclaration: boolean, token: ICancellationToken): Promise<Iterable<Location[]> | undefined> {
    const found = this.noteFor(uri);
    const tag = await this.#tagAtReading(found, position);
    if (tag) {
      const locations = await provideTagReferences(tag.vault, this.#tags, tag.mention.name, this.#readText, token);
      return locations && [locations];
    }
    return found ? referenceLocationBatches(found.vault, found.note, position, includeDeclaration) : [];
  }

  /** Rename (see `rename`), stopping when `token` is cancelled (then undefined). */
  async renameCancellable(uri: string, position: Position, newName: string, token: ICancellationToken): Promise<WorkspaceEdit | undefined> {
    const found = this.noteFor(uri);
    const tag = await this.#tagAtReading(found, position);
    if (tag) return provideTagRename(tag.vault, this.#tags, tag.mention.name, newName, this.#readText, token);
    return found ? provideRenameCancellable(found.vault, found.note, position, newName, token) : Promise.resolve(undefined);
  }

  /**
   * The link edits for files (or folders) about to be renamed or moved by the
   * editor, so links keep pointing at them; undefined when cancelled. A
   * folder's files are found by prefix: a rare, user-started operation, not a
   * per-keystroke one.
   */
  async linkEditsForRenamedFiles(renames: ReadonlyArray<{ oldUri: string; newUri: string }>, token: ICancellationToken = neverCancelled): Promise<WorkspaceEdit | undefined> {
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
        const links = await findReferencingLinksCancellable(vault, { file }, token);
        if (!links) return undefined;
        for (const [linker, edits] of linkEditsForFileMove(vault, file, movedTo, links)) (changes[linker] ??= []).push(...edits);
      }
    }
    return { changes };
  }
}
