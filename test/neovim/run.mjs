// @ts-check
// The Neovim check: a real Neovim 0.10, headless, with the README's Neovim 0.10
// config as its init.lua (taken from README.md at run time, between the
// `<!-- neovim-0.10-config -->` markers, so the two cannot drift), on a fresh
// copy of examples/conference-notes. The checks themselves run inside Neovim
// (test/neovim/checks.lua) and write their results as JSON. Needs the build
// (dist/server/main.js); installs Neovim 0.10 once into .vscode-test/neovim
// with ../shared/tools/install-neovim.sh.
//
// The README's block is used as is: the `vaultlink-language-server` it runs is
// found on PATH, where this script puts a wrapper that runs this checkout's
// bin/vaultlink-language-server.js with this Node. The current directory is a
// parent of the vault holding another copy of it, so a config that took the
// current directory as the root would be caught.
//
// Prints each check and a closing line `neovim: N passed, N failed`; exits
// non-zero on any failure, or when Neovim cannot be installed or run (it never
// skips). Neovim and the server are always stopped.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const installer = path.resolve(repoRoot, '../shared/tools/install-neovim.sh');
const neovimDir = path.join(repoRoot, '.vscode-test', 'neovim');
const serverEntry = path.join(repoRoot, 'dist', 'server', 'main.js');
const serverBin = path.join(repoRoot, 'bin', 'vaultlink-language-server.js');
const checksLua = path.join(repoRoot, 'test', 'neovim', 'checks.lua');
const outDir = path.join(repoRoot, 'test-results', 'neovim');
const NOTE = '2021 Line Developer Day.md';
/** Neovim is stopped after this, whatever the checks' own bounds. */
const RUN_TIMEOUT_MS = 180_000;

/** @type {{ name: string, ok: boolean, error?: string, ms?: number }[]} */
const results = [];

async function main() {
  const started = Date.now();
  if (!fs.existsSync(serverEntry)) throw new Error(`${path.relative(repoRoot, serverEntry)} is missing: run \`node scripts/build.mjs\` first`);
  const nvim = installNeovim();
  const initLua = readmeConfig();

  fs.rmSync(outDir, { recursive: true, force: true });
  fs.mkdirSync(outDir, { recursive: true });
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'vaultlink-neovim-'));
  try {
    const source = path.join(repoRoot, 'examples', 'conference-notes');
    const vault = path.join(base, 'conference-notes');
    fs.cpSync(source, vault, { recursive: true });
    // What the issue's user had: the current directory holding more copies of the vault.
    fs.cpSync(source, path.join(base, 'conference-notes (old copy)'), { recursive: true });

    const binDir = path.join(base, 'bin');
    fs.mkdirSync(binDir);
    const wrapper = path.join(binDir, 'vaultlink-language-server');
    fs.writeFileSync(wrapper, `#!/bin/sh\nexec ${shellQuote(process.execPath)} ${shellQuote(serverBin)} "$@"\n`);
    fs.chmodSync(wrapper, 0o755);
    const initFile = path.join(base, 'init.lua');
    fs.writeFileSync(initFile, initLua);
    fs.copyFileSync(initFile, path.join(outDir, 'init.lua'));

    const xdg = path.join(base, 'xdg');
    const env = {
      ...process.env,
      PATH: `${binDir}${path.delimiter}${process.env.PATH ?? ''}`,
      XDG_CONFIG_HOME: path.join(xdg, 'config'),
      XDG_DATA_HOME: path.join(xdg, 'data'),
      XDG_STATE_HOME: path.join(xdg, 'state'),
      XDG_CACHE_HOME: path.join(xdg, 'cache'),
      VAULTLINK_NVIM_RESULTS: path.join(base, 'results.json'),
      VAULTLINK_NVIM_VAULT: vault,
    };
    const args = [
      '--headless',
      '--clean',
      // Before init.lua, so that the log has the initialize exchange too.
      '--cmd', "lua vim.lsp.set_log_level('debug')",
      '-u', initFile,
      '-c', `luafile ${checksLua.replace(/[ \\]/g, '\\$&')}`,
      path.join(vault, NOTE),
    ];
    console.log(`neovim: ${nvim} ${args.map((arg) => (/\s/.test(arg) ? JSON.stringify(arg) : arg)).join(' ')}`);
    const run = await runNeovim(nvim, args, { cwd: base, env });

    const lspLog = path.join(xdg, 'state', 'nvim', 'lsp.log');
    if (fs.existsSync(lspLog)) fs.copyFileSync(lspLog, path.join(outDir, 'lsp.log'));
    /** @type {{ results?: typeof results, timings?: Record<string, number>, done?: boolean }} */
    let report = {};
    try {
      report = JSON.parse(fs.readFileSync(env.VAULTLINK_NVIM_RESULTS, 'utf8'));
    } catch {
      // reported below
    }
    for (const result of report.results ?? []) {
      results.push(result);
      console.log(`  ${result.ok ? 'ok  ' : 'FAIL'} ${result.name} (${result.ms} ms)`);
      if (!result.ok) console.log(`        ${String(result.error).split('\n').join('\n        ')}`);
    }
    if (!report.done) {
      const why = run.timedOut ? `Neovim was stopped after ${RUN_TIMEOUT_MS / 1000} s` : `Neovim exited (${run.code ?? run.signal}) before the checks finished`;
      results.push({ name: 'the checks run to the end', ok: false, error: `${why}\n${run.output.trim().slice(-3000)}` });
      console.log(`  FAIL the checks run to the end\n        ${why}\n        ${run.output.trim().slice(-3000).split('\n').join('\n        ')}`);
    }
    const timings = report.timings ?? {};
    console.log(
      `neovim: diagnostics after ${timings.diagnostics_ms ?? '?'} ms; checks ${timings.checks_ms ?? '?'} ms; ` +
        `run ${((Date.now() - started) / 1000).toFixed(1)} s; LSP log and init.lua in ${path.relative(repoRoot, outDir)}/`,
    );
  } finally {
    fs.rmSync(base, { recursive: true, force: true });
  }
}

/**
 * Installs Neovim 0.10 (cached in .vscode-test/neovim) and returns the binary's path.
 * @returns {string}
 */
function installNeovim() {
  if (!fs.existsSync(installer)) throw new Error(`cannot install Neovim 0.10: ${installer} does not exist`);
  const install = spawnSync('bash', [installer, neovimDir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 600_000 });
  const printed = (install.stdout ?? '').trim().split('\n').pop() ?? '';
  if (install.status !== 0 || !printed || !fs.existsSync(printed)) {
    throw new Error(
      `cannot install Neovim 0.10 with ${path.relative(repoRoot, installer)} ${path.relative(repoRoot, neovimDir)} ` +
        `(exit ${install.status ?? install.signal ?? install.error}; it needs root for apt-get, patchelf and deb.debian.org):\n` +
        `${(install.stderr ?? '').trim().split('\n').slice(-15).join('\n')}`,
    );
  }
  const version = spawnSync(printed, ['--version'], { encoding: 'utf8' });
  const first = (version.stdout ?? '').split('\n')[0];
  if (!/^NVIM v0\.10\./.test(first)) throw new Error(`${printed} is not Neovim 0.10: ${JSON.stringify(first || version.stderr)}`);
  console.log(`neovim: ${first} at ${path.relative(repoRoot, printed)}`);
  return printed;
}

/** The README's Neovim 0.10 block, as is. */
function readmeConfig() {
  const readme = fs.readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
  const block = /<!-- neovim-0\.10-config -->\s*```lua\n([\s\S]*?)\n```\s*<!-- \/neovim-0\.10-config -->/.exec(readme);
  if (!block) throw new Error('README.md has no ```lua block between <!-- neovim-0.10-config --> and <!-- /neovim-0.10-config -->');
  if (!block[1].includes("'vaultlink-language-server'")) throw new Error("the README's Neovim 0.10 block does not run 'vaultlink-language-server'");
  return `${block[1]}\n`;
}

/**
 * Runs Neovim in its own process group and stops the group (Neovim and the
 * server it started) when it exits or after RUN_TIMEOUT_MS.
 * @param {string} command
 * @param {string[]} args
 * @param {{ cwd: string, env: NodeJS.ProcessEnv }} options
 * @returns {Promise<{ code: number | null, signal: NodeJS.Signals | null, timedOut: boolean, output: string }>}
 */
function runNeovim(command, args, options) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let output = '';
    let timedOut = false;
    const collect = (/** @type {Buffer} */ chunk) => {
      output += chunk;
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    const killGroup = () => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    const stopOnExit = () => killGroup();
    process.once('exit', stopOnExit);
    for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) {
      process.once(signal, () => {
        killGroup();
        process.exit(130);
      });
    }
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
    }, RUN_TIMEOUT_MS);
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ code: 127, signal: null, timedOut, output: output + String(error) });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      // The server normally exits with Neovim; whatever is left of the group goes.
      killGroup();
      process.removeListener('exit', stopOnExit);
      resolve({ code, signal, timedOut, output });
    });
  });
}

/** @param {string} text */
function shellQuote(text) {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** @param {unknown} err */
function errorText(err) {
  return err instanceof Error ? err.message : String(err);
}

function summary() {
  const passed = results.filter((result) => result.ok).length;
  const failed = results.length - passed;
  console.log(`neovim: ${passed} passed, ${failed} failed`);
  return failed === 0 && passed > 0 ? 0 : 1;
}

main().then(
  () => process.exit(summary()),
  (err) => {
    console.error(`neovim: ${errorText(err)}`);
    results.push({ name: 'run', ok: false, error: errorText(err) });
    process.exit(summary());
  },
);
