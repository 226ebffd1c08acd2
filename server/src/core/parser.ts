import { isConferenceCandidate } from './conferenceCandidate';
import { parseFrontMatter } from './frontMatter';
import { headingMatchKey } from './headings';
import { isExternalTarget, normalizeName } from './names';
import { ParsedHeading, ParsedLink, ParsedTag, type LinkFields } from './noteItems';
import { scanBlocks, type ScannedBlocks } from './noteScanner';
import { scanWork } from './scanWork';
import { comparePositions, LineIndex } from './text';
import type { BlockAnchor, Heading, LinkSubpath, NoteLink, ParsedNote, TagMention } from './types';

/** Notes larger than this are indexed by name only, with a diagnostic saying so. */
export const MAX_PARSED_NOTE_LENGTH = 8 * 1024 * 1024;

// The block structure (headings, fences, indented code, HTML blocks) comes from
// the line scanner (`noteScanner.ts`: CommonMark's block rules as markdown-it
// applies them); Obsidian's inline syntax is scanned by hand below.

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
  // When what is hidden so far (a byte order mark, a front matter) is whole
  // lines, the scanner reads them as blank and the search for comments starts
  // after them, in the note's own text: no masked copy is made for either.
  const hiddenPrefix = frontMatterBlock ? Math.max(frontMatterBlock.end, text.charCodeAt(0) === 0xfeff ? 1 : 0) : text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const prefixLines = hiddenPrefix === 0 ? 0 : wholeLinesBefore(lines, hiddenPrefix);
  let blockSource = prefixLines >= 0 ? text : mask.text();
  let blocks = scanBlocks(blockSource, Math.max(0, prefixLines));
  const codeLines = collectCodeLines(blocks);
  const hidden = hideCommentsAndMath(mask, blockSource, prefixLines >= 0 ? hiddenPrefix : 0, lines, codeLines);
  if (hidden.multiline) {
    blockSource = mask.text();
    blocks = scanBlocks(blockSource);
  }
  const ranges = blocks.codeRanges;
  for (let i = 0; i < ranges.length; i += 2) {
    if (isMaskingArtefact(blocks, i, codeLines)) continue;
    mask.hide(lines.lineStart(ranges[i]), lines.lineStart(ranges[i + 1]));
  }

  // A heading's text is found in the text its scan came from: in the masked
  // text a comment that starts the heading (`# %%c%% Title`) is blank, and the
  // text's column was taken past it, putting its range beyond the line's end.
  const headings = collectHeadings(blocks, lines, blockSource);
  const masked = mask.text();
  const proseLinks: NoteLink[] = [];
  const tags: TagMention[] = [];
  scanInline(masked, lines, proseLinks, tags);
  const links = hidden.percentComments === undefined ? proseLinks : inNoteOrder(proseLinks, collectCommentLinks(hidden.percentComments, lines));
  const anchors = collectBlockAnchors(masked, lines, headings);

  const frontMatter = frontMatterBlock?.frontMatter;
  const keepProse = options.keepProse || isConferenceCandidate({ frontMatter, headings });
  return { frontMatter, headings, links, blocks: anchors, tags, lineCount: lines.lineCount, proseText: keepProse ? masked : '' };
}

/** A copy of the text in which hidden parts are blanked, keeping every offset and line break. */
class TextMask {
  readonly #hidden: Array<[number, number]> = [];
  #cache: string | undefined;
  /** Whether every line break is a `\n` (then blanking finds them with `indexOf`). */
  #lineFeedsOnly: boolean | undefined;

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
    const source = this.source;
    // Where the next `\n` at or after the span being blanked is, when every break is a `\n`:
    // the spans come in order, so these searches together read the text once.
    this.#lineFeedsOnly ??= !source.includes('\r');
    const feeds = this.#lineFeedsOnly ? new ForwardSearch(source, '\n') : undefined;
    // Pieces joined once: concatenation would leave a rope that every later read flattens again.
    const parts: string[] = [];
    let at = 0;
    for (const [start, end] of spans) {
      if (end <= at) continue;
      const from = Math.max(start, at);
      parts.push(source.slice(at, from));
      if (feeds) blankLineFeedText(feeds, from, end, parts);
      else blankInto(source, from, end, parts);
      at = end;
    }
    parts.push(source.slice(at));
    this.#cache = parts.join('');
    return this.#cache;
  }
}

/** `blankInto` for a text whose only line breaks are `\n`, found by `feeds`. */
function blankLineFeedText(feeds: ForwardSearch, start: number, end: number, parts: string[]): void {
  let run = start;
  for (let i = feeds.from(start); i >= 0 && i < end; i = feeds.from(i + 1)) {
    if (i > run) parts.push(spaces(i - run));
    parts.push('\n');
    run = i + 1;
  }
  if (end > run) parts.push(spaces(end - run));
}

/** `source.slice(start, end)` with every UTF-16 unit but `\r` and `\n` as a space, as pieces. */
function blankInto(source: string, start: number, end: number, parts: string[]): void {
  let run = start;
  for (let i = start; i < end; i++) {
    const c = source.charCodeAt(i);
    if (c !== 10 && c !== 13) continue;
    if (i > run) parts.push(spaces(i - run));
    parts.push(c === 10 ? '\n' : '\r');
    run = i + 1;
  }
  if (end > run) parts.push(spaces(end - run));
}

const SPACE_RUNS: string[] = [];

function spaces(count: number): string {
  if (count >= 256) return ' '.repeat(count);
  return (SPACE_RUNS[count] ??= ' '.repeat(count));
}

/**
 * Blanking a comment that starts a line indents the rest of the line, which the
 * re-parse then takes for indented code (`%%todo%% [[Note]]` after a heading or
 * a blank line): an indented code block the first parse did not see is not code.
 */
function isMaskingArtefact(blocks: ScannedBlocks, rangeAt: number, firstParseCodeLines: ReadonlySet<number>): boolean {
  return blocks.indentedCode[rangeAt / 2] && !firstParseCodeLines.has(blocks.codeRanges[rangeAt]);
}

function collectCodeLines(blocks: ScannedBlocks): Set<number> {
  const result = new Set<number>();
  const ranges = blocks.codeRanges;
  for (let i = 0; i < ranges.length; i += 2) {
    for (let line = ranges[i]; line < ranges[i + 1]; line++) result.add(line);
  }
  return result;
}

interface HiddenSpans {
  /** Whether any hidden span crosses a line break (the block structure may then change). */
  readonly multiline: boolean;
  /** The insides of the `%%` comments, everything else blanked; undefined when there are none. */
  readonly percentComments: string | undefined;
}

/**
 * The number of lines `[0, end)` covers whole (to their line break), or -1
 * when `end` falls before the end of its line's text.
 */
function wholeLinesBefore(lines: LineIndex, end: number): number {
  const last = lines.positionAt(end - 1).line;
  return lines.lineEnd(last) <= end ? last + 1 : -1;
}

/**
 * Masks `%%comments%%`, `<!-- comments -->` and `$$math$$` outside code.
 * `text` is the masked text so far, or the note's own text when all that is
 * masked so far lies before `from` in whole lines.
 */
function hideCommentsAndMath(mask: TextMask, text: string, from: number, lines: LineIndex, codeLines: ReadonlySet<number>): HiddenSpans {
  const opener = /%%|<!--|\$\$/g;
  opener.lastIndex = from;
  const codeSpans = new CodeSpanParity(text, lines);
  let multiline = false;
  // Obsidian indexes the links inside `%%` comments (not those in HTML comments), so their insides are kept aside.
  const outsidePercentComments = new TextMask(text);
  let outsideFrom = 0;
  let anyPercentComment = false;
  scanWork.steps += text.length; // the openers' search: its `lastIndex` only moves forward
  let match: RegExpExecArray | null;
  while ((match = opener.exec(text))) {
    const start = match.index;
    const line = lines.positionAt(start).line;
    if (codeLines.has(line) || codeSpans.isInside(start, line)) continue;
    const closer = match[0] === '<!--' ? '-->' : match[0];
    const close = text.indexOf(closer, start + match[0].length);
    scanWork.steps += (close < 0 ? text.length : close) - start;
    const end = close < 0 ? text.length : close + closer.length;
    // A lone `$$` is just text (and the last: its search found no other after it).
    if (match[0] === '$$' && close < 0) continue;
    mask.hide(start, end);
    if (match[0] === '%%') {
      anyPercentComment = true;
      outsidePercentComments.hide(outsideFrom, start + 2);
      outsideFrom = close < 0 ? text.length : close;
    }
    if (!multiline && hasLineBreak(text, start, end)) multiline = true;
    opener.lastIndex = end;
  }
  if (!anyPercentComment) return { multiline, percentComments: undefined };
  outsidePercentComments.hide(outsideFrom, text.length);
  return { multiline, percentComments: outsidePercentComments.text() };
}

function hasLineBreak(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) return true;
  }
  return false;
}

/** The links written inside `%%` comments (tags there are not the note's: Obsidian hides them). */
function collectCommentLinks(percentComments: string, lines: LineIndex): NoteLink[] {
  const links: NoteLink[] = [];
  scanInline(percentComments, lines, links, [], true);
  return links;
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

/**
 * Whether an odd number of backticks precede an offset on its line: a cheap
 * code-span test. Asked about offsets in increasing order, it counts each
 * line's backticks once, from where it last stopped.
 */
class CodeSpanParity {
  #line = -1;
  #at = 0;
  #ticks = 0;

  constructor(
    readonly text: string,
    readonly lines: LineIndex,
  ) {}

  isInside(offset: number, line: number): boolean {
    if (line !== this.#line || offset < this.#at) {
      this.#line = line;
      this.#at = this.lines.lineStart(line);
      this.#ticks = 0;
    }
    scanWork.steps += offset - this.#at;
    for (; this.#at < offset; this.#at++) if (this.text.charCodeAt(this.#at) === 96) this.#ticks++;
    return this.#ticks % 2 === 1;
  }
}

const ATX_HEADING = /^( {0,3}(?:>\s*)*)(#{1,6})(?:[ \t]+|$)/;

function collectHeadings(blocks: ScannedBlocks, lines: LineIndex, source: string): Heading[] {
  const headings: Heading[] = [];
  for (const scanned of blocks.headings) {
    const { content, level, line } = scanned;
    const lineText = source.slice(lines.lineStart(line), lines.lineEnd(line));
    scanWork.steps += lineText.length + content.length;
    let column: number;
    if (scanned.atx) {
      const marker = ATX_HEADING.exec(lineText);
      const afterMarker = marker ? marker[0].length : 0;
      const found = lineText.indexOf(content, afterMarker);
      column = found >= 0 ? found : afterMarker;
    } else {
      column = lineText.indexOf(content);
    }
    if (column < 0) column = 0;
    const lineEnd = lines.lineEnd(line) - lines.lineStart(line);
    // Like `range`, on the heading's first line: a setext heading's text may take several.
    const textEnd = Math.min(column + content.length, lineEnd);
    headings.push(new ParsedHeading(level, content, headingMatchKey(content), line, lineEnd, Math.min(column, textEnd), textEnd));
  }
  return headings;
}

/**
 * One left-to-right pass over the masked text for wiki links, markdown links and
 * tags. Code spans, escapes and inline math are skipped here; a `[[` is taken
 * before a backtick so that `[[#`move`|move]]` still links (as in Obsidian),
 * while `` `[[x]]` `` does not.
 *
 * Every question the pass asks about the text ahead of it (where a bracket,
 * a destination, a code span or a math span closes) is answered from an index
 * built once, in one pass, the first time it is needed (`InlineIndex`): never
 * by scanning on from each opener, which made a long line of openers (`[ [ [`,
 * `$a $a`) cost its length squared.
 */
function scanInline(text: string, lines: LineIndex, links: NoteLink[], tags: TagMention[], inComment?: true): void {
  const index = new InlineIndex(text, lines);
  const length = text.length;
  let i = 0;
  while (i < length) {
    scanWork.steps++;
    const code = text.charCodeAt(i);
    switch (code) {
      case 92 /* \ */:
        i += 2;
        continue;
      case 96 /* ` */: {
        i = index.codeSpans.skip(i);
        continue;
      }
      case 36 /* $ */: {
        i = index.math.skip(i);
        continue;
      }
      case 91 /* [ */: {
        const embed = i > 0 && text.charCodeAt(i - 1) === 33 /* ! */;
        if (text.charCodeAt(i + 1) === 91) {
          const end = readWikiLink(index, i, embed, links, inComment);
          if (end > i) {
            i = end;
            continue;
          }
        } else {
          const end = readMarkdownLink(index, i, embed, links, inComment);
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
      default: {
        // Straight to the next character the pass acts on: prose is most of a note.
        INLINE_OPENERS.lastIndex = i + 1;
        const next = INLINE_OPENERS.test(text) ? INLINE_OPENERS.lastIndex - 1 : length;
        scanWork.steps += next - i - 1;
        i = next;
      }
    }
  }
}

/** The characters `scanInline` acts on; every other one it steps over. */
const INLINE_OPENERS = /[\\`$[#]/g;

/** What the inline pass looks up about the text ahead, each part built on first use. */
class InlineIndex {
  #codeSpans: CodeSpans | undefined;
  #math: InlineMath | undefined;
  #links: MarkdownLinkIndex | undefined;
  readonly wikiClose: ForwardSearch;
  readonly wikiOpen: ForwardSearch;
  readonly #lineFeed: ForwardSearch;
  readonly #carriageReturn: ForwardSearch;

  constructor(
    readonly text: string,
    readonly lines: LineIndex,
  ) {
    this.wikiClose = new ForwardSearch(text, ']]');
    this.wikiOpen = new ForwardSearch(text, '[[');
    this.#lineFeed = new ForwardSearch(text, '\n');
    this.#carriageReturn = new ForwardSearch(text, '\r');
  }

  get codeSpans(): CodeSpans {
    return (this.#codeSpans ??= new CodeSpans(this.text));
  }

  get math(): InlineMath {
    return (this.#math ??= new InlineMath(this.text));
  }

  get links(): MarkdownLinkIndex {
    return (this.#links ??= new MarkdownLinkIndex(this.text));
  }

  /** The first `\n` or `\r` at or after `from` (asked in increasing order), or -1. */
  lineBreakFrom(from: number): number {
    const feed = this.#lineFeed.from(from);
    const carriage = this.#carriageReturn.from(from);
    return feed < 0 ? carriage : carriage < 0 ? feed : Math.min(feed, carriage);
  }

  /** Whether a line break lies in `[start, end)`, `end` being no line break itself. */
  crossesLine(start: number, end: number): boolean {
    return this.lines.positionAt(start).line !== this.lines.positionAt(end).line;
  }
}

/**
 * `text.indexOf(needle, from)` for `from` that only grows: the last answer
 * stands until `from` passes it, so the searches together read the text once.
 */
class ForwardSearch {
  #from = -1;
  #found = -1;

  constructor(
    readonly text: string,
    readonly needle: string,
  ) {}

  from(from: number): number {
    if (this.#from >= 0 && from >= this.#from && (this.#found < 0 || from <= this.#found)) return this.#found;
    const found = this.text.indexOf(this.needle, from);
    scanWork.steps += (found < 0 ? this.text.length : found) - from + 1;
    this.#from = from;
    this.#found = found;
    return found;
  }
}

/** The first element of a sorted list at or after `value`, or -1. */
function firstAtOrAfter(sorted: ArrayLike<number>, value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    scanWork.steps++;
    const mid = (low + high) >> 1;
    if (sorted[mid] < value) low = mid + 1;
    else high = mid;
  }
  return low < sorted.length ? sorted[low] : -1;
}

/** The index of the first element of a sorted list after `value`. */
function indexAfter(sorted: ArrayLike<number>, value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    scanWork.steps++;
    const mid = (low + high) >> 1;
    if (sorted[mid] <= value) low = mid + 1;
    else high = mid;
  }
  return low;
}

/**
 * The backtick runs of the text. A code span opens on a run and closes on the
 * next run of exactly as many backticks within its paragraph (a blank line ends
 * it); a run opened in its middle (after an escaped backtick) counts from there.
 */
class CodeSpans {
  readonly #ends: number[] = [];
  readonly #paragraphs: number[] = [];
  /** Run indexes by run length, in text order. */
  readonly #byLength = new Map<number, number[]>();
  #cursor = 0;

  constructor(readonly text: string) {
    let paragraph = 0;
    // Whether the line so far, after a line break, holds only spaces and tabs: a break then ends a paragraph.
    let blank = false;
    const length = text.length;
    for (let i = 0; i < length; i++) {
      const c = text.charCodeAt(i);
      if (c === 96) {
        const start = i;
        while (text.charCodeAt(i + 1) === 96) i++;
        const run = this.#ends.length;
        this.#ends.push(i + 1);
        this.#paragraphs.push(paragraph);
        const sameLength = this.#byLength.get(i + 1 - start);
        if (sameLength) sameLength.push(run);
        else this.#byLength.set(i + 1 - start, [run]);
        blank = false;
      } else if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) {
        if (blank) paragraph++;
        blank = true;
      } else if (c !== 32 && c !== 9 && c !== 13) {
        blank = false;
      }
    }
    scanWork.steps += length;
  }

  /** Where the scan goes on after the backtick at `start` (asked in increasing order): past the code span, or past the run when none closes. */
  skip(start: number): number {
    const ends = this.#ends;
    while (this.#cursor < ends.length && ends[this.#cursor] <= start) {
      scanWork.steps++;
      this.#cursor++;
    }
    const run = this.#cursor;
    const runEnd = ends[run];
    const closers = this.#byLength.get(runEnd - start);
    if (closers) {
      const at = indexAfter(closers, run);
      if (at < closers.length && this.#paragraphs[closers[at]] === this.#paragraphs[run]) return ends[closers[at]];
    }
    return runEnd;
  }
}

/**
 * Inline math, `$…$`. The `$` must hug its content, as in Obsidian: `$x$` is
 * math, `$ 5 and $ 10` is not. It closes on the next unescaped `$` that follows
 * no space and precedes no digit, on the same line.
 */
class InlineMath {
  readonly #closers: ForwardList;
  /** Unescaped line breaks (an escaped one does not end the search). */
  readonly #breaks: ForwardList;

  constructor(readonly text: string) {
    const closers: number[] = [];
    const breaks: number[] = [];
    const length = text.length;
    for (let i = 0; i < length; i++) {
      const c = text.charCodeAt(i);
      if (c === 92) i++;
      else if (c === 10 || c === 13) breaks.push(i);
      else if (c === 36) {
        const before = text.charCodeAt(i - 1);
        const after = text.charCodeAt(i + 1);
        if (before !== 32 && before !== 9 && !(after >= 48 && after <= 57)) closers.push(i);
      }
    }
    scanWork.steps += length;
    this.#closers = new ForwardList(closers);
    this.#breaks = new ForwardList(breaks);
  }

  /** Where the scan goes on after the `$` at `start` (asked in increasing order). */
  skip(start: number): number {
    const next = this.text.charCodeAt(start + 1);
    if (Number.isNaN(next) || next === 32 || next === 9 || next === 10 || next === 36) return start + 1;
    const closer = this.#closers.from(start + 2);
    const lineBreak = this.#breaks.from(start + 1);
    return closer >= 0 && (lineBreak < 0 || closer < lineBreak) ? closer + 1 : start + 1;
  }
}

/** A sorted list read forward: its first element at or after a value that only grows, or -1. */
class ForwardList {
  #at = 0;

  constructor(readonly sorted: readonly number[]) {}

  from(value: number): number {
    while (this.#at < this.sorted.length && this.sorted[this.#at] < value) {
      scanWork.steps++;
      this.#at++;
    }
    return this.#at < this.sorted.length ? this.sorted[this.#at] : -1;
  }
}

function readWikiLink(index: InlineIndex, open: number, embed: boolean, links: NoteLink[], inComment: true | undefined): number {
  const { text, lines } = index;
  const contentStart = open + 2;
  const close = index.wikiClose.from(contentStart);
  if (close < 0) return open;
  // One line, and no `[[` inside.
  const lineBreak = index.lineBreakFrom(contentStart);
  if (lineBreak >= 0 && lineBreak < close) return open;
  const inner = index.wikiOpen.from(contentStart);
  if (inner >= 0 && inner + 1 < close) return open;
  const content = text.slice(contentStart, close);

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
  links.push(
    makeLink(
      lines,
      { kind: 'wiki', embed, target: targetText, path, subpath, display, size, external: isExternalTarget(path), inComment },
      start,
      end,
      contentStart,
      contentStart + targetText.length,
      pathOffset,
      pathOffset + path.length,
      hash < 0 ? -1 : contentStart + hash + 1,
      contentStart + targetText.length,
    ),
  );
  return end;
}

/**
 * A link from its offsets in the text. A link never crosses a line break, so
 * one binary search finds its line and the columns are subtractions; an offset
 * outside the link (a path longer once normalized) may be on another line,
 * and such a link keeps ranges of its own. `subpathStart` is -1 for none.
 */
function makeLink(lines: LineIndex, fields: LinkFields, start: number, end: number, targetStart: number, targetEnd: number, pathStart: number, pathEnd: number, subpathStart: number, subpathEnd: number): NoteLink {
  const position = lines.positionAt(start);
  const lineStart = start - position.character;
  if (targetStart >= start && targetEnd <= end && pathStart >= start && pathEnd <= end && (subpathStart < 0 || (subpathStart >= start && subpathEnd <= end))) {
    return new ParsedLink(fields, {
      line: position.line,
      start: start - lineStart,
      end: end - lineStart,
      targetStart: targetStart - lineStart,
      targetEnd: targetEnd - lineStart,
      pathStart: pathStart - lineStart,
      pathEnd: pathEnd - lineStart,
      subpathStart: subpathStart < 0 ? -1 : subpathStart - lineStart,
      subpathEnd: subpathStart < 0 ? -1 : subpathEnd - lineStart,
    });
  }
  const link: { -readonly [K in keyof NoteLink]: NoteLink[K] } = {
    kind: fields.kind,
    embed: fields.embed,
    range: lines.range(start, end),
    target: fields.target,
    targetRange: lines.range(targetStart, targetEnd),
    path: fields.path,
    pathRange: lines.range(pathStart, pathEnd),
    subpath: fields.subpath,
    subpathRange: subpathStart < 0 ? undefined : lines.range(subpathStart, subpathEnd),
    display: fields.display,
    size: fields.size,
    external: fields.external,
  };
  if (fields.inComment) link.inComment = true;
  return link;
}

function parseSubpath(subpath: string): LinkSubpath | undefined {
  const parts = subpath.split('#').map((part) => part.trim()).filter((part) => part.length > 0);
  if (parts.length === 0) return undefined;
  if (parts.length === 1 && parts[0].startsWith('^')) return { kind: 'block', id: parts[0].slice(1) };
  return { kind: 'heading', headings: parts };
}

/**
 * What a markdown link's reading needs, from one pass over the text: each
 * unescaped `[`, the `]` that closes it on its line (balanced, escapes
 * skipped), and where the destination after a `](` ends (the first unescaped
 * space, tab or line break, or the `)` that closes the destination's
 * parentheses). Each `]` closes one `[`, so each destination is looked at once.
 */
class MarkdownLinkIndex {
  /** Unescaped `[`, in text order. */
  readonly #opens: number[] = [];
  /** The `]` closing each, or -1. */
  readonly #closes: number[] = [];
  /** Where the destination after `](` starts (spaces skipped), or -1 when the `]` is not followed by `(`. */
  readonly #destinationStarts: number[] = [];
  /** Where that destination ends, or -1 when it runs to the end of the text. Unset for a `<…>` destination. */
  readonly #destinationEnds: number[] = [];
  #cursor = 0;
  #closeParens: number[] | undefined;
  #closeAngles: number[] | undefined;
  #lineSeparators: number[] | undefined;
  readonly #titles = new Map<number, boolean>();
  readonly #titleEnds = new Map<number, number>();

  constructor(readonly text: string) {
    const length = text.length;
    const brackets: number[] = [];
    // Destinations not yet ended, with the parenthesis depth they started at (never above the current one).
    const destinations: Array<{ open: number; depth: number }> = [];
    let depth = 0;
    let destinationAt = -1;
    let destinationOf = -1;
    for (let i = 0; i < length; i++) {
      if (i === destinationAt) {
        if (text.charCodeAt(i) !== 60 /* < */) destinations.push({ open: destinationOf, depth });
        destinationAt = -1;
      }
      const c = text.charCodeAt(i);
      if (c === 92 /* \ */) {
        // The escaped character is skipped (a destination never starts on one: it follows `(` or a space).
        i++;
        continue;
      }
      if (c === 32 || c === 9 || c === 10 || c === 13) {
        for (const destination of destinations) this.#destinationEnds[destination.open] = i;
        destinations.length = 0;
        if (c === 10 || c === 13) brackets.length = 0;
      } else if (c === 91 /* [ */) {
        brackets.push(this.#opens.length);
        this.#opens.push(i);
        this.#closes.push(-1);
        this.#destinationStarts.push(-1);
        this.#destinationEnds.push(-1);
      } else if (c === 93 /* ] */) {
        const open = brackets.pop();
        if (open !== undefined) {
          this.#closes[open] = i;
          if (text.charCodeAt(i + 1) === 40 /* ( */) {
            let start = i + 2;
            while (text.charCodeAt(start) === 32) start++;
            scanWork.steps += start - i;
            this.#destinationStarts[open] = start;
            destinationAt = start;
            destinationOf = open;
            if (start >= length) destinationAt = -1;
          }
        }
      } else if (c === 40 /* ( */) {
        depth++;
      } else if (c === 41 /* ) */) {
        depth--;
        while (destinations.length > 0 && destinations[destinations.length - 1].depth > depth) {
          this.#destinationEnds[destinations.pop()!.open] = i;
        }
      }
    }
    scanWork.steps += length;
  }

  /** The `[` at `open` (asked in increasing order) as an index into the lists, or -1. */
  #find(open: number): number {
    const opens = this.#opens;
    while (this.#cursor < opens.length && opens[this.#cursor] < open) {
      scanWork.steps++;
      this.#cursor++;
    }
    return opens[this.#cursor] === open ? this.#cursor : -1;
  }

  /** The `]` closing the `[` at `open`, or -1. */
  closeOf(open: number): number {
    const at = this.#find(open);
    return at < 0 ? -1 : this.#closes[at];
  }

  /** Where the destination of the link opened at `open` starts, or -1. */
  destinationStart(open: number): number {
    const at = this.#find(open);
    return at < 0 ? -1 : this.#destinationStarts[at];
  }

  /** Where that destination ends, or -1. */
  destinationEnd(open: number): number {
    const at = this.#find(open);
    return at < 0 ? -1 : this.#destinationEnds[at];
  }

  /** The first `)` at or after `from`, or -1. */
  closeParenFrom(from: number): number {
    return firstAtOrAfter((this.#closeParens ??= positionsOf(this.text, 41)), from);
  }

  /** The first `>` at or after `from`, or -1. */
  closeAngleFrom(from: number): number {
    return firstAtOrAfter((this.#closeAngles ??= positionsOf(this.text, 62)), from);
  }

  /**
   * Whether `[start, closeParen)` is empty or a title once trimmed: `"…"`,
   * `'…'` or `(…)` on one line (`/^(["'(]).*["')]$/`), read once per start.
   */
  isTitle(start: number, closeParen: number): boolean {
    let known = this.#titles.get(start);
    if (known === undefined) {
      known = this.#readTitle(start, closeParen);
      this.#titles.set(start, known);
    }
    return known;
  }

  #readTitle(start: number, closeParen: number): boolean {
    const text = this.text;
    let first = start;
    while (first < closeParen && isTrimmedSpace(text.charCodeAt(first))) first++;
    scanWork.steps += first - start + 1;
    if (first === closeParen) return true;
    let last = this.#titleEnds.get(closeParen);
    if (last === undefined) {
      // Stops at `first` at the latest, which is no space.
      last = closeParen - 1;
      while (isTrimmedSpace(text.charCodeAt(last))) last--;
      scanWork.steps += closeParen - last;
      this.#titleEnds.set(closeParen, last);
    }
    if (last <= first) return false;
    const opening = text.charCodeAt(first);
    const closing = text.charCodeAt(last);
    if (!(opening === 34 || opening === 39 || opening === 40) || !(closing === 34 || closing === 39 || closing === 41)) return false;
    // `.` takes no line break: `\n` and `\r` are ruled out already, which leaves U+2028 and U+2029.
    const separator = firstAtOrAfter((this.#lineSeparators ??= lineSeparatorsOf(text)), first + 1);
    return separator < 0 || separator >= last;
  }
}

function positionsOf(text: string, code: number): number[] {
  const positions: number[] = [];
  const needle = String.fromCharCode(code);
  for (let i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) positions.push(i);
  scanWork.steps += text.length;
  return positions;
}

function lineSeparatorsOf(text: string): number[] {
  const positions = [...positionsOf(text, 0x2028), ...positionsOf(text, 0x2029)];
  return positions.sort((a, b) => a - b);
}

/** What `String.prototype.trim` removes: white space and line terminators. */
function isTrimmedSpace(c: number): boolean {
  if (c <= 32) return c === 32 || (c >= 9 && c <= 13);
  if (c < 0xa0) return false;
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

function readMarkdownLink(index: InlineIndex, open: number, embed: boolean, links: NoteLink[], inComment: true | undefined): number {
  const { text, lines } = index;
  const markdownLinks = index.links;
  // Link text: balanced brackets on one line, then `(`.
  const closeBracket = markdownLinks.closeOf(open);
  if (closeBracket < 0 || text.charCodeAt(closeBracket + 1) !== 40 /* ( */) return open;

  const destinationStart = markdownLinks.destinationStart(open);
  let rawDestStart: number;
  let rawDestEnd: number;
  let at: number;
  if (text.charCodeAt(destinationStart) === 60 /* < */) {
    const end = markdownLinks.closeAngleFrom(destinationStart + 1);
    if (end < 0 || index.crossesLine(destinationStart, end)) return open;
    rawDestStart = destinationStart + 1;
    rawDestEnd = end;
    at = end + 1;
  } else {
    // Up to a space or line break, or the `)` that closes its parentheses.
    at = markdownLinks.destinationEnd(open);
    if (at < 0) return open;
    rawDestStart = destinationStart;
    rawDestEnd = at;
  }
  // An optional title, then the closing parenthesis on the same line.
  const closeParen = markdownLinks.closeParenFrom(at);
  if (closeParen < 0 || index.crossesLine(at, closeParen)) return open;
  if (!markdownLinks.isTitle(at, closeParen)) return open;

  const rawDest = text.slice(rawDestStart, rawDestEnd);

  const external = isExternalTarget(rawDest);
  const hash = external ? -1 : rawDest.indexOf('#');
  const rawPath = hash < 0 ? rawDest : rawDest.slice(0, hash);
  const rawFragment = hash < 0 ? undefined : rawDest.slice(hash + 1);
  const fragment = rawFragment === undefined ? undefined : safeDecode(rawFragment);

  const start = embed ? open - 1 : open;
  const end = closeParen + 1;
  links.push(
    makeLink(
      lines,
      {
        kind: 'markdown',
        embed,
        target: rawDest,
        path: external ? rawPath : normalizeName(safeDecode(rawPath)),
        subpath: fragment === undefined ? undefined : fragment.startsWith('^') ? { kind: 'block', id: fragment.slice(1) } : fragment ? { kind: 'heading', headings: [fragment] } : undefined,
        display: text.slice(open + 1, closeBracket),
        size: undefined,
        external,
        inComment,
      },
      start,
      end,
      rawDestStart,
      rawDestStart + rawDest.length,
      rawDestStart,
      rawDestStart + rawPath.length,
      hash < 0 ? -1 : rawDestStart + hash + 1,
      rawDestStart + rawDest.length,
    ),
  );
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
  scanWork.steps += match[0].length;
  // Trailing slashes are not part of the name (by hand: `/\/+$/` retries at every slash of a run).
  let nameEnd = match[1].length;
  while (nameEnd > 0 && match[1].charCodeAt(nameEnd - 1) === 47 /* / */) nameEnd--;
  const name = match[1].slice(0, nameEnd);
  if (name.length > 0 && !/^[\d/]+$/.test(name)) {
    const position = lines.positionAt(hash);
    tags.push(new ParsedTag(name, position.line, position.character, position.character + 1 + name.length));
  }
  return hash + match[0].length;
}

const TRAILING_BLOCK_ID = /(?:^|[ \t]|\]\])\^([A-Za-z0-9-]+)[ \t]*$/;

function collectBlockAnchors(masked: string, lines: LineIndex, headings: readonly Heading[]): BlockAnchor[] {
  const anchors: BlockAnchor[] = [];
  if (!masked.includes('^')) return anchors;
  const headingLines = new Set(headings.map((heading) => heading.range.start.line));
  // Only the lines with a caret: from each caret to the end of its line.
  for (let caretAt = masked.indexOf('^'); caretAt >= 0; ) {
    const line = lines.positionAt(caretAt).line;
    const start = lines.lineStart(line);
    const end = lines.lineEnd(line);
    caretAt = masked.indexOf('^', Math.max(end, caretAt + 1));
    const lineText = masked.slice(start, end);
    scanWork.steps += lineText.length + 1;
    if (headingLines.has(line)) continue;
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
    scanWork.steps += lines.lineEnd(l) - lines.lineStart(l) + 1;
    if (masked.slice(lines.lineStart(l), lines.lineEnd(l)).trim() !== '') return l;
  }
  return line;
}
