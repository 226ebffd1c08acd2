import {
  DocumentDiagnosticReportKind,
  type CancellationToken,
  type Connection,
  type DocumentDiagnosticReport,
  type WorkspaceDiagnosticReport,
  type WorkspaceDocumentDiagnosticReport,
} from 'vscode-languageserver';
import type { VaultService } from '../vaultService';

export type DiagnosticScope = 'workspace' | 'openNotes';

/**
 * Keeps the client's view of diagnostics current, by pull where the client can
 * (LSP 3.17 document and workspace diagnostics, as VS Code does) and by push
 * otherwise. Each note has a version that grows whenever its diagnostics may
 * have changed; it is the pull `resultId`, so unchanged notes cost nothing, and
 * a workspace pull with nothing new waits for the next change instead of
 * answering the client's 2-second poll with the whole vault.
 */
export class DiagnosticsSync {
  readonly #connection: Connection;
  readonly #service: VaultService;
  readonly #pull: boolean;
  readonly #canRefresh: boolean;
  readonly #isOpen: (uri: string) => boolean;
  readonly #whenOpenNotesReady: () => Promise<void>;
  readonly #whenIndexed: () => Promise<void>;
  readonly #versions = new Map<string, number>();
  #epoch = 0;
  #counter = 0;
  #scope: DiagnosticScope = 'workspace';
  #wakeWorkspacePull: Array<() => void> = [];
  #refreshTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(connection: Connection, service: VaultService, options: { pull: boolean; canRefresh: boolean; isOpen: (uri: string) => boolean; whenOpenNotesReady: () => Promise<void>; whenIndexed: () => Promise<void> }) {
    this.#connection = connection;
    this.#service = service;
    this.#pull = options.pull;
    this.#canRefresh = options.canRefresh;
    this.#isOpen = options.isOpen;
    this.#whenOpenNotesReady = options.whenOpenNotesReady;
    this.#whenIndexed = options.whenIndexed;
    if (this.#pull) {
      connection.languages.diagnostics.on(async (params) => {
        await this.#whenOpenNotesReady();
        return this.#documentReport(params.textDocument.uri, params.previousResultId);
      });
      connection.languages.diagnostics.onWorkspace((params, token) => this.#workspaceReport(new Map(params.previousResultIds.map((item) => [item.uri, item.value])), token));
    }
  }

  get usesPull(): boolean {
    return this.#pull;
  }

  set scope(scope: DiagnosticScope) {
    this.#scope = scope;
  }

  /** After a full (re-)index: every note's diagnostics may differ. */
  allChanged(): void {
    this.#epoch++;
    this.#versions.clear();
    if (this.#pull) {
      this.#requestRefresh();
      this.#wake();
      return;
    }
    for (const vault of this.#service.vaults) {
      for (const note of vault.notes()) {
        if (this.#scope === 'workspace' || this.#isOpen(note.file.uri)) this.#publish(note.file.uri, true);
      }
    }
  }

  /** The diagnostics of these notes may have changed (their text, or what they link to). */
  changed(uris: Iterable<string>, opts: { includesOtherNotes: boolean } = { includesOtherNotes: true }): void {
    let any = false;
    for (const uri of uris) {
      this.#versions.set(uri, ++this.#counter);
      any = true;
      if (!this.#pull && (this.#scope === 'workspace' || this.#isOpen(uri))) this.#publish(uri, false);
    }
    if (!any || !this.#pull) return;
    // The client re-pulls an edited open note by itself; other open notes need asking.
    if (opts.includesOtherNotes) this.#requestRefresh();
    this.#wake();
  }

  /** A note was closed: with the open-notes scope its problems leave the Problems panel. */
  closed(uri: string): void {
    if (!this.#pull && this.#scope === 'openNotes') void this.#connection.sendDiagnostics({ uri, diagnostics: [] });
  }

  #resultId(uri: string): string {
    return `${this.#epoch}:${this.#versions.get(uri) ?? 0}`;
  }

  #documentReport(uri: string, previousResultId: string | undefined): DocumentDiagnosticReport {
    const resultId = this.#resultId(uri);
    if (previousResultId === resultId) return { kind: DocumentDiagnosticReportKind.Unchanged, resultId };
    return { kind: DocumentDiagnosticReportKind.Full, resultId, items: this.#service.getDiagnostics(uri) };
  }

  async #workspaceReport(previous: Map<string, string>, token: CancellationToken): Promise<WorkspaceDiagnosticReport> {
    await this.#whenIndexed();
    for (;;) {
      if (token.isCancellationRequested) return { items: [] };
      const items: WorkspaceDocumentDiagnosticReport[] = [];
      if (this.#scope === 'workspace') {
        for (const vault of this.#service.vaults) {
          for (const note of vault.notes()) {
            const uri = note.file.uri;
            const resultId = this.#resultId(uri);
            if (previous.get(uri) === resultId) continue;
            items.push({ kind: DocumentDiagnosticReportKind.Full, uri, version: null, resultId, items: this.#service.getDiagnostics(uri) });
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
    if (skipEmpty && diagnostics.length === 0 && !this.#isOpen(uri)) return;
    void this.#connection.sendDiagnostics({ uri, diagnostics });
  }
}
