import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import type { CodeAction, Diagnostic } from 'vscode-languageserver-types';
import { DEVIEW_NOTE, LINE_NOTE, SEED_VAULT } from '../kit/vault';
import { LspTestClient } from './lspClient';

interface WorkspaceReport {
  items: Array<{ uri: string; kind: string; resultId: string; items: Diagnostic[] }>;
}

function copySeedVault(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vaultlink-diagnostics-'));
  fs.cpSync(SEED_VAULT, dir, { recursive: true });
  return dir;
}

describe('vault-wide diagnostics over the protocol', () => {
  const cleanup: Array<() => Promise<unknown> | void> = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0)) await step();
  });

  it('answers workspace pulls with every note, then holds the next pull until something changes', async () => {
    const dir = copySeedVault();
    const client = new LspTestClient();
    let refreshes = 0;
    client.connection.onRequest('workspace/diagnostic/refresh', () => {
      refreshes++;
      return null;
    });
    cleanup.push(() => client.shutdown(), () => fs.rmSync(dir, { recursive: true, force: true }));
    const { capabilities } = await client.initialize(URI.file(dir).toString(), {
      textDocument: { diagnostic: { dynamicRegistration: false }, definition: { linkSupport: true } },
      workspace: { didChangeWatchedFiles: { dynamicRegistration: true }, configuration: true, workspaceFolders: true, diagnostics: { refreshSupport: true } },
    });
    assert.deepEqual(capabilities.diagnosticProvider, { identifier: 'vaultlink', interFileDependencies: true, workspaceDiagnostics: true });
    await client.whenIndexed();

    const lineUri = URI.file(path.join(dir, LINE_NOTE)).toString();
    const first = await client.request<WorkspaceReport>('workspace/diagnostic', { previousResultIds: [] });
    const byUri = new Map(first.items.map((item) => [item.uri, item]));
    assert.equal(byUri.get(lineUri)?.items.length, 43, 'a note that is not open is reported');
    assert.equal(byUri.get(URI.file(path.join(dir, DEVIEW_NOTE)).toString())?.items.length, 0);

    let answered = false;
    const next = client.request<WorkspaceReport>('workspace/diagnostic', { previousResultIds: first.items.map((item) => ({ uri: item.uri, value: item.resultId })) }).then((report) => ((answered = true), report));
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(answered, false, 'nothing changed: the pull waits');

    fs.writeFileSync(path.join(dir, 'What_mlops.png'), 'png');
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: URI.file(path.join(dir, 'What_mlops.png')).toString(), type: 1 }] });
    const report = await next;
    assert.deepEqual(report.items.map((item) => [item.uri, item.items.length]), [[lineUri, 42]], 'only the affected note is sent again');
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.ok(refreshes >= 1, 'open editors are asked to pull again');

    const document = await client.request<{ kind: string; items: Diagnostic[] }>('textDocument/diagnostic', { textDocument: { uri: lineUri } });
    assert.equal(document.items.length, 42);
  });

  it('pushes the problems of notes that are not open to a client without pull support', async () => {
    const dir = copySeedVault();
    const client = new LspTestClient();
    cleanup.push(() => client.shutdown(), () => fs.rmSync(dir, { recursive: true, force: true }));
    await client.initialize(URI.file(dir).toString());
    const lineUri = URI.file(path.join(dir, LINE_NOTE)).toString();
    const diagnostics = await client.diagnostics(lineUri, (d) => d.length > 0);
    assert.equal(diagnostics.length, 43);
  });

  it('offers quick fixes whose edit removes the problem', async () => {
    const dir = copySeedVault();
    fs.writeFileSync(path.join(dir, 'What_mlops.png'), 'png');
    const noteUri = URI.file(path.join(dir, 'typo.md')).toString();
    fs.writeFileSync(path.join(dir, 'typo.md'), '![[what-mlops.PNG]]\n');
    const client = new LspTestClient();
    cleanup.push(() => client.shutdown(), () => fs.rmSync(dir, { recursive: true, force: true }));
    await client.initialize(URI.file(dir).toString());
    client.open(noteUri, '![[what-mlops.PNG]]\n');
    const [diagnostic] = await client.diagnostics(noteUri, (d) => d.length === 1);
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: noteUri }, range: diagnostic.range, context: { diagnostics: [diagnostic] } });
    assert.equal(actions[0].title, 'Change to "What_mlops.png"');
    assert.equal(actions[0].isPreferred, true);
    const [edit] = actions[0].edit!.changes![noteUri];
    assert.equal(edit.newText, 'What_mlops.png');
    client.change(noteUri, '![[What_mlops.png]]\n', 2);
    await client.diagnostics(noteUri, (d) => d.length === 0);
  });
});
