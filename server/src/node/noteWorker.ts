import { readFileSync } from 'node:fs';
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
