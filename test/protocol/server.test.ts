import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import type { CompletionList, LocationLink } from 'vscode-languageserver-types';
import { LINE_NOTE, SEED_VAULT } from '../kit/vault';
import { LspTestClient, SERVER_MAIN } from './lspClient';

describe('the language server over stdio', function () {
  let vaultDir: string;
  let client: LspTestClient;
  let lineUri: string;
  let lineText: string;

  before(async function () {
    if (!fs.existsSync(SERVER_MAIN)) throw new Error(`${SERVER_MAIN} is missing: run "npm run build" first (npm test does).`);
    vaultDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vaultlink-protocol-'));
    fs.cpSync(SEED_VAULT, vaultDir, { recursive: true });
    client = new LspTestClient();
    const answer = (await client.initialize(URI.file(vaultDir).toString())) as { capabilities: Record<string, unknown>; serverInfo?: { name: string; version?: string } };
    const { capabilities } = answer;
    assert.ok(capabilities.completionProvider && capabilities.definitionProvider && capabilities.referencesProvider);
    // The version an editor's :LspInfo shows is the package's, not a constant.
    const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '../../package.json'), 'utf8')) as { version: string };
    assert.deepEqual(answer.serverInfo, { name: 'vaultlink-language-server', version: manifest.version });
    lineUri = URI.file(path.join(vaultDir, LINE_NOTE)).toString();
    lineText = fs.readFileSync(path.join(vaultDir, LINE_NOTE), 'utf8');
    client.open(lineUri, lineText);
    await client.whenIndexed();
  });

  after(async () => {
    const code = await client?.shutdown();
    fs.rmSync(vaultDir, { recursive: true, force: true });
    assert.equal(code, 0, 'the server exits cleanly after shutdown and exit');
  });

  it('publishes the 43 broken images of the Line note on open', async () => {
    const diagnostics = await client.diagnostics(lineUri, (d) => d.length > 0);
    assert.equal(diagnostics.filter((d) => d.code === 'link.missing-image').length, 43);
  });

  it('completes headings after [[# as an editor types them', async () => {
    const text = lineText + '\n[[#Open';
    client.change(lineUri, text, 2);
    const line = text.split('\n').length - 1;
    const list = await client.request<CompletionList>('textDocument/completion', { textDocument: { uri: lineUri }, position: { line, character: 7 } });
    assert.equal(list.items[0].label, 'Opening Keynote');
    client.change(lineUri, lineText, 3);
  });

  it('completes notes after [[', async () => {
    const text = lineText + '\n[[dev';
    client.change(lineUri, text, 4);
    const line = text.split('\n').length - 1;
    const list = await client.request<CompletionList>('textDocument/completion', { textDocument: { uri: lineUri }, position: { line, character: 5 } });
    assert.equal(list.items[0].label, 'DEVIEW 2018');
    assert.equal(list.isIncomplete, true);
    client.change(lineUri, lineText, 5);
  });

  it('answers hover on a [[#heading]] link with a markdown preview of its section', async () => {
    const lines = lineText.split('\n');
    const line = lines.findIndex((l) => l.includes('[[#Idea|Idea]]'));
    const hover = await client.request<{ contents: { kind: string; value: string } }>('textDocument/hover', { textDocument: { uri: lineUri }, position: { line, character: lines[line].indexOf('[[#Idea') + 4 } });
    assert.equal(hover.contents.kind, 'markdown');
    assert.match(hover.contents.value, /^# Idea/m);
  });

  it('answers workspace/symbol with notes and headings of the whole vault, Korean included', async () => {
    type Found = Array<{ name: string; kind: number; location: { uri: string; range: { start: { line: number } } } }>;
    const headings = await client.request<Found>('workspace/symbol', { query: 'Opening Keynote' });
    const keynote = headings.find((symbol) => symbol.name === 'Opening Keynote' && symbol.location.uri === lineUri);
    assert.ok(keynote, 'the heading of the Line note');
    assert.equal(lineText.split('\n')[keynote.location.range.start.line].replace(/^#+\s*/, ''), 'Opening Keynote');
    const notes = await client.request<Found>('workspace/symbol', { query: 'DEVIEW' });
    assert.equal(notes[0].name, 'DEVIEW 2018');
    const korean = await client.request<Found>('workspace/symbol', { query: '사용자 속성' });
    assert.equal(korean[0].name, '사용자 속성 추정 시스템을 개편하면서 발생한 다양한 이슈와 해결 사례 소개');
    assert.ok((await client.request<Found>('workspace/symbol', { query: '' })).length <= 200);
  });

  it('answers definition on a [[#heading]] link with the heading line', async () => {
    const [link] = await client.request<LocationLink[]>('textDocument/definition', { textDocument: { uri: lineUri }, position: { line: 11, character: 10 } });
    assert.equal(link.targetUri, lineUri);
    assert.equal(link.targetRange.start.line, 32);
  });

  it('serves a bare client (no watchers, configuration, folders, progress or link support)', async () => {
    const plain = new LspTestClient();
    try {
      await plain.initialize(URI.file(vaultDir).toString(), { workspace: {}, window: {}, textDocument: { definition: { linkSupport: false } } });
      plain.open(lineUri, lineText);
      await plain.whenIndexed();
      const [location] = await plain.request<Array<{ uri: string; range: { start: { line: number } } }>>('textDocument/definition', { textDocument: { uri: lineUri }, position: { line: 11, character: 10 } });
      assert.equal(location.uri, lineUri);
      assert.equal(location.range.start.line, 32);
    } finally {
      await plain.shutdown();
    }
  });

  it('clears a diagnostic when the missing image is created on disk', async () => {
    fs.writeFileSync(path.join(vaultDir, 'What_mlops.png'), 'png');
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: URI.file(path.join(vaultDir, 'What_mlops.png')).toString(), type: 1 }] });
    const diagnostics = await client.diagnostics(lineUri, (d) => d.length === 42);
    assert.ok(!diagnostics.some((d) => d.message.includes('What_mlops.png')));
  });

  it('updates diagnostics as the user types a broken link', async () => {
    client.change(lineUri, lineText + '\n[[#No such heading]]', 10);
    const diagnostics = await client.diagnostics(lineUri, (d) => d.some((x) => x.code === 'link.missing-heading'));
    assert.match(diagnostics.find((d) => d.code === 'link.missing-heading')!.message, /No heading "No such heading" in this note/);
    client.change(lineUri, lineText, 11);
    await client.diagnostics(lineUri, (d) => !d.some((x) => x.code === 'link.missing-heading'));
  });

  it('re-indexes on request and reports the note count', async () => {
    const status = await client.request<{ notes: number; state: string }>('vaultlink/reindex', undefined);
    assert.equal(status.state, 'ready');
    assert.equal(status.notes, 2);
  });

  it('answers vaultlink/previewLinks with what the preview draws, following the buffer as it is typed', async () => {
    type Answer = { uri: string; links: Array<{ target: string; broken: boolean; sameNote?: boolean; heading?: { text: string; line: number }; problem?: string }> };
    const lines = lineText.split('\n');
    const answer = await client.request<Answer>('vaultlink/previewLinks', { uri: lineUri });
    assert.equal(answer.uri, lineUri);
    const toc = answer.links.filter((link) => link.sameNote && link.heading);
    assert.equal(toc.length, 12, 'the twelve table-of-contents entries');
    for (const link of toc) assert.equal(lines[link.heading!.line], `# ${link.heading!.text}`, link.target);
    const typed = `${lineText}\n[[DEVIEW 2018#Gone]]`;
    client.change(lineUri, typed, 90);
    const after = await client.request<Answer>('vaultlink/previewLinks', { uri: lineUri });
    assert.match(after.links.find((link) => link.target === 'DEVIEW 2018#Gone')?.problem ?? '', /No heading "Gone" in "DEVIEW 2018"/);
    client.change(lineUri, lineText, 91);
  });

  it('answers vaultlink/talks for the vault and for one note, as the README documents', async () => {
    type Talk = { title: string; time?: string; track?: string; range: { start: { line: number } }; links: { kind: string; url: string }[]; images: number; brokenImages: number };
    type Conference = { uri: string; title: string; days: { label: string; date?: string; talks: Talk[] }[] };
    const all = await client.request<Conference[]>('vaultlink/talks', {});
    assert.deepEqual(all.map((conference) => conference.title), ['2021 Line Developer Day', 'DEVIEW 2018']);
    const deview = all[1];
    assert.deepEqual(deview.days.map((day) => [day.label, day.talks.length]), [['1일차', 1], ['2일차', 6]]);
    const druid = deview.days[1].talks.find((talk) => talk.title === 'Druid');
    assert.deepEqual({ time: druid?.time, track: druid?.track }, { time: '15:00', track: 'Track 1' });

    const [line] = await client.request<Conference[]>('vaultlink/talks', { uri: lineUri });
    assert.equal(line.uri, lineUri);
    const talks = line.days.flatMap((day) => day.talks);
    assert.equal(talks.length, 11);
    // An earlier test created What_mlops.png, so one of the 43 embeds now resolves.
    assert.equal(talks.reduce((sum, talk) => sum + talk.images, 0), 43, 'every embed of the note belongs to a talk');
    assert.equal(talks.reduce((sum, talk) => sum + talk.brokenImages, 0), 42);
    assert.deepEqual(await client.request('vaultlink/talks', { uri: URI.file(path.join(vaultDir, 'not a note.md')).toString() }), []);
  });

  it('answers vaultlink/tableOfContents with no edit for the Line note, whose contents list is current', async () => {
    assert.deepEqual(await client.request('vaultlink/tableOfContents', { uri: lineUri }), []);
  });

  it('renames a heading from its table-of-contents link: the heading, the link and its text, in one edit', async () => {
    const lines = lineText.split('\n');
    const tocLine = lines.findIndex((text) => text.includes('[[#Opening Keynote|Opening Keynote]]'));
    const position = { line: tocLine, character: lines[tocLine].indexOf('Opening') + 2 };
    const prepared = await client.request<{ range: unknown; placeholder: string }>('textDocument/prepareRename', { textDocument: { uri: lineUri }, position });
    assert.equal(prepared.placeholder, 'Opening Keynote');
    type Edit = { range: { start: { line: number; character: number } }; newText: string };
    const edit = await client.request<{ changes: Record<string, Edit[]> }>('textDocument/rename', { textDocument: { uri: lineUri }, position, newName: 'Keynote' });
    const edits = edit.changes[lineUri].map((e) => [e.range.start.line, e.newText]);
    assert.deepEqual(edits.sort(), [[tocLine, 'Keynote'], [tocLine, 'Keynote'], [lines.indexOf('# Opening Keynote'), 'Keynote']].sort());
    await assert.rejects(
      client.request('textDocument/rename', { textDocument: { uri: lineUri }, position: { line: lines.indexOf('# Opening Keynote'), character: 3 }, newName: ' ' }),
      /empty/,
    );
  });

  it('updates links when the editor is about to rename a file (workspace/willRenameFiles)', async () => {
    const other = path.join(vaultDir, 'links to deview.md');
    const text = 'See [[DEVIEW 2018]] and [[DEVIEW 2018#15:00, Track1, Druid]].\n';
    fs.writeFileSync(other, text);
    client.open(URI.file(other).toString(), text);
    await client.diagnostics(URI.file(other).toString());
    const oldUri = URI.file(path.join(vaultDir, 'DEVIEW 2018.md')).toString();
    const newUri = URI.file(path.join(vaultDir, 'talks', 'DEVIEW 2018 Seoul.md')).toString();
    type Edit = { newText: string };
    const edit = await client.request<{ changes: Record<string, Edit[]> }>('workspace/willRenameFiles', { files: [{ oldUri, newUri }] });
    assert.deepEqual(edit.changes[URI.file(other).toString()].map((e) => e.newText), ['talks/DEVIEW 2018 Seoul', 'talks/DEVIEW 2018 Seoul']);
  });
});
