import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import { copySampleVault, removeTemporary, REPO, requireBuiltCli, runCli, SAMPLE_WARNINGS, temporaryFolder } from '../fixtures/cliRun';

/**
 * Installing from a package (issue 12): `npm pack` makes a tarball with the
 * two commands and the bundles they load (built at pack time by the prepack
 * script; here the bundles already built are packed, with --ignore-scripts, so
 * the test does not rebuild the shared dist/), and `npm install -g` of it gives
 * working `vaultlink` and `vaultlink-language-server` commands.
 */

const manifest = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { version: string; scripts: Record<string, string>; bin: Record<string, string>; main: string; private?: boolean; dependencies?: Record<string, string> };

function npm(args: readonly string[], cwd: string): { stdout: string; stderr: string; status: number | null } {
  const result = spawnSync('npm', [...args], { cwd, encoding: 'utf8', timeout: 120_000, env: { ...process.env, npm_config_update_notifier: 'false' } });
  return { stdout: result.stdout, stderr: result.stderr, status: result.status };
}

/** Sends `initialize` over stdio and resolves with the response (LSP base protocol framing). */
interface InitializeAnswer {
  readonly id?: number;
  readonly result?: { capabilities?: Record<string, unknown>; serverInfo?: { name: string } };
}

function initialize(command: string, args: readonly string[], rootUri: string): Promise<InitializeAnswer> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, VAULTLINK_CACHE: 'off', VAULTLINK_WATCH: 'off' } });
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error('no answer to initialize in 20 s'));
    }, 20_000);
    let buffer = Buffer.alloc(0);
    child.stdout.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        const header = buffer.indexOf('\r\n\r\n');
        if (header < 0) return;
        const length = Number(/Content-Length: (\d+)/i.exec(buffer.subarray(0, header).toString('ascii'))?.[1]);
        if (buffer.length < header + 4 + length) return;
        const message = JSON.parse(buffer.subarray(header + 4, header + 4 + length).toString('utf8')) as InitializeAnswer;
        buffer = buffer.subarray(header + 4 + length);
        if (message.id === 1) {
          clearTimeout(timer);
          child.kill();
          resolve(message);
          return;
        }
      }
    });
    child.on('error', reject);
    const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { processId: process.pid, rootUri, capabilities: {}, workspaceFolders: [{ uri: rootUri, name: 'vault' }] } });
    child.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  });
}

describe('vaultlink as an npm package', function () {
  this.timeout(120_000);
  let prefix: string;
  let files: string[];

  before(async function () {
    requireBuiltCli();
    for (const bundle of ['dist/server/main.js', 'dist/server/noteWorker.js']) if (!existsSync(path.join(REPO, bundle))) assert.fail(`${bundle} is missing: build first (node scripts/build.mjs)`);
    const folder = await temporaryFolder('vaultlink-pack-');
    const pack = npm(['pack', '--ignore-scripts', '--json', '--pack-destination', folder], REPO);
    assert.equal(pack.status, 0, pack.stderr);
    const [packed] = JSON.parse(pack.stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
    files = packed.files.map((file) => file.path).sort();
    prefix = path.join(folder, 'prefix');
    const install = npm(['install', '--global', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', path.join(folder, packed.filename)], folder);
    assert.equal(install.status, 0, install.stderr);
  });
  after(removeTemporary);

  it('builds dist/ when packed, and keeps the extension manifest', () => {
    // A production build: minified, no source maps (the same one vsce packages).
    assert.equal(manifest.scripts.prepack, 'node scripts/build.mjs --production');
    assert.equal(manifest.private, undefined, 'a private package cannot be published');
    // The bundles hold every library, so installing the tarball fetches nothing.
    assert.deepEqual(manifest.dependencies ?? {}, {}, 'runtime libraries are bundled: list them in devDependencies');
    assert.deepEqual(manifest.bin, { 'vaultlink-language-server': './bin/vaultlink-language-server.js', vaultlink: './bin/vaultlink.js' });
    assert.equal(manifest.main, './dist/client/extension.js');
    assert.equal('files' in manifest, false, 'no "files": vsce refuses it beside .vscodeignore (the package is .npmignore\'s allowlist)');
  });

  it('holds the two commands and the bundles they load, and no sources, maps or editor client', () => {
    assert.deepEqual(files, ['CHANGELOG.md', 'LICENSE', 'README.md', 'bin/vaultlink-language-server.js', 'bin/vaultlink.js', 'dist/cli/main.js', 'dist/cli/noteWorker.js', 'dist/server/main.js', 'dist/server/noteWorker.js', 'package.json']);
  });

  it('installs nothing besides itself: the bundles need no node_modules', () => {
    const installed = path.join(prefix, 'lib', 'node_modules', 'vaultlink');
    assert.ok(existsSync(path.join(installed, 'dist', 'server', 'main.js')), `not installed in ${installed}`);
    assert.equal(existsSync(path.join(installed, 'node_modules')), false, 'the install fetched dependencies');
  });

  it('installs a working vaultlink: --version, check with its exit codes', async () => {
    const bin = path.join(prefix, 'bin', 'vaultlink');
    const version = await runCli(['--version'], { bin });
    assert.equal(version.code, 0, version.stderr);
    assert.equal(version.stdout, `${manifest.version}\n`);
    const vault = await copySampleVault();
    const check = await runCli(['check', vault], { bin });
    assert.equal(check.code, 1, check.stderr);
    assert.match(check.stdout, new RegExp(`^2 notes, 0 other files checked in \\d+ ms: 0 errors, ${SAMPLE_WARNINGS} warnings, 0 notices\\.$`, 'm'));
    assert.equal((await runCli(['check', vault, '--max-warnings', '-1'], { bin })).code, 0);
    assert.equal((await runCli(['check', path.join(vault, 'gone')], { bin })).code, 2);
  });

  it('installs a working vaultlink-language-server: --stdio answers initialize', async () => {
    const vault = await copySampleVault();
    const answer = await initialize(path.join(prefix, 'bin', 'vaultlink-language-server'), ['--stdio'], URI.file(vault).toString());
    assert.equal(answer.result?.serverInfo?.name, 'vaultlink-language-server');
    assert.ok(answer.result?.capabilities?.definitionProvider, JSON.stringify(answer));
    // Without --stdio too: the command adds it.
    const bare = await initialize(path.join(prefix, 'bin', 'vaultlink-language-server'), [], URI.file(vault).toString());
    assert.equal(bare.result?.serverInfo?.name, 'vaultlink-language-server');
  });
});
