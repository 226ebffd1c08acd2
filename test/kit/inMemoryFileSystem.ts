import { URI, Utils } from 'vscode-uri';
import { FileKind, type IFileSystem } from '../../server/src/core/workspace';

/** A vault in memory: paths relative to a fake root, contents as strings or bytes. */
export class InMemoryFileSystem implements IFileSystem {
  readonly #files = new Map<string, Uint8Array>();
  readonly rootUri: string;

  constructor(files: Record<string, string | Uint8Array>, root = '/vault') {
    this.rootUri = URI.file(root).toString();
    for (const [path, content] of Object.entries(files)) this.write(path, content);
  }

  uri(relativePath: string): string {
    return Utils.joinPath(URI.parse(this.rootUri), ...relativePath.split('/')).toString();
  }

  write(relativePath: string, content: string | Uint8Array): string {
    this.#files.set(relativePath, typeof content === 'string' ? new TextEncoder().encode(content) : content);
    return this.uri(relativePath);
  }

  delete(relativePath: string): string {
    this.#files.delete(relativePath);
    return this.uri(relativePath);
  }

  #relative(uri: string): string {
    const path = URI.parse(uri).path;
    const root = URI.parse(this.rootUri).path;
    return path === root ? '' : path.slice(root.length + 1);
  }

  async readDirectory(uri: string): Promise<Array<[string, FileKind]>> {
    const folder = this.#relative(uri);
    const prefix = folder ? folder + '/' : '';
    const entries = new Map<string, FileKind>();
    for (const path of this.#files.keys()) {
      if (!path.startsWith(prefix)) continue;
      const rest = path.slice(prefix.length);
      const slash = rest.indexOf('/');
      entries.set(slash < 0 ? rest : rest.slice(0, slash), slash < 0 ? FileKind.File : FileKind.Directory);
    }
    if (entries.size === 0 && folder) throw new Error(`ENOENT: no such folder ${folder}`);
    return [...entries];
  }

  async readFile(uri: string): Promise<Uint8Array> {
    const content = this.#files.get(this.#relative(uri));
    if (!content) throw new Error(`ENOENT: no such file ${this.#relative(uri)}`);
    return content;
  }
}
