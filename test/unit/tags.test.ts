import * as assert from 'node:assert/strict';
import type { CompletionList } from 'vscode-languageserver-types';
import { neverCancelled } from '../../server/src/core/workspace';
import { createVaultService } from '../../server/src/index';
import { InMemoryFileSystem } from '../kit/inMemoryFileSystem';
import { applyWorkspaceEdit } from '../kit/edits';
import { openVault, withCursor, type TestVault } from '../kit/vault';

/** A hand-made vault: nested tags, front matter tags as a list and as a string, Korean tags, mixed case, tags in code. */
const FILES: Record<string, string> = {
  'Project.md': '# Project\nWork on #project and #project/alpha today. #Meeting\n',
  'Alpha.md': '---\ntags:\n  - project/alpha\n  - 회의\n---\n# Alpha\nSee #PROJECT/alpha/deep.\n',
  'Beta.md': '---\ntags: meeting, draft\n---\nNotes on #한글 and #회의.\n',
  'Gamma.md': '---\ntags: [Draft, "#project"]\n---\nText #draft\n',
  'Code.md': 'Inline `#notatag` and\n```\n#fenced\n```\n#123 is not a tag, nor a#b.\n',
};

function counts(vault: TestVault): Record<string, number> {
  return Object.fromEntries(vault.service.getTags(vault.uri('Project.md')).map((tag) => [tag.key, tag.noteCount]));
}

async function completionsAt(vault: TestVault, path: string, textWithCursor: string): Promise<CompletionList> {
  const { text, position } = withCursor(textWithCursor);
  vault.fs.write(path, text);
  vault.service.setDocumentText(vault.uri(path), text);
  return vault.service.getCompletions(vault.uri(path), position);
}

/** Every (note, line, text) a list of locations covers, for readable assertions. */
async function locationTexts(vault: TestVault, locations: ReadonlyArray<{ uri: string; range: { start: { line: number; character: number }; end: { line: number; character: number } } }>): Promise<string[]> {
  const out: string[] = [];
  for (const location of locations) {
    const text = new TextDecoder().decode(await vault.fs.readFile(location.uri));
    const line = text.split('\n')[location.range.start.line];
    out.push(`${decodeURIComponent(location.uri.slice(vault.fs.rootUri.length + 1))}:${location.range.start.line}:${line.slice(location.range.start.character, location.range.end.character)}`);
  }
  return out.sort();
}

describe('tags', () => {
  describe('the tag index', () => {
    it('counts notes per tag, case-insensitively, nested tags for their parents, front matter lists and strings, Korean; never tags in code', async () => {
      const vault = await openVault(FILES);
      assert.deepEqual(counts(vault), {
        project: 3, // Project, Alpha (project/alpha, PROJECT/alpha/deep), Gamma ("#project")
        'project/alpha': 2,
        'project/alpha/deep': 1,
        meeting: 2,
        draft: 2,
        회의: 2,
        한글: 1,
      });
      const project = vault.service.getTags(vault.uri('Project.md')).find((tag) => tag.key === 'project');
      assert.equal(project?.name, 'project');
      assert.deepEqual(vault.service.notesWithTag(vault.uri('Project.md'), 'Project/Alpha').map((uri) => uri.slice(uri.lastIndexOf('/') + 1)), ['Alpha.md', 'Project.md']);
    });

    it('follows edits without a rebuild, and equals an index built from scratch', async () => {
      const vault = await openVault(FILES);
      vault.fs.write('Beta.md', 'Now #newtag only.\n');
      vault.service.setDocumentText(vault.uri('Beta.md'), 'Now #newtag only.\n');
      vault.fs.write('Fresh.md', '#project/beta\n');
      await vault.service.fileChanged(vault.uri('Fresh.md'));
      await vault.service.fileDeleted(vault.uri('Gamma.md'));
      vault.fs.delete('Gamma.md');
      const incremental = vault.service.getTags(vault.uri('Project.md'));
      assert.equal(incremental.find((tag) => tag.key === 'newtag')?.noteCount, 1);
      assert.equal(incremental.find((tag) => tag.key === '한글'), undefined);
      assert.equal(incremental.find((tag) => tag.key === 'draft'), undefined);
      assert.equal(incremental.find((tag) => tag.key === 'project')?.noteCount, 3);

      const files: Record<string, string> = {};
      for (const path of ['Project.md', 'Alpha.md', 'Beta.md', 'Code.md', 'Fresh.md']) files[path] = new TextDecoder().decode(await vault.fs.readFile(vault.uri(path)));
      const fs = new InMemoryFileSystem(files);
      const scratch = createVaultService({ fileSystem: fs });
      scratch.setRoots([fs.rootUri]);
      await scratch.indexAll();
      assert.deepEqual(incremental, scratch.getTags(fs.uri('Project.md')));
    });
  });

  describe('completion after #', () => {
    it('offers the vault tags with their note counts, nested ones by path', async () => {
      const vault = await openVault(FILES);
      const list = await completionsAt(vault, 'New.md', 'Typing #proj$0');
      const labels = list.items.map((item) => item.label);
      assert.deepEqual(labels.slice(0, 3), ['project', 'project/alpha', 'PROJECT/alpha/deep']); // each as written most often
      assert.equal(list.items[0].detail, '3 notes');
      assert.deepEqual(list.items[0].textEdit, { range: { start: { line: 0, character: 8 }, end: { line: 0, character: 12 } }, newText: 'project' });
      const nested = await completionsAt(vault, 'New.md', '#project/al$0');
      assert.equal(nested.items[0].label, 'project/alpha');
      const korean = await completionsAt(vault, 'New.md', 'x #회$0');
      assert.equal(korean.items[0].label, '회의');
    });

    it('ranks by use when nothing is typed yet', async () => {
      const vault = await openVault(FILES);
      const list = await completionsAt(vault, 'New.md', 'text #$0');
      assert.equal(list.items[0].label, 'project');
    });

    it("offers nothing for a heading's # , inside code, links or front matter", async () => {
      const vault = await openVault(FILES);
      assert.equal((await completionsAt(vault, 'New.md', '# $0')).items.length, 0);
      assert.equal((await completionsAt(vault, 'New.md', 'see `#pro$0')).items.length, 0);
      assert.equal((await completionsAt(vault, 'New.md', '```\n#pro$0\n```\n')).items.length, 0);
      assert.equal((await completionsAt(vault, 'New.md', '---\ntitle: #pro$0\n---\n')).items.length, 0);
      const link = await completionsAt(vault, 'New.md', '[[Alpha#$0');
      assert.ok(link.items.every((item) => item.label !== 'project'), 'a link heading completes headings');
    });

    it('follows an edit that adds a tag', async () => {
      const vault = await openVault(FILES);
      vault.service.setDocumentText(vault.uri('Beta.md'), 'Now #zebra here.\n');
      const list = await completionsAt(vault, 'New.md', '#zeb$0');
      assert.deepEqual(list.items.map((item) => `${item.label} ${item.detail}`), ['zebra 1 note']);
    });
  });

  describe('references', () => {
    it('finds every mention of a tag, nested ones and front matter included, from an inline tag or a front matter one', async () => {
      const vault = await openVault(FILES);
      const expected = ['Alpha.md:2:project/alpha', 'Alpha.md:6:#PROJECT/alpha/deep', 'Gamma.md:1:project', 'Project.md:1:#project', 'Project.md:1:#project/alpha'];
      const fromInline = await vault.service.findReferences(vault.uri('Project.md'), { line: 1, character: 10 }, true, neverCancelled);
      assert.deepEqual(await locationTexts(vault, fromInline ?? []), expected);
      const fromFrontMatter = await vault.service.findReferences(vault.uri('Gamma.md'), { line: 1, character: 18 }, true, neverCancelled);
      assert.deepEqual(await locationTexts(vault, fromFrontMatter ?? []), expected);
      const korean = await vault.service.findReferences(vault.uri('Beta.md'), { line: 3, character: 20 }, true, neverCancelled);
      assert.deepEqual(await locationTexts(vault, korean ?? []), ['Alpha.md:3:회의', 'Beta.md:3:#회의']);
    });

    it('still finds references to a note from a link', async () => {
      const vault = await openVault({ ...FILES, 'Linker.md': 'See [[Alpha]].\n' });
      const refs = await vault.service.findReferences(vault.uri('Linker.md'), { line: 0, character: 7 }, true, neverCancelled);
      assert.ok(refs?.some((location) => location.uri === vault.uri('Linker.md')));
    });
  });

  describe('hover', () => {
    it('says how many notes use a tag, inline or in front matter', async () => {
      const vault = await openVault(FILES);
      const inline = await vault.service.getHover(vault.uri('Project.md'), { line: 1, character: 10 });
      assert.deepEqual(inline?.contents, { kind: 'markdown', value: '**#project**: used in 3 notes (5 mentions, nested tags included)' });
      assert.deepEqual(inline?.range, { start: { line: 1, character: 8 }, end: { line: 1, character: 16 } });
      const frontMatter = await vault.service.getHover(vault.uri('Beta.md'), { line: 1, character: 7 });
      assert.match((frontMatter?.contents as { value: string }).value, /^\*\*#meeting\*\*: used in 2 notes/);
      assert.equal(await vault.service.getHover(vault.uri('Code.md'), { line: 0, character: 10 }), null);
    });
  });

  describe('rename', () => {
    it('renames a tag everywhere, nested tags and front matter lists and strings included', async () => {
      const vault = await openVault(FILES);
      const prepared = vault.service.prepareRename(vault.uri('Project.md'), { line: 1, character: 10 });
      assert.deepEqual(prepared, { range: { start: { line: 1, character: 9 }, end: { line: 1, character: 16 } }, placeholder: 'project' });
      const edit = await vault.service.renameCancellable(vault.uri('Project.md'), { line: 1, character: 10 }, 'work', neverCancelled);
      assert.ok(edit);
      const texts = new Map<string, string>();
      await applyWorkspaceEdit(vault, edit, texts);
      assert.equal(texts.get('Project.md'), '# Project\nWork on #work and #work/alpha today. #Meeting\n');
      assert.equal(texts.get('Alpha.md'), '---\ntags:\n  - work/alpha\n  - 회의\n---\n# Alpha\nSee #work/alpha/deep.\n');
      assert.equal(texts.get('Gamma.md'), '---\ntags: [Draft, "#work"]\n---\nText #draft\n');
      assert.deepEqual(vault.service.notesWithTag(vault.uri('Project.md'), 'project'), []);
      assert.equal(vault.service.notesWithTag(vault.uri('Project.md'), 'work').length, 3);
    });

    it('renames a nested tag only, and a tag in a front matter string', async () => {
      const vault = await openVault(FILES);
      const nested = await vault.service.renameCancellable(vault.uri('Project.md'), { line: 1, character: 25 }, 'project/beta', neverCancelled);
      const texts = new Map<string, string>();
      await applyWorkspaceEdit(vault, nested!, texts);
      assert.equal(texts.get('Project.md'), '# Project\nWork on #project and #project/beta today. #Meeting\n');
      assert.equal(texts.get('Alpha.md'), '---\ntags:\n  - project/beta\n  - 회의\n---\n# Alpha\nSee #project/beta/deep.\n');
      assert.equal(texts.has('Gamma.md'), false);
      const meeting = await vault.service.renameCancellable(vault.uri('Beta.md'), { line: 1, character: 8 }, '#모임', neverCancelled);
      await applyWorkspaceEdit(vault, meeting!, texts);
      assert.equal(texts.get('Beta.md'), '---\ntags: 모임, draft\n---\nNotes on #한글 and #회의.\n');
      assert.equal(texts.get('Project.md'), '# Project\nWork on #project and #project/beta today. #모임\n');
    });

    it('refuses a name that is not a tag', async () => {
      const vault = await openVault(FILES);
      await assert.rejects(vault.service.renameCancellable(vault.uri('Project.md'), { line: 1, character: 10 }, 'two words', neverCancelled), /not a tag/);
      await assert.rejects(vault.service.renameCancellable(vault.uri('Project.md'), { line: 1, character: 10 }, '2024', neverCancelled), /not a tag/);
    });
  });
});
