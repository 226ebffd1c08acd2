import * as fs from 'node:fs';
import * as path from 'node:path';
import { Emitter, type Event } from 'vscode-jsonrpc';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { FileStat, IFileSystemWatcher, ITextDocument, IWorkspaceWithWatching } from 'vscode-markdown-languageservice';
import { URI } from 'vscode-uri';

/**
 * The workspace `vscode-markdown-languageservice` needs, over the real disk:
 * what VS Code's markdown server gives it through the client, without an editor.
 * Every markdown file is read once and kept, as VS Code's workspace does.
 * Nothing changes during the benchmark, so no event ever fires.
 */
export class NodeMarkdownWorkspace implements IWorkspaceWithWatching {
  readonly #root: URI;
  readonly #documents = new Map<string, ITextDocument>();
  #loaded: Promise<void> | undefined;
  readonly #never = new Emitter<never>();

  constructor(rootDirectory: string) {
    this.#root = URI.file(rootDirectory);
  }

  get workspaceFolders(): readonly URI[] {
    return [this.#root];
  }

  get onDidChangeMarkdownDocument(): Event<ITextDocument> {
    return this.#never.event;
  }

  get onDidCreateMarkdownDocument(): Event<ITextDocument> {
    return this.#never.event;
  }

  get onDidDeleteMarkdownDocument(): Event<URI> {
    return this.#never.event;
  }

  async getAllMarkdownDocuments(): Promise<Iterable<ITextDocument>> {
    this.#loaded ??= this.#loadAll();
    await this.#loaded;
    return this.#documents.values();
  }

  hasMarkdownDocument(resource: URI): boolean {
    return this.#documents.has(resource.toString());
  }

  async openMarkdownDocument(resource: URI): Promise<ITextDocument | undefined> {
    const key = resource.toString();
    const known = this.#documents.get(key);
    if (known) return known;
    if (!resource.fsPath.endsWith('.md')) return undefined;
    try {
      const document = TextDocument.create(key, 'markdown', 1, await fs.promises.readFile(resource.fsPath, 'utf8'));
      this.#documents.set(key, document);
      return document;
    } catch {
      return undefined;
    }
  }

  /** An editor's version of a note replaces the disk's, as when the user types. */
  setDocument(document: ITextDocument): void {
    this.#documents.set(document.uri, document);
  }

  async stat(resource: URI): Promise<FileStat | undefined> {
    try {
      return { isDirectory: (await fs.promises.stat(resource.fsPath)).isDirectory() };
    } catch {
      return undefined;
    }
  }

  async readDirectory(resource: URI): Promise<Iterable<readonly [string, FileStat]>> {
    const entries = await fs.promises.readdir(resource.fsPath, { withFileTypes: true });
    return entries.map((entry) => [entry.name, { isDirectory: entry.isDirectory() }] as const);
  }

  watchFile(): IFileSystemWatcher {
    return { dispose: () => undefined, onDidCreate: this.#never.event, onDidChange: this.#never.event, onDidDelete: this.#never.event };
  }

  async #loadAll(): Promise<void> {
    const files: string[] = [];
    const walk = async (directory: string): Promise<void> => {
      for (const entry of await fs.promises.readdir(directory, { withFileTypes: true })) {
        const full = path.join(directory, entry.name);
        if (entry.isDirectory()) await walk(full);
        else if (entry.isFile() && entry.name.endsWith('.md')) files.push(full);
      }
    };
    await walk(this.#root.fsPath);
    // Bounded concurrency, as the service's own reads are.
    let next = 0;
    const reader = async () => {
      while (next < files.length) {
        const file = files[next++];
        const uri = URI.file(file).toString();
        if (!this.#documents.has(uri)) this.#documents.set(uri, TextDocument.create(uri, 'markdown', 1, await fs.promises.readFile(file, 'utf8')));
      }
    };
    await Promise.all(Array.from({ length: 32 }, reader));
  }
}
