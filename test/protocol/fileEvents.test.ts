import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import type { Diagnostic } from 'vscode-languageserver-types';
import { LspTestClient } from './lspClient';

/**
 * Files that change outside the editor (a sync, `git pull`, another app),
 * announced with the watcher events a client sends: the server's diagnostics
 * follow exactly, pushed and pulled (issue 11, item 1); and what editors that
 * spell URIs their own way, or type fast in big notes, see.
 */

const CREATED = 1;
const CHANGED = 2;
const DELETED = 3;

interface IndexStats {
  parses: number;
}

function tempVault(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vaultlink-events-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

describe('files changed outside the editor, over the protocol', () => {
  const cleanup: Array<() => unknown> = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  async function start(files: Record<string, string>, capabilities: Record<string, unknown> = {}) {
    const dir = tempVault(files);
    const client = new LspTestClient();
    cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }), () => client.shutdown());
    await client.initialize(URI.file(dir).toString(), capabilities);
    await client.whenIndexed();
    const uri = (name: string) => URI.file(path.join(dir, name)).toString();
    const write = (name: string, text: string) => fs.writeFileSync(path.join(dir, name), text);
    const events = (...changes: Array<[string, number]>) => client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: changes.map(([name, type]) => ({ uri: uri(name), type })) });
    return { dir, client, uri, write, events };
  }

  it('pushes a created note its own problems, a changed one its new problems, and clears a deleted one', async () => {
    const { client, uri, write, events } = await start({ 'a.md': '# A\n' });
    write('new.md', '[[Nowhere]]\n');
    await events(['new.md', CREATED]);
    assert.equal((await client.diagnostics(uri('new.md'), (d) => d.length === 1)).length, 1, 'the created note gets its own diagnostics');
    write('new.md', '[[Nowhere]] [[Elsewhere]]\n');
    await events(['new.md', CHANGED]);
    await client.diagnostics(uri('new.md'), (d) => d.length === 2);
    fs.rmSync(path.join(path.dirname(URI.parse(uri('new.md')).fsPath), 'new.md'));
    await events(['new.md', DELETED]);
    await client.diagnostics(uri('new.md'), (d) => d.length === 0);
  });

  it('answers pulls with the same: created, changed, deleted', async () => {
    const { client, uri, write, events } = await start(
      { 'a.md': '# A\n' },
      { textDocument: { diagnostic: { dynamicRegistration: false } }, workspace: { didChangeWatchedFiles: { dynamicRegistration: true }, configuration: true, workspaceFolders: true, diagnostics: { refreshSupport: true } } },
    );
    const pull = (name: string) => client.request<{ items: Diagnostic[] }>('textDocument/diagnostic', { textDocument: { uri: uri(name) } });
    write('new.md', '[[Nowhere]]\n');
    await events(['new.md', CREATED]);
    assert.equal((await pull('new.md')).items.length, 1);
    write('new.md', '[[Nowhere]] [[Elsewhere]]\n');
    await events(['new.md', CHANGED]);
    assert.equal((await pull('new.md')).items.length, 2);
    const first = await client.request<{ items: Array<{ uri: string; items: Diagnostic[] }> }>('workspace/diagnostic', { previousResultIds: [] });
    fs.rmSync(URI.parse(uri('new.md')).fsPath);
    await events(['new.md', DELETED]);
    const next = await client.request<{ items: Array<{ uri: string; items: Diagnostic[] }> }>('workspace/diagnostic', {
      previousResultIds: first.items.map((item) => ({ uri: item.uri, value: (item as unknown as { resultId: string }).resultId })),
    });
    assert.deepEqual(
      next.items.filter((item) => item.uri === uri('new.md')).map((item) => item.items.length),
      [0],
      'the deleted note is reported once, empty, so the Problems panel drops it',
    );
  });

  it('says when it has taken in a file event (vaultlink/filesChanged), and what depends on it is then current: the preview asking at once sees the new image', async () => {
    const { client, uri, write, events } = await start({ 'a.md': '# A\n\n![[pic.png]]\n' });
    client.open(uri('a.md'), '# A\n\n![[pic.png]]\n');
    type Answer = { links: Array<{ target: string; broken: boolean }> };
    const before = await client.request<Answer>('vaultlink/previewLinks', { uri: uri('a.md') });
    assert.equal(before.links.find((link) => link.target === 'pic.png')?.broken, true, 'no image yet');
    const announced = new Promise<string[]>((resolve) => client.connection.onNotification('vaultlink/filesChanged', (params: { uris: string[] }) => resolve(params.uris)));
    write('pic.png', 'not really a png');
    await events(['pic.png', CREATED]);
    assert.deepEqual(await announced, [uri('pic.png')]);
    // Asked the moment the server says so, with no wait of the test's own.
    const after = await client.request<Answer>('vaultlink/previewLinks', { uri: uri('a.md') });
    assert.equal(after.links.find((link) => link.target === 'pic.png')?.broken, false, 'the image the server announced resolves');
  });

  it('applies a burst of 1,000 events in one notification exactly', async () => {
    const files: Record<string, string> = { 'hub.md': '# Hub\n' };
    const { client, uri, write, events } = await start(files);
    const names = Array.from({ length: 1000 }, (_, i) => `n${i}.md`);
    for (const [i, name] of names.entries()) write(name, i % 2 ? '[[hub]]\n' : '[[Missing]]\n');
    await events(...names.map((name): [string, number] => [name, CREATED]));
    for (const [i, name] of names.entries()) await client.diagnostics(uri(name), (d) => d.length === (i % 2 ? 0 : 1));
    const stats = await client.request<{ notes: number }>('vaultlink/indexStats', null);
    assert.equal(stats.notes, 1001);
  });

  it('watches the vault itself for a client that watches no files (Neovim on Linux): a note written on disk gets its problems, a fix clears them', async () => {
    const dir = tempVault({ 'a.md': '# A\n' });
    const client = new LspTestClient();
    cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }), () => client.shutdown());
    await client.initializeWith({ rootUri: URI.file(dir).toString(), workspaceFolders: [{ uri: URI.file(dir).toString(), name: 'v' }], capabilities: { workspace: { didChangeWatchedFiles: { dynamicRegistration: false } } } });
    await client.status((s) => s.state === 'ready', 20000);
    const uri = URI.file(path.join(dir, 'new.md')).toString();
    fs.writeFileSync(path.join(dir, 'new.md'), '![[pic.png]]\n');
    await client.diagnostics(uri, (d) => d.length === 1, 15000);
    fs.writeFileSync(path.join(dir, 'pic.png'), 'png');
    await client.diagnostics(uri, (d) => d.length === 0, 15000);
  });

  it('publishes under the URI spelling the client opened the note with (Neovim and Helix leave parentheses unencoded)', async () => {
    const { client, dir } = await start({ 'Talk (draft).md': '![[missing.png]]\n' });
    const serverSpelling = URI.file(path.join(dir, 'Talk (draft).md')).toString();
    const clientSpelling = serverSpelling.replace(/%28/g, '(').replace(/%29/g, ')');
    assert.notEqual(clientSpelling, serverSpelling, 'the test needs the two spellings to differ');
    client.open(clientSpelling, '![[missing.png]] [[Nowhere]]\n');
    const shown = await client.diagnostics(clientSpelling, (d) => d.length === 2);
    assert.equal(shown.length, 2);
    const underServerSpelling = client.publishes(serverSpelling);
    assert.ok(underServerSpelling.length === 0 || underServerSpelling[underServerSpelling.length - 1].length === 0, 'nothing stale is left under the other spelling');
  });

  it('parses a large note once per pause in typing, not once per keystroke, and shows the last edit', async () => {
    const big = '# Big\n' + 'Some prose that goes on. '.repeat(8000) + '\n';
    const { client, uri } = await start({ 'big.md': big });
    client.open(uri('big.md'), big);
    await client.diagnostics(uri('big.md'), (d) => d.length === 0);
    const before = await client.request<IndexStats>('vaultlink/indexStats', null);
    let text = big;
    for (let version = 2; version < 22; version++) {
      text += 'x';
      client.change(uri('big.md'), text, version);
    }
    text += '[[Nowhere]]';
    client.change(uri('big.md'), text, 22);
    await client.diagnostics(uri('big.md'), (d) => d.length === 1);
    const after = await client.request<IndexStats>('vaultlink/indexStats', null);
    assert.ok(after.parses - before.parses <= 3, `${after.parses - before.parses} parses for 21 edits`);
  });

  it("keeps a reopened note's unsaved text when the close's disk read lands after the reopen", async () => {
    const { client, uri } = await start({ 'b.md': '# Heading\n[[Nowhere]]\n' });
    client.open(uri('b.md'), '# Heading\n[[Nowhere]]\n');
    await client.diagnostics(uri('b.md'), (d) => d.length === 1);
    for (let i = 0; i < 10; i++) {
      void client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: uri('b.md') } });
      client.open(uri('b.md'), `# Heading\n[[Nowhere]] [[Unsaved ${i}]]\n`, 100 + i);
      await client.diagnostics(uri('b.md'), (d) => d.some((item) => item.message.includes(`Unsaved ${i}`)));
      // Long enough for the close's read of the file to land.
      await new Promise((resolve) => setTimeout(resolve, 100));
      const latest = client.publishes(uri('b.md')).at(-1)!;
      assert.ok(latest.some((item) => item.message.includes(`Unsaved ${i}`)), `try ${i}: the buffer's problems stay, not the file's`);
    }
  });
});
