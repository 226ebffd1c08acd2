import * as assert from 'node:assert/strict';
import type { MarkupContent } from 'vscode-languageserver-types';
import { HOVER_MAX_LINES } from '../../server/src/features/hover';
import { LINE_NOTE, openVault, seedFiles, withCursor } from '../kit/vault';

/** The hover text at the `$0` cursor of `note`, in a vault of `files`. */
async function hoverAt(files: Record<string, string>, note: string, textWithCursor: string): Promise<string | undefined> {
  const { text, position } = withCursor(textWithCursor);
  const vault = await openVault({ ...files, [note]: text });
  vault.service.setDocumentText(vault.uri(note), text);
  const hover = await vault.service.getHover(vault.uri(note), position);
  return hover ? (hover.contents as MarkupContent).value : undefined;
}

describe('hover previews', () => {
  it("previews a heading's section, to the next heading of the same or a higher level", async () => {
    const target = '# Top\nintro\n## Part\nline one\n### Deeper\nstill in Part\n## Next\nnot shown\n';
    const value = await hoverAt({ 'Target.md': target }, 'a.md', 'See [[Tar$0get#Part]].');
    assert.ok(value);
    assert.match(value, /## Part\nline one\n### Deeper\nstill in Part/);
    assert.doesNotMatch(value, /not shown|intro/);
  });

  it("previews a note's start without its front matter, with its title and aliases", async () => {
    const target = '---\ntitle: The Target\naliases: [TT, Tgt]\n---\nFirst line of prose.\n';
    const value = await hoverAt({ 'Target.md': target }, 'a.md', '[[Tar$0get]]');
    assert.ok(value);
    assert.match(value, /\*\*The Target\*\*/);
    assert.match(value, /TT, Tgt/);
    assert.match(value, /First line of prose\./);
    assert.doesNotMatch(value, /aliases:/);
  });

  it('previews a block by its line', async () => {
    const value = await hoverAt({ 'Target.md': 'one\nthe block line ^blk\nthree\n' }, 'a.md', '[[Target#^b$0lk]]');
    assert.match(value ?? '', /the block line/);
    assert.doesNotMatch(value ?? '', /three/);
  });

  it('cuts a long section and says how many lines were left out', async () => {
    const lines = Array.from({ length: 50 }, (_, i) => `line ${i}`);
    const value = await hoverAt({ 'Long.md': `# Long\n${lines.join('\n')}\n` }, 'a.md', '[[Lo$0ng#Long]]');
    assert.match(value ?? '', new RegExp(`… ${51 - HOVER_MAX_LINES} more lines`));
  });

  it('shows an existing image embed as the image, by its file URI', async () => {
    const { text, position } = withCursor('![[pi$0c.png]]');
    const vault = await openVault({ 'a.md': text, 'img/pic.png': 'png' });
    vault.service.setDocumentText(vault.uri('a.md'), text);
    const hover = await vault.service.getHover(vault.uri('a.md'), position);
    assert.match((hover!.contents as MarkupContent).value, new RegExp(`!\\[img/pic\\.png\\]\\(${vault.uri('img/pic.png').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\)`));
  });

  it('explains a broken link and names the closest match', async () => {
    const value = await hoverAt({ 'DEVIEW 2018.md': '# D\n' }, 'a.md', '[[DEVEIW 20$018]]');
    assert.match(value ?? '', /No note named "DEVEIW 2018"/);
    assert.match(value ?? '', /Closest match: DEVIEW 2018/);
  });

  it('previews the [[#Idea|Idea]] table-of-contents link of the Line note with its section', async () => {
    const files = seedFiles();
    const text = files[LINE_NOTE];
    const vault = await openVault(files);
    const lines = text.split('\n');
    const line = lines.findIndex((l) => l.includes('[[#Idea|Idea]]'));
    const hover = await vault.service.getHover(vault.uri(LINE_NOTE), { line, character: lines[line].indexOf('[[#Idea') + 4 });
    assert.match((hover!.contents as MarkupContent).value, /^# Idea/m);
  });

  it('gives no hover outside links, nor on remote links (nothing is fetched)', async () => {
    assert.equal(await hoverAt({}, 'a.md', 'plain te$0xt'), undefined);
    assert.equal(await hoverAt({}, 'a.md', '![x](https://exa$0mple.com/x.png)'), undefined);
  });
});
