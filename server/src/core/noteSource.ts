import { parseNote } from './parser';
import type { ParsedNote } from './types';
import { createLimiter } from './vaultScanner';
import type { ICancellationToken, IFileSystem } from './workspace';

/** A file's size and modification time: the parse cache's test that a file is unchanged. */
export interface FileStamp {
  readonly size: number;
  readonly mtimeMs: number;
}

/** One note read from disk and parsed (as a parse, or as `encodeParsedNote` text to decode), or why it could not be. */
export type ParsedFile =
  | { readonly uri: string; readonly parsed: ParsedNote }
  | { readonly uri: string; readonly encoded: string }
  | { readonly uri: string; readonly error: string };

/**
 * Reads and parses notes for indexing. Injected: the language server's source
 * parses in worker threads on every core (server/src/node); the default one
 * parses here, through the IFileSystem, and knows no stamps (so nothing is
 * cached).
 */
export interface INoteSource {
  /** The stamp of each file (vault-relative paths under `rootUri`), taken now, before any read; undefined where the source cannot tell. */
  stamps(rootUri: string, relativePaths: readonly string[]): Promise<ReadonlyArray<FileStamp | undefined>>;
  /** Reads and parses each note, reporting each as it is done, in any order. */
  parseFiles(uris: readonly string[], onParsed: (file: ParsedFile) => void, token: ICancellationToken): Promise<void>;
}

const decoder = new TextDecoder('utf-8');

/** Parses on the calling thread, reading through the file system with bounded concurrency. */
export class InThreadNoteSource implements INoteSource {
  readonly #fs: IFileSystem;
  readonly #limit: <T>(task: () => Promise<T>) => Promise<T>;

  constructor(fileSystem: IFileSystem, readConcurrency = 32) {
    this.#fs = fileSystem;
    this.#limit = createLimiter(readConcurrency);
  }

  async stamps(_rootUri: string, relativePaths: readonly string[]): Promise<ReadonlyArray<FileStamp | undefined>> {
    return relativePaths.map(() => undefined);
  }

  async parseFiles(uris: readonly string[], onParsed: (file: ParsedFile) => void, token: ICancellationToken): Promise<void> {
    await Promise.all(
      uris.map((uri) =>
        this.#limit(async () => {
          if (token.isCancellationRequested) return;
          let text: string;
          try {
            text = decoder.decode(await this.#fs.readFile(uri));
          } catch (error) {
            onParsed({ uri, error: error instanceof Error ? error.message : String(error) });
            return;
          }
          onParsed({ uri, parsed: parseNote(text) });
        }),
      ),
    );
  }
}
