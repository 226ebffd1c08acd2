import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import { createVaultService } from '../../server/src/index';
import { NodeFileSystem } from '../../server/src/node/nodeFileSystem';

/** Watcher events never bring a file from outside the vault into it (issue 11, item 8), on the real disk. */
describe('file events from outside the vault', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vaultlink-leak-'));
    fs.mkdirSync(path.join(dir, 'vault', 'sub'), { recursive: true });
    fs.mkdirSync(path.join(dir, 'elsewhere'));
    fs.writeFileSync(path.join(dir, 'vault', 'a.md'), '# A\n');
    fs.writeFileSync(path.join(dir, 'elsewhere', 'private.md'), '# Secret heading\n');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('a symbolic link created in the vault, and URIs climbing out with .. or %2e%2e, index nothing', async () => {
    const logs: string[] = [];
    const service = createVaultService({ fileSystem: new NodeFileSystem(), logger: { log: (message) => logs.push(message) } });
    const root = URI.file(path.join(dir, 'vault')).toString();
    service.setRoots([root]);
    await service.indexAll();
    fs.symlinkSync(path.join(dir, 'elsewhere', 'private.md'), path.join(dir, 'vault', 'leak.md'));
    await service.applyFileEvents([
      { uri: `${root}/leak.md`, deleted: false },
      { uri: `${root}/sub/../../elsewhere/private.md`, deleted: false },
      { uri: `${root}/%2e%2e/elsewhere/private.md`, deleted: false },
    ]);
    assert.deepEqual([...service.vaults[0].files()].map((file) => file.relativePath), ['a.md']);
    const probe = `${root}/a.md`;
    service.setDocumentText(probe, '# A\n[[leak#');
    const items = service.getCompletions(probe, { line: 1, character: 7 }).items.map((item) => item.label);
    assert.ok(!items.some((label) => label.includes('Secret')), `offered: ${items.join(', ')}`);
    assert.ok(logs.some((line) => /leak\.md/.test(line)), 'the refusal is logged');
  });
});
