// Feeds the preview plugin (obsidianMarkdown.ts) the server's resolutions of a
// document's links. markdown-it renders synchronously, so a render uses what is
// known and asks for what is not: the first render of a note draws its links
// pending, the server's answer (`vaultlink/previewLinks`) is kept per document
// version, and the preview is refreshed when it arrives, or when files or other
// notes change and the answer with them. File changes are heard from the server
// (`vaultlink/filesChanged`, once it has applied them), not from a watcher of the
// client's own: that one can fire first, and the answer would be the old one.
import type MarkdownIt from 'markdown-it';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { PreviewLinksRequest, type FilesChangedParams } from '../protocol';
import { obsidianPreview, type LinkResolutions } from './obsidianMarkdown';

/** Documents whose answers are kept (the notes previewed lately). */
const MAX_DOCUMENTS = 32;
/** Changes arriving within this are answered with one round of requests. */
const VAULT_CHANGE_DELAY_MS = 400;
/**
 * How long after asking the preview to redraw it must have drawn the new
 * answer; else it is asked again, up to REFRESH_TRIES times. A redraw asked
 * while the preview's page is still loading can be lost, and nothing else
 * would ask again: a CI run waited 30 s on links drawn pending.
 */
const REFRESH_CHECK_MS = 1500;
const REFRESH_TRIES = 3;

interface Entry {
  readonly version: number;
  readonly resolutions: LinkResolutions;
  /** The answer as JSON: a new answer equal to it needs no refresh. */
  readonly fingerprint: string;
}

export class PreviewLinkCache implements vscode.Disposable {
  readonly #entries = new Map<string, Entry>();
  /** The version asked for, by document, while a request is out. */
  readonly #asking = new Map<string, number>();
  /** By document, the answer its last render drew (its fingerprint; '' for none). */
  readonly #drawn = new Map<string, string>();
  #refreshChecks: ReturnType<typeof setTimeout> | undefined;
  readonly #disposables: vscode.Disposable[] = [];
  #refreshTimer: ReturnType<typeof setTimeout> | undefined;
  #vaultTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly client: LanguageClient,
    filesChanged: vscode.Event<FilesChangedParams>,
  ) {
    this.#disposables.push(
      // Notes or attachments came, went or changed, and the server's index has them.
      filesChanged(() => this.#vaultChanged()),
      // The server re-checked a previewed note: what its links resolve to may have changed with it.
      vscode.languages.onDidChangeDiagnostics((event) => event.uris.some((uri) => this.#entries.has(uri.toString())) && this.#vaultChanged()),
      // Another note's headings or links may be what this note's links name.
      vscode.workspace.onDidChangeTextDocument((event) => event.document.languageId === 'markdown' && event.contentChanges.length > 0 && this.#vaultChanged(event.document.uri.toString())),
    );
  }

  /** The markdown-it plugin VS Code's `extendMarkdownIt` applies. */
  extendMarkdownIt(md: MarkdownIt): MarkdownIt {
    return obsidianPreview(md, { resolutionsFor: (env) => this.resolutionsFor(env) });
  }

  /**
   * What is known of the links of the document VS Code renders (`env.currentDocument`),
   * asking the server when that is not its current version. An older version's
   * answer is used meanwhile for the links it knows (a new link is drawn pending).
   */
  resolutionsFor(env: Record<string, unknown>): LinkResolutions | undefined {
    const document = env.currentDocument as vscode.Uri | undefined;
    if (!document || typeof document.scheme !== 'string' || document.scheme !== 'file') return undefined;
    const key = document.toString();
    const version = vscode.workspace.textDocuments.find((open) => open.uri.toString() === key)?.version ?? -1;
    const entry = this.#entries.get(key);
    if (entry) {
      this.#entries.delete(key);
      this.#entries.set(key, entry); // most recently used last
    }
    if (!entry || entry.version !== version) void this.#ask(key, version);
    this.#drawn.set(key, entry?.fingerprint ?? '');
    return entry?.resolutions;
  }

  async #ask(key: string, version: number): Promise<void> {
    if (this.#asking.get(key) === version) return;
    this.#asking.set(key, version);
    try {
      const answer = await this.client.sendRequest(PreviewLinksRequest, { uri: key });
      const fingerprint = JSON.stringify(answer.links);
      const before = this.#entries.get(key);
      this.#entries.set(key, { version, fingerprint, resolutions: new Map(answer.links.map((link) => [link.target, link])) });
      while (this.#entries.size > MAX_DOCUMENTS) {
        const oldest = this.#entries.keys().next().value!;
        this.#entries.delete(oldest);
        this.#drawn.delete(oldest);
      }
      if (!before || before.fingerprint !== fingerprint || this.#drawn.get(key) !== fingerprint) this.#refreshSoon();
    } catch {
      // The server is restarting or the note left the vault: the links stay as drawn.
    } finally {
      if (this.#asking.get(key) === version) this.#asking.delete(key);
    }
  }

  /** Files came, went or changed, or another note was edited: ask again for the documents previewed, and redraw those whose answer changed. */
  #vaultChanged(edited?: string): void {
    clearTimeout(this.#vaultTimer);
    this.#vaultTimer = setTimeout(() => {
      for (const [key, entry] of this.#entries) {
        if (key === edited) continue; // its own preview re-renders and asks
        this.#asking.delete(key);
        void this.#ask(key, entry.version);
      }
    }, VAULT_CHANGE_DELAY_MS);
  }

  #refreshSoon(tries = REFRESH_TRIES): void {
    clearTimeout(this.#refreshTimer);
    clearTimeout(this.#refreshChecks);
    this.#refreshTimer = setTimeout(() => {
      void vscode.commands.executeCommand('markdown.preview.refresh');
      // A document drawn since it was last answered, whose drawing is not that answer: the redraw was lost.
      this.#refreshChecks = setTimeout(() => {
        const behind = [...this.#drawn].some(([key, drawn]) => this.#entries.has(key) && this.#entries.get(key)!.fingerprint !== drawn);
        if (behind && tries > 1) this.#refreshSoon(tries - 1);
      }, REFRESH_CHECK_MS);
    }, 50);
  }

  dispose(): void {
    clearTimeout(this.#refreshTimer);
    clearTimeout(this.#vaultTimer);
    clearTimeout(this.#refreshChecks);
    for (const disposable of this.#disposables) disposable.dispose();
  }
}
