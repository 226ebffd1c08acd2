/**
 * In-process timing of the vault-wide name searches that read the symbol index
 * (`[[##heading`, Ctrl+T), at one vault size, without the server: every note
 * of the generated vault is parsed, the symbol index is built the way the
 * server builds it after a bulk index (vaultReset, then bounded steps), and the
 * benchmark's own `[[##` queries are asked. For finding where the time goes
 * (`node --cpu-prof`); the figures that count come from `npm run bench`.
 *   npx tsx bench/headingSearchProfile.ts 50000
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import { parseNote } from '../server/src/core/parser';
import { VaultIndex } from '../server/src/core/vaultIndex';
import { SymbolIndex, SymbolScope, WORKSPACE_SYMBOL_SCOPE } from '../server/src/service/symbolIndex';
import { ensureVault, planVault } from './vaultStore';
import { planWorkload } from './workload';

const size = Number(process.argv[2] ?? 10000);
const plan = planVault(size, 1);
const { directory: root } = ensureVault(plan, 'wiki');
const vault = new VaultIndex(URI.file(root).toString());
let started = performance.now();
for (const entry of fs.readdirSync(root, { recursive: true }) as string[]) {
  const relativePath = entry.split(path.sep).join('/');
  if (!fs.statSync(path.join(root, entry)).isFile()) continue;
  if (!relativePath.endsWith('.md')) vault.addFile(relativePath);
  else vault.setNote(relativePath, parseNote(fs.readFileSync(path.join(root, entry), 'utf8')));
}
console.log(`${size} notes parsed and indexed in ${(performance.now() - started).toFixed(0)} ms`);

const symbols = new SymbolIndex(() => false);
started = performance.now();
symbols.vaultReset(vault);
const resetMs = performance.now() - started;
const stepTimes: number[] = [];
for (let more = true; more; ) {
  const begun = performance.now();
  more = symbols.prepare(vault);
  stepTimes.push(performance.now() - begun);
}
stepTimes.sort((a, b) => a - b);
console.log(
  `symbol index: reset ${resetMs.toFixed(0)} ms, ${stepTimes.length} steps, total ${stepTimes.reduce((a, b) => a + b, 0).toFixed(0)} ms, longest step ${stepTimes[stepTimes.length - 1].toFixed(0)} ms`,
);

const workload = planWorkload(plan, 200);
const headingScope = SymbolScope.Heading | SymbolScope.TalkHeading;
const querySets: Record<string, { queries: readonly string[]; scope: number }> = {
  '[[## (headings)': { queries: workload.korean.vaultHeadings.map((query) => query.replace(/^##/, '')), scope: headingScope },
  'Ctrl+T, Korean initials': { queries: workload.korean.initials, scope: WORKSPACE_SYMBOL_SCOPE },
  'Ctrl+T, Korean composing': { queries: workload.korean.composing, scope: WORKSPACE_SYMBOL_SCOPE },
};
for (const [setName, { queries, scope }] of Object.entries(querySets)) {
  const times: number[] = [];
  const slowest: Array<[number, string]> = [];
  for (let round = 0; round < 3; round++) {
    for (const query of queries) {
      const begun = performance.now();
      symbols.find(vault, query, 50, scope);
      if (round === 2) {
        times.push(performance.now() - begun);
        slowest.push([times[times.length - 1], query]);
      }
    }
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))].toFixed(2);
  console.log(`${setName} in process: p50 ${at(0.5)} ms, p95 ${at(0.95)} ms, p99 ${at(0.99)} ms`);
  console.log('  slowest:', slowest.sort((a, b) => b[0] - a[0]).slice(0, 6).map(([ms, query]) => `${JSON.stringify(query)} ${ms.toFixed(1)}`).join(', '));
}
