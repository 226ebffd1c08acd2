import type { Position, Range, SelectionRange } from 'vscode-languageserver-types';
import { comparePositions, type LineIndex } from '../core/text';
import type { NoteLink, ParsedNote } from '../core/types';
import { readNoteBlocks, type NoteBlock, type NoteBlocks } from './noteBlocks';

/** At most this many cursors are answered in one request (an editor sends one per cursor). */
const MAX_POSITIONS = 1000;

const WORD_CHARACTER = /[\p{L}\p{N}\p{M}_]/u;

/**
 * Smart select (expand selection) in a note, from the cursor outwards: the
 * word; in a link, the part it is in (heading, path or alias), the link's
 * target, the whole link; the line; the paragraph; each enclosing list item,
 * quote or callout, code block, comment or front matter; the heading's section,
 * then each parent heading's section; the whole note. Each range holds the one
 * before it; a step that would not grow the selection is left out.
 */
export function provideSelectionRanges(text: string, parsed: ParsedNote, positions: readonly Position[]): SelectionRange[] {
  const structure = readNoteBlocks(text, parsed);
  return positions.slice(0, MAX_POSITIONS).map((position) => selectionAt(structure, parsed, clamp(structure.lines, position)));
}

function clamp(lines: LineIndex, position: Position): Position {
  const line = Math.max(0, Math.min(position.line, lines.lineCount - 1));
  const length = lines.lineEnd(line) - lines.lineStart(line);
  return { line, character: Math.max(0, Math.min(position.character, length)) };
}

function selectionAt(structure: NoteBlocks, parsed: ParsedNote, position: Position): SelectionRange {
  const { lines } = structure;
  const steps: Range[] = [];
  const lineText = lines.lineText(position.line);

  const word = wordAt(lineText, position);
  if (word) steps.push(word);

  const link = linkAt(parsed.links, position);
  if (link) steps.push(...linkSteps(link, position));
  else {
    const tag = parsed.tags.find((mention) => contains(mention.range, position));
    if (tag) steps.push(tag.range);
  }

  const heading = parsed.headings.find((h) => h.range.start.line === position.line);
  if (heading && heading.textRange.end.character > heading.textRange.start.character) steps.push(heading.textRange);
  steps.push(trimmedLine(lines, position.line));

  // Enclosing blocks, innermost first: they nest, so the narrower one starts later or ends sooner.
  const enclosing = structure.blocks.filter((block) => block.start <= position.line && position.line <= block.end && block.kind !== 'list');
  enclosing.sort((a, b) => a.end - a.start - (b.end - b.start));
  for (const block of enclosing) steps.push(blockRange(lines, block));
  if (structure.frontMatter && position.line <= structure.frontMatter.end) steps.push(linesRange(lines, structure.frontMatter.start, structure.frontMatter.end));

  // Sections containing the line, the innermost (the latest heading) first.
  const sections = structure.sections.filter((section) => section.start <= position.line && position.line <= section.end);
  for (let i = sections.length - 1; i >= 0; i--) steps.push(linesRange(lines, sections[i].start, sections[i].end));

  steps.push({ start: { line: 0, character: 0 }, end: lines.positionAt(lines.text.length) });
  return chain(steps, position);
}

/** The ranges as a chain of parents, each holding the one before; any that does not is dropped. */
function chain(steps: readonly Range[], position: Position): SelectionRange {
  const kept: Range[] = [];
  for (const range of steps) {
    const last = kept[kept.length - 1];
    if (last ? !containsRange(range, last) || sameRange(range, last) : !contains(range, position)) continue;
    kept.push(range);
  }
  let selection: SelectionRange | undefined;
  for (let i = kept.length - 1; i >= 0; i--) selection = { range: kept[i], ...(selection ? { parent: selection } : {}) };
  return selection ?? { range: { start: position, end: position } };
}

function wordAt(lineText: string, position: Position): Range | undefined {
  let start = position.character;
  let end = position.character;
  while (start > 0 && WORD_CHARACTER.test(lineText[start - 1])) start--;
  while (end < lineText.length && WORD_CHARACTER.test(lineText[end])) end++;
  return end > start ? { start: { line: position.line, character: start }, end: { line: position.line, character: end } } : undefined;
}

/** The link holding the position; links come in note order, so a binary search finds it. */
function linkAt(links: readonly NoteLink[], position: Position): NoteLink | undefined {
  let low = 0;
  let high = links.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const link = links[mid];
    if (comparePositions(position, link.range.start) < 0) high = mid - 1;
    else if (comparePositions(position, link.range.end) > 0) low = mid + 1;
    else return link;
  }
  return undefined;
}

/** Heading or block, path, or alias; then the target; then the whole link. */
function linkSteps(link: NoteLink, position: Position): Range[] {
  const steps: Range[] = [];
  const display = displayRange(link);
  if (link.subpathRange && contains(link.subpathRange, position)) steps.push(link.subpathRange);
  else if (link.path && contains(link.pathRange, position)) steps.push(link.pathRange);
  else if (display && contains(display, position)) steps.push(display);
  if (contains(link.targetRange, position)) steps.push(link.targetRange);
  steps.push(link.range);
  return steps;
}

/** Where a link's alias (`[[t|alias]]`) or text (`[text](t)`) is; links are on one line. */
function displayRange(link: NoteLink): Range | undefined {
  if (link.display === undefined || link.range.start.line !== link.range.end.line) return undefined;
  const line = link.range.start.line;
  if (link.kind === 'wiki') {
    const end = link.range.end.character - 2;
    return { start: { line, character: end - link.display.length }, end: { line, character: end } };
  }
  const start = link.range.start.character + (link.embed ? 2 : 1);
  return { start: { line, character: start }, end: { line, character: start + link.display.length } };
}

function trimmedLine(lines: LineIndex, line: number): Range {
  const text = lines.lineText(line);
  const start = text.length - text.trimStart().length;
  const end = text.trimEnd().length;
  return end > start ? { start: { line, character: start }, end: { line, character: end } } : { start: { line, character: 0 }, end: { line, character: text.length } };
}

function blockRange(lines: LineIndex, block: NoteBlock): Range {
  if (block.start === block.end) return trimmedLine(lines, block.start);
  return linesRange(lines, block.start, block.end);
}

/** From the first line's first character to the last line's end. */
function linesRange(lines: LineIndex, start: number, end: number): Range {
  return { start: { line: start, character: 0 }, end: { line: end, character: lines.lineEnd(end) - lines.lineStart(end) } };
}

function contains(range: Range, position: Position): boolean {
  return comparePositions(range.start, position) <= 0 && comparePositions(position, range.end) <= 0;
}

function containsRange(outer: Range, inner: Range): boolean {
  return comparePositions(outer.start, inner.start) <= 0 && comparePositions(inner.end, outer.end) <= 0;
}

function sameRange(a: Range, b: Range): boolean {
  return comparePositions(a.start, b.start) === 0 && comparePositions(a.end, b.end) === 0;
}
