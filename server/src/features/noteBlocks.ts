import MarkdownIt from 'markdown-it';
import type Token from 'markdown-it/lib/token.mjs';
import { sectionEndLine } from '../core/noteQueries';
import { LineIndex } from '../core/text';
import type { Heading, ParsedNote } from '../core/types';

/**
 * The block structure of one note, by lines, for folding and selection ranges:
 * what the index's parse does not keep (lists, quotes, fences, `%%` comment
 * blocks), read here from the note's text; headings and front matter come from
 * the parse. Computed per request from one block parse (no inline parsing), so
 * it costs about what the note's own parse does.
 */

// The parser's configuration: block rules only (the inline pass is what costs), HTML on.
const markdown = new MarkdownIt({ html: true, linkify: false, typographer: false });
markdown.core.ruler.disable(['inline', 'linkify', 'replacements', 'smartquotes', 'text_join'], true);

export type BlockKind = 'listItem' | 'list' | 'blockquote' | 'callout' | 'fence' | 'indentedCode' | 'table' | 'paragraph' | 'htmlComment' | 'html' | 'comment';

export interface NoteBlock {
  readonly kind: BlockKind;
  /** First line. */
  readonly start: number;
  /** Last line that is not blank (a list item's trailing blank line is not its). */
  readonly end: number;
  /** For a callout: its `+` (shown) or `-` (folded) marker, when it has one. */
  readonly calloutFold?: '+' | '-';
}

export interface Section {
  readonly heading: Heading;
  readonly start: number;
  /** The last non-blank line before the next heading of the same or a higher level. */
  readonly end: number;
}

export interface NoteBlocks {
  readonly lines: LineIndex;
  /** The front matter's lines, fences included. */
  readonly frontMatter?: { readonly start: number; readonly end: number };
  /** Every block, in note order (outer before inner when they start on one line). */
  readonly blocks: readonly NoteBlock[];
  /** Every heading's section, in note order. */
  readonly sections: readonly Section[];
}

/** `> [!type]` with its optional fold marker, as Obsidian starts a callout. */
export const CALLOUT_HEADER = /^ {0,3}>[ \t]?\[!([^\]\r\n]+)\]([+-]?)/;

export function readNoteBlocks(text: string, parsed: ParsedNote): NoteBlocks {
  const lines = new LineIndex(text);
  const lastLine = lines.lineCount - 1;
  const isBlank = (line: number) => lines.lineText(line).trim() === '';
  const trimEnd = (start: number, end: number) => {
    let last = Math.min(end, lastLine);
    while (last > start && isBlank(last)) last--;
    return last;
  };

  const frontMatterRange = parsed.frontMatter?.range;
  // The range ends at the start of the line after the closing fence, when there is one.
  const frontMatter = frontMatterRange
    ? { start: frontMatterRange.start.line, end: frontMatterRange.end.character === 0 && frontMatterRange.end.line > frontMatterRange.start.line ? frontMatterRange.end.line - 1 : frontMatterRange.end.line }
    : undefined;

  const sections = parsed.headings.map((heading, index) => {
    const start = heading.range.start.line;
    return { heading, start, end: trimEnd(start, sectionEndLine(parsed, heading, index)) };
  });

  // A note the parser would not parse is not parsed here either.
  if (parsed.skippedReason) return { lines, frontMatter, blocks: [], sections };

  // Front matter blanked (its `---` would read as rules and setext headings), every offset kept.
  const source = frontMatter ? text.slice(0, lines.lineEnd(frontMatter.end)).replace(/[^\r\n]/g, ' ') + text.slice(lines.lineEnd(frontMatter.end)) : text;
  let tokens = markdown.parse(source, {});
  const comments = percentCommentBlocks(lines, codeLinesOf(tokens), frontMatter?.end ?? -1);
  // As the parser does: what a comment holds (a fence, a list) is no structure, so the blocks come from the text without it.
  if (comments.length) {
    let masked = '';
    let at = 0;
    for (const comment of comments) {
      masked += source.slice(at, comment.from) + source.slice(comment.from, comment.to).replace(/[^\r\n]/g, ' ');
      at = comment.to;
    }
    tokens = markdown.parse(masked + source.slice(at), {});
  }
  const inComment = commentLookup(comments);

  const blocks: NoteBlock[] = [];
  for (const token of tokens) {
    const block = blockOf(token, lines, trimEnd);
    // Lists and quotes written inside a `%%` comment are commented out, not structure.
    if (block && !inComment(block.start)) blocks.push(block);
  }
  for (const comment of comments) blocks.push({ kind: 'comment', start: comment.start, end: comment.end });
  blocks.sort((a, b) => a.start - b.start || b.end - a.end);
  return { lines, frontMatter, blocks, sections };
}

function codeLinesOf(tokens: readonly Token[]): Set<number> {
  const codeLines = new Set<number>();
  for (const token of tokens) {
    if ((token.type === 'fence' || token.type === 'code_block') && token.map) for (let line = token.map[0]; line < token.map[1]; line++) codeLines.add(line);
  }
  return codeLines;
}

function blockOf(token: Token, lines: LineIndex, trimEnd: (start: number, end: number) => number): NoteBlock | undefined {
  if (!token.map || token.nesting === -1) return undefined;
  const start = token.map[0];
  const last = token.map[1] - 1;
  switch (token.type) {
    case 'bullet_list_open':
    case 'ordered_list_open':
      return { kind: 'list', start, end: trimEnd(start, last) };
    case 'list_item_open':
      return { kind: 'listItem', start, end: trimEnd(start, last) };
    case 'blockquote_open': {
      const header = CALLOUT_HEADER.exec(lines.lineText(start));
      if (!header) return { kind: 'blockquote', start, end: trimEnd(start, last) };
      const marker = header[2];
      return { kind: 'callout', start, end: trimEnd(start, last), ...(marker === '+' || marker === '-' ? { calloutFold: marker } : {}) };
    }
    case 'fence':
      // The closing fence is the fence's (an unclosed one runs to the end of the note).
      return { kind: 'fence', start, end: trimEnd(start, last) };
    case 'code_block':
      return { kind: 'indentedCode', start, end: trimEnd(start, last) };
    case 'table_open':
      return { kind: 'table', start, end: trimEnd(start, last) };
    case 'paragraph_open':
      return { kind: 'paragraph', start, end: trimEnd(start, last) };
    case 'html_block':
      return { kind: token.content.trimStart().startsWith('<!--') ? 'htmlComment' : 'html', start, end: trimEnd(start, last) };
    default:
      return undefined;
  }
}

/**
 * The `%% … %%` comments that span lines, outside code and front matter, as
 * the parser finds them: a `%%` in a code span does not open one, and one left
 * open runs to the end of the note. One pass over the text.
 */
function percentCommentBlocks(lines: LineIndex, codeLines: ReadonlySet<number>, frontMatterEnd: number): PercentComment[] {
  const comments: PercentComment[] = [];
  let open: number | undefined;
  let openedAt = 0;
  for (let line = frontMatterEnd + 1; line < lines.lineCount; line++) {
    if (codeLines.has(line) && open === undefined) continue;
    const text = lines.lineText(line);
    if (!text.includes('%%')) continue;
    let ticks = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (open === undefined && c === 96 /* ` */) ticks++;
      else if (c === 37 /* % */ && text.charCodeAt(i + 1) === 37) {
        if (open !== undefined) {
          if (line > open) comments.push({ start: open, end: line, from: openedAt, to: lines.lineStart(line) + i + 2 });
          open = undefined;
        } else if (ticks % 2 === 0) {
          open = line;
          openedAt = lines.lineStart(line) + i;
        }
        i++;
      }
    }
  }
  if (open !== undefined && open < lines.lineCount - 1) comments.push({ start: open, end: lines.lineCount - 1, from: openedAt, to: lines.text.length });
  return comments;
}

interface PercentComment {
  /** Its first and last lines. */
  readonly start: number;
  readonly end: number;
  /** Its offsets, `%%` included. */
  readonly from: number;
  readonly to: number;
}

/** Whether a line lies inside one of the comments after its first line; comments come sorted and apart. */
function commentLookup(comments: ReadonlyArray<{ start: number; end: number }>): (line: number) => boolean {
  return (line) => {
    let low = 0;
    let high = comments.length - 1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      const comment = comments[mid];
      if (line <= comment.start) high = mid - 1;
      else if (line > comment.end) low = mid + 1;
      else return true;
    }
    return false;
  };
}
