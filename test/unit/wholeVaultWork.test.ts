import * as assert from 'node:assert/strict';
import { planVault, renderVault } from '../../bench/vaultGenerator';
import { VaultIndex } from '../../server/src/core/vaultIndex';
import { openVault, type TestVault } from '../kit/vault';

/**
 * The whole vault's work, counted (npm run bench times it): checking every
 * note resolves each distinct link path from scratch once, not each link, so
 * the vault-wide diagnostics of a CI check or of a first index cost lookups in
 * proportion to the names linked, however many notes link to them; and a file
 * that comes or goes is seen by the very next check (nothing stale is kept).
 * Counts, not times: the same in every run.
 */

/** The lookups a resolution from scratch makes (exact paths, the name bucket). */
const LOOKUPS = ['fileByPathKey', 'filesNamed'] as const;

async function countLookups<T>(work: () => T): Promise<{ result: T; lookups: number }> {
  const prototype = VaultIndex.prototype as unknown as Record<string, (...args: unknown[]) => unknown>;
  const originals = LOOKUPS.map((name) => [name, prototype[name]] as const);
  let lookups = 0;
  for (const [name, original] of originals) {
    prototype[name] = function (this: unknown, ...args: unknown[]) {
      lookups++;
      return original.apply(this, args);
    };
  }
  try {
    const result = await work();
    return { result, lookups };
  } finally {
    for (const [name, original] of originals) prototype[name] = original;
  }
}

async function generated(size: number): Promise<{ vault: TestVault; links: number; distinctPaths: number }> {
  const { files } = renderVault(planVault(size, 11, 1200), 'wiki');
  const vault = await openVault(Object.fromEntries(files));
  let links = 0;
  const paths = new Set<string>();
  for (const note of vault.service.vaults[0].notes()) {
    for (const link of note.parsed.links) {
      if (link.external) continue;
      links++;
      paths.add(`${link.kind}\0${link.path}`);
    }
  }
  return { vault, links, distinctPaths: paths.size };
}

function checkEveryNote(vault: TestVault): number {
  let problems = 0;
  for (const note of [...vault.service.vaults[0].notes()]) problems += vault.service.getDiagnostics(note.file.uri).length;
  return problems;
}

describe('the whole vault, by counted work', function () {
  this.timeout(60000);

  it('checking every note resolves each distinct link path once, not each link', async () => {
    for (const size of [300, 1200]) {
      const { vault, links, distinctPaths } = await generated(size);
      const { result: problems, lookups } = await countLookups(() => checkEveryNote(vault));
      assert.ok(problems > 0, 'the generated vault has broken links to report');
      // A resolution from scratch makes at most three lookups (the path, the path with .md, its name bucket);
      // links relative to their note (`./x`, markdown links) depend on its folder and may each make theirs.
      const relative = [...vault.service.vaults[0].notes()].flatMap((note) => note.parsed.links).filter((link) => !link.external && (link.kind === 'markdown' || /^\s*\.{0,2}\//.test(link.path))).length;
      assert.ok(lookups <= 3 * distinctPaths + 5 * relative, `${size} notes: ${lookups} lookups for ${links} links to ${distinctPaths} distinct paths (${relative} relative)`);
      assert.ok(lookups < links, `${size} notes: ${lookups} lookups for ${links} links: resolved link by link`);
    }
  });

  it('a second check of every note resolves nothing again, and a new file is seen by the next check', async () => {
    const { vault } = await generated(300);
    const first = checkEveryNote(vault);
    const again = await countLookups(() => checkEveryNote(vault));
    assert.equal(again.result, first);
    const relative = [...vault.service.vaults[0].notes()].flatMap((note) => note.parsed.links).filter((link) => !link.external && (link.kind === 'markdown' || /^\s*\.{0,2}\//.test(link.path))).length;
    assert.ok(again.lookups <= 5 * relative, `${again.lookups} lookups when every folder-free path was resolved before`);

    // A note created for one of the missing names: the links to it resolve at the very next check.
    const missing = vault.service.getDiagnostics([...vault.service.vaults[0].notes()].map((note) => note.file.uri).find((uri) => vault.service.getDiagnostics(uri).some((d) => d.code === 'link.missing-note'))!).find((d) => d.code === 'link.missing-note')!;
    const name = (missing.data as { path: string }).path;
    const created = vault.fs.write(`${name}.md`, '# Now here\n');
    await vault.service.applyFileEvents([{ uri: created, deleted: false }]);
    const after = checkEveryNote(vault);
    assert.ok(after < first, `creating ${name}.md left ${after} of ${first} problems`);
    const stillMissing = [...vault.service.vaults[0].notes()].some((note) => vault.service.getDiagnostics(note.file.uri).some((d) => d.code === 'link.missing-note' && (d.data as { path: string }).path === name));
    assert.equal(stillMissing, false, `a link to ${name} is still reported missing`);
  });
});
