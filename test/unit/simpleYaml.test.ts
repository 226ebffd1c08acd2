import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { parseDocument } from 'yaml';
import { parseNote } from '../../server/src/core/parser';
import { readSimpleYaml } from '../../server/src/core/simpleYaml';

/**
 * The front matter reader that skips the `yaml` package for the usual few
 * `key: word` lines must give exactly what `yaml` gives, or nothing (and leave
 * the note to `yaml`): a note's properties, title, aliases and tags never
 * depend on which of the two read them.
 */

/** What the front matter reader took from `yaml` before: `toJS` of a document without errors, null as {}. */
function viaYaml(text: string): { data: unknown; errors: number } {
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: false });
  if (doc.errors.length) return { data: undefined, errors: doc.errors.length };
  const value: unknown = doc.toJS({ maxAliasCount: 100 });
  return { data: value ?? {}, errors: 0 };
}

const WORDS = ['a', 'Note', 'tag', 'review', '회의', '😀', 'x-y', 'a_b', 'C#', '#x', 'a#b', 'a: b', 'a:b', ':', '-', '- x', '?', '[x', 'x]', '{a}', ',', 'a, b', "it's", '"q"', "'q'", '&a', '*a', '!t', '|', '>', '%', '@', '`', '~', 'null', 'Null', 'true', 'False', 'yes', 'on', '0', '1', '007', '42', '1.5', '-3', '+3', '.5', '1e3', '0x1f', '0o7', '.inf', '.nan', '2024-12-07', '2024-1-7', '12345678901234567890', 'Pipeline 클라이언트 stream — 설계', 'a  b', 'a ', ' a', '', '\u00a0', '\u2028', '\u0085', '\ufeff', '\u0000', '\ud83d', 'a\\b', '<a>', 'a=b'];
const KEYS = ['title', 'aliases', 'tags', 'created', 'tag', 'alias', 'categories', 'a-b', 'a_b', 'x1', 'constructor', 'toString', '__proto__', '1a', 'a b', 'Title', 'TITLE', ''];

const word = fc.constantFrom(...WORDS);
const flowList = fc.array(word, { maxLength: 4 }).chain((items) => fc.constantFrom(`[${items.join(', ')}]`, `[${items.join(',')}]`, `[ ${items.join(', ')} ]`, `[${items.join(', ')},]`));
const blockList = fc.tuple(fc.constantFrom('', ' ', '  ', '    '), fc.array(word, { minLength: 1, maxLength: 3 })).map(([indent, items]) => items.map((item) => `\n${indent}- ${item}`).join(''));
const line = fc.tuple(fc.constantFrom(...KEYS), fc.constantFrom(': ', ':', ':  ', ' : '), fc.oneof(word, flowList, blockList.map((list) => `\0${list}`))).map(([key, colon, value]) => (value.startsWith('\0') ? `${key}:${value.slice(1)}` : `${key}${colon}${value}`));
const yamlText = fc.tuple(fc.array(fc.oneof({ arbitrary: line, weight: 8 }, { arbitrary: fc.constantFrom('', ' ', '# c', '---', '\t', '  nested: x', '- a'), weight: 1 }), { maxLength: 6 }), fc.constantFrom('', '\n')).map(([lines, end]) => lines.join('\n') + end);

describe('front matter without the yaml package', () => {
  it('gives what yaml gives, or leaves the text to yaml', () => {
    let read = 0;
    fc.assert(
      fc.property(yamlText, (text) => {
        const simple = readSimpleYaml(text);
        if (simple === undefined) return;
        read++;
        const expected = viaYaml(text);
        assert.equal(expected.errors, 0, `read ${JSON.stringify(text)} though yaml finds errors in it`);
        assert.deepEqual(simple, expected.data, JSON.stringify(text));
        assert.equal(Object.getPrototypeOf(simple), Object.getPrototypeOf(expected.data));
      }),
      { numRuns: 5000 },
    );
    // The generator must reach the reader often, or this test compares nothing.
    assert.ok(read > 500, `only ${read} of 5000 texts were read without yaml`);
  });

  it('reads the front matter notes usually have', () => {
    const text = 'aliases: [Worker 검색 4859]\ntags: [review, 회의]\ncreated: 2024-12-07\ntitle: Pipeline 클라이언트 stream — 설계\nlist:\n  - a\n  - b c\nempty:\ncount: 3\n';
    assert.deepEqual(readSimpleYaml(text), { aliases: ['Worker 검색 4859'], tags: ['review', '회의'], created: '2024-12-07', title: 'Pipeline 클라이언트 stream — 설계', list: ['a', 'b c'], empty: null, count: 3 });
    assert.deepEqual(readSimpleYaml(text), viaYaml(text).data);
  });

  it('leaves quotes, comments, nesting and keywords to yaml, and a note reads the same either way', () => {
    for (const text of ['title: "quoted"', 'a: b # comment', 'a:\n  b: c', 'a: true', 'a: 1.5', 'a: b\na: c', 'a: [x, [y]]']) {
      assert.equal(readSimpleYaml(text), undefined, text);
      const note = parseNote(`---\n${text}\n---\nBody`);
      assert.deepEqual(note.frontMatter?.data, viaYaml(text).data, text);
    }
  });
});
