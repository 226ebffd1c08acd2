import * as assert from 'node:assert/strict';
import { resolveLink } from '../../server/src/core/linkResolver';
import { parseNote } from '../../server/src/core/parser';
import { VaultIndex } from '../../server/src/core/vaultIndex';
import { findReferences } from '../../server/src/features/references';
import { openVault, type TestVault } from '../kit/vault';

/** Resolves the first link of `from` and returns the vault path it leads to (or a failure word). */
function resolveFirst(vault: TestVault, from: string): string {
  const found = vault.service.noteFor(vault.uri(from))!;
  const resolution = resolveLink(found.vault, found.note, found.note.parsed.links[0]);
  if (resolution.kind !== 'file') return resolution.kind;
  return resolution.missing ? `${resolution.file.relativePath}!${resolution.missing}` : resolution.file.relativePath + (resolution.heading ? `#${resolution.heading.text}` : '') + (resolution.block ? `^${resolution.block.id}` : '');
}

describe('link resolution (Obsidian rules)', () => {
  it('ignores case and the .md suffix', async () => {
    const vault = await openVault({ 'Note.md': '', 'a.md': '[[note]]', 'b.md': '[[NOTE.MD]]', 'c.md': '[[Note.md]]' });
    assert.equal(resolveFirst(vault, 'a.md'), 'Note.md');
    assert.equal(resolveFirst(vault, 'b.md'), 'Note.md');
    assert.equal(resolveFirst(vault, 'c.md'), 'Note.md');
  });

  it('picks same-name notes as Obsidian does: same folder first, then the shortest path', async () => {
    const vault = await openVault({
      'notes/Dup.md': '',
      'notes2/deeper/Dup.md': '',
      'root.md': '[[Dup]]',
      'notes2/deeper/here.md': '[[Dup]]',
      'notes2/look.md': '[[Dup]]',
    });
    assert.equal(resolveFirst(vault, 'root.md'), 'notes/Dup.md');
    assert.equal(resolveFirst(vault, 'notes2/deeper/here.md'), 'notes2/deeper/Dup.md');
    assert.equal(resolveFirst(vault, 'notes2/look.md'), 'notes/Dup.md');
  });

  it('matches a path by suffix but not a look-alike folder', async () => {
    const vault = await openVault({ 'notes/X.md': '', 'notes2/X.md': '', 'a.md': '[[notes/X]]', 'b.md': '[[otes/X]]' });
    assert.equal(resolveFirst(vault, 'a.md'), 'notes/X.md');
    assert.equal(resolveFirst(vault, 'b.md'), 'missingFile');
  });

  it('resolves /absolute, ./relative and ../relative exactly, and never above the vault', async () => {
    const vault = await openVault({
      'x/Note.md': '',
      'y/Note.md': '',
      'y/sub/a.md': '[[../Note]]',
      'y/b.md': '[[./Note]]',
      'c.md': '[[/x/Note]]',
      'd.md': '[[../outside]]',
      'y/e.md': '[[/Note]]',
    });
    assert.equal(resolveFirst(vault, 'y/sub/a.md'), 'y/Note.md');
    assert.equal(resolveFirst(vault, 'y/b.md'), 'y/Note.md');
    assert.equal(resolveFirst(vault, 'c.md'), 'x/Note.md');
    assert.equal(resolveFirst(vault, 'd.md'), 'missingFile');
    assert.equal(resolveFirst(vault, 'y/e.md'), 'missingFile');
  });

  it('does not resolve an alias alone, but does resolve [[Target|Alias]]', async () => {
    const vault = await openVault({ 'Target.md': '---\naliases: [Nick]\n---\n', 'a.md': '[[Nick]]', 'b.md': '[[Target|Nick]]' });
    assert.equal(resolveFirst(vault, 'a.md'), 'missingFile');
    assert.equal(resolveFirst(vault, 'b.md'), 'Target.md');
  });

  it('compares names after NFC normalization (macOS NFD file names)', async () => {
    const nfd = '한글노트'.normalize('NFD');
    const vault = await openVault({ [`${nfd}.md`]: '', 'a.md': '[[한글노트]]' });
    assert.equal(resolveFirst(vault, 'a.md'), `${nfd}.md`);
  });

  it('matches headings by Obsidian reduction: punctuation, Korean, en dash, case', async () => {
    const heading = 'PIPE: 더 나은 개발자 경험을 위한 CI/CD + Runtime';
    const vault = await openVault({
      'N.md': `# ${heading}\n# Lupus – MLOps\n## 10:00, Track1, 인공지능`,
      'a.md': '[[N#PIPE 더 나은 개발자 경험을 위한 CI CD Runtime]]',
      'b.md': `[[N#${heading}]]`,
      'c.md': '[[N#lupus – mlops]]',
      'd.md': '[[N#10:00, Track1, 인공지능]]',
      'e.md': '[[N#Lupus - MLOps]]',
    });
    assert.equal(resolveFirst(vault, 'a.md'), `N.md#${heading}`);
    assert.equal(resolveFirst(vault, 'b.md'), `N.md#${heading}`);
    assert.equal(resolveFirst(vault, 'c.md'), 'N.md#Lupus – MLOps');
    assert.equal(resolveFirst(vault, 'd.md'), 'N.md#10:00, Track1, 인공지능');
    assert.equal(resolveFirst(vault, 'e.md'), 'N.md!heading', 'an en dash is not a hyphen');
  });

  it('walks a heading path and takes the first of duplicate headings', async () => {
    const vault = await openVault({
      'N.md': '# A\n## Same\n# B\n## Same\n',
      'a.md': '[[N#B#Same]]',
      'b.md': '[[N#Same]]',
      'c.md': '[[N#Same#B]]',
    });
    const found = vault.service.noteFor(vault.uri('a.md'))!;
    const resolution = resolveLink(found.vault, found.note, found.note.parsed.links[0]);
    assert.equal(resolution.kind === 'file' && resolution.heading?.range.start.line, 3);
    const first = vault.service.noteFor(vault.uri('b.md'))!;
    const firstResolution = resolveLink(first.vault, first.note, first.note.parsed.links[0]);
    assert.equal(firstResolution.kind === 'file' && firstResolution.heading?.range.start.line, 1);
    assert.equal(resolveFirst(vault, 'c.md'), 'N.md!heading');
  });

  it('matches block ids case-insensitively', async () => {
    const vault = await openVault({ 'N.md': 'text ^Block-ID\n', 'a.md': '[[N#^block-id]]', 'b.md': '[[N#^nope]]' });
    assert.equal(resolveFirst(vault, 'a.md'), 'N.md^Block-ID');
    assert.equal(resolveFirst(vault, 'b.md'), 'N.md!block');
  });

  it('resolves attachments only with their extension', async () => {
    const vault = await openVault({ 'img/a.png': new Uint8Array([1]), 'x.md': '![[a.png|300]]', 'y.md': '![[a]]' });
    assert.equal(resolveFirst(vault, 'x.md'), 'img/a.png');
    assert.equal(resolveFirst(vault, 'y.md'), 'missingFile');
  });

  it('resolves markdown links relative to the note, with %20, <...>, raw headings and GitHub slugs', async () => {
    const vault = await openVault({
      'docs/My Note.md': '# My Heading: Part 2\n',
      'docs/a.md': '[t](My%20Note.md#My%20Heading:%20Part%202)',
      'docs/b.md': '[t](<My Note.md#my-heading-part-2>)',
      'c.md': '[t](docs/My%20Note.md)',
      'd.md': '[t](missing.md)',
    });
    assert.equal(resolveFirst(vault, 'docs/a.md'), 'docs/My Note.md#My Heading: Part 2');
    assert.equal(resolveFirst(vault, 'docs/b.md'), 'docs/My Note.md#My Heading: Part 2');
    assert.equal(resolveFirst(vault, 'c.md'), 'docs/My Note.md');
    assert.equal(resolveFirst(vault, 'd.md'), 'missingFile');
  });

  it('indexes a markdown link with spaces around its path under the note it opens: re-checked when it comes, found by its references', () => {
    const vault = new VaultIndex('file:///vault');
    vault.setNote('a.md', parseNote('[t](<Alpha.md >) [u](%20Alpha.md)'));
    assert.deepEqual([...vault.addFile('Alpha.md').affectedNotes], ['a.md']);
    const alpha = vault.fileByPathKey('alpha.md')!;
    const note = vault.note('a.md')!;
    assert.deepEqual(note.parsed.links.map((link) => resolveLink(vault, note, link).kind === 'file'), [true, true]);
    assert.deepEqual(findReferences(vault, { file: alpha }).map((location) => location.range.start.character), [0, 17]);
    assert.deepEqual([...vault.removeFile('Alpha.md').affectedNotes], ['a.md']);
  });

  it('keeps twins that differ only by case as two notes, each named after its own file (a case-sensitive disk)', () => {
    const vault = new VaultIndex('file:///vault');
    vault.addFile('Alpha.md');
    vault.setNote('alpha.md', parseNote('# A'));
    assert.deepEqual([vault.note('alpha.md')!.file.relativePath, vault.note('alpha.md')!.name], ['alpha.md', 'alpha']);
    assert.equal(vault.fileCount, 2, 'neither file is dropped');
    assert.equal(vault.fileByPathKey('alpha.md')!.relativePath, 'Alpha.md', 'a lookup by path key picks the first by relative path, the same every time');
    vault.removeFile('Alpha.md');
    assert.equal(vault.fileByPathKey('alpha.md')!.relativePath, 'alpha.md');
  });
});
