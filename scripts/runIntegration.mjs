// @ts-check
// Runs the integration suite (dist/test/integration/index.js, built by
// `npm run build`) inside a real VS Code extension host, on a fresh copy of
// examples/conference-notes, and reports each test and a closing line
// `integration: N passed, N failed`.
//
// Launchers, in order of preference:
//   1. @vscode/test-electron (VS Code desktop) when VSCODE_EXECUTABLE names a
//      VS Code binary, a desktop build is already cached in .vscode-test/, or
//      VAULTLINK_LAUNCHER=electron allows it to download one. It is never
//      downloaded by default: on machines without internet that would hang or fail.
//   2. code-server (npm) served on 127.0.0.1 and driven by headless Chromium,
//      which works offline. VAULTLINK_LAUNCHER=code-server forces it.
//
// Environment:
//   VSCODE_EXECUTABLE         path to a VS Code desktop binary
//   VAULTLINK_LAUNCHER        electron | code-server (default: pick as above)
//   VAULTLINK_TEST_TIMEOUT_MS whole-suite timeout for code-server (default 300000)
//   VAULTLINK_EXTENSION_PATH  extension to load instead of this repo (for
//                             developing the launcher itself)
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  copyToTemp,
  ensureCodeServer,
  ensureSystemPackages,
  errorText,
  launchBrowser,
  log,
  repoRoot,
  runCleanups,
  sleep,
  startCodeServer,
  workbenchUrl,
} from './codeServer.mjs';

const testsPath = path.join(repoRoot, 'dist', 'test', 'integration', 'index.js');
const extensionPath = path.resolve(process.env.VAULTLINK_EXTENSION_PATH ?? repoRoot);
const sampleVault = path.join(repoRoot, 'examples', 'conference-notes');
const artifactsDir = path.join(repoRoot, 'test-results', 'integration');
const suiteTimeoutMs = Number(process.env.VAULTLINK_TEST_TIMEOUT_MS ?? 300_000);

/**
 * @typedef {{ title: string, fullTitle: string, state: 'passed' | 'failed' | 'pending', durationMs?: number, error?: string }} TestResult
 * @typedef {{ vscodeVersion?: string, tests: TestResult[], passed: number, failed: number, pending: number, error?: string }} SuiteResults
 */

async function main() {
  if (!fs.existsSync(testsPath)) {
    throw new Error(`${path.relative(repoRoot, testsPath)} is missing: run \`npm run build\` first`);
  }
  const { base, folder } = copyToTemp(sampleVault, 'vaultlink-integration-');
  const resultsFile = path.join(base, 'results.json');
  const started = Date.now();
  try {
    const launcher = chooseLauncher();
    log(`launcher: ${launcher.name}; vault copy: ${folder}`);
    await launcher.run({ base, folder, resultsFile });
    const results = readResults(resultsFile);
    if (!results) throw new Error('the suite ended without writing results: it did not run');
    return report(results, Date.now() - started);
  } finally {
    await runCleanups();
    fs.rmSync(base, { recursive: true, force: true });
  }
}

/**
 * @typedef {{ base: string, folder: string, resultsFile: string }} RunOptions
 * @typedef {{ name: string, run: (options: RunOptions) => Promise<void> }} Launcher
 * @returns {Launcher}
 */
function chooseLauncher() {
  const wanted = process.env.VAULTLINK_LAUNCHER;
  if (wanted && wanted !== 'electron' && wanted !== 'code-server') {
    throw new Error(`VAULTLINK_LAUNCHER must be electron or code-server, not ${wanted}`);
  }
  const desktop = process.env.VSCODE_EXECUTABLE || cachedDesktopVSCode();
  if (wanted === 'electron' || (wanted !== 'code-server' && desktop)) {
    return { name: `@vscode/test-electron (${desktop ?? 'download'})`, run: (options) => runWithElectron(options, desktop) };
  }
  try {
    ensureSystemPackages(['libkrb5-dev', 'ripgrep', 'chromium']);
    ensureCodeServer();
  } catch (err) {
    throw new Error(
      `no VS Code to run the integration tests in.\n` +
        `Either set VSCODE_EXECUTABLE to a VS Code desktop binary (or VAULTLINK_LAUNCHER=electron to let ` +
        `@vscode/test-electron download one), or make code-server usable:\n${errorText(err)}`,
    );
  }
  return { name: 'code-server + headless Chromium', run: runWithCodeServer };
}

/**
 * A VS Code desktop build that @vscode/test-electron downloaded earlier into
 * .vscode-test/ (it names them vscode-<platform>-<arch>-<version>), if any.
 * @returns {string | undefined}
 */
function cachedDesktopVSCode() {
  const cache = path.join(repoRoot, '.vscode-test');
  if (!fs.existsSync(cache)) return undefined;
  const builds = fs
    .readdirSync(cache)
    .filter((name) => /^vscode-(linux|darwin|win32)/.test(name))
    .sort()
    .reverse();
  const candidates = {
    linux: ['code'],
    darwin: ['Visual Studio Code.app/Contents/MacOS/Electron'],
    win32: ['Code.exe'],
  }[/** @type {'linux' | 'darwin' | 'win32'} */ (process.platform)] ?? [];
  for (const build of builds) {
    for (const relative of candidates) {
      const executable = path.join(cache, build, relative);
      if (fs.existsSync(executable)) return executable;
    }
  }
  return undefined;
}

/**
 * @param {RunOptions} options
 * @param {string | undefined} vscodeExecutablePath undefined: let test-electron download
 */
async function runWithElectron({ base, folder, resultsFile }, vscodeExecutablePath) {
  const { runTests } = await import('@vscode/test-electron');
  try {
    await runTests({
      vscodeExecutablePath,
      extensionDevelopmentPath: extensionPath,
      extensionTestsPath: testsPath,
      extensionTestsEnv: { VAULTLINK_TEST_RESULTS: resultsFile },
      launchArgs: [folder, '--disable-extensions', `--user-data-dir=${path.join(base, 'user-data')}`],
    });
  } catch (err) {
    // A failing suite makes VS Code exit non-zero; the results file says why.
    if (!fs.existsSync(resultsFile)) throw err;
  }
}

/**
 * Serves VS Code with code-server on 127.0.0.1 and opens the workbench in
 * headless Chromium with a payload that loads the extension in development
 * mode and runs the suite in the remote extension host.
 * @param {RunOptions} options
 */
async function runWithCodeServer({ base, folder, resultsFile }) {
  const server = await startCodeServer({
    folder,
    userDataDir: path.join(base, 'user-data'),
    extensionsDir: path.join(base, 'extensions'),
    // The extension host inherits code-server's environment.
    env: { VAULTLINK_TEST_RESULTS: resultsFile },
  });
  const url = workbenchUrl({ port: server.port, folder, extensionDevelopmentPath: extensionPath, extensionTestsPath: testsPath });
  const { page } = await launchBrowser();
  /** @type {string[]} */
  const browserLog = [];
  page.on('console', (message) => browserLog.push(`[${message.type()}] ${message.text()}`));
  page.on('pageerror', (error) => browserLog.push(`[pageerror] ${error.message}`));
  await page.goto(url);
  try {
    await waitForFile(resultsFile, suiteTimeoutMs, () => {
      if (server.child.exitCode !== null) throw new Error(`code-server exited (${server.child.exitCode}) during the run`);
    });
  } catch (err) {
    // Leave what a person needs to see why: the screen, the browser console, the server log.
    fs.mkdirSync(artifactsDir, { recursive: true });
    await page.screenshot({ path: path.join(artifactsDir, 'failure.png') }).catch(() => {});
    fs.writeFileSync(path.join(artifactsDir, 'browser-console.log'), browserLog.join('\n'));
    fs.writeFileSync(path.join(artifactsDir, 'code-server.log'), server.output());
    log(`screenshot and logs in ${path.relative(repoRoot, artifactsDir)}/`);
    throw err;
  }
}

/**
 * @param {string} file
 * @param {number} timeoutMs
 * @param {() => void} check throws to give up early
 */
async function waitForFile(file, timeoutMs, check) {
  const deadline = Date.now() + timeoutMs;
  while (!fs.existsSync(file)) {
    if (Date.now() > deadline) throw new Error(`the suite did not finish within ${timeoutMs / 1000} s`);
    check();
    await sleep(500);
  }
}

/**
 * @param {string} file
 * @returns {SuiteResults | undefined}
 */
function readResults(file) {
  if (!fs.existsSync(file)) return undefined;
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/**
 * Prints each test and the closing line; returns the exit code.
 * @param {SuiteResults} results
 * @param {number} elapsedMs
 */
function report(results, elapsedMs) {
  console.log(`VS Code ${results.vscodeVersion ?? '?'}`);
  for (const test of results.tests) {
    const mark = { passed: 'ok  ', failed: 'FAIL', pending: 'skip' }[test.state];
    console.log(`  ${mark} ${test.fullTitle}${test.durationMs ? ` (${test.durationMs} ms)` : ''}`);
    if (test.error) console.log(indent(test.error, 8));
  }
  if (results.error) console.log(`suite error: ${results.error}`);
  const passed = results.tests.filter((test) => test.state === 'passed').length;
  const failed = results.tests.filter((test) => test.state === 'failed').length;
  console.log(`(${Math.round(elapsedMs / 1000)} s)`);
  console.log(`integration: ${passed} passed, ${failed} failed`);
  if (passed + failed === 0) console.log('no test ran');
  return failed === 0 && passed > 0 && !results.error ? 0 : 1;
}

/**
 * @param {string} text
 * @param {number} spaces
 */
function indent(text, spaces) {
  return text
    .split('\n')
    .map((line) => ' '.repeat(spaces) + line)
    .join('\n');
}

main().then(
  (code) => process.exit(code),
  async (err) => {
    await runCleanups();
    console.error(`integration: ${errorText(err)}`);
    console.log('integration: 0 passed, 1 failed');
    process.exit(1);
  },
);
