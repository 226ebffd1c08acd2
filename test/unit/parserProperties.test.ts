import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CompletionItem, DocumentSymbol, Position, Range } from 'vscode-languageserver-types';
import { parseNote } from '../../server/src/core/parser';
import { LineIndex } from '../../server/src/core/text';
import type { ParsedNote } from '../../server/src/core/types';
import { openVault } from '../kit/vault';

/**
 * Properties of the parser and of the features over generated notes: any
 * string is a note (never a throw), every range lies inside its document, a
 * parse is deterministic, and a link's target is the text at its range. Lines
 * are counted as LSP counts them: `\n`, `\r\n` and a lone `\r` each end one.
 * On a failure fast-check prints the seed and the shrunk note.
 */

/** Markdown and Obsidian syntax, line breaks of every kind, Hangul, emoji, lone surrogates, NUL. */
const TOKENS = [
  '[[', ']]', '|', '\\|', '#', '#tag', '^', '^block-1', '![[', '[', ']', '(', ')', '](', '<', '>', '%%', '$', '$$', '`', '```', '~~~',
  '<!--', '-->', '==', '---', '...', '- ', '> ', '1. ', '# ', '## ', '    ', '\t', ' ', '  ', '\\', '"', "'", ':', '*', '_', '=',
  '\n', '\n\n', '\r\n', '\r', '\r\r', '\u2028', 'a', 'Note', 'b.md', 'sub/c', 'x.png', '%20', 'http://e.com/a#b', 'title: T',
  'tags: [a, b]', 'aliases: x', '가', '한국어', '😀', '\ud83d', '\ude00', '\u0000', '\u00a0', '\ufeff', '\u3000',
];

/** Any UTF-16 code unit, lone surrogates included. */
const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code));

const tokenText = fc.array(fc.constantFrom(...TOKENS), { maxLength: 60 }).map((parts) => parts.join(''));

/** A generated note: tokens, any code units, or tokens after a front matter. */
const noteText = fc.oneof(
  { arbitrary: tokenText, weight: 4 },
  { arbitrary: fc.string({ unit: codeUnit, maxLength: 80 }), weight: 1 },
  { arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }), weight: 1 },
  { arbitrary: fc.tuple(fc.constantFrom('\n', '\r\n', '\r'), tokenText, tokenText).map(([eol, yaml, body]) => `---${eol}${yaml}${eol}---${eol}${body}`), weight: 2 },
);

/** The lines of a text as LSP splits them. */
function lspLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

function assertInside(lines: readonly string[], range: Range, what: string): void {
  for (const [end, position] of [['start', range.start], ['end', range.end]] as const) {
    assert.ok(Number.isInteger(position.line) && Number.isInteger(position.character), `${what}: ${end} is not a position: ${JSON.stringify(position)}`);
    assert.ok(position.line >= 0 && position.line < lines.length, `${what}: ${end} line ${position.line} of ${lines.length}`);
    assert.ok(position.character >= 0 && position.character <= lines[position.line].length, `${what}: ${end} character ${position.character} of ${lines[position.line].length} on line ${position.line}`);
  }
  assert.ok(range.start.line < range.end.line || (range.start.line === range.end.line && range.start.character <= range.end.character), `${what}: starts after it ends: ${JSON.stringify(range)}`);
}

function textAt(text: string, range: Range): string {
  const document = TextDocument.create('file:///x.md', 'markdown', 0, text);
  return document.getText(range);
}

/** Every range a parse gives, named. */
function rangesOf(note: ParsedNote): Array<[string, Range]> {
  const ranges: Array<[string, Range]> = [];
  note.links.forEach((link, i) => {
    ranges.push([`link ${i}`, link.range], [`link ${i} target`, link.targetRange], [`link ${i} path`, link.pathRange]);
    if (link.subpathRange) ranges.push([`link ${i} subpath`, link.subpathRange]);
  });
  note.headings.forEach((heading, i) => ranges.push([`heading ${i}`, heading.range], [`heading ${i} text`, heading.textRange]));
  note.blocks.forEach((block, i) => ranges.push([`block ${i}`, block.range]));
  note.tags.forEach((tag, i) => ranges.push([`tag ${i}`, tag.range]));
  if (note.frontMatter) {
    ranges.push(['front matter', note.frontMatter.range]);
    note.frontMatter.errors.forEach((error, i) => ranges.push([`front matter error ${i}`, error.range]));
  }
  return ranges;
}

describe('parser properties (fast-check)', () => {
  it('never throws; every range lies inside the note, start before end; line numbers count lines as LSP does', () => {
    fc.assert(
      fc.property(noteText, (text) => {
        const note = parseNote(text);
        const lines = lspLines(text);
        assert.equal(note.lineCount, lines.length);
        for (const [what, range] of rangesOf(note)) assertInside(lines, range, what);
        for (const block of note.blocks) assert.ok(block.line >= 0 && block.line < lines.length, `block line ${block.line}`);
      }),
      { numRuns: 3000 },
    );
  });

  it('is deterministic', () => {
    fc.assert(
      fc.property(noteText, fc.boolean(), (text, keepProse) => {
        assert.deepEqual(parseNote(text, { keepProse }), parseNote(text, { keepProse }));
      }),
      { numRuns: 1000 },
    );
  });

  it("finds a link's target (as written), a tag and a block id at their ranges; keeps the prose text's length and line breaks", () => {
    fc.assert(
      fc.property(noteText, (text) => {
        const note = parseNote(text, { keepProse: true });
        for (const link of note.links) assert.equal(textAt(text, link.targetRange), link.target, `target of ${JSON.stringify(link)}`);
        for (const tag of note.tags) assert.equal(textAt(text, tag.range), `#${tag.name}`);
        for (const block of note.blocks) assert.equal(textAt(text, block.range), `^${block.id}`);
        assert.equal(note.proseText.length, text.length);
        assert.deepEqual(lspLines(note.proseText).map((line) => line.length), lspLines(text).map((line) => line.length));
      }),
      { numRuns: 2000 },
    );
  });

  it("maps offsets to positions and back as LSP's own TextDocument does", () => {
    fc.assert(
      fc.property(noteText, (text) => {
        const lines = new LineIndex(text);
        const document = TextDocument.create('file:///x.md', 'markdown', 0, text);
        assert.equal(lines.lineCount, document.lineCount);
        for (let offset = 0; offset <= text.length; offset++) {
          const position = lines.positionAt(offset);
          assert.deepEqual(position, document.positionAt(offset), `offset ${offset}`);
          assert.equal(lines.offsetAt(position), document.offsetAt(position));
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('reads a note whose lines end with a lone \\r as the same note with \\n', () => {
    fc.assert(
      fc.property(noteText, (text) => {
        const withLineFeeds = text.replace(/\r(?!\n)/g, '\n');
        const note = parseNote(text, { keepProse: true });
        const expected = parseNote(withLineFeeds, { keepProse: true });
        assert.deepEqual({ ...note, proseText: note.proseText.replace(/\r(?!\n)/g, '\n') }, expected);
      }),
      { numRuns: 2000 },
    );
  });

  it('puts the diagnostics of a lone-CR note on their own lines', async () => {
    const text = '# Title\r\rSee [[Missing]]\r\r## Part\r[[#Nowhere]]\r';
    const vault = await openVault({ 'a.md': text });
    const diagnostics = vault.service.getDiagnostics(vault.uri('a.md'));
    assert.deepEqual(
      diagnostics.map((d) => [d.range.start.line, textAt(text, d.range)]),
      [
        [2, '[[Missing]]'],
        [5, 'Nowhere'],
      ],
    );
  });
});

/** Positions to ask about, as a client sends them: a line of the note, a character of it or its end. */
function positionsIn(text: string, picks: ReadonlyArray<readonly [number, number]>): Position[] {
  const lines = lspLines(text);
  return picks.map(([line, character]) => {
    const at = line % lines.length;
    return { line: at, character: character % (lines[at].length + 1) };
  });
}

function assertSymbolsInside(lines: readonly string[], symbols: readonly DocumentSymbol[], path: string): void {
  symbols.forEach((symbol, i) => {
    assertInside(lines, symbol.range, `${path}${i} range`);
    assertInside(lines, symbol.selectionRange, `${path}${i} selection range`);
    assertSymbolsInside(lines, symbol.children ?? [], `${path}${i}.`);
  });
}

function completionRanges(item: CompletionItem): Range[] {
  const ranges: Range[] = [];
  const edit = item.textEdit;
  if (edit && 'range' in edit) ranges.push(edit.range);
  if (edit && 'insert' in edit) ranges.push(edit.insert, edit.replace);
  for (const additional of item.additionalTextEdits ?? []) ranges.push(additional.range);
  return ranges;
}

const NOTE_NAMES = ['a.md', 'b.md', 'sub/c.md'] as const;

describe('feature properties over generated vaults (fast-check)', () => {
  it('diagnostics, symbols, document links, definition and completion never throw and answer with ranges inside the note', async () => {
    const picks = fc.array(fc.tuple(fc.nat(200), fc.nat(200)), { minLength: 1, maxLength: 6 });
    await fc.assert(
      fc.asyncProperty(fc.tuple(noteText, noteText, noteText), picks, async (texts, picked) => {
        const files: Record<string, string> = {};
        NOTE_NAMES.forEach((name, i) => (files[name] = texts[i]));
        files['x.png'] = '';
        const vault = await openVault(files);
        // Open every note, so the service reads exactly the generated text (a file on disk would be UTF-8: no lone surrogates).
        for (const name of NOTE_NAMES) vault.service.setDocumentText(vault.uri(name), files[name]);
        const textOf = new Map(NOTE_NAMES.map((name) => [vault.uri(name), files[name]]));
        for (const name of NOTE_NAMES) {
          const uri = vault.uri(name);
          const text = files[name];
          const lines = lspLines(text);
          for (const [i, diagnostic] of vault.service.getDiagnostics(uri).entries()) assertInside(lines, diagnostic.range, `${name}: diagnostic ${i} ${diagnostic.message}`);
          assertSymbolsInside(lines, vault.service.getDocumentSymbols(uri), `${name}: symbol `);
          for (const [i, link] of vault.service.getDocumentLinks(uri).entries()) assertInside(lines, link.range, `${name}: document link ${i}`);
          for (const position of positionsIn(text, picked)) {
            for (const [i, target] of vault.service.getDefinition(uri, position).entries()) {
              if (target.originSelectionRange) assertInside(lines, target.originSelectionRange, `${name}: definition ${i} origin at ${JSON.stringify(position)}`);
              const targetText = textOf.get(target.targetUri);
              if (targetText !== undefined) {
                assertInside(lspLines(targetText), target.targetRange, `${name}: definition ${i} target range`);
                assertInside(lspLines(targetText), target.targetSelectionRange, `${name}: definition ${i} target selection range`);
              }
            }
            for (const [i, item] of vault.service.getCompletions(uri, position).items.entries()) {
              for (const range of completionRanges(item)) assertInside(lines, range, `${name}: completion ${i} (${item.label}) at ${JSON.stringify(position)}`);
            }
          }
        }
      }),
      { numRuns: 150 },
    );
  });
});
