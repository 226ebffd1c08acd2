import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CodeLens } from 'vscode-languageserver-types';
import { URI } from 'vscode-uri';
import type { Backlinks, UnlinkedMentions } from '../../server/src/protocol/vaultlinkProtocol';
import { LINE_NOTE, SEED_VAULT } from '../kit/vault';
import { LspTestClient, SERVER_MAIN } from './lspClient';

/** Notes added to a copy of the sample vault: two link to the Line note, one names it in plain text. */
const EXTRA_NOTES: Record<string, string> = {
  'recap.md': '# Recap\n\nNotes from [[2021 Line Developer Day]] and [[2021 Line Developer Day#Opening Keynote|the keynote]].\n',
  'talks/followup.md': 'Follow-up of [[2021 Line Developer Day]].\n\nI keep thinking about 2021 Line Developer Day. `2021 Line Developer Day` in code is no mention.\n',
};

describe('backlinks over stdio', function () {
  let vaultDir: string;
  let client: LspTestClient;
  let lineUri: string;
  const refreshes: number[] = [];

  before(async function () {
    if (!fs.existsSync(SERVER_MAIN)) throw new Error(`${SERVER_MAIN} is missing: run "npm run build" first (npm test does).`);
    vaultDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vaultlink-backlinks-'));
    fs.cpSync(SEED_VAULT, vaultDir, { recursive: true });
    for (const [name, text] of Object.entries(EXTRA_NOTES)) {
      fs.mkdirSync(path.dirname(path.join(vaultDir, name)), { recursive: true });
      fs.writeFileSync(path.join(vaultDir, name), text);
    }
    client = new LspTestClient();
    client.connection.onRequest('workspace/codeLens/refresh', () => {
      refreshes.push(Date.now());
      return null;
    });
    await client.initialize(URI.file(vaultDir).toString(), { workspace: { didChangeWatchedFiles: { dynamicRegistration: true }, configuration: true, workspaceFolders: true, codeLens: { refreshSupport: true } } });
    lineUri = URI.file(path.join(vaultDir, LINE_NOTE)).toString();
  });

  after(async () => {
    const code = await client?.shutdown();
    fs.rmSync(vaultDir, { recursive: true, force: true });
    assert.equal(code, 0, 'the server exits cleanly after shutdown and exit');
  });

  it('answers the first code lens, asked the moment the note opens, with every backlink', async () => {
    client.open(lineUri, fs.readFileSync(path.join(vaultDir, LINE_NOTE), 'utf8'));
    const lenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri: lineUri } });
    assert.equal(lenses.length, 1);
    assert.equal(lenses[0].command?.title, '3 backlinks');
    // Above the first heading, `# Idea`, after the front matter and the table of contents.
    const firstHeading = fs.readFileSync(path.join(vaultDir, LINE_NOTE), 'utf8').split('\n').findIndex((line) => line.startsWith('# '));
    assert.equal(lenses[0].range.start.line, firstHeading);
  });

  it('answers vaultlink/backlinks with the linking notes, their lines and the links out', async () => {
    const backlinks = await client.request<Backlinks | null>('vaultlink/backlinks', { uri: lineUri });
    assert.ok(backlinks);
    assert.deepEqual(
      backlinks.linked.map((note) => [note.relativePath, note.mentions.length]),
      [
        ['recap.md', 2],
        ['talks/followup.md', 1],
      ],
    );
    assert.equal(backlinks.linked[0].mentions[1].preview.text.slice(...backlinks.linked[0].mentions[1].preview.highlight), '[[2021 Line Developer Day#Opening Keynote|the keynote]]');
    // The 43 image embeds, none of which exists in the sample vault; the table of contents links within the note.
    assert.equal(backlinks.outgoing.length, 43);
    assert.ok(backlinks.outgoing.every((link) => link.embed && link.state === 'broken'));
  });

  it('answers vaultlink/unlinkedMentions with the plain-text mention and its Link it edit', async () => {
    const mentions = await client.request<UnlinkedMentions | null>('vaultlink/unlinkedMentions', { uri: lineUri });
    assert.ok(mentions);
    assert.deepEqual(mentions.names, ['2021 Line Developer Day']);
    assert.deepEqual(
      mentions.notes.map((note) => [note.relativePath, note.mentions.map((mention) => [mention.range.start.line, mention.edit.newText])]),
      [['talks/followup.md', [[2, '[[2021 Line Developer Day]]']]]],
    );
  });

  it('counts a note written on disk, and asks the editor to fetch code lenses again', async () => {
    const before = refreshes.length;
    const written = path.join(vaultDir, 'later.md');
    fs.writeFileSync(written, 'Written elsewhere: [[2021 Line Developer Day]]\n');
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: URI.file(written).toString(), type: 1 }] });
    const lenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri: lineUri } });
    assert.equal(lenses[0].command?.title, '4 backlinks');
    const deadline = Date.now() + 5000;
    while (refreshes.length === before && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    assert.ok(refreshes.length > before, 'no workspace/codeLens/refresh after the change on disk');
  });

  it('answers null for a file that is no note of the vault', async () => {
    assert.equal(await client.request('vaultlink/backlinks', { uri: URI.file(path.join(vaultDir, 'nowhere.md')).toString() }), null);
  });
});
