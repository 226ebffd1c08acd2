import * as assert from 'node:assert/strict';
import { parseNote } from '../../server/src/core/parser';

describe('parser', () => {
  it('reads wiki links: target, heading path, block, alias, embed size', () => {
    const note = parseNote('See [[Note#A#B|shown | more]] and [[#^Blk-1]] and ![[pic.png|300x200]] and ![[doc.pdf#page=3]]');
    const [a, b, c, d] = note.links;
    assert.equal(a.path, 'Note');
    assert.deepEqual(a.subpath, { kind: 'heading', headings: ['A', 'B'] });
    assert.equal(a.display, 'shown | more');
    assert.equal(b.path, '');
    assert.deepEqual(b.subpath, { kind: 'block', id: 'Blk-1' });
    assert.equal(c.embed, true);
    assert.deepEqual(c.size, { width: 300, height: 200 });
    assert.equal(d.path, 'doc.pdf');
    assert.equal(note.links.length, 4);
  });

  it('splits a wiki link at an escaped pipe inside a table', () => {
    const note = parseNote('| a | [[Target\\|Alias]] |\n| - | - |\n');
    assert.equal(note.links[0].path, 'Target');
    assert.equal(note.links[0].display, 'Alias');
  });

  it('counts nothing inside code spans, fences, indented code, math, and comments but the links in %% comments, flagged', () => {
    const text = [
      '`[[inline code]]` and ``[[double `tick`]]``',
      '```',
      '[[fenced]] #notatag',
      '# not a heading',
      '```',
      '',
      '    [[indented code]]',
      '',
      '$[[math]]$ and',
      '$$',
      '[[block math]]',
      '$$',
      '%% [[comment]] #comment-tag',
      '# hidden heading %%',
      '<!-- [[html comment]] -->',
      '[[real]] #real-tag',
    ].join('\n');
    const note = parseNote(text);
    // Obsidian indexes links in `%%` comments (not their tags or headings), and nothing in HTML comments.
    assert.deepEqual(note.links.map((l) => [l.path, l.inComment === true]), [['comment', true], ['real', false]]);
    assert.deepEqual(note.headings.map((h) => h.text), []);
    assert.deepEqual(note.tags.map((t) => t.name), ['real-tag']);
  });

  it('still takes a link whose heading part holds a code span', () => {
    const note = parseNote('### `move`\n\n[[#`move`|move]]');
    assert.equal(note.links.length, 1);
    assert.deepEqual(note.links[0].subpath, { kind: 'heading', headings: ['`move`'] });
  });

  it('gives exact UTF-16 ranges after Korean text and emoji', () => {
    const text = '한국어 😀 [[노트#제목|별칭]]';
    const link = parseNote(text).links[0];
    const start = text.indexOf('[[');
    assert.deepEqual(link.range, { start: { line: 0, character: start }, end: { line: 0, character: text.length } });
    assert.equal(text.slice(link.pathRange.start.character, link.pathRange.end.character), '노트');
  });

  it('reads headings (ATX with closing hashes, setext, bold) with their text ranges', () => {
    const note = parseNote('# One #\n\nTwo\n---\n\n## **Bold** heading\n');
    assert.deepEqual(note.headings.map((h) => [h.level, h.text]), [[1, 'One'], [2, 'Two'], [2, '**Bold** heading']]);
    assert.deepEqual(note.headings[0].textRange, { start: { line: 0, character: 2 }, end: { line: 0, character: 5 } });
    assert.equal(note.headings[2].matchKey, 'bold heading');
  });

  it('reads markdown links and images, URL-decoded, with <...> destinations and titles', () => {
    const note = parseNote('[a](My%20Note.md#My%20Heading) [b](<Other Note.md>) ![c](img/x.png "title") [d](https://example.com/#x) [e](#local)');
    assert.deepEqual(note.links.map((l) => [l.kind, l.embed, l.path, l.external]), [
      ['markdown', false, 'My Note.md', false],
      ['markdown', false, 'Other Note.md', false],
      ['markdown', true, 'img/x.png', false],
      ['markdown', false, 'https://example.com/#x', true],
      ['markdown', false, '', false],
    ]);
    assert.deepEqual(note.links[0].subpath, { kind: 'heading', headings: ['My Heading'] });
  });

  it('reads tags: nested, Korean, not numbers, not inside words or URLs', () => {
    const note = parseNote('#tag #a/b #한글 #123 a#b http://x.com/#frag (#not) #tag_2-x');
    assert.deepEqual(note.tags.map((t) => t.name), ['tag', 'a/b', '한글', 'tag_2-x']);
  });

  it('reads block ids at line ends, alone after a list, and after an embed', () => {
    const note = parseNote('A paragraph ^para-1\n\n- item\n- item\n\n^list-id\n\n![[image.png]]^image-id\n');
    assert.deepEqual(note.blocks.map((b) => [b.id, b.line]), [['para-1', 0], ['list-id', 3], ['image-id', 7]]);
  });

  it('parses front matter: title, aliases, tags as a string or a list', () => {
    const note = parseNote('---\ntitle: My Title\naliases: [First, Second]\ntags: one, two/sub\n---\n# Body');
    assert.equal(note.frontMatter?.title, 'My Title');
    assert.deepEqual(note.frontMatter?.aliases, ['First', 'Second']);
    assert.deepEqual(note.frontMatter?.tags, ['one', 'two/sub']);
    assert.deepEqual(note.headings.map((h) => h.text), ['Body']);
  });

  it('reports broken front matter with a range and keeps the rest of the note', () => {
    const note = parseNote('---\ntitle: [unclosed\n---\n# Still here\n[[Link]]');
    assert.equal(note.frontMatter?.errors.length, 1);
    assert.equal(note.frontMatter?.errors[0].range.start.line, 2);
    assert.deepEqual(note.headings.map((h) => h.text), ['Still here']);
    assert.equal(note.links.length, 1);
  });

  it('never throws on arbitrary bytes', () => {
    let seed = 42;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const alphabet = ['[', ']', '[[', ']]', '#', '^', '|', '!', '`', '```', '$', '$$', '%%', '<!--', '-->', '---', '\n', ' ', 'a', '한', '😀', '\\', '(', ')', '<', '>', '\u0000', '\uFFFD', '\r\n'];
    for (let round = 0; round < 300; round++) {
      let text = '';
      for (let i = 0; i < 200; i++) text += alphabet[Math.floor(random() * alphabet.length)];
      const note = parseNote(text);
      for (const link of note.links) assert.ok(link.range.start.line <= link.range.end.line);
    }
  });
});
