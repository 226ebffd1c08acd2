import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import type { CodeAction, FoldingRange, SelectionRange } from 'vscode-languageserver-types';
import { SEED_VAULT } from '../kit/vault';
import { NEOVIM_0_10_CAPABILITIES } from './clientCapabilities';
import { LspTestClient, SERVER_MAIN } from './lspClient';

/**
 * Folding, selection ranges and the "Create note" fix over stdio, asked the
 * moment a note opens (as Neovim does), before the vault is indexed: the first
 * answers are the ones the server gives once it is.
 */

/** Enough notes that the first requests arrive while the vault is still being indexed. */
const FILLER_NOTES = 1500;
const READY_TIMEOUT_MS = 40000;

const IDEAS_TEXT = [
  '---', // 0
  'tags: [idea]', // 1
  '---', // 2
  '# Ideas', // 3
  '', // 4
  'Next: [[Missing idea#Plan]] and [[DEVIEW 2018]].', // 5
  '', // 6
  '> [!tip]- Folded', // 7
  '> hidden', // 8
  '', // 9
  '%%', // 10
  'a draft', // 11
  '%%', // 12
  '', // 13
  '## Later', // 14
  '- one', // 15
  '  - nested', // 16
  '',
].join('\n');
const LINK = { line: 5, character: 10 };

describe('folding, selection ranges and create note over stdio, asked at once', function () {
  this.timeout(90000);
  let vaultDir: string;
  let client: LspTestClient;
  let ideasUri: string;
  let first: { folding: Promise<FoldingRange[]>; selection: Promise<SelectionRange[]>; actions: Promise<CodeAction[]> };
  let capabilities: Record<string, unknown>;

  const ask = {
    folding: () => client.request<FoldingRange[]>('textDocument/foldingRange', { textDocument: { uri: ideasUri } }),
    selection: () => client.request<SelectionRange[]>('textDocument/selectionRange', { textDocument: { uri: ideasUri }, positions: [LINK] }),
    actions: () =>
      client.request<CodeAction[]>('textDocument/codeAction', {
        textDocument: { uri: ideasUri },
        range: { start: LINK, end: LINK },
        context: { diagnostics: [] },
      }),
  };

  before(async function () {
    if (!fs.existsSync(SERVER_MAIN)) throw new Error(`${SERVER_MAIN} is missing: run "npm run build" first (npm test does).`);
    vaultDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vaultlink-editing-'));
    fs.cpSync(SEED_VAULT, vaultDir, { recursive: true });
    fs.mkdirSync(path.join(vaultDir, '.obsidian'));
    fs.writeFileSync(path.join(vaultDir, '.obsidian', 'app.json'), '{"newFileLocation":"folder","newFileFolderPath":"inbox"}');
    fs.mkdirSync(path.join(vaultDir, 'filler'));
    for (let i = 0; i < FILLER_NOTES; i++) fs.writeFileSync(path.join(vaultDir, 'filler', `note ${i}.md`), `# Note ${i}\n\nSee [[note ${i + 1}]] and [[DEVIEW 2018]].\n`);
    ideasUri = URI.file(path.join(vaultDir, 'ideas.md')).toString();
    fs.writeFileSync(path.join(vaultDir, 'ideas.md'), IDEAS_TEXT);

    client = new LspTestClient({ env: { VAULTLINK_CACHE: 'off' } });
    const uri = URI.file(vaultDir).toString();
    ({ capabilities } = await client.initializeWith({ rootUri: uri, workspaceFolders: [{ uri, name: vaultDir }], capabilities: NEOVIM_0_10_CAPABILITIES }));
    // Nothing waits from here: open, then ask.
    client.open(ideasUri, IDEAS_TEXT, 0);
    first = { folding: ask.folding(), selection: ask.selection(), actions: ask.actions() };
    for (const answer of Object.values(first)) answer.catch(() => undefined);
  });

  after(async () => {
    await client?.shutdown();
    if (vaultDir) fs.rmSync(vaultDir, { recursive: true, force: true });
  });

  it('offers folding and selection ranges', () => {
    assert.equal(capabilities.foldingRangeProvider, true);
    assert.equal(capabilities.selectionRangeProvider, true);
  });

  it('folds the note at once: front matter, sections, the callout, the %% comment, a list item', async () => {
    const folds = (await first.folding).map((range) => `${range.startLine}-${range.endLine}${range.kind ? `:${range.kind}` : ''}`);
    assert.deepEqual(folds, ['0-2', '3-16', '7-8', '10-12:comment', '14-16', '15-16']);
  });

  it('expands a selection in a link at once: word, path, target, link, line, section, note', async () => {
    const [selection] = await first.selection;
    const lines = IDEAS_TEXT.split('\n');
    const steps: string[] = [];
    for (let step: SelectionRange | undefined = selection; step; step = step.parent) {
      const { start, end } = step.range;
      steps.push(start.line === end.line ? lines[start.line].slice(start.character, end.character) : `${start.line}-${end.line}`);
    }
    assert.deepEqual(steps, ['Missing', 'Missing idea', 'Missing idea#Plan', '[[Missing idea#Plan]]', 'Next: [[Missing idea#Plan]] and [[DEVIEW 2018]].', '3-16', '0-17']);
  });

  it('offers "Create note" in the folder app.json names at once, writing the heading the link asks for', async () => {
    const actions = await first.actions;
    const create = actions.find((action) => action.title.startsWith('Create note'));
    assert.equal(create?.title, 'Create note "inbox/Missing idea.md"', actions.map((action) => action.title).join(' | '));
    const inboxUri = URI.file(path.join(vaultDir, 'inbox', 'Missing idea.md')).toString();
    assert.deepEqual(create.edit?.documentChanges, [
      { kind: 'create', uri: inboxUri, options: { overwrite: false, ignoreIfExists: false } },
      { textDocument: { uri: inboxUri, version: null }, edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: '# Plan\n' }] },
    ]);
    assert.ok(!fs.existsSync(path.join(vaultDir, 'inbox')), 'offering the fix writes nothing');
  });

  it('gives the same answers once the whole vault is indexed', async () => {
    await client.status((status) => status.state === 'ready', READY_TIMEOUT_MS);
    assert.deepEqual(await ask.folding(), await first.folding);
    assert.deepEqual(await ask.selection(), await first.selection);
    assert.deepEqual(await ask.actions(), await first.actions);
  });
});
