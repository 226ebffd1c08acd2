import * as assert from 'node:assert/strict';
import type { CompletionItem, TextEdit } from 'vscode-languageserver-types';
import { completionContextAt } from '../../server/src/features/completion';
import { typeInto, withCursor } from '../kit/vault';

/** Completes at `$0` in `note`, returning the items. */
async function complete(textWithCursor: string, files: Record<string, string> = {}, note = 'current.md'): Promise<CompletionItem[]> {
  const { vault, uri, position } = await typeInto(note, textWithCursor, files);
  return vault.service.getCompletions(uri, position).items;
}

/** The line as it reads after accepting `item`. */
function accept(textWithCursor: string, item: CompletionItem): string {
  const { text, position } = withCursor(textWithCursor);
  const line = text.split('\n')[position.line];
  const edit = item.textEdit as TextEdit;
  return line.slice(0, edit.range.start.character) + edit.newText + line.slice(edit.range.end.character);
}

describe('completion', () => {
  const vaultFiles = {
    'DEVIEW 2018.md': '# DEVIEW 2018\n',
    'people/Kim.md': '---\naliases: [김철수]\n---\n',
    'images/diagram.png': '',
    'Meeting notes.md': '',
  };

  it('never writes ]]] when the editor auto-closed only one bracket ([[|])', async () => {
    const items = await complete('[[DEV$0]', vaultFiles);
    assert.equal(accept('[[DEV$0]', items[0]), '[[DEVIEW 2018]]');
    const headings = await complete('[[DEVIEW 2018#$0]', vaultFiles);
    assert.equal(accept('[[DEVIEW 2018#$0]', headings[0]), '[[DEVIEW 2018#DEVIEW 2018]]');
    const closed = await complete('[[DEV$0]]', vaultFiles);
    assert.equal(accept('[[DEV$0]]', closed[0]), '[[DEVIEW 2018]]', 'a link already closed keeps its two brackets');
  });

  it('lists notes after [[ and inserts the closing brackets only when missing', async () => {
    const items = await complete('[[DEV$0', vaultFiles);
    assert.equal(items[0].label, 'DEVIEW 2018');
    assert.equal(accept('[[DEV$0', items[0]), '[[DEVIEW 2018]]');
    const closed = await complete('[[DEV$0]]', vaultFiles);
    assert.equal(accept('[[DEV$0]]', closed[0]), '[[DEVIEW 2018]]');
  });

  it('replaces the rest of the typed name and keeps a heading and alias already there', async () => {
    const items = await complete('[[DE$0VX#Heading|shown]] after', vaultFiles);
    assert.equal(accept('[[DE$0VX#Heading|shown]] after', items[0]), '[[DEVIEW 2018#Heading|shown]] after');
  });

  it('ranks fuzzily, Korean included, and offers aliases as [[Target|Alias]]', async () => {
    const items = await complete('[[철수$0', vaultFiles);
    assert.equal(items[0].label, '김철수');
    assert.equal(accept('[[철수$0', items[0]), '[[Kim|김철수]]');
    const typo = await complete('[[meting$0', vaultFiles);
    assert.equal(typo[0].label, 'Meeting notes');
  });

  it('puts images first after ![[', async () => {
    const items = await complete('![[$0', vaultFiles);
    assert.equal(items[0].label, 'diagram.png');
    assert.equal(accept('![[$0', items[0]), '![[diagram.png]]');
    assert.ok(items.some((item) => item.label === 'DEVIEW 2018'), 'notes can be embedded too');
  });

  it('lists this note\'s headings after [[# in the form Obsidian writes', async () => {
    const text = '# Intro\n## PIPE: CI/CD + Runtime\n\n[[#$0';
    const items = await complete(text);
    assert.deepEqual(items.map((i) => i.label), ['Intro', 'PIPE: CI/CD + Runtime']);
    assert.equal(accept(text, items[1]), '[[#PIPE CI/CD + Runtime]]');
  });

  it('lists another note\'s headings after [[Note#, and block ids after #^', async () => {
    const files = { 'Other.md': '# Alpha\n# Beta\nA line ^blk-1\n' };
    const headings = await complete('[[Other#Be$0]]', files);
    assert.equal(headings[0].label, 'Beta');
    assert.equal(accept('[[Other#Be$0]]', headings[0]), '[[Other#Beta]]');
    const blocks = await complete('[[Other#^$0', files);
    assert.deepEqual(blocks.map((b) => b.label), ['^blk-1']);
    assert.equal(accept('[[Other#^$0', blocks[0]), '[[Other#^blk-1]]');
  });

  it('completes headings inside markdown links', async () => {
    const text = '# My Heading\n[see](#$0)';
    const items = await complete(text);
    assert.equal(items[0].label, 'My Heading');
    assert.equal(accept(text, items[0]), '[see](#My%20Heading)');
  });

  it('disambiguates same-name notes with just enough folders', async () => {
    const items = await complete('[[Same$0', { 'a/Same.md': '', 'b/Same.md': '' });
    const inserted = items.map((item) => accept('[[Same$0', item)).sort();
    assert.deepEqual(inserted, ['[[a/Same]]', '[[b/Same]]']);
  });

  it('bounds the list in a large vault and marks it incomplete', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 500; i++) files[`note ${i}.md`] = '';
    const { vault, uri, position } = await typeInto('current.md', '[[note$0', files);
    const list = vault.service.getCompletions(uri, position);
    assert.equal(list.isIncomplete, true);
    assert.equal(list.items.length, 50);
  });

  it('offers nothing outside links or while typing an alias', () => {
    assert.equal(completionContextAt('plain text', 5), undefined);
    assert.equal(completionContextAt('[[Note|ali', 10), undefined);
    assert.equal(completionContextAt('[[Done]] and', 12), undefined);
  });

  describe('in a vault set to markdown links (.obsidian/app.json useMarkdownLinks)', () => {
    const files = {
      ...vaultFiles,
      '.obsidian/app.json': '{"useMarkdownLinks": true}',
      'talks/Kafka at scale (2019).md': '# Kafka at scale\n## Q&A and notes\nA paragraph ^quote-1\n',
      '회의/주간 회의.md': '',
    };

    it('writes the picked note as a markdown link, spaces and brackets encoded, Korean readable', async () => {
      const kafka = await complete('See [[kafka$0', files);
      assert.equal(accept('See [[kafka$0', kafka[0]), 'See [Kafka at scale (2019)](Kafka%20at%20scale%20%282019%29.md)');
      const closed = await complete('[[주간$0]] then', files);
      assert.equal(accept('[[주간$0]] then', closed[0]), '[주간 회의](주간%20회의.md) then');
      const alias = await complete('[[철수$0', files);
      assert.equal(accept('[[철수$0', alias[0]), '[김철수](Kim.md)');
    });

    it('embeds an image as ![](path), and links headings and blocks with the heading itself as the fragment', async () => {
      const image = await complete('![[diag$0', files);
      assert.equal(accept('![[diag$0', image[0]), '![](diagram.png)');
      const own = await complete('# Intro\n## Next steps\n[[#Next$0', files);
      assert.equal(accept('[[#Next$0', own.find((item) => item.label === 'Next steps')!), '[Next steps](#Next%20steps)');
      const other = await complete('[[Kafka at scale (2019)#Q&A$0', files);
      assert.equal(accept('[[Kafka at scale (2019)#Q&A$0', other[0]), '[Kafka at scale (2019) > Q&A and notes](Kafka%20at%20scale%20%282019%29.md#Q&A%20and%20notes)');
      const block = await complete('[[Kafka at scale (2019)#^quo$0', files);
      assert.equal(accept('[[Kafka at scale (2019)#^quo$0', block[0]), '[Kafka at scale (2019) > ^quote-1](Kafka%20at%20scale%20%282019%29.md#^quote-1)');
    });

    it('keeps a wiki link when an alias or heading already follows the name being typed', async () => {
      const items = await complete('[[DE$0#Heading|shown]]', files);
      assert.equal(accept('[[DE$0#Heading|shown]]', items[0]), '[[DEVIEW 2018#Heading|shown]]');
    });

    it('links that it writes resolve', async () => {
      const kafka = await complete('[[kafka$0', files);
      const heading = await complete('[[Kafka at scale (2019)#Q&A$0', files);
      const written = `${accept('[[kafka$0', kafka[0])} ${accept('[[Kafka at scale (2019)#Q&A$0', heading[0])} [broken](Nowhere.md)`;
      const { vault, uri } = await typeInto('current.md', `${written}\n$0`, files);
      // Only the link written by hand is reported.
      assert.deepEqual(vault.service.getDiagnostics(uri).map((d) => d.code), ['link.missing-note']);
    });
  });
});
