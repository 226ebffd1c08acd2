/**
 * Where whole-vault indexing spends its time, phase by phase, on one thread,
 * next to the floors of the same vault: reading every note, a regex scan of
 * its links, markdown-it's block parse. Each phase is timed in CPU time of
 * this process (`process.cpuUsage`), which moves far less than wall time on a
 * shared machine, so before and after can be compared under load:
 *
 *   npx tsx bench/indexProfile.ts [10000] [--runs 3]
 *
 * The phases are those of a cold `vaultlink check`: parse (in worker threads
 * there), encode (the worker's message), decode and setNote (the main thread),
 * then every note's diagnostics. Prints JSON.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import MarkdownIt from 'markdown-it';
import { createDecodeInterner, decodeParsedNote, encodeParsedNote } from '../server/src/core/parsedNoteCodec';
import { parseNote } from '../server/src/core/parser';
import type { ParsedNote } from '../server/src/core/types';
import { VaultIndex } from '../server/src/core/vaultIndex';
import { computeDiagnostics } from '../server/src/features/diagnostics';
import { round } from './stats';
import { ensureVault, planVault } from './vaultStore';

function listNotes(root: string): string[] {
  const found: string[] = [];
  const walk = (relative: string) => {
    for (const entry of fs.readdirSync(path.join(root, relative), { withFileTypes: true })) {
      const child = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(child);
      else found.push(child);
    }
  };
  walk('');
  return found.sort();
}

/** CPU milliseconds (user + system) that `work` takes on this thread. */
function cpuMs(work: () => void): number {
  const before = process.cpuUsage();
  work();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
}

const WIKI_LINK = /!?\[\[([^\]\n]*)\]\]/g;

export function profileIndex(root: string): Record<string, number> {
  const files = listNotes(root);
  const notes = files.filter((file) => file.endsWith('.md'));
  const decoder = new TextDecoder('utf-8');
  const texts: string[] = [];
  const phases: Record<string, number> = {};
  phases.readAll = cpuMs(() => {
    for (const note of notes) texts.push(decoder.decode(fs.readFileSync(path.join(root, note))));
  });
  let links = 0;
  phases.regexScan = cpuMs(() => {
    for (const text of texts) for (const _ of text.matchAll(WIKI_LINK)) links++;
  });
  const markdown = new MarkdownIt({ html: true, linkify: false, typographer: false });
  markdown.core.ruler.disable(['inline', 'linkify', 'replacements', 'smartquotes', 'text_join'], true);
  phases.markdownItBlockParse = cpuMs(() => {
    for (const text of texts) markdown.parse(text, {});
  });
  const parsed: ParsedNote[] = [];
  phases.parse = cpuMs(() => {
    for (const text of texts) parsed.push(parseNote(text));
  });
  const encoded: string[] = [];
  phases.encode = cpuMs(() => {
    for (const note of parsed) encoded.push(encodeParsedNote(note)!);
  });
  const decoded: ParsedNote[] = [];
  phases.decode = cpuMs(() => {
    const interner = createDecodeInterner();
    for (const text of encoded) decoded.push(decodeParsedNote(text, interner));
  });
  const vault = new VaultIndex('file:///vault');
  phases.setNote = cpuMs(() => {
    for (const file of files) vault.addFile(file);
    notes.forEach((note, i) => vault.indexNote(note, decoded[i]));
  });
  let problems = 0;
  phases.diagnostics = cpuMs(() => {
    for (const note of vault.notes()) problems += computeDiagnostics(vault, note).length;
  });
  phases.indexTotal = phases.parse + phases.encode + phases.decode + phases.setNote;
  for (const key of Object.keys(phases)) phases[key] = round(phases[key], 0);
  return { notes: notes.length, links, problems, ...phases };
}

function main(argv: readonly string[]): void {
  const size = Number(argv.find((arg) => /^\d+$/.test(arg)) ?? 10000);
  const runsAt = argv.indexOf('--runs');
  const runs = runsAt >= 0 ? Number(argv[runsAt + 1]) : 1;
  const vault = ensureVault(planVault(size, 1), 'wiki');
  const results = [];
  for (let i = 0; i < runs; i++) results.push(profileIndex(vault.directory));
  // The fastest run of each phase: the one least disturbed by the machine's other load.
  const best: Record<string, number> = {};
  for (const result of results) for (const [key, value] of Object.entries(result)) best[key] = Math.min(best[key] ?? Infinity, value);
  console.log(JSON.stringify({ date: new Date().toISOString(), loadAverage: os.loadavg().map((load) => round(load, 2)), runs, cpuMs: best }, null, 2));
}

if (require.main === module) main(process.argv.slice(2));
