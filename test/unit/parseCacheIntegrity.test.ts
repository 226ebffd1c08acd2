import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import type { FileStamp, INoteSource, ParsedFile } from '../../server/src/core/noteSource';
import { ParseCacheWriter, readCacheLines } from '../../server/src/core/parseCache';
import { decodeParsedNote, encodeParsedNote } from '../../server/src/core/parsedNoteCodec';
import { parseNote } from '../../server/src/core/parser';
import type { ICancellationToken } from '../../server/src/core/workspace';
import { createVaultService } from '../../server/src/index';
import { FileParseCacheStorage } from '../../server/src/node/fileParseCacheStorage';
import { InMemoryFileSystem } from '../kit/inMemoryFileSystem';
import { MemoryStorage, StampedSource } from '../kit/parseCache';
import { seedFiles } from '../kit/vault';

/**
 * A parse cache is never trusted: whatever happened to its bytes (a flipped
 * bit, digits changed by hand, a file cut short, values no parse can have),
 * indexing from it gives exactly the index a fresh parse gives, and never
 * throws. Issue 11, item 4.
 */

const visible = (value: unknown) => JSON.parse(JSON.stringify(value));

const files: Record<string, string> = {
  'a.md': '---\ntitle: A\naliases: [Alpha]\ntags: [x]\n---\n# A\n## Part one\n[[b#Part]] [[missing]] [[b#Nope]] #tag ^blk\n![[pic.png|300x200]] [[sub/c#^blk]] [[a#^gone]]\n%% [[commented]] %%\n',
  'b.md': '# B\n## Part\n[text](a.md#A) [bad](nowhere.md) ![[pic.png|40]]\n',
  'sub/c.md': '[[a]] ![[pic.png]] [[Alpha]] [[a#Part one]]\n- item ^blk\n',
  'd.md': '---\nbroken: [\n---\n[[a#Part one]] [[b#^none]] 한국어 😀 [[sub/c]]\n',
  'pic.png': '',
};
const notePaths = Object.keys(files).filter((path) => path.endsWith('.md'));

interface Snapshot {
  readonly stats: unknown;
  readonly notes: unknown;
  readonly diagnostics: unknown;
  readonly progress: string;
}

/** Indexes `fs` with `storage` (its current file) and takes everything a reader of the index can see. */
async function snapshot(fs: InMemoryFileSystem, storage: MemoryStorage | undefined, source: INoteSource = new StampedSource(fs)): Promise<Snapshot> {
  const service = createVaultService({ fileSystem: fs, noteSource: source, parseCache: storage });
  service.setRoots([fs.rootUri]);
  let progress = '';
  const stats = await service.indexAll((done, total) => (progress = `${done}/${total}`));
  const vault = service.vaults[0];
  return {
    stats: { notes: stats.notes, attachments: stats.attachments, problems: stats.problems.length },
    notes: notePaths.map((path) => [path, visible(vault.note(path)?.parsed)]),
    diagnostics: notePaths.map((path) => [path, visible(service.getDiagnostics(fs.uri(path)))]),
    progress,
  };
}

describe('the parse codec refuses only what no parse has', function () {
  this.timeout(60_000);
  // The decoder's checks hold for every parse, or a note would be parsed at every start (and a worker's parse lost).
  const pieces = ['---', '\n', '\r\n', '\r', 'a: 1', 'title: x', '[[', ']]', '#', '# H', '^id', '|', '![[', '(', ')', '[', ']', '`', '```', '%%', '$$', '$', '<!--', '-->', ' ', 'x', 'é', '😀', '#tag', '\t', '---\n', 'aliases: [a, b]', '> ', '- ', '[t](u.md#H)', '<https://a>', 'tags:\n  - a', ': [', '\u00a0', '\ufeff', '|300x20', '\udc00', '==', '\n\n', '===\n', 'Day 1\n', '## 10:00 Talk\n'];
  const utf8Length = (text: string) => new TextEncoder().encode(text).length;

  it('accepts the parse of every seed note and of 5,000 generated ones, bounded by their size in bytes', () => {
    let seed = 11;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const texts = [...Object.values(seedFiles()), '', '\n', '---\na: 1\n---', '---\n---', '# H', 'x ^id', '^id'];
    for (let i = 0; i < 5000; i++) texts.push(Array.from({ length: 1 + random(30) }, () => pieces[random(pieces.length)]).join(''));
    for (const text of texts) {
      for (const keepProse of [false, true]) {
        const parsed = parseNote(text, { keepProse });
        const encoded = encodeParsedNote(parsed);
        if (encoded === undefined) continue;
        let decoded: unknown;
        try {
          decoded = decodeParsedNote(encoded, undefined, utf8Length(text));
        } catch (error) {
          assert.fail(`${JSON.stringify(text)}${keepProse ? ' (prose kept)' : ''}: ${String(error)}`);
        }
        assert.deepEqual(visible(decoded), visible(parsed));
      }
    }
  });
});

describe('the parse cache, damaged', function () {
  this.timeout(120_000);
  let fs: InMemoryFileSystem;
  let fresh: Snapshot;
  let good: Uint8Array;

  before(async () => {
    fs = new InMemoryFileSystem(files);
    fresh = await snapshot(fs, undefined);
    const storage = new MemoryStorage();
    assert.deepEqual(await snapshot(fs, storage), fresh);
    good = new Uint8Array(storage.files.get(fs.rootUri)!);
    // The fixture holds what the cache must carry: front matter (good and broken), every link form.
    assert.deepEqual(fresh.progress, '5/5');
    assert.ok(good.length > 1000, `a cache of ${good.length} bytes`);
  });

  /**
   * Indexes from `bytes` as the cache file: the index must be the fresh one, and
   * (with `nextStart`) so must the next start's, from the file this one wrote,
   * with nothing parsed: the damage is not kept.
   */
  async function assertTrueIndexFrom(bytes: Uint8Array, what: string, nextStart = true): Promise<{ parsed: number }> {
    const storage = new MemoryStorage();
    storage.files.set(fs.rootUri, bytes);
    const source = new StampedSource(fs);
    let damaged: Snapshot;
    try {
      damaged = await snapshot(fs, storage, source);
    } catch (error) {
      assert.fail(`${what}: indexing threw ${error instanceof Error ? error.stack : String(error)}`);
    }
    assert.deepEqual(damaged, fresh, `${what}: the index differs from a fresh one`);
    if (!nextStart) return { parsed: source.parsed.length };
    const next = new StampedSource(fs);
    assert.deepEqual(await snapshot(fs, storage, next), fresh, `${what}: the next start differs from a fresh index`);
    assert.deepEqual(next.parsed, [], `${what}: the next start parses again (the damage was kept)`);
    return { parsed: source.parsed.length };
  }

  it('never reads a line with a bit flipped, in every byte', async () => {
    const text = new TextDecoder().decode(good);
    const lines: Array<{ text: string; start: number; end: number }> = [];
    for (let start = 0, end = text.indexOf('\n'); end >= 0; start = end + 1, end = text.indexOf('\n', start)) lines.push({ text: text.slice(start, end + 1), start, end });
    assert.equal(lines.at(-1)!.end, good.length - 1);
    const storage = new MemoryStorage();
    let flips = 0;
    for (let i = 0; i < good.length; i++) {
      // The line holding the byte is lost, and the next one too when the byte is the break between them.
      const hit = lines.findIndex((line) => line.start <= i && i <= line.end);
      const expected = hit === 0 ? [] : lines.filter((_, index) => index !== 0 && index !== hit && !(good[i] === 0x0a && index === hit + 1)).map((line) => line.text);
      // Two bits of each byte, all eight in turn (each read allocates the reader's 1 MB buffer: all eight would take seconds).
      for (const bit of [i % 8, (i + 4) % 8]) {
        const bytes = new Uint8Array(good);
        bytes[i] ^= 1 << bit;
        storage.files.set(fs.rootUri, bytes);
        const read: string[] = [];
        for await (const line of readCacheLines(storage, fs.rootUri)) read.push(new TextDecoder().decode(line.bytes));
        assert.deepEqual(read, expected, `bit ${bit} of byte ${i} flipped`);
        flips++;
      }
    }
    assert.equal(flips, good.length * 2);
  });

  it('indexes as a fresh index would from a file with a bit flipped, a sample of every kind of byte', async () => {
    let reparsed = 0;
    let flips = 0;
    for (let i = 0; i < good.length; i += 5) {
      const bytes = new Uint8Array(good);
      bytes[i] ^= 1 << i % 8;
      const { parsed } = await assertTrueIndexFrom(bytes, `bit ${i % 8} of byte ${i} (${JSON.stringify(String.fromCharCode(good[i]))}) flipped`, i % 4 === 0);
      flips++;
      if (parsed > 0) reparsed++;
    }
    // Every flip is noticed: each costs at least the note of its line a parse.
    assert.equal(reparsed, flips);
  });

  it('discards every line with a byte replaced, by a sample of values', async () => {
    const values = [0, 0x09, 0x0a, 0x20, 0x22, 0x2c, 0x30, 0x39, 0x5b, 0x5d, 0x7e, 0x80, 0xff];
    for (let i = 0; i < good.length; i += 5) {
      const value = values[i % values.length];
      if (good[i] === value) continue;
      const bytes = new Uint8Array(good);
      bytes[i] = value;
      await assertTrueIndexFrom(bytes, `byte ${i} replaced by ${value}`, i % 4 === 0);
    }
  });

  it('discards every line with a digit changed (a cache edited by hand)', async () => {
    let digits = 0;
    for (let i = 0; i < good.length; i++) {
      if (good[i] < 0x30 || good[i] > 0x39) continue;
      digits++;
      const bytes = new Uint8Array(good);
      bytes[i] = 0x30 + ((good[i] - 0x30 + (digits % 9) + 1) % 10);
      await assertTrueIndexFrom(bytes, `digit ${i} (${String.fromCharCode(good[i])}) changed to ${String.fromCharCode(bytes[i])}`, digits % 4 === 0);
    }
    // Stamps, front matter and text hold digits; the runs of numbers are written in letters and signs, which the byte tests above change.
    assert.ok(digits > 50, `${digits} digits`);
  });

  it('uses what a truncated file holds, at any length', async () => {
    // Every length around each line break, a sample between them.
    const breaks = good.reduce<number[]>((found, byte, at) => (byte === 0x0a ? [...found, at] : found), []);
    const lengths = new Set<number>();
    for (let length = 0; length < good.length; length += 7) lengths.add(length);
    for (const at of breaks) for (let length = at - 2; length <= at + 2; length++) if (length >= 0 && length < good.length) lengths.add(length);
    for (const length of lengths) await assertTrueIndexFrom(good.slice(0, length), `cut at ${length} of ${good.length} bytes`, length % 3 === 0);
  });

  it('discards two lines swapped or a line repeated only where the result is wrong', async () => {
    const text = new TextDecoder().decode(good);
    const lines = text.split('\n');
    const swapped = [lines[0], lines[2], lines[1], ...lines.slice(3)].join('\n');
    const repeated = [lines[0], lines[1], lines[1], ...lines.slice(2)].join('\n');
    const glued = [lines[0], lines[1] + lines[2], ...lines.slice(3)].join('\n');
    for (const [what, changed] of [
      ['swapped', swapped],
      ['repeated', repeated],
      ['glued', glued],
    ]) {
      await assertTrueIndexFrom(new TextEncoder().encode(changed), `lines ${what}`);
    }
  });

  it('re-parses a note whose line verifies but holds values no parse can have', async () => {
    // Lines written through the writer, so their checksums are right: only the decoder can refuse them.
    const stampOf = (path: string): FileStamp => ({ size: new TextEncoder().encode(files[path]).length, mtimeMs: 1 });
    // No field holds these (1e400 is Infinity in JSON).
    const impossible: unknown[] = [-1, 2.5, INFINITY, '1', null, [], {}];
    let cases = 0;
    for (const path of notePaths) {
      const encoded = JSON.parse(encodeParsedNote(parseNote(files[path]))!) as unknown[];
      assert.equal(encoded[0], 'c', `${path} is encoded compactly`);
      const variants: Array<[string, unknown[]]> = [];
      // The compact form: 5 the item counts, 6 every position plus one, 7 the items' other fields (see parsedNoteCodec.ts).
      const [linkCount, headingCount, blockCount, tagCount] = encoded[5] as number[];
      const positions = readRunText(encoded[6] as string).map((value) => value - 1);
      const fields = readRunText(encoded[7] as string);
      assert.equal(positions.length, linkCount * 9 + headingCount * 4 + (blockCount + tagCount) * 3, `${path}: the positions the counts say`);
      const withPositions = (changed: number[]) => replaced(encoded, 6, writeRunText(changed.map((value) => value + 1)));
      const withFields = (changed: number[]) => replaced(encoded, 7, writeRunText(changed));
      for (let at = 0; at < positions.length; at++) {
        // 1e9 is beyond the note as a line or a column; -1 is "no subpath", and nothing else.
        variants.push([`position ${at} = 1e9`, withPositions(replaced(positions, at, 1e9) as number[])]);
        if (positions[at] !== -1) variants.push([`position ${at} = -1`, withPositions(replaced(positions, at, -1) as number[])]);
      }
      // 1e9 is beyond the string table, a flag, a heading level or a line: so is every field but an image's width
      // or height, which only links have, after their flags, target and path: those of the first link, and
      // everything after the links (each heading's, block's and tag's fields).
      const tail = headingCount * 3 + blockCount * 2 + tagCount;
      for (let at = 0; at < fields.length; at++) {
        if ((linkCount > 0 && at < 3) || at >= fields.length - tail) variants.push([`field ${at} = 1e9`, withFields(replaced(fields, at, 1e9) as number[])]);
      }
      if (positions.length) variants.push(['a position short', withPositions(positions.slice(0, -1))], ['a position more', withPositions([...positions, 0])]);
      if (fields.length) variants.push(['a field short', withFields(fields.slice(0, -1))]);
      variants.push(['a field more', withFields([...fields, 0])]);
      for (let at = 0; at < 4; at++) {
        const counts = encoded[5] as number[];
        variants.push([`count ${at} + 1`, replaced(encoded, 5, replaced(counts, at, counts[at] + 1))]);
        if (counts[at] > 0) variants.push([`count ${at} - 1`, replaced(encoded, 5, replaced(counts, at, counts[at] - 1))]);
      }
      // Runs no writer writes: a number cut short, one of 2^31, a character outside both ranges.
      for (const field of [6, 7]) {
        const run = encoded[field] as string;
        variants.push([`run ${field} cut short`, replaced(encoded, field, `${run}#`)], [`run ${field} with 2^31`, replaced(encoded, field, `${writeRunText([2 ** 31])}${run}`)], [`run ${field} with a space`, replaced(encoded, field, ` ${run}`)]);
      }
      const strings = encoded[4] as unknown[];
      for (let at = 0; at < strings.length; at++) variants.push([`string ${at} = 7`, replaced(encoded, 4, replaced(strings, at, 7))]);
      // Each top-level field, with what it can never hold (null is no front matter, {} no extra fields, any string a reason to skip or prose: possible).
      for (let field = 1; field < encoded.length; field++) {
        for (const value of [...impossible, 1e9, 'x']) {
          const possible =
            (value === null && [2, 3, 8].includes(field)) ||
            (typeof value === 'object' && value !== null && !Array.isArray(value) && field === 8) ||
            (typeof value === 'string' && value !== INFINITY && (field === 2 || field === 9));
          if (!possible) variants.push([`field ${field} = ${JSON.stringify(value)}`, replaced(encoded, field, value)]);
        }
      }
      variants.push(['not compact', ['x', ...encoded.slice(1)]]);
      variants.push(['generic, wrong shape', ['g', { links: 'x' }]]);
      variants.push(['generic, a heading beyond the note', ['g', { ...visible(parseNote(files[path])), headings: [{ level: 1, text: 'x', matchKey: 'x', range: '~99,0,1', textRange: '~99,0,1' }] }]]);
      variants.push(['generic, a link ending before it starts', ['g', { ...visible(parseNote(files[path])), links: [{ ...visible(parseNote(files[path]).links[0]), range: '~0,5,2' }] }]]);
      for (const [what, value] of variants) {
        const encodedText = withInfinity(JSON.stringify(value));
        // The decoder refuses each; one in ten goes through a whole index, which must parse the note again.
        assert.throws(() => decodeParsedNote(encodedText, undefined, stampOf(path).size), `${path}, ${what}: decoded`);
        if (cases++ % 10 !== 0) continue;
        const storage = new MemoryStorage();
        const writer = await ParseCacheWriter.create(storage, fs.rootUri);
        for (const other of notePaths) writer.add(other, stampOf(other), other === path ? encodedText : encodeParsedNote(parseNote(files[other]))!);
        await writer.commit();
        const source = new StampedSource(fs);
        let result: Snapshot;
        try {
          result = await snapshot(fs, storage, source);
        } catch (error) {
          assert.fail(`${path}, ${what}: indexing threw ${error instanceof Error ? error.stack : String(error)}`);
        }
        assert.deepEqual(result, fresh, `${path}, ${what}: the index differs from a fresh one`);
        assert.deepEqual(source.parsed, [path], `${path}, ${what}: decoded, not parsed again`);
      }
    }
    assert.ok(cases > 700, `${cases} cases`);
  });

  it('ignores a cache of the previous format, lines without checksums', async () => {
    // Version 2: `size TAB mtime TAB "path" TAB parse`, every value right.
    const lines = [JSON.stringify({ format: 'vaultlink-parse-cache', version: 2, codec: 3, code: 'build-1', root: fs.rootUri })];
    for (const path of notePaths) lines.push(`${new TextEncoder().encode(files[path]).length}\t1\t${JSON.stringify(path)}\t${encodeParsedNote(parseNote(files[path]))}`);
    const { parsed } = await assertTrueIndexFrom(new TextEncoder().encode(lines.join('\n') + '\n'), 'a version 2 file');
    assert.equal(parsed, notePaths.length, 'every note parsed');
  });

  it('indexes a note whose parse its source hands over undecodable, twice, and says so', async () => {
    // The source's encoded parse of b.md never decodes: it is asked once more, then b.md is indexed by name.
    const inner = new StampedSource(fs);
    let asked = 0;
    const source: INoteSource = {
      stamps: (rootUri, paths) => inner.stamps(rootUri, paths),
      parseFiles: (uris: readonly string[], onParsed: (file: ParsedFile) => void, token: ICancellationToken) =>
        inner.parseFiles(
          uris,
          (file) => {
            if (file.uri !== fs.uri('b.md')) return onParsed(file);
            asked++;
            onParsed({ uri: file.uri, encoded: '["c",1,null,null,[],[-5],[],[],[],null,""]' });
          },
          token,
        ),
    };
    const service = createVaultService({ fileSystem: fs, noteSource: source });
    service.setRoots([fs.rootUri]);
    let progress = '';
    const stats = await service.indexAll((done, total) => (progress = `${done}/${total}`));
    assert.equal(asked, 2);
    assert.equal(progress, '5/5', 'every note counted as indexed');
    assert.equal(stats.notes, 4);
    const b = service.vaults[0].note('b.md');
    assert.ok(b, 'b.md is indexed');
    assert.deepEqual(b.parsed.links, []);
    assert.match(b.parsed.skippedReason ?? '', /could not read the parse back/);
    assert.ok(stats.problems.some((problem) => problem.includes('b.md')));
    // Links to it still find a note (a.md links b.md twice); only its headings are unknown.
    const missingNotes = (diagnostics: unknown) => (diagnostics as Array<{ code: string }>).filter((d) => d.code === 'link.missing-note');
    const freshA = (fresh.diagnostics as Array<[string, unknown]>).find(([path]) => path === 'a.md')![1];
    assert.deepEqual(visible(missingNotes(service.getDiagnostics(fs.uri('a.md')))), missingNotes(freshA));
  });
});

/** Stands for 1e400 (Infinity once parsed), which JSON.stringify would write as null. */
const INFINITY = '<infinity>';
const withInfinity = (json: string) => json.replaceAll(JSON.stringify(INFINITY), '1e400');

/**
 * A run of the compact form as numbers, and numbers as a run: each number in
 * groups of five bits, lowest first, a group with more to come written as a
 * character from 35 on, the last from 93 on (parsedNoteCodec.ts, RunWriter).
 */
function readRunText(text: string): number[] {
  const numbers: number[] = [];
  let value = 0;
  let scale = 1;
  for (const char of text) {
    const code = char.charCodeAt(0);
    if (code >= 93) {
      numbers.push(value + (code - 93) * scale);
      value = 0;
      scale = 1;
    } else {
      value += (code - 35) * scale;
      scale *= 32;
    }
  }
  return numbers;
}

function writeRunText(numbers: readonly number[]): string {
  let text = '';
  for (const number of numbers) {
    let rest = number;
    for (; rest >= 32; rest = Math.floor(rest / 32)) text += String.fromCharCode(35 + (rest % 32));
    text += String.fromCharCode(93 + rest);
  }
  return text;
}

function replaced(list: readonly unknown[], at: number, value: unknown): unknown[] {
  const copy = [...list];
  copy[at] = value;
  return copy;
}

describe('the parse cache folder after a crash', function () {
  this.timeout(60_000);
  let root: string;
  let cacheFolder: string;
  let vaultUri: string;
  const children: ChildProcess[] = [];

  beforeEach(async () => {
    root = await fsp.mkdtemp(path.join(os.tmpdir(), 'vaultlink-tmp-'));
    cacheFolder = path.join(root, 'cache');
    await fsp.mkdir(path.join(root, 'vault'));
    vaultUri = URI.file(path.join(root, 'vault')).toString();
  });

  afterEach(async () => {
    for (const child of children.splice(0)) child.kill('SIGKILL');
    await fsp.rm(root, { recursive: true, force: true });
  });

  const temporaries = async () => (await fsp.readdir(cacheFolder)).filter((name) => name.endsWith('.tmp')).sort();

  /** Another process (another window) that starts writing this vault's cache, 5 MB of it, and stays. */
  async function writerProcess(): Promise<ChildProcess> {
    const module = path.resolve(__dirname, '../../server/src/node/fileParseCacheStorage.ts');
    const code = `
      const { FileParseCacheStorage } = require(${JSON.stringify(module)});
      (async () => {
        const file = await new FileParseCacheStorage(${JSON.stringify(cacheFolder)}, 'build-1').create(${JSON.stringify(vaultUri)});
        await file.write(new Uint8Array(5 * 1024 * 1024));
        process.stdout.write('written\\n');
        setInterval(() => undefined, 1000);
      })();`;
    const child = spawn(process.execPath, ['--require', 'tsx/cjs', '-e', code], { cwd: path.resolve(__dirname, '../..'), stdio: ['ignore', 'pipe', 'inherit'] });
    children.push(child);
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (data: Buffer) => data.toString().includes('written') && resolve());
      child.on('exit', (code) => reject(new Error(`the writer exited (${code})`)));
    });
    return child;
  }

  it('removes the temporary file a killed writer left, at the next start, and never one a live window is writing', async () => {
    const other = await writerProcess();
    const [left] = await temporaries();
    assert.match(left, new RegExp(`\\.${other.pid}\\.\\d+\\.tmp$`));
    assert.equal((await fsp.stat(path.join(cacheFolder, left))).size, 5 * 1024 * 1024);

    // A second window on the vault starts while the first writes: the first one's file stays.
    assert.equal(await new FileParseCacheStorage(cacheFolder, 'build-1').open(vaultUri), undefined);
    assert.deepEqual(await temporaries(), [left]);

    other.kill('SIGKILL');
    await new Promise((resolve) => other.once('exit', resolve));
    assert.deepEqual(await temporaries(), [left], 'kill -9 leaves it');

    // The next start (it only reads: nothing changed) removes it.
    assert.equal(await new FileParseCacheStorage(cacheFolder, 'build-1').open(vaultUri), undefined);
    assert.deepEqual(await temporaries(), []);
  });

  it('keeps what this process writes, and judges other leftovers by their writer and age', async () => {
    const writer = new FileParseCacheStorage(cacheFolder, 'build-1');
    const file = await writer.create(vaultUri);
    await file.write(new TextEncoder().encode('header\n'));
    const [mine] = await temporaries();
    const other = await writerProcess();
    const hour = 60 * 60 * 1000;
    const leftovers = {
      // An earlier process with this process's id.
      ownId: `0123.cache.${process.pid}.1.tmp`,
      // A live process's file nobody wrote for two hours: its id was reused.
      idle: `4567.cache.${other.pid}.2.tmp`,
      // Not named by a writer: judged by age alone.
      unnamedOld: 'something.tmp',
      unnamedNew: 'other.tmp',
    };
    for (const name of Object.values(leftovers)) await fsp.writeFile(path.join(cacheFolder, name), 'x');
    const twoHoursAgo = new Date(Date.now() - 2 * hour);
    for (const name of [leftovers.idle, leftovers.unnamedOld]) await fsp.utimes(path.join(cacheFolder, name), twoHoursAgo, twoHoursAgo);
    const [otherWriting] = (await temporaries()).filter((name) => name.includes(`.${other.pid}.`) && name !== leftovers.idle);

    await new FileParseCacheStorage(cacheFolder, 'build-1').open(vaultUri);
    assert.deepEqual(await temporaries(), [mine, otherWriting, leftovers.unnamedNew].sort());

    // The writer of this process commits as if nothing happened.
    await file.commit();
    assert.deepEqual(await temporaries(), [otherWriting, leftovers.unnamedNew].sort());
    assert.equal(await fsp.readFile(path.join(cacheFolder, mine.replace(/\.\d+\.\d+\.tmp$/, '')), 'utf8'), 'header\n');
  });
});
