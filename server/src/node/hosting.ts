import { availableParallelism } from 'node:os';
import * as path from 'node:path';
import { InThreadNoteSource, type INoteSource } from '../core/noteSource';
import type { IParseCacheStorage } from '../core/parseCache';
import type { IFileSystem } from '../core/workspace';
import { codeFingerprint, defaultCacheDirectory, FileParseCacheStorage } from './fileParseCacheStorage';
import { watchVault } from './fileWatcher';
import { WorkerNoteSource } from './workerNoteSource';
import { packageVersion } from './vaultFiles';

/** What the language server gets from Node besides the file system: threads to parse in and a cache folder. */
export interface NodeHosting {
  readonly noteSource: INoteSource;
  /** This package's version (its package.json, found from the bundle's folder up), for `serverInfo`. */
  readonly version: string;
  /** The parse cache in `cacheDirectory` (from the client), else in the user's cache folder. */
  parseCacheFor(cacheDirectory: string | undefined): IParseCacheStorage | undefined;
  /** The server's own file watcher (chokidar), unless `VAULTLINK_WATCH=off`. */
  readonly watchVault?: typeof watchVault;
}

/**
 * Parser threads: one per core (measured on two cores: two threads index 10,000
 * notes cold about 5% faster than one, 50,000 notes about 25% faster; this
 * thread, which decodes and indexes what they send, still answers the editor
 * between batches). `VAULTLINK_WORKERS` sets the number (0 parses on this thread)
 * and `VAULTLINK_CACHE=off` turns the parse cache off: for measuring, and for
 * anyone who must keep nothing on disk.
 */
export function createNodeHosting(fileSystem: IFileSystem, env: NodeJS.ProcessEnv = process.env): NodeHosting {
  const workers = env.VAULTLINK_WORKERS === undefined ? availableParallelism() : Math.max(0, Number(env.VAULTLINK_WORKERS) || 0);
  const noteSource = new WorkerNoteSource({
    // Bundled next to the server (scripts/build.mjs); without it, notes are parsed on this thread.
    workerScript: path.join(__dirname, 'noteWorker.js'),
    workers,
    fallback: new InThreadNoteSource(fileSystem),
  });
  const codeVersion = codeFingerprint();
  return {
    noteSource,
    version: packageVersion(),
    ...(env.VAULTLINK_WATCH === 'off' ? {} : { watchVault }),
    parseCacheFor: (cacheDirectory) => (env.VAULTLINK_CACHE === 'off' ? undefined : new FileParseCacheStorage(path.join(cacheDirectory ?? defaultCacheDirectory(), 'parse-cache'), codeVersion)),
  };
}
