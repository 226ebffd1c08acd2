import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import type { CompletionList, TextEdit } from 'vscode-languageserver-types';
import type { SearchHit } from '../../server/src/protocol/vaultlinkProtocol';
import { DEVIEW_NOTE, LINE_NOTE, SEED_VAULT } from '../kit/vault';
import { LspTestClient, SERVER_MAIN } from './lspClient';

// Korean search over the wire, as an editor meets it: the seed notes plus notes whose
// file names are NFD on disk (as macOS writes them), `[[##` and `[[^^` completion, and
// `vaultlink/search` for the quick-open commands.
describe('quick open and vault-wide [[## / [[^^ over stdio', function () {
  let vaultDir: string;
  let client: LspTestClient;
  let mineUri: string;

  before(async function () {
    if (!fs.existsSync(SERVER_MAIN)) throw new Error(`${SERVER_MAIN} is missing: run "npm run build" first (npm test does).`);
    vaultDir = fs.mkdtempSync(path.join(os.tmpdir(), 'vaultlink-quickopen-'));
    fs.cpSync(SEED_VAULT, vaultDir, { recursive: true });
    fs.mkdirSync(path.join(vaultDir, '.obsidian'));
    fs.mkdirSync(path.join(vaultDir, '회의'.normalize('NFD')));
    fs.writeFileSync(path.join(vaultDir, '회의'.normalize('NFD'), '제목 없음.md'.normalize('NFD')), '# 발표 준비\n\n핵심 결정 ^decision\n');
    fs.writeFileSync(path.join(vaultDir, '사용자 속성 추정.md'.normalize('NFD')), '---\naliases: [속성 추정]\n---\n# 개요\n');
    mineUri = URI.file(path.join(vaultDir, 'Mine.md')).toString();
    fs.writeFileSync(path.join(vaultDir, 'Mine.md'), '');
    client = new LspTestClient();
    await client.initialize(URI.file(vaultDir).toString());
    client.open(mineUri, '');
    await client.whenIndexed();
  });

  after(async () => {
    const code = await client?.shutdown();
    fs.rmSync(vaultDir, { recursive: true, force: true });
    assert.equal(code, 0);
  });

  async function complete(text: string, version: number): Promise<CompletionList> {
    client.change(mineUri, text, version);
    const lines = text.split('\n');
    return client.request<CompletionList>('textDocument/completion', { textDocument: { uri: mineUri }, position: { line: lines.length - 1, character: lines.at(-1)!.length } });
  }

  it('[[##ㅅㅇㅈ offers the Line note\'s heading, written as [[Note#Heading]]', async () => {
    const list = await complete('[[##ㅅㅇㅈ', 2);
    assert.equal(list.items[0].label, '사용자 속성 추정 시스템을 개편하면서 발생한 다양한 이슈와 해결 사례 소개');
    assert.equal((list.items[0].textEdit as TextEdit).newText, `${LINE_NOTE.replace(/\.md$/, '')}#사용자 속성 추정 시스템을 개편하면서 발생한 다양한 이슈와 해결 사례 소개]]`);
    assert.ok(list.items[0].filterText?.startsWith('##ㅅㅇㅈ'), 'VS Code keeps only items whose filterText matches what was typed since [[');
    const composing = await complete('[[##발ㅍ', 3);
    assert.equal(composing.items[0].label, '발표 준비');
    assert.equal((composing.items[0].textEdit as TextEdit).newText.normalize('NFC'), '제목 없음#발표 준비]]');
  });

  it('[[^^ offers blocks with ids of other notes, inserting [[Note#^id]]', async () => {
    const list = await complete('[[^^deci', 4);
    const decision = list.items.find((item) => item.label === '^decision');
    assert.ok(decision, JSON.stringify(list.items.map((item) => item.label)));
    assert.equal((decision.textEdit as TextEdit).newText.normalize('NFC'), '제목 없음#^decision]]');
  });

  it('[[ on NFD file names: initials and a syllable being composed', async () => {
    assert.equal((await complete('[[ㅈㅁ ㅇ', 5)).items[0]?.label.normalize('NFC'), '제목 없음');
    assert.equal((await complete('[[제모', 6)).items[0]?.label.normalize('NFC'), '제목 없음');
    assert.equal((await complete('[[속성 추저', 7)).items[0]?.label.normalize('NFC'), '속성 추정');
  });

  it('vaultlink/search answers each quick-open kind, Korean as typed', async () => {
    const search = (kind: string, query: string, extra: object = {}) => client.request<SearchHit[]>('vaultlink/search', { kind, query, ...extra });
    const notes = await search('notes', 'ㅅㅇㅈ');
    assert.equal(notes[0].label.normalize('NFC'), '사용자 속성 추정');
    assert.equal(URI.parse(notes[0].uri).fsPath.normalize('NFC'), path.join(vaultDir, '사용자 속성 추정.md').normalize('NFC'));
    assert.ok(!notes.some((hit) => hit.label.endsWith('.png')), 'attachments are not notes');

    const headings = await search('headings', '멀티 테넌');
    assert.equal(headings[0].label, '멀티 테넌트 k8s 클러스터로 구축하는 신뢰할 수 있는 로그 수집 인프라');
    const lineText = fs.readFileSync(path.join(vaultDir, LINE_NOTE), 'utf8').split('\n');
    assert.equal(lineText[headings[0].range!.start.line].slice(headings[0].range!.start.character), headings[0].label);

    const talks = await search('talks', 'ㄴㅇㅂ ㄱㅅ');
    assert.equal(talks[0]?.label, '네이버 검색과 개인화', JSON.stringify(talks.slice(0, 3)));
    assert.equal(talks[0].description, '14:00 · DEVIEW 2018');
    assert.equal((await search('talks', 'druid'))[0]?.description, '15:00 · Track 1 · DEVIEW 2018');
    assert.equal(URI.parse(talks[0].uri).fsPath, path.join(vaultDir, DEVIEW_NOTE));

    const links = await search('links', '속성 추', { uri: mineUri });
    assert.deepEqual(links.slice(0, 2).map((hit) => hit.insertText?.normalize('NFC')), ['[[사용자 속성 추정|속성 추정]]', '[[사용자 속성 추정]]']);
    assert.ok((await search('headings', '', { limit: 100000 })).length <= 500, 'bounded');
  });

  it('refuses a bad search with an error, and keeps serving', async () => {
    await assert.rejects(client.request('vaultlink/search', { kind: 'everything', query: 'x' }), /kind must be one of/);
    const again = await client.request<SearchHit[]>('vaultlink/search', { kind: 'notes', query: 42 });
    assert.ok(Array.isArray(again));
  });
});
