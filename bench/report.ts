import type { BenchArgs } from './args';
import type { ComparisonResults } from './comparisonBench';
import type { Floors } from './floors';
import { median, type Summary } from './stats';
import type { VaultSummary } from './vaultGenerator';
import type { ServerResults, StartupTimes } from './vaultlinkServerBench';

export interface MachineInfo {
  readonly cpus: number;
  readonly cpuModel: string;
  readonly memoryGb: number;
  readonly node: string;
  readonly platform: string;
}

export interface SizeResults {
  readonly size: number;
  readonly wikiVault: VaultSummary;
  readonly markdownVault?: VaultSummary;
  readonly server: ServerResults;
  readonly comparison?: ComparisonResults;
  /** Measured right after the server's figures; absent from runs before them. */
  readonly floors?: Floors;
  /** The machine's load average (1, 5, 15 minutes) when this size's figures were done. */
  readonly loadAverage?: readonly number[];
}

export interface BenchReport {
  readonly date: string;
  readonly machine: MachineInfo;
  readonly args: BenchArgs;
  readonly results: SizeResults[];
}

const TARGET_SIZE = 10000;

const fmt = (ms: number): string => (Number.isNaN(ms) ? '—' : ms < 10 ? ms.toFixed(1) : ms.toFixed(0));
const spread = (s: Summary): string => `${fmt(s.median)} / ${fmt(s.p95)} / ${fmt(s.p99)}`;

interface Row {
  readonly label: string;
  readonly target: string;
  readonly value: (r: SizeResults) => string;
  /** The figure the target is about, for the verdict and the 50k-vs-10k growth check. */
  readonly figure?: (r: SizeResults) => number;
  readonly limit?: number;
  /** Interactive figures must stay within 2× from 10k to 50k notes. */
  readonly interactive?: boolean;
}

const ROWS: Row[] = [
  { label: 'cold start → first diagnostics of the open note (ms)', target: '≤ 1500', value: (r) => fmt(median(r.server.cold.map((t) => t.firstDiagnosticsMs))), figure: (r) => median(r.server.cold.map((t) => t.firstDiagnosticsMs)), limit: 1500 },
  { label: 'cold start → whole vault indexed (ms)', target: '', value: (r) => fmt(median(r.server.cold.map((t) => t.indexedMs))) },
  { label: 'the same ÷ the floors of this run: read all / regex scan / markdown-it parse', target: '', value: (r) => floorRatios(median(r.server.cold.map((t) => t.indexedMs)), r.floors) },
  { label: 'the same, CPU time of the server (all threads, ms)', target: '', value: (r) => fmt(median(r.server.cold.map((t) => t.indexedCpuMs ?? NaN))) },
  { label: 'warm start (cache) → first diagnostics (ms)', target: '≤ 400', value: (r) => fmt(median(r.server.warm.map((t) => t.firstDiagnosticsMs))), figure: (r) => median(r.server.warm.map((t) => t.firstDiagnosticsMs)), limit: 400 },
  { label: 'warm start (cache) → whole vault indexed (ms)', target: '', value: (r) => fmt(median(r.server.warm.map((t) => t.indexedMs))) },
  { label: 'the same ÷ the floors of this run: read all / regex scan / markdown-it parse', target: '', value: (r) => floorRatios(median(r.server.warm.map((t) => t.indexedMs)), r.floors) },
  { label: 'the same, CPU time of the server (all threads, ms)', target: '', value: (r) => fmt(median(r.server.warm.map((t) => t.indexedCpuMs ?? NaN))) },
  { label: 'completion after `[[`, p50 / p95 / p99 (ms)', target: 'p95 ≤ 15', value: (r) => spread(r.server.completionNote), figure: (r) => r.server.completionNote.p95, limit: 15, interactive: true },
  { label: '`[[` typed from the moment the note opens: while the vault is indexed, p50 / p95 / p99 (ms) [requests, cold starts pooled]', target: 'p95 ≤ 15', value: (r) => (r.server.completionAtOnce ? `${spread(r.server.completionAtOnce.whileIndexing)} [${r.server.completionAtOnce.whileIndexing.count}${r.server.completionAtOnce.starts ? `, ${r.server.completionAtOnce.starts} cold starts` : ''}]` : '—'), figure: (r) => r.server.completionAtOnce?.whileIndexing.p95 ?? NaN, limit: 15, interactive: true },
  { label: 'the same in the seconds after it is indexed (background builds), p50 / p95 / p99 / worst (ms)', target: 'p95 ≤ 15', value: (r) => (r.server.completionAtOnce ? `${spread(r.server.completionAtOnce.afterIndexing)} / ${r.server.completionAtOnce.afterIndexing.max.toFixed(0)}` : '—'), figure: (r) => r.server.completionAtOnce?.afterIndexing.p95 ?? NaN, limit: 15, interactive: true },
  { label: 'completion after `[[` in Korean: initials (`ㄷㅇㅌ`), p50 / p95 / p99 (ms)', target: 'p95 ≤ 15', value: (r) => (r.server.completionKorean ? spread(r.server.completionKorean.initials) : '—'), figure: (r) => r.server.completionKorean?.initials.p95 ?? NaN, limit: 15, interactive: true },
  { label: 'completion after `[[` in Korean: a syllable being composed (`데이터 배ㅍ`), p50 / p95 / p99 (ms)', target: 'p95 ≤ 15', value: (r) => (r.server.completionKorean ? spread(r.server.completionKorean.composing) : '—'), figure: (r) => r.server.completionKorean?.composing.p95 ?? NaN, limit: 15, interactive: true },
  { label: 'completion after `[[` in Korean: whole syllables, p50 / p95 / p99 (ms)', target: 'p95 ≤ 15', value: (r) => (r.server.completionKorean ? spread(r.server.completionKorean.syllables) : '—'), figure: (r) => r.server.completionKorean?.syllables.p95 ?? NaN, limit: 15, interactive: true },
  { label: 'completion after `[[##` (every note\'s headings, Korean), p50 / p95 / p99 (ms)', target: 'p95 ≤ 15', value: (r) => (r.server.completionKorean ? spread(r.server.completionKorean.vaultHeadings) : '—'), figure: (r) => r.server.completionKorean?.vaultHeadings.p95 ?? NaN, limit: 15, interactive: true },
  { label: 'completion after `[[Note#`, p50 / p95 / p99 (ms)', target: 'p95 ≤ 15', value: (r) => spread(r.server.completionHeading), figure: (r) => r.server.completionHeading.p95, limit: 15, interactive: true },
  { label: 'definition, p50 / p95 / p99 (ms)', target: 'p95 ≤ 5', value: (r) => spread(r.server.definition), figure: (r) => r.server.definition.p95, limit: 5, interactive: true },
  { label: 'diagnostics after an edit, p50 / p95 / p99 (ms)', target: 'p95 ≤ 20', value: (r) => spread(r.server.diagnosticsAfterEdit), figure: (r) => r.server.diagnosticsAfterEdit.p95, limit: 20, interactive: true },
  { label: 'references to the most-linked note, p50 / p95 (ms) [links, answer size, JSON encode + decode of it]', target: 'p95 ≤ 50', value: (r) => `${fmt(r.server.references.median)} / ${fmt(r.server.references.p95)} [${r.server.references.locations}, ${((r.server.references.responseKb ?? 0) / 1024).toFixed(1)} MB, ${r.server.references.jsonMs === undefined ? '?' : fmt(r.server.references.jsonMs)} ms]`, figure: (r) => r.server.references.p95, limit: 50, interactive: true },
  { label: 'references, first partial batch (`partialResultToken`), p50 / p95 (ms)', target: 'p95 ≤ 10', value: (r) => (r.server.referencesPartial ? `${fmt(r.server.referencesPartial.firstBatch.median)} / ${fmt(r.server.referencesPartial.firstBatch.p95)}` : '—'), figure: (r) => r.server.referencesPartial?.firstBatch.p95 ?? NaN, limit: 10, interactive: true },
  { label: 'references as partial results, whole answer, p50 / p95 (ms) [batches]', target: 'p95 ≤ 30', value: (r) => (r.server.referencesPartial ? `${fmt(r.server.referencesPartial.whole.median)} / ${fmt(r.server.referencesPartial.whole.p95)} [${r.server.referencesPartial.batches}]` : '—'), figure: (r) => r.server.referencesPartial?.whole.p95 ?? NaN, limit: 30, interactive: true },
  // The answer grows with the vault (the hub's backlinks do): the cost per link is what must not grow.
  { label: 'the same per 1,000 links in the answer, p95 (ms)', target: '', value: (r) => fmt((1000 * r.server.references.p95) / Math.max(1, r.server.references.locations)), figure: (r) => (1000 * r.server.references.p95) / Math.max(1, r.server.references.locations), interactive: true },
  { label: 'rename of a heading of that note, p50 / p95 (ms) [link edits]', target: '', value: (r) => (r.server.headingRename ? `${fmt(r.server.headingRename.median)} / ${fmt(r.server.headingRename.p95)} [${r.server.headingRename.edits}]` : '—'), figure: (r) => r.server.headingRename?.p95 ?? NaN, interactive: true },
  { label: 'the same per 100 link edits, p95 (ms)', target: '', value: (r) => (r.server.headingRename ? fmt((100 * r.server.headingRename.p95) / Math.max(1, r.server.headingRename.edits)) : '—'), figure: (r) => (r.server.headingRename ? (100 * r.server.headingRename.p95) / Math.max(1, r.server.headingRename.edits) : NaN), interactive: true },
  { label: 'heading renamed in that note → linking notes re-published (ms) [notes]', target: '', value: (r) => `${fmt(r.server.hubHeadingEdit.allPublishedMs)} [${r.server.hubHeadingEdit.republished}]` },
  {
    label: 'severity change pushed → every note with problems re-published (ms) [notes re-published; parses]',
    target: 'parses: 0',
    value: (r) => {
      const change = r.server.severityChange;
      if (!change) return '—';
      const missing = change.missing ? `, **${change.missing} of ${change.expected} never re-published**` : '';
      return `${fmt(change.allPublishedMs)} [${change.republished.toLocaleString('en-US')}; parses: ${change.parses}${change.parses ? ' **not 0**' : ''}${missing}]`;
    },
    // Met when nothing was parsed again and every note came back.
    figure: (r) => (r.server.severityChange ? r.server.severityChange.parses + r.server.severityChange.missing : NaN),
    limit: 0,
  },
  { label: 'resident memory after indexing, cold / warm (MB)', target: '≤ 300', value: (r) => `${fmt(median(r.server.cold.map((t) => t.memory.rssMb)))} / ${fmt(median(r.server.warm.map((t) => t.memory.rssMb)))}`, figure: (r) => Math.max(median(r.server.cold.map((t) => t.memory.rssMb)), median(r.server.warm.map((t) => t.memory.rssMb))), limit: 300 },
  {
    label: 'the same a minute later, idle (V8 has given back what indexing grew), cold / warm (MB)',
    target: '≤ 200',
    value: (r) => {
      const idle = (starts: readonly StartupTimes[]) => starts.at(-1)?.idleMemory?.rssMb;
      return `${fmt(idle(r.server.cold) ?? NaN)} / ${fmt(idle(r.server.warm) ?? NaN)}`;
    },
    figure: (r) => Math.max(r.server.cold.at(-1)?.idleMemory?.rssMb ?? NaN, r.server.warm.at(-1)?.idleMemory?.rssMb ?? NaN),
    limit: 200,
  },
  { label: 'peak resident memory while indexing, cold (MB)', target: '', value: (r) => fmt(median(r.server.cold.map((t) => t.memory.peakRssMb))) },
  { label: 'floors, same vault and threads: read all / regex scan / markdown-it block parse (ms)', target: '', value: (r) => (r.floors ? `${fmt(r.floors.readAllMs)} / ${fmt(r.floors.regexScanMs)} / ${fmt(r.floors.markdownItMs)} (${r.floors.threads} threads)` : '—') },
  { label: 'load average while measured (1 / 5 / 15 min)', target: '', value: (r) => (r.loadAverage ? r.loadAverage.map((load) => load.toFixed(1)).join(' / ') : '—') },
];

/** A wall time as multiples of each floor measured in the same run. */
function floorRatios(ms: number, floors: Floors | undefined): string {
  if (!floors || Number.isNaN(ms)) return '—';
  return [floors.readAllMs, floors.regexScanMs, floors.markdownItMs].map((floor) => `${(ms / floor).toFixed(1)}×`).join(' / ');
}

/** The server's figures, one column per size, with the verdict at 10,000 notes and the growth to 50,000. */
export function serverTable(report: BenchReport): string {
  const results = [...report.results].sort((a, b) => a.size - b.size);
  const atTarget = results.find((r) => r.size === TARGET_SIZE);
  const largest = results[results.length - 1];
  const growth = atTarget && largest.size > TARGET_SIZE ? largest : undefined;
  const header = ['operation', 'target (10k)', ...results.map((r) => `${r.size.toLocaleString('en-US')} notes`), 'met at 10k'];
  if (growth) header.push(`${growth.size / 1000}k ÷ 10k (≤ 2×)`);
  const lines = [row(header), row(header.map(() => '---'))];
  for (const spec of ROWS) {
    const cells = [spec.label, spec.target, ...results.map(spec.value)];
    const figure = atTarget && spec.figure && spec.limit !== undefined ? spec.figure(atTarget) : NaN;
    cells.push(Number.isNaN(figure) ? '' : figure <= spec.limit! ? 'yes' : '**no**');
    if (growth) {
      const ratio = spec.interactive && spec.figure ? spec.figure(growth) / spec.figure(atTarget!) : NaN;
      cells.push(Number.isNaN(ratio) ? '' : `${ratio.toFixed(2)}×${ratio > 2 ? ' **over**' : ''}`);
    }
    lines.push(row(cells));
  }
  return lines.join('\n');
}

/** Vaultlink against vscode-markdown-languageservice on the markdown-link vault, in one process each. */
export function comparisonTable(report: BenchReport): string {
  const compared = report.results.filter((r) => r.comparison).sort((a, b) => a.size - b.size);
  if (compared.length === 0) return '';
  const header = ['operation (markdown-link vault, in-process)', 'notes', 'Vaultlink', 'vscode-markdown-languageservice', 'Vaultlink faster by'];
  const lines = [row(header), row(header.map(() => '---'))];
  for (const r of compared) {
    const { vaultlink: v, markdownService: m } = r.comparison!;
    const add = (label: string, ours: number, theirs: number, note = '') => lines.push(row([label, r.size.toLocaleString('en-US'), fmt(ours), fmt(theirs) + note, `${(theirs / ours).toFixed(1)}×`]));
    const problems = (p: Record<string, number>) => Object.values(p).reduce((a, b) => a + b, 0);
    add(`full-vault link validation (ms) [problems: ${problems(v.problems)} vs ${problems(m.problems)}]`, v.validationMs, m.validationMs);
    // What an editor waits for (the server's whole vault, cold, over stdio, on every core) against the service's full validation.
    const serverCold = median(r.server.cold.map((t) => t.indexedMs));
    if (!Number.isNaN(serverCold)) add('whole vault: server cold start → indexed, against its full validation (ms)', serverCold, m.validationMs);
    add('definition p95 (ms)', v.definition.p95, m.definition.p95);
    add(`references to the most-linked note p95 (ms) [${v.references.locations} vs ${m.references.locations}]`, v.references.p95, m.references.p95);
    add('path completion after `](` p95 (ms)', v.pathCompletion.p95, m.pathCompletion.p95);
    add('heading completion after `](note.md#` p95 (ms)', v.headingCompletion.p95, m.headingCompletion.p95);
  }
  return lines.join('\n');
}

/** Figures that are wrong, not slow (a severity change that parsed notes…): the bench fails on them. */
export function benchErrors(report: BenchReport): string[] {
  return report.results.flatMap((r) => (r.server.severityChange?.problems ?? []).map((problem) => `${r.size.toLocaleString('en-US')} notes: severity change: ${problem}`));
}

export function machineLine(report: BenchReport): string {
  const m = report.machine;
  return `${report.date}: ${m.cpus} × ${m.cpuModel}, ${m.memoryGb.toFixed(0)} GB RAM, Node ${m.node}, ${m.platform}`;
}

function row(cells: readonly string[]): string {
  return `| ${cells.join(' | ')} |`;
}
