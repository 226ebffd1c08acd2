import { FoldingRangeKind, type FoldingRange } from 'vscode-languageserver-types';
import type { ParsedNote } from '../core/types';
import { readNoteBlocks, type BlockKind } from './noteBlocks';

/** VS Code shows at most 5,000 folding ranges (`editor.foldingMaximumRegions`); more is wasted on the wire. */
export const MAX_FOLDING_RANGES = 5000;

/** The blocks that fold: each one that spans lines. Paragraphs and plain HTML do not (as in VS Code's markdown). */
const FOLDING_BLOCKS: ReadonlySet<BlockKind> = new Set<BlockKind>(['listItem', 'blockquote', 'callout', 'fence', 'indentedCode', 'table', 'htmlComment', 'comment']);

/**
 * Folding ranges of a note: each heading's section (to the last line before the
 * next heading of the same or a higher level), the front matter, list items
 * with their nested items or continuation lines, fenced and indented code,
 * quotes and callouts (`> [!note]`), tables, and comments (`%% … %%` and
 * `<!-- … -->`, kind `comment`). One range per start line, the widest: an editor
 * keeps only one there anyway.
 */
export function provideFoldingRanges(text: string, parsed: ParsedNote): FoldingRange[] {
  const { frontMatter, blocks, sections } = readNoteBlocks(text, parsed);
  const byStart = new Map<number, FoldingRange>();
  const add = (range: FoldingRange) => {
    if (range.endLine <= range.startLine) return;
    const known = byStart.get(range.startLine);
    if (!known || known.endLine < range.endLine) byStart.set(range.startLine, range);
  };
  if (frontMatter) add({ startLine: frontMatter.start, endLine: frontMatter.end });
  for (const section of sections) add({ startLine: section.start, endLine: section.end });
  for (const block of blocks) {
    if (!FOLDING_BLOCKS.has(block.kind)) continue;
    add({ startLine: block.start, endLine: block.end, ...(block.kind === 'comment' || block.kind === 'htmlComment' ? { kind: FoldingRangeKind.Comment } : {}) });
  }
  return [...byStart.values()].sort((a, b) => a.startLine - b.startLine).slice(0, MAX_FOLDING_RANGES);
}
