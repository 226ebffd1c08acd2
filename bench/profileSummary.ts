import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Reads a V8 `.cpuprofile` (from `node --cpu-prof`, which `npm run bench --
 * --profile` passes to the server) and prints where the time went: self time
 * per function, and inclusive time for the functions that matter.
 *
 *   npx tsx bench/profileSummary.ts <file.cpuprofile> [top]
 */

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly children?: readonly number[];
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
  readonly startTime: number;
  readonly endTime: number;
}

export interface FunctionTime {
  readonly name: string;
  readonly selfMs: number;
  readonly totalMs: number;
}

export function summarizeProfile(profile: CpuProfile): { totalMs: number; functions: FunctionTime[] } {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const label = (node: ProfileNode) => {
    const { functionName, url, lineNumber } = node.callFrame;
    const file = url ? path.basename(url.replace(/^file:\/\//, '')) : '';
    return `${functionName || '(anonymous)'}${file ? ` ${file}:${lineNumber + 1}` : ''}`;
  };
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  profile.samples.forEach((sample, index) => {
    const ms = (profile.timeDeltas[index + 1] ?? 0) / 1000;
    const node = byId.get(sample)!;
    self.set(label(node), (self.get(label(node)) ?? 0) + ms);
    // Inclusive time: once per distinct function on the stack, so recursion is not counted twice.
    const seen = new Set<string>();
    for (let id: number | undefined = sample; id !== undefined; id = parent.get(id)) {
      const name = label(byId.get(id)!);
      if (seen.has(name)) continue;
      seen.add(name);
      total.set(name, (total.get(name) ?? 0) + ms);
    }
  });
  const functions = [...total.entries()].map(([name, totalMs]) => ({ name, selfMs: self.get(name) ?? 0, totalMs }));
  return { totalMs: (profile.endTime - profile.startTime) / 1000, functions };
}

if (require.main === module) {
  const [file, top = '25'] = process.argv.slice(2);
  const { totalMs, functions } = summarizeProfile(JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile);
  console.log(`profile: ${totalMs.toFixed(0)} ms`);
  console.log('\nself time');
  for (const f of [...functions].sort((a, b) => b.selfMs - a.selfMs).slice(0, Number(top))) console.log(`${f.selfMs.toFixed(0).padStart(8)} ms  ${f.name}`);
  console.log('\ninclusive time');
  for (const f of [...functions].sort((a, b) => b.totalMs - a.totalMs).slice(0, Number(top))) console.log(`${f.totalMs.toFixed(0).padStart(8)} ms  ${f.name}`);
}
