import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import type { CompletionItem, CompletionList, TextEdit, WorkspaceEdit } from 'vscode-languageserver-types';
import { LspTestClient, SERVER_MAIN } from './lspClient';
import { applyTextEdits } from '../kit/edits';

/** Enough other notes that reading their blocks takes several slices (and indexing is still going on at the first request). */
const FILLER_NOTES = 1500;
/** How often the test asks again while answers are incomplete, as an editor does on each keystroke, a few milliseconds apart. */
const MAX_ASKS = 5000;
const ASK_PAUSE_MS = 10;

const OTHER_TEXT = '# Other\n\nA paragraph about gardening\nwrapped over two lines.\n\n- 발표 자료 정리\n';

// `[[^^query` over stdio, as an editor meets it: asked the moment the note opens, with the
// vault still being indexed; picking another note's block without an id runs the item's
// command, and the server gives that note's block its id through workspace/applyEdit.
describe('[[^^ vault-wide block search over stdio', function () {
  // Indexing and reading 1,500 notes on a loaded 2-core machine; the asks stop as soon as the answer has the block.
  this.timeout(120_000);
  let vaultDir: string;
  let client: LspTestClient;
  const edits: WorkspaceEdit[] = [];
  const messages: string[] = [];
  const uriOf = (name: string) => URI.file(path.join(vaultDir, name)).toString();

  before(async function () {
    if (!fs.existsSync(SERVER_MAIN)) throw new Error(`${SERVER_MAIN} is missing: run "npm run build" first (npm test does).`);
    vaultDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vaultlink-blocks-'));
    fs.mkdirSync(path.join(vaultDir, 'filler'));
    for (let i = 0; i < FILLER_NOTES; i++) fs.writeFileSync(path.join(vaultDir, 'filler', `n${i}.md`), `# Filler ${i}\n\nFiller paragraph ${i} about nothing much.\n`);
    fs.writeFileSync(path.join(vaultDir, 'Other.md'), OTHER_TEXT);
    fs.writeFileSync(path.join(vaultDir, 'Mine.md'), '');
    client = new LspTestClient();
    // An editor's answer to the server's edit: applied to the file on disk, as an editor saving it would.
    client.connection.onRequest('workspace/applyEdit', (params: { edit: WorkspaceEdit }) => {
      edits.push(params.edit);
      for (const [uri, changes] of Object.entries(params.edit.changes ?? {})) {
        const file = URI.parse(uri).fsPath;
        fs.writeFileSync(file, applyTextEdits(fs.readFileSync(file, 'utf8'), changes));
      }
      return { applied: true };
    });
    client.connection.onNotification('window/showMessage', (params: { message: string }) => messages.push(params.message));
    await client.initialize(URI.file(vaultDir).toString(), { workspace: { applyEdit: true, didChangeWatchedFiles: { dynamicRegistration: true }, configuration: true, workspaceFolders: true } });
  });

  after(async () => {
    const code = await client?.shutdown();
    fs.rmSync(vaultDir, { recursive: true, force: true });
    assert.equal(code, 0);
  });

  let version = 1;
  let typed: string | undefined;
  function complete(text: string): Promise<CompletionList> {
    // Typed into the open note, as the editor sends it before asking.
    if (typed !== undefined && typed !== text) client.change(uriOf('Mine.md'), text, ++version);
    typed = text;
    const lines = text.split('\n');
    return client.request<CompletionList>('textDocument/completion', { textDocument: { uri: uriOf('Mine.md') }, position: { line: lines.length - 1, character: lines.at(-1)!.length } });
  }

  /** Asks until an answer has an item `find` accepts; every answer that lacks it must say it is incomplete. */
  async function askUntil(text: string, find: (item: CompletionItem) => boolean): Promise<CompletionItem> {
    for (let ask = 0; ask < MAX_ASKS; ask++) {
      const list = await complete(text);
      const item = list.items.find(find);
      if (item) return item;
      assert.equal(list.isIncomplete, true, `an answer without the block must be marked incomplete: ${JSON.stringify(list.items.map((i) => i.label))}`);
      await new Promise((resolve) => setTimeout(resolve, ASK_PAUSE_MS));
    }
    throw new Error(`no answer to ${text} had the block after ${MAX_ASKS} asks`);
  }

  it('answers the first [[^^ at once, then finds another note\'s block by its text, and the command gives it its id', async () => {
    const text = 'See [[^^garden';
    // Opened and asked at once: no waiting for indexing first.
    client.open(uriOf('Mine.md'), text);
    const item = await askUntil(text, (candidate) => candidate.label === 'A paragraph about gardening wrapped over two lines.');
    const newText = (item.textEdit as TextEdit).newText;
    const id = /^Other#\^([a-z0-9]{6})\]\]$/.exec(newText)?.[1];
    assert.ok(id, newText);
    assert.equal(item.command?.command, 'vaultlink.addBlockId');
    const result = (await client.request<unknown>('workspace/executeCommand', { command: item.command.command, arguments: item.command.arguments })) ?? null;
    assert.equal(result, null);
    assert.equal(edits.length, 1, `one edit asked for; messages: ${messages.join(' | ')}`);
    assert.deepEqual(Object.keys(edits[0].changes ?? {}), [uriOf('Other.md')]);
    assert.equal(fs.readFileSync(path.join(vaultDir, 'Other.md'), 'utf8'), `# Other\n\nA paragraph about gardening\nwrapped over two lines. ^${id}\n\n- 발표 자료 정리\n`);
  });

  it('finds a Korean block by initials, and does not touch it when its line changed before the command ran', async () => {
    const item = await askUntil('See [[^^ㅂㅍ ㅈㄹ', (candidate) => candidate.label === '발표 자료 정리');
    const before = edits.length;
    const changed = fs.readFileSync(path.join(vaultDir, 'Other.md'), 'utf8').replace('- 발표 자료 정리', '- 다른 내용');
    fs.writeFileSync(path.join(vaultDir, 'Other.md'), changed);
    await client.request('workspace/executeCommand', { command: item.command!.command, arguments: item.command!.arguments });
    assert.equal(edits.length, before, 'no edit asked for');
    assert.equal(fs.readFileSync(path.join(vaultDir, 'Other.md'), 'utf8'), changed);
    assert.ok(messages.some((message) => /no longer holds "발표 자료 정리"/.test(message)), messages.join(' | '));
  });
});

