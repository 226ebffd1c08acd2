import * as assert from 'node:assert/strict';
import { PREVIEW_EMBED_MAX_CHARS, relativeHref } from '../../server/src/features/previewLinks';
import type { PreviewLink } from '../../server/src/protocol/vaultlinkProtocol';
import { LINE_NOTE, openVault, seedFiles } from '../kit/vault';

async function previewLinksOf(files: Record<string, string | Uint8Array>, note: string): Promise<Map<string, PreviewLink>> {
  const vault = await openVault(files);
  const answer = await vault.service.getPreviewLinks(vault.uri(note));
  assert.equal(answer.uri, vault.uri(note));
  return new Map(answer.links.map((link) => [link.target, link]));
}

describe('preview links (what the markdown preview draws each wiki link as)', () => {
  it("resolves the Line note's table of contents to its own headings, with their lines", async () => {
    const files = seedFiles();
    const links = await previewLinksOf(files, LINE_NOTE);
    const lines = files[LINE_NOTE].split('\n');
    for (const heading of ['Opening Keynote', 'PIPE: 더 나은 개발자 경험을 위한 CI/CD + Runtime', 'Lupus – MLOps 가속화를 위한 모니터링 시스템']) {
      const link = links.get(`#${heading}`);
      assert.ok(link, `#${heading} is answered`);
      assert.equal(link.broken, false);
      assert.equal(link.sameNote, true);
      assert.equal(link.heading?.text, heading);
      assert.equal(lines[link.heading!.line], `# ${heading}`);
    }
  });

  it('marks a missing image broken with the reason, and resolves it once the file exists', async () => {
    const before = await previewLinksOf(seedFiles(), LINE_NOTE);
    const missing = before.get('What_mlops.png');
    assert.equal(missing?.broken, true);
    assert.match(missing?.problem ?? '', /No image "What_mlops.png"/);
    assert.equal(missing?.href, undefined);

    const after = await previewLinksOf({ ...seedFiles(), 'assets/What_mlops.png': new Uint8Array([137, 80, 78, 71]) }, LINE_NOTE);
    assert.deepEqual(after.get('What_mlops.png'), { target: 'What_mlops.png', broken: false, href: 'assets/What_mlops.png', path: 'assets/What_mlops.png', image: true });
  });

  it('gives hrefs relative to the previewed note, URL-encoded, and the heading of another note', async () => {
    const links = await previewLinksOf(
      { 'deep/er/From.md': '[[Other Note#Part Two|see]] [[Other Note#Nope]] [[Nowhere]]', 'notes/Other Note.md': '# Top\n## Part Two\n' },
      'deep/er/From.md',
    );
    assert.deepEqual(links.get('Other Note#Part Two'), {
      target: 'Other Note#Part Two',
      broken: false,
      href: '../../notes/Other%20Note.md',
      path: 'notes/Other Note.md',
      heading: { text: 'Part Two', line: 1 },
    });
    const badHeading = links.get('Other Note#Nope');
    assert.equal(badHeading?.broken, true);
    assert.equal(badHeading?.href, '../../notes/Other%20Note.md', 'the note exists: Obsidian still opens it');
    assert.match(badHeading?.problem ?? '', /No heading "Nope" in "Other Note"/);
    assert.equal(links.get('Nowhere')?.broken, true);
    assert.match(links.get('Nowhere')?.problem ?? '', /No note "Nowhere"/);
  });

  it("embeds a section with its own links resolved from the embedded note, one level deep", async () => {
    const links = await previewLinksOf(
      {
        'Home.md': 'Before\n![[sub/Talk#Slides]]\n',
        'sub/Talk.md': '# Talk\nintro\n## Slides\nsee [[#Talk]] and [[Sibling]]\n![[Home]]\n## After\nnot embedded\n',
        'sub/Sibling.md': 'x',
      },
      'Home.md',
    );
    const embed = links.get('sub/Talk#Slides')?.embed;
    assert.ok(embed);
    assert.equal(embed.markdown, '## Slides\nsee [[#Talk]] and [[Sibling]]\n![[Home]]');
    assert.equal(embed.truncated, false);
    const inner = new Map(embed.links.map((link) => [link.target, link]));
    // `[[#Talk]]` inside the embed means Talk's own heading; `[[Sibling]]` resolves from sub/.
    assert.deepEqual(inner.get('#Talk'), { target: '#Talk', broken: false, href: 'sub/Talk.md', path: 'sub/Talk.md', heading: { text: 'Talk', line: 0 } });
    assert.equal(inner.get('Sibling')?.href, 'sub/Sibling.md');
    // The embed back into Home is described but not expanded: no loop.
    assert.equal(inner.get('Home')?.sameNote, true);
    assert.equal(inner.get('Home')?.embed, undefined);
  });

  it('ends a note that embeds itself after one level, and caps a long embed', async () => {
    const long = Array.from({ length: 3000 }, (_, i) => `line ${i} ${'x'.repeat(20)}`).join('\n');
    const links = await previewLinksOf({ 'Self.md': '# Self\n![[Self]]\n![[Long]]\n', 'Long.md': long }, 'Self.md');
    const self = links.get('Self')?.embed;
    assert.ok(self);
    assert.equal(self.links.find((link) => link.target === 'Self')?.embed, undefined);
    const capped = links.get('Long')?.embed;
    assert.ok(capped);
    assert.equal(capped.truncated, true);
    assert.ok(capped.markdown.length <= PREVIEW_EMBED_MAX_CHARS);
    assert.ok(capped.markdown.startsWith('line 0 '));
  });

  it('leaves out links inside %% comments and remote links', async () => {
    const links = await previewLinksOf({ 'a.md': '%% [[Hidden]] %% [[b]] ![[https://example.com/x.png]]', 'b.md': '' }, 'a.md');
    assert.deepEqual([...links.keys()], ['b']);
  });

  it('writes relative hrefs across folders', () => {
    assert.equal(relativeHref('', 'a b/c#d.md'), 'a%20b/c%23d.md');
    assert.equal(relativeHref('x/y', 'x/z/n.md'), '../z/n.md');
    assert.equal(relativeHref('x', 'x/n.md'), 'n.md');
    assert.equal(relativeHref('x', 'x.md'), '../x.md');
  });
});
