import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';

/**
 * The floors of whole-vault indexing on this machine, in this run: what no
 * indexer of the same vault on the same threads can beat. Each runs on as many
 * worker threads as the server parses on (one per core), every thread taking
 * every n-th note, timed from the first thread's start to the last one's end:
 *  - readAll: read and decode every note;
 *  - regexScan: that, and one regex over each note for its wiki links;
 *  - markdownIt: that, and markdown-it's block parse (what the parser builds on).
 * Wall time moves with the machine's other load as the server's figures do, so
 * the ratios of the two, measured minutes apart, are what to compare.
 */
export interface Floors {
  readonly threads: number;
  readonly notes: number;
  readonly readAllMs: number;
  readonly regexScanMs: number;
  readonly markdownItMs: number;
}

// Plain JavaScript: workers run it as is, without tsx.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
const MarkdownIt = require(workerData.markdownIt);
const markdown = new MarkdownIt({ html: true, linkify: false, typographer: false });
markdown.core.ruler.disable(['inline', 'linkify', 'replacements', 'smartquotes', 'text_join'], true);
const decoder = new TextDecoder('utf-8');
const WIKI_LINK = /!?\\[\\[([^\\]\\n]*)\\]\\]/g;
let links = 0;
for (const file of workerData.files) {
  const text = decoder.decode(fs.readFileSync(file));
  if (workerData.phase === 'regexScan') for (const _ of text.matchAll(WIKI_LINK)) links++;
  if (workerData.phase === 'markdownIt') markdown.parse(text, {});
}
parentPort.postMessage(links);
`;

function listNotes(root: string): string[] {
  const found: string[] = [];
  const walk = (folder: string) => {
    for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
      const child = path.join(folder, entry.name);
      if (entry.isDirectory()) walk(child);
      else if (entry.name.endsWith('.md')) found.push(child);
    }
  };
  walk(root);
  return found.sort();
}

async function timePhase(files: readonly string[], threads: number, phase: string): Promise<number> {
  // Under tsx the resolved path carries a ?namespace= query, which a plain require cannot open.
  const markdownIt = require.resolve('markdown-it').replace(/\?.*$/, '');
  const started = performance.now();
  await Promise.all(
    Array.from({ length: threads }, (_, thread) => {
      const share = files.filter((_, index) => index % threads === thread);
      return new Promise<void>((resolve, reject) => {
        const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { files: share, phase, markdownIt } });
        worker.once('message', () => resolve());
        // The worker ends by itself once its loop is done: it holds nothing open.
        worker.once('error', reject);
      });
    }),
  );
  return performance.now() - started;
}

export async function measureFloors(vaultDirectory: string, threads: number): Promise<Floors> {
  const files = listNotes(vaultDirectory);
  // Once to bring the files into the OS cache, as the server finds them after the vault was written.
  await timePhase(files, threads, 'readAll');
  return {
    threads,
    notes: files.length,
    readAllMs: await timePhase(files, threads, 'readAll'),
    regexScanMs: await timePhase(files, threads, 'regexScan'),
    markdownItMs: await timePhase(files, threads, 'markdownIt'),
  };
}
