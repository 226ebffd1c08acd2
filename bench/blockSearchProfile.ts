/**
 * In-process timing of `[[^^` (vault-wide block search by text) at one vault
 * size, through the vault service over the generated vault on disk: how long
 * the block text index takes to fill in the background after the first `[[^^`,
 * the heap it adds, and then completion's p50/p95 for words of the vault's own
 * paragraphs typed as Latin prefixes, whole Korean words, their initials, and
 * with the last syllable still being composed.
 *   npx tsx bench/blockSearchProfile.ts 10000
 */
import * as path from 'node:path';
import { hangulInitials, hasHangul } from '../server/src/core/hangul';
import { createVaultService } from '../server/src/index';
import { NodeFileSystem } from '../server/src/node/nodeFileSystem';
import { URI } from 'vscode-uri';
import { SeededRandom } from './random';
import { VAULTS_DIR } from './vaultStore';

async function main(): Promise<void> {
  const size = Number(process.argv[2] ?? 10000);
  const root = path.join(VAULTS_DIR, `wiki-${size}-seed1`);
  const service = createVaultService({ fileSystem: new NodeFileSystem() });
  service.setRoots([URI.file(root).toString()]);
  let started = performance.now();
  await service.indexAll();
  console.log(`indexed ${size} notes in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const vault = service.vaults[0];
  const notes = [...vault.notes()];
  const working = notes[Math.floor(notes.length / 2)];
  const uri = working.file.uri;
  service.setDocumentText(uri, '[[^^');
  const at = (line: string) => ({ line: 0, character: line.length });
  const ask = (query: string) => {
    const line = `[[^^${query}`;
    service.setDocumentText(uri, line);
    return service.getCompletions(uri, at(line));
  };

  // The name catalog and the symbol index (`[[`, `[[##`, block ids) are built by their first use: not counted here.
  for (const line of ['[[a', '[[##a']) {
    service.setDocumentText(uri, line);
    service.getCompletions(uri, at(line));
  }
  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  started = performance.now();
  const first = ask('');
  const firstMs = performance.now() - started;
  await service.whenBlockTextsIndexed(uri);
  const filled = performance.now() - started;
  service.prepareCompletion();
  global.gc?.();
  const heapAfter = process.memoryUsage().heapUsed;
  console.log(`first [[^^ answered in ${firstMs.toFixed(1)} ms (${first.items.length} items, incomplete: ${first.isIncomplete}); block texts of every note read in the background in ${(filled / 1000).toFixed(1)} s; heap +${((heapAfter - heapBefore) / 1e6).toFixed(0)} MB${global.gc ? '' : ' (run with --expose-gc for a steadier figure)'}`);

  // Queries from the vault's own paragraphs, so that they match something.
  const random = new SeededRandom(7);
  const latin: string[] = [];
  const korean: string[] = [];
  const initials: string[] = [];
  const composing: string[] = [];
  while (latin.length < 100 || korean.length < 100) {
    const item = ask(random.pick(['a', 'e', 'o', '데', '이', '를'])).items;
    const words = String(random.pick(item)?.label ?? '').split(/\s+/).filter((word) => /^(?:[a-z]{3,}|[가-힣]{2,})$/i.test(word));
    const word = words.length ? random.pick(words) : undefined;
    if (!word) continue;
    if (!hasHangul(word) && latin.length < 100) latin.push(word.slice(0, Math.min(word.length, 5)).toLowerCase());
    if (hasHangul(word) && word.length >= 2 && korean.length < 100) {
      korean.push(word);
      initials.push(hangulInitials(word));
      composing.push(word.slice(0, -1) + hangulInitials(word.slice(-1)));
    }
  }
  for (const [what, queries] of [['Latin prefix', latin], ['Korean syllables', korean], ['Korean initials', initials], ['Korean, last syllable composing', composing]] as const) {
    const times: number[] = [];
    let empty = 0;
    for (let round = 0; round < 2; round++) {
      for (const query of queries) {
        started = performance.now();
        const list = ask(query);
        if (round === 1) {
          times.push(performance.now() - started);
          if (list.items.length === 0) empty++;
        }
      }
    }
    times.sort((a, b) => a - b);
    const q = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))].toFixed(1);
    console.log(`[[^^ ${what} (${queries.length} queries, e.g. ${JSON.stringify(queries[0])}): p50 ${q(0.5)} ms, p95 ${q(0.95)} ms, max ${q(1)} ms; ${empty} found nothing`);
  }
}

void main();
