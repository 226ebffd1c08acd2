import { backgroundTurn } from './cancellation';
import type { FileStamp, INoteSource, ParsedFile } from './noteSource';
import { ParseCacheWriter, readCacheLines, sameStamp, type IParseCacheStorage } from './parseCache';
import { createDecodeInterner, decodeParsedNote, encodeParsedNote } from './parsedNoteCodec';
import { parseNote } from './parser';
import type { ParsedNote } from './types';
import type { VaultFile, VaultIndex } from './vaultIndex';
import type { ICancellationToken, ILogger } from './workspace';

export interface BulkIndexOptions {
  readonly source: INoteSource;
  /** The parse cache; without one every note is parsed. */
  readonly storage?: IParseCacheStorage;
  /** The editor's text of a note that is open: it wins over the disk. */
  readonly openText: (uri: string) => string | undefined;
  readonly token: ICancellationToken;
  /** Called once per note indexed (or given up on), for progress. */
  readonly onIndexed: () => void;
  /** Where unreadable files are reported. */
  readonly problems: string[];
  readonly logger: ILogger;
}

/** Main-thread work between two yields to the event loop, so requests are answered while indexing. */
const SLICE_MS = 3;

/**
 * Indexes the notes of one vault in bulk: those unchanged since the last index
 * from the parse cache, the others through the note source (worker threads in
 * the language server), both at once. `indexedAlready` are notes parsed before
 * (the open notes and their link targets): they are not parsed again, and keep
 * their cache entries while these are still valid. The cache file is read twice,
 * in chunks (first which notes it holds unchanged, then their parses), and a new
 * one is written as notes are indexed, only when the old one is out of date.
 */
export async function indexNotes(vault: VaultIndex, notes: readonly VaultFile[], indexedAlready: readonly VaultFile[], options: BulkIndexOptions): Promise<void> {
  const { source, storage, token } = options;
  const stamped = storage ? [...indexedAlready, ...notes] : [];
  const stampList = stamped.length ? await source.stamps(vault.rootUri, stamped.map((file) => file.relativePath)) : [];
  const stamps = new Map<string, FileStamp | undefined>(stamped.map((file, index) => [file.relativePath, stampList[index]]));

  // What the cache holds that is still valid, by stamp: lines are verified by the second read,
  // which parses again a note whose line does not verify (see `again` below).
  let entries = 0;
  const valid = new Set<string>();
  if (storage) {
    for await (const line of readCacheLines(storage, vault.rootUri, true)) {
      entries++;
      if (sameStamp(line.stamp, stamps.get(line.relativePath))) valid.add(line.relativePath);
    }
  }
  const kept = new Set(indexedAlready.filter((file) => valid.has(file.relativePath)).map((file) => file.relativePath));
  const hits = new Map<string, VaultFile>();
  const misses: VaultFile[] = [];
  for (const file of notes) {
    if (valid.has(file.relativePath)) hits.set(file.relativePath, file);
    else misses.push(file);
  }
  // Notes indexed already but missing from the cache are parsed from disk once more, only
  // for the cache: otherwise whether a note is in the cache would depend on whether the
  // editor opened it before the index started, and the next start would write it all again.
  const uncached = storage ? indexedAlready.filter((file) => !valid.has(file.relativePath) && stamps.get(file.relativePath)) : [];
  let writer = storage && (misses.length > 0 || uncached.length > 0 || kept.size + hits.size < entries) ? await createWriter(storage, vault.rootUri, options.logger) : undefined;
  const cacheOnly = new Map(writer ? uncached.map((file) => [file.uri, file]) : []);

  const interner = createDecodeInterner();
  const byUri = new Map(misses.map((file) => [file.uri, file]));
  const undecodable: VaultFile[] = [];
  const index = (file: VaultFile, parsed: ParsedNote) => {
    const open = options.openText(file.uri);
    vault.indexNote(file.relativePath, open === undefined ? parsed : parseNote(open));
    options.onIndexed();
  };
  const onParsed = (result: ParsedFile) => {
    const file = byUri.get(result.uri);
    if (!file) {
      const forCache = cacheOnly.get(result.uri);
      const stamp = forCache && stamps.get(forCache.relativePath);
      const encoded = forCache && stamp && !('error' in result) ? ('encoded' in result ? result.encoded : encodeParsedNote(result.parsed)) : undefined;
      if (encoded !== undefined) writer?.add(forCache!.relativePath, stamp!, encoded);
      return;
    }
    if ('error' in result) {
      // A file that vanished between the listing and the read is simply not indexed.
      options.problems.push(`${result.uri}: ${result.error}`);
      vault.removeFile(file.relativePath);
      options.onIndexed();
      return;
    }
    let parsed: ParsedNote;
    try {
      parsed = 'parsed' in result ? result.parsed : decodeParsedNote(result.encoded, interner);
    } catch {
      // A parse the other thread encoded but this one cannot read back: parse it again below.
      undecodable.push(file);
      return;
    }
    index(file, parsed);
    const stamp = stamps.get(file.relativePath);
    const encoded = writer && stamp ? ('encoded' in result ? result.encoded : encodeParsedNote(parsed)) : undefined;
    if (encoded !== undefined) writer!.add(file.relativePath, stamp!, encoded);
  };
  // The source works (in other threads) while this thread decodes the cache hits.
  const parsing = source.parseFiles([...byUri.keys(), ...cacheOnly.keys()], onParsed, token);

  let verifiedRead = false;
  if (storage && (hits.size || (writer && kept.size))) {
    let sliceStart = Date.now();
    for await (const line of readCacheLines(storage, vault.rootUri)) {
      if (token.isCancellationRequested) break;
      // Checked again: another window may have rewritten the file since the first read.
      if (!sameStamp(line.stamp, stamps.get(line.relativePath))) continue;
      const file = hits.get(line.relativePath);
      if (file) {
        hits.delete(line.relativePath);
        // A line that verifies but does not decode into a parse of a file this size is parsed again, never indexed.
        let parsed: ParsedNote | undefined;
        try {
          parsed = decodeParsedNote(line.encoded(), interner, line.stamp.size);
        } catch {
          undecodable.push(file);
        }
        if (parsed) {
          index(file, parsed);
          writer?.addLine(line.bytes);
        }
      } else if (kept.delete(line.relativePath)) {
        writer?.addLine(line.bytes);
      }
      if (Date.now() - sliceStart > SLICE_MS) {
        await backgroundTurn();
        sliceStart = Date.now();
      }
    }
    verifiedRead = !token.isCancellationRequested;
  }
  await parsing;
  // Hits the second read did not find, and parses that could not be decoded: read and parse them once more.
  const again = [...hits.values(), ...undecodable.splice(0)];
  // Notes indexed already whose lines the second read did not verify: parsed once more for the cache, as `uncached` are.
  const unverified = verifiedRead ? indexedAlready.filter((file) => kept.has(file.relativePath)) : [];
  if ((again.length || unverified.length) && !token.isCancellationRequested) {
    // The cache file is wrong about these (damaged, rewritten by another window, or a line verified but did not
    // decode): it is written again, or the next start would find the same.
    if (storage && !writer) {
      writer = await createWriter(storage, vault.rootUri, options.logger);
      if (writer) await carryLines(storage, vault.rootUri, writer, valid, new Set([...again, ...unverified].map((file) => file.relativePath)), stamps, token);
    }
    for (const file of again) byUri.set(file.uri, file);
    if (writer) for (const file of unverified) cacheOnly.set(file.uri, file);
    await source.parseFiles([...again, ...(writer ? unverified : [])].map((file) => file.uri), onParsed, token);
    // Not decoded the second time either (a fault of the source): indexed by name alone, so indexing still ends with every note.
    for (const file of undecodable) {
      options.problems.push(`${file.uri}: its parse could not be decoded`);
      if (!token.isCancellationRequested) index(file, UNDECODED_NOTE);
    }
  }

  if (!writer) return;
  try {
    if (token.isCancellationRequested) await writer.discard();
    else await writer.commit();
  } catch (error) {
    options.logger.log(`Could not save the parse cache: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** What stands for a note whose parse could not be read back, even when parsed again. */
const UNDECODED_NOTE: ParsedNote = {
  frontMatter: undefined,
  headings: [],
  links: [],
  blocks: [],
  tags: [],
  lineCount: 1,
  proseText: '',
  skippedReason: 'Vaultlink parsed this note but could not read the parse back; its links and headings are not indexed. Reopening the folder parses it again.',
};

/** Carries the cache's lines that are still valid, each once, into `writer`: those of `valid`, not `except`. */
async function carryLines(storage: IParseCacheStorage, rootUri: string, writer: ParseCacheWriter, valid: ReadonlySet<string>, except: ReadonlySet<string>, stamps: ReadonlyMap<string, FileStamp | undefined>, token: ICancellationToken): Promise<void> {
  const carried = new Set<string>();
  for await (const line of readCacheLines(storage, rootUri)) {
    if (token.isCancellationRequested) return;
    const path = line.relativePath;
    if (carried.has(path) || except.has(path) || !valid.has(path) || !sameStamp(line.stamp, stamps.get(path))) continue;
    carried.add(path);
    writer.addLine(line.bytes);
  }
}

async function createWriter(storage: IParseCacheStorage, rootUri: string, logger: ILogger): Promise<ParseCacheWriter | undefined> {
  try {
    return await ParseCacheWriter.create(storage, rootUri);
  } catch (error) {
    logger.log(`Could not write the parse cache: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}
