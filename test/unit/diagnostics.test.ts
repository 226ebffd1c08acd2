import * as assert from 'node:assert/strict';
import { openVault } from '../kit/vault';

async function codesOf(files: Record<string, string | Uint8Array>, note: string): Promise<string[]> {
  const vault = await openVault(files);
  return vault.service.getDiagnostics(vault.uri(note)).map((d) => String(d.code));
}

describe('diagnostics', () => {
  it('gives each kind of broken link its own code', async () => {
    const codes = await codesOf(
      {
        'Target.md': '# Real\ntext ^real\n',
        'a.md': '![[gone.png]] ![[gone.pdf]] [[Nobody]] [[Target#Fake]] [[Target#^fake]] [[Target#Real]] [[Target#^real]] ![alt](gone.jpg) [t](nobody.md)',
      },
      'a.md',
    );
    assert.deepEqual(codes, ['link.missing-image', 'link.missing-attachment', 'link.missing-note', 'link.missing-heading', 'link.missing-block', 'link.missing-image', 'link.missing-note']);
  });

  it('says which heading is missing and where', async () => {
    const vault = await openVault({ 'a.md': '# Here\n[[#There]]' });
    const [diagnostic] = vault.service.getDiagnostics(vault.uri('a.md'));
    assert.equal(diagnostic.message, 'No heading "There" in this note.');
    assert.deepEqual(diagnostic.range, { start: { line: 1, character: 3 }, end: { line: 1, character: 8 } });
  });

  it('never reports links in code, or remote URLs', async () => {
    const codes = await codesOf({ 'a.md': '`[[gone]]`\n```\n![[gone.png]]\n```\n[x](https://example.com/missing.png) ![y](https://example.com/a.png) <mailto:me@example.com>' }, 'a.md');
    assert.deepEqual(codes, []);
  });

  it('reports an ambiguous link with low severity and names the candidates', async () => {
    const vault = await openVault({ 'a/Same.md': '', 'b/Same.md': '', 'x.md': '[[Same]]' });
    const [diagnostic] = vault.service.getDiagnostics(vault.uri('x.md'));
    assert.equal(diagnostic.code, 'link.ambiguous');
    assert.equal(diagnostic.severity, 3);
    assert.match(diagnostic.message, /opens "a\/Same\.md".*"b\/Same\.md"/);
  });

  it('reports broken front matter as an error', async () => {
    const codes = await codesOf({ 'a.md': '---\ntags: [a\n---\n' }, 'a.md');
    assert.deepEqual(codes, ['frontmatter.invalid-yaml']);
  });

  it('honours severity settings, including off', async () => {
    const vault = await openVault({ 'a.md': '[[Nobody]] ![[x.png]]' });
    const settings = vault.service.settings;
    vault.service.updateSettings({ ...settings, diagnostics: { ...settings.diagnostics, severity: { ...settings.diagnostics.severity, 'link.missing-note': 'off', 'link.missing-image': 'error' } } });
    const diagnostics = vault.service.getDiagnostics(vault.uri('a.md'));
    assert.deepEqual(diagnostics.map((d) => [d.code, d.severity]), [['link.missing-image', 1]]);
  });
});
