// Rename (F2): a heading and every link to it, a note or an attachment and
// every link to it, across the vault, each edit undoable as one.
import * as assert from 'node:assert/strict';
import type { Position, WorkspaceEdit } from 'vscode-languageserver-types';
import { renameTargetAt, provideRename, RenameError } from '../../server/src/features/rename';
import { applyWorkspaceEdit } from '../kit/edits';
import { openVault, withCursor, type TestVault } from '../kit/vault';

/** Opens a vault where `note` holds a `$0` cursor, renames at the cursor, applies the edit, returns every note's text after. */
async function rename(files: Record<string, string>, note: string, newName: string): Promise<{ vault: TestVault; texts: Map<string, string>; edit: WorkspaceEdit }> {
  const { text, position } = withCursor(files[note]);
  const vault = await openVault({ ...files, [note]: text });
  const texts = new Map(Object.entries({ ...files, [note]: text }));
  const edit = renameAt(vault, note, position, newName);
  await applyWorkspaceEdit(vault, edit, texts);
  return { vault, texts, edit };
}

function renameAt(vault: TestVault, note: string, position: Position, newName: string): WorkspaceEdit {
  const found = vault.service.noteFor(vault.uri(note));
  assert.ok(found, `${note} is not indexed`);
  const edit = provideRename(found.vault, found.note, position, newName);
  assert.ok(edit, 'nothing to rename at the cursor');
  return edit;
}

function problems(vault: TestVault, texts: Map<string, string>): string[] {
  return [...texts.keys()].filter((path) => path.endsWith('.md')).flatMap((path) => vault.service.getDiagnostics(vault.uri(path)).map((d) => `${path}: ${d.code}`));
}

describe('rename', () => {
  it('renames a heading and the links to it in this note and others, keeping aliases that are not the heading', async () => {
    const { vault, texts } = await rename(
      {
        'DEVIEW.md': '# DEVIEW\n- [[#15:00, Track1, Druid|Druid talk]]\n\n## 15:00, Track1, Dru$0id\ntext\n',
        'notes/a.md': 'See [[DEVIEW#15:00, Track1, Druid]] and [[DEVIEW#15:00 Track1 Druid|the Druid talk]].\n',
        'b.md': '[md](DEVIEW.md#1500-track1-druid) [raw](DEVIEW.md#15%3A00%2C%20Track1%2C%20Druid) [[Other#15:00, Track1, Druid]]\n',
        'Other.md': '## 15:00, Track1, Druid\n',
      },
      'DEVIEW.md',
      '15:00, Track 1, Apache Druid',
    );
    assert.equal(texts.get('DEVIEW.md'), '# DEVIEW\n- [[#15 00, Track 1, Apache Druid|Druid talk]]\n\n## 15:00, Track 1, Apache Druid\ntext\n');
    assert.equal(texts.get('notes/a.md'), 'See [[DEVIEW#15 00, Track 1, Apache Druid]] and [[DEVIEW#15 00, Track 1, Apache Druid|the Druid talk]].\n');
    assert.equal(texts.get('b.md'), '[md](DEVIEW.md#1500-track-1-apache-druid) [raw](DEVIEW.md#15:00,%20Track%201,%20Apache%20Druid) [[Other#15:00, Track1, Druid]]\n');
    assert.deepEqual(problems(vault, texts), []);
  });

  it('keeps a table of contents entry in step when its text is the heading', async () => {
    const { texts } = await rename({ 'a.md': '- [[#Opening Keynote|Opening Keynote]]\n\n# Opening $0Keynote\n' }, 'a.md', 'Keynote');
    assert.equal(texts.get('a.md'), '- [[#Keynote|Keynote]]\n\n# Keynote\n');
  });

  it('renames a heading from a link to it', async () => {
    const { texts } = await rename({ 'a.md': '[[b#Old$0 title]]', 'b.md': '# Old title\n' }, 'a.md', 'New title');
    assert.equal(texts.get('a.md'), '[[b#New title]]');
    assert.equal(texts.get('b.md'), '# New title\n');
  });

  it('renames a note from a link to it: the file, and each link in the style it was written', async () => {
    const { vault, texts, edit } = await rename(
      {
        'a.md': 'See [[Dev$0iew 2018]], [[talks/DEVIEW 2018.md#Druid]] and [[deview 2018|DEVIEW]].\n',
        'talks/DEVIEW 2018.md': '# Druid\n[[#Druid]]\n',
        'notes/b.md': '[m](../talks/DEVIEW%202018.md#druid)\n',
      },
      'a.md',
      'DEVIEW 2018 (Seoul)',
    );
    assert.ok(edit.documentChanges?.some((change) => 'kind' in change && change.kind === 'rename' && change.newUri === vault.uri('talks/DEVIEW 2018 (Seoul).md')));
    assert.equal(texts.get('a.md'), 'See [[DEVIEW 2018 (Seoul)]], [[talks/DEVIEW 2018 (Seoul).md#Druid]] and [[DEVIEW 2018 (Seoul)|DEVIEW]].\n');
    assert.equal(texts.get('notes/b.md'), '[m](../talks/DEVIEW%202018%20%28Seoul%29.md#druid)\n');
    assert.equal(texts.get('talks/DEVIEW 2018 (Seoul).md'), '# Druid\n[[#Druid]]\n');
    assert.deepEqual(problems(vault, texts), []);
  });

  it('renames an attachment from an embed, keeping its extension', async () => {
    const { vault, texts } = await rename({ 'a.md': '![[What_ml$0ops.png]] ![](img/What_mlops.png)\n', 'img/What_mlops.png': '' }, 'a.md', 'What_MLOps');
    assert.equal(texts.get('a.md'), '![[What_MLOps.png]] ![](img/What_MLOps.png)\n');
    assert.ok(vault.fs.uri('img/What_MLOps.png'));
    assert.deepEqual(vault.service.getDiagnostics(vault.uri('a.md')), []);
  });

  it('refuses names Obsidian refuses, and names of existing files, with a message', async () => {
    const { text, position } = withCursor('[[b$0]]');
    const vault = await openVault({ 'a.md': text, 'b.md': '', 'c.md': '' });
    const found = vault.service.noteFor(vault.uri('a.md'))!;
    assert.throws(() => provideRename(found.vault, found.note, position, 'x/y'), RenameError);
    assert.throws(() => provideRename(found.vault, found.note, position, 'a#b'), RenameError);
    assert.throws(() => provideRename(found.vault, found.note, position, 'C'), /already exists/);
    assert.throws(() => provideRename(found.vault, found.note, position, '  '), /empty/);
  });

  it('has nothing to rename in plain text, external links or broken links', async () => {
    for (const fixture of ['plain $0text', '[x](https://exa$0mple.com)', '[[Miss$0ing]]']) {
      const { text, position } = withCursor(fixture);
      const vault = await openVault({ 'a.md': text });
      const found = vault.service.noteFor(vault.uri('a.md'))!;
      assert.equal(renameTargetAt(found.vault, found.note, position), undefined, fixture);
    }
  });
});
