// The markdown-it plugin that makes VS Code's markdown preview draw Obsidian
// notes: wiki links and embeds, `==highlights==`, `%%comments%%`, callouts,
// tags and block ids. It draws; it never resolves: what a link leads to comes
// from the language server (`vaultlink/previewLinks`), looked up by the link's
// target as written. markdown-it renders synchronously, so the plugin is handed
// whatever answer is known for the document (see previewLinks.ts); without one,
// links are drawn pending (plain text), never broken.
//
// Pure: no `vscode` import, so unit tests run it with markdown-it directly.
import type MarkdownIt from 'markdown-it';
import markPlugin from 'markdown-it-mark';
import calloutsPlugin from 'markdown-it-obsidian-callouts';
import type { PreviewLink } from '../../../server/src/protocol/vaultlinkProtocol';

type Token = MarkdownIt.Token;
type StateInline = MarkdownIt.StateInline;
type StateBlock = MarkdownIt.StateBlock;
type StateCore = MarkdownIt.StateCore;
type Renderer = MarkdownIt.Renderer;
type RenderEnv = Record<string, unknown>;

/** The server's answer for one document, by link target as written. */
export type LinkResolutions = ReadonlyMap<string, PreviewLink>;

export interface ObsidianPreviewOptions {
  /**
   * The resolutions of the links of the document being rendered (VS Code puts
   * it in `env.currentDocument`); undefined while none is known, and then
   * links are drawn pending. Called once per render.
   */
  resolutionsFor(env: RenderEnv): LinkResolutions | undefined;
}

/** Longest `[[…]]` looked at: a link is a name, not a page, and a bound keeps hostile lines linear. */
const MAX_WIKI_LINK_LENGTH = 1000;
/** Embedded markdown parsed once and kept, by its text, for this many embeds. */
const EMBED_CACHE_SIZE = 64;

interface WikiMeta {
  readonly target: string;
  readonly display: string;
  readonly alias?: string;
  readonly size?: { readonly width: number; readonly height?: number };
  /** An embed alone in its paragraph, drawn as a block. */
  block?: boolean;
  /** That paragraph's opening token, whose source-line attributes the block takes. */
  paragraph?: Token;
}

/** Per top-level render: the heading ids VS Code gave (by line), for `[[#Heading]]` hrefs written before their heading. */
interface RenderState {
  readonly resolutions: LinkResolutions | undefined;
  readonly headingIds: Map<number, string>;
  readonly fallbackIds: Map<number, string>;
}

interface EmbedContext {
  readonly resolutions: LinkResolutions;
  readonly depth: number;
}

const STATE_KEY = 'vaultlinkRender';
const EMBED_KEY = 'vaultlinkEmbed';

// A `[[#Heading]]` is rendered before VS Code has given that heading its id, so
// its href holds this until the render ends. Random per session, so no note
// text can spell it.
const NONCE = Math.random().toString(36).slice(2, 10);
const PLACEHOLDER = new RegExp(`vaultlink-heading-${NONCE}-(\\d+)`, 'g');

/**
 * VS Code's heading id (its `githubSlugifier` in markdown-language-features'
 * src/slugify.ts): what `#fragment` hrefs must name for the preview to scroll.
 * Taken over the heading's plain text as VS Code's engine reads it (text, code
 * and emoji tokens only). Duplicate headings get `-1`, `-2` in the preview;
 * those are found by line for the note itself, not for other notes.
 */
export function vscodeSlug(plainText: string): string {
  return encodeURI(
    plainText
      .trim()
      .toLowerCase()
      .replace(/\s+/g, '-')
      .replace(/[\][!/'"#$%&()*+,./:;<=>?@\\^{|}~`。，、；：？！…—·ˉ¨‘’“”々～‖∶＂＇｀｜〃〔〕〈〉《》「」『』．〖〗【】（）［］｛｝]/g, '')
      .replace(/^-+/, '')
      .replace(/-+$/, ''),
  );
}

/** The index of `needle` at or after `from` in `src`, remembering the last answer so a run of calls over one text stays linear. */
class NextOccurrence {
  #src = '';
  #from = -1;
  #found = -1;
  constructor(private readonly needle: string) {}
  after(src: string, from: number): number {
    if (src === this.#src && from >= this.#from && (this.#found < 0 || this.#found >= from)) return this.#found;
    this.#src = src;
    this.#from = from;
    this.#found = src.indexOf(this.needle, from);
    return this.#found;
  }
}

const nextClose = new NextOccurrence(']]');
const nextOpen = new NextOccurrence('[[');
const nextBreak = new NextOccurrence('\n');
const nextComment = new NextOccurrence('%%');

/** The plugin: `md.use(obsidianPreview, options)`; returns `md` for VS Code's `extendMarkdownIt`. */
export function obsidianPreview(md: MarkdownIt, options: ObsidianPreviewOptions): MarkdownIt {
  md.use(markPlugin);
  md.use(calloutsPlugin);
  md.core.ruler.after('obsidian-callouts', 'vaultlink_callout_types', sanitizeCalloutTypes);
  md.inline.ruler.before('link', 'vaultlink_wikilink', wikiLinkRule);
  md.inline.ruler.before('text', 'vaultlink_comment', inlineCommentRule);
  md.inline.ruler.before('link', 'vaultlink_tag', tagRule);
  md.inline.ruler.before('text', 'vaultlink_block_id', blockIdRule);
  md.block.ruler.before('paragraph', 'vaultlink_comment', blockCommentRule, { alt: ['paragraph', 'reference', 'blockquote', 'list'] });
  md.core.ruler.push('vaultlink_block_embeds', markBlockEmbeds);

  const embedTokens = new Map<string, Token[]>();
  const TokenClass = (md.core as unknown as { State: { prototype: { Token: new (type: string, tag: string, nesting: -1 | 0 | 1) => Token } } }).State.prototype.Token;

  const rules = md.renderer.rules;
  rules.vaultlink_comment = () => '';
  rules.vaultlink_block_id = () => '';
  rules.vaultlink_tag = (tokens, idx) => `<span class="vaultlink-tag">#${md.utils.escapeHtml(tokens[idx].content)}</span>`;
  rules.vaultlink_embed_heading_open = (tokens, idx) => `<${tokens[idx].tag} class="vaultlink-embed-heading">`;
  rules.vaultlink_embed_heading_close = (tokens, idx) => `</${tokens[idx].tag}>\n`;
  rules.vaultlink_wikilink = (tokens, idx, _options, env: RenderEnv) => {
    const meta = tokens[idx].meta as WikiMeta;
    return renderLink(meta, resolutionsOf(env)?.get(meta.target), env, 'vaultlink-link');
  };
  rules.vaultlink_embed = (tokens, idx, renderOptions, env: RenderEnv, self) => renderEmbed(tokens[idx].meta as WikiMeta, renderOptions, env, self);

  // VS Code wraps this rule with its own, which sets the heading's id first; the
  // id is recorded by line so `[[#Heading]]` links name exactly that id.
  const previousHeadingOpen = rules.heading_open;
  rules.heading_open = (tokens, idx, renderOptions, env: RenderEnv, self) => {
    const token = tokens[idx];
    const state = env?.[STATE_KEY] as RenderState | undefined;
    const id = token.attrGet('id');
    if (state && id && token.map && !env[EMBED_KEY]) state.headingIds.set(token.map[0], id);
    return previousHeadingOpen ? previousHeadingOpen(tokens, idx, renderOptions, env, self) : self.renderToken(tokens, idx, renderOptions);
  };

  const originalRender = md.renderer.render.bind(md.renderer);
  md.renderer.render = (tokens, renderOptions, env: RenderEnv | undefined) => {
    if (env?.[STATE_KEY]) return originalRender(tokens, renderOptions, env); // an embed inside a render
    const renderEnv: RenderEnv = env ?? {};
    const state: RenderState = { resolutions: options.resolutionsFor(renderEnv), headingIds: new Map(), fallbackIds: new Map() };
    if (state.resolutions) markBlockTargets(tokens, state.resolutions);
    renderEnv[STATE_KEY] = state;
    let html: string;
    try {
      html = originalRender(tokens, renderOptions, renderEnv);
    } finally {
      delete renderEnv[STATE_KEY];
    }
    return html.replace(PLACEHOLDER, (_, line: string) => state.headingIds.get(Number(line)) ?? state.fallbackIds.get(Number(line)) ?? '');
  };

  function resolutionsOf(env: RenderEnv | undefined): LinkResolutions | undefined {
    const embed = env?.[EMBED_KEY] as EmbedContext | undefined;
    return embed ? embed.resolutions : (env?.[STATE_KEY] as RenderState | undefined)?.resolutions;
  }

  /** The plain text of a heading as VS Code's engine reads it, slugged as VS Code does. */
  function slugOf(headingText: string): string {
    const plain = (tokens: readonly Token[]): string =>
      tokens.map((token) => (token.children ? plain(token.children) : ['text', 'emoji', 'code_inline'].includes(token.type) ? token.content : '')).join('');
    return vscodeSlug(plain(md.parseInline(headingText, {})));
  }

  function hrefOf(link: PreviewLink, env: RenderEnv): string {
    const state = env?.[STATE_KEY] as RenderState | undefined;
    if (link.sameNote && link.heading) {
      if (!state) return `#${slugOf(link.heading.text)}`;
      state.fallbackIds.set(link.heading.line, slugOf(link.heading.text));
      return `#vaultlink-heading-${NONCE}-${link.heading.line}`;
    }
    if (link.sameNote && link.block) return `#${blockElementId(link.block.id)}`;
    return (link.href ?? '') + (link.heading ? `#${slugOf(link.heading.text)}` : '');
  }

  function renderLink(meta: WikiMeta, link: PreviewLink | undefined, env: RenderEnv, classes: string): string {
    const text = md.utils.escapeHtml(meta.display);
    if (!link) return `<span class="${classes} vaultlink-pending">${text}</span>`;
    const title = md.utils.escapeHtml(link.problem ?? link.path ?? '');
    if (!link.href) return `<span class="${classes} vaultlink-broken" title="${title}">${text}</span>`;
    const href = md.utils.escapeHtml(hrefOf(link, env));
    return `<a href="${href}" data-href="${href}" class="${classes}${link.broken ? ' vaultlink-broken' : ''}" title="${title}">${text}</a>`;
  }

  function renderEmbed(meta: WikiMeta, renderOptions: MarkdownIt.Options, env: RenderEnv, self: Renderer): string {
    const link = resolutionsOf(env)?.get(meta.target);
    const tag = meta.block ? 'div' : 'span';
    const lineAttributes = meta.block && meta.paragraph ? sourceLineAttributes(meta.paragraph) : '';
    if (!link) return `<${tag} class="vaultlink-embed vaultlink-pending"${lineAttributes}>${md.utils.escapeHtml(meta.display)}</${tag}>`;
    if (link.broken || !link.href) {
      const title = md.utils.escapeHtml(link.problem ?? '');
      return `<${tag} class="vaultlink-embed vaultlink-broken" title="${title}"${lineAttributes}>${md.utils.escapeHtml(meta.display)}</${tag}>`;
    }
    if (link.image) {
      // An image token, so VS Code's own image rule maps the path to the webview and watches the file.
      const image = new TokenClass('image', 'img', 0);
      const alt = meta.alias && !meta.size ? meta.alias : meta.display;
      image.attrs = [['src', link.href], ['alt', '']];
      if (meta.size) {
        image.attrSet('width', String(meta.size.width));
        if (meta.size.height !== undefined) image.attrSet('height', String(meta.size.height));
      }
      const altText = new TokenClass('text', '', 0);
      altText.content = alt;
      image.children = [altText];
      image.content = alt;
      image.attrJoin('class', 'vaultlink-image');
      const rule = self.rules.image;
      return rule ? rule([image], 0, renderOptions, env, self) : self.renderToken([image], 0, renderOptions);
    }
    const depth = (env?.[EMBED_KEY] as EmbedContext | undefined)?.depth ?? 0;
    if (!link.embed || depth > 0) return renderLink(meta, link, env, 'vaultlink-link vaultlink-embed-link');
    const nestedEnv: RenderEnv = { ...env, [EMBED_KEY]: { resolutions: new Map(link.embed.links.map((inner) => [inner.target, inner])), depth: depth + 1 } satisfies EmbedContext };
    const inner = self.render(embedTokensOf(link.embed.markdown, nestedEnv), renderOptions, nestedEnv);
    const title = renderLink({ ...meta, display: meta.alias ?? meta.display }, link, env, 'vaultlink-link');
    const more = link.embed.truncated ? `<${tag} class="vaultlink-embed-more">…</${tag}>` : '';
    return `<${tag} class="vaultlink-embed vaultlink-note-embed"${lineAttributes}><${tag} class="vaultlink-embed-title">${title}</${tag}>${inner}${more}</${tag}>`;
  }

  /**
   * The embedded markdown's tokens, parsed once per text: without source lines
   * (they are not this note's lines, and VS Code scrolls by them) and with
   * plain headings (VS Code's ids are for the note's own headings).
   */
  function embedTokensOf(markdown: string, env: RenderEnv): Token[] {
    let tokens = embedTokens.get(markdown);
    if (!tokens) {
      tokens = md.parse(markdown, env);
      for (const token of tokens) {
        if (token.attrs) {
          token.attrs = token.attrs.filter(([name]) => name !== 'data-line' && name !== 'dir');
          const classes = token.attrGet('class');
          if (classes !== null) token.attrSet('class', classes.split(/\s+/).filter((name) => name && name !== 'code-line').join(' '));
        }
        if (token.type === 'heading_open') token.type = 'vaultlink_embed_heading_open';
        if (token.type === 'heading_close') token.type = 'vaultlink_embed_heading_close';
      }
      if (embedTokens.size >= EMBED_CACHE_SIZE) embedTokens.delete(embedTokens.keys().next().value!);
      embedTokens.set(markdown, tokens);
    }
    return tokens;
  }

  return md;
}

/** The id the preview gives a block that `[[#^id]]` links to. */
export function blockElementId(id: string): string {
  return `^${id.toLowerCase()}`;
}

/** Gives the innermost block holding each linked-to block id's line an id, so `[[#^id]]` scrolls there. */
function markBlockTargets(tokens: Token[], resolutions: LinkResolutions): void {
  const lines = new Map<number, string>();
  for (const link of resolutions.values()) if (link.sameNote && link.block) lines.set(link.block.line, link.block.id);
  if (!lines.size) return;
  for (const [line, id] of lines) {
    let innermost: Token | undefined;
    for (const token of tokens) {
      if (token.nesting === 1 && token.map && token.map[0] <= line && line < token.map[1] && !token.type.startsWith('heading')) innermost = token;
    }
    innermost?.attrSet('id', blockElementId(id));
  }
}

function sourceLineAttributes(token: Token): string {
  const line = token.attrGet('data-line');
  return line === null ? '' : ` data-line="${line}"`;
}

/** `[[target|alias]]` and `![[target|alias]]`, on one line, no `[[` inside: as the server's parser reads them. */
function wikiLinkRule(state: StateInline, silent: boolean): boolean {
  const src = state.src;
  const embed = src.charCodeAt(state.pos) === 0x21; /* ! */
  const open = embed ? state.pos + 1 : state.pos;
  if (src.charCodeAt(open) !== 0x5b || src.charCodeAt(open + 1) !== 0x5b) return false;
  const start = open + 2;
  const close = nextClose.after(src, start);
  if (close < 0 || close - start > MAX_WIKI_LINK_LENGTH) return false;
  const lineBreak = nextBreak.after(src, start);
  if (lineBreak >= 0 && lineBreak < close) return false;
  const inner = nextOpen.after(src, start);
  if (inner >= 0 && inner + 1 < close) return false;
  const content = src.slice(start, close);
  const pipe = content.indexOf('|');
  let target = pipe < 0 ? content : content.slice(0, pipe);
  // In a table the pipe is written `\|`.
  if (target.endsWith('\\')) target = target.slice(0, -1);
  if (target.trim() === '') return false;
  const alias = pipe < 0 ? undefined : content.slice(pipe + 1);
  if (!silent) {
    const dims = embed && alias !== undefined ? /^\s*(\d+)(?:x(\d+))?\s*$/.exec(alias) : null;
    const size = dims ? { width: Number(dims[1]), ...(dims[2] === undefined ? {} : { height: Number(dims[2]) }) } : undefined;
    const token = state.push(embed ? 'vaultlink_embed' : 'vaultlink_wikilink', '', 0);
    const meta: WikiMeta = { target, alias, size, display: alias !== undefined && !size && alias.trim() !== '' ? alias : displayOf(target, embed) };
    token.meta = meta;
    token.content = meta.display;
  }
  state.pos = close + 2;
  return true;
}

/** What Obsidian shows for a link without an alias: `Note`, `Note > Heading`, `Heading` for `[[#Heading]]`. */
function displayOf(target: string, embed: boolean): string {
  const hash = target.indexOf('#');
  const path = (hash < 0 ? target : target.slice(0, hash)).trim();
  const subpath = hash < 0 ? '' : target.slice(hash + 1).split('#').map((part) => part.trim()).filter(Boolean).join(' > ');
  if (embed) return path.replace(/^.*\//, '') + (subpath ? ` > ${subpath}` : '') || subpath;
  if (!path) return subpath;
  return subpath ? `${path} > ${subpath}` : path;
}

/** `%%hidden%%` within a paragraph, across its lines too; an unclosed `%%` stays text. */
function inlineCommentRule(state: StateInline, silent: boolean): boolean {
  const src = state.src;
  if (src.charCodeAt(state.pos) !== 0x25 || src.charCodeAt(state.pos + 1) !== 0x25) return false;
  const close = nextComment.after(src, state.pos + 2);
  if (close < 0) return false;
  if (!silent) state.push('vaultlink_comment', '', 0);
  state.pos = close + 2;
  return true;
}

/**
 * A block starting with `%%`: hidden to the line holding the closing `%%`, or,
 * unclosed, to the end, as Obsidian's reading view hides it. A line like
 * `%% note %% text` is a paragraph with an inline comment instead.
 */
function blockCommentRule(state: StateBlock, startLine: number, endLine: number, silent: boolean): boolean {
  if (state.sCount[startLine] - state.blkIndent >= 4) return false;
  const start = state.bMarks[startLine] + state.tShift[startLine];
  const lineEnd = state.eMarks[startLine];
  if (state.src.charCodeAt(start) !== 0x25 || state.src.charCodeAt(start + 1) !== 0x25) return false;
  const rest = state.src.slice(start + 2, lineEnd);
  const sameLine = rest.indexOf('%%');
  let last = -1;
  if (sameLine >= 0) {
    if (rest.slice(sameLine + 2).trim() !== '') return false;
    last = startLine;
  } else {
    for (let line = startLine + 1; line < endLine && last < 0; line++) {
      if (state.src.slice(state.bMarks[line], state.eMarks[line]).includes('%%')) last = line;
    }
    if (last < 0) last = endLine - 1;
  }
  if (silent) return true;
  const token = state.push('vaultlink_comment', '', 0);
  token.map = [startLine, last + 1];
  state.line = last + 1;
  return true;
}

const TAG_BODY = /[\p{L}\p{N}\p{M}_\-/]+/uy;

/** `#tag`, `#a/b`, `#한글` after a space or at the start; not all digits (`#1` is not a tag). */
function tagRule(state: StateInline, silent: boolean): boolean {
  const src = state.src;
  const at = state.pos;
  if (src.charCodeAt(at) !== 0x23) return false;
  if (at > 0 && !/\s/.test(src[at - 1])) return false;
  TAG_BODY.lastIndex = at + 1;
  const match = TAG_BODY.exec(src);
  if (!match || /^\d+$/.test(match[0])) return false;
  if (!silent) state.push('vaultlink_tag', '', 0).content = match[0];
  state.pos = at + 1 + match[0].length;
  return true;
}

const BLOCK_ID = /\^[A-Za-z0-9-]+(?=[ \t]*(\n|$))/y;

/** A trailing ` ^block-id`, hidden as Obsidian's reading view hides it. */
function blockIdRule(state: StateInline, silent: boolean): boolean {
  const src = state.src;
  const at = state.pos;
  if (src.charCodeAt(at) !== 0x5e || (at > 0 && !/\s/.test(src[at - 1]))) return false;
  BLOCK_ID.lastIndex = at;
  const match = BLOCK_ID.exec(src);
  if (!match) return false;
  if (!silent) {
    state.pending = state.pending.replace(/[ \t]+$/, '');
    state.push('vaultlink_block_id', '', 0);
  }
  state.pos = at + match[0].length;
  return true;
}

/** Callout types go into an attribute and a selector unescaped by the callout plugin: keep them to letters, digits and `-`. */
function sanitizeCalloutTypes(state: StateCore): boolean {
  for (const token of state.tokens) {
    const type = token.attrGet('data-callout');
    if (type !== null) token.attrSet('data-callout', type.replace(/[^\p{L}\p{N}_-]/gu, '') || 'note');
  }
  return false;
}

/** A paragraph holding only note embeds (and line breaks) is drawn as blocks, not as a paragraph around them. */
function markBlockEmbeds(state: StateCore): boolean {
  const tokens = state.tokens;
  for (let i = 0; i + 2 < tokens.length; i++) {
    if (tokens[i].type !== 'paragraph_open' || tokens[i + 1].type !== 'inline' || tokens[i + 2].type !== 'paragraph_close') continue;
    const children = tokens[i + 1].children ?? [];
    const embeds = children.filter((child) => child.type === 'vaultlink_embed');
    const onlyEmbeds = embeds.length > 0 && children.every((child) => child.type === 'vaultlink_embed' || child.type === 'softbreak' || (child.type === 'text' && child.content.trim() === ''));
    // Attachments (a path with an extension other than .md) stay inline: images sit in their paragraph.
    if (!onlyEmbeds || embeds.some((embed) => /\.(?!md$)[a-z0-9]+$/i.test((embed.meta as WikiMeta).target.split('#')[0].trim()))) continue;
    tokens[i].hidden = true;
    tokens[i + 2].hidden = true;
    for (const embed of embeds) {
      (embed.meta as WikiMeta).block = true;
      (embed.meta as WikiMeta).paragraph = tokens[i];
    }
  }
  return false;
}
