import { readFileSync, readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import { URI } from 'vscode-uri';
import { encodeParsedNote } from '../core/parsedNoteCodec';
import { parseNote } from '../core/parser';

/**
 * A worker thread of WorkerNoteSource (bundled as dist/server/noteWorker.js):
 * reads and parses the notes it is sent and answers with their encoded parses.
 * Synchronous reads are fine here: this thread does nothing else.
 */

/** What the pool sends: a batch of note URIs. */
export interface ParseRequest {
  readonly id: number;
  readonly uris: readonly string[];
}

/** What a worker answers, one result per URI. */
export interface ParseResponse {
  readonly id: number;
  readonly results: ReadonlyArray<{ readonly uri: string; readonly encoded?: string; readonly error?: string }>;
}

const decoder = new TextDecoder('utf-8');

/** The nice value of a parser thread: below the thread that answers the editor. */
const PARSER_NICENESS = 10;

/**
 * On Linux a thread has its own priority: this one is lowered, so the thread
 * that answers the editor gets a core the moment a request comes. On 2 cores
 * with two parser threads at full speed, a request that needs no work at all
 * (an unknown method) waited 20-70 ms for the scheduler while the vault was
 * indexed. Elsewhere (no /proc/thread-self) nothing changes.
 */
function lowerThisThreadsPriority(): void {
  try {
    const threadId = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(threadId) && threadId > 0) setPriority(threadId, PARSER_NICENESS);
  } catch {
    // Not Linux, or not allowed: the thread keeps the process's priority.
  }
}

lowerThisThreadsPriority();

function parseOne(uri: string): ParseResponse['results'][number] {
  try {
    const parsed = URI.parse(uri);
    if (parsed.scheme !== 'file') throw new Error(`Only file: URIs can be read from disk, not ${parsed.scheme}:`);
    const encoded = encodeParsedNote(parseNote(decoder.decode(readFileSync(parsed.fsPath))));
    // A parse JSON cannot carry (a date in the front matter…): the pool parses it on its own thread.
    return encoded === undefined ? { uri } : { uri, encoded };
  } catch (error) {
    return { uri, error: error instanceof Error ? error.message : String(error) };
  }
}

parentPort?.on('message', (request: ParseRequest) => {
  const response: ParseResponse = { id: request.id, results: request.uris.map(parseOne) };
  parentPort!.postMessage(response);
});
