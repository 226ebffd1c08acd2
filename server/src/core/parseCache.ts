import type { FileStamp } from './noteSource';
import { PARSED_NOTE_CODEC_VERSION } from './parsedNoteCodec';

/**
 * The parse cache: every note's parse from the last index, with the size and
 * modification time its file had, so a restart decodes unchanged notes instead
 * of reading and parsing them (Obsidian and Dendron keep one for the same
 * reason). One file per vault, kept outside the vault by the injected storage.
 * Anything wrong with it (missing, truncated, damaged, written by another build
 * or for another folder) just means those notes are parsed again: it is never
 * trusted.
 *
 * The file is UTF-8 text: a JSON header line, then one line per note:
 * `checksum TAB size TAB mtime TAB "vault/relative path" TAB encoded parse`,
 * where the checksum is the FNV-1a hash (32 bits, 8 lowercase hex digits) of
 * the line's bytes after its first tab, the break excluded. A line that does not
 * verify is skipped and its note parsed; the header must equal the one this
 * build writes, byte for byte. The checksum is per line, not per file, because
 * the file is streamed: each line is used as it is read and carried into the
 * next file as it is, and one damaged line then costs one note (two when the
 * damage hits a line break), not the whole cache. It is read in chunks, each
 * line decoded only when used, and written as notes are indexed, so the whole
 * file is never held in memory.
 */

/** Where cache files live between sessions. The node implementation keeps them in the OS cache folder. */
export interface IParseCacheStorage {
  /** Identifies the code that writes entries (the build): entries of another build are never used. */
  readonly codeVersion: string;
  /** The folder the files go to, so a cache inside a vault can be refused: nothing is ever written there. */
  readonly directoryUri: string;
  /**
   * Whether the folder the files go to is `folderUri` or inside it, on real
   * paths (symbolic links resolved, on either side) as well as spelled ones:
   * a cache that is, for any vault, is refused. Optional: a storage without it
   * is judged by `directoryUri` alone.
   */
  isInsideFolder?(folderUri: string): boolean;
  /** Opens the cache file of this vault root; undefined when there is none (or it cannot be opened). */
  open(rootUri: string): Promise<IParseCacheReader | undefined>;
  /** Starts the next cache file of this vault root; it replaces the current one only when committed. */
  create(rootUri: string): Promise<IParseCacheFile>;
}

/** A cache file being read, front to back. */
export interface IParseCacheReader {
  /** Reads the next bytes into `target` (up to its length); 0 at the end of the file. */
  read(target: Uint8Array): Promise<number>;
  close(): Promise<void>;
}

/** A cache file being written. */
export interface IParseCacheFile {
  write(chunk: Uint8Array): Promise<void>;
  /** Makes this the vault's cache, all at once: a crash leaves the old file or this one, never half of one. */
  commit(): Promise<void>;
  /** Throws the file away; the current cache stays. */
  discard(): Promise<void>;
}

const FORMAT = 'vaultlink-parse-cache';
/** 3: a checksum begins each line. */
const FORMAT_VERSION = 3;
const NEWLINE = 10;
const TAB = 9;
/** The checksum's hex digits and the tab after them. */
const CHECKSUM_BYTES = 9;

interface Header {
  readonly format: string;
  readonly version: number;
  readonly codec: number;
  readonly code: string;
  readonly root: string;
}

/** One note's line of a cache file. */
export interface CacheLine {
  readonly relativePath: string;
  readonly stamp: FileStamp;
  /** The whole line, break included: carried into the next file as it is. Valid only until the next line is read. */
  readonly bytes: Uint8Array;
  /** The encoded parse, for decodeParsedNote. */
  encoded(): string;
}

const decoder = new TextDecoder('utf-8');

/** The read buffer: grown only for a line longer than it. */
const READ_BUFFER_BYTES = 1 << 20;

/**
 * The lines of a vault's cache file, read through one buffer so the file is
 * never held whole (it is hundreds of MB for 50,000 notes) and reading it
 * allocates nothing per chunk: fresh multi-megabyte chunks left the allocator
 * fragmented, 30 MB more resident memory after a warm start at 10,000 notes. A
 * line (and its `bytes`) is valid until the next is asked for. Nothing when the
 * file is missing or belongs to another format, codec, build or folder; a line
 * cut short (a crash mid-write) and everything after it is ignored.
 *
 * `unverified` skips the checksums, for a read that only asks which notes the
 * file holds with which stamps (the first of a warm start's two reads): a line
 * it yields may be damaged, so nothing it yields may be used or carried but
 * its path and stamp, to decide which notes to look for in a verified read.
 */
export async function* readCacheLines(storage: IParseCacheStorage, rootUri: string, unverified = false): AsyncGenerator<CacheLine> {
  let reader: IParseCacheReader | undefined;
  try {
    reader = await storage.open(rootUri);
  } catch {
    return;
  }
  if (!reader) return;
  const header = new TextEncoder().encode(headerText(storage.codeVersion, rootUri));
  let headerRead = false;
  let buffer = new Uint8Array(READ_BUFFER_BYTES);
  let filled = 0;
  let start = 0;
  try {
    for (;;) {
      // The unfinished line moves to the front; the rest of the buffer takes the next bytes.
      if (start > 0) {
        buffer.copyWithin(0, start, filled);
        filled -= start;
        start = 0;
      }
      if (filled === buffer.length) {
        const bigger = new Uint8Array(buffer.length * 2);
        bigger.set(buffer);
        buffer = bigger;
      }
      const read = await reader.read(buffer.subarray(filled));
      if (read === 0) return;
      filled += read;
      const bytes = buffer.subarray(0, filled);
      for (let end = bytes.indexOf(NEWLINE, start); end >= 0; end = bytes.indexOf(NEWLINE, start)) {
        if (!headerRead) {
          if (!sameBytes(bytes.subarray(start, end), header)) return;
          headerRead = true;
        } else {
          const line = readLine(bytes, start, end, unverified);
          if (line) yield line;
        }
        start = end + 1;
      }
    }
  } catch {
    // An unreadable cache is no cache: what was not read is parsed.
  } finally {
    await reader.close().catch(() => undefined);
  }
}

/** The header line (without its break) of this format, codec, build and folder. */
function headerText(codeVersion: string, rootUri: string): string {
  const header: Header = { format: FORMAT, version: FORMAT_VERSION, codec: PARSED_NOTE_CODEC_VERSION, code: codeVersion, root: rootUri };
  return JSON.stringify(header);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * FNV-1a, 32 bits, of `bytes[start, end)`. Each step (xor a byte, multiply by an
 * odd number) is a bijection of the state, so a change to any one byte is always
 * detected, and other damage passes with odds of about 2^-32. About 600 MB/s in
 * Node 20: some 30 ms of a 10,000-note warm start (an 18 MB file), in the
 * second of its two reads only.
 */
function checksum(bytes: Uint8Array, start: number, end: number): number {
  let hash = 0x811c9dc5;
  for (let i = start; i < end; i++) hash = Math.imul(hash ^ bytes[i], 0x01000193);
  return hash >>> 0;
}

/** The 8 lowercase hex digits at `start`, or -1. */
function readChecksum(bytes: Uint8Array, start: number): number {
  let value = 0;
  for (let i = start; i < start + CHECKSUM_BYTES - 1; i++) {
    const code = bytes[i];
    const digit = code >= 48 && code <= 57 ? code - 48 : code >= 97 && code <= 102 ? code - 87 : -1;
    if (digit < 0) return -1;
    value = value * 16 + digit;
  }
  return value;
}

function readLine(bytes: Uint8Array, lineStart: number, end: number, unverified: boolean): CacheLine | undefined {
  // Nothing of a line is read before it verifies (unless the reader asked for stamps only).
  if (end - lineStart < CHECKSUM_BYTES || bytes[lineStart + CHECKSUM_BYTES - 1] !== TAB) return undefined;
  const start = lineStart + CHECKSUM_BYTES;
  if (!unverified && readChecksum(bytes, lineStart) !== checksum(bytes, start, end)) return undefined;
  const tab1 = bytes.indexOf(TAB, start);
  const tab2 = tab1 < 0 ? -1 : bytes.indexOf(TAB, tab1 + 1);
  const tab3 = tab2 < 0 ? -1 : bytes.indexOf(TAB, tab2 + 1);
  if (tab3 < 0 || tab3 >= end) return undefined;
  const size = readNumber(bytes, start, tab1);
  const mtimeMs = readNumber(bytes, tab1 + 1, tab2);
  let relativePath: unknown;
  try {
    relativePath = JSON.parse(decoder.decode(bytes.subarray(tab2 + 1, tab3)));
  } catch {
    return undefined;
  }
  if (typeof relativePath !== 'string' || !Number.isFinite(size) || !Number.isFinite(mtimeMs)) return undefined;
  return { relativePath, stamp: { size, mtimeMs }, bytes: bytes.subarray(lineStart, end + 1), encoded: () => decoder.decode(bytes.subarray(tab3 + 1, end)) };
}

function readNumber(bytes: Uint8Array, start: number, end: number): number {
  let text = '';
  for (let i = start; i < end; i++) text += String.fromCharCode(bytes[i]);
  return text === '' ? NaN : Number(text);
}

export function sameStamp(a: FileStamp | undefined, b: FileStamp | undefined): boolean {
  return !!a && !!b && a.size === b.size && a.mtimeMs === b.mtimeMs;
}

/** Flush to the file once this much is pending. */
const FLUSH_BYTES = 1024 * 1024;

/**
 * Writes the next cache file while indexing, a line per note as it is indexed,
 * in chunks; `commit` makes it the vault's cache.
 */
export class ParseCacheWriter {
  readonly #file: IParseCacheFile;
  readonly #encoder = new TextEncoder();
  #pending: Uint8Array[] = [];
  #pendingBytes = 0;
  #lines = 0;
  #failed = false;
  #writing: Promise<void> = Promise.resolve();

  private constructor(file: IParseCacheFile) {
    this.#file = file;
  }

  static async create(storage: IParseCacheStorage, rootUri: string): Promise<ParseCacheWriter> {
    const writer = new ParseCacheWriter(await storage.create(rootUri));
    writer.#push(writer.#encoder.encode(headerText(storage.codeVersion, rootUri) + '\n'));
    return writer;
  }

  get lines(): number {
    return this.#lines;
  }

  add(relativePath: string, stamp: FileStamp, encoded: string): void {
    this.#lines++;
    // Encoded with room for the checksum, which is then written in front.
    const line = this.#encoder.encode(`00000000\t${stamp.size}\t${stamp.mtimeMs}\t${JSON.stringify(relativePath)}\t${encoded}\n`);
    const hex = checksum(line, CHECKSUM_BYTES, line.length - 1).toString(16).padStart(8, '0');
    for (let i = 0; i < 8; i++) line[i] = hex.charCodeAt(i);
    this.#push(line);
  }

  /** A line of the previous file, still valid, as it was, checksum included (copied: the reader reuses its buffer). */
  addLine(line: Uint8Array): void {
    this.#lines++;
    this.#push(line.slice());
  }

  async commit(): Promise<void> {
    this.#flush();
    await this.#writing;
    if (this.#failed) {
      await this.#file.discard();
      throw new Error('writing the parse cache failed');
    }
    await this.#file.commit();
  }

  async discard(): Promise<void> {
    this.#pending = [];
    await this.#writing.catch(() => undefined);
    await this.#file.discard();
  }

  #push(chunk: Uint8Array): void {
    this.#pending.push(chunk);
    this.#pendingBytes += chunk.length;
    if (this.#pendingBytes >= FLUSH_BYTES) this.#flush();
  }

  /** Hands what is pending to the file, one write after another, without waiting here. */
  #flush(): void {
    if (this.#pending.length === 0) return;
    const chunk = concat(this.#pending, this.#pendingBytes);
    this.#pending = [];
    this.#pendingBytes = 0;
    this.#writing = this.#writing.then(() => (this.#failed ? undefined : this.#file.write(chunk))).catch(() => {
      this.#failed = true;
    });
  }
}

function concat(chunks: readonly Uint8Array[], length: number): Uint8Array {
  const result = new Uint8Array(length);
  let at = 0;
  for (const chunk of chunks) {
    result.set(chunk, at);
    at += chunk.length;
  }
  return result;
}
