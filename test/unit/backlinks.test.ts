import * as assert from 'node:assert/strict';
import type { ICancellationToken } from '../../server/src/core/workspace';
import { findUnlinkedMentions, inlineCodeSpans, MAX_UNLINKED_MENTIONS } from '../../server/src/features/unlinkedMentions';
import { applyTextEdits } from '../kit/edits';
import { LINE_NOTE, openVault, seedFiles, type TestVault } from '../kit/vault';

/** A hand-made vault: folders, two notes named `Target`, aliases, a Korean note with an NFD file name. */
const FILES: Record<string, string> = {
  'Target.md': '---\naliases: [The Goal, 목표]\n---\n# Target\n\nThe body. [[#Target]] links to itself.\n',
  'notes/Target.md': '# Twin\n',
  'a.md': '# A\n\nSee [[Target]] and later [[Target#Target|again]].\n\nNo link: Target is named here.\n',
  'notes/b.md': 'From a folder: [[notes/Target]] opens the twin, [[/Target]] the root one.\n[[Missing note]] [[a#Nope]] ![[pic.png]] ![[gone.png]]\n',
  'pic.png': 'png',
  [`${'라인 데브데이'.normalize('NFD')}.md`]: '# 라인 데브데이\n',
  'c.md': [
    '---',
    'title: Target in front matter does not count',
    '---',
    'target, in lower case, counts.',
    'Inline `Target` code does not count, nor [Target](Target.md) nor [[Target]] links.',
    '```',
    'Target in a fence does not count',
    '```',
    '%% Target in a comment does not count %%',
    'https://example.com/Target does not count, #Target neither, Targets and preTarget are other words.',
    'The Goal is an alias; 목표를 세운다 has a particle; 라인 데브데이에서 too.',
  ].join('\n'),
};

const never: ICancellationToken = { isCancellationRequested: false };

async function backlinksOf(vault: TestVault, path: string) {
  const backlinks = await vault.service.getBacklinks(vault.uri(path), never);
  assert.ok(backlinks, `no backlinks answer for ${path}`);
  return backlinks;
}

async function mentionsOf(vault: TestVault, path: string) {
  const mentions = await vault.service.getUnlinkedMentions(vault.uri(path), never);
  assert.ok(mentions, `no unlinked mentions answer for ${path}`);
  return mentions;
}

describe('backlinks', () => {
  let vault: TestVault;
  before(async () => {
    vault = await openVault(FILES);
  });

  it('groups the links to a note by linking note, each with its line, leaving out the note linking to itself', async () => {
    const backlinks = await backlinksOf(vault, 'Target.md');
    assert.deepEqual(
      backlinks.linked.map((note) => [note.relativePath, note.mentions.length]),
      [
        ['a.md', 2],
        ['c.md', 2],
        ['notes/b.md', 1],
      ],
    );
    assert.equal(backlinks.linkCount, 5);
    const [first, second] = backlinks.linked[0].mentions;
    assert.deepEqual(first.range, { start: { line: 2, character: 4 }, end: { line: 2, character: 14 } });
    assert.equal(first.preview.text, 'See [[Target]] and later [[Target#Target|again]].');
    assert.equal(first.preview.text.slice(...first.preview.highlight), '[[Target]]');
    assert.equal(second.preview.text.slice(...second.preview.highlight), '[[Target#Target|again]]');
    // notes/b.md's [[notes/Target]] opens the twin, not this one.
    assert.equal(backlinks.linked[2].mentions[0].preview.text.slice(...backlinks.linked[2].mentions[0].preview.highlight), '[[/Target]]');
  });

  it("counts the folder twin's links apart", async () => {
    const backlinks = await backlinksOf(vault, 'notes/Target.md');
    assert.deepEqual(backlinks.linked.map((note) => note.relativePath), ['notes/b.md']);
    assert.equal(backlinks.linkCount, 1);
  });

  it('lists the links out, resolved and broken, without web links or links within the note', async () => {
    const outgoing = (await backlinksOf(vault, 'notes/b.md')).outgoing;
    assert.deepEqual(
      outgoing.map((link) => [link.target, link.state, link.embed]),
      [
        ['notes/Target', 'resolved', false],
        ['/Target', 'resolved', false],
        ['Missing note', 'broken', false],
        ['a#Nope', 'broken', false],
        ['pic.png', 'resolved', true],
        ['gone.png', 'broken', true],
      ],
    );
    assert.equal(outgoing[0].targetUri, vault.uri('notes/Target.md'));
    assert.equal(outgoing[1].targetUri, vault.uri('Target.md'));
    assert.equal((await backlinksOf(vault, 'Target.md')).outgoing.length, 0, '[[#Target]] is a link within the note');
  });

  it('answers nothing for a file that is no note of the vault', async () => {
    assert.equal(await vault.service.getBacklinks(vault.uri('nowhere.md'), never), undefined);
  });
});

describe('unlinked mentions', () => {
  it('finds the name and aliases as plain text, never in links, code, comments, web addresses, tags or front matter', async () => {
    const vault = await openVault(FILES);
    const mentions = await mentionsOf(vault, 'Target.md');
    assert.deepEqual(mentions.names, ['Target', 'The Goal', '목표']);
    const found = mentions.notes.flatMap((note) => note.mentions.map((mention) => `${note.relativePath}:${mention.range.start.line}:${mention.text}`));
    assert.deepEqual(found, ['a.md:4:Target', 'c.md:3:target', 'c.md:10:The Goal', 'c.md:10:목표']);
    assert.equal(mentions.complete, true);
    const preview = mentions.notes[0].mentions[0].preview;
    assert.equal(preview.text.slice(...preview.highlight), 'Target');
  });

  it('"Link it" writes [[Note]] for the name as written, [[Note|text]] otherwise, and the text becomes a backlink', async () => {
    const vault = await openVault(FILES);
    const mentions = await mentionsOf(vault, 'Target.md');
    const edits = mentions.notes.flatMap((note) => note.mentions.map((mention) => mention.edit.newText));
    // Two notes are named Target: from the root the shortest unambiguous path is `Target`.
    assert.deepEqual(edits, ['[[Target]]', '[[Target|target]]', '[[Target|The Goal]]', '[[Target|목표]]']);
    const a = mentions.notes[0];
    const text = applyTextEdits(FILES['a.md'], a.mentions.map((mention) => mention.edit));
    assert.equal(text.split('\n')[4], 'No link: [[Target]] is named here.');
    vault.service.setDocumentText(a.uri, text);
    assert.equal((await backlinksOf(vault, 'Target.md')).linked.find((note) => note.relativePath === 'a.md')?.mentions.length, 3);
    assert.deepEqual((await mentionsOf(vault, 'Target.md')).notes.map((note) => note.relativePath), ['c.md']);
  });

  it('where the name is ambiguous, links by the path that opens the note', async () => {
    const vault = await openVault({ ...FILES, 'notes/d.md': 'Target, from the folder.\n' });
    const mentions = await mentionsOf(vault, 'Target.md');
    const d = mentions.notes.find((note) => note.relativePath === 'notes/d.md');
    // An exact vault path wins over the note beside: `Target` opens the root note from anywhere.
    assert.equal(d?.mentions[0].edit.newText, '[[Target]]');
    const twin = await mentionsOf(vault, 'notes/Target.md');
    assert.equal(twin.notes.find((note) => note.relativePath === 'notes/d.md')?.mentions[0].edit.newText, '[[notes/Target|Target]]');
  });

  it('writes a markdown link in a vault set to use them', async () => {
    const vault = await openVault({ '.obsidian/app.json': '{"useMarkdownLinks": true}', 'My Note.md': '# My Note\n', 'x.md': 'About my note [sic].\n' });
    const [note] = (await mentionsOf(vault, 'My Note.md')).notes;
    assert.equal(note.mentions[0].edit.newText, '[my note](My%20Note.md)');
  });

  it('finds a Korean name whose file name is NFD, with a particle after it', async () => {
    const vault = await openVault(FILES);
    const mentions = await mentionsOf(vault, `${'라인 데브데이'.normalize('NFD')}.md`);
    assert.deepEqual(mentions.names, ['라인 데브데이']);
    const [c] = mentions.notes;
    assert.equal(c.relativePath, 'c.md');
    assert.equal(c.mentions[0].text, '라인 데브데이');
    assert.equal(c.mentions[0].edit.newText, '[[라인 데브데이]]');
  });

  it('finds mentions of the Line note in a new note about it', async () => {
    const vault = await openVault({ ...seedFiles(), 'recap.md': '# Recap\n\nI went to 2021 Line Developer Day. See `2021 Line Developer Day` in code.\n' });
    const mentions = await mentionsOf(vault, LINE_NOTE);
    assert.deepEqual(mentions.notes.map((note) => [note.relativePath, note.mentions.length]), [['recap.md', 1]]);
    assert.equal(mentions.notes[0].mentions[0].edit.newText, '[[2021 Line Developer Day]]');
  });

  it('stops at the limit of mentions and says the list is incomplete', async () => {
    const files: Record<string, string> = { 'Word.md': '# Word\n' };
    for (let i = 0; i < 60; i++) files[`n${i}.md`] = 'Word '.repeat(10);
    const vault = await openVault(files);
    const found = await findUnlinkedMentions(vault.service.vaults[0], vault.service.vaults[0].note('Word.md')!, (uri) => vault.fs.readFile(uri).then((bytes) => new TextDecoder().decode(bytes)), never, undefined, 25);
    assert.ok(found);
    assert.equal(found.notes.reduce((sum, note) => sum + note.mentions.length, 0), 25);
    assert.equal(found.complete, false);
    assert.ok(MAX_UNLINKED_MENTIONS >= 100);
  });

  it('reads only one slice of notes after a cancellation, and parses only notes whose text holds the name', async () => {
    const files: Record<string, string> = { 'Word.md': '# Word\n' };
    for (let i = 0; i < 1000; i++) files[`n${String(i).padStart(4, '0')}.md`] = i % 100 === 0 ? 'A Word here.\n' : 'nothing to see\n';
    const vault = await openVault(files);
    const index = vault.service.vaults[0];
    const read = (uri: string) => vault.fs.readFile(uri).then((bytes) => new TextDecoder().decode(bytes));
    const all = { read: 0, parsed: 0 };
    const complete = await findUnlinkedMentions(index, index.note('Word.md')!, read, never, all);
    assert.equal(complete?.notes.length, 10);
    assert.deepEqual(all, { read: 1000, parsed: 10 });
    let checks = 0;
    const cancelled: ICancellationToken = {
      get isCancellationRequested() {
        return checks++ >= 1;
      },
    };
    const stats = { read: 0, parsed: 0 };
    assert.equal(await findUnlinkedMentions(index, index.note('Word.md')!, read, cancelled, stats), undefined);
    assert.ok(stats.read > 0 && stats.read <= 64, `read ${stats.read} notes after the cancellation`);
  });

  it('finds inline code spans in time linear in a hostile line of unmatched backtick runs', () => {
    const runs = Array.from({ length: 2000 }, (_, i) => '`'.repeat(i + 1)).join(' x ');
    assert.deepEqual(inlineCodeSpans(runs), []);
    assert.deepEqual(inlineCodeSpans('a `b` c ``d ` e`` f'), [
      [2, 5],
      [8, 17],
    ]);
  });
});

describe('backlinks code lens', () => {
  it('says "N backlinks" above the first heading, and runs the show-backlinks command with their locations', async () => {
    const vault = await openVault(FILES);
    const [lens] = vault.service.getCodeLenses(vault.uri('Target.md'));
    assert.equal(lens.command?.title, '5 backlinks');
    assert.equal(lens.range.start.line, 3, 'the heading after the front matter');
    assert.equal(lens.command?.command, 'vaultlink.showBacklinks');
    const [uri, , locations] = lens.command!.arguments as [string, unknown, Array<{ uri: string }>];
    assert.equal(uri, vault.uri('Target.md'));
    assert.deepEqual([...new Set(locations.map((location) => location.uri))], [vault.uri('a.md'), vault.uri('c.md'), vault.uri('notes/b.md')]);
  });

  it('stands on line 0 of a note without headings, in the singular for one', async () => {
    const vault = await openVault({ 'x.md': 'no heading\n', 'y.md': '[[x]]\n' });
    const [lens] = vault.service.getCodeLenses(vault.uri('x.md'));
    assert.equal(lens.range.start.line, 0);
    assert.equal(lens.command?.title, '1 backlink');
  });

  it('follows edits in other notes, and is off when the setting says so', async () => {
    const vault = await openVault({ 'x.md': '# X\n', 'y.md': 'none yet\n' });
    assert.equal(vault.service.getCodeLenses(vault.uri('x.md'))[0].command?.title, '0 backlinks');
    vault.service.setDocumentText(vault.uri('y.md'), '[[x]] and [[X]]\n');
    assert.equal(vault.service.getCodeLenses(vault.uri('x.md'))[0].command?.title, '2 backlinks');
    await vault.service.applySettings({ ...vault.service.settings, codeLens: { backlinks: false } });
    assert.deepEqual(vault.service.getCodeLenses(vault.uri('x.md')), []);
  });
});
