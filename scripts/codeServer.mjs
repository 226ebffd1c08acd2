// @ts-check
// Shared helpers for running the extension inside a real VS Code served by
// code-server: the machines this project runs on reach only the npm registry and
// Debian's packages, so VS Code desktop (which @vscode/test-electron downloads)
// cannot be had there, but code-server (on npm) gives the same extension host.
// Used by scripts/runIntegration.mjs, scripts/start.mjs and test/ui/run.mjs.
// The facts behind each step are in shared/notes/real-vscode-offline.md.
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

/** Newest code-server that accepts Node 20; it is VS Code 1.100.3. */
export const CODE_SERVER_VERSION = '4.100.3';
/** Installed once here; `.vscode-test/` is git-ignored. */
export const codeServerDir = path.join(repoRoot, '.vscode-test', 'code-server');
const codeServerPackageDir = path.join(codeServerDir, 'node_modules', 'code-server');
/** Written only after an install was checked, so a half-finished install is redone. */
const installedMarker = path.join(codeServerDir, `.installed-${CODE_SERVER_VERSION}`);

export const chromiumPath = '/usr/bin/chromium';
/** Flags that keep headless Chromium off the network and off the GPU. */
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

// ---------------------------------------------------------------------------
// Logging

/** @param {string} message */
export function log(message) {
  process.stderr.write(`[vaultlink] ${message}\n`);
}

// ---------------------------------------------------------------------------
// Cleanup: everything started here is ended on success, failure, timeout,
// Ctrl+C and SIGTERM, so no code-server or Chromium is left running.

/** @type {Set<() => Promise<void> | void>} */
const cleanups = new Set();
/** @type {Set<number>} process group ids still alive, for the synchronous last resort */
const liveGroups = new Set();
let handlersInstalled = false;

/**
 * Registers a clean-up step; returns a function that unregisters it.
 * @param {() => Promise<void> | void} fn
 */
export function onCleanup(fn) {
  installHandlers();
  cleanups.add(fn);
  return () => cleanups.delete(fn);
}

/** Runs every registered clean-up step once, newest first; never throws. */
export async function runCleanups() {
  const steps = [...cleanups].reverse();
  cleanups.clear();
  for (const step of steps) {
    try {
      await step();
    } catch (err) {
      log(`clean-up step failed: ${errorText(err)}`);
    }
  }
}

function installHandlers() {
  if (handlersInstalled) return;
  handlersInstalled = true;
  for (const [signal, code] of /** @type {const} */ ([['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]])) {
    process.once(signal, () => {
      log(`${signal}: stopping what was started`);
      void runCleanups().finally(() => process.exit(code));
    });
  }
  // 'exit' handlers must be synchronous: kill whatever group is still alive.
  process.on('exit', () => {
    for (const pgid of liveGroups) killGroup(pgid, 'SIGKILL');
  });
}

/**
 * @param {number} pgid
 * @param {NodeJS.Signals} signal
 */
function killGroup(pgid, signal) {
  try {
    process.kill(-pgid, signal);
  } catch {
    // Already gone.
  }
}

/**
 * Spawns a command in its own process group (detached) so that it and every
 * child it starts (code-server forks its extension host and file watchers)
 * can be ended together with one signal.
 * @param {string} command
 * @param {string[]} args
 * @param {import('node:child_process').SpawnOptions} options
 */
export function spawnGroup(command, args, options) {
  const child = spawn(command, args, { ...options, detached: true });
  if (child.pid !== undefined) {
    const pgid = child.pid;
    liveGroups.add(pgid);
    child.once('exit', () => {
      // The leader exited; children in the group may not have. Sweep them.
      killGroup(pgid, 'SIGKILL');
      liveGroups.delete(pgid);
    });
  }
  return child;
}

/**
 * Ends a process group: SIGTERM, then SIGKILL if it has not exited in time.
 * @param {import('node:child_process').ChildProcess} child
 * @param {number} [graceMs]
 */
export async function stopGroup(child, graceMs = 5000) {
  const pgid = child.pid;
  if (pgid === undefined) return;
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    killGroup(pgid, 'SIGTERM');
    const timer = new Promise((resolve) => setTimeout(resolve, graceMs).unref());
    await Promise.race([exited, timer]);
  }
  killGroup(pgid, 'SIGKILL');
  liveGroups.delete(pgid);
}

// ---------------------------------------------------------------------------
// System packages

/**
 * What each Debian package is needed for, and how to tell it is present.
 * @type {Record<string, { why: string, present: () => boolean }>}
 */
const systemPackages = {
  // code-server's `kerberos` native module is compiled at install time.
  'libkrb5-dev': { why: 'headers to compile code-server\'s kerberos module', present: () => fs.existsSync('/usr/include/krb5.h') },
  // @vscode/ripgrep's own download from GitHub fails offline; Debian's rg stands in.
  ripgrep: { why: 'rg binary for VS Code search (stands in for @vscode/ripgrep\'s download)', present: () => fs.existsSync('/usr/bin/rg') },
  // Playwright's own browser download is not reachable; Debian's Chromium is.
  chromium: { why: 'headless browser that loads the VS Code workbench', present: () => fs.existsSync(chromiumPath) },
  // Without a CJK font the Korean notes render as boxes in screenshots.
  'fonts-noto-cjk': { why: 'Korean glyphs in the workbench screenshots', present: () => fs.existsSync('/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc') },
};

/**
 * Makes sure the Debian packages are installed; installs the missing ones with
 * apt-get when running as root, otherwise fails naming exactly what to install.
 * @param {string[]} [names] defaults to all of libkrb5-dev, ripgrep, chromium
 */
export function ensureSystemPackages(names = Object.keys(systemPackages)) {
  const missing = names.filter((name) => !systemPackages[name].present());
  if (missing.length === 0) return;
  const reasons = missing.map((name) => `  ${name}: ${systemPackages[name].why}`).join('\n');
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot || !commandExists('apt-get')) {
    throw new Error(
      `missing system packages:\n${reasons}\n` +
        `install them with: sudo apt-get update && sudo apt-get install -y ${missing.join(' ')}`,
    );
  }
  log(`installing system packages: ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  run('apt-get', ['update'], { env });
  run('apt-get', ['install', '-y', '--no-install-recommends', ...missing], { env });
  const still = missing.filter((name) => !systemPackages[name].present());
  if (still.length > 0) throw new Error(`apt-get did not provide: ${still.join(' ')}`);
}

/** @param {string} name */
function commandExists(name) {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

/**
 * Runs a command to completion with inherited output; throws on failure.
 * @param {string} command
 * @param {string[]} args
 * @param {import('node:child_process').SpawnSyncOptions} [options]
 */
function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: ['ignore', 'inherit', 'inherit'], ...options });
  if (result.error) throw result.error;
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} exited with ${result.status ?? result.signal}`);
  }
}

// ---------------------------------------------------------------------------
// code-server install

/** Path of code-server's Node entry point (its `bin`). */
export const codeServerEntry = path.join(codeServerPackageDir, 'out', 'node', 'entry.js');

/**
 * Installs code-server@4.100.3 into .vscode-test/code-server once; later calls
 * reuse it. Needs libkrb5-dev and ripgrep (see ensureSystemPackages).
 * @returns {string} the entry script to run with node
 */
export function ensureCodeServer() {
  if (fs.existsSync(installedMarker) && fs.existsSync(codeServerEntry)) return codeServerEntry;
  if (process.versions.node.split('.')[0] !== '20') {
    // code-server 4.100.3's postinstall refuses other Node majors.
    throw new Error(`code-server ${CODE_SERVER_VERSION} needs Node 20; this is Node ${process.versions.node}`);
  }
  ensureSystemPackages(['libkrb5-dev', 'ripgrep']);
  placeRipgrepCache();

  const started = Date.now();
  log(`installing code-server@${CODE_SERVER_VERSION} into ${path.relative(repoRoot, codeServerDir)} (about a minute, ~300 MB)`);
  fs.mkdirSync(codeServerDir, { recursive: true });
  // A package.json of its own keeps this install out of the project's tree and
  // lock file (npm would otherwise walk up to the repo's package.json).
  fs.writeFileSync(
    path.join(codeServerDir, 'package.json'),
    JSON.stringify({ name: 'vaultlink-code-server', private: true, description: 'code-server for Vaultlink tests; not part of the extension' }, null, 2) + '\n',
  );
  run('npm', ['install', '--prefix', codeServerDir, '--no-save', '--no-audit', '--no-fund', `code-server@${CODE_SERVER_VERSION}`], {
    cwd: codeServerDir,
    env: codeServerInstallEnv(),
  });
  verifyCodeServerInstall();
  fs.writeFileSync(installedMarker, `${new Date().toISOString()}\n`);
  log(`code-server installed in ${Math.round((Date.now() - started) / 1000)} s`);
  return codeServerEntry;
}

/**
 * The environment npm needs for code-server's postinstall to really run.
 * @returns {NodeJS.ProcessEnv}
 */
function codeServerInstallEnv() {
  return {
    ...process.env,
    // The postinstall refuses to run as root without it.
    npm_config_unsafe_perm: 'true',
    // The postinstall uses `npx node-gyp`; with no TTY npx cancels unless told yes.
    npm_config_yes: 'true',
    // A user's ignore-scripts would skip the postinstall silently.
    npm_config_ignore_scripts: 'false',
    // npm 11 blocks dependency install scripts unless allowed. A per-package
    // allow list (package.json "allowScripts") cannot help here: code-server's
    // postinstall runs its own `npm install` in lib/vscode and
    // lib/vscode/extensions, which are separate projects without such a list,
    // and `allow-scripts` given through the environment makes those nested
    // project installs fail (EALLOWSCRIPTS). This switch is the one that npm
    // passes down to the nested installs. It only affects this pinned
    // code-server install in its own folder; older npm ignores it.
    npm_config_dangerously_allow_all_scripts: 'true',
    // Keep the install from opening network connections npm does not need.
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
  };
}

/**
 * @vscode/ripgrep (pinned by code-server) downloads rg from GitHub in its
 * postinstall, which cannot work offline. It looks in its cache in
 * os.tmpdir() first, so a tarball holding Debian's /usr/bin/rg is used instead.
 */
function placeRipgrepCache() {
  const cacheDir = path.join(os.tmpdir(), 'vscode-ripgrep-cache-1.15.11');
  const tarball = path.join(cacheDir, 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz');
  if (fs.existsSync(tarball)) return;
  fs.mkdirSync(cacheDir, { recursive: true });
  const staging = fs.mkdtempSync(path.join(os.tmpdir(), 'vaultlink-rg-'));
  try {
    fs.copyFileSync('/usr/bin/rg', path.join(staging, 'rg'));
    fs.chmodSync(path.join(staging, 'rg'), 0o755);
    // Written under a temporary name and renamed so a crash never leaves a
    // truncated tarball that @vscode/ripgrep would then trust.
    execFileSync('tar', ['-czf', `${tarball}.partial`, '-C', staging, 'rg']);
    fs.renameSync(`${tarball}.partial`, tarball);
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

/** Checks that the postinstall really ran: npm can skip it without failing. */
function verifyCodeServerInstall() {
  const vscodeDir = path.join(codeServerPackageDir, 'lib', 'vscode');
  const expected = [
    codeServerEntry,
    path.join(vscodeDir, 'node_modules'), // the postinstall's nested npm install
    path.join(vscodeDir, 'node_modules.asar'), // symlink made at its end
    path.join(vscodeDir, 'extensions', 'node_modules'),
    // Built by dependency install scripts, which npm 11 can skip silently.
    path.join(vscodeDir, 'node_modules', '@vscode', 'ripgrep', 'bin', 'rg'),
    path.join(vscodeDir, 'node_modules', 'node-pty', 'build', 'Release', 'pty.node'),
    path.join(vscodeDir, 'node_modules', '@vscode', 'spdlog', 'build', 'Release', 'spdlog.node'),
    path.join(vscodeDir, 'node_modules', 'kerberos', 'build', 'Release', 'kerberos.node'),
  ];
  const missing = expected.filter((p) => !fs.existsSync(p));
  if (missing.length > 0) {
    throw new Error(
      `code-server install is incomplete (its postinstall did not run or failed); missing:\n  ${missing.join('\n  ')}\n` +
        `delete ${codeServerDir} and run again`,
    );
  }
}

// ---------------------------------------------------------------------------
// Starting code-server

/** Finds a free TCP port on the loopback interface. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * @typedef {object} CodeServer
 * @property {number} port
 * @property {string} origin e.g. http://127.0.0.1:PORT
 * @property {import('node:child_process').ChildProcess} child
 * @property {() => string} output everything code-server printed so far
 * @property {() => Promise<void>} stop ends code-server and all its children
 */

/**
 * Starts code-server on 127.0.0.1 and waits until it answers HTTP.
 * @param {object} options
 * @param {string} options.folder workspace folder to open
 * @param {string} options.userDataDir
 * @param {string} options.extensionsDir
 * @param {number} [options.port] default: a free one
 * @param {NodeJS.ProcessEnv} [options.env] extra variables; the extension host inherits them
 * @param {boolean} [options.echo] copy code-server's output to stderr
 * @param {number} [options.startTimeoutMs]
 * @returns {Promise<CodeServer>}
 */
export async function startCodeServer({ folder, userDataDir, extensionsDir, port, env = {}, echo = false, startTimeoutMs = 60_000 }) {
  const entry = ensureCodeServer();
  port ??= await freePort();
  const origin = `http://127.0.0.1:${port}`;
  writeUserSettings(userDataDir);
  fs.mkdirSync(extensionsDir, { recursive: true });
  // code-server otherwise writes a config file with a generated password to
  // ~/.config/code-server, its logs to ~/.local/share/code-server and a
  // device id to ~/.cache; keep all of them inside this run's user data folder.
  const configFile = path.join(userDataDir, 'code-server.yaml');
  fs.writeFileSync(configFile, `# written by scripts/codeServer.mjs; flags on the command line win\nauth: none\ncert: false\n`);
  const xdgHome = path.join(userDataDir, 'xdg');
  const args = [
    entry,
    '--config', configFile,
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir,
    folder,
  ];
  const child = spawnGroup(process.execPath, args, {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      // No marketplace: code-server would query open-vsx.org for extension
      // recommendations and updates; an empty gallery turns those requests off.
      EXTENSIONS_GALLERY: '{}',
      XDG_DATA_HOME: path.join(xdgHome, 'data'),
      XDG_CACHE_HOME: path.join(xdgHome, 'cache'),
      ...env,
    },
  });
  let output = '';
  /** @param {Buffer} chunk */
  const collect = (chunk) => {
    output += chunk.toString();
    if (echo) process.stderr.write(chunk);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);

  const stop = () => stopGroup(child);
  const unregister = onCleanup(stop);
  const server = {
    port,
    origin,
    child,
    output: () => output,
    stop: async () => {
      unregister();
      await stop();
    },
  };
  try {
    await waitForHttp(origin, child, startTimeoutMs);
  } catch (err) {
    await server.stop();
    throw new Error(`${errorText(err)}\ncode-server output:\n${output}`);
  }
  return server;
}

/**
 * User settings for a quiet, offline workbench: no welcome page, no trust
 * prompt, no update or marketplace checks (there is no network to ask), no
 * telemetry. Kept if the folder already has settings (a person's own, in start.mjs).
 * @param {string} userDataDir
 */
function writeUserSettings(userDataDir) {
  const file = path.join(userDataDir, 'User', 'settings.json');
  if (fs.existsSync(file)) return;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const settings = {
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'security.workspace.trust.enabled': false,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'extensions.ignoreRecommendations': true,
    // Terminals get the person's own XDG folders back (null unsets), not the
    // ones startCodeServer gives code-server.
    'terminal.integrated.env.linux': {
      XDG_DATA_HOME: process.env.XDG_DATA_HOME ?? null,
      XDG_CACHE_HOME: process.env.XDG_CACHE_HOME ?? null,
    },
  };
  fs.writeFileSync(file, JSON.stringify(settings, null, 2) + '\n');
}

/**
 * Polls the URL until it answers with any HTTP status.
 * @param {string} url
 * @param {import('node:child_process').ChildProcess} child fails early if it exits
 * @param {number} timeoutMs
 */
async function waitForHttp(url, child, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`code-server exited (${child.exitCode ?? child.signalCode}) before it answered`);
    }
    if (await answers(url)) return;
    await sleep(250);
  }
  throw new Error(`code-server did not answer at ${url} within ${timeoutMs / 1000} s`);
}

/** @param {string} url */
function answers(url) {
  return new Promise((resolve) => {
    const request = http.get(url, (response) => {
      response.resume();
      resolve(true);
    });
    request.on('error', () => resolve(false));
    request.setTimeout(2000, () => {
      request.destroy();
      resolve(false);
    });
  });
}

/**
 * The workbench URL that opens `folder` and loads an extension in development
 * mode (and optionally runs its tests) in code-server's remote extension host,
 * the way `code --extensionDevelopmentPath --extensionTestsPath` does.
 * Paths in the payload must be vscode-remote URIs naming this server's
 * authority, or the workbench treats them as local to the browser.
 * @param {object} options
 * @param {number} options.port
 * @param {string} options.folder absolute path
 * @param {string} [options.extensionDevelopmentPath] absolute path
 * @param {string} [options.extensionTestsPath] absolute path of the test module
 */
export function workbenchUrl({ port, folder, extensionDevelopmentPath, extensionTestsPath }) {
  const remote = (/** @type {string} */ p) => `vscode-remote://127.0.0.1:${port}${encodePath(p)}`;
  /** @type {[string, string][]} */
  const payload = [];
  if (extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', remote(extensionDevelopmentPath)]);
  if (extensionTestsPath) payload.push(['extensionTestsPath', remote(extensionTestsPath)]);
  let url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(folder)}`;
  if (payload.length > 0) url += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  return url;
}

/**
 * Percent-encodes each segment of an absolute POSIX path (spaces, '#', '%'),
 * keeping the slashes, as a URI path.
 * @param {string} p
 */
function encodePath(p) {
  return p.split('/').map(encodeURIComponent).join('/');
}

// ---------------------------------------------------------------------------
// Browser

/**
 * Launches Debian's Chromium headless through playwright-core with a fresh
 * profile; it is closed by the returned close() and on any exit path.
 * @param {{ viewport?: { width: number, height: number } }} [options]
 */
export async function launchBrowser({ viewport = { width: 1400, height: 900 } } = {}) {
  ensureSystemPackages(['chromium', 'fonts-noto-cjk']);
  const { chromium } = await import('playwright-core');
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'vaultlink-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    args: chromiumArgs,
    viewport,
    // Crash reports and dconf would otherwise land in ~/.config and ~/.cache.
    env: { ...process.env, XDG_CONFIG_HOME: path.join(profile, 'xdg-config'), XDG_CACHE_HOME: path.join(profile, 'xdg-cache') },
    // Our own handlers end the browser; Playwright's would race them.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
  const close = async () => {
    unregister();
    await context.close().catch(() => {});
    fs.rmSync(profile, { recursive: true, force: true });
  };
  const unregister = onCleanup(close);
  const page = context.pages()[0] ?? (await context.newPage());
  return { context, page, close };
}

// ---------------------------------------------------------------------------
// Small utilities

/** @param {number} ms */
export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** @param {unknown} err */
export function errorText(err) {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Copies a folder to a new temporary directory (e.g. the sample vault, so
 * tests may write files into it freely).
 * @param {string} source
 * @param {string} prefix
 */
export function copyToTemp(source, prefix) {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const target = path.join(base, path.basename(source));
  fs.cpSync(source, target, { recursive: true });
  return { base, folder: target };
}
