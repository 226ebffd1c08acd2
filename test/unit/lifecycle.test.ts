import * as assert from 'node:assert/strict';
import type { Diagnostic, LocationLink } from 'vscode-languageserver-types';
import type { FileKind, IFileSystem } from '../../server/src/core/workspace';
import { createVaultService, parseNote, type VaultService } from '../../server/src/index';
import { InMemoryFileSystem } from '../kit/inMemoryFileSystem';
import { withCursor } from '../kit/vault';

/**
 * The request lifecycle (ARCHITECTURE.md) as the service gives it to every
 * host: what an editor that asks at once, before the vault is listed, gets
 * must be what it gets once everything is indexed.
 */

/** An in-memory vault whose folder listings wait until `release()`: the index has not started, or is slow to list. */
class GatedFileSystem implements IFileSystem {
  readonly inner: InMemoryFileSystem;
  #open!: () => void;
  readonly #gate = new Promise<void>((resolve) => (this.#open = resolve));
  reads = 0;

  constructor(files: Record<string, string>) {
    this.inner = new InMemoryFileSystem(files);
  }

  release(): void {
    this.#open();
  }

  async readDirectory(uri: string): Promise<Array<[string, FileKind]>> {
    await this.#gate;
    return this.inner.readDirectory(uri);
  }

  async readFile(uri: string): Promise<Uint8Array> {
    this.reads++;
    return this.inner.readFile(uri);
  }
}

function codes(diagnostics: Diagnostic[]): string[] {
  return diagnostics.map((d) => `${d.code}@${d.range.start.line}`).sort();
}

async function settled(files: Record<string, string>, open: Record<string, string>): Promise<{ service: VaultService; fs: InMemoryFileSystem }> {
  const fs = new InMemoryFileSystem(files);
  const service = createVaultService({ fileSystem: fs });
  service.setRoots([fs.rootUri]);
  for (const [path, text] of Object.entries(open)) service.rememberOpenText(fs.uri(path), text);
  await service.indexAll();
  return { service, fs };
}

describe('the request lifecycle', () => {
  const files = {
    'a.md': '# A\n\n- [[#Idea|Idea]]\n\n# Idea\n\n[[b#Heading]] [[b#Gone]] ![[missing.png]]\n',
    'b.md': '# Heading\ntext\n',
  };

  it('a request made before the vault is listed waits, and its first answer is the settled one', async () => {
    const fs = new GatedFileSystem(files);
    const service = createVaultService({ fileSystem: fs });
    const uri = fs.inner.uri('a.md');
    service.setRoots([fs.inner.rootUri]);
    service.setDocumentText(uri, files['a.md']);
    const indexing = service.indexAll();
    let ready = false;
    const waiting = service.whenNoteReady(uri).then((value) => (ready = value));
    await new Promise((resolve) => setTimeout(resolve, 30));
    assert.equal(ready, false, 'nothing is ready while the folder is not listed');
    assert.deepEqual(service.getDiagnostics(uri), [], 'asked too early, the index has nothing: which is why hosts wait');
    fs.release();
    assert.equal(await waiting, true);
    const early = service.getDiagnostics(uri);
    const { position } = withCursor(files['a.md'].replace('[[#Idea', '[[#I$0dea'));
    const definition = service.getDefinition(uri, position) as LocationLink[];
    await indexing;

    const reference = await settled(files, { 'a.md': files['a.md'] });
    assert.deepEqual(codes(early), codes(reference.service.getDiagnostics(reference.fs.uri('a.md'))));
    assert.deepEqual(codes(early), ['link.missing-heading@6', 'link.missing-image@6'], 'b.md was read for its headings before the answer');
    assert.equal(definition.length, 1);
    assert.equal(definition[0].targetSelectionRange.start.line, 4, '[[#Idea]] goes to the Idea heading at once');
  });

  it('is bounded: with the listing stuck, a request answers after the timeout from what is indexed', async () => {
    const fs = new GatedFileSystem(files);
    const service = createVaultService({ fileSystem: fs });
    service.setRoots([fs.inner.rootUri]);
    void service.indexAll();
    assert.equal(await service.whenNoteReady(fs.inner.uri('a.md'), undefined, 50), false);
    fs.release();
  });

  it('a note opened while its file is being read keeps its buffer (close, then reopen at once with unsaved text)', async () => {
    const { service, fs } = await settled(files, {});
    const uri = fs.uri('b.md');
    service.setDocumentText(uri, '# Heading\n');
    const closing = service.closeDocument(uri);
    service.setDocumentText(uri, '# Unsaved heading\n');
    await closing;
    assert.deepEqual(
      service.noteFor(uri)!.note.parsed.headings.map((heading) => heading.text),
      ['Unsaved heading'],
      'the disk read that the close started does not replace the reopened buffer',
    );
  });

  it('a note created on disk is reported itself, and a deleted one as removed', async () => {
    const { service, fs } = await settled(files, {});
    const created = fs.write('c.md', '[[nowhere]]\n');
    const added = await service.applyFileEvents([{ uri: created, deleted: false }]);
    assert.ok(added.changed.includes(created), 'the new note gets its own diagnostics');
    assert.equal(service.getDiagnostics(created).length, 1);
    fs.delete('b.md');
    const removed = await service.applyFileEvents([{ uri: fs.uri('b.md'), deleted: true }]);
    assert.deepEqual(removed.removed, [fs.uri('b.md')], 'its diagnostics are cleared');
    assert.ok(removed.changed.includes(fs.uri('a.md')), 'the note linking to it is checked again');
  });

  it('a folder created on disk (one event) brings its notes, not an attachment named like the folder', async () => {
    const { service, fs } = await settled(files, {});
    fs.write('new/x.md', '# X\n');
    fs.write('new/y.png', 'png');
    await service.applyFileEvents([{ uri: fs.uri('new'), deleted: false }]);
    const paths = [...service.vaults[0].files()].map((file) => file.relativePath).sort();
    assert.deepEqual(paths, ['a.md', 'b.md', 'new/x.md', 'new/y.png']);
    assert.ok(service.noteFor(fs.uri('new/x.md')));
  });

  it('a folder of the index that can no longer be listed (made unreadable) takes its notes along', async () => {
    const { service, fs } = await settled({ ...files, 'locked/x.md': '[[nowhere]]\n', 'locked/y.md': '# Y\n' }, {});
    const readDirectory = fs.readDirectory.bind(fs);
    fs.readDirectory = async (uri) => {
      if (uri === fs.uri('locked')) throw Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
      return readDirectory(uri);
    };
    const update = await service.applyFileEvents([{ uri: fs.uri('locked'), deleted: false }]);
    assert.deepEqual([...update.removed].sort(), [fs.uri('locked/x.md'), fs.uri('locked/y.md')]);
    assert.equal(service.stats.notes, 2);
    assert.equal(service.stats.attachments, 0, 'the folder is not taken for an attachment');
  });

  it('an error while indexing leaves the service working: references, re-index and file events', async () => {
    const fs = new InMemoryFileSystem(files);
    let failures = 1;
    const service = createVaultService({
      fileSystem: fs,
      noteSource: {
        stamps: async (_root, paths) => paths.map(() => undefined),
        parseFiles: async (uris, onParsed) => {
          if (failures-- > 0) throw new Error('injected fault');
          for (const uri of uris) onParsed({ uri, parsed: parseNote(new TextDecoder().decode(await fs.readFile(uri))) });
        },
      },
    });
    service.setRoots([fs.rootUri]);
    await assert.rejects(service.indexAll(), /injected fault/);
    assert.equal(await service.whenIndexed(undefined, 1000), true, 'nothing is left waiting on the failed index');
    const stats = await service.indexAll();
    assert.equal(stats.notes, 2);
    const created = fs.write('c.md', '[[b#Heading]]\n');
    assert.ok((await service.applyFileEvents([{ uri: created, deleted: false }])).changed.includes(created));
    assert.equal((await service.findReferences(fs.uri('b.md'), { line: 1, character: 0 }, false, { isCancellationRequested: false }))?.length, 3, 'a.md links to b twice, c.md once');
  });

  it('a severity change re-publishes without parsing anything; an exclude change parses only the notes let in', async () => {
    const { service, fs } = await settled({ ...files, 'drafts/d.md': '[[nowhere]]\n' }, {});
    const parsed = service.parses;
    const severity = { ...service.settings.diagnostics.severity, 'link.missing-image': 'error' as const };
    const effect = await service.applySettings({ ...service.settings, diagnostics: { ...service.settings.diagnostics, severity } });
    assert.equal(effect.republish, true);
    assert.deepEqual(effect.update, { changed: [], removed: [] });
    assert.equal(service.parses, parsed, 'no note was parsed again');
    assert.equal(service.getDiagnostics(fs.uri('a.md')).find((d) => d.code === 'link.missing-image')?.severity, 1);

    const excluded = await service.applySettings({ ...service.settings, exclude: ['drafts/**'] });
    assert.equal(excluded.republish, false);
    assert.deepEqual(excluded.update.removed, [fs.uri('drafts/d.md')]);
    assert.equal(service.stats.notes, 2);
    const back = await service.applySettings({ ...service.settings, exclude: [] });
    assert.ok(back.update.changed.includes(fs.uri('drafts/d.md')));
    assert.equal(service.parses, parsed + 1, 'only the note let back in was parsed');
    assert.equal(service.stats.notes, 3);
  });

  it('a new index cancels the one running, and the vault ends up whole', async () => {
    const many: Record<string, string> = { ...files };
    for (let i = 0; i < 300; i++) many[`n${i}.md`] = `[[b#Heading]] [[n${(i + 1) % 300}]]\n`;
    const fs = new InMemoryFileSystem(many);
    const service = createVaultService({ fileSystem: fs });
    service.setRoots([fs.rootUri]);
    const first = service.indexAll();
    const second = service.indexAll();
    const [a, b] = await Promise.all([first, second]);
    assert.equal(a.cancelled, true, 'the first index stopped');
    assert.equal(b.cancelled, undefined);
    assert.equal(b.notes, 302);
    assert.equal(service.stats.notes, 302);
  });

  it('edits are parsed once per pause, on the next request or when their effects are taken', async () => {
    const { service, fs } = await settled(files, {});
    const uri = fs.uri('a.md');
    const parsed = service.parses;
    for (let i = 0; i < 20; i++) service.noteEdited(uri, `# A\n[[b#Heading]] typing ${i}\n`);
    assert.equal(service.parses, parsed, 'nothing parsed while typing');
    assert.equal(await service.whenNoteReady(uri), true);
    assert.equal(service.parses, parsed + 1, 'the request parsed the last edit once');
    assert.match(service.noteFor(uri)!.note.parsed.links[0].target, /b#Heading/);
    assert.deepEqual(service.takeEditEffects(uri), [], 'the edit was parsed; it changed no other note');
    assert.equal(service.takeEditEffects(uri), undefined, 'handed over once');
    assert.equal(service.parses, parsed + 1);
  });

  it('an edit that gives a note a new heading hands over the notes linking to it', async () => {
    const { service, fs } = await settled({ ...files, 'c.md': '[[b#Later]]\n' }, {});
    service.noteEdited(fs.uri('b.md'), '# Heading\n# Later\n');
    assert.deepEqual(service.takeEditEffects(fs.uri('b.md')), [fs.uri('c.md')]);
    assert.deepEqual(service.getDiagnostics(fs.uri('c.md')), []);
  });

  it('deletes, renames and creations while the first index runs, in one burst, end exactly as an index from scratch', async () => {
    const many: Record<string, string> = { 'hub.md': '# Hub\n## Part\n' };
    for (let i = 0; i < 2000; i++) many[`notes/n${i}.md`] = `[[hub#Part]] [[n${(i + 7) % 2000}]] [[gone${i % 50}]]\n`;
    const fs = new InMemoryFileSystem(many);
    const service = createVaultService({ fileSystem: fs });
    service.setRoots([fs.rootUri]);
    const indexing = service.indexAll();
    const events: Array<{ uri: string; deleted: boolean }> = [];
    for (let i = 0; i < 2000; i += 10) events.push({ uri: fs.delete(`notes/n${i}.md`), deleted: true });
    for (let i = 1; i < 2000; i += 20) {
      const text = many[`notes/n${i}.md`];
      events.push({ uri: fs.delete(`notes/n${i}.md`), deleted: true }, { uri: fs.write(`moved/n${i}.md`, text), deleted: false });
    }
    for (let i = 0; i < 50; i += 2) events.push({ uri: fs.write(`gone${i}.md`, '# Back\n'), deleted: false });
    // Sent at once, while the index runs, as a sync tool or `git pull` would.
    const applied = service.applyFileEvents(events);
    await Promise.all([indexing, applied]);

    const fresh = createVaultService({ fileSystem: fs });
    fresh.setRoots([fs.rootUri]);
    await fresh.indexAll();
    const files = (s: typeof service) => [...s.vaults[0].files()].map((file) => file.relativePath).sort();
    assert.deepEqual(files(service), files(fresh));
    let problems = 0;
    for (const path of files(fresh)) {
      const uri = fs.uri(path);
      const expected = fresh.getDiagnostics(uri);
      problems += expected.length;
      assert.deepEqual(service.getDiagnostics(uri), expected, path);
    }
    assert.ok(problems > 1000, `the vault has problems to compare (${problems})`);
  });

  it('a workspace folder added is indexed alone; one removed takes its notes along', async () => {
    const fs = new InMemoryFileSystem({ 'one/a.md': '# A\n', 'two/b.md': '[[a]]\n' });
    const service = createVaultService({ fileSystem: fs });
    service.setRoots([fs.uri('one')]);
    await service.indexAll();
    const parsed = service.parses;
    await service.addRoots([fs.uri('two')]);
    assert.equal(service.parses, parsed + 1, 'the first folder was not indexed again');
    assert.equal(service.getDiagnostics(fs.uri('two/b.md')).length, 1, 'folders are vaults of their own: [[a]] does not reach into another');
    assert.deepEqual(service.removeRoots([fs.uri('one')]), [fs.uri('one/a.md')]);
    assert.equal(service.stats.notes, 1);
  });
});
