import * as assert from 'node:assert/strict';
import { resolveLink } from '../../server/src/core/linkResolver';
import { DEVIEW_NOTE, LINE_NOTE, openVault, seedFiles } from '../kit/vault';

describe('the seed conference notes', () => {
  it('resolves every [[#...|...]] table-of-contents link of the Line note to its heading', async () => {
    const vault = await openVault(seedFiles());
    const { vault: index, note } = vault.service.noteFor(vault.uri(LINE_NOTE))!;
    const toc = note.parsed.links.filter((link) => link.kind === 'wiki' && link.path === '' && link.subpath?.kind === 'heading');
    assert.equal(toc.length, 12);
    for (const link of toc) {
      const resolution = resolveLink(index, note, link);
      assert.equal(resolution.kind, 'file');
      assert.ok(resolution.kind === 'file' && resolution.heading, `${link.target} should resolve to a heading`);
      assert.equal(resolution.heading.text, link.display, 'each entry lands on the heading it names');
    }
  });

  it('reports all 43 embedded images of the Line note as broken, each on its own line', async () => {
    const vault = await openVault(seedFiles());
    const diagnostics = vault.service.getDiagnostics(vault.uri(LINE_NOTE));
    const images = diagnostics.filter((d) => d.code === 'link.missing-image');
    assert.equal(images.length, 43);
    assert.equal(diagnostics.length, 43, 'nothing else is reported');
    const first = images[0];
    assert.match(first.message, /What_mlops\.png/);
    assert.deepEqual(first.range.start, { line: 65, character: 0 }, 'line 66 as the editor counts');
  });

  it('reports no broken heading link in either seed note', async () => {
    const vault = await openVault(seedFiles());
    for (const name of [LINE_NOTE, DEVIEW_NOTE]) {
      const headingProblems = vault.service.getDiagnostics(vault.uri(name)).filter((d) => d.code === 'link.missing-heading');
      assert.deepEqual(headingProblems, [], name);
    }
    assert.deepEqual(vault.service.getDiagnostics(vault.uri(DEVIEW_NOTE)), []);
  });

  it('indexes the headings of the DEVIEW note, talks with times and tracks included', async () => {
    const vault = await openVault(seedFiles());
    const { note } = vault.service.noteFor(vault.uri(DEVIEW_NOTE))!;
    assert.deepEqual(note.parsed.headings.map((h) => h.text), [
      'DEVIEW 2018',
      '쿠팡 서비스 클라우드 마이그레이션, 16:00',
      '10:00, Track1, 인공지능이 인공지능 챗봇을 만들다',
      '11:00 track1, Hadoop Cluster',
      '12:00, Track3, 대형 컨테이너 클러스터에서의 고가용성',
      '14:00, 네이버 검색과 개인화',
      '15:00, Track1, Druid',
      '16:00, Track1, Search Reliability Engineering',
    ]);
  });
});
