// Entry point that VS Code's extension host calls (`extensionTestsPath`): it
// runs the integration tests with mocha and settles when they are done; the
// host then exits. Launchers: scripts/runIntegration.mjs (code-server in
// headless Chromium, or @vscode/test-electron where VS Code desktop is at hand).
//
// The whole folder is bundled by esbuild into one file
// (dist/test/integration/index.js, with `vscode` and `mocha` external), so the
// test files cannot be found on disk at run time. They are `require`d below,
// after mocha has put `describe`/`it` on the global object: esbuild turns each
// such require into a lazily evaluated module, so their top-level `describe`
// calls run at that point and not when this bundle is loaded.
//
// The launcher cannot see this process's console (it lives in code-server's
// remote extension host), so results go to the JSON file named by
// VAULTLINK_TEST_RESULTS, written even when the suite itself throws.
import * as fs from 'fs';
import * as path from 'path';
import Mocha from 'mocha';

/** Each test file, in the order they run. Add new files here. */
const testFiles: Array<[name: string, load: () => unknown]> = [
  ['workspace.test', () => require('./workspace.test')],
  ['commands.test', () => require('./commands.test')],
  ['symbols.test', () => require('./symbols.test')],
  ['definition.test', () => require('./definition.test')],
  ['hover.test', () => require('./hover.test')],
  ['completion.test', () => require('./completion.test')],
  ['blockSearch.test', () => require('./blockSearch.test')],
  ['diagnostics.test', () => require('./diagnostics.test')],
  ['quickFixes.test', () => require('./quickFixes.test')],
  ['talks.test', () => require('./talks.test')],
  ['talkSchedule.test', () => require('./talkSchedule.test')],
  ['rename.test', () => require('./rename.test')],
  ['attachments.test', () => require('./attachments.test')],
  ['serverRestart.test', () => require('./serverRestart.test')],
  ['vaultNavigation.test', () => require('./vaultNavigation.test')],
  ['backlinks.test', () => require('./backlinks.test')],
  ['editing.test', () => require('./editing.test')],
  ['firstRun.test', () => require('./firstRun.test')],
  // Last: it adds an image to the vault (removed after), which earlier tests count without.
  ['preview.test', () => require('./preview.test')],
  ['quickOpen.test', () => require('./quickOpen.test')],
];

export interface TestResult {
  title: string;
  fullTitle: string;
  state: 'passed' | 'failed' | 'pending';
  durationMs?: number;
  error?: string;
}

export interface SuiteResults {
  /** VS Code version that ran the suite. */
  vscodeVersion?: string;
  /** Where VS Code loaded Vaultlink from: this folder, or an installed .vsix (scripts/runIntegration.mjs --installed checks it). */
  extensionPath?: string;
  tests: TestResult[];
  passed: number;
  failed: number;
  pending: number;
  /** Set when the suite could not run to the end (load error, crash). */
  error?: string;
  startedAt: string;
  finishedAt?: string;
}

export async function run(): Promise<void> {
  const results: SuiteResults = { tests: [], passed: 0, failed: 0, pending: 0, startedAt: new Date().toISOString() };
  let failures: number;
  try {
    results.vscodeVersion = vscodeVersion();
    results.extensionPath = extensionPath();
    failures = await runMocha(results);
  } catch (err) {
    results.error = errorText(err, true);
    throw err;
  } finally {
    results.finishedAt = new Date().toISOString();
    writeResults(results);
  }
  // Rejecting makes the host exit non-zero, as @vscode/test-electron expects.
  if (failures > 0) throw new Error(`${failures} integration test(s) failed`);
  if (results.passed === 0) throw new Error('no integration test ran');
}

function runMocha(results: SuiteResults): Promise<number> {
  // 'spec' output goes to the extension host log, useful when run by hand.
  // VAULTLINK_TEST_GREP runs only the tests whose full title matches (by hand, one feature at a time).
  const grep = process.env.VAULTLINK_TEST_GREP;
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false, reporter: 'spec', ...(grep ? { grep } : {}) });
  mocha.suite.emit('pre-require', globalThis, 'vaultlink-integration', mocha);
  for (const [name, load] of testFiles) {
    try {
      load();
    } catch (err) {
      throw new Error(`could not load ${name}: ${errorText(err)}`);
    }
  }
  return new Promise((resolve) => {
    const runner = mocha.run((failures) => resolve(failures));
    const record = (test: Mocha.Runnable, state: TestResult['state'], err?: unknown) => {
      results.tests.push({
        title: test.title,
        fullTitle: test.fullTitle(),
        state,
        durationMs: test.duration,
        error: err === undefined ? undefined : errorText(err, true),
      });
      results[state] += 1;
    };
    runner.on('pass', (test) => record(test, 'passed'));
    // Also fires for failing hooks (before/after), which mocha counts as failures.
    runner.on('fail', (test, err) => record(test, 'failed', err));
    runner.on('pending', (test) => record(test, 'pending'));
  });
}

function writeResults(results: SuiteResults): void {
  const file = process.env.VAULTLINK_TEST_RESULTS;
  if (!file) return;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    // Written beside and renamed, so the launcher never reads a half-written file.
    fs.writeFileSync(`${file}.partial`, JSON.stringify(results, null, 2));
    fs.renameSync(`${file}.partial`, file);
  } catch (err) {
    console.error(`could not write test results to ${file}: ${errorText(err)}`);
  }
}

function vscodeVersion(): string | undefined {
  try {
    // Loaded lazily so that a broken `vscode` module shows up as a result, not a crash.
    return (require('vscode') as typeof import('vscode')).version;
  } catch {
    return undefined;
  }
}

function extensionPath(): string | undefined {
  try {
    return (require('vscode') as typeof import('vscode')).extensions.getExtension('vaultlink.vaultlink')?.extensionPath;
  } catch {
    return undefined;
  }
}

function errorText(err: unknown, withStack = false): string {
  if (err instanceof Error) {
    const details = withStack && err.stack ? err.stack : `${err.name}: ${err.message}`;
    return details.split('\n').slice(0, 12).join('\n');
  }
  return String(err);
}
