import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import type { CodeAction } from 'vscode-languageserver-types';
import { createVaultService } from '../../server/src/index';
import { containedRelativePath, isInsideVault, isLexicallyInside, lexicalRelativePath, locateInVault, vaultPathOf } from '../../server/src/core/containment';
import { InThreadNoteSource } from '../../server/src/core/noteSource';
import { parseNote } from '../../server/src/core/parser';
import { isUserIgnored, parseVaultConfig } from '../../server/src/core/vaultConfig';
import { FileParseCacheStorage } from '../../server/src/node/fileParseCacheStorage';
import { keepActionsInsideVault, uriTargetsOf } from '../../server/src/features/codeActions';
import { NodeFileSystem, realPathOf } from '../../server/src/node/nodeFileSystem';
import { WorkerNoteSource } from '../../server/src/node/workerNoteSource';
import { InMemoryFileSystem } from '../kit/inMemoryFileSystem';
import { openVault, type TestVault } from '../kit/vault';

/**
 * Issue 11, "Safety": nothing Vaultlink writes or reads lies outside the vault,
 * and a vault's own regular expressions cannot stall the server.
 */

const EVERYWHERE = { start: { line: 0, character: 0 }, end: { line: 1000, character: 0 } };
const REVEAL = 'test.revealFolder';

/**
 * The oracle, independent of the code under test: a file URI's path with `.`
 * and `..` resolved (backslashes counted as separators, as Windows would) and
 * NFC, compared with the root's by whole segments.
 */
function isOutside(uri: string, rootUri: string): boolean {
  const target = URI.parse(uri);
  const root = URI.parse(rootUri);
  if (target.scheme !== root.scheme || target.authority !== root.authority) return true;
  const resolve = (p: string) => path.posix.resolve('/', p.replace(/\\/g, '/')).normalize('NFC');
  const rootPath = resolve(root.path);
  const targetPath = resolve(target.path);
  return targetPath !== rootPath && !targetPath.startsWith(rootPath.replace(/\/$/, '') + '/');
}

function actionsFor(vault: TestVault, note: string): CodeAction[] {
  const uri = vault.uri(note);
  return vault.service.getCodeActions(uri, EVERYWHERE, vault.service.getDiagnostics(uri), undefined, { revealFolderCommand: REVEAL });
}

function assertNothingOutside(vault: TestVault, note: string): CodeAction[] {
  const actions = actionsFor(vault, note);
  for (const action of actions) {
    for (const uri of uriTargetsOf(action)) assert.ok(!isOutside(uri, vault.fs.rootUri), `"${action.title}" targets ${uri}, outside the vault ${vault.fs.rootUri}`);
  }
  return actions;
}

const titles = (actions: readonly CodeAction[]) => actions.map((action) => action.title);

describe('safety: quick fixes never write outside the vault (issue 11, item 7)', () => {
  it('offers no "Create note" for a link that climbs out of the vault', async () => {
    for (const link of ['[[../outside/escape-target]]', '[[sub/../../outside/escape-target]]', '[[/../outside/escape-target]]', '[[..\\outside\\escape-target]]', '[[%2e%2e/outside/escape-target]]']) {
      const vault = await openVault({ 'a.md': `x ${link} y` });
      const actions = assertNothingOutside(vault, 'a.md');
      assert.ok(!titles(actions).some((title) => title.startsWith('Create note') && title.includes('..')), `${link}: ${titles(actions).join(' | ')}`);
    }
  });

  it('still creates a note in a subfolder, and a link with a harmless ".." inside the vault', async () => {
    const vault = await openVault({ 'a.md': '[[ideas/New idea]] [[ideas/../Other idea]]' });
    const offered = titles(assertNothingOutside(vault, 'a.md'));
    assert.ok(offered.includes('Create note "ideas/New idea.md"'), offered.join(' | '));
  });

  it('creates a note for ./x and ../x where the link will find it: beside the linking note', async () => {
    const vault = await openVault({ 'talks/day1/a.md': '[[../Speaker]] [[./Slides]] [t](../../Top.md)' });
    const offered = titles(assertNothingOutside(vault, 'talks/day1/a.md'));
    for (const title of ['Create note "talks/Speaker.md"', 'Create note "talks/day1/Slides.md"', 'Create note "Top.md"']) assert.ok(offered.includes(title), `${title}: ${offered.join(' | ')}`);
  });

  it('never prepends a heading to a file that exists but the index does not know', async () => {
    const vault = await openVault({ 'a.md': '[[New idea]]' });
    const create = actionsFor(vault, 'a.md').find((action) => action.title === 'Create note "New idea.md"');
    const change = create?.edit?.documentChanges?.[0];
    assert.ok(change && 'kind' in change && change.kind === 'create');
    assert.deepEqual(change.options, { overwrite: false, ignoreIfExists: false }, 'the edit fails on an existing file rather than editing it');
  });

  for (const folder of ['../../x', '../', '..', '/../x', 'inbox/../../x', '..\\..\\x', 'C:\\Windows\\Temp', '~/x', 'file:///etc']) {
    it(`ignores newFileFolderPath ${JSON.stringify(folder)}: new notes go to the vault root`, async () => {
      const app = JSON.stringify({ newFileLocation: 'folder', newFileFolderPath: folder });
      const vault = await openVault({ 'daily/a.md': '[[New idea]]', '.obsidian/app.json': app });
      const offered = titles(assertNothingOutside(vault, 'daily/a.md'));
      assert.ok(offered.includes('Create note "New idea.md"'), offered.join(' | '));
    });
  }

  for (const folder of ['../', '..', '../../x', './../../x', '/../x', '..\\x', 'C:\\Windows', '~/attachments']) {
    it(`ignores attachmentFolderPath ${JSON.stringify(folder)}: the reveal fix shows the vault folder`, async () => {
      const app = JSON.stringify({ attachmentFolderPath: folder });
      const vault = await openVault({ 'talks/a.md': 'x ![[slide 1.png]]', '.obsidian/app.json': app });
      const actions = assertNothingOutside(vault, 'talks/a.md');
      const reveal = actions.find((action) => action.title.startsWith('Reveal'));
      assert.ok(reveal, titles(actions).join(' | '));
      assert.deepEqual(reveal.command?.arguments, [vault.fs.rootUri]);
    });
  }

  it('keeps a vault-absolute attachment folder ("/etc" is the vault\'s etc/, as in Obsidian)', async () => {
    const vault = await openVault({ 'talks/a.md': 'x ![[slide 1.png]]', '.obsidian/app.json': '{"attachmentFolderPath":"/etc"}' });
    const reveal = assertNothingOutside(vault, 'talks/a.md').find((action) => action.title.startsWith('Reveal'));
    assert.deepEqual(reveal?.command?.arguments, [vault.uri('etc')]);
  });

  it('says in the vault config why a folder setting was ignored', () => {
    const config = parseVaultConfig(JSON.stringify({ newFileLocation: 'folder', newFileFolderPath: '../../x', attachmentFolderPath: '../y' }));
    assert.equal(config.newFileFolderPath, '');
    assert.equal(config.attachmentFolderPath, '/');
    assert.equal(config.warnings?.length, 2, String(config.warnings));
    assert.match(config.warnings![0], /newFileFolderPath/);
    assert.match(config.warnings![1], /attachmentFolderPath/);
  });
});

describe('safety: the containment helper, lexically', () => {
  const root = 'file:///vault';

  it('takes the root itself and what is below it, with trailing slashes or not', () => {
    assert.equal(lexicalRelativePath(root, 'file:///vault'), '');
    assert.equal(lexicalRelativePath(root, 'file:///vault/'), '');
    assert.equal(lexicalRelativePath('file:///vault/', 'file:///vault/a.md'), 'a.md');
    assert.equal(lexicalRelativePath(root, 'file:///vault/sub/'), 'sub');
    assert.equal(lexicalRelativePath(root, 'file:///vault//sub///b.md'), 'sub/b.md');
    assert.equal(lexicalRelativePath(root, 'file:///vault/./sub/./b.md'), 'sub/b.md');
  });

  it('resolves .. before deciding, however it is spelled', () => {
    assert.equal(lexicalRelativePath(root, 'file:///vault/a/../b.md'), 'b.md');
    assert.equal(lexicalRelativePath(root, 'file:///vault/../vault/b.md'), 'b.md');
    for (const outside of ['file:///vault/..', 'file:///vault/../x.md', 'file:///vault/a/../../x.md', 'file:///vault/%2e%2e/x.md', 'file:///vault/%2E%2E/x.md', 'file:///vault/..%2Fx.md', 'file:///vault/..%5Cx.md', 'file:///vault/a%5C..%5C..%5Cx.md', 'file:///x.md', 'file:///']) {
      assert.equal(lexicalRelativePath(root, outside), undefined, outside);
      assert.equal(isLexicallyInside(root, outside), false, outside);
    }
  });

  it('compares whole segments: vault2/ is not in vault/', () => {
    assert.equal(isLexicallyInside(root, 'file:///vault2/a.md'), false);
    assert.equal(isLexicallyInside(root, 'file:///vaul'), false);
    assert.equal(isLexicallyInside('file:///home/u/notes', 'file:///home/u/notes-old/a.md'), false);
  });

  it('compares names after NFC, and drive letters in either case', () => {
    const nfc = '한글'.normalize('NFC');
    const nfd = '한글'.normalize('NFD');
    assert.notEqual(nfc, nfd);
    assert.equal(lexicalRelativePath(URI.file(`/${nfc}`).toString(), URI.file(`/${nfd}/a.md`).toString()), 'a.md');
    assert.equal(lexicalRelativePath(URI.file(`/${nfd}`).toString(), URI.file(`/${nfc}/b.md`).toString()), 'b.md');
    assert.equal(lexicalRelativePath('file:///c%3A/Users/v', 'file:///C:/Users/v/a.md'), 'a.md');
  });

  it('keeps schemes and hosts apart', () => {
    assert.equal(isLexicallyInside(root, 'untitled:/vault/a.md'), false);
    assert.equal(isLexicallyInside(root, 'file://server/vault/a.md'), false);
    assert.equal(isLexicallyInside('file://server/share', 'file://SERVER/share/a.md'), true);
  });

  it('reads vault-supplied paths vault-relative, refusing what leaves the vault', () => {
    assert.equal(containedRelativePath('inbox'), 'inbox');
    assert.equal(containedRelativePath('/inbox/'), 'inbox');
    assert.equal(containedRelativePath('/'), '');
    assert.equal(containedRelativePath('a/../b'), 'b');
    assert.equal(containedRelativePath('Notes: 2024'), 'Notes: 2024');
    for (const outside of ['..', '../', '../x', 'a/../../x', '/../x', '..\\x', 'a\\..\\..\\x', 'C:\\x', 'c:x', '\\\\server\\share', '//host/x', '~', '~/x', 'file:///etc', 'vscode-remote://x/y']) {
      assert.equal(containedRelativePath(outside), undefined, outside);
    }
  });

  it('without realPath, decides lexically', async () => {
    const memory = new InMemoryFileSystem({ 'a.md': '' });
    assert.deepEqual(await locateInVault(memory, memory.rootUri, memory.uri('sub/../a.md')), { inside: true, relativePath: 'a.md', throughLink: false });
    assert.equal(await isInsideVault(memory, memory.rootUri, `${memory.rootUri}/../x.md`), false);
  });
});

describe('safety: the containment helper, on real paths (symbolic links in a temp folder)', () => {
  let tree: ReturnType<typeof tempTree>;
  let vault: string;
  let elsewhere: string;
  const nodeFs = new NodeFileSystem();
  const uriOf = (...segments: string[]) => URI.file(path.join(...segments)).toString();

  beforeEach(() => {
    tree = tempTree();
    vault = path.join(tree.dir, 'vault');
    elsewhere = path.join(tree.dir, 'elsewhere');
    fs.mkdirSync(path.join(vault, 'sub'), { recursive: true });
    fs.mkdirSync(elsewhere);
    fs.writeFileSync(path.join(vault, 'a.md'), '# A\n');
    fs.writeFileSync(path.join(elsewhere, 'private.md'), '# Private\n');
    fs.symlinkSync(path.join(elsewhere, 'private.md'), path.join(vault, 'leak.md'));
    fs.symlinkSync(elsewhere, path.join(vault, 'linkdir'), 'dir');
    fs.symlinkSync(path.join(vault, 'a.md'), path.join(vault, 'alias.md'));
    fs.symlinkSync(path.join(elsewhere, 'missing.md'), path.join(vault, 'dangling.md'));
    fs.symlinkSync(vault, path.join(tree.dir, 'vault-link'), 'dir');
  });
  afterEach(() => tree.cleanup());

  it('resolves a path that does not exist yet through its deepest existing folder', async () => {
    assert.equal(await realPathOf(path.join(vault, 'new', 'deep', 'note.md')), path.join(vault, 'new', 'deep', 'note.md'));
    assert.equal(await realPathOf(path.join(vault, 'linkdir', 'new', 'note.md')), path.join(elsewhere, 'new', 'note.md'));
    assert.equal(await realPathOf(path.join(vault, 'dangling.md')), path.join(elsewhere, 'missing.md'));
    assert.equal(await nodeFs.realPath(uriOf(tree.dir, 'vault-link', 'a.md')), uriOf(vault, 'a.md'));
  });

  it('follows .. through a link as the disk does, not lexically', async () => {
    // vault/linkdir/.. is the parent of elsewhere on disk: the temp folder, outside the vault.
    // Joined by hand: path.join would take the `..` lexically.
    assert.equal(await realPathOf(`${vault}/linkdir/../x.md`), path.join(tree.dir, 'x.md'));
    assert.equal(await isInsideVault(nodeFs, uriOf(vault), `${uriOf(vault)}/linkdir/../a.md`), false);
  });

  it('refuses what a symbolic link leads outside of the vault, existing or not', async () => {
    const root = uriOf(vault);
    for (const outside of [uriOf(vault, 'leak.md'), uriOf(vault, 'linkdir', 'private.md'), uriOf(vault, 'linkdir', 'new.md'), uriOf(vault, 'linkdir'), uriOf(vault, 'dangling.md')]) {
      assert.equal(isLexicallyInside(root, outside), true, `${outside} looks inside`);
      assert.equal(await isInsideVault(nodeFs, root, outside), false, outside);
      assert.equal(await vaultPathOf(nodeFs, root, outside), undefined, outside);
    }
  });

  it('takes files and new paths inside, also when the vault is opened through a link', async () => {
    for (const root of [uriOf(vault), uriOf(tree.dir, 'vault-link')]) {
      const inVault = (...segments: string[]) => `${root}/${segments.join('/')}`;
      assert.equal(await vaultPathOf(nodeFs, root, inVault('a.md')), 'a.md');
      assert.equal(await vaultPathOf(nodeFs, root, inVault('sub', 'new.md')), 'sub/new.md');
      assert.equal(await vaultPathOf(nodeFs, root, inVault('new', 'deep', 'note.md')), 'new/deep/note.md');
      assert.equal(await isInsideVault(nodeFs, root, root), true);
    }
  });

  it('lets writers use a link that stays in the vault, but readers leave it out as the scanner does', async () => {
    const root = uriOf(vault);
    const where = await locateInVault(nodeFs, root, uriOf(vault, 'alias.md'));
    assert.deepEqual(where, { inside: true, relativePath: 'alias.md', throughLink: true });
    const reasons: string[] = [];
    assert.equal(await vaultPathOf(nodeFs, root, uriOf(vault, 'alias.md'), (why) => reasons.push(why)), undefined);
    assert.match(reasons[0], /symbolic link/);
  });

  it('drops a quick fix whose note would be created through a folder linked out of the vault', async () => {
    fs.writeFileSync(path.join(vault, 'b.md'), '[[linkdir/escape-target]] [[sub/fine]]');
    const service = createVaultService({ fileSystem: nodeFs });
    const root = uriOf(vault);
    service.setRoots([root]);
    await service.indexAll();
    const uri = uriOf(vault, 'b.md');
    const actions = service.getCodeActions(uri, EVERYWHERE, service.getDiagnostics(uri));
    assert.ok(titles(actions).includes('Create note "linkdir/escape-target.md"'), 'the sync, lexical check cannot see the link');
    const kept = await keepActionsInsideVault(nodeFs, root, actions);
    assert.ok(!titles(kept).includes('Create note "linkdir/escape-target.md"'), titles(kept).join(' | '));
    assert.ok(titles(kept).includes('Create note "sub/fine.md"'), titles(kept).join(' | '));
    for (const action of kept) for (const target of uriTargetsOf(action)) assert.ok(await isInsideVault(nodeFs, root, target), target);
  });
});

describe('safety: links never resolve outside the vault', () => {
  it('treats [[../x]], [[/../x]] and [t](../../x.md) as missing, though x.md exists above the vault', async () => {
    // The file system holds /root/x.md and /root/vault/…; the vault is /root/vault.
    const files = { 'x.md': '# Outside\n', 'vault/a.md': '[[../x]] [[/../x]] [t](../../x.md) [u](../x.md) [[../x#Outside]]', 'vault/sub/b.md': '[v](../../x.md)' };
    const memory = new InMemoryFileSystem(files, '/root');
    const service = createVaultService({ fileSystem: memory });
    const rootUri = memory.uri('vault');
    service.setRoots([rootUri]);
    await service.indexAll();
    for (const note of ['vault/a.md', 'vault/sub/b.md']) {
      const uri = memory.uri(note);
      const diagnostics = service.getDiagnostics(uri);
      const links = parseNote(files[note as keyof typeof files]).links;
      assert.equal(diagnostics.filter((d) => /missing/.test(String(d.code))).length, links.length, `${note}: ${diagnostics.map((d) => d.message).join(' | ')}`);
      for (const link of links) {
        for (const target of service.getDefinition(uri, link.pathRange.start)) assert.ok(!isOutside(target.targetUri, rootUri), `${note}: definition at ${target.targetUri}`);
      }
      for (const documentLink of service.getDocumentLinks(uri)) if (documentLink.target) assert.ok(!isOutside(documentLink.target, rootUri), `${note}: document link to ${documentLink.target}`);
      const actions = service.getCodeActions(uri, EVERYWHERE, diagnostics, undefined, { revealFolderCommand: REVEAL });
      for (const action of actions) for (const touched of uriTargetsOf(action)) assert.ok(!isOutside(touched, rootUri), `"${action.title}" targets ${touched}`);
    }
  });
});

/** A folder in the OS temp dir with real files and symbolic links, removed after the tests. */
function tempTree(): { dir: string; cleanup(): void } {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'vaultlink-safety-')));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

function filesBelow(folder: string): string[] {
  if (!fs.existsSync(folder)) return [];
  return fs.readdirSync(folder, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile()).map((entry) => path.join(entry.parentPath, entry.name));
}

describe('safety: the parse cache never lands in a vault through a symbolic link (item 9)', () => {
  let tree: ReturnType<typeof tempTree>;
  beforeEach(() => {
    tree = tempTree();
    fs.mkdirSync(path.join(tree.dir, 'real-vault'));
    fs.writeFileSync(path.join(tree.dir, 'real-vault', 'a.md'), '# A\n[[b]]\n');
    fs.writeFileSync(path.join(tree.dir, 'real-vault', 'b.md'), '# B\n');
  });
  afterEach(() => tree.cleanup());

  async function indexWithCache(rootPath: string, cacheDirectory: string): Promise<string[]> {
    const fileSystem = new NodeFileSystem();
    const logged: string[] = [];
    const service = createVaultService({
      fileSystem,
      logger: { log: (message) => logged.push(message) },
      noteSource: new WorkerNoteSource({ workerScript: path.join(tree.dir, 'no-worker.js'), workers: 0, fallback: new InThreadNoteSource(fileSystem) }),
      parseCache: new FileParseCacheStorage(cacheDirectory, 'build-1'),
    });
    service.setRoots([URI.file(rootPath).toString()]);
    await service.indexAll();
    assert.equal(service.getDiagnostics(URI.file(path.join(rootPath, 'a.md')).toString()).length, 0, 'the vault is indexed all the same');
    return logged;
  }

  it('caches outside the vault as before (the control)', async () => {
    const cache = path.join(tree.dir, 'cache');
    await indexWithCache(path.join(tree.dir, 'real-vault'), cache);
    assert.equal(filesBelow(cache).length, 1);
  });

  it('refuses a cache folder inside the vault when the vault is opened through a symbolic link', async () => {
    fs.symlinkSync(path.join(tree.dir, 'real-vault'), path.join(tree.dir, 'vault-link'), 'dir');
    const cache = path.join(tree.dir, 'real-vault', '.cache', 'parse-cache');
    await indexWithCache(path.join(tree.dir, 'vault-link'), cache);
    assert.deepEqual(filesBelow(path.join(tree.dir, 'real-vault', '.cache')), []);
  });

  it('refuses a cache folder that is a symbolic link into the vault', async () => {
    fs.mkdirSync(path.join(tree.dir, 'real-vault', 'inside'));
    fs.symlinkSync(path.join(tree.dir, 'real-vault', 'inside'), path.join(tree.dir, 'cache-link'), 'dir');
    await indexWithCache(path.join(tree.dir, 'real-vault'), path.join(tree.dir, 'cache-link', 'parse-cache'));
    assert.deepEqual(filesBelow(path.join(tree.dir, 'real-vault', 'inside')), []);
  });
});

describe('safety: FileParseCacheStorage.isInsideFolder, on real paths', () => {
  let tree: ReturnType<typeof tempTree>;
  beforeEach(() => {
    tree = tempTree();
    fs.mkdirSync(path.join(tree.dir, 'vault', 'inside'), { recursive: true });
    fs.mkdirSync(path.join(tree.dir, 'vault2'));
    fs.mkdirSync(path.join(tree.dir, 'cache'));
    fs.symlinkSync(path.join(tree.dir, 'vault'), path.join(tree.dir, 'vault-link'), 'dir');
    fs.symlinkSync(path.join(tree.dir, 'vault', 'inside'), path.join(tree.dir, 'cache-link'), 'dir');
  });
  afterEach(() => tree.cleanup());
  const at = (...segments: string[]) => path.join(tree.dir, ...segments);
  const inside = (cache: string, vault: string) => new FileParseCacheStorage(cache, 'build-1').isInsideFolder(URI.file(vault).toString());

  it('says inside for the spelled and the real paths, existing or not', () => {
    assert.equal(inside(at('vault', '.cache', 'parse-cache'), at('vault')), true, 'spelled inside');
    assert.equal(inside(at('vault'), at('vault')), true, 'the vault itself');
    assert.equal(inside(at('vault', '.cache'), at('vault-link')), true, 'the vault opened through a link');
    assert.equal(inside(at('vault-link', '.cache'), at('vault')), true, 'the cache spelled through the link');
    assert.equal(inside(at('cache-link', 'parse-cache'), at('vault')), true, 'a cache folder linked into the vault');
    assert.equal(inside(at('cache-link', 'parse-cache'), at('vault-link')), true, 'both through links');
  });

  it('says outside for a folder beside the vault, whatever its name shares', () => {
    assert.equal(inside(at('cache', 'parse-cache'), at('vault')), false);
    assert.equal(inside(at('vault2', 'parse-cache'), at('vault')), false);
    assert.equal(inside(at('cache'), at('vault', 'inside', 'deeper')), false, 'a vault inside the cache folder is not written to');
  });

  it('says inside when a link loop keeps the real path from being known', () => {
    fs.symlinkSync(at('loop-b'), at('loop-a'));
    fs.symlinkSync(at('loop-a'), at('loop-b'));
    assert.equal(inside(at('loop-a', 'parse-cache'), at('vault')), true);
  });

  it('neither reads nor writes a cache for a vault its folder is inside, even unasked', async () => {
    const storage = new FileParseCacheStorage(at('cache-link', 'parse-cache'), 'build-1');
    const root = URI.file(at('vault')).toString();
    assert.equal(await storage.open(root), undefined);
    await assert.rejects(storage.create(root), /inside the vault/);
    assert.deepEqual(filesBelow(at('vault')), []);
  });
});

describe('safety: regular expressions from the vault run in linear time (item 10)', () => {
  const hostile = parseVaultConfig(JSON.stringify({ userIgnoreFilters: ['/^(a+)+$/'] }));

  it('matches /^(a+)+$/ against "a"×40 + "b" without backtracking', () => {
    assert.equal(isUserIgnored(hostile, `${'a'.repeat(40)}b.md`), false);
    assert.equal(isUserIgnored(hostile, 'a'.repeat(40)), true);
  });

  it('answers as JavaScript would for the patterns people write', () => {
    const patterns = ['/^templates\\//', '/\\.excalidraw\\.md$/', '/archive/i', '/^daily\\/\\d{4}-\\d{2}-\\d{2}\\.md$/', '/(draft|wip)/', '/^[^/]+\\.png$/', '/\\u0041rchive/', '/^.{3}\\.md$/s', '/^a/m', '/x|^Inbox/y', '/\\bold\\b/', '/^(?:x|y)+\\.md$/', '/\\u{1F600}/u', '/[A-Z]/'];
    const paths = ['templates/t.md', 'notes/templates/t.md', 'Drawing.excalidraw.md', 'Archive/2020.md', 'old archive.md', 'daily/2024-01-31.md', 'daily/2024-1-31.md', 'draft.md', 'a/wip.md', 'pic.png', 'img/pic.png', 'abc.md', 'Inbox/x.md', 'x/Inbox.md', 'the old days.md', 'bold.md', 'xyx.md', '\u{1F600}.md', 'lower.md', '한글.md'];
    for (const filter of patterns) {
      const [, source, flags] = /^\/(.*)\/([a-z]*)$/.exec(filter)!;
      const config = parseVaultConfig(JSON.stringify({ userIgnoreFilters: [filter] }));
      assert.equal(config.warnings, undefined, `${filter} refused: ${String(config.warnings)}`);
      for (const relativePath of paths) assert.equal(isUserIgnored(config, relativePath), new RegExp(source, flags).test(relativePath), `${filter} on ${relativePath}`);
    }
  });

  it('keeps path prefixes as they were', () => {
    const config = parseVaultConfig(JSON.stringify({ userIgnoreFilters: ['templates/', '/archive'] }));
    assert.deepEqual(['templates/a.md', 'archive/b.md', 'notes/templates/c.md', 'd.md'].map((p) => isUserIgnored(config, p)), [true, true, false, false]);
  });

  it('refuses what the linear-time engine cannot run, says so once, and matches nothing with it', () => {
    const refused = ['/(a)\\1/', '/(?<x>a)\\k<x>/', '/^(?=a)/', '/(?!b)a/', '/[^]/', '/a/v', '/a/ii', '/a/q', `/${'a'.repeat(1001)}/`, '/a{1,5000}/'];
    const config = parseVaultConfig(JSON.stringify({ userIgnoreFilters: [...refused, 'keep/'] }));
    assert.equal(config.warnings?.length, refused.length, String(config.warnings));
    for (const warning of config.warnings!) assert.match(warning, /^userIgnoreFilters .*matches nothing\.$/s);
    for (const relativePath of ['aa.md', 'a', 'ab', 'b.md']) assert.equal(isUserIgnored(config, relativePath), false, relativePath);
    assert.equal(isUserIgnored(config, 'keep/x.md'), true, 'the other filters still apply');
  });

  it('completes [[ in a vault with that filter and such a file', async () => {
    const text = '[[aaa';
    const vault = await openVault({ '.obsidian/app.json': JSON.stringify({ userIgnoreFilters: ['/^(a+)+$/', '/(x+x+)+y/'] }), [`${'a'.repeat(40)}b.md`]: '', [`${'x'.repeat(40)}.md`]: '', 'n.md': text });
    vault.service.setDocumentText(vault.uri('n.md'), text);
    const list = vault.service.getCompletions(vault.uri('n.md'), { line: 0, character: text.length });
    assert.ok(list.items.some((item) => item.label === `${'a'.repeat(40)}b`));
  });
});
