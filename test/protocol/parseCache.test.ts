import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import { LINE_NOTE, SEED_VAULT } from '../kit/vault';
import { LspTestClient } from './lspClient';

/** Every file under `dir`, relative, sorted: to show the server wrote nothing there. */
function listing(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[]).map((entry) => entry.split(path.sep).join('/')).sort();
}

describe('the parse cache over the protocol', () => {
  let vaultDir: string;
  let cacheDir: string;

  before(() => {
    vaultDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vaultlink-cache-vault-'));
    cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vaultlink-cache-dir-'));
    fs.cpSync(SEED_VAULT, vaultDir, { recursive: true });
    for (let i = 0; i < 5; i++) fs.writeFileSync(path.join(vaultDir, `Extra ${i}.md`), `# Extra ${i}\n[[DEVIEW 2018]] [[Nowhere ${i}]]\n`);
  });

  after(() => {
    fs.rmSync(vaultDir, { recursive: true, force: true });
    fs.rmSync(cacheDir, { recursive: true, force: true });
  });

  /** Starts a server with `cacheDirectory`, opens the Line note and returns its diagnostics once indexed. */
  async function session(cacheDirectory: string): Promise<number> {
    const client = new LspTestClient();
    try {
      const rootUri = URI.file(vaultDir).toString();
      await client.connection.sendRequest('initialize', {
        processId: process.pid,
        rootUri,
        workspaceFolders: [{ uri: rootUri, name: 'vault' }],
        initializationOptions: { cacheDirectory },
        capabilities: { textDocument: { publishDiagnostics: {} } },
      });
      await client.connection.sendNotification('initialized', {});
      const uri = URI.file(path.join(vaultDir, LINE_NOTE)).toString();
      client.open(uri, fs.readFileSync(path.join(vaultDir, LINE_NOTE), 'utf8'));
      await client.whenIndexed();
      return (await client.diagnostics(uri, (d) => d.length > 0)).length;
    } finally {
      await client.shutdown();
    }
  }

  it('keeps parses in the cache folder, never in the vault, and serves a restart from them', async () => {
    const before = listing(vaultDir);
    assert.equal(await session(cacheDir), 43);
    const cacheFiles = listing(cacheDir).filter((file) => file.endsWith('.cache'));
    assert.equal(cacheFiles.length, 1, `cache folder holds ${listing(cacheDir).join(', ')}`);
    const written = fs.statSync(path.join(cacheDir, cacheFiles[0])).mtimeMs;
    assert.equal(await session(cacheDir), 43, 'the same problems from the cache');
    assert.equal(fs.statSync(path.join(cacheDir, cacheFiles[0])).mtimeMs, written, 'every note came from the cache: nothing to write again');
    assert.deepEqual(listing(vaultDir), before, 'nothing written in the vault');
  });

  it('writes nothing when asked to keep its cache inside the vault', async () => {
    const before = listing(vaultDir);
    assert.equal(await session(path.join(vaultDir, '.cache')), 43);
    assert.deepEqual(listing(vaultDir), before);
  });
});
