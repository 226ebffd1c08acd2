import * as assert from 'node:assert/strict';
import { parseNote } from '../../server/src/core/parser';
import { parseVaultConfig } from '../../server/src/core/vaultConfig';
import type { VaultFile } from '../../server/src/core/vaultIndex';
import { VaultIndex } from '../../server/src/core/vaultIndex';
import { CandidateKind, LinkCatalog } from '../../server/src/features/completion';
import { SeededRandom } from '../../bench/random';

const words = ['Kafka', 'stream', 'design', 'review', 'meeting', 'notes', 'index', '검색', '회의록', '설계', 'DEVIEW', '2018', 'Line', 'a'];
const folders = ['', 'projects/', 'daily/2018/', '회의/'];

/** What completion, quick fixes and search ask of a catalog: every kind filter they use, several limits. */
function answers(catalog: LinkCatalog, queries: readonly string[]): string[] {
  const kinds: Array<(kind: number) => boolean> = [() => true, (kind) => (kind & CandidateKind.Note) !== 0, (kind) => !(kind & CandidateKind.Note), (kind) => !(kind & CandidateKind.Alias)];
  const out: string[] = [];
  for (const query of queries) {
    for (const [at, accept] of kinds.entries()) {
      for (const limit of [1, 10, 50]) out.push(`${JSON.stringify(query)} ${at} ${limit}: ${catalog.search(query, limit, accept).map((c) => `${c.path}|${c.label}`).join(', ')}`);
    }
  }
  return out;
}

describe('the completion catalog kept up to date file by file', () => {
  it('answers after random notes added, removed, renamed and re-aliased exactly as a catalog built from scratch', function () {
    this.timeout(120_000);
    const random = new SeededRandom(7);
    const vault = new VaultIndex('file:///vault');
    // Obsidian's excluded files: ranked last, so the order of demoted names is checked too.
    vault.config = parseVaultConfig(JSON.stringify({ userIgnoreFilters: ['daily/'] }));
    const incremental = LinkCatalog.inSteps(vault);
    const noteText = () => {
      const aliases = random.chance(0.3) ? `aliases: [${Array.from({ length: random.int(1, 3) }, () => random.pick(words)).join(', ')}]\n` : '';
      const title = random.chance(0.2) ? `title: ${random.pick(words)} ${random.pick(words)}\n` : '';
      return aliases || title ? `---\n${aliases}${title}---\n` : '';
    };
    const newPath = () => {
      const name = Array.from({ length: random.int(1, 3) }, () => random.pick(words)).join(' ');
      return random.chance(0.15) ? `${random.pick(folders)}${name} ${random.int(0, 99)}.png` : `${random.pick(folders)}${name} ${random.int(0, 999)}.md`;
    };
    const files = (): VaultFile[] => [...vault.files()];
    let checks = 0;
    for (let round = 0; round < 10; round++) {
      const changes = round === 0 ? 1500 : random.int(1, 150);
      for (let change = 0; change < changes; change++) {
        const roll = random.next();
        const existing = files();
        if (roll < 0.55 || existing.length === 0) {
          const path = newPath();
          if (vault.fileAt(path)) continue;
          vault.addFile(path);
          if (path.endsWith('.md')) vault.setNote(path, parseNote(noteText()));
          incremental.addFile(vault.fileAt(path)!);
        } else if (roll < 0.75) {
          const file = random.pick(existing);
          incremental.removeFile(file);
          vault.removeFile(file.relativePath);
        } else if (roll < 0.9) {
          // A rename: the file goes, the new path comes.
          const file = random.pick(existing);
          const path = newPath();
          if (vault.fileAt(path)) continue;
          incremental.removeFile(file);
          vault.removeFile(file.relativePath);
          vault.addFile(path);
          if (path.endsWith('.md')) vault.setNote(path, parseNote(noteText()));
          incremental.addFile(vault.fileAt(path)!);
        } else {
          const file = random.pick(existing.filter((f) => f.isNote));
          if (!file) continue;
          vault.setNote(file.relativePath, parseNote(noteText()));
          incremental.updateFile(file);
        }
        if (random.chance(0.05)) incremental.step(random.int(1, 400));
      }
      // Searches take in what waits; background steps merge. Either way, once searchable it is exact.
      while (random.chance(0.6) && incremental.step(random.int(50, 3000)));
      incremental.takeInAll();
      const fromScratch = new LinkCatalog(vault);
      const queries = ['', 'a', 'kaf', 'meetign', '검색', 'ㄱ', 'projects/', '2018', 'desgin revew', ...files().slice(0, 20).map((file) => file.relativePath.slice(random.int(0, 5), random.int(6, 12)))];
      assert.deepEqual(answers(incremental, queries), answers(fromScratch, queries), `round ${round}`);
      checks++;
    }
    assert.equal(checks, 10);
  });

  it("lists a vault's files by steps, not at once, and files removed, renamed or added before they are listed end as from scratch", () => {
    const random = new SeededRandom(11);
    const vault = new VaultIndex('file:///vault');
    for (let n = 0; n < 3000; n++) vault.addFile(`${random.pick(folders)}${random.pick(words)} ${n}.md`);
    for (const file of vault.files()) if (random.chance(0.2)) vault.setNote(file.relativePath, parseNote(`---\naliases: [${random.pick(words)} alias ${file.relativePath.length}]\n---\n`));
    const catalog = LinkCatalog.inSteps(vault);
    // Nothing listed yet: the file listed last answers a quick fix's loose-name lookup all the same.
    const last = [...vault.files()].at(-1)!;
    assert.deepEqual(catalog.filesByLooseName(last.relativePath.slice(last.relativePath.lastIndexOf('/') + 1).replace(/\.md$/, '').replace(/\s+/g, '').toLowerCase()), [last]);
    const second = LinkCatalog.inSteps(vault);
    for (let change = 0; change < 600; change++) {
      const existing = [...vault.files()];
      const file = random.pick(existing);
      if (random.chance(0.4)) {
        for (const c of [catalog, second]) c.removeFile(file);
        vault.removeFile(file.relativePath);
      } else if (random.chance(0.5)) {
        const path = `renamed/${random.pick(words)} ${change}.md`;
        for (const c of [catalog, second]) c.removeFile(file);
        vault.removeFile(file.relativePath);
        vault.addFile(path);
        for (const c of [catalog, second]) c.addFile(vault.fileAt(path)!);
      } else if (file.isNote) {
        vault.setNote(file.relativePath, parseNote(`---\naliases: [${random.pick(words)} ${change}]\n---\n`));
        for (const c of [catalog, second]) c.updateFile(file);
      }
      if (random.chance(0.02)) second.step(random.int(1, 300));
    }
    for (const c of [catalog, second]) {
      while (c.step(random.int(50, 500)));
      assert.equal(c.isComplete, true);
    }
    const fromScratch = new LinkCatalog(vault);
    const queries = ['', 'a', 'kaf', '검색', 'alias', 'renamed/', 'design 12', ...[...vault.files()].slice(0, 10).map((f) => f.relativePath.slice(0, 8))];
    assert.deepEqual(answers(catalog, queries), answers(fromScratch, queries));
    assert.deepEqual(answers(second, queries), answers(fromScratch, queries));
  });

  it('answers from the files taken in so far while it is being built, and takes in more with each search', () => {
    const vault = new VaultIndex('file:///vault');
    for (let n = 0; n < 5000; n++) vault.addFile(`notes/Meeting ${String(n).padStart(4, '0')}.md`);
    const catalog = LinkCatalog.inSteps(vault);
    assert.equal(catalog.isSearchable, false);
    const first = catalog.search('meeting', 50, () => true);
    assert.equal(first.length, 50, 'the first search already answers');
    for (let searches = 0; !catalog.isSearchable && searches < 10_000; searches++) catalog.search('meeting 4999', 1, () => true);
    assert.deepEqual(catalog.search('meeting 4999', 1, () => true).map((candidate) => candidate.label), ['Meeting 4999']);
  });

  it('answers from what it has while steps from outside build it, and takes in by itself once they stop', () => {
    const vault = new VaultIndex('file:///vault');
    // Large enough that the first names are searchable well before the last are taken in.
    for (let n = 0; n < 40_000; n++) vault.addFile(`notes/Meeting ${String(n).padStart(5, '0')}.md`);
    // A clock that moves a millisecond each time it is read, then stands still.
    let now = 0;
    let tick = 1;
    const catalog = LinkCatalog.inSteps(vault, () => (now += tick));
    // The server's background turns: steps until there is something to answer from.
    do catalog.step();
    while (catalog.search('meeting', 50, () => true).length < 50);
    assert.equal(catalog.isSearchable, false);
    tick = 0;
    // Keystrokes meanwhile (no budget runs out on a clock standing still) take nothing in.
    const known = catalog.search('meeting', 100_000, () => true).length;
    assert.ok(known < 40_000, `${known} names known`);
    for (let searches = 0; searches < 100; searches++) catalog.search('meeting 4', 5, () => true);
    assert.equal(catalog.search('meeting', 100_000, () => true).length, known, 'the searches took nothing in');
    assert.equal(catalog.isSearchable, false);
    // No step from outside for a while (a host without background turns): the next search takes in what waits.
    now += 1000;
    assert.deepEqual(catalog.search('meeting 39999', 1, () => true).map((candidate) => candidate.label), ['Meeting 39999']);
    assert.equal(catalog.isSearchable, true);
  });
});
