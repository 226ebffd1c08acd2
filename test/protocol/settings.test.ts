import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import { LINE_NOTE, SEED_VAULT } from '../kit/vault';
import { LspTestClient } from './lspClient';

interface IndexStats {
  notes: number;
  parses: number;
  indexing: boolean;
}

/** A settings change redoes only what it affects (issue 10): severity re-publishes, exclude globs add or drop files. */
describe('settings changes over the protocol', () => {
  let dir: string;
  let client: LspTestClient;
  let lineUri: string;

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vaultlink-settings-'));
    fs.cpSync(SEED_VAULT, dir, { recursive: true });
    fs.mkdirSync(path.join(dir, 'drafts'));
    fs.writeFileSync(path.join(dir, 'drafts', 'Draft.md'), '[[No such note]]\n');
    client = new LspTestClient();
    await client.initialize(URI.file(dir).toString());
    lineUri = URI.file(path.join(dir, LINE_NOTE)).toString();
    await client.whenIndexed();
  });

  afterEach(async () => {
    await client.shutdown();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a severity pushed with didChangeConfiguration re-publishes every note, parsing none', async () => {
    await client.diagnostics(lineUri, (d) => d.length === 43);
    const before = await client.request<IndexStats>('vaultlink/indexStats', null);
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { vaultlink: { diagnostics: { severity: { 'link.missing-image': 'error' } } } } });
    const republished = await client.diagnostics(lineUri, (d) => d.length === 43 && d.every((item) => item.severity === 1));
    assert.equal(republished.length, 43);
    const after = await client.request<IndexStats>('vaultlink/indexStats', null);
    assert.equal(after.parses, before.parses, 'no note was parsed again');
    assert.equal(after.notes, before.notes);
  });

  it('an exclude glob drops the files it matches (their problems cleared) and lets them back when removed', async () => {
    const draftUri = URI.file(path.join(dir, 'drafts', 'Draft.md')).toString();
    await client.diagnostics(draftUri, (d) => d.length === 1);
    const before = await client.request<IndexStats>('vaultlink/indexStats', null);
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { vaultlink: { exclude: ['drafts/**'] } } });
    await client.diagnostics(draftUri, (d) => d.length === 0);
    const excluded = await client.request<IndexStats>('vaultlink/indexStats', null);
    assert.equal(excluded.notes, before.notes - 1);
    assert.equal(excluded.parses, before.parses, 'dropping files parses nothing');
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: { vaultlink: { exclude: [] } } });
    await client.diagnostics(draftUri, (d) => d.length === 1);
    const back = await client.request<IndexStats>('vaultlink/indexStats', null);
    assert.equal(back.notes, before.notes);
    assert.equal(back.parses, before.parses + 1, 'only the note let back in is parsed');
  });
});
