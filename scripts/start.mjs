// @ts-check
// `npm start`: builds the extension and opens a copy of the sample vault
// (examples/conference-notes) in VS Code with the extension loaded in
// development mode, the way F5 "Run Extension" would. The copy is a fresh
// folder outside the repository (in the system's temporary folder), so VS Code
// does not find the repository's git folder above it and offer to open that,
// and what a person writes there never lands in the repository.
//
// The Korean notes need a CJK font, or they render as boxes: fonts-noto-cjk is
// installed when running as root (as .ci/run does), otherwise named.
//
//   - VS Code desktop (`code` on PATH): `code --extensionDevelopmentPath=REPO examples/conference-notes`.
//   - Otherwise code-server (installed once into .vscode-test/, see
//     scripts/codeServer.mjs) on 127.0.0.1; it prints the URL to open in a
//     browser and runs until Ctrl+C, which stops it.
//
// Environment: VAULTLINK_PORT picks the port (default: a free one).
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import * as fs from 'node:fs';
import {
  copyToTemp,
  ensureCodeServer,
  ensureSystemPackages,
  errorText,
  freePort,
  log,
  repoRoot,
  runCleanups,
  startCodeServer,
  workbenchUrl,
} from './codeServer.mjs';

const sampleVault = path.join(repoRoot, 'examples', 'conference-notes');
// Kept between runs so a person's settings and open editors survive restarts.
const stateDir = path.join(repoRoot, '.vscode-test', 'start');

async function main() {
  build();
  ensureFonts();
  const { folder: vault } = copyToTemp(sampleVault, 'vaultlink-sample-');
  log(`a fresh copy of the sample vault: ${vault}`);
  if (commandOnPath('code')) return openInDesktop(vault);
  return serveInBrowser(vault);
}

/** The CJK font the Korean notes need; a missing one is a warning naming the package, not a reason to stop. */
function ensureFonts() {
  try {
    ensureSystemPackages(['fonts-noto-cjk']);
  } catch (err) {
    console.warn(`start: Korean text will render as boxes without a CJK font. ${errorText(err)}`);
  }
}

function build() {
  const result = spawnSync('npm', ['run', 'build'], { cwd: repoRoot, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('npm run build failed');
}

/** @param {string} name */
function commandOnPath(name) {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

/** @param {string} vault */
function openInDesktop(vault) {
  log('opening the sample vault in VS Code desktop');
  const result = spawnSync('code', [`--extensionDevelopmentPath=${repoRoot}`, vault], { stdio: 'inherit' });
  return result.status ?? 1;
}

/** @param {string} vault */
async function serveInBrowser(vault) {
  ensureSystemPackages(['libkrb5-dev', 'ripgrep']);
  ensureCodeServer();
  const port = process.env.VAULTLINK_PORT ? Number(process.env.VAULTLINK_PORT) : await freePort();
  const server = await startCodeServer({
    folder: vault,
    userDataDir: path.join(stateDir, 'user-data'),
    extensionsDir: path.join(stateDir, 'extensions'),
    port,
  });
  const logFile = path.join(stateDir, 'code-server.log');
  const logStream = fs.createWriteStream(logFile, { flags: 'a' });
  logStream.write(server.output());
  server.child.stdout?.pipe(logStream);
  server.child.stderr?.pipe(logStream);

  const url = workbenchUrl({ port: server.port, folder: vault, extensionDevelopmentPath: repoRoot });
  console.log('');
  console.log('Vaultlink is running in code-server (VS Code in the browser). Open:');
  console.log('');
  console.log(`  ${url}`);
  console.log('');
  console.log(`From another machine, forward the port first: ssh -L ${server.port}:127.0.0.1:${server.port} THIS_HOST`);
  console.log(`Server log: ${path.relative(repoRoot, logFile)}. After changing the code: run \`npm run build\`, then`);
  console.log('"Developer: Restart Extension Host" in the browser. Press Ctrl+C here to stop.');

  // Runs until Ctrl+C (the clean-up handlers stop code-server) or until code-server ends by itself.
  const code = await new Promise((resolve) => server.child.once('exit', (exitCode) => resolve(exitCode ?? 1)));
  log(`code-server exited (${code})`);
  return code === 0 ? 0 : 1;
}

main().then(
  async (code) => {
    await runCleanups();
    process.exit(code);
  },
  async (err) => {
    await runCleanups();
    console.error(`start: ${errorText(err)}`);
    process.exit(1);
  },
);
