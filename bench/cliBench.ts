import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { median, round } from './stats';
import { ensureVault, planVault, VAULTS_DIR } from './vaultStore';

/**
 * `vaultlink check` on a generated vault, timed from spawn to exit as CI sees
 * it (issue 12's target: ≤ 1.5 s at 10,000 notes on 2 cores):
 *
 *   npx tsx bench/cliBench.ts [--size 10000] [--runs 3] [--cli dist/cli/main.js]
 *
 * `cold`: no parse cache (VAULTLINK_CACHE=off), as a fresh CI runner.
 * `warm`: `--cache` with the cache an earlier run left (in bench/.vaults, never
 * the user's). `--cli` measures another build, for before and after. The
 * output is JSON (exit code, 0 clean or 1 problems, is not checked).
 */

const TARGET_MS = 1500;

function option(argv: readonly string[], name: string): string | undefined {
  const index = argv.indexOf(name);
  return index >= 0 ? argv[index + 1] : argv.find((arg) => arg.startsWith(`${name}=`))?.slice(name.length + 1);
}

function timeRun(cli: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<{ ms: number; code: number | null; summary: string }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [cli, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'ignore'] });
    let tail = '';
    child.stdout.on('data', (chunk: Buffer) => (tail = (tail + chunk.toString('utf8')).slice(-400)));
    child.on('error', reject);
    child.on('close', (code) => resolve({ ms: performance.now() - started, code, summary: tail.trimEnd().split('\n').pop() ?? '' }));
  });
}

export async function main(argv: readonly string[]): Promise<void> {
  const size = Number(option(argv, '--size') ?? 10000);
  const runs = Number(option(argv, '--runs') ?? 3);
  const cli = path.resolve(option(argv, '--cli') ?? path.join(__dirname, '..', 'dist', 'cli', 'main.js'));
  if (!fs.existsSync(cli)) throw new Error(`${cli} is missing: run "npm run build" first.`);
  const vault = ensureVault(planVault(size, 1), 'wiki');
  const args = ['check', vault.directory, '--max-warnings', '-1'];
  const cacheHome = path.join(VAULTS_DIR, `cli-cache-${size}`);
  const cold: number[] = [];
  const warm: number[] = [];
  let summary = '';
  for (let i = 0; i < runs; i++) {
    const run = await timeRun(cli, args, { VAULTLINK_CACHE: 'off' });
    cold.push(run.ms);
    summary = run.summary;
    console.log(`cold ${i + 1}: ${Math.round(run.ms)} ms (${run.summary})`);
  }
  // The first warm run fills the cache; the ones after it read it.
  await timeRun(cli, [...args, '--cache'], { XDG_CACHE_HOME: cacheHome });
  for (let i = 0; i < runs; i++) {
    const run = await timeRun(cli, [...args, '--cache'], { XDG_CACHE_HOME: cacheHome });
    warm.push(run.ms);
    console.log(`warm ${i + 1}: ${Math.round(run.ms)} ms`);
  }
  const result = {
    date: new Date().toISOString(),
    machine: { cpus: os.availableParallelism(), loadAverage: os.loadavg().map((load) => round(load, 2)), node: process.version },
    cli: path.relative(process.cwd(), cli),
    notes: size,
    summary,
    coldMedianMs: Math.round(median(cold)),
    warmMedianMs: Math.round(median(warm)),
    targetMs: TARGET_MS,
    met: median(cold) <= TARGET_MS,
  };
  console.log(JSON.stringify(result, null, 2));
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
