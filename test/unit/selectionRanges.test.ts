import * as assert from 'node:assert/strict';
import type { Position, Range, SelectionRange } from 'vscode-languageserver-types';
import { parseNote } from '../../server/src/core/parser';
import { provideSelectionRanges } from '../../server/src/features/selectionRanges';
import { LINE_NOTE, openVault, seedFiles, withCursor } from '../kit/vault';

/** The text each step of expand-selection selects, innermost first; checks that each step holds the one before. */
function steps(text: string, selection: SelectionRange): string[] {
  const lines = text.split(/\r\n|\n/);
  const slice = (range: Range) => {
    if (range.start.line === range.end.line) return lines[range.start.line].slice(range.start.character, range.end.character);
    return [lines[range.start.line].slice(range.start.character), ...lines.slice(range.start.line + 1, range.end.line), lines[range.end.line].slice(0, range.end.character)].join('\n');
  };
  const result: string[] = [];
  let previous: Range | undefined;
  for (let step: SelectionRange | undefined = selection; step; step = step.parent) {
    if (previous) {
      const { start, end } = step.range;
      const before = (a: Position, b: Position) => a.line < b.line || (a.line === b.line && a.character <= b.character);
      assert.ok(before(start, previous.start) && before(previous.end, end), `${JSON.stringify(step.range)} does not hold ${JSON.stringify(previous)}`);
      assert.notDeepEqual(step.range, previous, 'a step that does not grow the selection');
    }
    result.push(slice(step.range));
    previous = step.range;
  }
  return result;
}

function expand(textWithCursor: string): string[] {
  const { text, position } = withCursor(textWithCursor);
  const [selection] = provideSelectionRanges(text, parseNote(text), [position]);
  return steps(text, selection);
}

const NOTE = `# Conference
intro

## Talk
See [[Other note#Some heading|the talk]] and
the second line.

- item
  - nes$ITEMted
  - other

> [!warning] Careful
> bo$QUOTEdy

\`\`\`js
con$CODEst x = 1;
\`\`\`
`;

function at(marker: string): string[] {
  return expand(NOTE.replace(`$${marker}`, '$0').replace(/\$[A-Z]+/g, ''));
}

describe('selection ranges', () => {
  it('expands from a word in a link heading to the heading, target, link, line, paragraph, section, parent section, note', () => {
    const text = NOTE.replace(/\$[A-Z]+/g, '');
    const line = text.split('\n').findIndex((l) => l.startsWith('See'));
    const [selection] = provideSelectionRanges(text, parseNote(text), [{ line, character: 19 }]);
    const found = steps(text, selection);
    assert.deepEqual(found.slice(0, 7), [
      'Some',
      'Some heading',
      'Other note#Some heading',
      '[[Other note#Some heading|the talk]]',
      'See [[Other note#Some heading|the talk]] and',
      'See [[Other note#Some heading|the talk]] and\nthe second line.',
      text.split('\n').slice(3, 17).join('\n'),
    ]);
    assert.equal(found[7], text.trimEnd(), 'the parent section: the whole note under # Conference');
    assert.equal(found[found.length - 1], text, 'the note');
  });

  it('selects a link path, then the target, then the link; an alias, then the link', () => {
    const path = expand('x [[Other no$0te#H|alias]] y');
    assert.deepEqual(path.slice(0, 4), ['note', 'Other note', 'Other note#H', '[[Other note#H|alias]]']);
    const alias = expand('x [[Other note#H|ali$0as]] y');
    assert.deepEqual(alias.slice(0, 3), ['alias', '[[Other note#H|alias]]', 'x [[Other note#H|alias]] y'], 'the alias is one word: the next step is the link');
    const markdown = expand('x [te$0xt](Other%20note.md#h) y');
    assert.deepEqual(markdown.slice(0, 3), ['text', '[text](Other%20note.md#h)', 'x [text](Other%20note.md#h) y']);
  });

  it('expands in a nested list item to the item, its parent item, the section', () => {
    const found = at('ITEM');
    assert.deepEqual(found.slice(0, 4), ['nested', '- nested', '- item\n  - nested\n  - other', NOTE.replace(/\$[A-Z]+/g, '').split('\n').slice(3, 17).join('\n')]);
  });

  it('expands in a callout to the line, then the whole callout', () => {
    const found = at('QUOTE');
    assert.deepEqual(found.slice(0, 3), ['body', '> body', '> [!warning] Careful\n> body']);
  });

  it('expands in fenced code to the line, then the code block with its fences', () => {
    const found = at('CODE');
    assert.deepEqual(found.slice(0, 3), ['const', 'const x = 1;', '```js\nconst x = 1;\n```']);
  });

  it('expands in front matter to the line, then the front matter, then the note', () => {
    const found = expand('---\ntit$0le: T\ntags: [a]\n---\nbody\n');
    assert.deepEqual(found, ['title', 'title: T', '---\ntitle: T\ntags: [a]\n---', '---\ntitle: T\ntags: [a]\n---\nbody\n']);
  });

  it('selects a tag whole, # included', () => {
    assert.deepEqual(expand('text #project/al$0pha more').slice(0, 3), ['alpha', '#project/alpha', 'text #project/alpha more']);
  });

  it('answers each cursor, and a cursor past the end of the note or its line without failing', async () => {
    const vault = await openVault(seedFiles());
    const uri = vault.uri(LINE_NOTE);
    const ranges = await vault.service.getSelectionRanges(uri, [{ line: 32, character: 4 }, { line: 10_000, character: 5 }, { line: 0, character: 999 }]);
    assert.equal(ranges.length, 3);
    assert.deepEqual(ranges[0].range, { start: { line: 32, character: 2 }, end: { line: 32, character: 9 } }, 'the word "Opening" of # Opening Keynote');
    let outermost = ranges[1];
    while (outermost.parent) outermost = outermost.parent;
    assert.deepEqual(outermost.range.start, { line: 0, character: 0 });
  });
});
