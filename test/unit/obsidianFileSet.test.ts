// Obsidian's file set (issue 10, item 7): hidden paths are not in the vault, and
// links inside `%% … %%` comments are indexed (references, rename) but are only
// ever a hint when broken; links in HTML comments and code are not indexed.
import * as assert from 'node:assert/strict';
import { DiagnosticSeverity, type Position } from 'vscode-languageserver-types';
import { decodeParsedNote, encodeParsedNote } from '../../server/src/core/parsedNoteCodec';
import { parseNote } from '../../server/src/core/parser';
import { createVaultPathFilter, scanVault } from '../../server/src/core/vaultScanner';
import { provideRename } from '../../server/src/features/rename';
import { getConferenceOutline } from '../../server/src/features/talks';
import { applyWorkspaceEdit } from '../kit/edits';
import { InMemoryFileSystem } from '../kit/inMemoryFileSystem';
import { openVault, withCursor, type TestVault } from '../kit/vault';

/** Undefined-valued keys are absent after JSON; compare what a reader of the parse can see. */
const visible = (value: unknown) => JSON.parse(JSON.stringify(value));

const HIDDEN_FILES = ['.github/README.md', '.github/ISSUE_TEMPLATE/bug.md', '.trash/Old.md', '.obsidian/snippets/x.md', '.draft.md', 'notes/.hidden/Secret.md', 'notes/.pic.png', 'node_modules/pkg/README.md'];

/** The ranges referencing `note` (cursor at its start, which is neither a link nor a heading), as `path@line:character`. */
function referencesTo(vault: TestVault, note: string): string[] {
  const relative = (uri: string) => decodeURIComponent(uri.slice(vault.fs.rootUri.length + 1));
  return vault.service.getReferences(vault.uri(note), { line: 0, character: 0 }, false).map((r) => `${relative(r.uri)}@${r.range.start.line}:${r.range.start.character}`);
}

/** Renames at the `$0` cursor of `note`, applies the edit, returns every note's text after. */
async function renameAt(files: Record<string, string>, note: string, newName: string): Promise<Map<string, string>> {
  const { text, position } = withCursor(files[note]);
  const vault = await openVault({ ...files, [note]: text });
  const texts = new Map(Object.entries({ ...files, [note]: text }));
  const found = vault.service.noteFor(vault.uri(note));
  assert.ok(found, `${note} is not indexed`);
  const edit = provideRename(found.vault, found.note, position, newName);
  assert.ok(edit, 'nothing to rename at the cursor');
  await applyWorkspaceEdit(vault, edit, texts);
  return texts;
}

describe("Obsidian's file set", () => {
  describe('hidden paths are not in the vault', () => {
    it('leaves every dot-named file and folder out of the scan, at any depth, and node_modules', async () => {
      const fs = new InMemoryFileSystem(Object.fromEntries([...HIDDEN_FILES, 'a.md', 'notes/b.md', 'v1.2/c.md', 'notes/x.png'].map((path) => [path, ''])));
      const { files } = await scanVault(fs, fs.rootUri, { exclude: [] });
      assert.deepEqual(files, ['a.md', 'notes/b.md', 'notes/x.png', 'v1.2/c.md']);
    });

    it('leaves dot-named paths out of file events (createVaultPathFilter)', () => {
      const isExcluded = createVaultPathFilter([]);
      for (const path of [...HIDDEN_FILES, '.obsidian/app.json', '.git/HEAD', '.github']) assert.equal(isExcluded(path), true, path);
      for (const path of ['a.md', 'notes/b.md', 'v1.2/c.md', 'notes/a.b.md', 'notes./x.md']) assert.equal(isExcluded(path), false, path);
    });

    it('reports links to hidden notes as broken: they are no link targets', async () => {
      const vault = await openVault({
        ...Object.fromEntries(HIDDEN_FILES.map((path) => [path, '# Hidden\n[[Nowhere]]'])),
        'a.md': '[[.github/README]] [[README]] [[.draft]] [[Secret]] [[notes/.hidden/Secret]] ![[.pic.png]]',
      });
      assert.equal(vault.service.stats.notes, 1);
      assert.equal(vault.service.stats.attachments, 0);
      const codes = vault.service.getDiagnostics(vault.uri('a.md')).map((d) => String(d.code));
      assert.deepEqual(codes, ['link.missing-note', 'link.missing-note', 'link.missing-note', 'link.missing-note', 'link.missing-note', 'link.missing-image']);
      assert.equal(vault.service.noteFor(vault.uri('.github/README.md')), undefined, 'a hidden note is not checked');
    });

    it('ignores a hidden note created or changed later (fileChanged), as the scan does', async () => {
      const vault = await openVault({ 'a.md': '[[.github/README]] [[bug]]' });
      for (const path of ['.github/README.md', '.github/ISSUE_TEMPLATE/bug.md', 'notes/.hidden/x.md']) {
        assert.deepEqual(await vault.service.fileChanged(vault.fs.write(path, '# x')), [], path);
      }
      assert.equal(vault.service.stats.notes, 1);
      assert.deepEqual(vault.service.getDiagnostics(vault.uri('a.md')).map((d) => String(d.code)), ['link.missing-note', 'link.missing-note']);
    });

    // A guard rather than a change: app.json is read directly, not through the scan.
    it('still reads .obsidian/app.json as the vault config, at start and when it changes', async () => {
      const vault = await openVault({ '.obsidian/app.json': '{"useMarkdownLinks": true}', 'a.md': '' });
      assert.equal(vault.service.vaults[0].config.useMarkdownLinks, true);
      await vault.service.fileChanged(vault.fs.write('.obsidian/app.json', '{"newLinkFormat": "absolute"}'));
      assert.equal(vault.service.vaults[0].config.useMarkdownLinks, false);
      assert.equal(vault.service.vaults[0].config.newLinkFormat, 'absolute');
    });
  });

  describe('links in %% comments are indexed', () => {
    it('parses links in %% comments, inline, across lines and unclosed, flagged, with exact ranges; not their tags, headings or blocks', () => {
      const text = ['Text %%see [[Inline|shown]] #not-a-tag%% [[Prose]]', '%%', '# Not a heading', '![[pic.png]] [md](Other.md#Part) ^not-a-block', '%%', '`%%[[in code]]%%` <!-- [[html]] -->', '%% unclosed [[Last]]'].join('\n');
      const note = parseNote(text);
      assert.deepEqual(
        note.links.map((link) => [link.path, link.embed, link.inComment === true, link.range.start.line, link.range.start.character, link.range.end.character]),
        [
          ['Inline', false, true, 0, 11, 27],
          ['Prose', false, false, 0, 41, 50],
          ['pic.png', true, true, 3, 0, 12],
          ['Other.md', false, true, 3, 13, 32],
          ['Last', false, true, 6, 12, 20],
        ],
      );
      assert.deepEqual(note.tags, []);
      assert.deepEqual(note.headings, []);
      assert.deepEqual(note.blocks, []);
      assert.equal(note.links[1].inComment, undefined, 'a link outside comments carries no flag');
    });

    it('keeps the links after a comment that starts a line, when another comment spans lines', () => {
      // Blanking `%%todo%%` indents the rest of its line; the re-parse must not take that for indented code.
      const note = parseNote('# A\n%%todo%% [[Prose]]\n\n%%\n[[Hidden]]\n%%\n');
      assert.deepEqual(note.links.map((link) => [link.path, link.inComment === true]), [['Prose', false], ['Hidden', true]]);
    });

    it('counts a link in a %% comment as a reference; not one in an HTML comment', async () => {
      const vault = await openVault({
        'Note.md': 'text\n',
        'a.md': '%%[[Note]]%%',
        'b.md': 'x <!-- [[Note]] --> %%[[Note]]%% <!--\n[[Note]]\n-->',
        'c.md': '%%\ndrafts: [[Note#Part]], [n](Note.md)\n%%',
      });
      assert.deepEqual(referencesTo(vault, 'Note.md'), ['a.md@0:2', 'b.md@0:22', 'c.md@1:8', 'c.md@1:23']);
    });

    it('counts no link in code as a reference, %% or not', async () => {
      const vault = await openVault({
        'Note.md': 'text\n',
        'a.md': '`[[Note]]` `%%[[Note]]%%` %%[[Note]]%%\n```\n[[Note]]\n%%[[Note]]%%\n```\n\n    %%[[Note]]%%\n',
      });
      assert.deepEqual(referencesTo(vault, 'Note.md'), ['a.md@0:28']);
    });

    it('renames a note with the links to it in %% comments, from a link outside or inside one', async () => {
      const files = { 'Note.md': '# Part\n', 'a.md': '[[No$0te]] %%[[Note|old]]%%\n%%\n![[Note#Part]] [n](Note.md)\n%%\n' };
      const texts = await renameAt(files, 'a.md', 'Renamed');
      assert.equal(texts.get('a.md'), '[[Renamed]] %%[[Renamed|old]]%%\n%%\n![[Renamed#Part]] [n](Renamed.md)\n%%\n');
      const fromComment = await renameAt({ 'Note.md': '', 'a.md': '%%[[No$0te]]%%' }, 'a.md', 'Renamed');
      assert.equal(fromComment.get('a.md'), '%%[[Renamed]]%%');
    });

    it('renames a heading with the links to it in %% comments', async () => {
      const texts = await renameAt({ 'Note.md': '# Old$0 part\n', 'a.md': '[[Note#Old part]] %%[[Note#Old part]]%%' }, 'Note.md', 'New part');
      assert.equal(texts.get('a.md'), '[[Note#New part]] %%[[Note#New part]]%%');
    });

    it('reports a broken link in a %% comment as a hint that says so, whatever its level, unless off', async () => {
      const vault = await openVault({ 'a.md': '# Here\n[[Gone]] %%[[Gone too]] [[#Nowhere]] ![[gone.png]]%%' });
      const uri = vault.uri('a.md');
      const shown = () => vault.service.getDiagnostics(uri).map((d) => [String(d.code), d.severity, /%% comment/.test(d.message)]);
      assert.deepEqual(shown(), [
        ['link.missing-note', DiagnosticSeverity.Warning, false],
        ['link.missing-note', DiagnosticSeverity.Hint, true],
        ['link.missing-heading', DiagnosticSeverity.Hint, true],
        ['link.missing-image', DiagnosticSeverity.Hint, true],
      ]);
      const settings = vault.service.settings;
      const withLevels = (levels: Record<string, string>) => vault.service.updateSettings({ ...settings, diagnostics: { ...settings.diagnostics, severity: { ...settings.diagnostics.severity, ...levels } } });
      withLevels({ 'link.missing-note': 'error', 'link.missing-heading': 'off' });
      assert.deepEqual(shown(), [
        ['link.missing-note', DiagnosticSeverity.Error, false],
        ['link.missing-note', DiagnosticSeverity.Hint, true],
        ['link.missing-image', DiagnosticSeverity.Hint, true],
      ]);
    });

    it('goes to definition and gives a document link from a link in a %% comment', async () => {
      const vault = await openVault({ 'Note.md': '# One\n## Two\n', 'a.md': 'x %%[[Note#Two]]%%' });
      const uri = vault.uri('a.md');
      const at: Position = { line: 0, character: 8 };
      const [target] = vault.service.getDefinition(uri, at);
      assert.equal(target?.targetUri, vault.uri('Note.md'));
      assert.equal(target.targetRange.start.line, 1);
      assert.deepEqual(vault.service.getDocumentLinks(uri).map((link) => link.target), [`${vault.uri('Note.md')}#L2`]);
    });

    it('leaves links and images in %% comments out of a talk: a reader does not see them', async () => {
      const text = ['---', 'tags: [conference]', '---', '# Talk', '- [slides](https://www.slideshare.net/jane/talk)', '%%- [old slides](https://www.slideshare.net/jane/old)', '![[gone.png]]%%', ''].join('\n');
      const vault = await openVault({ 'Conf.md': text });
      const [talk] = getConferenceOutline(vault.service.vaults[0], vault.uri('Conf.md'))!.days[0].talks;
      assert.deepEqual(talk.links, [{ kind: 'slides', url: 'https://www.slideshare.net/jane/talk', label: 'slides' }]);
      assert.deepEqual([talk.images, talk.brokenImages], [0, 0]);
    });

    it('carries the flag through the parse-cache codec, compactly', () => {
      const parsed = parseNote('# A\n%%[[Note]] ![[pic.png|300]]%% [[Other]]\n%%\n[md](x.md#^blk)\n%%');
      assert.deepEqual(parsed.links.map((link) => link.inComment === true), [true, true, false, true]);
      const encoded = encodeParsedNote(parsed);
      assert.ok(encoded !== undefined);
      assert.equal(JSON.parse(encoded)[0], 'c', 'the compact encoding, not the generic fallback');
      const decoded = decodeParsedNote(encoded);
      assert.deepEqual(visible(decoded), visible(parsed));
      assert.deepEqual(decoded.links.map((link) => link.inComment), [true, true, undefined, true]);
    });
  });
});
