import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs, USAGE } from './args';
import { benchComparison } from './comparisonBench';
import { measureFloors } from './floors';
import { SERVER_MAIN } from './lspSession';
import { benchErrors, comparisonTable, machineLine, serverTable, type BenchReport, type SizeResults } from './report';
import { benchServer } from './vaultlinkServerBench';
import { ensureVault, planVault, VAULTS_DIR } from './vaultStore';
import { planWorkload } from './workload';

/**
 * `npm run bench`: generates the vaults, drives the built server over stdio at
 * each size, runs the vscode-markdown-languageservice comparison, prints the
 * tables and writes the JSON. Not part of the tests: absolute times depend on the
 * machine; test/unit/scaling.test.ts guards the growth instead.
 */
const RESULTS_DIR = path.resolve(__dirname, 'results');

export async function main(argv: readonly string[]): Promise<void> {
  const args = parseArgs(argv);
  if (args.help) {
    console.log(USAGE);
    return;
  }
  const serverMain = path.resolve(args.server ?? SERVER_MAIN);
  if (!fs.existsSync(serverMain)) throw new Error(`${serverMain} is missing: run "npm run build" first.`);
  const log = (message: string) => console.log(message);
  const report: BenchReport = {
    date: new Date().toISOString(),
    machine: {
      cpus: os.availableParallelism(),
      cpuModel: os.cpus()[0]?.model ?? 'unknown',
      memoryGb: os.totalmem() / 1024 ** 3,
      node: process.version,
      platform: `${os.type()} ${os.release()} ${os.arch()}`,
    },
    args,
    results: [],
  };
  const profileDir = path.join(RESULTS_DIR, 'profiles');
  if (args.profile) fs.mkdirSync(profileDir, { recursive: true });

  for (const size of args.sizes) {
    log(`\n== ${size.toLocaleString('en-US')} notes`);
    const plan = planVault(size, args.seed);
    const wiki = ensureVault(plan, 'wiki');
    log(`  wiki vault: ${(wiki.summary.bytes / 1024 ** 2).toFixed(0)} MB, ${wiki.summary.links} links (${wiki.summary.brokenLinks} broken)${wiki.generatedSeconds ? `, written in ${wiki.generatedSeconds.toFixed(1)} s` : ', reused'}`);
    const workload = planWorkload(plan, args.requests);
    const server = await benchServer({
      serverMain,
      vaultDirectory: wiki.directory,
      // The server's cache for this vault lives beside the vaults, never inside one.
      cacheDirectory: path.join(VAULTS_DIR, `cache-${size}`),
      workload,
      startups: args.startups,
      requests: args.requests,
      nodeArgs: args.profile ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, `--cpu-prof-name=server-${size}-${Date.now()}-\${pid}.cpuprofile`] : [],
      log,
    });
    // The floors right after the server, on the same vault and as many threads as it parses on.
    const floors = await measureFloors(wiki.directory, Math.max(1, os.availableParallelism()));
    log(`  floors on ${floors.threads} threads: read all ${floors.readAllMs.toFixed(0)} ms, regex scan ${floors.regexScanMs.toFixed(0)} ms, markdown-it block parse ${floors.markdownItMs.toFixed(0)} ms`);
    const result: SizeResults = { size, wikiVault: wiki.summary, server, floors, loadAverage: os.loadavg() };
    if (args.compareSizes.includes(size)) {
      const markdown = ensureVault(plan, 'markdown');
      log(`  markdown vault: ${(markdown.summary.bytes / 1024 ** 2).toFixed(0)} MB${markdown.generatedSeconds ? `, written in ${markdown.generatedSeconds.toFixed(1)} s` : ', reused'}`);
      Object.assign(result, { markdownVault: markdown.summary, comparison: await benchComparison({ vaultDirectory: markdown.directory, workload, requests: args.requests, log }) });
    }
    report.results.push(result);
  }

  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const out = args.out ?? path.join(RESULTS_DIR, `${report.date.slice(0, 19).replace(/:/g, '-')}-${args.sizes.join('-')}.json`);
  fs.writeFileSync(out, JSON.stringify(report, null, 2));
  log(`\n${machineLine(report)}\n\n${serverTable(report)}\n`);
  const comparison = comparisonTable(report);
  if (comparison) log(`${comparison}\n`);
  log(`JSON: ${path.relative(process.cwd(), out)}`);
  const errors = benchErrors(report);
  for (const error of errors) console.error(`ERROR: ${error}`);
  if (errors.length) process.exitCode = 1;
}
