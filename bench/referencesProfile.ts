/**
 * In-process timing of find-references to the most-linked note (and rename of
 * one of its headings), without the server or JSON-RPC: for finding where the
 * time goes (`node --cpu-prof --import tsx bench/referencesProfile.ts 10000`).
 * The figures that count come from `npm run bench`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import { createVaultService } from '../server/src/index';
import { NodeFileSystem } from '../server/src/node/nodeFileSystem';
import { planVault } from './vaultGenerator';
import { VAULTS_DIR } from './vaultStore';
import { plainTextPosition } from './workload';

async function main(): Promise<void> {
  const size = Number(process.argv[2] ?? 10000);
  const root = path.join(VAULTS_DIR, `wiki-${size}-seed1`);
  const service = createVaultService({ fileSystem: new NodeFileSystem() });
  service.setRoots([URI.file(root).toString()]);
  let started = performance.now();
  await service.indexAll();
  console.log(`indexed ${size} notes in ${(performance.now() - started).toFixed(0)} ms`);
  const hub = planVault(size, 1).notes[0];
  const uri = URI.file(path.join(root, hub.relativePath)).toString();
  const position = plainTextPosition(fs.readFileSync(path.join(root, hub.relativePath), 'utf8'));
  const times: number[] = [];
  let count = 0;
  for (let round = 0; round < 30; round++) {
    started = performance.now();
    count = service.getReferences(uri, position, false).length;
    times.push(performance.now() - started);
  }
  started = performance.now();
  const json = JSON.stringify(service.getReferences(uri, position, false));
  const stringify = performance.now() - started;
  times.sort((a, b) => a - b);
  console.log(`references to ${hub.relativePath}: ${count} links, p50 ${times[15].toFixed(1)} ms, p95 ${times[28].toFixed(1)} ms; JSON ${(json.length / 1e6).toFixed(1)} MB in ${stringify.toFixed(1)} ms`);
}

void main();
