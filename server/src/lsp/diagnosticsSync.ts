import {
  DocumentDiagnosticReportKind,
  type CancellationToken,
  type Connection,
  type Diagnostic,
  type DocumentDiagnosticReport,
  type WorkspaceDiagnosticReport,
  type WorkspaceDocumentDiagnosticReport,
} from 'vscode-languageserver';
import { CancellationSource, backgroundTurn, yieldToEventLoop } from '../core/cancellation';
import type { ICancellationToken } from '../core/workspace';
import { canonicalUri } from '../service/documentStore';
import type { VaultService } from '../vaultService';

export type DiagnosticScope = 'workspace' | 'openNotes';

/** How long a document pull may be held for its note to be indexed: a client without refresh support keeps the first answer. */
const PULL_READY_TIMEOUT_MS = 30_000;
/** Notes whose diagnostics are computed between two yields to the event loop in vault-wide loops. */
const NOTES_PER_SLICE = 250;
/** The longest a publish of every note's diagnostics holds the thread before it lets requests in. */
const PUBLISH_SLICE_MS = 3;

/**
 * Keeps the client's view of diagnostics current, by pull where the client can
 * (LSP 3.17 document and workspace diagnostics, as VS Code does) and by push
 * otherwise. Nothing is sent before it is right: a note's diagnostics are
 * published, and a pull about it answered, only once the note and the notes it
 * links to are indexed; other notes' once the whole vault is.
 *
 * Each note has a version that grows whenever its diagnostics may have
 * changed; it is the pull `resultId`, so unchanged notes cost nothing, and a
 * workspace pull with nothing new waits for the next change instead of
 * answering the client's 2-second poll with the whole vault.
 */
export class DiagnosticsSync {
  readonly #connection: Connection;
  readonly #service: VaultService;
  readonly #pull: boolean;
  readonly #canRefresh: boolean;
  readonly #isOpen: (uri: string) => boolean;
  /** By canonical URI (clients spell URIs differently: Neovim leaves `(` unencoded). */
  readonly #versions = new Map<string, number>();
  /** Notes gone from the vault that a workspace pull has not reported empty yet. */
  readonly #gone = new Set<string>();
  /** Pushed notes whose last publish had problems in it (canonical URI → the spelling it was sent under). */
  readonly #shown = new Map<string, string>();
  /** The spelling the client uses for a note it has open (else the server's own). */
  readonly #spell: (uri: string) => string;
  #epoch = 0;
  #counter = 0;
  #scope: DiagnosticScope = 'workspace';
  #wakeWorkspacePull: Array<() => void> = [];
  #refreshTimer: ReturnType<typeof setTimeout> | undefined;
  /** The vault-wide publish under way; a newer one cancels it. */
  #publishAll: CancellationSource | undefined;

  constructor(connection: Connection, service: VaultService, options: { pull: boolean; canRefresh: boolean; isOpen: (uri: string) => boolean; spell?: (uri: string) => string }) {
    this.#spell = options.spell ?? ((uri) => uri);
    this.#connection = connection;
    this.#service = service;
    this.#pull = options.pull;
    this.#canRefresh = options.canRefresh;
    this.#isOpen = options.isOpen;
    if (this.#pull) {
      connection.languages.diagnostics.on(async (params, token) => {
        const uri = params.textDocument.uri;
        // Held until right: Neovim 0.10 pulls once at open and cannot be asked to pull again.
        await this.#service.whenNoteReady(uri, token, PULL_READY_TIMEOUT_MS);
        return this.#documentReport(uri, params.previousResultId);
      });
      connection.languages.diagnostics.onWorkspace((params, token) => this.#workspaceReport(new Map(params.previousResultIds.map((item) => [item.uri, item.value])), token));
    }
  }

  set scope(scope: DiagnosticScope) {
    this.#scope = scope;
  }

  /** After a full (re-)index or a change of diagnostic settings: every note's diagnostics may differ. */
  allChanged(): void {
    this.#epoch++;
    this.#versions.clear();
    if (this.#pull) {
      this.#requestRefresh();
      this.#wake();
      return;
    }
    this.#publishAll?.cancel();
    const run = (this.#publishAll = new CancellationSource());
    void this.#publishEveryNote(run.token).catch((error: unknown) => this.#connection.console.error(`Could not publish diagnostics: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`));
  }

  async #publishEveryNote(token: ICancellationToken): Promise<void> {
    let sliceStart = performance.now();
    for (const vault of this.#service.vaults) {
      for (const note of [...vault.notes()]) {
        if (token.isCancellationRequested) return;
        if (this.#scope === 'workspace' || this.#isOpen(note.file.uri)) this.#publish(note.file.uri, true);
        // By time, not by count: a slice of 250 notes took 15-25 ms, and a keystroke waited for it.
        if (performance.now() - sliceStart >= PUBLISH_SLICE_MS) {
          await backgroundTurn();
          sliceStart = performance.now();
        }
      }
    }
  }

  /** The diagnostics of these notes may have changed (their text, or what they link to). */
  changed(uris: Iterable<string>, opts: { includesOtherNotes: boolean } = { includesOtherNotes: true }): void {
    let any = false;
    for (const uri of uris) {
      this.#versions.set(canonicalUri(uri), ++this.#counter);
      this.#gone.delete(canonicalUri(uri));
      any = true;
      // While the vault is indexed, a closed note's problems are not final yet: the publish after the index sends them.
      if (!this.#pull && (this.#scope === 'workspace' || this.#isOpen(uri)) && (!this.#service.isIndexing || this.#isOpen(uri))) this.#publish(uri, false);
    }
    if (!any || !this.#pull) return;
    // The client re-pulls an edited open note by itself; other open notes need asking.
    if (opts.includesOtherNotes) this.#requestRefresh();
    this.#wake();
  }

  /** Notes that left the vault (deleted, excluded, their folder closed): their problems leave the Problems panel. */
  removed(uris: Iterable<string>): void {
    let any = false;
    for (const uri of uris) {
      any = true;
      this.#versions.set(canonicalUri(uri), ++this.#counter);
      if (this.#pull) this.#gone.add(canonicalUri(uri));
      else this.#send(uri, []);
    }
    if (any && this.#pull) {
      this.#requestRefresh();
      this.#wake();
    }
  }

  /** A note was closed: with the open-notes scope its problems leave the Problems panel. */
  closed(uri: string): void {
    if (!this.#pull && this.#scope === 'openNotes') this.#send(uri, []);
  }

  #resultId(uri: string): string {
    return `${this.#epoch}:${this.#versions.get(canonicalUri(uri)) ?? 0}`;
  }

  #documentReport(uri: string, previousResultId: string | undefined): DocumentDiagnosticReport {
    const resultId = this.#resultId(uri);
    if (previousResultId === resultId) return { kind: DocumentDiagnosticReportKind.Unchanged, resultId };
    return { kind: DocumentDiagnosticReportKind.Full, resultId, items: this.#service.getDiagnostics(uri) };
  }

  async #workspaceReport(previous: Map<string, string>, token: CancellationToken): Promise<WorkspaceDiagnosticReport> {
    await this.#service.whenIndexed(token);
    for (;;) {
      if (token.isCancellationRequested) return { items: [] };
      const items: WorkspaceDocumentDiagnosticReport[] = [];
      for (const uri of [...this.#gone]) {
        items.push({ kind: DocumentDiagnosticReportKind.Full, uri, version: null, resultId: this.#resultId(uri), items: [] });
        this.#gone.delete(uri);
      }
      if (this.#scope === 'workspace') {
        let count = 0;
        for (const vault of this.#service.vaults) {
          for (const note of [...vault.notes()]) {
            const uri = note.file.uri;
            const resultId = this.#resultId(uri);
            if (previous.get(uri) !== resultId) items.push({ kind: DocumentDiagnosticReportKind.Full, uri, version: null, resultId, items: this.#service.getDiagnostics(uri) });
            if (++count % NOTES_PER_SLICE === 0) {
              await yieldToEventLoop();
              if (token.isCancellationRequested) return { items: [] };
            }
          }
        }
      }
      if (items.length) return { items };
      // Nothing new: hold the request until something changes (or the client gives up).
      await new Promise<void>((resolve) => {
        this.#wakeWorkspacePull.push(resolve);
        token.onCancellationRequested(() => resolve());
      });
    }
  }

  #wake(): void {
    const waiting = this.#wakeWorkspacePull;
    this.#wakeWorkspacePull = [];
    for (const resolve of waiting) resolve();
  }

  #requestRefresh(): void {
    if (!this.#canRefresh || this.#refreshTimer) return;
    // Coalesce bursts (a folder of files created at once) into one refresh.
    this.#refreshTimer = setTimeout(() => {
      this.#refreshTimer = undefined;
      this.#connection.languages.diagnostics.refresh();
    }, 50);
  }

  #publish(uri: string, skipEmpty: boolean): void {
    const diagnostics = this.#service.getDiagnostics(uri);
    // An empty list need not be sent for a closed note, unless it clears problems sent before.
    if (skipEmpty && diagnostics.length === 0 && !this.#isOpen(uri) && !this.#shown.has(canonicalUri(uri))) return;
    this.#send(uri, diagnostics);
  }

  /** Sends under the client's spelling of the URI, clearing what an earlier spelling showed. */
  #send(uri: string, diagnostics: Diagnostic[]): void {
    const key = canonicalUri(uri);
    const target = this.#spell(uri);
    const before = this.#shown.get(key);
    if (before !== undefined && before !== target) void this.#connection.sendDiagnostics({ uri: before, diagnostics: [] });
    if (diagnostics.length) this.#shown.set(key, target);
    else this.#shown.delete(key);
    void this.#connection.sendDiagnostics({ uri: target, diagnostics });
  }
}
