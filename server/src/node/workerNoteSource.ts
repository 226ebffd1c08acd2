import { accessSync, constants as fsConstants, existsSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { URI } from 'vscode-uri';
import { backgroundTurn } from '../core/cancellation';
import type { FileStamp, INoteSource, ParsedFile } from '../core/noteSource';
import type { ICancellationToken } from '../core/workspace';
import type { ParseRequest, ParseResponse } from './noteWorker';

export interface WorkerNoteSourceOptions {
  /** The worker's script: dist/server/noteWorker.js next to the server bundle. */
  readonly workerScript: string;
  /** Threads to parse in; 0 parses everything through `fallback`. */
  readonly workers: number;
  /** Parses here: small jobs, notes a worker could not encode, and everything if threads fail. */
  readonly fallback: INoteSource;
  /** Below this many notes, parsing here is quicker than starting threads. */
  readonly minNotesForWorkers?: number;
}

/** Notes per message: enough to make messaging cheap, few enough to spread the work evenly. */
const BATCH = 24;
/** Batches queued per worker, so none waits for its next one. */
const IN_FLIGHT = 2;
/** The longest this thread indexes workers' answers before it lets other work (a request) in. */
const HANDLE_SLICE_MS = 3;
/** Files stat'ed between two yields to the event loop. */
const STAT_SLICE = 512;

/**
 * Reads and parses notes in worker threads for a cold index: the workers hand
 * back compact encoded parses (parsedNoteCodec), which the indexer decodes on
 * this thread and writes to the parse cache as they are. Threads are started for
 * one bulk job and ended with it, so an idle server holds no parser threads.
 */
export class WorkerNoteSource implements INoteSource {
  readonly #options: WorkerNoteSourceOptions;

  constructor(options: WorkerNoteSourceOptions) {
    this.#options = options;
  }

  /**
   * Synchronous stats in slices: for ten thousand files several times quicker
   * than as many promises (a stat of a file in the page cache takes microseconds),
   * and paths are joined to the root rather than parsed from each file's URI.
   */
  async stamps(rootUri: string, relativePaths: readonly string[]): Promise<ReadonlyArray<FileStamp | undefined>> {
    const root = URI.parse(rootUri);
    if (root.scheme !== 'file') return relativePaths.map(() => undefined);
    const stamps: Array<FileStamp | undefined> = [];
    for (let start = 0; start < relativePaths.length; start += STAT_SLICE) {
      for (const relativePath of relativePaths.slice(start, start + STAT_SLICE)) {
        try {
          const file = path.join(root.fsPath, ...relativePath.split('/'));
          const stat = statSync(file, { throwIfNoEntry: false });
          // A file this process may not read has no stamp, so no parse cached for it is served: it is not indexed.
          stamps.push(stat?.isFile() && isReadable(file, stat.mode) ? { size: stat.size, mtimeMs: stat.mtimeMs } : undefined);
        } catch {
          stamps.push(undefined);
        }
      }
      await backgroundTurn();
    }
    return stamps;
  }

  async parseFiles(uris: readonly string[], onParsed: (file: ParsedFile) => void, token: ICancellationToken): Promise<void> {
    const { workers, fallback, workerScript } = this.#options;
    if (workers <= 0 || uris.length < (this.#options.minNotesForWorkers ?? 64) || !existsSync(workerScript)) {
      return fallback.parseFiles(uris, onParsed, token);
    }
    const batches: string[][] = [];
    for (let i = 0; i < uris.length; i += BATCH) batches.push(uris.slice(i, i + BATCH));
    const leftovers: string[] = [];
    const pool = Array.from({ length: Math.min(workers, batches.length) }, () => new Worker(workerScript));
    try {
      await Promise.all(pool.map((worker) => this.#drive(worker, batches, onParsed, leftovers, token)));
    } finally {
      for (const worker of pool) void worker.terminate();
    }
    // Batches no thread took (every one of them failed) are parsed here too.
    for (const batch of batches) leftovers.push(...batch);
    if (leftovers.length && !token.isCancellationRequested) await fallback.parseFiles(leftovers, onParsed, token);
  }

  /**
   * Feeds one worker batches until none are left; what it cannot do goes to
   * `leftovers`. Its answers are indexed in turns of the event loop of at
   * most HANDLE_SLICE_MS, not in the message handler: Node runs a port's
   * messages back to back while more keep coming, and a keystroke waited
   * behind them for 100 ms and more while the vault was indexed.
   */
  #drive(worker: Worker, batches: string[][], onParsed: (file: ParsedFile) => void, leftovers: string[], token: ICancellationToken): Promise<void> {
    return new Promise((resolve) => {
      const pending = new Map<number, readonly string[]>();
      /** Answers received, not yet indexed, one file each: a batch is 5-10 ms of indexing, so a turn can end inside one. */
      const inbox: Array<ParseResponse['results'][number]> = [];
      let inboxAt = 0;
      let nextId = 0;
      let ended = false;
      let resolved = false;
      let scheduled = false;
      const settle = () => {
        if (resolved || !ended || inboxAt < inbox.length) return;
        resolved = true;
        resolve();
      };
      const end = () => {
        if (ended) return;
        ended = true;
        for (const uris of pending.values()) leftovers.push(...uris);
        pending.clear();
        settle();
      };
      const send = () => {
        if (ended) return;
        // Answers not yet indexed count as in flight: the thread is not sent more than this one can take.
        while (pending.size + (inbox.length - inboxAt > 0 ? 1 : 0) < IN_FLIGHT && batches.length && !token.isCancellationRequested) {
          const uris = batches.shift()!;
          const request: ParseRequest = { id: nextId++, uris };
          pending.set(request.id, uris);
          worker.postMessage(request);
        }
        if (pending.size === 0 && inboxAt === inbox.length) end();
      };
      const handle = () => {
        scheduled = false;
        const started = performance.now();
        while (inboxAt < inbox.length && performance.now() - started < HANDLE_SLICE_MS) {
          const result = inbox[inboxAt++];
          if (result.error !== undefined) onParsed({ uri: result.uri, error: result.error });
          else if (result.encoded !== undefined) onParsed({ uri: result.uri, encoded: result.encoded });
          else leftovers.push(result.uri);
        }
        if (inboxAt === inbox.length) {
          inbox.length = 0;
          inboxAt = 0;
        } else schedule();
        send();
        settle();
      };
      const schedule = () => {
        if (scheduled) return;
        scheduled = true;
        void backgroundTurn().then(handle);
      };
      worker.on('message', (response: ParseResponse) => {
        pending.delete(response.id);
        for (const result of response.results) inbox.push(result);
        schedule();
      });
      // A thread that fails (out of memory, a missing script) hands its batches back to this one.
      worker.on('error', end);
      worker.on('exit', end);
      send();
    });
  }
}

/** Whether this process can read the file: only files not readable by everyone (rare) cost an access() call. */
function isReadable(file: string, mode: number): boolean {
  if (mode & 0o004) return true;
  try {
    accessSync(file, fsConstants.R_OK);
    return true;
  } catch {
    return false;
  }
}
