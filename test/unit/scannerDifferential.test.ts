import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SeededRandom } from '../../bench/random';
import { planVault, renderVault } from '../../bench/vaultGenerator';
import { parseNote } from '../../server/src/core/parser';
import { referenceParse } from '../kit/referenceParser';
import { seedFiles } from '../kit/vault';

/*
 * The note parser against the parser it replaced (test/kit/referenceParser.ts:
 * markdown-it's block parse, then the inline scan), kept unchanged as the
 * oracle. Every note must give the very same ParsedNote, prose text included:
 * the index, the parse cache and every feature read it, so a difference is a
 * link, heading, tag or block id a user would see appear or vanish.
 *
 * The texts: the sample vaults, the benchmark's generated notes, and thousands
 * of generated hostile texts mixing markdown constructs at random (see
 * hostileText). A failure names its seed and the smallest text that still
 * differs (lines, then characters, removed while it does).
 * SCANNER_SEED=123 SCANNER_TEXTS=100000 runs one seed at length.
 *
 * Deliberate differences: none.
 */

const plain = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

function mismatch(text: string): string | undefined {
  for (const options of [{}, { keepProse: true }]) {
    // As plain data: the parser's links, headings and tags make their ranges when read (see noteItems.ts).
    const actual = plain(parseNote(text, options));
    const expected = plain(referenceParse(text, options));
    try {
      assert.deepStrictEqual(actual, expected);
    } catch (error) {
      return (error as Error).message;
    }
  }
  return undefined;
}

/** The smallest text (by removing lines, then characters) that still differs. */
function shrink(text: string): string {
  const pieces = text.split(/(?<=\r\n|\n|\r(?!\n))/);
  for (let i = pieces.length - 1; i >= 0; i--) {
    const without = [...pieces.slice(0, i), ...pieces.slice(i + 1)];
    if (mismatch(without.join('')) !== undefined) pieces.splice(i, 1);
  }
  let smallest = pieces.join('');
  if (smallest.length > 2000) return smallest;
  for (let i = smallest.length - 1; i >= 0; i--) {
    const without = smallest.slice(0, i) + smallest.slice(i + 1);
    if (mismatch(without) !== undefined) smallest = without;
  }
  return smallest;
}

function assertSame(text: string, what: string): void {
  const difference = mismatch(text);
  if (difference === undefined) return;
  const smallest = shrink(text);
  assert.fail(`${what}: the parse differs from the reference parser's.\nSmallest such text: ${JSON.stringify(smallest)}\n${mismatch(smallest) ?? difference}`);
}

// ---- hostile texts -----------------------------------------------------------

const PREFIXES = ['', '', '', '', ' ', '  ', '   ', '    ', '     ', '\t', ' \t', '> ', '>', '> > ', '>  ', '- ', '* ', '+ ', '1. ', '2) ', '10. ', '  - ', '   - ', '    - ', '- > ', '> - ', '-   ', '1.  ', '- [ ] ', '- [x] '];

const BLOCKS = [
  '# Heading', '## Heading [[Linked]]', '###### Six', '####### Seven', '#NoSpace', '# %%c%% Title', '# Title %%c%%', '# Closed ##', '# Closed #', '#', '# ', '## [[A]] #tag ^not', '# `code` heading', '#\tTab', '# Heading \\#', '#  Spaced   ',
  '===', '---', '***', '- - -', '___', '= =', '--', '-', '----------', ' ---', '=',
  '```', '```js', '~~~', '````', '```` md', '``` a`b', '~~~ a`b', '```  ', '~~~~', '`` `', '```%%', '```$$',
  '<div>', '</div>', '<div class="x">', '<!-- c', '-->', '<!-- x -->', '<pre>', '</pre>', '<script>', '</script>', '<style>', '</style>', '<textarea>', '</textarea>', '<?php', '?>', '<!DOCTYPE html>', '<![CDATA[', ']]>', '<span>', '<a href="x">', '<custom-tag>', '</p>', '<table>', '<br/>', '<x y', '<img src="a.png">',
  '%%', '%% c %%', 'text %% open', 'close %% text', '%%[[InComment]]%%', '%% [[Note]] #tag %%', '%%%', '%%\t',
  '$$', '$$ x $$', '$x$', '$ 5 and $ 10', '$[[m]]$', '$$[[M]]', '$a$b$', '\\$x$',
  '| a | b |', '|---|---|', 'a | b', '--- | ---', '| [[T\\|alias]] | x |', '|:-|-:|', '| a |', '|-|',
  '[[Note]]', '![[img.png|300]]', '![[img.png|30x20]]', '[[Note#Head]]', '[[Note#Head#Sub]]', '[[#^blk]]', '[[#Local]]', '[[Note|Alias]]', '[[ spaced ]]', '[[a\\|b]]', '[[x]]]', '[[[x]]', '[[a [[b]] c]]', '[[', ']]', '[[x', '[[https://e.com]]', '[[a%20b]]', '[[Café]]', '[[회의록]]',
  '[text](Note.md)', '[t](<a b.md>)', '![alt](img.png "title")', '[t](https://x.y)', '[t](Note.md#Head)', '[t](Note.md#^b)', '[t](a%20b.md)', '[t](%E0%A4%A)', '[a [b] c](d)', '[x](a(b)c)', '[x](a(b)', '[x]( a.md )', "[x](a.md 'q')", '[x](a.md (p))', '[x](a.md "t" x)', '[x]', '(y)', '[x] (y)', '[x](<a>', '[x](\\))', '\\[x](y)', '[x\\](y)', '[](e.md)', '[x]()',
  '#tag', '#1234', '#a/b/', 'x#y', '#태그', '#a-b_c', '##', '#/', ' #t', '#t#u',
  '`code [[x]]`', '``a ` b``', '```inline```', '`unclosed [[u]]', '`` [[d]] ``', '\\`[[e]]`', '`a`[[f]]`b`',
  'para ^blk', '^alone', 'text ^id ', '[[x]]^id', '^a-b', 'x^y', '^', 'a ^b c',
  '> [!note] Callout', '> [!tip]- Folded [[C]]', '> [!warning]+', '>', '> ```',
  '**bold** _it_ ~~s~~', 'plain text', 'Lorem ipsum dolor', 'lazy continuation [[L]]', '', '', '', '  ', '\t',
  '\\', '\\\\[[g]]', '\0', '\ud800', '\udc00x', '\ud83d\ude00', '\u2028', '\u00a0#nb', '\ufeff', 'a\u3000#t',
  '[ref]: /url', '[ref]: /url "title"', "[ref]: <a b> 'x'", '[ref]:', '[ref]: a\0b', '[ref]: <a\0>', '[ref]: javascript:x', '[ref]: &#106;avascript:x', '[ref]: data:image/png;x', '[r\\]]: x', '[ref]: x (t', '[ref]: x "t" y', '[[w]]: x', '[a\0]: x', '<a b=\0x>', '<a b=c\0>', '# h\0', 'h\0',
  '9:00 Keynote', '10:30 – 11:00 [[Talk]]', 'Speaker: Someone', '## Day 1', '# DEVIEW 2018', '## 10:00 Talk title',
];

const FRONT_MATTERS = ['', '', '', '---\ntitle: T\n---\n', '---\n---\n', '---\ntags: [a, conference]\naliases: [x]\n---\n', '---\na: [[x]]\n---\n', '---\na: b\n', '--- \na: b\n---\n', '---\na: b\n...\n', '\ufeff---\ntitle: b\n---\n', '---\n# no\n---\n', '---\ntitle: "q\n---\n', '\n---\na: b\n---\n', '---\r\na: b\r\n---\r\n', '---\ntags:\n  - conference\n---\n'];

const LINE_ENDS = ['\n', '\n', '\n', '\r\n', '\r'];

function hostileLine(random: SeededRandom): string {
  let line = random.pick(PREFIXES);
  const pieces = random.int(1, 4);
  for (let i = 0; i < pieces; i++) {
    if (i > 0) line += random.pick([' ', ' ', '', '  ', '\t']);
    line += random.pick(BLOCKS);
  }
  if (random.chance(0.01)) line += ` ${'word [x] `y` '.repeat(random.int(100, 800))}[[Far]]`;
  return line;
}

function hostileText(random: SeededRandom): string {
  const end = random.chance(0.1) ? undefined : random.pick(LINE_ENDS);
  let text = random.pick(FRONT_MATTERS);
  if (end && end !== '\n') text = text.replace(/\n/g, end);
  const count = random.int(0, 30);
  for (let i = 0; i < count; i++) text += hostileLine(random) + (end ?? random.pick(LINE_ENDS));
  if (random.chance(0.3)) text = text.replace(/(?:\r\n|\n|\r)$/, '');
  return text;
}

// ---- the tests ---------------------------------------------------------------

describe('the note scanner against the reference parser', () => {
  it('parses the sample vaults as the reference parser does', () => {
    const notes: Array<[string, string]> = Object.entries(seedFiles());
    for (const root of ['examples', '/work/shared/fixtures']) {
      const folder = path.resolve(__dirname, '../..', root);
      if (!fs.existsSync(folder)) continue;
      for (const file of fs.readdirSync(folder, { recursive: true, encoding: 'utf8' })) {
        if (file.endsWith('.md')) notes.push([path.join(folder, file), fs.readFileSync(path.join(folder, file), 'utf8')]);
      }
    }
    assert.ok(notes.length >= 4, `only ${notes.length} sample notes found`);
    for (const [name, text] of notes) assertSame(text, name);
  });

  it("parses the benchmark's generated notes as the reference parser does", function () {
    this.timeout(300_000);
    let count = 0;
    for (const [flavor, size] of [['wiki', 2000], ['markdown', 600]] as const) {
      const { files } = renderVault(planVault(size, 15, 3000), flavor);
      const decoder = new TextDecoder();
      for (const [name, data] of files) {
        if (!name.endsWith('.md')) continue;
        assertSame(decoder.decode(data), `${flavor} vault, ${name}`);
        count++;
      }
    }
    assert.equal(count, 2600);
  });

  it('parses generated hostile texts as the reference parser does', function () {
    this.timeout(600_000);
    const seed = Number(process.env.SCANNER_SEED ?? 15);
    const count = Number(process.env.SCANNER_TEXTS ?? 6000);
    const random = new SeededRandom(seed);
    for (let i = 0; i < count; i++) {
      const text = hostileText(random.fork(i));
      assertSame(text, `seed ${seed}, text ${i}`);
    }
  });
});
