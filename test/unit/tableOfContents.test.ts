import * as assert from 'node:assert/strict';
import type { TextEdit } from 'vscode-languageserver-types';
import { resolveLink } from '../../server/src/core/linkResolver';
import { getConferenceOutline } from '../../server/src/features/talks';
import { applyTextEdits } from '../kit/edits';
import { DEVIEW_NOTE, LINE_NOTE, openVault, seedFiles, type TestVault } from '../kit/vault';

interface TocRun {
  readonly vault: TestVault;
  readonly uri: string;
  readonly edits: TextEdit[];
  /** The note after the edit, as the editor would hold it. */
  readonly after: string;
  /** The edit a second run asks for, on the edited note. */
  readonly again: TextEdit[];
}

/** Runs the table of contents command on `name`, applies its edit, and runs it again. */
async function runTableOfContents(files: Record<string, string>, name: string): Promise<TocRun> {
  const vault = await openVault(files);
  const uri = vault.uri(name);
  // As the editor asks: for the open note.
  vault.service.setDocumentText(uri, files[name]);
  const edits = vault.service.getTableOfContentsEdits(uri);
  const after = applyTextEdits(files[name], edits);
  vault.service.setDocumentText(uri, after);
  return { vault, uri, edits, after, again: vault.service.getTableOfContentsEdits(uri) };
}

/** For each `[[#…]]` link of the note: the line of the heading it lands on, or undefined. */
function headingLinkTargets(run: TocRun): Array<{ target: string; line: number | undefined }> {
  const { vault: index, note } = run.vault.service.noteFor(run.uri)!;
  return note.parsed.links
    .filter((link) => link.kind === 'wiki' && link.path === '' && link.subpath?.kind === 'heading')
    .map((link) => {
      const resolution = resolveLink(index, note, link);
      return { target: link.target, line: resolution.kind === 'file' ? resolution.heading?.range.start.line : undefined };
    });
}

function headingProblems(run: TocRun): string[] {
  return run.vault.service
    .getDiagnostics(run.uri)
    .filter((d) => d.code === 'link.missing-heading')
    .map((d) => d.message);
}

describe('table of contents', () => {
  it('leaves the Line Developer Day note alone: its table of contents is current', async () => {
    const run = await runTableOfContents(seedFiles(), LINE_NOTE);
    assert.deepEqual(run.edits, []);
  });

  it('refreshes that table of contents in place after a heading is renamed', async () => {
    const files = seedFiles();
    files[LINE_NOTE] = files[LINE_NOTE].replace('# Opening Keynote', '# Opening Keynote: LINE 2021');
    const run = await runTableOfContents(files, LINE_NOTE);
    assert.equal(run.edits.length, 1);
    assert.deepEqual(run.edits[0].range, { start: { line: 10, character: 0 }, end: { line: 21, character: files[LINE_NOTE].split('\n')[21].length } }, 'the twelve entry lines, label kept');
    const lines = run.after.split('\n');
    assert.equal(lines[8], '**Table of Contents**');
    assert.equal(lines[11], '- [[#Opening Keynote: LINE 2021|Opening Keynote: LINE 2021]]');
    assert.deepEqual(lines.slice(12), files[LINE_NOTE].split('\n').slice(12), 'nothing else changes');
    assert.deepEqual(headingProblems(run), []);
    assert.deepEqual(run.again, [], 'a second run changes nothing');
  });

  it('inserts one into DEVIEW 2018 under the title and its date line, every entry resolving', async () => {
    const files = seedFiles();
    const run = await runTableOfContents(files, DEVIEW_NOTE);
    assert.deepEqual(run.after.split('\n').slice(0, 15), [
      '# DEVIEW 2018',
      '- 18.10.11 ~ 10.12',
      '',
      '**Table of Contents**',
      '',
      '- [[#쿠팡 서비스 클라우드 마이그레이션, 16:00|쿠팡 서비스 클라우드 마이그레이션, 16:00]]',
      '- [[#10:00, Track1, 인공지능이 인공지능 챗봇을 만들다|10:00, Track1, 인공지능이 인공지능 챗봇을 만들다]]',
      '- [[#11:00 track1, Hadoop Cluster|11:00 track1, Hadoop Cluster]]',
      '- [[#12:00, Track3, 대형 컨테이너 클러스터에서의 고가용성|12:00, Track3, 대형 컨테이너 클러스터에서의 고가용성]]',
      '- [[#14:00, 네이버 검색과 개인화|14:00, 네이버 검색과 개인화]]',
      '- [[#15:00, Track1, Druid|15:00, Track1, Druid]]',
      '- [[#16:00, Track1, Search Reliability Engineering|16:00, Track1, Search Reliability Engineering]]',
      '',
      '---',
      '',
    ]);
    assert.equal(run.after.split('\n').length, files[DEVIEW_NOTE].split('\n').length + 11);
    assert.deepEqual(run.vault.service.getDiagnostics(run.uri), [], 'no diagnostic at all');
    const { note } = run.vault.service.noteFor(run.uri)!;
    const talkLines = note.parsed.headings.slice(1).map((heading) => heading.range.start.line);
    assert.deepEqual(headingLinkTargets(run).map((link) => link.line), talkLines, 'each entry lands on its own heading');
    const outline = getConferenceOutline(run.vault.service.vaults[0], run.uri)!;
    assert.deepEqual(outline.days.map((day) => day.talks.length), [1, 6], 'the table of contents is no talk');
    assert.deepEqual(run.again, []);
  });

  it('inserts after the front matter when the note has no title heading', async () => {
    const text = '---\ntags: conference\n---\nIntro line.\n\n# A\n# B\n';
    const run = await runTableOfContents({ 'n.md': text }, 'n.md');
    assert.equal(run.after, '---\ntags: conference\n---\nIntro line.\n\n**Table of Contents**\n\n- [[#A|A]]\n- [[#B|B]]\n\n# A\n# B\n');
    assert.deepEqual(run.again, []);
  });

  it('finds a table of contents whose entry has a link commented out beside it, and refreshes it in place', async () => {
    const text = '**Table of Contents**\n\n- [[#A|A]] %%[[#Old]]%%\n- [[#B|B]]\n\n# A\n# B\n# C\n';
    const run = await runTableOfContents({ 'n.md': text }, 'n.md');
    assert.equal(run.after.match(/Table of Contents/g)?.length, 1, 'the existing table is updated, not a second one inserted');
    assert.match(run.after, /- \[\[#C\|C\]\]/);
    assert.deepEqual(run.again, []);
  });

  it('inserts at the top of a note with neither, and keeps a paragraph out of the list', async () => {
    const run = await runTableOfContents({ 'n.md': 'Some text\n# A\n# B' }, 'n.md');
    assert.equal(run.after, '**Table of Contents**\n\n- [[#A|A]]\n- [[#B|B]]\n\nSome text\n# A\n# B');
    assert.deepEqual(run.again, []);
  });

  it('nests entries by heading level', async () => {
    const run = await runTableOfContents({ 'n.md': '# Conf\n\n## Day 1\n### Keynote\n## Day 2\n' }, 'n.md');
    assert.equal(run.after, '# Conf\n\n**Table of Contents**\n\n- [[#Day 1|Day 1]]\n  - [[#Keynote|Keynote]]\n- [[#Day 2|Day 2]]\n\n## Day 1\n### Keynote\n## Day 2\n');
    assert.deepEqual(headingProblems(run), []);
  });

  it('writes links that still resolve for headings with | # ^ [ ] in them, and for duplicates', async () => {
    const text = ['# Notes', '## C# tips', '## a | b', '## ^caret', '## [WIP] Draft', '## Arrays [x]', '## Day 1', '### Setup', '## Day 2', '### Setup', ''].join('\n');
    const run = await runTableOfContents({ 'n.md': text }, 'n.md');
    const entries = run.after.split('\n').filter((line) => line.trimStart().startsWith('- [['));
    assert.deepEqual(entries, [
      '- [[#C tips|C# tips]]',
      '- [[#a b|a | b]]',
      '- [[#caret|^caret]]',
      '- [[#WIP Draft|WIP Draft]]',
      '- [[#Arrays x|Arrays x]]',
      '- [[#Day 1|Day 1]]',
      '  - [[#Setup|Setup]]',
      '- [[#Day 2|Day 2]]',
      '  - [[#Day 2#Setup|Setup]]',
    ]);
    assert.deepEqual(headingProblems(run), []);
    const { note } = run.vault.service.noteFor(run.uri)!;
    const headingLines = note.parsed.headings.slice(1).map((heading) => heading.range.start.line);
    assert.deepEqual(headingLinkTargets(run).map((link) => link.line), headingLines, 'each entry lands on its own heading, the second Setup included');
    assert.deepEqual(run.again, []);
  });

  it('replaces an unlabelled table of contents in place and does not list a Contents heading', async () => {
    const text = '# Conf\n## Contents\n- [[#Old]]\n- [[#Talk]]\n\n## Talk\n## New\n';
    const run = await runTableOfContents({ 'n.md': text }, 'n.md');
    assert.equal(run.after, '# Conf\n## Contents\n- [[#Talk|Talk]]\n- [[#New|New]]\n\n## Talk\n## New\n');
    assert.deepEqual(headingProblems(run), []);
    assert.deepEqual(run.again, []);
  });

  it('keeps CRLF line endings', async () => {
    const run = await runTableOfContents({ 'n.md': '# Conf\r\n\r\n## A\r\n## B\r\n' }, 'n.md');
    assert.equal(run.after, '# Conf\r\n\r\n**Table of Contents**\r\n\r\n- [[#A|A]]\r\n- [[#B|B]]\r\n\r\n## A\r\n## B\r\n');
    assert.deepEqual(run.again, []);
  });

  it('asks for no edit in a note without headings', async () => {
    const run = await runTableOfContents({ 'n.md': 'just text\n' }, 'n.md');
    assert.deepEqual(run.edits, []);
  });
});
