import * as assert from 'node:assert/strict';
import { openVault } from '../kit/vault';

describe('incremental updates', () => {
  it('re-checks linking notes when a heading changes, and only then', async () => {
    const vault = await openVault({ 'Target.md': '# Old\nbody', 'a.md': '[[Target#Old]]', 'b.md': '[[Unrelated]]' });
    const target = vault.uri('Target.md');
    assert.deepEqual(vault.service.setDocumentText(target, '# Old\nbody edited'), [], 'a body edit invalidates nothing elsewhere');
    assert.deepEqual(vault.service.setDocumentText(target, '# New\nbody'), [vault.uri('a.md')]);
    assert.equal(vault.service.getDiagnostics(vault.uri('a.md'))[0].code, 'link.missing-heading');
    vault.service.setDocumentText(target, '# Old\nbody');
    assert.deepEqual(vault.service.getDiagnostics(vault.uri('a.md')), []);
  });

  it('clears a broken image when its file appears and breaks it again when it goes', async () => {
    const vault = await openVault({ 'a.md': '![[What_mlops.png]] ![[Other.png]]' });
    const note = vault.uri('a.md');
    assert.equal(vault.service.getDiagnostics(note).length, 2);
    const affected = await vault.service.fileChanged(vault.fs.write('img/What_mlops.png', 'png'));
    assert.deepEqual(affected, [note]);
    assert.deepEqual(vault.service.getDiagnostics(note).map((d) => d.message), ['Image "Other.png" does not exist in the vault.']);
    assert.deepEqual(await vault.service.fileDeleted(vault.fs.delete('img/What_mlops.png')), [note]);
    assert.equal(vault.service.getDiagnostics(note).length, 2);
  });

  it('updates links when a note is created, renamed and deleted', async () => {
    const vault = await openVault({ 'a.md': '[[Later]]' });
    const note = vault.uri('a.md');
    await vault.service.fileChanged(vault.fs.write('Later.md', '# Hi'));
    assert.deepEqual(vault.service.getDiagnostics(note), []);
    await vault.service.fileDeleted(vault.fs.delete('Later.md'));
    await vault.service.fileChanged(vault.fs.write('sub/Later.md', '# Hi'));
    assert.deepEqual(vault.service.getDiagnostics(note), [], 'found again in its new folder');
    await vault.service.fileDeleted(vault.uri('sub'));
    assert.equal(vault.service.getDiagnostics(note)[0].code, 'link.missing-note', 'deleting the folder removes what was in it');
  });

  it('keeps indexing when a file vanishes between listing and reading', async () => {
    const vault = await openVault({ 'a.md': '[[b]]', 'b.md': '' });
    const original = vault.fs.readFile.bind(vault.fs);
    vault.fs.readFile = async (uri: string) => {
      if (uri.endsWith('b.md')) throw new Error('ENOENT: vanished');
      return original(uri);
    };
    const stats = await vault.service.indexAll();
    assert.equal(stats.notes, 1);
    assert.match(stats.problems[0], /vanished/);
    assert.equal(vault.service.getDiagnostics(vault.uri('a.md'))[0].code, 'link.missing-note');
  });

  it('indexes notes with invalid UTF-8 and NUL bytes without failing', async () => {
    const vault = await openVault({ 'bad.md': new Uint8Array([0xff, 0xfe, 0x00, 0x5b, 0x5b, 0x78, 0x5d, 0x5d, 0xc3]) });
    assert.equal(vault.service.stats.notes, 1);
    assert.equal(vault.service.getDiagnostics(vault.uri('bad.md'))[0].code, 'link.missing-note');
  });

  it('skips .git, .obsidian, .trash, node_modules and excluded globs', async () => {
    const vault = await openVault({ 'a.md': '', '.obsidian/x.md': '', '.trash/y.md': '', 'node_modules/z.md': '', '.git/w.md': '', 'templates/t.md': '' });
    assert.equal(vault.service.stats.notes, 2);
    vault.service.updateSettings({ ...vault.service.settings, exclude: ['templates/**'] });
    await vault.service.indexAll();
    assert.equal(vault.service.stats.notes, 1);
  });

  it('leaves out files created later in excluded folders, as the scan does', async () => {
    const vault = await openVault({ 'a.md': '[[t]] [[deep]]' });
    vault.service.updateSettings({ ...vault.service.settings, exclude: ['templates'] });
    await vault.service.indexAll();
    const created = ['templates/t.md', 'notes/templates/deep.md', '.trash/x.md', 'node_modules/pkg/y.md'];
    for (const path of created) await vault.service.fileChanged(vault.fs.write(path, '# x'));
    assert.equal(vault.service.stats.notes, 1);
    assert.deepEqual(vault.service.getDiagnostics(vault.uri('a.md')).map((d) => d.code), ['link.missing-note', 'link.missing-note']);
  });
});
