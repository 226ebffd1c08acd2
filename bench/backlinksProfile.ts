/**
 * In-process timing of the Backlinks view's two requests on the most-linked
 * note of a generated vault, from the disk (NodeFileSystem): the backlinks
 * (the index's reverse links, then each linking note read for its lines) and
 * the unlinked-mention search (every other note read, those holding a name
 * parsed to verify). `node --import tsx bench/backlinksProfile.ts 10000`.
 * The first round reads cold files; the others what the OS cache holds.
 */
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import { createVaultService } from '../server/src/index';
import { NodeFileSystem } from '../server/src/node/nodeFileSystem';
import { ensureVault, planVault } from './vaultStore';

async function main(): Promise<void> {
  const size = Number(process.argv[2] ?? 10000);
  const plan = planVault(size, 1);
  const { directory } = ensureVault(plan, 'wiki');
  const service = createVaultService({ fileSystem: new NodeFileSystem() });
  service.setRoots([URI.file(directory).toString()]);
  let started = performance.now();
  await service.indexAll();
  console.log(`indexed ${size} notes in ${(performance.now() - started).toFixed(0)} ms`);
  const hub = plan.notes[0];
  const uri = URI.file(path.join(directory, hub.relativePath)).toString();
  for (let round = 0; round < 3; round++) {
    started = performance.now();
    const backlinks = await service.getBacklinks(uri);
    const backlinksMs = performance.now() - started;
    started = performance.now();
    const mentions = await service.getUnlinkedMentions(uri);
    const mentionsMs = performance.now() - started;
    const found = mentions?.notes.reduce((sum, note) => sum + note.mentions.length, 0) ?? 0;
    console.log(
      `round ${round + 1}: backlinks of ${hub.relativePath}: ${backlinks?.linkCount} links in ${backlinks?.linked.length} notes, ${backlinksMs.toFixed(0)} ms; ` +
        `unlinked mentions of ${JSON.stringify(mentions?.names)}: ${found}${mentions?.complete ? '' : '+'} in ${mentions?.notes.length} notes, ${mentionsMs.toFixed(0)} ms`,
    );
  }
}

void main();
