/**
 * In-process timing of `[[` completion at one vault size, without the server:
 * the catalog is built from the generated vault's files and front matter, and
 * the benchmark's own queries are asked. For finding where completion time goes
 * (`node --cpu-prof`); the figures that count come from `npm run bench`.
 *   npx tsx bench/completionProfile.ts 50000
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import { LinkCatalog, provideCompletions } from '../server/src/features/completion';
import { parseNote } from '../server/src/core/parser';
import { VaultIndex } from '../server/src/core/vaultIndex';
import { planVault } from './vaultGenerator';
import { planWorkload } from './workload';
import { VAULTS_DIR } from './vaultStore';

const size = Number(process.argv[2] ?? 10000);
const root = path.join(VAULTS_DIR, `wiki-${size}-seed1`);
const vault = new VaultIndex(URI.file(root).toString());
for (const entry of fs.readdirSync(root, { recursive: true }) as string[]) {
  const relativePath = entry.split(path.sep).join('/');
  if (!fs.statSync(path.join(root, entry)).isFile()) continue;
  if (!relativePath.endsWith('.md')) {
    vault.addFile(relativePath);
    continue;
  }
  const text = fs.readFileSync(path.join(root, entry), 'utf8');
  const frontMatterEnd = text.startsWith('---') ? text.indexOf('\n---', 3) : -1;
  vault.setNote(relativePath, parseNote(frontMatterEnd > 0 ? text.slice(0, frontMatterEnd + 4) : ''));
}
const plan = planVault(size, 1);
const workload = planWorkload(plan, 200);
let started = performance.now();
const catalog = new LinkCatalog(vault);
console.log(`catalog of ${size} notes built in ${(performance.now() - started).toFixed(0)} ms`);
const note = vault.note(vault.fileForUri(vault.uriOf(workload.workingNote.relativePath))!)!;
const querySets: Record<string, readonly string[]> = {
  '[[': workload.noteQueries,
  '[[ Korean initials': workload.korean.initials,
  '[[ Korean composing': workload.korean.composing,
  '[[ Korean syllables': workload.korean.syllables,
  '[[##': workload.korean.vaultHeadings,
};
for (const [setName, queries] of Object.entries(querySets)) {
  const times: number[] = [];
  const slowest: Array<[number, string]> = [];
  for (let round = 0; round < 3; round++) {
    for (const query of queries) {
      const line = `[[${query}`;
      started = performance.now();
      provideCompletions(vault, catalog, note, line, { line: 0, character: line.length });
      if (round === 2) {
        times.push(performance.now() - started);
        slowest.push([times[times.length - 1], query]);
      }
    }
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))].toFixed(2);
  console.log(`${setName} completion in process: p50 ${at(0.5)} ms, p95 ${at(0.95)} ms, p99 ${at(0.99)} ms`);
  console.log('  slowest:', slowest.sort((a, b) => b[0] - a[0]).slice(0, 8).map(([ms, query]) => `${JSON.stringify(query)} ${ms.toFixed(1)}`).join(', '));
}
{
  const rounds = 3;
  const begun = performance.now();
  for (let i = 0; i < rounds; i++) new LinkCatalog(vault);
  console.log(`catalog rebuilt in ${((performance.now() - begun) / rounds).toFixed(0)} ms (mean of ${rounds}, warm)`);
}
{
  // Issue 15: the catalog taken in by bounded steps (as the server does while indexing) and kept up to date per file.
  const percentile = (samples: number[], q: number) => [...samples].sort((a, b) => a - b)[Math.min(samples.length - 1, Math.floor(q * samples.length))] ?? NaN;
  const building = LinkCatalog.inSteps(vault);
  const stepTimes: number[] = [];
  const duringBuild: number[] = [];
  let query = 0;
  for (let more = true; more; ) {
    for (let i = 0; i < 5; i++) {
      const line = `[[${workload.noteQueries[query++ % workload.noteQueries.length]}`;
      const begun = performance.now();
      provideCompletions(vault, building, note, line, { line: 0, character: line.length });
      duringBuild.push(performance.now() - begun);
    }
    const begun = performance.now();
    more = building.step();
    stepTimes.push(performance.now() - begun);
  }
  const segmented: number[] = [];
  for (const q of workload.noteQueries) {
    const line = `[[${q}`;
    const begun = performance.now();
    provideCompletions(vault, building, note, line, { line: 0, character: line.length });
    segmented.push(performance.now() - begun);
  }
  console.log(`[[ on the catalog built in steps (its segments): p50 ${percentile(segmented, 0.5).toFixed(2)} ms, p95 ${percentile(segmented, 0.95).toFixed(2)} ms`);
  console.log(`catalog in steps: ${stepTimes.length} steps, longest ${Math.max(...stepTimes).toFixed(0)} ms, median ${percentile(stepTimes, 0.5).toFixed(0)} ms; [[ while it is built: p50 ${percentile(duringBuild, 0.5).toFixed(2)} ms, p95 ${percentile(duringBuild, 0.95).toFixed(2)} ms`);
  // Renames: a note leaves and comes back under another name, then `[[` is asked (the catalog takes the change in on the search).
  const files = [...vault.files()].filter((file) => file.isNote);
  const afterChange: number[] = [];
  for (let i = 0; i < 300; i++) {
    const file = files[(i * 7919) % files.length];
    building.removeFile(file);
    building.addFile(file);
    const line = `[[${workload.noteQueries[i % workload.noteQueries.length]}`;
    const begun = performance.now();
    provideCompletions(vault, building, note, line, { line: 0, character: line.length });
    afterChange.push(performance.now() - begun);
    if (i % 50 === 49) while (building.step());
  }
  console.log(`[[ right after a note was renamed (taken in by that search): p50 ${percentile(afterChange, 0.5).toFixed(2)} ms, p95 ${percentile(afterChange, 0.95).toFixed(2)} ms`);
}
