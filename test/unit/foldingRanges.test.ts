import * as assert from 'node:assert/strict';
import type { FoldingRange } from 'vscode-languageserver-types';
import { MAX_FOLDING_RANGES, provideFoldingRanges } from '../../server/src/features/foldingRanges';
import { parseNote } from '../../server/src/core/parser';
import { LINE_NOTE, openVault, seedFiles } from '../kit/vault';

/** The folds of a note as `start-end` (with `:comment` for comment folds), in order. */
function folds(text: string): string[] {
  return provideFoldingRanges(text, parseNote(text)).map(show);
}

function show(range: FoldingRange): string {
  return `${range.startLine}-${range.endLine}${range.kind ? `:${range.kind}` : ''}`;
}

describe('folding ranges', () => {
  it('folds the Line Developer Day note as a reader outlines it: front matter, each talk, nested lists', async () => {
    const vault = await openVault(seedFiles());
    const ranges = (await vault.service.getFoldingRanges(vault.uri(LINE_NOTE))).map(show);
    assert.ok(ranges.includes('0-4'), `the front matter: ${ranges.join(' ')}`);
    assert.ok(ranges.includes('32-54'), `# Opening Keynote, up to its last line before the next talk: ${ranges.join(' ')}`);
    assert.ok(ranges.includes('41-47'), `- 하이퍼 클로바 with its six nested items: ${ranges.join(' ')}`);
    assert.ok(ranges.includes('49-54'), `- 블록체인 with its items: ${ranges.join(' ')}`);
    assert.ok(!ranges.some((range) => range.startsWith('26-')), 'a one-line list item does not fold');
  });

  it('folds a heading to the next heading of the same or a higher level, never past it', () => {
    const text = '# A\ntext\n## A1\none\n### A1a\ndeep\n## A2\ntwo\n\n\n# B\nlast\n';
    assert.deepEqual(folds(text), ['0-7', '2-5', '4-5', '6-7', '10-11']);
  });

  it('folds fenced code with its closing fence, and nothing inside it is a heading or a comment', () => {
    const text = '# Notes\n```md\n# not a heading\n%% not a comment\n- not a list\n  - item\n```\nafter\n';
    assert.deepEqual(folds(text), ['0-7', '1-6']);
  });

  it('folds an unclosed fence to the end of the note', () => {
    assert.deepEqual(folds('intro\n```\ncode\nmore code\n'), ['1-3']);
  });

  it('folds %% comment blocks (kind comment), not a one-line %%comment%%, and not what they comment out', () => {
    const text = 'a %%inline%% b\n%%\n# commented heading\n- commented\n  - list\n%%\ntext `%%` in code\n<!--\nhtml\n-->\n';
    assert.deepEqual(folds(text), ['1-5:comment', '7-9:comment']);
  });

  it('folds a %% comment left open to the end of the note, as the parser hides it', () => {
    assert.deepEqual(folds('text\n%% draft\nmore\nlast'), ['1-3:comment']);
  });

  it('folds callouts whatever their marker, and plain quotes', () => {
    const text = '> [!warning]- Careful\n> folded by default\n> still\n\n> [!note]+ Open\n> body\n\n> [!tip]\n> tip\n\n> quote\n> more\n\n> [!info] one line\n';
    assert.deepEqual(folds(text), ['0-2', '4-5', '7-8', '10-11']);
  });

  it('folds list items with their nested items and continuation lines', () => {
    const text = '- one\n  - one.a\n    - one.a.i\n  - one.b\n- two\n  continued\n- three\n\n1. first\n   1. sub\n';
    assert.deepEqual(folds(text), ['0-3', '1-2', '4-5', '8-9']);
  });

  it('folds front matter without taking its fences for rules or setext headings', () => {
    const text = '---\ntags: [a]\ntitle: T\n---\n# T\nbody\n';
    assert.deepEqual(folds(text), ['0-3', '4-5']);
  });

  it('folds tables', () => {
    assert.deepEqual(folds('| a | b |\n| - | - |\n| 1 | 2 |\n| 3 | 4 |\n'), ['0-3']);
  });

  it('reads CRLF line breaks as lines', () => {
    assert.deepEqual(folds('# A\r\ntext\r\n- x\r\n  - y\r\n# B\r\n'), ['0-3', '2-3']);
  });

  it('answers at most the ranges an editor shows, for a note of 20,000 nested list items', () => {
    const text = Array.from({ length: 20_000 }, (_, i) => `- item ${i}\n  - child ${i}\n`).join('');
    const ranges = provideFoldingRanges(text, parseNote(text));
    assert.equal(ranges.length, MAX_FOLDING_RANGES);
    assert.deepEqual(ranges.slice(0, 2).map(show), ['0-1', '2-3']);
  });

  it('never throws on odd input', () => {
    for (const text of ['', '\n', '%%', '```', '> [!', '---\n', '---\n---', '# \n#', '\r\r\r', '- \n  - \n    -', '%%\n```\n%%\n# after\nx', '\u0000\uFFFF\uD800']) {
      assert.doesNotThrow(() => folds(text), JSON.stringify(text));
    }
  });

  it('is asked through the service for a note opened in the editor, from its buffer', async () => {
    const vault = await openVault({ 'a.md': '# Old\n' });
    const uri = vault.uri('a.md');
    vault.service.setDocumentText(uri, '# New\nline\n## Sub\nline\n');
    assert.deepEqual((await vault.service.getFoldingRanges(uri)).map(show), ['0-3', '2-3']);
  });
});
