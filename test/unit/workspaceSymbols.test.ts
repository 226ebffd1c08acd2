import * as assert from 'node:assert/strict';
import { SymbolKind } from 'vscode-languageserver-types';
import { createVaultService } from '../../server/src/index';
import { InMemoryFileSystem } from '../kit/inMemoryFileSystem';
import { openVault } from '../kit/vault';
import { SymbolIndex, WORKSPACE_SYMBOL_SCOPE } from '../../server/src/service/symbolIndex';

const FILES: Record<string, string> = {
  'Meeting Notes.md': '---\naliases: [Standup]\ntags: [team]\n---\n# Agenda\n## Action items\n#project/alpha\n',
  'work/회의록.md': '# 사용자 속성 추정\n본문 #한글\n',
  'work/Plan.md': '# Roadmap\n```\n# not a heading\n```\n',
};

function summary(symbols: ReadonlyArray<{ name: string; kind: SymbolKind; containerName?: string; location: { uri: string } }>): string[] {
  return symbols.map((symbol) => `${symbol.kind}:${symbol.name}@${decodeURIComponent(symbol.location.uri.slice(symbol.location.uri.lastIndexOf('/') + 1))}`);
}

describe('workspace symbols', () => {
  it('finds notes, aliases, headings and tags across the vault, notes first', async () => {
    const vault = await openVault(FILES);
    const all = summary(vault.service.getWorkspaceSymbols(''));
    assert.deepEqual(all.slice(0, 3).sort(), [`${SymbolKind.File}:Meeting Notes@Meeting%20Notes.md`, `${SymbolKind.File}:Plan@Plan.md`, `${SymbolKind.File}:회의록@회의록.md`].map(decodeURIComponent).sort());
    assert.ok(all.includes(`${SymbolKind.Constant}:Standup@Meeting Notes.md`));
    assert.ok(all.includes(`${SymbolKind.String}:Action items@Meeting Notes.md`));
    assert.ok(all.includes(`${SymbolKind.Key}:#team@Meeting Notes.md`));
    assert.ok(all.includes(`${SymbolKind.Key}:#project/alpha@Meeting Notes.md`));
    assert.ok(!all.some((entry) => entry.includes('not a heading')));

    assert.deepEqual(summary(vault.service.getWorkspaceSymbols('stand')), [`${SymbolKind.Constant}:Standup@Meeting Notes.md`]);
    assert.equal(summary(vault.service.getWorkspaceSymbols('action'))[0], `${SymbolKind.String}:Action items@Meeting Notes.md`);
    const heading = vault.service.getWorkspaceSymbols('roadmap')[0];
    assert.deepEqual(heading.location.range, { start: { line: 0, character: 2 }, end: { line: 0, character: 9 } });
    assert.equal(heading.containerName, 'work/Plan');
  });

  it('matches Korean, NFC or NFD alike', async () => {
    const vault = await openVault(FILES);
    assert.equal(summary(vault.service.getWorkspaceSymbols('회의'))[0], `${SymbolKind.File}:회의록@회의록.md`);
    assert.equal(summary(vault.service.getWorkspaceSymbols('속성'.normalize('NFD')))[0], `${SymbolKind.String}:사용자 속성 추정@회의록.md`);
    assert.ok(summary(vault.service.getWorkspaceSymbols('한글')).includes(`${SymbolKind.Key}:#한글@회의록.md`));
  });

  it('is bounded', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 300; i++) files[`n${i}.md`] = `# Heading ${i}\n`;
    const vault = await openVault(files);
    assert.equal(vault.service.getWorkspaceSymbols('').length, 200);
    assert.equal(vault.service.getWorkspaceSymbols('heading', 10).length, 10);
  });

  it('follows edits, creations and deletions without a rebuild, and equals an index built from scratch', async () => {
    const vault = await openVault(FILES);
    assert.equal(vault.service.getWorkspaceSymbols('roadmap').length, 1);
    const plan = '\n\n# Roadmap moved down\n# Budget\n';
    vault.fs.write('work/Plan.md', plan);
    vault.service.setDocumentText(vault.uri('work/Plan.md'), plan);
    assert.deepEqual(vault.service.getWorkspaceSymbols('budget')[0].location.range.start, { line: 3, character: 2 });
    vault.fs.write('New.md', '# Fresh heading\n');
    await vault.service.fileChanged(vault.uri('New.md'));
    vault.fs.delete('Meeting Notes.md');
    await vault.service.fileDeleted(vault.uri('Meeting Notes.md'));
    assert.deepEqual(summary(vault.service.getWorkspaceSymbols('fresh')), [`${SymbolKind.String}:Fresh heading@New.md`]);
    assert.deepEqual(vault.service.getWorkspaceSymbols('standup'), []);
    // A heading whose line moved keeps its name in the index and answers with the new range.
    const body = '# Budget\n\n\n# Roadmap moved down\n';
    vault.fs.write('work/Plan.md', body);
    vault.service.setDocumentText(vault.uri('work/Plan.md'), body);
    assert.deepEqual(vault.service.getWorkspaceSymbols('budget')[0].location.range.start, { line: 0, character: 2 });

    const files: Record<string, string> = {};
    for (const path of ['work/회의록.md', 'work/Plan.md', 'New.md']) files[path] = new TextDecoder().decode(await vault.fs.readFile(vault.uri(path)));
    const fs = new InMemoryFileSystem(files);
    const scratch = createVaultService({ fileSystem: fs });
    scratch.setRoots([fs.rootUri]);
    await scratch.indexAll();
    assert.deepEqual(vault.service.getSymbolNames(vault.uri('New.md')), scratch.getSymbolNames(fs.uri('New.md')));
    assert.deepEqual(summary(vault.service.getWorkspaceSymbols('')), summary(scratch.getWorkspaceSymbols('')));
  });
});

/** An in-memory vault where reading one file waits until `release()`: the index stays under way. */
class OneSlowFile extends InMemoryFileSystem {
  #open!: () => void;
  readonly #gate = new Promise<void>((resolve) => (this.#open = resolve));

  constructor(
    files: Record<string, string>,
    readonly slow: string,
  ) {
    super(files);
  }

  release(): void {
    this.#open();
  }

  override async readFile(uri: string): Promise<Uint8Array> {
    if (uri === this.uri(this.slow)) await this.#gate;
    return super.readFile(uri);
  }
}

describe('workspace symbols while indexing', () => {
  it('answers with the notes indexed so far, then with all of them', async () => {
    const files: Record<string, string> = { 'Slow.md': '# Slow heading\n' };
    for (let i = 0; i < 20; i++) files[`n${i}.md`] = `# Known heading ${i}\n`;
    const fs = new OneSlowFile(files, 'Slow.md');
    const service = createVaultService({ fileSystem: fs, readConcurrency: 4 });
    service.setRoots([fs.rootUri]);
    const indexed = service.indexAll();
    // Until the other 20 are parsed, however slow the machine: mocha's timeout bounds it.
    while (service.parses < 20) await new Promise((resolve) => setTimeout(resolve, 5));
    assert.ok(service.isIndexing, 'still indexing: one file is not read yet');
    assert.equal(service.getWorkspaceSymbols('known heading').length, 20);
    assert.ok(!service.getWorkspaceSymbols('slow heading').some((symbol) => symbol.name === 'Slow heading'));
    fs.release();
    await indexed;
    assert.equal(service.getWorkspaceSymbols('slow heading')[0]?.name, 'Slow heading');
  });
});

describe('workspace symbols: the name index follows each note', () => {
  it("takes in an edited note's names alone, never the whole vault's again, and finds them", async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 300; i++) files[`n${i}.md`] = `# Heading ${i}\n## Detail ${i}\n`;
    const vault = await openVault(files);
    const index = vault.service.vaults[0];
    const symbols = new SymbolIndex(() => false);
    symbols.vaultReset(index);
    assert.equal(symbols.namesWaiting(index), 900, 'each note, its two headings');
    while (symbols.prepare(index));
    assert.equal(symbols.namesWaiting(index), 0);
    const file = index.fileAt('n7.md')!;
    const before = index.note(file)!;
    vault.service.setDocumentText(vault.uri('n7.md'), '# Heading 7\n## Renamed detail\n');
    const after = index.note(file)!;
    assert.notEqual(before, after);
    symbols.fileChanged({ vault: index, file, kind: 'changed', before, after });
    assert.equal(symbols.namesWaiting(index), 3, 'the one note changed: its three names, not 900');
    assert.equal(symbols.find(index, 'renamed detail', 5, WORKSPACE_SYMBOL_SCOPE).map((found) => `${found.path}:${found.symbol.name}`)[0], 'n7.md:Renamed detail');
    assert.deepEqual(symbols.find(index, 'detail 7', 50, WORKSPACE_SYMBOL_SCOPE).filter((found) => found.symbol.name === 'Detail 7'), [], 'the old name is gone');
    // An edit that only moves names keeps the index as it is.
    const moved = index.note(file)!;
    vault.service.setDocumentText(vault.uri('n7.md'), '\n# Heading 7\n## Renamed detail\n');
    symbols.fileChanged({ vault: index, file, kind: 'changed', before: moved, after: index.note(file)! });
    assert.equal(symbols.namesWaiting(index), 0);
    assert.equal(symbols.find(index, 'renamed detail', 5, WORKSPACE_SYMBOL_SCOPE)[0]?.symbol.range.start.line, 2, 'found where it is now');
  });

  it('indexes a name that many notes share once, and lists its symbols in note order, each where it is', async () => {
    const files: Record<string, string> = {};
    // As in a conference vault: every talk has a `Slides` heading, every note the same tag.
    for (let i = 0; i < 120; i++) files[`talk ${String(i).padStart(3, '0')}.md`] = `# Talk ${i}\n## Slides\n${'\n'.repeat(i % 3)}#conference\n`;
    const vault = await openVault(files);
    const index = vault.service.vaults[0];
    const symbols = new SymbolIndex(() => false);
    symbols.vaultReset(index);
    // 120 note names and 120 talk headings, one `Slides`, one `#conference`: 242 names for 480 symbols.
    assert.equal(symbols.namesWaiting(index), 242);
    // An edited note's symbols come after every other note's in each of its names: found in note order all the same,
    // asked before the background steps have sorted them, and after.
    const edit = (path: string, text: string) => {
      const file = index.fileAt(path)!;
      const before = index.note(file)!;
      vault.service.setDocumentText(vault.uri(path), text);
      symbols.fileChanged({ vault: index, file, kind: 'changed', before, after: index.note(file)! });
    };
    edit('talk 000.md', '# Talk 0\n## Slides\n#conference\n## Extra\n');
    assert.deepEqual(
      symbols.find(index, 'slides', 3, WORKSPACE_SYMBOL_SCOPE).map((found) => found.path),
      ['talk 000.md', 'talk 001.md', 'talk 002.md'],
    );
    edit('talk 001.md', '# Talk 1\n## Slides\n\n#conference\n## Extra\n');
    let steps = 0;
    while (symbols.prepare(index)) steps++;
    assert.ok(steps < 100, `${steps} steps`);
    assert.deepEqual(
      symbols.find(index, 'conference', 3, WORKSPACE_SYMBOL_SCOPE).map((found) => found.path),
      ['talk 000.md', 'talk 001.md', 'talk 002.md'],
    );
    const slides = symbols.find(index, 'slides', 500, WORKSPACE_SYMBOL_SCOPE);
    assert.equal(slides.length, 120);
    assert.deepEqual(
      slides.map((found) => found.path),
      Object.keys(files).sort(),
      'in note path order',
    );
    const tags = symbols.find(index, '#conference', 5, WORKSPACE_SYMBOL_SCOPE);
    assert.deepEqual(
      tags.map((found) => [found.path, found.symbol.range.start.line]),
      [0, 1, 2, 3, 4].map((i) => [`talk 00${i}.md`, 2 + (i % 3)]),
      'the first five by path, each at its own line',
    );
    // One note's copy leaves; the name stays for the others, and goes with the last.
    const file = index.fileAt('talk 000.md')!;
    const before = index.note(file)!;
    vault.service.setDocumentText(vault.uri('talk 000.md'), '# Talk 0\n');
    symbols.fileChanged({ vault: index, file, kind: 'changed', before, after: index.note(file)! });
    assert.equal(symbols.find(index, 'slides', 500, WORKSPACE_SYMBOL_SCOPE).length, 119);
    assert.equal(symbols.find(index, 'slides', 500, WORKSPACE_SYMBOL_SCOPE)[0].path, 'talk 001.md');
    const fresh = new SymbolIndex(() => false);
    fresh.vaultReset(index);
    assert.deepEqual(symbols.symbols(index), fresh.symbols(index));
    assert.deepEqual(
      symbols.find(index, 'slides', 50, WORKSPACE_SYMBOL_SCOPE).map((found) => found.path),
      fresh.find(index, 'slides', 50, WORKSPACE_SYMBOL_SCOPE).map((found) => found.path),
    );
  });

  it('reads the notes of a reset by bounded steps, and a note changed or deleted before its turn is as the vault has it', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 1000; i++) files[`n${i}.md`] = `# Heading ${i}\n## Detail ${i}\n`;
    const vault = await openVault(files);
    const index = vault.service.vaults[0];
    const symbols = new SymbolIndex(() => false);
    symbols.vaultReset(index);
    // The first steps read notes (a few hundred each), not the whole vault in one.
    assert.ok(symbols.prepare(index), 'more to do after one step');
    // Before their turn: n900 edited, n901 deleted.
    const edited = index.fileAt('n900.md')!;
    const before = index.note(edited)!;
    vault.service.setDocumentText(vault.uri('n900.md'), '# Heading 900\n## Late edit\n');
    symbols.fileChanged({ vault: index, file: edited, kind: 'changed', before, after: index.note(edited)! });
    const deleted = index.fileAt('n901.md')!;
    const deletedNote = index.note(deleted)!;
    index.removeFile('n901.md');
    symbols.fileChanged({ vault: index, file: deleted, kind: 'removed', before: deletedNote, after: undefined });
    let steps = 1;
    while (symbols.prepare(index)) steps++;
    assert.ok(steps >= 4, `${steps} steps`);
    const fresh = new SymbolIndex(() => false);
    fresh.vaultReset(index);
    assert.deepEqual(symbols.symbols(index), fresh.symbols(index));
    assert.equal(symbols.find(index, 'late edit', 5, WORKSPACE_SYMBOL_SCOPE)[0]?.path, 'n900.md');
    assert.deepEqual(symbols.find(index, 'detail 901', 50, WORKSPACE_SYMBOL_SCOPE).filter((found) => found.path === 'n901.md'), []);
    assert.deepEqual(symbols.find(index, 'detail 900', 50, WORKSPACE_SYMBOL_SCOPE).filter((found) => found.symbol.name === 'Detail 900'), [], 'the edited note\'s old name is gone');
  });
});
