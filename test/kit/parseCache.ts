import { URI } from 'vscode-uri';
import { InThreadNoteSource, type FileStamp, type INoteSource, type ParsedFile } from '../../server/src/core/noteSource';
import type { IParseCacheFile, IParseCacheReader, IParseCacheStorage } from '../../server/src/core/parseCache';
import type { ICancellationToken } from '../../server/src/core/workspace';
import type { InMemoryFileSystem } from './inMemoryFileSystem';

/** Stamps from a version per file, bumped on every write, as a disk's mtime would be. */
export class StampedSource implements INoteSource {
  readonly #inner: InThreadNoteSource;
  readonly versions = new Map<string, number>();
  parsed: string[] = [];

  constructor(readonly fs: InMemoryFileSystem) {
    this.#inner = new InThreadNoteSource(fs);
  }

  async stamps(_rootUri: string, relativePaths: readonly string[]): Promise<ReadonlyArray<FileStamp | undefined>> {
    return Promise.all(
      relativePaths.map(async (path) => {
        const bytes = await this.fs.readFile(this.fs.uri(path)).catch(() => undefined);
        return bytes && { size: bytes.length, mtimeMs: this.versions.get(path) ?? 1 };
      }),
    );
  }

  parseFiles(uris: readonly string[], onParsed: (file: ParsedFile) => void, token: ICancellationToken): Promise<void> {
    this.parsed.push(...uris.map((uri) => decodeURIComponent(uri.slice(this.fs.rootUri.length + 1))));
    return this.#inner.parseFiles(uris, onParsed, token);
  }
}

/** Cache files in memory, counting what is written. */
export class MemoryStorage implements IParseCacheStorage {
  readonly files = new Map<string, Uint8Array>();
  creates = 0;

  constructor(
    readonly directoryUri = URI.file('/cache/vaultlink').toString(),
    readonly codeVersion = 'build-1',
  ) {}

  /** At most a third of the file per read, so lines cross read boundaries. */
  async open(rootUri: string): Promise<IParseCacheReader | undefined> {
    const bytes = this.files.get(rootUri);
    if (!bytes) return undefined;
    const third = Math.ceil(bytes.length / 3);
    let at = 0;
    return {
      read: async (target) => {
        const piece = bytes.subarray(at, at + Math.min(third, target.length));
        target.set(piece);
        at += piece.length;
        return piece.length;
      },
      close: async () => undefined,
    };
  }

  async create(rootUri: string): Promise<IParseCacheFile> {
    this.creates++;
    const chunks: Uint8Array[] = [];
    return {
      write: async (chunk) => void chunks.push(chunk.slice()),
      commit: async () => void this.files.set(rootUri, Buffer.concat(chunks)),
      discard: async () => undefined,
    };
  }
}
