import {
  CodeActionKind,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  ErrorCodes,
  FileChangeType,
  ResponseError,
  TextDocumentSyncKind,
  TextDocuments,
  type Connection,
  type InitializeParams,
  type InitializeResult,
  type WorkDoneProgressServerReporter,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import type { INoteSource } from '../core/noteSource';
import type { IParseCacheStorage } from '../core/parseCache';
import type { IFileSystem } from '../core/workspace';
import { FIX_ALL_KIND } from '../features/codeActions';
import { RenameError } from '../features/rename';
import { createVaultService } from '../index';
import { DiagnosticsSync } from './diagnosticsSync';
import { IndexStatusNotification, NotesChangedOnDiskNotification, ReindexRequest, TableOfContentsRequest, TalksRequest, type IndexStatus } from './protocol';
import { readSettings, type ClientSettings } from './settings';

/**
 * The LSP adapter: turns requests into calls on the vault service and results
 * into messages. No feature logic lives here.
 */
/** The client command, taking a folder URI string, that creates the folder if missing and reveals it. */
const REVEAL_FOLDER_COMMAND = 'vaultlink.revealFolder';
/** Quiet time after the set of names changed before completion's catalog is rebuilt (in the background, not on the next keystroke). */
const CATALOG_DELAY_MS = 300;

/** What the host adds to the file system: where notes are parsed in bulk, and the parse cache for a cache folder. */
export interface ServerHosting {
  readonly noteSource?: INoteSource;
  parseCacheFor?(cacheDirectory: string | undefined): IParseCacheStorage | undefined;
}

export function startServer(connection: Connection, fileSystem: IFileSystem, hosting: ServerHosting = {}): void {
  const documents = new TextDocuments(TextDocument);
  const service = createVaultService({ fileSystem, noteSource: hosting.noteSource, logger: { log: (message) => connection.console.log(message) } });
  let roots: string[] = [];
  let canReadConfiguration = false;
  let canWatchFiles = false;
  let canReportProgress = false;
  let canLinkDefinitions = false;
  let canTrackFolders = false;
  /** Set when the client says it can reveal a folder (initializationOptions.clientCommands). */
  let revealFolderCommand: string | undefined;
  /** Settles when the whole vault is indexed. */
  let indexing: Promise<void> = Promise.resolve();
  /** Settles when the open notes and what they link to are indexed: enough for their features. */
  let openNotesReady: Promise<void> = Promise.resolve();
  let status: IndexStatus = { state: 'indexing', notes: 0, attachments: 0 };
  let diagnostics!: DiagnosticsSync;

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    canReadConfiguration = !!params.capabilities.workspace?.configuration;
    canWatchFiles = !!params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration;
    canReportProgress = !!params.capabilities.window?.workDoneProgress;
    canLinkDefinitions = !!params.capabilities.textDocument?.definition?.linkSupport;
    canTrackFolders = !!params.capabilities.workspace?.workspaceFolders;
    const pull = !!params.capabilities.textDocument?.diagnostic;
    diagnostics = new DiagnosticsSync(connection, service, {
      pull,
      canRefresh: !!params.capabilities.workspace?.diagnostics?.refreshSupport,
      isOpen: (uri) => !!documents.get(uri),
      whenOpenNotesReady: () => openNotesReady,
      whenIndexed: () => indexing,
    });
    roots = params.workspaceFolders?.map((folder) => folder.uri) ?? (params.rootUri ? [params.rootUri] : []);
    const initial = params.initializationOptions as { settings?: ClientSettings; clientCommands?: string[]; cacheDirectory?: unknown } | undefined;
    service.useParseCache(hosting.parseCacheFor?.(typeof initial?.cacheDirectory === 'string' ? initial.cacheDirectory : undefined));
    revealFolderCommand = initial?.clientCommands?.includes(REVEAL_FOLDER_COMMAND) ? REVEAL_FOLDER_COMMAND : undefined;
    if (initial?.settings) service.updateSettings(readSettings(initial.settings, undefined));
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: false },
        completionProvider: { triggerCharacters: ['[', '#', '^', '(', '/', '!'], resolveProvider: false },
        definitionProvider: true,
        referencesProvider: true,
        renameProvider: { prepareProvider: true },
        documentSymbolProvider: { label: 'Vaultlink' },
        documentLinkProvider: { resolveProvider: false },
        ...(pull ? { diagnosticProvider: { identifier: 'vaultlink', interFileDependencies: true, workspaceDiagnostics: true } } : {}),
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND], resolveProvider: false },
        workspace: {
          workspaceFolders: { supported: true, changeNotifications: true },
          // Renames and moves in the editor's file explorer update the links to the files.
          fileOperations: { willRename: { filters: [{ scheme: 'file', pattern: { glob: '**/*' } }] } },
        },
      },
      serverInfo: { name: 'vaultlink-language-server', version: '0.1.0' },
    };
  });

  connection.onInitialized(async () => {
    // Indexing starts whatever the client declines to register.
    try {
      if (canWatchFiles) {
        await connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/*' }] });
      }
      if (canReadConfiguration) {
        await connection.client.register(DidChangeConfigurationNotification.type, { section: ['vaultlink', 'files'] });
      }
      if (canTrackFolders) {
        connection.workspace.onDidChangeWorkspaceFolders((event) => {
          const removed = new Set(event.removed.map((folder) => folder.uri));
          roots = [...roots.filter((root) => !removed.has(root)), ...event.added.map((folder) => folder.uri)];
          void reindex();
        });
      }
    } catch (error) {
      connection.console.warn(`Could not register for file and settings changes: ${error instanceof Error ? error.message : String(error)}`);
    }
    void reindex();
  });

  async function loadSettings(): Promise<void> {
    if (!canReadConfiguration) return;
    const [vaultlink, files] = (await connection.workspace.getConfiguration([{ section: 'vaultlink' }, { section: 'files' }])) as [ClientSettings | null, { exclude?: Record<string, boolean> } | null];
    service.updateSettings(readSettings(vaultlink ?? {}, files ?? undefined));
  }

  function reindex(): Promise<void> {
    let openNotesIndexed!: () => void;
    const previous = indexing;
    openNotesReady = new Promise((resolve) => (openNotesIndexed = resolve));
    indexing = previous.then(async () => {
      status = { ...status, state: 'indexing' };
      void connection.sendNotification(IndexStatusNotification, status);
      let progress: WorkDoneProgressServerReporter | undefined;
      try {
        await loadSettings();
        if (canReportProgress) {
          progress = await connection.window.createWorkDoneProgress();
          progress.begin('Vaultlink: indexing notes', 0, undefined, false);
        }
        service.setRoots(roots);
        const report = (done: number, total: number) => progress?.report(Math.round((done / Math.max(total, 1)) * 100), `${done} / ${total} files`);
        const stats = await service.indexAll(report, undefined, () => {
          openNotesIndexed();
          diagnostics.changed(documents.all().map((document) => document.uri));
        });
        connection.console.log(`Indexed ${stats.notes} notes and ${stats.attachments} other files in ${stats.milliseconds} ms.`);
        status = { state: 'ready', notes: stats.notes, attachments: stats.attachments, milliseconds: stats.milliseconds };
      } catch (error) {
        connection.console.error(`Indexing failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        status = { ...status, state: 'ready' };
      } finally {
        openNotesIndexed();
        progress?.done();
      }
      void connection.sendNotification(IndexStatusNotification, status);
      diagnostics.scope = service.settings.diagnosticScope;
      diagnostics.allChanged();
      scheduleCompletionCatalog();
    });
    return indexing;
  }

  let catalogTimer: ReturnType<typeof setTimeout> | undefined;
  /** Rebuilds completion's catalog of names soon after the set of names changed, unless more changes follow. */
  function scheduleCompletionCatalog(): void {
    if (catalogTimer) clearTimeout(catalogTimer);
    catalogTimer = setTimeout(() => {
      catalogTimer = undefined;
      service.prepareCompletion();
    }, CATALOG_DELAY_MS);
  }

  function refreshStatus(): void {
    scheduleCompletionCatalog();
    const { notes, attachments } = service.stats;
    if (status.state === 'ready' && (notes !== status.notes || attachments !== status.attachments)) {
      status = { ...status, notes, attachments };
      void connection.sendNotification(IndexStatusNotification, status);
    }
  }

  documents.onDidChangeContent(async (event) => {
    // Known at once, so indexing parses open notes from their buffers and first.
    service.rememberOpenText(event.document.uri, event.document.getText());
    await openNotesReady;
    const others = service.setDocumentText(event.document.uri, event.document.getText());
    diagnostics.changed([event.document.uri], { includesOtherNotes: false });
    if (others.length) diagnostics.changed(others);
    refreshStatus();
  });

  documents.onDidClose(async (event) => {
    await openNotesReady;
    const affected = await service.closeDocument(event.document.uri);
    diagnostics.closed(event.document.uri);
    diagnostics.changed([event.document.uri, ...affected]);
  });

  connection.onDidChangeWatchedFiles(async ({ changes }) => {
    await indexing;
    const affected = new Set<string>();
    const notesOnDisk: string[] = [];
    for (const change of changes) {
      if (URI.parse(change.uri).scheme !== 'file') continue;
      const uris = change.type === FileChangeType.Deleted ? service.fileDeleted(change.uri) : await service.fileChanged(change.uri);
      for (const uri of uris) affected.add(uri);
      if (/\.md$/i.test(change.uri) && !documents.get(change.uri)) notesOnDisk.push(change.uri);
    }
    diagnostics.changed(affected);
    refreshStatus();
    if (notesOnDisk.length) void connection.sendNotification(NotesChangedOnDiskNotification, { uris: notesOnDisk });
  });

  connection.onDidChangeConfiguration(() => {
    void reindex();
  });

  connection.onRequest(ReindexRequest, async () => {
    await reindex();
    return status;
  });

  connection.onRequest(TalksRequest, async (params) => {
    // One note needs only what open notes need; the whole vault needs the whole index.
    await (params.uri === undefined ? indexing : openNotesReady);
    return service.getTalks(params.uri);
  });
  connection.onRequest(TableOfContentsRequest, async (params) => {
    await openNotesReady;
    return service.getTableOfContentsEdits(params.uri);
  });

  connection.onCompletion(async (params, token) => {
    await openNotesReady;
    return service.getCompletions(params.textDocument.uri, params.position, token);
  });
  connection.onDefinition(async (params) => {
    await openNotesReady;
    const links = service.getDefinition(params.textDocument.uri, params.position);
    return canLinkDefinitions ? links : links.map((link) => ({ uri: link.targetUri, range: link.targetSelectionRange }));
  });
  connection.onPrepareRename(async (params) => {
    await openNotesReady;
    return service.prepareRename(params.textDocument.uri, params.position) ?? null;
  });
  connection.onRenameRequest(async (params) => {
    // Every link in the vault must be known before it is rewritten.
    await indexing;
    try {
      return service.rename(params.textDocument.uri, params.position, params.newName) ?? null;
    } catch (error) {
      if (error instanceof RenameError) return new ResponseError(ErrorCodes.InvalidParams, error.message);
      throw error;
    }
  });
  connection.workspace.onWillRenameFiles(async (params) => {
    await indexing;
    return service.linkEditsForRenamedFiles(params.files);
  });

  connection.onReferences(async (params) => {
    await indexing;
    return service.getReferences(params.textDocument.uri, params.position, params.context.includeDeclaration);
  });
  connection.onDocumentSymbol(async (params) => {
    await openNotesReady;
    return service.getDocumentSymbols(params.textDocument.uri);
  });
  connection.onCodeAction(async (params) => {
    await openNotesReady;
    return service.getCodeActions(params.textDocument.uri, params.range, params.context.diagnostics, params.context.only, { revealFolderCommand });
  });
  connection.onDocumentLinks(async (params) => {
    await openNotesReady;
    return service.getDocumentLinks(params.textDocument.uri);
  });

  documents.listen(connection);
  connection.listen();
}
