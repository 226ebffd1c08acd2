import * as assert from 'node:assert/strict';
import { MAX_FRONT_MATTER_LENGTH } from '../../server/src/core/frontMatter';
import { parseNote } from '../../server/src/core/parser';
import { scanWork } from '../../server/src/core/scanWork';
import { parseDayHeading, parseDayLine, parseSpeakerLine, parseTalkHeading, plainInline } from '../../server/src/core/talkPatterns';

/**
 * Every scanner of the parser is linear (or n log n) in its input: a
 * pathological input parsed at n and at 2n costs at most ~2.5 times the work,
 * counted (`scanWork`: characters the scanners examine, natively or by hand,
 * and binary-search steps), not timed. Each family is a way the scanners once
 * ran to the end of the line or the note for every character (issue 11, item 6).
 */

/** `unit` repeated to about `n` characters. */
function repeat(unit: string, n: number): string {
  return unit.repeat(Math.max(1, Math.round(n / unit.length)));
}

/** Backtick runs of every length 1, 2, 3, … (each the last of its length), to about `n` characters. */
function backtickRuns(n: number): string {
  let text = '';
  for (let length = 1; text.length < n; length++) text += '`'.repeat(length) + 'a';
  return text;
}

/** One line of pathological text: each family a way a scanner once rescanned the line or the note. */
const LINE_FAMILIES: ReadonlyArray<readonly [string, (n: number) => string]> = [
  ['`[ ` repeated: a markdown-link bracket that never closes', (n) => repeat('[ ', n)],
  ['`[a` repeated: brackets nested without end', (n) => repeat('[a', n)],
  ['`[ ` repeated, one `]` at the end', (n) => repeat('[ ', n) + ']'],
  ['`$a ` repeated: inline math that never closes', (n) => repeat('$a ', n)],
  ['`$a$ ` repeated: inline math that closes', (n) => repeat('$a$ ', n)],
  ['`$$` repeated after a backtick: block math openers in a code span', (n) => '`' + repeat('$$', n)],
  ['`%%` repeated after a backtick: comment openers in a code span', (n) => '`' + repeat('%%', n)],
  ['`%%` repeated: empty comments', (n) => repeat('%%', n)],
  ['`<!--` repeated after a backtick', (n) => '`' + repeat('<!--', n)],
  ['`` ` `` `%%` repeated: comments after code spans', (n) => repeat('` `%%a%%', n)],
  ['`[[` repeated: wiki links that never close', (n) => repeat('[[', n)],
  ['`![[` repeated', (n) => repeat('![[', n)],
  ['`[[a|` repeated', (n) => repeat('[[a|', n)],
  ['`[[a` repeated, one `]]` at the end', (n) => repeat('[[a', n) + ']]'],
  ['`[[a]]` repeated', (n) => repeat('[[a]] ', n)],
  ['`](` repeated', (n) => repeat('](', n)],
  ['`[a](x` repeated: a destination that never ends', (n) => repeat('[a](x', n)],
  ['`[a](x ` repeated, one `a)` at the end: a title that is not one', (n) => repeat('[a](x ', n) + 'a)'],
  ['`[a](x ` repeated: no closing parenthesis', (n) => repeat('[a](x ', n)],
  ['`[a](<x` repeated: an angle destination that never closes', (n) => repeat('[a](<x', n)],
  ['`[a](<x>` repeated: no closing parenthesis', (n) => repeat('[a](<x>', n)],
  ['`[a](x "t"` repeated, one `)` at the end', (n) => repeat('[a](x "t" ', n) + ')'],
  ['`[a](b)` repeated', (n) => repeat('[a](b) ', n)],
  ['`` ` `` repeated', (n) => repeat('`', n)],
  ['`` ` `` then ``` `` ``` repeated: one code span that never closes', (n) => '`' + repeat('``a', n)],
  ['backtick runs of every length', backtickRuns],
  ['`\\`` repeated: escaped backticks', (n) => repeat('\\``', n)],
  ['`==` repeated', (n) => repeat('==', n)],
  ['`#` repeated', (n) => repeat('#', n)],
  ['`#a ` repeated: tags', (n) => repeat('#a ', n)],
  ['`# ` repeated', (n) => repeat('# ', n)],
  ['`^a ` repeated', (n) => repeat(' ^a', n)],
  ['`|` repeated', (n) => repeat('|', n)],
  ['`\\` repeated', (n) => repeat('\\', n)],
  ['`\\[` repeated', (n) => repeat('\\[', n)],
  ['`\\$a` repeated', (n) => repeat('$a\\', n)],
  ['spaces', (n) => repeat(' ', n)],
  ['prose with links, tags, math and code', (n) => repeat('Some [[Note#Head|alias]] text, a [link](x.md "t") `code` $x$ #tag %%c%% <!-- h --> ==hi== ^id ', n)],
];

/** Many lines: each family a way a scanner once did work per line that grew with the note. */
const NOTE_FAMILIES: ReadonlyArray<readonly [string, (n: number) => string]> = [
  ['lines of `- [[#a]]`', (n) => repeat('- [[#a]]\n', n)],
  ['lines of `---`', (n) => repeat('---\n', n)],
  ['a table of links', (n) => '| a | b |\n| - | - |\n' + repeat('| [[x]] | y |\n', n)],
  ['lines of `%%` comments', (n) => repeat('a %%b%% [[c]]\n', n)],
  ['a comment over many lines', (n) => '%%\n' + repeat('[[a]] #t\n', n) + '%%'],
  ['lines ending with a block id, each alone after blank lines', (n) => repeat('x ^a\n\n\n^b\n', n)],
  ['blank lines, then a lone block id', (n) => repeat('\n', n) + '^ab'],
  ['headings', (n) => repeat('# h [[a]]\n', n)],
  ['lines of `$` and backticks across line breaks', (n) => repeat('$a `b\n', n)],
  ['CRLF lines of links', (n) => repeat('[[a]] [b](c) `d`\r\n', n)],
  ['lone CR lines of links', (n) => repeat('[[a]] [b](c) `d`\r', n)],
  ['front matter of many lines', (n) => '---\n' + repeat('k: v\n', 4000) + '---\n' + repeat('[[a]]\n', n)],
];

/** Text the talk-outline rules read: heading text and prose lines. */
const TALK_FAMILIES: ReadonlyArray<readonly [string, (n: number) => unknown]> = [
  ['a talk heading with a long run of spaces', (n) => parseTalkHeading('Title' + ' '.repeat(n) + 'x')],
  ['a talk heading, spaces before its time', (n) => parseTalkHeading('Title,' + ' '.repeat(n) + '10:00')],
  ['a talk heading of `track ` repeated', (n) => parseTalkHeading(repeat('track ', n))],
  ['a talk heading of `[[` repeated', (n) => parseTalkHeading(repeat('[[', n))],
  ['inline links of `[` repeated', (n) => plainInline(repeat('[', n))],
  ['inline links of `[a](` repeated', (n) => plainInline(repeat('[a](', n))],
  ['a day line with a long run of spaces', (n) => parseDayLine('day' + ' '.repeat(n) + 'x')],
  ['a day heading ending with punctuation then a letter', (n) => parseDayHeading('Day 1' + repeat(' ,', n) + 'x')],
  ['a speaker line with a long run of spaces', (n) => parseSpeakerLine('presented by' + ' '.repeat(n) + 'a\u2028b')],
  ['a speaker line ending with a run of `.,`', (n) => parseSpeakerLine('Speaker: Kim' + repeat('.,', n) + 'x')],
  ['a note titled by a heading with a long run of spaces (the conference test)', (n) => parseNote('# DEVIEW 2018' + ' '.repeat(n) + 'x')],
];

const N = 16_000;

function workOf(run: () => unknown): number {
  const before = scanWork.steps;
  run();
  return scanWork.steps - before;
}

function assertLinear(make: (n: number) => unknown): void {
  const small = workOf(() => make(N));
  const large = workOf(() => make(2 * N));
  assert.ok(small > 0, 'no work counted');
  const ratio = large / small;
  assert.ok(ratio <= 2.5, `work ${small} at n = ${N}, ${large} at 2n: ×${ratio.toFixed(2)}`);
}

describe('linearity: work at 2n is at most 2.5 times the work at n', () => {
  for (const [name, make] of [...LINE_FAMILIES, ...NOTE_FAMILIES]) {
    it(name, () => assertLinear((n) => parseNote(make(n))));
  }
  for (const [name, run] of TALK_FAMILIES) {
    it(name, () => assertLinear(run));
  }
});

describe('linearity: a 1 MB line of each family parses', () => {
  for (const [name, make] of LINE_FAMILIES) {
    it(name, () => {
      const note = parseNote(make(1 << 20));
      assert.equal(note.lineCount, 1);
    });
  }
  for (const [name, run] of TALK_FAMILIES) {
    it(name, () => {
      run(1 << 20);
    });
  }
});

describe('linearity: front matter', () => {
  // `yaml` takes about a second per megabyte, on every parse: a 5 MB front matter once cost 3.9 s a keystroke.
  it('a 5 MB front matter is not read as YAML, and an error on its fence says why', () => {
    const note = parseNote(`---\n${repeat('key: [1, 2, 3]\n', 5 << 20)}---\n# Body\n[[Link]]`);
    assert.equal(note.frontMatter?.data, undefined);
    assert.equal(note.frontMatter?.errors.length, 1);
    assert.match(note.frontMatter!.errors[0].message, /^The front matter is 5120 KB, larger than the 64 KB Vaultlink reads as YAML/);
    assert.deepEqual(note.frontMatter!.errors[0].range, { start: { line: 0, character: 0 }, end: { line: 0, character: 3 } });
    assert.deepEqual(note.headings.map((h) => h.text), ['Body']);
    assert.deepEqual(note.links.map((l) => l.path), ['Link']);
  });

  it('front matter just under the limit is read', () => {
    const filler = repeat('k: v\n', MAX_FRONT_MATTER_LENGTH - 100);
    const note = parseNote(`---\ntitle: T\n${filler}tags: [a]\n---\nBody`);
    assert.equal(note.frontMatter?.title, 'T');
    assert.deepEqual(note.frontMatter?.tags, ['a']);
    assert.deepEqual(note.frontMatter?.errors, []);
  });
});
