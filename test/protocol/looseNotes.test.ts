import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import type { DocumentSymbol, LocationLink } from 'vscode-languageserver-types';
import { LINE_NOTE, SEED_VAULT } from '../kit/vault';
import { LspTestClient } from './lspClient';

/**
 * Editors that give no folder (an editor started on one note, a script) and
 * editors that rename files themselves, without a watcher (issue 12).
 */
describe('notes opened without a workspace folder, and file operations without a watcher', () => {
  const cleanup: Array<() => unknown> = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  function copyVault(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vaultlink-loose-'));
    fs.cpSync(SEED_VAULT, dir, { recursive: true });
    cleanup.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    return dir;
  }

  async function startWithout(params: Record<string, unknown>): Promise<LspTestClient> {
    const client = new LspTestClient();
    cleanup.push(() => client.shutdown());
    await client.initializeWith({ capabilities: { textDocument: { definition: { linkSupport: true } } }, ...params });
    return client;
  }

  const ideaLink = (text: string) => {
    const lines = text.split('\n');
    const line = lines.findIndex((l) => l.includes('[[#Idea|Idea]]'));
    return { line, character: lines[line].indexOf('[[#Idea') + 3 };
  };

  it('a single note opened with no folder at all gets every in-note feature and its problems, at once', async () => {
    const dir = copyVault();
    const client = await startWithout({ rootUri: null, workspaceFolders: null });
    const uri = URI.file(path.join(dir, LINE_NOTE)).toString();
    const text = fs.readFileSync(path.join(dir, LINE_NOTE), 'utf8');
    client.open(uri, text);
    const [link] = await client.request<LocationLink[]>('textDocument/definition', { textDocument: { uri }, position: ideaLink(text) });
    assert.equal(link?.targetUri, uri, '[[#Idea]] goes to the note itself');
    assert.equal(text.split('\n')[link.targetSelectionRange.start.line].trim(), '# Idea');
    const symbols = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
    assert.ok(symbols.length > 3);
    const diagnostics = await client.diagnostics(uri, (d) => d.length > 0);
    assert.equal(diagnostics.filter((d) => d.code === 'link.missing-image').length, 43);
  });

  it('finds the vault upward by its .obsidian folder: links from a note in a subfolder resolve against the whole vault', async () => {
    const dir = copyVault();
    fs.mkdirSync(path.join(dir, '.obsidian'));
    fs.mkdirSync(path.join(dir, 'daily'));
    const note = path.join(dir, 'daily', 'today.md');
    fs.writeFileSync(note, '[[DEVIEW 2018]] [[No such note]]\n');
    const client = await startWithout({ rootUri: null, workspaceFolders: null });
    const uri = URI.file(note).toString();
    client.open(uri, fs.readFileSync(note, 'utf8'));
    const diagnostics = await client.diagnostics(uri, (d) => d.length > 0);
    assert.deepEqual(diagnostics.map((d) => d.message.includes('No such note')), [true], 'DEVIEW 2018 at the vault root resolves; only the missing note is reported');
  });

  it('uses rootUri when workspaceFolders is empty', async () => {
    const dir = copyVault();
    const client = await startWithout({ rootUri: URI.file(dir).toString(), workspaceFolders: [] });
    const status = await client.status((s) => s.state === 'ready' && s.notes > 0, 20000);
    assert.equal(status.notes, fs.readdirSync(dir).filter((name) => name.endsWith('.md')).length);
  });

  it('follows a rename the editor made itself (workspace/didRenameFiles), with no file watcher', async () => {
    const dir = copyVault();
    fs.writeFileSync(path.join(dir, 'old.md'), '# Old\n');
    fs.writeFileSync(path.join(dir, 'linker.md'), '[[new]]\n');
    const client = await startWithout({ rootUri: URI.file(dir).toString(), workspaceFolders: [{ uri: URI.file(dir).toString(), name: 'v' }] });
    await client.status((s) => s.state === 'ready' && s.notes > 0, 20000);
    const linker = URI.file(path.join(dir, 'linker.md')).toString();
    client.open(linker, '[[new]]\n');
    await client.diagnostics(linker, (d) => d.length === 1);
    fs.renameSync(path.join(dir, 'old.md'), path.join(dir, 'new.md'));
    await client.connection.sendNotification('workspace/didRenameFiles', { files: [{ oldUri: URI.file(path.join(dir, 'old.md')).toString(), newUri: URI.file(path.join(dir, 'new.md')).toString() }] });
    await client.diagnostics(linker, (d) => d.length === 0);
  });
});
