/**
 * Heap after indexing a generated vault in process, parsed (cold) and then
 * decoded from the parse cache (warm), then with completion's catalog and the
 * symbol index built, to see where resident memory goes:
 *   node --expose-gc --import tsx bench/memoryProfile.ts 10000 [--snapshot]
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import { URI } from 'vscode-uri';
import { createVaultService } from '../server/src/index';
import { codeFingerprint, FileParseCacheStorage } from '../server/src/node/fileParseCacheStorage';
import { InThreadNoteSource } from '../server/src/core/noteSource';
import { NodeFileSystem } from '../server/src/node/nodeFileSystem';
import { WorkerNoteSource } from '../server/src/node/workerNoteSource';
import { VAULTS_DIR } from './vaultStore';

async function heapAfterIndex(root: string, cacheDirectory: string, label: string, snapshot: boolean): Promise<void> {
  const fileSystem = new NodeFileSystem();
  // As the server indexes: parsed in worker threads (the built worker: run `npm run build` first), sent encoded.
  const noteSource = new WorkerNoteSource({ workerScript: path.resolve(__dirname, '../dist/server/noteWorker.js'), workers: 2, fallback: new InThreadNoteSource(fileSystem) });
  const service = createVaultService({ fileSystem, noteSource, parseCache: new FileParseCacheStorage(cacheDirectory, codeFingerprint()) });
  service.setRoots([URI.file(root).toString()]);
  await service.indexAll();
  (globalThis as { gc?: () => void }).gc?.();
  const usage = process.memoryUsage();
  console.log(`${label}: heap used ${(usage.heapUsed / 2 ** 20).toFixed(0)} MB of ${(usage.heapTotal / 2 ** 20).toFixed(0)} MB, external (array buffers included) ${(usage.external / 2 ** 20).toFixed(0)} MB, rss ${(usage.rss / 2 ** 20).toFixed(0)} MB (${service.stats.notes} notes)`);
  if (snapshot) console.log(`  snapshot: ${v8.writeHeapSnapshot(path.join(os.tmpdir(), `vaultlink-${label}.heapsnapshot`))}`);
  // What the server builds next, in background turns: completion's catalog and the symbol index (`[[`, `[[##`, Ctrl+T).
  while (service.prepareCompletion());
  (globalThis as { gc?: () => void }).gc?.();
  const derived = process.memoryUsage();
  console.log(`${label}, catalog and symbol index built: heap used ${(derived.heapUsed / 2 ** 20).toFixed(0)} MB (+${((derived.heapUsed - usage.heapUsed) / 2 ** 20).toFixed(0)}) of ${(derived.heapTotal / 2 ** 20).toFixed(0)} MB, external (array buffers included) ${(derived.external / 2 ** 20).toFixed(0)} MB, rss ${(derived.rss / 2 ** 20).toFixed(0)} MB`);
  if (snapshot) console.log(`  snapshot: ${v8.writeHeapSnapshot(path.join(os.tmpdir(), `vaultlink-${label}-derived.heapsnapshot`))}`);
}

async function main(): Promise<void> {
  const size = Number(process.argv[2] ?? 10000);
  const snapshot = process.argv.includes('--snapshot');
  const root = path.join(VAULTS_DIR, `wiki-${size}-seed1`);
  // Cold with a fresh cache folder, then warm in a second process from the cache the first wrote.
  const cacheAt = process.argv.indexOf('--cache');
  if (cacheAt > 0) {
    await heapAfterIndex(root, process.argv[cacheAt + 1], 'warm', snapshot);
    process.exit(0);
  }
  const cacheDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'vaultlink-memory-'));
  await heapAfterIndex(root, cacheDirectory, 'cold', snapshot);
  execFileSync(process.execPath, [...process.execArgv, __filename, String(size), '--cache', cacheDirectory, ...(snapshot ? ['--snapshot'] : [])], { stdio: 'inherit' });
  fs.rmSync(cacheDirectory, { recursive: true, force: true });
  process.exit(0);
}

void main();
