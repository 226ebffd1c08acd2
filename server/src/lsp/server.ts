import {
  CodeActionKind,
  CodeLensRefreshRequest,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  ErrorCodes,
  FileChangeType,
  LSPErrorCodes,
  MessageType,
  ResponseError,
  ShowMessageNotification,
  TextDocumentSyncKind,
  TextDocuments,
  type CancellationToken,
  type Connection,
  type InitializeParams,
  type InitializeResult,
  type Location,
  type WorkDoneProgressServerReporter,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { backgroundTurn, withinTime } from '../core/cancellation';
import type { INoteSource } from '../core/noteSource';
import type { IParseCacheStorage } from '../core/parseCache';
import type { IFileSystem } from '../core/workspace';
import { ADD_BLOCK_ID_COMMAND } from '../features/blockIds';
import { FIX_ALL_KIND } from '../features/codeActions';
import { RenameError } from '../features/rename';
import { exportTalks } from '../features/talkExport';
import { createVaultService } from '../index';
import { canonicalUri } from '../service/documentStore';
import type { FileEvent, NotesUpdate } from '../vaultService';
import { DiagnosticsSync } from './diagnosticsSync';
import { AttachmentTargetRequest, BacklinksRequest, FollowLinkRequest, IndexStatsRequest, FilesChangedNotification, IndexStatusNotification, NotesChangedOnDiskNotification, PreviewLinksRequest, ReindexRequest, SearchRequest, TableOfContentsRequest, TalkCalendarRequest, TalkExportRequest, TalksRequest, UnlinkedMentionsRequest, type IndexStatus } from './protocol';
import { readSettings, type ClientSettings } from './settings';

/**
 * The LSP adapter: turns requests into calls on the vault service and results
 * into messages, in the request lifecycle of ARCHITECTURE.md. No feature logic
 * lives here.
 */
/** The client command, taking a folder URI string, that creates the folder if missing and reveals it. */
const REVEAL_FOLDER_COMMAND = 'vaultlink.revealFolder';
/** The client command, taking a note URI and a position, that follows the link there and creates its note if missing (`vaultlink/followLink`). */
const CREATE_NOTE_COMMAND = 'vaultlink.createNote';
/** Quiet time after the set of names changed before completion's catalog is rebuilt (in the background, not on the next keystroke). */
const CATALOG_DELAY_MS = 300;
/**
 * Steps of building the catalog and the symbol index run for at most this long
 * in one turn of the event loop; the next comes with the next background turn
 * (backgroundTurn), after messages that came meanwhile. Each step is a slice of a few
 * milliseconds, so a request waits about this long at most; a pause between
 * turns (5 ms, before) left the cores idle and the symbol index of 50,000
 * notes half built when `[[##` came, which then built the rest at once.
 */
const CATALOG_TURN_MS = 3;
/** How long the server waits for the client to answer one of its own requests (settings, registration, progress). */
const CLIENT_ANSWER_TIMEOUT_MS = 2000;
/** How long a vault-wide request (references, rename) waits for the index to finish before answering from what is indexed. */
const VAULT_WIDE_WAIT_MS = 10_000;
/** Notes this long (UTF-16 units) have their diagnostics published after a pause in typing rather than after every edit. */
const LARGE_NOTE_CHARS = 64 * 1024;
const LARGE_NOTE_EDIT_DELAY_MS = 250;
/** Quiet time after changes before the editor is asked to fetch code lenses again. */
const CODE_LENS_REFRESH_DELAY_MS = 300;
const ALL_FILES = { filters: [{ scheme: 'file', pattern: { glob: '**/*' } }] };

/** What the host adds to the file system: where notes are parsed in bulk, the parse cache for a cache folder, and a file watcher. */
export interface ServerHosting {
  readonly noteSource?: INoteSource;
  /** The package's version, for `serverInfo` (read from the package.json shipped beside the bundle). */
  readonly version?: string;
  parseCacheFor?(cacheDirectory: string | undefined): IParseCacheStorage | undefined;
  /** Watches a vault folder itself, for clients that cannot (batches of events, as `didChangeWatchedFiles` brings). */
  watchVault?(rootUri: string, exclude: () => readonly string[], onEvents: (events: FileEvent[]) => void, onError: (message: string) => void): { close(): Promise<void> };
}

type InitialOptions = { settings?: ClientSettings & { vaultlink?: ClientSettings }; clientCommands?: string[]; cacheDirectory?: unknown } | undefined;

export function startServer(connection: Connection, fileSystem: IFileSystem, hosting: ServerHosting = {}): void {
  const documents = new TextDocuments(TextDocument);
  const service = createVaultService({ fileSystem, noteSource: hosting.noteSource, logger: { log: (message) => connection.console.log(message) } });
  let roots: string[] = [];
  let canReadConfiguration = false;
  let canRegisterConfiguration = false;
  let canWatchFiles = false;
  let canReportProgress = false;
  let canLinkDefinitions = false;
  let canTrackFolders = false;
  let canRefreshCodeLenses = false;
  /** Set when the client says it can reveal a folder (initializationOptions.clientCommands). */
  let revealFolderCommand: string | undefined;
  /** Set when the client can create the note of a clicked link to a missing note. */
  let createNoteCommand: string | undefined;
  /** The settings given at start (initializationOptions), for clients that cannot be asked for them. */
  let initialSettings: ClientSettings | undefined;
  let status: IndexStatus = { state: 'indexing', notes: 0, attachments: 0 };
  let diagnostics!: DiagnosticsSync;
  /** The URI spelling the client used to open each note (canonical URI → as sent), for what is sent back. */
  const clientSpelling = new Map<string, string>();
  documents.onDidOpen((event) => {
    const uri = event.document.uri;
    clientSpelling.set(canonicalUri(uri), uri);
    // A note outside every folder (an editor started on one file) gets its vault indexed for it. With
    // workspace folders given, only a folder marked by `.obsidian/` is taken for one.
    void guarded(`finding the vault of ${uri}`, async () => {
      if (!(await service.adoptLooseNote(uri, { folderWithoutMarker: roots.length === 0 }))) return;
      const vault = service.vaultFor(uri);
      if (vault) diagnostics.changed([...vault.notes()].map((note) => note.file.uri));
      refreshStatus();
      syncOwnWatchers();
    });
  });

  const describe = (error: unknown) => (error instanceof Error ? (error.stack ?? error.message) : String(error));

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const capabilities = params.capabilities;
    canReadConfiguration = !!capabilities.workspace?.configuration;
    canRegisterConfiguration = !!capabilities.workspace?.didChangeConfiguration?.dynamicRegistration;
    canWatchFiles = !!capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration;
    canReportProgress = !!capabilities.window?.workDoneProgress;
    canLinkDefinitions = !!capabilities.textDocument?.definition?.linkSupport;
    canTrackFolders = !!capabilities.workspace?.workspaceFolders;
    canRefreshCodeLenses = !!capabilities.workspace?.codeLens?.refreshSupport;
    // Pull only where the client can be asked to pull again: Neovim 0.10 pulls at open and on edits
    // but has no refresh, so a change on disk or in another note would never reach it. It gets pushes.
    const pull = !!capabilities.textDocument?.diagnostic && !!capabilities.workspace?.diagnostics?.refreshSupport;
    diagnostics = new DiagnosticsSync(connection, service, {
      pull,
      canRefresh: !!capabilities.workspace?.diagnostics?.refreshSupport,
      isOpen: (uri) => service.isOpen(uri),
      spell: (uri) => clientSpelling.get(canonicalUri(uri)) ?? uri,
    });
    roots = params.workspaceFolders?.length ? params.workspaceFolders.map((folder) => folder.uri) : params.rootUri ? [params.rootUri] : [];
    // Known from the first message, so requests about these folders' notes wait for their index.
    service.setRoots(roots);
    const initial = params.initializationOptions as InitialOptions;
    service.useParseCache(hosting.parseCacheFor?.(typeof initial?.cacheDirectory === 'string' ? initial.cacheDirectory : undefined));
    revealFolderCommand = initial?.clientCommands?.includes(REVEAL_FOLDER_COMMAND) ? REVEAL_FOLDER_COMMAND : undefined;
    createNoteCommand = initial?.clientCommands?.includes(CREATE_NOTE_COMMAND) ? CREATE_NOTE_COMMAND : undefined;
    // Either `{ settings: { vaultlink: {...} } }` or `{ settings: {...} }`: editors' configs write both.
    initialSettings = initial?.settings?.vaultlink ?? initial?.settings;
    if (initialSettings) service.updateSettings(readSettings(initialSettings, undefined));
    diagnostics.scope = service.settings.diagnosticScope;
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: false },
        completionProvider: { triggerCharacters: ['[', '#', '^', '(', '/', '!'], resolveProvider: false },
        definitionProvider: true,
        hoverProvider: true,
        referencesProvider: true,
        renameProvider: { prepareProvider: true },
        documentSymbolProvider: { label: 'Vaultlink' },
        workspaceSymbolProvider: true,
        documentLinkProvider: { resolveProvider: false },
        foldingRangeProvider: true,
        selectionRangeProvider: true,
        codeLensProvider: { resolveProvider: false },
        ...(pull ? { diagnosticProvider: { identifier: 'vaultlink', interFileDependencies: true, workspaceDiagnostics: true } } : {}),
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND], resolveProvider: false },
        // Run when a `[[^^` item of another note's block without an id is picked: it gives the block the id.
        executeCommandProvider: { commands: [ADD_BLOCK_ID_COMMAND] },
        workspace: {
          workspaceFolders: { supported: true, changeNotifications: true },
          // Renames and moves in the editor's file explorer update the links to the files; files the editor
          // creates, renames or deletes itself (Neovim applying a rename, with no watcher) reach the index.
          fileOperations: { willRename: ALL_FILES, didCreate: ALL_FILES, didRename: ALL_FILES, didDelete: ALL_FILES },
        },
      },
      serverInfo: { name: 'vaultlink-language-server', version: hosting.version ?? 'unknown' },
    };
  });

  connection.onInitialized(() => {
    // Nothing the client answers (or does not) may hold indexing up: registrations go on beside it.
    registerForChanges();
    void startIndexing();
  });

  /** Waits for one of the client's answers, at most CLIENT_ANSWER_TIMEOUT_MS; an error or silence is logged and yields undefined. */
  async function clientAnswer<T>(what: string, request: () => Promise<T>): Promise<T | undefined> {
    try {
      const answer = request();
      const result = await withinTime(answer.then((value) => ({ value })), CLIENT_ANSWER_TIMEOUT_MS);
      if (!result) {
        connection.console.warn(`The editor has not answered ${what} within ${CLIENT_ANSWER_TIMEOUT_MS} ms; going on without it.`);
        answer.catch(() => undefined);
        return undefined;
      }
      return result.value;
    } catch (error) {
      connection.console.warn(`The editor answered ${what} with an error; going on without it: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
  }

  function registerForChanges(): void {
    if (canWatchFiles) {
      void clientAnswer('the file watcher registration', () => connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/*' }] }).then(() => true)).then((registered) => {
        if (!registered) useOwnWatchers();
      });
    } else {
      useOwnWatchers();
    }
    if (canRegisterConfiguration) void clientAnswer('the settings registration', () => connection.client.register(DidChangeConfigurationNotification.type, { section: ['vaultlink', 'files'] }));
    if (canTrackFolders) {
      try {
        connection.workspace.onDidChangeWorkspaceFolders((event) => void changeFolders(event.added.map((folder) => folder.uri), event.removed.map((folder) => folder.uri)));
      } catch (error) {
        connection.console.warn(`Could not follow workspace folder changes: ${describe(error)}`);
      }
    }
  }

  /** The client's `vaultlink` and `files` settings, or undefined when it cannot, will not or does not answer in time. */
  async function askSettings(): Promise<ClientSettings | undefined> {
    if (!canReadConfiguration) return undefined;
    const answer = await clientAnswer('workspace/configuration', () => connection.workspace.getConfiguration([{ section: 'vaultlink' }, { section: 'files' }]) as Promise<[ClientSettings | null, { exclude?: Record<string, boolean> } | null]>);
    if (!Array.isArray(answer)) return undefined;
    const [vaultlink, files] = answer;
    // A client with no settings of ours answers null (Neovim, Helix): then those given at start count.
    return { ...(vaultlink ?? initialSettings ?? {}), files: files ?? undefined } as ClientSettings & { files?: { exclude?: Record<string, boolean> } };
  }

  function settingsOf(settings: (ClientSettings & { files?: { exclude?: Record<string, boolean> } }) | undefined) {
    return readSettings(settings ?? initialSettings ?? {}, settings?.files);
  }

  async function startIndexing(): Promise<void> {
    const settings = await askSettings();
    if (settings) service.updateSettings(settingsOf(settings));
    diagnostics.scope = service.settings.diagnosticScope;
    await reindex();
  }

  async function reindex(): Promise<IndexStatus> {
    status = { ...status, state: 'indexing' };
    // Completion's catalog is taken in while the vault is indexed, a step at a time.
    scheduleCompletionCatalog();
    void connection.sendNotification(IndexStatusNotification, status);
    let progress: WorkDoneProgressServerReporter | undefined;
    try {
      progress = canReportProgress ? await clientAnswer('window/workDoneProgress/create', () => connection.window.createWorkDoneProgress()) : undefined;
      progress?.begin('Vaultlink: indexing notes', 0, undefined, false);
      const report = (done: number, total: number) => progress?.report(Math.round((done / Math.max(total, 1)) * 100), `${done} / ${total} files`);
      const stats = await service.indexAll(report, undefined, () => diagnostics.changed(documents.all().map((document) => document.uri)));
      // A newer index cancelled this one: it reports when it is done.
      if (stats.cancelled) return status;
      connection.console.log(`Indexed ${stats.notes} notes and ${stats.attachments} other files in ${stats.milliseconds} ms.`);
      const notices = service.notices;
      status = { state: 'ready', notes: stats.notes, attachments: stats.attachments, milliseconds: stats.milliseconds, ...(notices.length ? { notices } : {}) };
    } catch (error) {
      connection.console.error(`Indexing failed: ${describe(error)}`);
      status = { ...status, ...service.stats, state: 'ready' };
    } finally {
      progress?.done();
    }
    void connection.sendNotification(IndexStatusNotification, status);
    diagnostics.allChanged();
    scheduleCompletionCatalog();
    refreshCodeLensesSoon();
    return status;
  }

  /** The server's own watchers, by vault root, when the client watches no files for it. */
  let ownWatchers: Map<string, { close(): Promise<void> }> | undefined;

  function useOwnWatchers(): void {
    if (!hosting.watchVault || ownWatchers) return;
    ownWatchers = new Map();
    connection.console.log('The editor watches no files for Vaultlink: watching the vault folders itself.');
    syncOwnWatchers();
  }

  /** One watcher per vault folder: started for folders added (or found for a loose note), closed for folders gone. */
  function syncOwnWatchers(): void {
    if (!ownWatchers || !hosting.watchVault) return;
    const current = new Set(service.vaults.map((vault) => vault.rootUri));
    for (const [root, watcher] of ownWatchers) {
      if (current.has(root)) continue;
      ownWatchers.delete(root);
      void watcher.close();
    }
    for (const root of current) {
      if (ownWatchers.has(root) || URI.parse(root).scheme !== 'file') continue;
      try {
        ownWatchers.set(
          root,
          hosting.watchVault(root, () => service.settings.exclude, (events) => void fileOperation('file changes on disk', events), (message) => connection.console.warn(message)),
        );
      } catch (error) {
        connection.console.warn(`Could not watch ${root}: ${describe(error)}`);
      }
    }
  }

  connection.onShutdown(async () => {
    for (const watcher of ownWatchers?.values() ?? []) await watcher.close().catch(() => undefined);
    ownWatchers?.clear();
  });

  async function changeFolders(added: string[], removed: string[]): Promise<void> {
    try {
      const gone = new Set(removed);
      roots = [...roots.filter((root) => !gone.has(root)), ...added];
      diagnostics.removed(service.removeRoots(removed));
      if (added.length) {
        await service.addRoots(added);
        const notes = service.vaults.filter((vault) => added.some((uri) => uri.replace(/\/$/, '') === vault.rootUri)).flatMap((vault) => [...vault.notes()].map((note) => note.file.uri));
        diagnostics.changed(notes);
      }
      refreshStatus();
      syncOwnWatchers();
    } catch (error) {
      connection.console.error(`Could not follow the workspace folder change: ${describe(error)}`);
    }
  }

  let catalogTimer: ReturnType<typeof setTimeout> | undefined;
  /**
   * Builds completion's catalog of names in the background soon after the set
   * of names changed (unless more changes follow), one bounded step per turn
   * of the event loop so a keystroke waits for one step at most; and keeps at
   * it while the vault is being indexed, so `[[` finds what is indexed so far.
   */
  function scheduleCompletionCatalog(delayMs = CATALOG_DELAY_MS): void {
    if (catalogTimer) clearTimeout(catalogTimer);
    catalogTimer = setTimeout(() => {
      catalogTimer = undefined;
      buildCatalogTurn();
    }, delayMs);
  }

  /** One turn of catalog and symbol steps (CATALOG_TURN_MS), then the next at once while more remains. */
  function buildCatalogTurn(): void {
    if (catalogTimer) return;
    let more = false;
    const started = performance.now();
    try {
      do more = service.prepareCompletion();
      while (more && performance.now() - started < CATALOG_TURN_MS);
    } catch (error) {
      connection.console.error(`Could not build the completion catalog: ${describe(error)}`);
      more = false;
    }
    if (more) {
      // A placeholder timer marks the turn as scheduled, so a change meanwhile does not start a second chain.
      catalogTimer = setTimeout(() => undefined, 0);
      void backgroundTurn().then(() => {
        clearTimeout(catalogTimer);
        catalogTimer = undefined;
        buildCatalogTurn();
      });
    } else if (service.isIndexing) scheduleCompletionCatalog();
  }

  function refreshStatus(): void {
    scheduleCompletionCatalog();
    const { notes, attachments } = service.stats;
    if (status.state === 'ready' && (notes !== status.notes || attachments !== status.attachments)) {
      status = { ...status, notes, attachments };
      void connection.sendNotification(IndexStatusNotification, status);
    }
  }

  function applyUpdate(update: NotesUpdate): void {
    diagnostics.removed(update.removed);
    diagnostics.changed(update.changed);
    refreshStatus();
    if (update.changed.length || update.removed.length) refreshCodeLensesSoon();
  }

  let codeLensTimer: ReturnType<typeof setTimeout> | undefined;
  /**
   * Asks the editor to fetch code lenses again, soon and once for a burst of
   * changes: a link written in one note changes another note's "N backlinks",
   * which the editor would otherwise only ask for when that note changes.
   */
  function refreshCodeLensesSoon(): void {
    if (!canRefreshCodeLenses) return;
    clearTimeout(codeLensTimer);
    codeLensTimer = setTimeout(() => {
      codeLensTimer = undefined;
      void clientAnswer('workspace/codeLens/refresh', () => connection.sendRequest(CodeLensRefreshRequest.type));
    }, CODE_LENS_REFRESH_DELAY_MS);
  }

  /** Runs a notification's work; a failure is logged with its stack and never reaches the connection. */
  async function guarded(what: string, work: () => Promise<void> | void): Promise<void> {
    try {
      await work();
    } catch (error) {
      connection.console.error(`Vaultlink failed on ${what}: ${describe(error)}`);
    }
  }

  /** Per open note, the pending publish of its diagnostics after an edit. */
  const editTimers = new Map<string, ReturnType<typeof setTimeout>>();

  documents.onDidChangeContent((event) => {
    const uri = event.document.uri;
    const text = event.document.getText();
    // Parsed on the next request about the note, or when this timer fires: a large note
    // is parsed once per pause in typing, not once per keystroke.
    service.noteEdited(uri, text);
    clearTimeout(editTimers.get(uri));
    editTimers.set(
      uri,
      setTimeout(() => {
        editTimers.delete(uri);
        void guarded(`a change of ${uri}`, () => publishAfterEdit(uri));
      }, text.length < LARGE_NOTE_CHARS ? 0 : LARGE_NOTE_EDIT_DELAY_MS),
    );
  });

  async function publishAfterEdit(uri: string): Promise<void> {
    // Published once right: after the note and what it links to are indexed.
    await service.whenNoteReady(uri, undefined, Number.POSITIVE_INFINITY);
    if (editTimers.has(uri) || !documents.get(uri)) return; // a newer edit publishes, or the note closed
    const others = service.takeEditEffects(uri) ?? [];
    diagnostics.changed([uri], { includesOtherNotes: false });
    if (others.length) diagnostics.changed(others);
    refreshStatus();
    // Its links may have changed other notes' backlink counts.
    if (others.length || service.noteFor(uri)?.note.parsed.links.length) refreshCodeLensesSoon();
  }

  documents.onDidClose((event) =>
    guarded(`closing ${event.document.uri}`, async () => {
      clearTimeout(editTimers.get(event.document.uri));
      editTimers.delete(event.document.uri);
      const update = await service.closeDocument(event.document.uri);
      diagnostics.closed(event.document.uri);
      clientSpelling.delete(canonicalUri(event.document.uri));
      applyUpdate({ changed: [event.document.uri, ...update.changed.filter((uri) => uri !== event.document.uri)], removed: update.removed });
    }),
  );

  connection.onDidChangeWatchedFiles(({ changes }) =>
    guarded('file changes on disk', async () => {
      const events = changes.filter((change) => URI.parse(change.uri).scheme === 'file').map((change) => ({ uri: change.uri, deleted: change.type === FileChangeType.Deleted }));
      const update = await service.applyFileEvents(events);
      applyUpdate(update);
      announceFileEvents(events);
    }),
  );

  /** File events from the editor's own file operations, applied as a watcher's would be. */
  function fileOperation(what: string, events: Array<{ uri: string; deleted: boolean }>): Promise<void> {
    return guarded(what, async () => {
      applyUpdate(await service.applyFileEvents(events));
      announceFileEvents(events);
    });
  }

  /** Tells the client which file events are now in the index: the notes changed on disk for the views built from them, and every file for what asks again (the preview). */
  function announceFileEvents(events: ReadonlyArray<{ uri: string }>): void {
    if (!events.length) return;
    const uris = events.map((event) => event.uri);
    const notesOnDisk = uris.filter((uri) => /\.md$/i.test(uri) && !documents.get(uri));
    if (notesOnDisk.length) void connection.sendNotification(NotesChangedOnDiskNotification, { uris: notesOnDisk });
    void connection.sendNotification(FilesChangedNotification, { uris });
  }
  connection.workspace.onDidCreateFiles((params) => fileOperation('files created in the editor', params.files.map((file) => ({ uri: file.uri, deleted: false }))));
  connection.workspace.onDidDeleteFiles((params) => fileOperation('files deleted in the editor', params.files.map((file) => ({ uri: file.uri, deleted: true }))));
  connection.workspace.onDidRenameFiles((params) =>
    fileOperation(
      'files renamed in the editor',
      params.files.flatMap((file) => [
        { uri: file.oldUri, deleted: true },
        { uri: file.newUri, deleted: false },
      ]),
    ),
  );

  connection.onDidChangeConfiguration((params) =>
    guarded('a settings change', async () => {
      // Settings pushed with the notification win; otherwise ask (an empty push means "ask").
      const pushed = (params?.settings as { vaultlink?: ClientSettings; files?: { exclude?: Record<string, boolean> } } | null | undefined) ?? undefined;
      const settings = pushed?.vaultlink ? { ...pushed.vaultlink, files: pushed.files } : await askSettings();
      if (!settings) return;
      const lensesBefore = service.settings.codeLens.backlinks;
      const effect = await service.applySettings(settingsOf(settings));
      if (service.settings.codeLens.backlinks !== lensesBefore) refreshCodeLensesSoon();
      diagnostics.scope = service.settings.diagnosticScope;
      if (effect.republish) diagnostics.allChanged();
      applyUpdate(effect.update);
    }),
  );

  /**
   * One request, whatever happens inside: an error is logged with its stack and
   * answers this request alone, with a message the editor can show; the server
   * goes on serving.
   */
  async function answer<R>(what: string, work: () => Promise<R> | R): Promise<R | ResponseError<never>> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof ResponseError) return error as ResponseError<never>;
      connection.console.error(`Vaultlink could not answer ${what}: ${describe(error)}`);
      return new ResponseError<never>(LSPErrorCodes.RequestFailed, `Vaultlink could not answer ${what}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** A request about one note: waits (bounded) until that note and what it links to are indexed, then answers. */
  function aboutNote<R>(what: string, uri: string, token: CancellationToken, empty: R, work: () => R): Promise<R | ResponseError<never>> {
    return answer(what, async () => {
      await service.whenNoteReady(uri, token);
      return token.isCancellationRequested ? empty : work();
    });
  }

  /** Waits for the whole vault (bounded); says so when the answer will be from part of it. */
  function wholeVault(token: CancellationToken): Promise<boolean> {
    return service.whenIndexed(token, VAULT_WIDE_WAIT_MS);
  }

  function stillIndexingMessage(): string {
    const { indexed, total } = service.indexProgress;
    return `Vaultlink is still indexing the vault (${indexed} of ${total} files)`;
  }

  connection.onRequest(ReindexRequest, () => answer('vaultlink/reindex', () => reindex()));
  connection.onRequest(IndexStatsRequest, () =>
    answer('vaultlink/indexStats', () => ({ ...service.stats, parses: service.parses, indexing: service.isIndexing, ...service.indexProgress })),
  );

  connection.onRequest(TalksRequest, (params, token) =>
    answer('vaultlink/talks', async () => {
      if (params.uri !== undefined) await service.whenNoteReady(params.uri, token);
      else await wholeVault(token);
      return service.getTalks(params.uri);
    }),
  );
  connection.onRequest(AttachmentTargetRequest, (params, token) =>
    answer('vaultlink/attachmentTarget', async () => {
      await service.whenNoteReady(params.uri, token);
      // `null` on the wire for a file that cannot be placed.
      return (await service.getAttachmentTargets(params.uri, params.files ?? [])).map((placement) => placement ?? null);
    }),
  );
  connection.onRequest(SearchRequest, (params, token) =>
    answer('vaultlink/search', async () => {
      // Vault-wide, as workspace symbols: waits (bounded) for the index, then answers with what is known.
      if (params.uri !== undefined) await service.whenNoteReady(params.uri, token);
      await wholeVault(token);
      if (token.isCancellationRequested) return [];
      const limit = Math.min(Math.max(Math.floor(Number(params.limit ?? 50)) || 50, 1), 500);
      const kinds = ['notes', 'headings', 'talks', 'links'];
      if (!kinds.includes(params.kind)) throw new ResponseError(ErrorCodes.InvalidParams, `vaultlink/search: kind must be one of ${kinds.join(', ')}`);
      return service.search(params.kind, typeof params.query === 'string' ? params.query : '', limit, params.uri);
    }),
  );
  // The client sends the outlines it shows (filtered); only formatting happens here, so nothing to wait for.
  connection.onRequest(TalkCalendarRequest, (params) =>
    answer('vaultlink/talkCalendar', () => service.getTalkCalendar(Array.isArray(params?.conferences) ? params.conferences : [])),
  );
  connection.onRequest(TalkExportRequest, (params) =>
    answer('vaultlink/talkExport', () => exportTalks(Array.isArray(params?.conferences) ? params.conferences : [], params?.format === 'csv' || params?.format === 'json' ? params.format : 'markdown')),
  );
  connection.onRequest(TableOfContentsRequest, (params, token) => aboutNote('vaultlink/tableOfContents', params.uri, token, [], () => service.getTableOfContentsEdits(params.uri)));
  connection.onRequest(PreviewLinksRequest, (params, token) =>
    answer('vaultlink/previewLinks', async () => {
      await service.whenNoteReady(params.uri, token);
      return token.isCancellationRequested ? { uri: params.uri, links: [] } : service.getPreviewLinks(params.uri);
    }),
  );

  connection.onCompletion((params, token) =>
    answer('completion', async () => {
      // The line being typed is read from the buffer; headings and names from the last parse will do.
      await service.whenNoteReady(params.textDocument.uri, token, undefined, { parseEdits: false });
      return token.isCancellationRequested ? { isIncomplete: true, items: [] } : service.getCompletions(params.textDocument.uri, params.position, token);
    }),
  );
  connection.onExecuteCommand((params) =>
    answer('workspace/executeCommand', async () => {
      if (params.command !== ADD_BLOCK_ID_COMMAND) throw new ResponseError(ErrorCodes.InvalidParams, `Unknown command ${params.command}`);
      const result = await service.getAddBlockIdEdit(params.arguments?.[0]);
      if ('unchanged' in result) return null;
      const warn = (message: string) => void connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Warning, message });
      if ('refused' in result) {
        warn(result.refused);
        return null;
      }
      // The note as the editor spelled it when it opened it (an open note's edit must reach that buffer).
      const changes = Object.fromEntries(Object.entries(result.edit.changes ?? {}).map(([uri, edits]) => [clientSpelling.get(canonicalUri(uri)) ?? uri, edits]));
      const applied = await connection.workspace.applyEdit({ label: 'Give the linked block its id', edit: { changes } }).catch(() => undefined);
      if (!applied?.applied) warn(`The editor did not give the linked block its id${applied?.failureReason ? `: ${applied.failureReason}` : ''}; the new link points at no block yet.`);
      return null;
    }),
  );
  connection.onDefinition((params, token) =>
    aboutNote('go to definition', params.textDocument.uri, token, [], () => {
      const links = service.getDefinition(params.textDocument.uri, params.position);
      return canLinkDefinitions ? links : links.map((link) => ({ uri: link.targetUri, range: link.targetSelectionRange }));
    }),
  );
  connection.onHover((params, token) =>
    answer('hover', async () => {
      await service.whenNoteReady(params.textDocument.uri, token);
      return token.isCancellationRequested ? null : service.getHover(params.textDocument.uri, params.position);
    }),
  );
  connection.onPrepareRename((params, token) => aboutNote('prepare rename', params.textDocument.uri, token, null, () => service.prepareRename(params.textDocument.uri, params.position) ?? null));
  connection.onRenameRequest((params, token) =>
    answer('rename', async () => {
      // Every link in the vault must be known before any is rewritten: a partial rename breaks links.
      if (!(await wholeVault(token))) {
        if (token.isCancellationRequested) return null;
        throw new ResponseError(LSPErrorCodes.RequestFailed, `${stillIndexingMessage()}; rename once it is done, so that no link is missed.`);
      }
      try {
        return (await service.renameCancellable(params.textDocument.uri, params.position, params.newName, token)) ?? null;
      } catch (error) {
        if (error instanceof RenameError) throw new ResponseError(ErrorCodes.InvalidParams, error.message);
        throw error;
      }
    }),
  );
  connection.workspace.onWillRenameFiles((params, token) =>
    answer('the link updates for renamed files', async () => {
      if (!(await wholeVault(token))) {
        if (!token.isCancellationRequested) void connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Warning, message: `${stillIndexingMessage()}: links to the renamed files were not updated.` });
        return null;
      }
      return (await service.linkEditsForRenamedFiles(params.files, token)) ?? null;
    }),
  );

  connection.onReferences((params, token, _workDone, resultProgress) =>
    answer('find references', async () => {
      const uri = params.textDocument.uri;
      const { position } = params;
      const { includeDeclaration } = params.context;
      await service.whenNoteReady(uri, token);
      if (resultProgress) {
        // Partial results (LSP 3.17): the locations go out in `$/progress` batches as they are found; the answer itself is empty.
        // While indexing: what is indexed now at once, the rest once the vault is, each location once.
        const sent = service.isIndexing ? new Set<string>() : undefined;
        const report = (locations: Location[]) => {
          const fresh = sent ? locations.filter((location) => !sent.has(locationKey(location))) : locations;
          if (sent) for (const location of fresh) sent.add(locationKey(location));
          if (fresh.length) resultProgress.report(fresh);
        };
        const stream = async () => {
          const batches = await service.referenceBatches(uri, position, includeDeclaration, token);
          if (batches) await streamLocations(batches, report, token);
        };
        await stream();
        if (sent) {
          await service.whenIndexed(token);
          if (!token.isCancellationRequested) await stream();
        }
        return [];
      }
      const find = async () => (await service.findReferences(uri, position, includeDeclaration, token)) ?? [];
      if (!service.isIndexing) return await find();
      const complete = await wholeVault(token);
      if (!complete && !token.isCancellationRequested) void connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Info, message: `${stillIndexingMessage()}: these references may be incomplete.` });
      return await find();
    }),
  );
  connection.onDocumentSymbol((params, token) => aboutNote('document symbols', params.textDocument.uri, token, [], () => service.getDocumentSymbols(params.textDocument.uri)));
  connection.onWorkspaceSymbol((params, token) =>
    answer('workspace symbols', async () => {
      // Vault-wide: waits (bounded) for the index, then answers with what is known.
      await wholeVault(token);
      return token.isCancellationRequested ? [] : service.getWorkspaceSymbols(params.query);
    }),
  );
  connection.onCodeAction((params, token) =>
    answer('code actions', async () => {
      await service.whenNoteReady(params.textDocument.uri, token);
      if (token.isCancellationRequested) return [];
      return service.getCodeActionsInsideVault(params.textDocument.uri, params.range, params.context.diagnostics, params.context.only, { revealFolderCommand });
    }),
  );
  connection.onFoldingRanges((params, token) =>
    answer('folding ranges', async () => {
      await service.whenNoteReady(params.textDocument.uri, token);
      return token.isCancellationRequested ? [] : service.getFoldingRanges(params.textDocument.uri);
    }),
  );
  connection.onSelectionRanges((params, token) =>
    answer('selection ranges', async () => {
      await service.whenNoteReady(params.textDocument.uri, token);
      return token.isCancellationRequested ? [] : service.getSelectionRanges(params.textDocument.uri, params.positions);
    }),
  );
  connection.onDocumentLinks((params, token) => aboutNote('document links', params.textDocument.uri, token, [], () => service.getDocumentLinks(params.textDocument.uri, { createNoteCommand })));
  connection.onRequest(FollowLinkRequest, (params, token) =>
    answer('vaultlink/followLink', async () => {
      await service.whenNoteReady(params.uri, token);
      return token.isCancellationRequested ? null : ((await service.followLink(params.uri, params.position)) ?? null);
    }),
  );
  connection.onRequest(BacklinksRequest, (params, token) =>
    answer('vaultlink/backlinks', async () => {
      // Backlinks come from every note: the note's own parse and the whole vault's index.
      await service.whenNoteReady(params.uri, token);
      await wholeVault(token);
      if (token.isCancellationRequested) return null;
      return (await service.getBacklinks(params.uri, token)) ?? null;
    }),
  );
  connection.onRequest(UnlinkedMentionsRequest, (params, token) =>
    answer('vaultlink/unlinkedMentions', async () => {
      await service.whenNoteReady(params.uri, token);
      await wholeVault(token);
      if (token.isCancellationRequested) return null;
      return (await service.getUnlinkedMentions(params.uri, token)) ?? null;
    }),
  );
  connection.onCodeLens((params, token) =>
    answer('code lenses', async () => {
      // "N backlinks" counts links in every note: right on the first request, so it waits for the vault (bounded).
      await service.whenNoteReady(params.textDocument.uri, token);
      await wholeVault(token);
      return token.isCancellationRequested ? [] : service.getCodeLenses(params.textDocument.uri);
    }),
  );

  documents.listen(connection);
  connection.listen();
}

/**
 * Locations in one `$/progress` batch after the first (about 230 KB of JSON):
 * the first batch goes out as soon as it is found, then a batch is sent
 * while the next is looked for, so the server's encoding, the pipe and the
 * client's decoding overlap instead of one 4 MB message at the end.
 */
const PARTIAL_RESULT_LOCATIONS = 1000;
/** Work between two yields to the event loop when no batch was sent, so a `$/cancelRequest` is handled meanwhile. */
const STREAM_YIELD_EVERY_MS = 8;

/**
 * Sends `batches` as partial results, reading the next only after the last
 * was handed to the writer (a yield to the event loop, where vscode-jsonrpc
 * writes and a cancellation arrives); stops when `token` is cancelled.
 */
async function streamLocations(batches: Iterable<Location[]>, report: (locations: Location[]) => void, token: CancellationToken): Promise<void> {
  let pending: Location[] = [];
  let sentAny = false;
  let lastYield = Date.now();
  for (const batch of batches) {
    if (token.isCancellationRequested) return;
    for (const location of batch) pending.push(location);
    if (!sentAny || pending.length >= PARTIAL_RESULT_LOCATIONS) {
      report(pending);
      pending = [];
      sentAny = true;
    } else if (Date.now() - lastYield < STREAM_YIELD_EVERY_MS) continue;
    // setImmediate, not a timer: the writer's own turn comes first, then I/O (a cancellation), without a timer's millisecond.
    await new Promise((resolve) => setImmediate(resolve));
    lastYield = Date.now();
  }
  if (pending.length && !token.isCancellationRequested) report(pending);
}

function locationKey(location: Location): string {
  const { start, end } = location.range;
  return `${location.uri}\0${start.line}:${start.character}-${end.line}:${end.character}`;
}
