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
  /**
   * The URI of the real path of `uri`: every symbolic link on the way resolved.
   * A path that does not exist yet resolves through its deepest existing folder
   * (the rest appended as spelled); rejects when it cannot be resolved (a loop).
   * Optional: without it, containment is decided on the spelled path alone
   * (see containment.ts).
   */
  realPath?(uri: string): Promise<string>;
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
