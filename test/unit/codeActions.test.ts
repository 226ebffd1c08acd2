import * as assert from 'node:assert/strict';
import type { CodeAction } from 'vscode-languageserver-types';
import { applyWorkspaceEdit } from '../kit/edits';
import { LINE_NOTE, openVault, seedFiles, type TestVault } from '../kit/vault';

const EVERYWHERE = { start: { line: 0, character: 0 }, end: { line: 1000, character: 0 } };

/** The quick fixes offered for the whole of `note`. */
function fixesFor(vault: TestVault, note: string): CodeAction[] {
  const uri = vault.uri(note);
  return vault.service.getCodeActions(uri, EVERYWHERE, vault.service.getDiagnostics(uri));
}

/** Applies the fix titled `title` in `note`, then returns the note's text and remaining diagnostic codes. */
async function applyFix(vault: TestVault, note: string, text: string, title: string): Promise<{ text: string; codes: string[] }> {
  const fix = fixesFor(vault, note).find((action) => action.title === title);
  assert.ok(fix, `no fix "${title}"; offered: ${fixesFor(vault, note).map((a) => a.title).join(' | ')}`);
  const texts = new Map([[note, text]]);
  vault.service.setDocumentText(vault.uri(note), text);
  await applyWorkspaceEdit(vault, fix.edit!, texts);
  return { text: texts.get(note)!, codes: vault.service.getDiagnostics(vault.uri(note)).map((d) => String(d.code)) };
}

describe('quick fixes', () => {
  it('offers removing a broken [[#heading]] link within the note, keeping its text, never turning it into [[]]', async () => {
    const text = '# Real\nSee [[#Missing heading|the part]] and [[#Gone]].\n';
    const vault = await openVault({ 'a.md': text });
    const titles = fixesFor(vault, 'a.md').map((action) => action.title);
    assert.ok(!titles.some((title) => title.includes('without the heading')), titles.join(' | '));
    const aliased = await applyFix(vault, 'a.md', text, 'Remove the link, keeping "the part"');
    assert.equal(aliased.text, '# Real\nSee the part and [[#Gone]].\n');
    const plain = await applyFix(vault, 'a.md', aliased.text, 'Remove the link, keeping "Gone"');
    assert.equal(plain.text, '# Real\nSee the part and Gone.\n');
    assert.deepEqual(plain.codes, []);
  });

  it('changes a broken image to the near-identical file, as the preferred fix', async () => {
    const text = 'MLOps ![[what-mlops.PNG]]';
    const vault = await openVault({ 'a.md': text, 'img/What_mlops.png': '', 'img/other.png': '' });
    const fixes = fixesFor(vault, 'a.md');
    assert.equal(fixes[0].title, 'Change to "What_mlops.png"');
    assert.equal(fixes[0].isPreferred, true);
    const result = await applyFix(vault, 'a.md', text, 'Change to "What_mlops.png"');
    assert.equal(result.text, 'MLOps ![[What_mlops.png]]');
    assert.deepEqual(result.codes, []);
  });

  it('offers to remove a broken embed when no similar file exists', async () => {
    const text = 'x ![[nothing-like-it.png]] y';
    const vault = await openVault({ 'a.md': text });
    const result = await applyFix(vault, 'a.md', text, 'Remove the broken embed "nothing-like-it.png"');
    assert.equal(result.text, 'x  y');
    assert.deepEqual(result.codes, []);
  });

  it('removes the whole line of a broken embed alone on its line, leaving no empty line behind', async () => {
    const cases: Array<[before: string, after: string]> = [
      ['# Talk\n![[gone-slide.png]]\nNext line\n', '# Talk\nNext line\n'],
      ['# Talk\n\n![[gone-slide.png]]\n\nNext paragraph\n', '# Talk\n\nNext paragraph\n'],
      ['  ![[gone-slide.png]]  \n# After\n', '# After\n'],
      ['# Talk\n![[gone-slide.png]]', '# Talk'],
      ['Before ![[gone-slide.png]]\nafter\n', 'Before \nafter\n'],
    ];
    for (const [before, after] of cases) {
      const vault = await openVault({ 'a.md': before });
      vault.service.setDocumentText(vault.uri('a.md'), before);
      const result = await applyFix(vault, 'a.md', before, 'Remove the broken embed "gone-slide.png"');
      assert.equal(result.text, after, `from ${JSON.stringify(before)}`);
      assert.deepEqual(result.codes, []);
    }
  });

  it('reveals the attachments folder Obsidian uses, to clients that can reveal a folder', async () => {
    const vault = await openVault({ 'talks/a.md': 'x ![[slide 1.png]]', '.obsidian/app.json': '{"attachmentFolderPath":"./assets"}' });
    const uri = vault.uri('talks/a.md');
    const diagnostics = vault.service.getDiagnostics(uri);
    const titles = (actions: CodeAction[]) => actions.map((action) => action.title);
    assert.ok(!titles(vault.service.getCodeActions(uri, EVERYWHERE, diagnostics)).some((title) => title.startsWith('Reveal')), 'offered to a client without the command');
    const actions = vault.service.getCodeActions(uri, EVERYWHERE, diagnostics, undefined, { revealFolderCommand: 'editor.revealFolder' });
    const reveal = actions.find((action) => action.title === 'Reveal the attachments folder "talks/assets/" to add "slide 1.png"');
    assert.ok(reveal, titles(actions).join(' | '));
    assert.deepEqual(reveal.command, { title: 'Reveal folder', command: 'editor.revealFolder', arguments: [vault.uri('talks/assets')] });
    assert.equal(reveal.edit, undefined, 'revealing a folder never edits the note');
  });

  it('changes a broken heading link to the closest heading', async () => {
    const text = '[[Target#Lupus - MLOps]]';
    const vault = await openVault({ 'a.md': text, 'Target.md': '# Lupus – MLOps 가속화\n# Other\n' });
    const result = await applyFix(vault, 'a.md', text, 'Change to heading "Lupus – MLOps 가속화"');
    assert.equal(result.text, '[[Target#Lupus – MLOps 가속화]]');
    assert.deepEqual(result.codes, []);
  });

  it('creates a missing note, empty as Obsidian makes it, in the folder Obsidian is set to use', async () => {
    const text = '[[New idea]]';
    const vault = await openVault({ 'daily/a.md': text, '.obsidian/app.json': '{"newFileLocation":"folder","newFileFolderPath":"inbox"}' });
    const result = await applyFix(vault, 'daily/a.md', text, 'Create note "inbox/New idea.md"');
    assert.deepEqual(result.codes, []);
    assert.equal(new TextDecoder().decode(await vault.fs.readFile(vault.uri('inbox/New idea.md'))), '');
  });

  it('changes a broken note link to the closest existing note', async () => {
    const text = '[[Meting notes]]';
    const vault = await openVault({ 'a.md': text, 'Meeting notes.md': '' });
    const result = await applyFix(vault, 'a.md', text, 'Change to "Meeting notes"');
    assert.deepEqual(result.codes, []);
  });

  it('changes a broken block link to the closest block id', async () => {
    const text = '[[T#^intro-para]]';
    const vault = await openVault({ 'a.md': text, 'T.md': 'Intro ^intro-paragraph\n' });
    const result = await applyFix(vault, 'a.md', text, 'Change to block "^intro-paragraph"');
    assert.equal(result.text, '[[T#^intro-paragraph]]');
    assert.deepEqual(result.codes, []);
  });

  it('rewrites an ambiguous link to an unambiguous path for each candidate', async () => {
    const text = '[[Same]]';
    const vault = await openVault({ 'x.md': text, 'a/Same.md': '', 'b/Same.md': '' });
    const titles = fixesFor(vault, 'x.md').map((a) => a.title);
    assert.deepEqual(titles, ['Link to "a/Same.md" explicitly ("a/Same")', 'Link to "b/Same.md" explicitly ("b/Same")']);
    const result = await applyFix(vault, 'x.md', text, 'Link to "b/Same.md" explicitly ("b/Same")');
    assert.equal(result.text, '[[b/Same]]');
    assert.deepEqual(result.codes, []);
  });

  it('fixes all unambiguous problems of a note at once, and leaves the rest', async () => {
    const text = '![[what mlops.png]] ![[TLS-1.2.PNG]] ![[unknown.png]]';
    const vault = await openVault({ 'a.md': text, 'What_mlops.png': '', 'TLS_1.2.png': '' });
    const result = await applyFix(vault, 'a.md', text, 'Fix all 2 unambiguous link problems in this note');
    assert.equal(result.text, '![[What_mlops.png]] ![[TLS_1.2.png]] ![[unknown.png]]');
    assert.deepEqual(result.codes, ['link.missing-image']);
    const uri = vault.uri('a.md');
    const fixAll = vault.service.getCodeActions(uri, EVERYWHERE, [], ['source.fixAll']);
    assert.equal(fixAll.length, 0, 'nothing unambiguous is left');
  });

  it('offers a fix for every link problem in the seed vault', async () => {
    const vault = await openVault(seedFiles());
    const uri = vault.uri(LINE_NOTE);
    for (const diagnostic of vault.service.getDiagnostics(uri)) {
      const actions = vault.service.getCodeActions(uri, diagnostic.range, [diagnostic]);
      assert.ok(actions.length > 0, `no fix for ${diagnostic.message}`);
    }
  });
});
