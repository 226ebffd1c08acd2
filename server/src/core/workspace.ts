/**
 * The world the core sees, passed in rather than imported, so that the language
 * server (disk plus open buffers), the CLI and the tests (in memory) share one core.
 */

export const enum FileKind {
  File = 1,
  Directory = 2,
  /** Symbolic links are not followed: they could loop or lead outside the vault. */
  SymbolicLink = 64,
}

export interface IFileSystem {
  /** Entries of a folder; rejects when the folder is gone. */
  readDirectory(uri: string): Promise<Array<[name: string, kind: FileKind]>>;
  /** A file's bytes; rejects when the file is gone. */
  readFile(uri: string): Promise<Uint8Array>;
}

export interface ILogger {
  log(message: string): void;
}

export const nullLogger: ILogger = { log: () => undefined };

/** Cancellation as LSP defines it, without depending on the connection library. */
export interface ICancellationToken {
  readonly isCancellationRequested: boolean;
}

export const neverCancelled: ICancellationToken = { isCancellationRequested: false };
