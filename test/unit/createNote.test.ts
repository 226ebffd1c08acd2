import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import type { CodeAction, DocumentLink } from 'vscode-languageserver-types';
import { applyWorkspaceEdit } from '../kit/edits';
import { openVault, type TestVault } from '../kit/vault';

/**
 * Following a link to a missing note creates it (issue 13), as Obsidian does:
 * in the folder `.obsidian/app.json` names, empty, or with the heading the link
 * asks for; never outside the vault, never with a name a file cannot have.
 */

const EVERYWHERE = { start: { line: 0, character: 0 }, end: { line: 1000, character: 0 } };
const CREATE = 'vaultlink.createNote';

function createActions(vault: TestVault, note: string): CodeAction[] {
  const uri = vault.uri(note);
  return vault.service.getCodeActions(uri, EVERYWHERE, vault.service.getDiagnostics(uri)).filter((action) => action.title.startsWith('Create note'));
}

/** The links of a note that create a note when clicked, with the path each would create. */
function creatingLinks(vault: TestVault, note: string): DocumentLink[] {
  return vault.service.getDocumentLinks(vault.uri(note), { createNoteCommand: CREATE }).filter((link) => link.target?.startsWith('command:'));
}

/** Follows the link at `character` of line 0, applies the edit as the client does, and returns the created note's path and text. */
async function follow(vault: TestVault, note: string, character: number): Promise<{ path: string; text: string } | undefined> {
  const followed = await vault.service.followLink(vault.uri(note), { line: 0, character });
  if (!followed) return undefined;
  if (followed.edit) await applyWorkspaceEdit(vault, followed.edit, new Map());
  const relative = decodeURIComponent(followed.uri.slice(vault.fs.rootUri.length + 1));
  return { path: relative, text: new TextDecoder().decode(await vault.fs.readFile(followed.uri)) };
}

/** Independent of the code under test: whether a file URI lies inside the root once `.` and `..` are resolved. */
function isInside(uri: string, rootUri: string): boolean {
  const resolve = (p: string) => path.posix.resolve('/', p.replace(/\\/g, '/'));
  const root = resolve(URI.parse(rootUri).path);
  const target = resolve(URI.parse(uri).path);
  return target.startsWith(`${root}/`);
}

describe('create note from a link to a missing note', () => {
  it('creates an empty note for [[Missing note]] at the vault root by default, and the link then resolves', async () => {
    const vault = await openVault({ 'daily/a.md': 'See [[Missing note]].' });
    assert.deepEqual(await follow(vault, 'daily/a.md', 8), { path: 'Missing note.md', text: '' });
    assert.deepEqual(vault.service.getDiagnostics(vault.uri('daily/a.md')), []);
  });

  it('writes the heading of [[Missing#Heading]] (and a heading path as nested headings), so the link resolves to it', async () => {
    const vault = await openVault({ 'a.md': '[[Missing#Plan for May]] [[Deep#Part#Detail]]' });
    assert.deepEqual(await follow(vault, 'a.md', 3), { path: 'Missing.md', text: '# Plan for May\n' });
    assert.deepEqual(await follow(vault, 'a.md', 30), { path: 'Deep.md', text: '# Part\n\n## Detail\n' });
    assert.deepEqual(vault.service.getDiagnostics(vault.uri('a.md')), [], 'both links resolve, headings included');
  });

  for (const [app, expected] of [
    ['{"newFileLocation":"root"}', 'New idea.md'],
    ['{"newFileLocation":"current"}', 'daily/2024/New idea.md'],
    ['{"newFileLocation":"folder","newFileFolderPath":"inbox/ideas"}', 'inbox/ideas/New idea.md'],
    ['{"newFileLocation":"folder","newFileFolderPath":"/inbox/"}', 'inbox/New idea.md'],
    ['{"newFileLocation":"folder","newFileFolderPath":"../outside"}', 'New idea.md'],
    ['{"newFileLocation":"elsewhere"}', 'New idea.md'],
    ['not json', 'New idea.md'],
  ] as const) {
    it(`puts the note where app.json ${app} says: ${expected}`, async () => {
      const vault = await openVault({ 'daily/2024/a.md': '[[New idea]]', '.obsidian/app.json': app });
      assert.deepEqual(createActions(vault, 'daily/2024/a.md').map((action) => action.title), [`Create note "${expected}"`], 'the code action creates the same note');
      assert.deepEqual(await follow(vault, 'daily/2024/a.md', 4), { path: expected, text: '' });
      assert.deepEqual(vault.service.getDiagnostics(vault.uri('daily/2024/a.md')), [], 'the link resolves to the new note');
    });
  }

  it('puts a link with folders at that path from the vault root, and ./x, ../x beside the linking note', async () => {
    const vault = await openVault({ 'talks/day1/a.md': '[[people/Speaker]] [[../Venue]] [[./Slides]]', '.obsidian/app.json': '{"newFileLocation":"folder","newFileFolderPath":"inbox"}' });
    assert.equal((await follow(vault, 'talks/day1/a.md', 3))?.path, 'people/Speaker.md');
    assert.equal((await follow(vault, 'talks/day1/a.md', 22))?.path, 'talks/Venue.md');
    assert.equal((await follow(vault, 'talks/day1/a.md', 35))?.path, 'talks/day1/Slides.md');
  });

  it('makes the document link of a missing note a click that creates it, for a client with the command', async () => {
    const vault = await openVault({ 'a.md': '[[Missing#Part]] [[b]] ![[gone.png]] [t](Other.md) [[../x]]', 'b.md': '' });
    const links = creatingLinks(vault, 'a.md');
    assert.deepEqual(links.map((link) => link.tooltip), ['Create note "Missing.md"', 'Create note "Other.md"'], 'not the image, not the link out of the vault');
    const [command, query] = links[0].target!.split('?');
    assert.equal(command, `command:${CREATE}`);
    assert.deepEqual(JSON.parse(decodeURIComponent(query)), [vault.uri('a.md'), { line: 0, character: 0 }]);
    assert.deepEqual(creatingLinks(await openVault({ 'a.md': '[[Missing]]' }), 'a.md').length, 1);
    assert.deepEqual(vault.service.getDocumentLinks(vault.uri('a.md')).map((link) => link.target), [vault.uri('b.md')], 'a client without the command gets only links that resolve');
  });

  it('opens, not creates, a note that exists by the time the link is followed', async () => {
    const vault = await openVault({ 'a.md': '[[Later]]' });
    vault.fs.write('Later.md', '# Later\n');
    await vault.service.fileChanged(vault.uri('Later.md'));
    assert.deepEqual(await vault.service.followLink(vault.uri('a.md'), { line: 0, character: 3 }), { uri: vault.uri('Later.md') });
  });

  it('never creates a file a user did not name: not for a link to an existing note, an image, a heading in this note, plain text', async () => {
    const vault = await openVault({ 'a.md': '[[b]] ![[gone.png]] [[#Nope]] text https://example.com/x', 'b.md': '' });
    for (const character of [2, 10, 23, 32, 45]) {
      const followed = await vault.service.followLink(vault.uri('a.md'), { line: 0, character });
      assert.ok(!followed?.edit, `character ${character}: ${JSON.stringify(followed)}`);
    }
  });

  const HOSTILE = [
    '../../x',
    '../../etc/passwd',
    'sub/../../x',
    '/../x',
    '..\\..\\x',
    'C:\\Windows\\x',
    'C:x',
    '\\\\server\\share\\x',
    '//server/x',
    '~/x',
    'file:///etc/x',
    '%2e%2e/x',
    '%2E%2E/%2e%2e/x',
    'a/%2e%2e/%2e%2e/x',
    'what?',
    'a*b',
    'say "hi"',
    'a<b>',
    'ratio 1:2',
    'x^y',
    'tab\there',
    'CON',
    'nul.txt',
    '.hidden',
    'folder/.git/x',
    'folder./x',
    'x'.repeat(256),
    '한'.repeat(90),
  ];
  for (const name of HOSTILE) {
    it(`creates nothing for [[${name.length > 40 ? `${name.slice(0, 12)}… (${name.length})` : name}]]: outside the vault or a name a file cannot have`, async () => {
      const vault = await openVault({ 'notes/a.md': `[[${name}]]`, '.obsidian/app.json': '{"newFileLocation":"current"}' });
      assert.equal(await vault.service.followLink(vault.uri('notes/a.md'), { line: 0, character: 3 }), undefined);
      assert.deepEqual(createActions(vault, 'notes/a.md'), []);
      assert.deepEqual(creatingLinks(vault, 'notes/a.md'), []);
    });
  }

  it('creates nothing outside the vault from a markdown link, whose path is URL-decoded', async () => {
    const vault = await openVault({ 'a.md': '[t](%2e%2e/x.md) [u](..%2F..%2Fy.md) [v](%2Fetc%2Fz.md)' });
    for (const action of createActions(vault, 'a.md')) {
      for (const change of action.edit?.documentChanges ?? []) if ('kind' in change && change.kind === 'create') assert.ok(isInside(change.uri, vault.fs.rootUri), change.uri);
    }
    for (const character of [2, 19, 38]) {
      const followed = await vault.service.followLink(vault.uri('a.md'), { line: 0, character });
      if (followed) assert.ok(isInside(followed.uri, vault.fs.rootUri), followed.uri);
    }
  });

  it('keeps a harmless name whole: spaces, Korean, dots inside, a folder that stays inside', async () => {
    const vault = await openVault({ 'a.md': '[[회의 노트 v1.2]] [[ideas/../Other idea]]' });
    assert.equal((await follow(vault, 'a.md', 3))?.path, '회의 노트 v1.2.md');
    assert.equal((await follow(vault, 'a.md', 20))?.path, 'Other idea.md');
  });

  it('fails rather than overwrite: the edit refuses a file that is already there', async () => {
    const vault = await openVault({ 'a.md': '[[New]]' });
    const followed = await vault.service.followLink(vault.uri('a.md'), { line: 0, character: 3 });
    const [create] = followed!.edit!.documentChanges;
    assert.ok('kind' in create && create.kind === 'create');
    assert.deepEqual(create.options, { overwrite: false, ignoreIfExists: false });
  });
});
