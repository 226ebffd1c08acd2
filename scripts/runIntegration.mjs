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
// --installed: the suite runs against the packaged extension, not this folder:
// `npm run package` builds the .vsix (production build), code-server installs
// it (`--install-extension`) into a fresh extensions folder, and the suite runs
// with only that copy of Vaultlink loaded (a stub stands in as the development
// extension, which VS Code needs to run tests at all). The suite reports the
// path it ran the extension from, and the run fails unless it is the installed
// one. Closing line: `installed: N passed, N failed`. code-server only.
//
// Environment:
//   VSCODE_EXECUTABLE         path to a VS Code desktop binary
//   VAULTLINK_LAUNCHER        electron | code-server (default: pick as above)
//   VAULTLINK_TEST_TIMEOUT_MS whole-suite timeout for code-server (default 300000)
//   VAULTLINK_EXTENSION_PATH  extension to load instead of this repo (for
//                             developing the launcher itself)
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  codeServerEntry,
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
const installed = process.argv.includes('--installed');
const artifactsDir = path.join(repoRoot, 'test-results', installed ? 'integration-installed' : 'integration');
/** The closing line's label, which scripts/test.mjs reads. */
const label = installed ? 'installed' : 'integration';
const suiteTimeoutMs = Number(process.env.VAULTLINK_TEST_TIMEOUT_MS ?? 300_000);

/**
 * @typedef {{ title: string, fullTitle: string, state: 'passed' | 'failed' | 'pending', durationMs?: number, error?: string }} TestResult
 * @typedef {{ vscodeVersion?: string, extensionPath?: string, tests: TestResult[], passed: number, failed: number, pending: number, error?: string }} SuiteResults
 */

async function main() {
  const { base, folder } = copyToTemp(sampleVault, 'vaultlink-integration-');
  const resultsFile = path.join(base, 'results.json');
  const started = Date.now();
  try {
    /** @type {string | undefined} where the installed extension must be loaded from */
    let installedAt;
    const launcher = chooseLauncher();
    if (installed) {
      if (launcher.name.startsWith('@vscode/test-electron')) throw new Error('--installed runs in code-server only (unset VSCODE_EXECUTABLE, or VAULTLINK_LAUNCHER=code-server)');
      installedAt = installPackage(base);
    }
    // After packaging, which rebuilds the bundles (the suite's among them).
    if (!fs.existsSync(testsPath)) {
      throw new Error(`${path.relative(repoRoot, testsPath)} is missing: run \`npm run build\` first`);
    }
    log(`launcher: ${launcher.name}; vault copy: ${folder}`);
    await launcher.run({ base, folder, resultsFile });
    const results = readResults(resultsFile);
    if (!results) throw new Error('the suite ended without writing results: it did not run');
    if (installedAt) {
      console.log(`extension under test: ${results.extensionPath ?? '(not reported)'}`);
      if (!results.extensionPath || path.relative(installedAt, results.extensionPath).startsWith('..')) {
        throw new Error(`the suite ran Vaultlink from ${results.extensionPath ?? 'nowhere'}, not from the installed package in ${installedAt}`);
      }
    }
    return report(results, Date.now() - started);
  } finally {
    await runCleanups();
    fs.rmSync(base, { recursive: true, force: true });
  }
}

/**
 * Builds the .vsix (scripts/package.mjs) and installs it with code-server into
 * this run's extensions folder, as a person installs a downloaded package.
 * @param {string} base the run's temporary folder
 * @returns {string} the folder the extension was installed into
 */
function installPackage(base) {
  const vsix = path.join(base, 'vaultlink.vsix');
  const packed = spawnSync(process.execPath, [path.join(repoRoot, 'scripts', 'package.mjs'), '--out', vsix], { cwd: repoRoot, stdio: ['ignore', 'inherit', 'inherit'] });
  if (packed.status !== 0) throw new Error(`npm run package failed (exit ${packed.status ?? packed.signal}): no .vsix to install`);
  const extensionsDir = path.join(base, 'extensions');
  // Its own user data: the workbench's (startCodeServer) gets the quiet offline settings.
  const userDataDir = path.join(base, 'install-user-data');
  const install = spawnSync(process.execPath, [codeServerEntry, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, '--install-extension', vsix], {
    cwd: base,
    encoding: 'utf8',
    env: { ...process.env, EXTENSIONS_GALLERY: '{}', XDG_DATA_HOME: path.join(base, 'xdg', 'data'), XDG_CACHE_HOME: path.join(base, 'xdg', 'cache') },
    timeout: 120_000,
  });
  const said = `${install.stdout ?? ''}${install.stderr ?? ''}`.trim();
  if (install.status !== 0) throw new Error(`code-server --install-extension failed (exit ${install.status ?? install.signal}):\n${said}`);
  const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
  const id = `${manifest.publisher}.${manifest.name}`;
  const folder = fs.existsSync(extensionsDir) ? fs.readdirSync(extensionsDir).find((name) => name.toLowerCase().startsWith(`${id}-`)) : undefined;
  if (!folder) throw new Error(`code-server said it installed the .vsix, but no ${id}-* folder is in ${extensionsDir}:\n${said}`);
  log(`installed ${folder} with code-server --install-extension (${said.split('\n').pop()})`);
  return path.join(extensionsDir, folder);
}

/**
 * The development extension VS Code insists on to run a test module: a manifest
 * with no code, under another id, so the only Vaultlink loaded is the installed one.
 * @param {string} base
 */
function testHostStub(base) {
  const stub = path.join(base, 'test-host');
  fs.mkdirSync(stub, { recursive: true });
  fs.writeFileSync(
    path.join(stub, 'package.json'),
    JSON.stringify({ name: 'vaultlink-test-host', publisher: 'vaultlink-tests', version: '0.0.0', engines: { vscode: '^1.90.0' }, description: 'Runs the Vaultlink suite against the installed extension' }, null, 2),
  );
  return stub;
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
  const developmentPath = installed ? testHostStub(base) : extensionPath;
  const url = workbenchUrl({ port: server.port, folder, extensionDevelopmentPath: developmentPath, extensionTestsPath: testsPath });
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
  console.log(`${label}: ${passed} passed, ${failed} failed`);
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
    console.error(`${label}: ${errorText(err)}`);
    console.log(`${label}: 0 passed, 1 failed`);
    process.exit(1);
  },
);
