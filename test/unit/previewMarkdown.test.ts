import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import MarkdownIt from 'markdown-it';
import { obsidianPreview, vscodeSlug, type LinkResolutions } from '../../client/src/preview/obsidianMarkdown';
import type { PreviewLink } from '../../server/src/protocol/vaultlinkProtocol';
import { LINE_NOTE, SEED_VAULT } from '../kit/vault';

/**
 * markdown-it set up as VS Code's preview sets it up (markdown-language-features'
 * markdownEngine.ts): html on, plugins first, then heading ids from its slugifier
 * (with `-1`, `-2` for repeats) wrapped around the plugins' heading rule, and
 * each block's source line in `data-line`.
 */
function vscodeMarkdown(resolutions: LinkResolutions | undefined): MarkdownIt {
  const md = new MarkdownIt({ html: true });
  obsidianPreview(md, { resolutionsFor: () => resolutions });
  const counts = new Map<string, number>();
  const original = md.renderer.rules.heading_open!;
  md.renderer.rules.heading_open = (tokens, idx, options, env, self) => {
    const plain = (tokens[idx + 1].children ?? []).filter((t) => ['text', 'code_inline', 'emoji'].includes(t.type)).map((t) => t.content).join('');
    let slug = vscodeSlug(plain);
    const seen = counts.get(slug);
    if (seen !== undefined) {
      counts.set(slug, seen + 1);
      slug = vscodeSlug(`${slug}-${seen + 1}`);
    } else counts.set(slug, 0);
    tokens[idx].attrSet('id', slug);
    return original(tokens, idx, options, env, self);
  };
  md.core.ruler.push('source_map_data_attribute', (state) => {
    for (const token of state.tokens) if (token.map && token.type !== 'inline') token.attrSet('data-line', String(token.map[0]));
    return false;
  });
  return md;
}

function resolutions(...links: PreviewLink[]): LinkResolutions {
  return new Map(links.map((link) => [link.target, link]));
}

/** The `id` of the element whose text includes `text`'s heading. */
function headingId(html: string, heading: string): string | undefined {
  const escaped = heading.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/&/g, '&amp;');
  return new RegExp(`<h\\d[^>]* id="([^"]*)"[^>]*>${escaped}</h\\d>`).exec(html)?.[1];
}

describe('preview: wiki links', () => {
  it('links [[#Heading]] to the id VS Code gives that heading: Korean, punctuation, times and tracks, repeats', () => {
    const headings = ['사용자 속성 추정 시스템', 'PIPE: 더 나은 개발자 경험을 위한 CI/CD + Runtime', '10:00, Track1, Title', 'Same', 'Same'];
    const text = ['- [[#사용자 속성 추정 시스템]]', '- [[#PIPE: 더 나은 개발자 경험을 위한 CI/CD + Runtime|PIPE]]', '- [[#10:00, Track1, Title]]', '- [[#Same]]', '', ...headings.map((h) => `# ${h}`)].join('\n');
    const lineOf = (heading: string, nth = 0) => text.split('\n').map((line, i) => [line, i] as const).filter(([line]) => line === `# ${heading}`)[nth][1];
    const md = vscodeMarkdown(
      resolutions(
        { target: '#사용자 속성 추정 시스템', broken: false, sameNote: true, href: 'n.md', heading: { text: headings[0], line: lineOf(headings[0]) } },
        { target: '#PIPE: 더 나은 개발자 경험을 위한 CI/CD + Runtime', broken: false, sameNote: true, href: 'n.md', heading: { text: headings[1], line: lineOf(headings[1]) } },
        { target: '#10:00, Track1, Title', broken: false, sameNote: true, href: 'n.md', heading: { text: headings[2], line: lineOf(headings[2]) } },
        // The server matched the second "Same" (say, by a heading path): the link names that one.
        { target: '#Same', broken: false, sameNote: true, href: 'n.md', heading: { text: 'Same', line: lineOf('Same', 1) } },
      ),
    );
    const html = md.render(text, {});
    const ids = [...html.matchAll(/<h1[^>]* id="([^"]*)"/g)].map((match) => match[1]);
    assert.deepEqual(ids.slice(2), ['1000-track1-title', 'same', 'same-1']);
    const hrefs = [...html.matchAll(/<a href="([^"]*)" data-href="([^"]*)"/g)].map((match) => {
      assert.equal(match[1], match[2]);
      return match[1];
    });
    assert.deepEqual(hrefs, [`#${ids[0]}`, `#${ids[1]}`, '#1000-track1-title', '#same-1']);
    assert.equal(ids[0], encodeURI('사용자-속성-추정-시스템'));
    assert.equal(ids[1], encodeURI('pipe-더-나은-개발자-경험을-위한-cicd--runtime'));
    assert.match(html, />PIPE<\/a>/);
    assert.match(html, />10:00, Track1, Title<\/a>/, 'a link without an alias shows the heading');
  });

  it('links another note to its file and heading, relative to the previewed note', () => {
    const md = vscodeMarkdown(resolutions({ target: 'Other Note#Part Two', broken: false, href: '../notes/Other%20Note.md', path: 'notes/Other Note.md', heading: { text: 'Part **Two**', line: 3 } }));
    const html = md.render('See [[Other Note#Part Two]] and [[Other Note#Part Two|the part]].', {});
    assert.match(html, /<a href="\.\.\/notes\/Other%20Note\.md#part-two" data-href="\.\.\/notes\/Other%20Note\.md#part-two" class="vaultlink-link" title="notes\/Other Note\.md">Other Note &gt; Part Two<\/a>/);
    assert.match(html, />the part<\/a>/);
  });

  it('draws links pending (plain text, no href) until the server has answered, never broken', () => {
    const html = vscodeMarkdown(undefined).render('[[Somewhere]] ![[pic.png|300]] ![[Note#Section]]', {});
    assert.doesNotMatch(html, /vaultlink-broken|<a |<img/);
    assert.match(html, /<span class="vaultlink-link vaultlink-pending">Somewhere<\/span>/);
    assert.match(html, /<span class="vaultlink-embed vaultlink-pending">pic\.png<\/span>/);
  });

  it('draws broken links and embeds as broken, with the reason', () => {
    const md = vscodeMarkdown(
      resolutions(
        { target: 'Nowhere', broken: true, problem: 'No note "Nowhere" in the vault' },
        { target: 'Other#Gone', broken: true, href: 'Other.md', problem: 'No heading "Gone" in "Other"' },
        { target: 'missing.png', broken: true, problem: 'No image "missing.png" in the vault' },
      ),
    );
    const html = md.render('[[Nowhere]] [[Other#Gone]]\n\n![[missing.png]]', {});
    assert.match(html, /<span class="vaultlink-link vaultlink-broken" title="No note &quot;Nowhere&quot; in the vault">Nowhere<\/span>/);
    assert.match(html, /<a href="Other\.md" data-href="Other\.md" class="vaultlink-link vaultlink-broken" title="No heading &quot;Gone&quot; in &quot;Other&quot;">Other &gt; Gone<\/a>/);
    assert.match(html, /<span class="vaultlink-embed vaultlink-broken" title="No image &quot;missing\.png&quot; in the vault">missing\.png<\/span>/);
  });

  it('shows an embedded image at its width, through the image rule', () => {
    const md = vscodeMarkdown(resolutions({ target: 'assets/a b.png', broken: false, href: 'assets/a%20b.png', image: true, path: 'assets/a b.png' }));
    const html = md.render('![[assets/a b.png|300]] ![[assets/a b.png|120x80]] ![[assets/a b.png|A caption]]', {});
    assert.match(html, /<img src="assets\/a%20b\.png" alt="a b\.png" width="300" class="vaultlink-image">/);
    assert.match(html, /<img src="assets\/a%20b\.png" alt="a b\.png" width="120" height="80" class="vaultlink-image">/);
    assert.match(html, /<img src="assets\/a%20b\.png" alt="A caption" class="vaultlink-image">/);
  });

  it('embeds a section as a block with its own links, headings without ids, and never deeper than one level', () => {
    const md = vscodeMarkdown(
      resolutions({
        target: 'Talk#Slides',
        broken: false,
        href: 'Talk.md',
        heading: { text: 'Slides', line: 2 },
        embed: {
          markdown: '## Slides\nsee [[Sibling]] and ==this==\n![[Home]]',
          truncated: true,
          links: [
            { target: 'Sibling', broken: false, href: 'Sibling.md' },
            { target: 'Home', broken: false, href: 'Home.md', sameNote: true },
          ],
        },
      }),
    );
    const html = md.render('# Top\n\n![[Talk#Slides]]\n', {});
    assert.match(html, /<div class="vaultlink-embed vaultlink-note-embed" data-line="2"><div class="vaultlink-embed-title"><a href="Talk\.md#slides"/);
    assert.match(html, /<h2 class="vaultlink-embed-heading">Slides<\/h2>/);
    assert.match(html, /<a href="Sibling\.md" data-href="Sibling\.md" class="vaultlink-link"/);
    assert.match(html, /<mark>this<\/mark>/);
    // The embed inside the embed is a link, not a second expansion.
    assert.match(html, /<a href="Home\.md" data-href="Home\.md" class="vaultlink-link vaultlink-embed-link"[^>]*>Home<\/a>/);
    assert.match(html, /vaultlink-embed-more/);
    assert.doesNotMatch(html, /<p[^>]*>\s*<div/, 'no paragraph around the block');
    assert.equal([...html.matchAll(/data-line="/g)].length, 2, 'only the note\'s own blocks carry source lines');
  });

  it('keeps hostile input linear: searches over a line of [[, %% or ![[x| grow with the line, not its square', () => {
    const md = vscodeMarkdown(resolutions());
    // Characters String#indexOf walks during a render (the rules' searches for `]]`, `[[`, `%%`, line breaks).
    const scanned = (text: string): number => {
      const original = String.prototype.indexOf;
      let total = 0;
      String.prototype.indexOf = function (this: string, search: string, from = 0) {
        const found = original.call(this, search, from);
        total += (found < 0 ? this.length : found) - Math.max(0, from);
        return found;
      };
      try {
        md.render(text, {});
      } finally {
        String.prototype.indexOf = original;
      }
      return total;
    };
    for (const unit of ['[[ ', '%%a ', '![[x|', '[[a|b ']) {
      const once = scanned(unit.repeat(2000));
      const twice = scanned(unit.repeat(4000));
      assert.ok(twice <= 2.5 * once + 100, `${JSON.stringify(unit)}: ${once} characters searched at n, ${twice} at 2n`);
    }
  });
});

describe('preview: Obsidian syntax', () => {
  const md = vscodeMarkdown(resolutions());

  it('draws ==highlight== as <mark>', () => {
    assert.match(md.render('a ==메일링== b'), /<mark>메일링<\/mark>/);
  });

  it('hides %%comments%% inline, across lines and as blocks, unclosed to the end', () => {
    const html = md.render('keep %%hidden%% this\n\n%%\nblock\ncomment\n%%\n\nafter %%two\nlines%% end\n\n%% one line %%\n\nvisible\n\n%%\nnever closed\n\nstill hidden');
    assert.doesNotMatch(html, /hidden|block|comment|two|lines|one line|never closed/);
    assert.match(html, /keep\s+this/);
    assert.match(html, /after\s+end/);
    assert.match(html, /visible/);
  });

  it('leaves %% inside code alone', () => {
    assert.match(md.render('`%%x%%`\n\n```\n%%\n```'), /<code>%%x%%<\/code>[\s\S]*<code[^>]*>%%\n<\/code>/);
  });

  it('draws callouts as Obsidian does: type, icon, title, foldable + and -', () => {
    const html = md.render('> [!warning] Watch **out**\n> body text\n\n> [!tip]- Folded\n> hidden until opened\n\n> [!note]+ Open\n> shown\n\n> [!"><x]\n> y');
    assert.match(html, /<div class="callout" data-callout="warning">[\s\S]*lucide-alert-triangle[\s\S]*<div class="callout-title-inner">Watch <strong>out<\/strong><\/div>[\s\S]*<p[^>]*>body text<\/p>/);
    assert.match(html, /<details class="callout" data-callout="tip" data-callout-fold="-">[\s\S]*<summary class="callout-title">[\s\S]*Folded/);
    assert.match(html, /<details class="callout" data-callout="note" data-callout-fold="\+" open>/);
    assert.match(html, /data-callout="x"/, 'a callout type cannot break out of its attribute');
  });

  it('draws tags, not headings, numbers or URL fragments', () => {
    const html = md.render('#conference and #한글/태그 but not #1 or https://x.org/#frag or C#');
    assert.match(html, /<span class="vaultlink-tag">#conference<\/span>/);
    assert.match(html, /<span class="vaultlink-tag">#한글\/태그<\/span>/);
    assert.equal([...html.matchAll(/vaultlink-tag/g)].length, 2);
  });

  it('hides block ids and gives the block an id for [[#^id]]', () => {
    const mdWithBlock = vscodeMarkdown(resolutions({ target: '#^key-point', broken: false, sameNote: true, href: 'n.md', block: { id: 'key-point', line: 2 } }));
    const html = mdWithBlock.render('[[#^key-point]]\n\nThe key point ^key-point\n');
    assert.match(html, /<p data-line="2" id="\^key-point">The key point<\/p>/);
    assert.match(html, /<a href="#\^key-point"/);
  });
});

describe('preview of the Line Developer Day note', () => {
  it('links every table-of-contents entry to its heading', () => {
    const text = fs.readFileSync(path.join(SEED_VAULT, LINE_NOTE), 'utf8');
    const lines = text.split('\n');
    const toc = lines.map((line) => /^- \[\[#([^|\]]+)\|/.exec(line)?.[1]).filter((heading): heading is string => heading !== undefined);
    assert.ok(toc.length >= 12);
    const md = vscodeMarkdown(resolutions(...toc.map((heading) => ({ target: `#${heading}`, broken: false, sameNote: true, href: 'n.md', heading: { text: heading, line: lines.indexOf(`# ${heading}`) } }))));
    const html = md.render(text, {});
    for (const heading of toc) {
      const id = headingId(html, heading);
      assert.ok(id, `the heading ${heading} has an id`);
      assert.ok(html.includes(`<a href="#${id}" data-href="#${id}" class="vaultlink-link" title="">${heading.replace(/&/g, '&amp;')}</a>`), `the entry for ${heading} links to #${id}`);
    }
    assert.match(html, /<mark>메일링<\/mark>/);
  });
});
