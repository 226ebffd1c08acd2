import * as assert from 'node:assert/strict';
import type { Position } from 'vscode-languageserver-types';
import { planVault, renderVault, type NoteSpec } from '../../bench/vaultGenerator';
import { VaultIndex } from '../../server/src/core/vaultIndex';
import { openVault, type TestVault } from '../kit/vault';

/**
 * Cost must grow with the vault, not faster (ARCHITECTURE.md: "resolution is a
 * lookup, never a scan"). The same generated vault (bench/vaultGenerator.ts:
 * Zipf-popular links, one hub note linked from most notes) is indexed at two
 * sizes, and the work each operation does is counted as calls into the index
 * and the entries those calls hand back to be looped over. Counts, not times: the
 * same in every run, so a quadratic regression fails here while noise cannot.
 */

const SMALL = 400;
const LARGE = 1600;
const GROWTH = LARGE / SMALL;
/** Linear growth gives GROWTH; this allows for the vault's shape changing a little with size. Quadratic gives GROWTH². */
const LINEAR = GROWTH * 1.6;
/** What does not depend on the vault's size should barely move. */
const CONSTANT = 1.6;

/** VaultIndex methods that are lookups or hand back something to loop over, and how much each call counts. */
const COUNTED: Record<string, (result: unknown) => number> = {
  fileByPathKey: () => 1,
  fileForUri: () => 1,
  note: () => 1,
  nameKeyOf: () => 1,
  linksInBucket: (result) => 1 + (result as ArrayLike<unknown>).length,
  filesNamed: (result) => 1 + (result as readonly unknown[]).length,
  linkersOf: (result) => 1 + (result as ReadonlySet<unknown>).size,
  setNote: () => 1,
  indexNote: () => 1,
  addFile: () => 1,
  removeFile: () => 1,
};

let operations = 0;
const originals = new Map<string, PropertyDescriptor>();

/** Wraps the counted methods, and `files()` and `notes()` so that every entry iterated counts. */
function installCounters(): void {
  const prototype = VaultIndex.prototype as unknown as Record<string, (...args: unknown[]) => unknown>;
  for (const [name, weight] of Object.entries(COUNTED)) {
    originals.set(name, Object.getOwnPropertyDescriptor(prototype, name)!);
    const original = prototype[name];
    prototype[name] = function (this: unknown, ...args: unknown[]) {
      const result = original.apply(this, args);
      operations += weight(result);
      return result;
    };
  }
  for (const name of ['files', 'notes']) {
    originals.set(name, Object.getOwnPropertyDescriptor(prototype, name)!);
    const original = prototype[name];
    prototype[name] = function* (this: unknown, ...args: unknown[]) {
      for (const item of original.apply(this, args) as Iterable<unknown>) {
        operations++;
        yield item;
      }
    };
  }
}

function removeCounters(): void {
  for (const [name, descriptor] of originals) Object.defineProperty(VaultIndex.prototype, name, descriptor);
  originals.clear();
}

async function count<T>(work: () => T | Promise<T>): Promise<{ result: T; operations: number }> {
  const before = operations;
  const result = await work();
  return { result, operations: operations - before };
}

interface Sample {
  readonly vault: TestVault;
  readonly hub: NoteSpec;
  readonly working: NoteSpec;
  readonly texts: Map<string, string>;
  readonly indexing: number;
}

async function sample(size: number): Promise<Sample> {
  // Small notes keep the test quick; links per note stay at about 20.
  const plan = planVault(size, 7, 1200);
  const { files } = renderVault(plan, 'wiki');
  const texts = new Map(files.filter(([path]) => path.endsWith('.md')).map(([path, data]) => [path, new TextDecoder().decode(data)]));
  const { result: vault, operations: indexing } = await count(() => openVault(Object.fromEntries(files)));
  return { vault, hub: plan.notes[0], working: plan.notes[Math.floor(size / 3)], texts, indexing };
}

/** A position on the note's first plain line: "references to this note" is asked there. */
function bodyPosition(text: string): Position {
  const lines = text.split('\n');
  const line = lines.findIndex((l, i) => i > 0 && /^[A-Za-z가-힣]/.test(l));
  return { line, character: 1 };
}

describe('cost grows linearly with the vault', function () {
  this.timeout(60000);
  let small: Sample;
  let large: Sample;

  before(async () => {
    installCounters();
    small = await sample(SMALL);
    large = await sample(LARGE);
  });

  after(removeCounters);

  function assertRatio(what: string, smallCount: number, largeCount: number, limit: number): void {
    const ratio = largeCount / Math.max(1, smallCount);
    assert.ok(ratio <= limit, `${what}: ${smallCount} operations at ${SMALL} notes, ${largeCount} at ${LARGE} (×${ratio.toFixed(2)}, allowed ×${limit.toFixed(1)})`);
  }

  it('indexes the vault', () => {
    assert.equal(large.vault.service.stats.notes, LARGE);
    assertRatio('indexing', small.indexing, large.indexing, LINEAR);
  });

  it('finds every backlink of the most-linked note', async () => {
    const references = async (s: Sample) => {
      const uri = s.vault.uri(s.hub.relativePath);
      return count(() => s.vault.service.getReferences(uri, bodyPosition(s.texts.get(s.hub.relativePath)!), false));
    };
    const [a, b] = [await references(small), await references(large)];
    // The hub is linked from most notes at both sizes: the work is the backlinks, and they grow with the vault.
    assert.ok(b.result.length > (GROWTH / 2) * a.result.length, `backlinks ${a.result.length} → ${b.result.length}`);
    assertRatio('references', a.operations, b.operations, LINEAR);
  });

  it('checks one note after an edit in constant work', async () => {
    const edit = async (s: Sample) => {
      const uri = s.vault.uri(s.working.relativePath);
      const text = s.texts.get(s.working.relativePath)!;
      return count(() => {
        const others = s.vault.service.setDocumentText(uri, `${text}\n[[Missing note]] [[${s.hub.name}#Nowhere]]`);
        return { others, diagnostics: s.vault.service.getDiagnostics(uri) };
      });
    };
    const [a, b] = [await edit(small), await edit(large)];
    assert.deepEqual([a.result.others, b.result.others], [[], []], 'a body edit re-checks no other note');
    assertRatio('diagnostics after an edit', a.operations, b.operations, CONSTANT);
  });

  it('re-checks only the notes linking to a renamed heading of the most-linked note', async () => {
    const rename = async (s: Sample) => {
      const uri = s.vault.uri(s.hub.relativePath);
      const text = s.texts.get(s.hub.relativePath)!;
      const heading = s.hub.headings[0];
      return count(() => {
        const others = s.vault.service.setDocumentText(uri, text.replace(`# ${heading}\n`, `# ${heading} renamed\n`));
        for (const other of others) s.vault.service.getDiagnostics(other);
        return others;
      });
    };
    const [a, b] = [await rename(small), await rename(large)];
    const linkers = (s: Sample) => s.vault.service.vaults[0].linkersOf(s.vault.service.vaults[0].fileByPathKey(s.hub.relativePath.toLowerCase())!.nameKey).size;
    assert.ok(b.result.length < linkers(large) / 2, `${b.result.length} of the hub's ${linkers(large)} linking notes re-checked`);
    assertRatio('heading rename', a.operations, b.operations, LINEAR);
  });

  it('checks every note of the vault', async () => {
    const checkAll = async (s: Sample) => count(() => [...s.vault.service.vaults[0].notes()].forEach((note) => s.vault.service.getDiagnostics(note.file.uri)));
    const [a, b] = [await checkAll(small), await checkAll(large)];
    assertRatio('diagnostics of every note', a.operations, b.operations, LINEAR);
  });
});
