import MarkdownIt from 'markdown-it';
import type Token from 'markdown-it/lib/token.mjs';
import { isConferenceCandidate } from './conferenceCandidate';
import { parseFrontMatter } from './frontMatter';
import { headingMatchKey } from './headings';
import { isExternalTarget, normalizeName } from './names';
import { comparePositions, LineIndex } from './text';
import type { BlockAnchor, Heading, LinkSubpath, NoteLink, ParsedNote, TagMention } from './types';

/** Notes larger than this are indexed by name only, with a diagnostic saying so. */
export const MAX_PARSED_NOTE_LENGTH = 8 * 1024 * 1024;

// markdown-it gives the block structure (headings, fences, indented code, HTML
// blocks) with line maps; Obsidian's inline syntax is scanned by hand below,
// because markdown-it's inline tokens carry no columns.
// Only the block pass runs: inline tokens keep their raw content, which is all the
// heading text needs, and skipping inline parsing makes the parse several times faster.
const markdown = new MarkdownIt({ html: true, linkify: false, typographer: false });
markdown.core.ruler.disable(['inline', 'linkify', 'replacements', 'smartquotes', 'text_join'], true);

export interface ParseOptions {
  /**
   * Keep `proseText` whatever the note is (a table of contents for an open
   * note needs it). By default only conference notes keep it: at 10,000 notes
   * it would otherwise be a third of the index's memory.
   */
  readonly keepProse?: boolean;
}

/**
 * Parses one note into its index entry. Never throws on any input: every string
 * is a note, however odd.
 */
export function parseNote(text: string, options: ParseOptions = {}): ParsedNote {
  const lines = new LineIndex(text);
  if (text.length > MAX_PARSED_NOTE_LENGTH) {
    return { frontMatter: undefined, headings: [], links: [], blocks: [], tags: [], lineCount: lines.lineCount, proseText: '', skippedReason: `The note is ${Math.round(text.length / 1024 / 1024)} MB, larger than the ${MAX_PARSED_NOTE_LENGTH / 1024 / 1024} MB Vaultlink parses; its links and headings are not indexed. There is no quick fix: split the note to have it indexed.` };
  }

  const mask = new TextMask(text);
  if (text.charCodeAt(0) === 0xfeff) mask.hide(0, 1);
  const frontMatterBlock = parseFrontMatter(text, lines);
  if (frontMatterBlock) mask.hide(0, frontMatterBlock.end);

  // Comments and math blocks hide whatever they contain, headings included, so
  // they are masked before the block parse; code fences found by a first parse
  // protect their `%%` and `$$` from being taken as comments or math.
  let tokens = markdown.parse(mask.text(), {});
  const codeLines = collectCodeLines(tokens);
  const hidden = hideCommentsAndMath(mask, lines, codeLines);
  if (hidden.multiline) {
    tokens = markdown.parse(mask.text(), {});
  }
  for (const [start, end] of collectCodeLineRanges(tokens.filter((token) => !isMaskingArtefact(token, codeLines)))) {
    mask.hide(lines.lineStart(start), lines.lineStart(end));
  }

  const headings = collectHeadings(tokens, lines, mask.text());
  const masked = mask.text();
  const proseLinks: NoteLink[] = [];
  const tags: TagMention[] = [];
  scanInline(masked, lines, proseLinks, tags);
  const links = hidden.percentComments === undefined ? proseLinks : inNoteOrder(proseLinks, collectCommentLinks(hidden.percentComments, lines));
  const blocks = collectBlockAnchors(masked, lines, tokens);

  const frontMatter = frontMatterBlock?.frontMatter;
  const keepProse = options.keepProse || isConferenceCandidate({ frontMatter, headings });
  return { frontMatter, headings, links, blocks, tags, lineCount: lines.lineCount, proseText: keepProse ? masked : '' };
}

/** A copy of the text in which hidden parts are blanked, keeping every offset and line break. */
class TextMask {
  readonly #hidden: Array<[number, number]> = [];
  #cache: string | undefined;

  constructor(readonly source: string) {}

  hide(start: number, end: number): void {
    if (end > start) {
      this.#hidden.push([start, end]);
      this.#cache = undefined;
    }
  }

  text(): string {
    if (this.#cache !== undefined) return this.#cache;
    const spans = [...this.#hidden].sort((a, b) => a[0] - b[0]);
    let result = '';
    let at = 0;
    for (const [start, end] of spans) {
      if (end <= at) continue;
      const from = Math.max(start, at);
      result += this.source.slice(at, from) + this.source.slice(from, end).replace(/[^\r\n]/g, ' ');
      at = end;
    }
    this.#cache = result + this.source.slice(at);
    return this.#cache;
  }
}

function isCodeToken(token: Token): boolean {
  return token.type === 'fence' || token.type === 'code_block' || token.type === 'html_block';
}

function collectCodeLineRanges(tokens: Token[]): Array<[number, number]> {
  return tokens.filter((token) => isCodeToken(token) && token.map).map((token) => [token.map![0], token.map![1]]);
}

/**
 * Blanking a comment that starts a line indents the rest of the line, which the
 * re-parse then takes for indented code (`%%todo%% [[Note]]` after a heading or
 * a blank line): an indented code block the first parse did not see is not code.
 */
function isMaskingArtefact(token: Token, firstParseCodeLines: ReadonlySet<number>): boolean {
  return token.type === 'code_block' && !!token.map && !firstParseCodeLines.has(token.map[0]);
}

function collectCodeLines(tokens: Token[]): Set<number> {
  const result = new Set<number>();
  for (const [start, end] of collectCodeLineRanges(tokens)) {
    for (let line = start; line < end; line++) result.add(line);
  }
  return result;
}

interface HiddenSpans {
  /** Whether any hidden span crosses a line break (the block structure may then change). */
  readonly multiline: boolean;
  /** The insides of the `%%` comments, everything else blanked; undefined when there are none. */
  readonly percentComments: string | undefined;
}

/** Masks `%%comments%%`, `<!-- comments -->` and `$$math$$` outside code. */
function hideCommentsAndMath(mask: TextMask, lines: LineIndex, codeLines: ReadonlySet<number>): HiddenSpans {
  const text = mask.text();
  const opener = /%%|<!--|\$\$/g;
  let multiline = false;
  // Obsidian indexes the links inside `%%` comments (not those in HTML comments), so their insides are kept aside.
  const outsidePercentComments = new TextMask(text);
  let outsideFrom = 0;
  let anyPercentComment = false;
  let match: RegExpExecArray | null;
  while ((match = opener.exec(text))) {
    const start = match.index;
    if (codeLines.has(lines.positionAt(start).line) || isInsideCodeSpan(text, lines, start)) continue;
    const closer = match[0] === '<!--' ? '-->' : match[0];
    const close = text.indexOf(closer, start + match[0].length);
    const end = close < 0 ? text.length : close + closer.length;
    if (match[0] === '$$' && close < 0) continue; // a lone `$$` is just text
    mask.hide(start, end);
    if (match[0] === '%%') {
      anyPercentComment = true;
      outsidePercentComments.hide(outsideFrom, start + 2);
      outsideFrom = close < 0 ? text.length : close;
    }
    if (text.slice(start, end).includes('\n')) multiline = true;
    opener.lastIndex = end;
  }
  if (!anyPercentComment) return { multiline, percentComments: undefined };
  outsidePercentComments.hide(outsideFrom, text.length);
  return { multiline, percentComments: outsidePercentComments.text() };
}

/** The links written inside `%%` comments (tags there are not the note's: Obsidian hides them). */
function collectCommentLinks(percentComments: string, lines: LineIndex): NoteLink[] {
  const links: NoteLink[] = [];
  scanInline(percentComments, lines, links, []);
  return links.map((link) => ({ ...link, inComment: true }));
}

/** Two lists of links, each in note order, as one list in note order. */
function inNoteOrder(first: NoteLink[], second: NoteLink[]): NoteLink[] {
  if (second.length === 0) return first;
  const merged: NoteLink[] = [];
  let i = 0;
  let j = 0;
  while (i < first.length && j < second.length) {
    merged.push(comparePositions(first[i].range.start, second[j].range.start) < 0 ? first[i++] : second[j++]);
  }
  return merged.concat(first.slice(i), second.slice(j));
}

/** Whether an odd number of backticks precede the offset on its line: a cheap code-span test. */
function isInsideCodeSpan(text: string, lines: LineIndex, offset: number): boolean {
  const lineStart = lines.lineStart(lines.positionAt(offset).line);
  let ticks = 0;
  for (let i = lineStart; i < offset; i++) if (text.charCodeAt(i) === 96) ticks++;
  return ticks % 2 === 1;
}

const ATX_HEADING = /^( {0,3}(?:>\s*)*)(#{1,6})(?:[ \t]+|$)/;

function collectHeadings(tokens: Token[], lines: LineIndex, masked: string): Heading[] {
  const headings: Heading[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const open = tokens[i];
    if (open.type !== 'heading_open' || !open.map) continue;
    const inline = tokens[i + 1];
    const content = inline?.type === 'inline' ? inline.content : '';
    const level = Number(open.tag.slice(1));
    const line = open.map[0];
    const lineText = masked.slice(lines.lineStart(line), lines.lineEnd(line));
    let column = lineText.indexOf(content);
    if (open.markup.startsWith('#')) {
      const marker = ATX_HEADING.exec(lineText);
      const afterMarker = marker ? marker[0].length : 0;
      const found = lineText.indexOf(content, afterMarker);
      column = found >= 0 ? found : afterMarker;
    }
    if (column < 0) column = 0;
    const lineEnd = lines.lineEnd(line) - lines.lineStart(line);
    headings.push({
      level,
      text: content,
      range: { start: { line, character: 0 }, end: { line, character: lineEnd } },
      textRange: { start: { line, character: column }, end: { line, character: column + content.length } },
      matchKey: headingMatchKey(content),
    });
  }
  return headings;
}

/**
 * One left-to-right pass over the masked text for wiki links, markdown links and
 * tags. Code spans, escapes and inline math are skipped here; a `[[` is taken
 * before a backtick so that `[[#`move`|move]]` still links (as in Obsidian),
 * while `` `[[x]]` `` does not.
 */
function scanInline(text: string, lines: LineIndex, links: NoteLink[], tags: TagMention[]): void {
  const length = text.length;
  let i = 0;
  while (i < length) {
    const code = text.charCodeAt(i);
    switch (code) {
      case 92 /* \ */:
        i += 2;
        continue;
      case 96 /* ` */: {
        i = skipCodeSpan(text, i);
        continue;
      }
      case 36 /* $ */: {
        i = skipInlineMath(text, i);
        continue;
      }
      case 91 /* [ */: {
        const embed = i > 0 && text.charCodeAt(i - 1) === 33 /* ! */;
        if (text.charCodeAt(i + 1) === 91) {
          const end = readWikiLink(text, i, embed, lines, links);
          if (end > i) {
            i = end;
            continue;
          }
        } else {
          const end = readMarkdownLink(text, i, embed, lines, links);
          if (end > i) {
            i = end;
            continue;
          }
        }
        i++;
        continue;
      }
      case 35 /* # */: {
        i = readTag(text, i, lines, tags);
        continue;
      }
      default:
        i++;
    }
  }
}

function skipCodeSpan(text: string, start: number): number {
  let run = start;
  while (text.charCodeAt(run) === 96) run++;
  const ticks = run - start;
  // A code span closes on a run of exactly as many backticks, within its paragraph.
  let at = run;
  while (at < text.length) {
    const next = text.indexOf('`', at);
    if (next < 0) break;
    const paragraphBreak = text.slice(at, next).search(/\n[ \t]*\n/);
    if (paragraphBreak >= 0) break;
    let close = next;
    while (text.charCodeAt(close) === 96) close++;
    if (close - next === ticks) return close;
    at = close;
  }
  return run;
}

function skipInlineMath(text: string, start: number): number {
  const next = text.charCodeAt(start + 1);
  // `$` must hug its content, as in Obsidian: `$x$` is math, `$ 5 and $ 10` is not.
  if (Number.isNaN(next) || next === 32 || next === 9 || next === 10 || next === 36) return start + 1;
  for (let i = start + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) break;
    if (c === 92) {
      i++;
      continue;
    }
    if (c === 36) {
      const before = text.charCodeAt(i - 1);
      const after = text.charCodeAt(i + 1);
      if (before !== 32 && before !== 9 && !(after >= 48 && after <= 57)) return i + 1;
    }
  }
  return start + 1;
}

function readWikiLink(text: string, open: number, embed: boolean, lines: LineIndex, links: NoteLink[]): number {
  const contentStart = open + 2;
  const close = text.indexOf(']]', contentStart);
  if (close < 0) return open;
  const content = text.slice(contentStart, close);
  if (content.includes('\n') || content.includes('[[')) return open;

  // The first `|` splits target from display; in tables it is written `\|`.
  const pipe = content.indexOf('|');
  let targetText = pipe < 0 ? content : content.slice(0, pipe);
  if (targetText.endsWith('\\')) targetText = targetText.slice(0, -1);
  const display = pipe < 0 ? undefined : content.slice(pipe + 1);

  const hash = targetText.indexOf('#');
  const rawPath = hash < 0 ? targetText : targetText.slice(0, hash);
  const path = normalizeName(rawPath).trim();
  const pathOffset = contentStart + (rawPath.length - rawPath.trimStart().length);
  const subpathText = hash < 0 ? undefined : targetText.slice(hash + 1);
  const subpath = subpathText === undefined ? undefined : parseSubpath(subpathText);

  let size: NoteLink['size'];
  if (embed && display !== undefined) {
    const dims = /^\s*(\d+)(?:x(\d+))?\s*$/.exec(display);
    if (dims) size = { width: Number(dims[1]), height: dims[2] === undefined ? undefined : Number(dims[2]) };
  }

  const start = embed ? open - 1 : open;
  const end = close + 2;
  links.push({
    kind: 'wiki',
    embed,
    range: lines.range(start, end),
    target: targetText,
    targetRange: lines.range(contentStart, contentStart + targetText.length),
    path,
    pathRange: lines.range(pathOffset, pathOffset + path.length),
    subpath,
    subpathRange: hash < 0 ? undefined : lines.range(contentStart + hash + 1, contentStart + targetText.length),
    display,
    size,
    external: isExternalTarget(path),
  });
  return end;
}

function parseSubpath(subpath: string): LinkSubpath | undefined {
  const parts = subpath.split('#').map((part) => part.trim()).filter((part) => part.length > 0);
  if (parts.length === 0) return undefined;
  if (parts.length === 1 && parts[0].startsWith('^')) return { kind: 'block', id: parts[0].slice(1) };
  return { kind: 'heading', headings: parts };
}

function readMarkdownLink(text: string, open: number, embed: boolean, lines: LineIndex, links: NoteLink[]): number {
  // Link text: balanced brackets on one line.
  let depth = 0;
  let closeBracket = -1;
  for (let i = open; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) break;
    if (c === 92) {
      i++;
      continue;
    }
    if (c === 91) depth++;
    else if (c === 93 && --depth === 0) {
      closeBracket = i;
      break;
    }
  }
  if (closeBracket < 0 || text.charCodeAt(closeBracket + 1) !== 40 /* ( */) return open;

  const destStart = closeBracket + 2;
  let at = destStart;
  while (text.charCodeAt(at) === 32) at++;
  let rawDest: string;
  let rawDestStart: number;
  if (text.charCodeAt(at) === 60 /* < */) {
    const end = text.indexOf('>', at + 1);
    if (end < 0 || text.slice(at, end).includes('\n')) return open;
    rawDestStart = at + 1;
    rawDest = text.slice(rawDestStart, end);
    at = end + 1;
  } else {
    rawDestStart = at;
    let parens = 0;
    while (at < text.length) {
      const c = text.charCodeAt(at);
      if (c === 32 || c === 10 || c === 9) break;
      if (c === 92) {
        at += 2;
        continue;
      }
      if (c === 40) parens++;
      else if (c === 41) {
        if (parens === 0) break;
        parens--;
      }
      at++;
    }
    rawDest = text.slice(rawDestStart, at);
  }
  // An optional title, then the closing parenthesis on the same line.
  const closeParen = text.indexOf(')', at);
  const lineBreak = text.indexOf('\n', at);
  if (closeParen < 0 || (lineBreak >= 0 && lineBreak < closeParen)) return open;
  const between = text.slice(at, closeParen).trim();
  if (between !== '' && !/^(["'(]).*["')]$/.test(between)) return open;

  const external = isExternalTarget(rawDest);
  const hash = external ? -1 : rawDest.indexOf('#');
  const rawPath = hash < 0 ? rawDest : rawDest.slice(0, hash);
  const rawFragment = hash < 0 ? undefined : rawDest.slice(hash + 1);
  const fragment = rawFragment === undefined ? undefined : safeDecode(rawFragment);

  const start = embed ? open - 1 : open;
  const end = closeParen + 1;
  links.push({
    kind: 'markdown',
    embed,
    range: lines.range(start, end),
    target: rawDest,
    targetRange: lines.range(rawDestStart, rawDestStart + rawDest.length),
    path: external ? rawPath : normalizeName(safeDecode(rawPath)),
    pathRange: lines.range(rawDestStart, rawDestStart + rawPath.length),
    subpath: fragment === undefined ? undefined : fragment.startsWith('^') ? { kind: 'block', id: fragment.slice(1) } : fragment ? { kind: 'heading', headings: [fragment] } : undefined,
    subpathRange: hash < 0 ? undefined : lines.range(rawDestStart + hash + 1, rawDestStart + rawDest.length),
    display: text.slice(open + 1, closeBracket),
    external,
  });
  return end;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

const TAG = /#([\p{L}\p{N}\p{M}_\-/]+)/uy;

function readTag(text: string, hash: number, lines: LineIndex, tags: TagMention[]): number {
  const before = hash === 0 ? 32 : text.charCodeAt(hash - 1);
  // Tags start a line or follow whitespace; `a#b` and `##` are not tags.
  if (!(before === 32 || before === 9 || before === 10 || before === 13 || before === 0xa0 || before === 0x3000)) return hash + 1;
  TAG.lastIndex = hash;
  const match = TAG.exec(text);
  if (!match) return hash + 1;
  const name = match[1].replace(/\/+$/, '');
  if (name.length > 0 && !/^[\d/]+$/.test(name)) {
    tags.push({ name, range: lines.range(hash, hash + 1 + name.length) });
  }
  return hash + match[0].length;
}

const TRAILING_BLOCK_ID = /(?:^|[ \t]|\]\])\^([A-Za-z0-9-]+)[ \t]*$/;

function collectBlockAnchors(masked: string, lines: LineIndex, tokens: Token[]): BlockAnchor[] {
  const anchors: BlockAnchor[] = [];
  if (!masked.includes('^')) return anchors;
  const headingLines = new Set(tokens.filter((t) => t.type === 'heading_open' && t.map).map((t) => t.map![0]));
  for (let line = 0; line < lines.lineCount; line++) {
    const start = lines.lineStart(line);
    const lineText = masked.slice(start, lines.lineEnd(line));
    if (!lineText.includes('^') || headingLines.has(line)) continue;
    const match = TRAILING_BLOCK_ID.exec(lineText);
    if (!match) continue;
    const caret = start + match.index + match[0].indexOf('^');
    const alone = lineText.trim().startsWith('^');
    anchors.push({
      id: match[1],
      range: lines.range(caret, caret + 1 + match[1].length),
      // A lone `^id` line names the block above it (a list, quote or table).
      line: alone ? previousNonBlankLine(masked, lines, line) : line,
    });
  }
  return anchors;
}

function previousNonBlankLine(masked: string, lines: LineIndex, line: number): number {
  for (let l = line - 1; l >= 0; l--) {
    if (masked.slice(lines.lineStart(l), lines.lineEnd(l)).trim() !== '') return l;
  }
  return line;
}
