import * as assert from 'node:assert/strict';
import { LINE_NOTE, openVault, seedFiles, typeInto } from '../kit/vault';

describe('definition, references, symbols and links', () => {
  it('goes from a [[#heading|...]] table-of-contents entry to the heading line', async () => {
    const vault = await openVault(seedFiles());
    const uri = vault.uri(LINE_NOTE);
    const [target] = vault.service.getDefinition(uri, { line: 11, character: 8 });
    assert.equal(target.targetUri, uri);
    assert.equal(target.targetRange.start.line, 32, 'the "# Opening Keynote" line');
    assert.deepEqual(target.originSelectionRange, { start: { line: 11, character: 2 }, end: { line: 11, character: 38 } });
  });

  it('goes to notes, headings in other notes, blocks, attachments and markdown links', async () => {
    const { vault, uri } = await typeInto('a.md', '[[B]] [[B#Two]] [[B#^blk]] ![[pic.png]] [m](B.md#two)$0', { 'B.md': '# One\n## Two\nline ^blk\n', 'pic.png': '' });
    const at = (character: number) => vault.service.getDefinition(uri, { line: 0, character })[0];
    assert.equal(at(2).targetUri, vault.uri('B.md'));
    assert.equal(at(2).targetRange.start.line, 0);
    assert.equal(at(10).targetRange.start.line, 1);
    assert.equal(at(20).targetRange.start.line, 2);
    assert.equal(at(30).targetUri, vault.uri('pic.png'));
    assert.equal(at(44).targetRange.start.line, 1);
  });

  it('finds references to a heading, to a note and to an attachment from the backlink index', async () => {
    const vault = await openVault({
      'Target.md': '# Section\n[[#Section]]',
      'a.md': '[[Target]] [[Target#Section]] ![[pic.png]]',
      'b.md': '[[target#section]] [[Other]]',
      'pic.png': '',
    });
    const target = vault.uri('Target.md');
    const headingRefs = vault.service.getReferences(target, { line: 0, character: 3 }, false);
    assert.deepEqual(headingRefs.map((r) => r.uri).sort(), [vault.uri('Target.md'), vault.uri('a.md'), vault.uri('b.md')].sort());
    const noteRefs = vault.service.getReferences(vault.uri('a.md'), { line: 0, character: 3 }, false);
    assert.equal(noteRefs.length, 4, 'every link into Target.md, headings included');
    const imageRefs = vault.service.getReferences(vault.uri('a.md'), { line: 0, character: 33 }, false);
    assert.deepEqual(imageRefs.map((r) => r.uri), [vault.uri('a.md')]);
  });

  it("gives an attachment's references as the paths that name it, as VS Code's markdown features do, so the two lists coincide", async () => {
    const vault = await openVault({ 'a.md': 'See ![[pic.png|300]] and ![alt](pic.png).\n', 'pic.png': '' });
    const refs = vault.service.getReferences(vault.uri('a.md'), { line: 0, character: 8 }, false);
    const text = 'See ![[pic.png|300]] and ![alt](pic.png).';
    assert.deepEqual(refs.map((r) => text.slice(r.range.start.character, r.range.end.character)), ['pic.png', 'pic.png']);
    assert.deepEqual(refs.map((r) => r.range.start.character), [7, 32]);
  });

  it('outlines headings as nested symbols', async () => {
    const vault = await openVault({ 'a.md': '# A\n## A1\n## A2\n# B\n' });
    const symbols = vault.service.getDocumentSymbols(vault.uri('a.md'));
    assert.deepEqual(symbols.map((s) => [s.name, s.children?.map((c) => c.name)]), [['A', ['A1', 'A2']], ['B', []]]);
    assert.equal(symbols[0].range.end.line, 2);
  });

  it('makes every resolving link clickable, headings at their line', async () => {
    const vault = await openVault({ 'a.md': '# H\n[[#H]] [[missing]] [[b]]', 'b.md': '' });
    const links = vault.service.getDocumentLinks(vault.uri('a.md'));
    assert.deepEqual(links.map((l) => l.target), [`${vault.uri('a.md')}#L1`, vault.uri('b.md')]);
  });
});
