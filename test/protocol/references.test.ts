import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CancellationTokenSource, ResponseError } from 'vscode-jsonrpc/node';
import type { Location } from 'vscode-languageserver-types';
import { URI } from 'vscode-uri';
import { LspTestClient, SERVER_MAIN } from './lspClient';

/** Linking notes, each with LINKS_PER_NOTE links to the hub: enough for several partial-result batches. */
const LINKING_NOTES = 700;
const LINKS_PER_NOTE = 5;
const HUB_TEXT = '# Hub\n\nThe note everything links to.\n\n## Section\n\nText.\n';

function linkingNote(n: number): string {
  const lines = [`# Note ${n}`, ''];
  for (let i = 0; i < LINKS_PER_NOTE; i++) lines.push(i % 2 ? `See [[hub#Section|the section]] (${i}).` : `See [[hub]] (${i}).`);
  return `${lines.join('\n')}\n`;
}

describe('find references as partial results over stdio', function () {
  this.timeout(60000);
  let vaultDir: string;
  let client: LspTestClient;
  let hubUri: string;
  /** Every `$/progress` value the server sent, by token. */
  const progress = new Map<string, Location[][]>();
  const params = (extra: Record<string, unknown> = {}) => ({ textDocument: { uri: hubUri }, position: { line: 2, character: 4 }, context: { includeDeclaration: false }, ...extra });

  before(async function () {
    if (!fs.existsSync(SERVER_MAIN)) throw new Error(`${SERVER_MAIN} is missing: run "npm run build" first (npm test does).`);
    vaultDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vaultlink-references-'));
    fs.writeFileSync(path.join(vaultDir, 'hub.md'), HUB_TEXT);
    fs.mkdirSync(path.join(vaultDir, 'notes'));
    for (let n = 0; n < LINKING_NOTES; n++) fs.writeFileSync(path.join(vaultDir, 'notes', `note ${n}.md`), linkingNote(n));
    client = new LspTestClient({ env: { VAULTLINK_CACHE: 'off' } });
    client.connection.onNotification('$/progress', (message: { token: string | number; value: unknown }) => {
      if (!Array.isArray(message.value)) return; // the indexing's work-done progress
      const key = String(message.token);
      progress.set(key, [...(progress.get(key) ?? []), message.value as Location[]]);
    });
    await client.initialize(URI.file(vaultDir).toString());
    await client.whenIndexed();
    hubUri = URI.file(path.join(vaultDir, 'hub.md')).toString();
    client.open(hubUri, HUB_TEXT);
  });

  after(async () => {
    const code = await client?.shutdown();
    fs.rmSync(vaultDir, { recursive: true, force: true });
    assert.equal(code, 0, 'the server exits cleanly after shutdown and exit');
  });

  it('streams the same locations as the plain answer, in batches sent before the empty final answer', async () => {
    const whole = await client.request<Location[]>('textDocument/references', params());
    assert.equal(whole.length, LINKING_NOTES * LINKS_PER_NOTE);
    let batchesBeforeAnswer = -1;
    const answer = client.request<Location[]>('textDocument/references', params({ partialResultToken: 'refs-1' })).then((result) => {
      batchesBeforeAnswer = progress.get('refs-1')?.length ?? 0;
      return result;
    });
    assert.deepEqual(await answer, [], 'with partial results the answer itself is empty');
    const batches = progress.get('refs-1') ?? [];
    assert.ok(batches.length >= 2, `the locations come in several batches (got ${batches.length})`);
    assert.equal(batchesBeforeAnswer, batches.length, 'every batch arrives before the answer');
    assert.ok(batches.every((batch) => batch.length > 0), 'no empty batch');
    assert.deepEqual(batches.flat(), whole, 'the batches together, in order, are the plain answer');
  });

  it('streams a heading’s references with its declaration first, as the plain answer has them', async () => {
    const heading = { position: { line: 4, character: 4 }, context: { includeDeclaration: true } };
    const whole = await client.request<Location[]>('textDocument/references', params(heading));
    assert.equal(whole.length, 1 + LINKING_NOTES * Math.floor(LINKS_PER_NOTE / 2));
    assert.deepEqual(await client.request<Location[]>('textDocument/references', params({ ...heading, partialResultToken: 'refs-heading' })), []);
    assert.deepEqual((progress.get('refs-heading') ?? []).flat(), whole);
  });

  it('stops streaming when cancelled after the first batch, and goes on serving', async () => {
    const whole = await client.request<Location[]>('textDocument/references', params());
    const source = new CancellationTokenSource();
    const token = 'refs-cancelled';
    const cancelOnFirstBatch = new Promise<void>((resolve) => {
      const check = setInterval(() => {
        if ((progress.get(token)?.length ?? 0) > 0) {
          clearInterval(check);
          source.cancel();
          resolve();
        }
      }, 0);
    });
    let outcome: Location[] | ResponseError<unknown>;
    try {
      outcome = await client.connection.sendRequest<Location[]>('textDocument/references', params({ partialResultToken: token }), source.token);
    } catch (error) {
      outcome = error as ResponseError<unknown>;
    }
    await cancelOnFirstBatch;
    // Either answer is right for a cancelled request: an empty list or a cancellation error; never locations.
    assert.ok(Array.isArray(outcome) ? outcome.length === 0 : outcome instanceof ResponseError, `answered ${JSON.stringify(outcome).slice(0, 200)}`);
    const streamed = (progress.get(token) ?? []).flat();
    assert.ok(streamed.length > 0 && streamed.length <= whole.length);
    assert.deepEqual(streamed, whole.slice(0, streamed.length), 'what was streamed before the cancellation is the start of the answer');
    // Nothing more comes for the cancelled request, and the server answers the next one in full.
    const countAfterCancel = progress.get(token)!.length;
    assert.deepEqual(await client.request<Location[]>('textDocument/references', params()), whole);
    assert.equal(progress.get(token)!.length, countAfterCancel, 'no batch after the cancelled request ended');
  });
});
