import * as assert from 'node:assert/strict';
import { SymbolKind, type CompletionItem, type TextEdit } from 'vscode-languageserver-types';
import { prepareQuery, textScore } from '../../server/src/core/fuzzySearch';
import { hangulInitials, hangulJamo, isInitialsQuery } from '../../server/src/core/hangul';
import { openVault, seedFiles, typeInto, withCursor } from '../kit/vault';

/** The line as it reads after accepting `item`, with its additional edits on other lines. */
function accept(textWithCursor: string, item: CompletionItem): string[] {
  const { text, position } = withCursor(textWithCursor);
  const lines = text.split('\n');
  const edits = [item.textEdit as TextEdit, ...(item.additionalTextEdits ?? [])].sort((a, b) => b.range.start.line - a.range.start.line || b.range.start.character - a.range.start.character);
  for (const edit of edits) {
    const line = lines[edit.range.start.line];
    lines[edit.range.start.line] = line.slice(0, edit.range.start.character) + edit.newText + line.slice(edit.range.end.character);
  }
  void position;
  return lines;
}

describe('Korean as it is typed', () => {
  it('splits syllables into letters and initials with es-hangul, NFC or NFD', () => {
    assert.equal(hangulJamo('제목'), 'ㅈㅔㅁㅗㄱ');
    assert.equal(hangulJamo('값'), 'ㄱㅏㅂㅅ');
    assert.equal(hangulInitials('사용자 속성 추정'), 'ㅅㅇㅈ ㅅㅅ ㅊㅈ');
    assert.equal(hangulInitials('kafka 스트림 etl'), 'kafka ㅅㅌㄹ etl');
    // A lone conjoining letter (what NFC cannot compose) counts as the letter it stands for.
    assert.equal(hangulJamo('\u1100'), 'ㄱ');
    assert.ok(isInitialsQuery('ㅅㅇㅈ') && isInitialsQuery('kafka ㅅㅌㄹ') && isInitialsQuery('ㄳ'));
    assert.ok(!isInitialsQuery('발ㅍ') && !isInitialsQuery('ㅏ') && !isInitialsQuery('kafka'));
  });

  it('matches initials, a syllable being composed and NFD queries, and nothing else', () => {
    const score = (text: string, query: string) => textScore(text, prepareQuery(query));
    assert.ok(score('사용자 속성 추정', 'ㅅㅇㅈ') >= 0.9, 'initials at the start are a prefix match');
    assert.ok(score('제목', '제모') >= 0.9, '제모 is 제목 with its last letter not typed yet');
    assert.ok(score('발표', '발ㅍ') >= 0.9);
    assert.ok(score('발표', '발표'.normalize('NFD')) === 1);
    assert.ok(score('회의록 2021', 'ㅎㅇㄹ 2021') > 0, 'initials mixed with Latin and digits');
    // A syllable composed in the middle of the query is not a prefix of another: 제모 회의 is not 제목 회의.
    assert.equal(score('제목 회의', '제모 회의'), 0);
    assert.equal(score('사용자', 'ㅂㅍ'), 0);
    // Jamo are matched contiguously only: scattered letters of 제목 do not make 제목.
    assert.equal(score('제 고 모기', '제목'), 0);
  });

  // Queries a Korean user types, with the first result they expect, from the seed notes. Both
  // are conference notes: Ctrl+T lists their sections as talks (a DEVIEW talk's title without its time and track).
  const table: Array<{ query: string; heading: string; talk?: string }> = [
    { query: 'ㅅㅇㅈ', heading: '사용자 속성 추정 시스템을 개편하면서 발생한 다양한 이슈와 해결 사례 소개' },
    { query: '사용자 속성 추저', heading: '사용자 속성 추정 시스템을 개편하면서 발생한 다양한 이슈와 해결 사례 소개' },
    { query: 'ㅁㅌ ㅌㄴㅌ', heading: '멀티 테넌트 k8s 클러스터로 구축하는 신뢰할 수 있는 로그 수집 인프라' },
    { query: 'kafka ㅅㅌㄹ', heading: 'KSETL로 Kafka 스트림 ETL 시스템을 빠르게 구성하기' },
    { query: 'ㅋㅍ ㅅㅂㅅ', heading: '쿠팡 서비스 클라우드 마이그레이션, 16:00', talk: '쿠팡 서비스 클라우드 마이그레이션' },
    { query: '네이버 검새', heading: '14:00, 네이버 검색과 개인화', talk: '네이버 검색과 개인화' },
    { query: '인공지느', heading: '10:00, Track1, 인공지능이 인공지능 챗봇을 만들다', talk: '인공지능이 인공지능 챗봇을 만들다' },
    { query: 'ㄷㅎ ㅋㅌㅇㄴ', heading: '12:00, Track3, 대형 컨테이너 클러스터에서의 고가용성', talk: '대형 컨테이너 클러스터에서의 고가용성' },
    { query: '장애 대ㅇ', heading: 'LINE 플랫폼 서버의 장애 대응 프로세스와 문화' },
    { query: '클러스터로 구축'.normalize('NFD'), heading: '멀티 테넌트 k8s 클러스터로 구축하는 신뢰할 수 있는 로그 수집 인프라' },
    { query: 'pipe ㄷ ㄴㅇ', heading: 'PIPE: 더 나은 개발자 경험을 위한 CI/CD + Runtime' },
  ];

  for (const { query, heading, talk } of table) {
    it(`${JSON.stringify(query)}: [[## offers "${heading}" first, and Ctrl+T its talk first`, async () => {
      const typed = `[[##${query}$0`;
      const { vault, uri, position } = await typeInto('Mine.md', typed, seedFiles());
      const items = vault.service.getCompletions(uri, position).items;
      assert.equal(items[0]?.label, heading);
      // VS Code filters items by the text typed since the range start: it must be the start of filterText.
      for (const item of items) assert.ok(item.filterText?.startsWith(`##${query}`), `filterText ${item.filterText}`);
      const symbols = vault.service.getWorkspaceSymbols(query);
      assert.equal(symbols[0]?.name, talk ?? heading);
      assert.equal(symbols[0]?.kind, SymbolKind.Event);
    });
  }

  it('finds notes by Korean names stored as NFD file names (as macOS writes them), with any query form', async () => {
    const nfd = (text: string) => text.normalize('NFD');
    const files = {
      [nfd('회의록 2021.md')]: '# 2021년 기록\n',
      [nfd('제목 없음.md')]: '',
      [nfd('발표 자료/Kafka 발표.md')]: '',
      [nfd('사용자 속성 추정.md')]: '',
      'Meeting notes.md': '',
    };
    const cases: Array<[string, string]> = [
      ['ㅎㅇㄹ', '회의록 2021'],
      ['제모', '제목 없음'],
      ['발ㅍ', 'Kafka 발표'],
      ['kafka 바', 'Kafka 발표'],
      [nfd('회의'), '회의록 2021'],
      ['ㅅㅇㅈ ㅅㅅ', '사용자 속성 추정'],
      ['meet', 'Meeting notes'],
    ];
    for (const [query, expected] of cases) {
      const { vault, uri, position } = await typeInto('Mine.md', `[[${query}$0`, files);
      const items = vault.service.getCompletions(uri, position).items;
      assert.equal(items[0]?.label.normalize('NFC'), expected, `[[${query}`);
      assert.ok(items[0].filterText?.startsWith(query));
      assert.equal(vault.service.getWorkspaceSymbols(query)[0]?.name.normalize('NFC'), expected, `Ctrl+T ${query}`);
    }
  });

  it('[[## inserts Note#Heading, or #Heading within the note, and closes the link when needed', async () => {
    const files = { 'work/Plan.md': '# Roadmap\n## Budget: 2025\n', 'Other.md': '# Budget review\n' };
    const typed = '# Budget notes\n\nSee [[##budg$0';
    const { vault, uri, position } = await typeInto('Mine.md', typed, files);
    const items = vault.service.getCompletions(uri, position).items;
    const byLabel = new Map(items.map((item) => [item.label, item]));
    assert.deepEqual(accept(typed, byLabel.get('Budget: 2025')!)[2], 'See [[Plan#Budget 2025]]');
    assert.deepEqual(accept(typed, byLabel.get('Budget notes')!)[2], 'See [[#Budget notes]]');
    assert.equal(byLabel.get('Budget review')?.detail, 'in Other');
    const closed = '[[##road$0]] after';
    const { vault: v2, uri: u2, position: p2 } = await typeInto('Mine.md', closed, files);
    assert.deepEqual(accept(closed, v2.service.getCompletions(u2, p2).items[0]), ['[[Plan#Roadmap]] after']);
  });

  it('[[^^ links blocks by their text: this note\'s (adding an id to a line without one), then other notes\'', async () => {
    const files = { 'Other.md': 'A quoted fact ^fact-1\n\nNo id here.\n' };
    const typed = '---\ntags: [x]\n---\nFirst paragraph\nwrapped on two lines.\n\n- 발표 준비 ^prep\n- 발표 자료\n```\ncode line\n```\n\nLink: [[^^$0';
    const { vault, uri, position } = await typeInto('Mine.md', typed, files);
    // The first `[[^^` starts reading other notes' blocks (blockTextSearch.test.ts has more).
    vault.service.getCompletions(uri, position);
    await vault.service.whenBlockTextsIndexed(uri);
    const items = vault.service.getCompletions(uri, position).items;
    assert.deepEqual(
      items.map((item) => item.label),
      ['First paragraph wrapped on two lines.', '발표 준비', '발표 자료', 'A quoted fact', 'No id here.'],
    );
    const withId = accept(typed, items[1]);
    assert.equal(withId.at(-1), 'Link: [[#^prep]]');
    const added = accept(typed, items[0]);
    const id = /\^([a-z0-9]{6})\]\]$/.exec(added.at(-1)!)?.[1];
    assert.ok(id, added.at(-1));
    assert.equal(added[4], `wrapped on two lines. ^${id}`, 'the id goes on the paragraph\'s last line');
    assert.equal(accept(typed, items[3]).at(-1), 'Link: [[Other#^fact-1]]');

    const korean = '- 발표 준비 ^prep\n- 발표 자료\n\n[[^^발표 ㅈ$0';
    const { vault: v2, uri: u2, position: p2 } = await typeInto('Mine.md', korean, files);
    assert.deepEqual(v2.service.getCompletions(u2, p2).items.map((item) => item.label), ['발표 자료', '발표 준비']);
  });

  it('lists talks in workspace symbols with their time and track, once each', async () => {
    const vault = await openVault(seedFiles());
    const talks = vault.service.getWorkspaceSymbols('druid');
    assert.equal(talks[0].name, 'Druid');
    assert.equal(talks[0].kind, SymbolKind.Event);
    assert.equal(talks[0].containerName, '15:00 · Track 1 · DEVIEW 2018');
    assert.ok(!talks.some((symbol) => symbol.name === '15:00, Track1, Druid'), 'the talk, not also its heading');
    assert.deepEqual(talks[0].location.range.start.line, vault.service.getDocumentSymbols(vault.uri('DEVIEW 2018.md')).flatMap((s) => [s, ...(s.children ?? [])]).find((s) => s.name.includes('Druid'))?.selectionRange.start.line);
  });
});
