import * as assert from 'node:assert/strict';
import type { IParseCacheStorage } from '../../server/src/core/parseCache';
import { decodeParsedNote, encodeParsedNote } from '../../server/src/core/parsedNoteCodec';
import { parseNote } from '../../server/src/core/parser';
import { createVaultService, type VaultService } from '../../server/src/index';
import { InMemoryFileSystem } from '../kit/inMemoryFileSystem';
import { MemoryStorage, StampedSource } from '../kit/parseCache';
import { seedFiles } from '../kit/vault';

/** Undefined-valued keys are absent after JSON; compare what a reader of the parse can see. */
const visible = (value: unknown) => JSON.parse(JSON.stringify(value));

describe('the parse codec', () => {
  const fixtures: Record<string, string> = {
    ...seedFiles(),
    'tricky.md': [
      '---',
      'title: "~tilde title"',
      'aliases: [one, "~two"]',
      '__proto__: {polluted: true}',
      'nested: {a: [1, 2.5, null, true], b: "~x"}',
      '---',
      '# Heading with [[link]] ^not-a-block',
      'Text [[Note#A#B|shown]] ![[pic.png|300x200]] ![[pic.png|300]] [[#^blk]] [md](other.md#Some%20Heading) ![img](a b.png) <https://x.y>',
      '- item ^blk-1',
      '#tag #nested/tag [[Über Note]] [[한국어 노트#머리글]]',
      '```',
      '[[not a link]]',
      '```',
      '',
    ].join('\n'),
    'empty.md': '',
    'crlf.md': '# A\r\n\r\n[[B]]\r\n',
  };

  for (const [name, text] of Object.entries(fixtures)) {
    it(`round-trips ${name}`, () => {
      const parsed = parseNote(text);
      const encoded = encodeParsedNote(parsed);
      assert.ok(encoded !== undefined);
      assert.deepEqual(visible(decodeParsedNote(encoded)), visible(parsed));
    });
  }

  it('round-trips positions and sizes of any size the compact form carries, and sends larger sizes through the generic form', () => {
    // Columns past 32, 1,024 and 2^20 take two, three and five characters of a run; a line past 1,000 too.
    const long = `${'x'.repeat(40)} [[A#B|c]] ${'y'.repeat(1100)} ![[p.png|2000x1048577]] ${'z'.repeat(1_100_000)} [[D#^e]] #tag`;
    const text = `${'\n'.repeat(1500)}# H\n${long}\nend ^blk`;
    const parsed = parseNote(text);
    const encoded = encodeParsedNote(parsed)!;
    assert.equal((JSON.parse(encoded) as unknown[])[0], 'c', 'compact');
    const decoded = decodeParsedNote(encoded);
    assert.deepEqual(visible(decoded), visible(parsed));
    assert.equal(decoded.links.at(-1)!.range.start.character, long.indexOf('[[D'));
    assert.deepEqual(decoded.links[1].size, { width: 2000, height: 1048577 });
    // A width no Int32 holds cannot be compact: the note is still cached, in the generic form.
    const wide = parseNote('![[p.png|99999999999]]');
    const wideEncoded = encodeParsedNote(wide)!;
    assert.equal((JSON.parse(wideEncoded) as unknown[])[0], 'g');
    assert.deepEqual(visible(decodeParsedNote(wideEncoded)), visible(wide));
  });

  it('round-trips a note whose last column or line is at the edge of two bytes a number, either side', () => {
    // A decoded note keeps its numbers one above each, in two bytes while all fit: 65,534 is the last that does.
    for (const column of [65_532, 65_533, 65_534, 65_535, 65_536]) {
      const text = `${'x'.repeat(column - 2)} [[A#B]] [[C]]`;
      const parsed = parseNote(text);
      const decoded = decodeParsedNote(encodeParsedNote(parsed)!);
      assert.deepEqual(visible(decoded), visible(parsed), `a link at column ${column - 1}`);
      assert.equal(decoded.links[1].subpathRange, undefined, 'a link without a subpath still has none');
    }
    for (const lines of [65_533, 65_534, 65_535, 65_536]) {
      const parsed = parseNote(`${'\n'.repeat(lines)}# H [[A]]`);
      const decoded = decodeParsedNote(encodeParsedNote(parsed)!);
      assert.equal(decoded.links[0].range.start.line, lines);
      assert.equal(decoded.headings[0].range.start.line, lines);
    }
  });

  it('keeps a front-matter key named __proto__ a plain key', () => {
    const decoded = decodeParsedNote(encodeParsedNote(parseNote(fixtures['tricky.md']))!);
    const data = decoded.frontMatter!.data as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(data), Object.prototype);
    assert.deepEqual(Object.getOwnPropertyDescriptor(data, '__proto__')?.value, { polluted: true });
  });

  it('encodes a note whose link runs past its line once normalized (the generic form), and reads it back', () => {
    // U+0958 becomes two characters under NFC: the path's range ends on the next line.
    const parsed = parseNote('# H\n[[\u0958\u0958\u0958]]\nnext #tag ^id');
    assert.equal(parsed.links[0].pathRange.end.line, 2);
    const encoded = encodeParsedNote(parsed);
    assert.ok(encoded !== undefined, 'the note is cached, not parsed again at every start');
    const decoded = decodeParsedNote(encoded);
    assert.deepEqual(visible(decoded), visible(parsed));
    assert.deepEqual(decoded.headings[0].textRange, { start: { line: 0, character: 2 }, end: { line: 0, character: 3 } });
    assert.deepEqual(decoded.tags.map((tag) => [tag.name, tag.range.start.line]), [['tag', 2]]);
  });

  it('carries a field it does not know, and declines values JSON cannot hold', () => {
    const parsed = { ...parseNote('# A\n[[B]]'), addedLater: { range: { start: { line: 1, character: 0 }, end: { line: 1, character: 5 } }, label: '~x' } };
    assert.deepEqual(visible(decodeParsedNote(encodeParsedNote(parsed)!)), visible(parsed));
    const base = parseNote('[[B]] [[C|c]]');
    // A link of plain fields, one of them unknown (a parser's link keeps its ranges in getters, which a spread drops).
    const linkWithMore = { ...base, links: base.links.map((link) => ({ ...visible(link), resolvedHint: 'b.md' })) };
    assert.deepEqual(visible(decodeParsedNote(encodeParsedNote(linkWithMore)!)), visible(linkWithMore));
    assert.equal(encodeParsedNote({ ...parseNote(''), lineCount: NaN }), undefined);
  });
});

describe('the parse cache', () => {
  const files = { ...seedFiles(), 'a.md': '# A\n[[b#Part]] [[missing]]', 'b.md': '# B\n## Part\n', 'sub/c.md': '[[a]] ![[pic.png]]' };

  async function index(fs: InMemoryFileSystem, source: StampedSource, storage: IParseCacheStorage): Promise<VaultService> {
    const service = createVaultService({ fileSystem: fs, noteSource: source, parseCache: storage });
    service.setRoots([fs.rootUri]);
    await service.indexAll();
    return service;
  }

  const diagnosticsOf = (service: VaultService, fs: InMemoryFileSystem) => Object.keys(files).filter((path) => path.endsWith('.md')).map((path) => visible(service.getDiagnostics(fs.uri(path))));

  it('decodes unchanged notes instead of parsing them, with the same results', async () => {
    const fs = new InMemoryFileSystem(files);
    const storage = new MemoryStorage();
    const cold = new StampedSource(fs);
    const first = await index(fs, cold, storage);
    assert.equal(cold.parsed.length, 5);
    assert.equal(storage.creates, 1);

    const warm = new StampedSource(fs);
    const second = await index(fs, warm, storage);
    assert.deepEqual(warm.parsed, [], 'nothing parsed');
    assert.equal(storage.creates, 1, 'nothing changed, nothing written');
    assert.deepEqual(diagnosticsOf(second, fs), diagnosticsOf(first, fs));
  });

  it('reads back a note whose parse is longer than the read buffer, and the notes after it', async () => {
    // About 60,000 links: its cache line is several MB, more than the 1 MB read at a time.
    const huge = Array.from({ length: 60000 }, (_, i) => `[[b#Part]] [[missing ${i}]]`).join('\n');
    const fs = new InMemoryFileSystem({ ...files, 'huge.md': huge });
    const storage = new MemoryStorage();
    const first = await index(fs, new StampedSource(fs), storage);
    assert.ok(storage.files.get(fs.rootUri)!.length > 2 ** 21, 'the cache line is longer than the buffer');
    const warm = new StampedSource(fs);
    const second = await index(fs, warm, storage);
    assert.deepEqual(warm.parsed, [], 'every note, the huge one too, came from the cache');
    assert.equal(second.getDiagnostics(fs.uri('huge.md')).length, first.getDiagnostics(fs.uri('huge.md')).length);
    assert.equal(second.getDiagnostics(fs.uri('huge.md')).length, 60000);
  });

  it('holds the notes open at the first start too, so a restart with nothing open writes nothing', async () => {
    const fs = new InMemoryFileSystem(files);
    const storage = new MemoryStorage();
    const firstService = createVaultService({ fileSystem: fs, noteSource: new StampedSource(fs), parseCache: storage });
    firstService.setRoots([fs.rootUri]);
    firstService.rememberOpenText(fs.uri('a.md'), files['a.md']);
    await firstService.indexAll();
    assert.equal(storage.creates, 1);

    const warm = new StampedSource(fs);
    await index(fs, warm, storage);
    assert.deepEqual(warm.parsed, [], 'a.md and the note it links to came from the cache');
    assert.equal(storage.creates, 1, 'nothing written again');
  });

  it('writes a good line again for an open note whose line is damaged, so the next start parses nothing', async () => {
    // The first read of a warm start takes stamps without checksums; the second verifies, and finds a.md's line damaged.
    const fs = new InMemoryFileSystem(files);
    const storage = new MemoryStorage();
    await index(fs, new StampedSource(fs), storage);
    const bytes = new Uint8Array(storage.files.get(fs.rootUri)!);
    const text = new TextDecoder().decode(bytes);
    const lineStart = text.indexOf('\t"a.md"\t');
    const bodyByte = new TextEncoder().encode(text.slice(0, text.indexOf('[', lineStart + 8) + 1)).length;
    bytes[bodyByte] ^= 1;
    storage.files.set(fs.rootUri, bytes);

    const opened = createVaultService({ fileSystem: fs, noteSource: new StampedSource(fs), parseCache: storage });
    opened.setRoots([fs.rootUri]);
    opened.rememberOpenText(fs.uri('a.md'), files['a.md']);
    await opened.indexAll();
    assert.equal(storage.creates, 2, 'the damaged file is replaced');

    const next = new StampedSource(fs);
    const service = await index(fs, next, storage);
    assert.deepEqual(next.parsed, [], 'a.md came from the cache');
    assert.equal(storage.creates, 2, 'nothing written again');
    assert.equal(service.vaults[0].note('a.md')?.parsed.links.length, parseNote(files['a.md']).links.length);
  });

  it('parses again only the notes whose size or modification time changed', async () => {
    const fs = new InMemoryFileSystem(files);
    const storage = new MemoryStorage();
    await index(fs, new StampedSource(fs), storage);
    fs.write('b.md', '# B\n## Renamed\n');
    const source = new StampedSource(fs);
    source.versions.set('b.md', 2);
    const service = await index(fs, source, storage);
    assert.deepEqual(source.parsed, ['b.md']);
    assert.equal(service.getDiagnostics(fs.uri('a.md')).filter((d) => d.code === 'link.missing-heading').length, 1);
    assert.equal(storage.creates, 2, 'the cache is written again');
  });

  it('treats a damaged cache, or one of another build or folder, as no cache', async () => {
    const fs = new InMemoryFileSystem(files);
    const storage = new MemoryStorage();
    await index(fs, new StampedSource(fs), storage);
    const good = storage.files.get(fs.rootUri)!;
    const damaged = [good.subarray(0, good.length - 7), new Uint8Array([0xff, 0x00, 0x0a, 0x7b]), new TextEncoder().encode('{"format":"vaultlink-parse-cache"}\n1\t1\t"a.md"\t["c"]\n')];
    for (const bytes of damaged) {
      storage.files.set(fs.rootUri, bytes);
      const source = new StampedSource(fs);
      const service = await index(fs, source, storage);
      assert.ok(source.parsed.length >= 1);
      assert.equal(service.stats.notes, 5);
    }
    const otherBuild = new MemoryStorage(undefined, 'build-2');
    otherBuild.files.set(fs.rootUri, good);
    const source = new StampedSource(fs);
    await index(fs, source, otherBuild);
    assert.equal(source.parsed.length, 5);
  });

  it('never reads or writes a cache folder inside the vault', async () => {
    const fs = new InMemoryFileSystem(files);
    const inside = new MemoryStorage(fs.uri('.vaultlink-cache'));
    const source = new StampedSource(fs);
    await index(fs, source, inside);
    assert.equal(inside.creates, 0);
    assert.equal(source.parsed.length, 5);
  });
});
