// Document symbols: the outline of a note is its headings.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { DEVIEW_NOTE, LINE_NOTE, indexedVault, noteUri, poll } from './helpers';

/** Document symbols of a note, waiting until the provider answers with some. */
async function symbolsOf(note: string): Promise<vscode.DocumentSymbol[]> {
  const uri = noteUri(note);
  await vscode.workspace.openTextDocument(uri);
  const symbols = await poll(
    async () =>
      (await vscode.commands.executeCommand<(vscode.DocumentSymbol | vscode.SymbolInformation)[]>(
        'vscode.executeDocumentSymbolProvider',
        uri,
      )) ?? [],
    (found) => found.length > 0,
    { what: `document symbols of ${note}` },
  );
  assert.ok(
    symbols.every((symbol) => 'children' in symbol),
    'expected hierarchical DocumentSymbol results, got flat SymbolInformation',
  );
  return symbols as vscode.DocumentSymbol[];
}

describe('document symbols', () => {
  before(async () => {
    await indexedVault();
  });

  it('lists the top-level headings of the Line Developer Day note in order', async () => {
    const names = (await symbolsOf(LINE_NOTE)).map((symbol) => symbol.name);
    const expected = [
      'Idea',
      'Opening Keynote',
      '사용자 속성 추정 시스템을 개편하면서 발생한 다양한 이슈와 해결 사례 소개',
      'Lupus – MLOps 가속화를 위한 모니터링 시스템',
      'LINT: HTTP/2와 TLS를 통한 네트워크 현대화',
      'KSETL로 Kafka 스트림 ETL 시스템을 빠르게 구성하기',
      'LINE 플랫폼 서버의 장애 대응 프로세스와 문화',
      'TCP로 인한 대규모 Kafka 클러스터 요청 지연 문제 해결 사례',
      'PIPE: 더 나은 개발자 경험을 위한 CI/CD + Runtime',
      'Zero-Downtime Kubernetes Cluster Upgrade Solution',
      'LINE Pay 모니터링 시스템 구축과 ML을 이용한 비정상 로그 탐지',
      '멀티 테넌트 k8s 클러스터로 구축하는 신뢰할 수 있는 로그 수집 인프라',
    ];
    const headings = names.filter((name) => expected.includes(name));
    assert.deepStrictEqual(headings, expected, `symbols: ${JSON.stringify(names)}`);
  });

  it('nests the DEVIEW 2018 talks under the DEVIEW 2018 heading', async () => {
    const symbols = await symbolsOf(DEVIEW_NOTE);
    const top = symbols.find((symbol) => symbol.name === 'DEVIEW 2018');
    assert.ok(top, `symbols: ${JSON.stringify(symbols.map((symbol) => symbol.name))}`);
    const children = top.children.map((symbol) => symbol.name);
    for (const talk of ['쿠팡 서비스 클라우드 마이그레이션, 16:00', '15:00, Track1, Druid', '16:00, Track1, Search Reliability Engineering']) {
      assert.ok(children.includes(talk), `children of DEVIEW 2018: ${JSON.stringify(children)}`);
    }
    assert.strictEqual(children.length, 7, `children of DEVIEW 2018: ${JSON.stringify(children)}`);
  });
});
