import type { TextEdit } from 'vscode-languageserver-types';
import { findHeadingPath } from '../core/linkResolver';
import { titleHeading } from '../core/noteQueries';
import { LineIndex } from '../core/text';
import type { Heading, NoteLink, ParsedNote } from '../core/types';

/** The label written above a new table of contents, as in the seed notes. */
export const TABLE_OF_CONTENTS_LABEL = '**Table of Contents**';

/** Where a table of contents sits in a note: its entry lines, and its label line if it has one. */
export interface TableOfContentsBlock {
  /** The `**Table of Contents**` (or `## Contents`, `목차`, …) line above the entries. */
  readonly labelLine?: number;
  readonly firstLine: number;
  readonly lastLine: number;
}

// A label line: optional heading marker or emphasis around a few known words.
const LABEL = /^ {0,3}(?:#{1,6}\s+)?(?:\*\*|__|\*|_)?\s*(?:table of contents|contents|toc|목차)\s*:?\s*(?:\*\*|__|\*|_)?\s*:?\s*$/iu;
const LIST_MARKER = /^\s*(?:[-*+]|\d+[.)])\s+$/;
// What would end or split a wiki link, or hide it: in the target these become
// spaces, which Obsidian's heading matching ignores anyway.
const BREAKS_TARGET = /%%|[|#^[\]\\]/g;
const BREAKS_DISPLAY = /%%|[[\]]/g;

/**
 * The edit that inserts or refreshes the note's `[[#Heading|Heading]]` table of
 * contents: an existing one is rewritten in place, otherwise one is inserted
 * after the front matter or title heading. No edit when it is already current,
 * so running it twice changes nothing. `note` must be parsed with its prose
 * text, `parseNote(text, { keepProse: true })`: the index keeps it only for
 * conference notes.
 */
export function computeTableOfContentsEdit(note: ParsedNote): TextEdit[] {
  const lines = new LineIndex(note.proseText);
  const existing = findTableOfContents(note, lines);
  const entries = tableOfContentsEntries(note, existing);
  if (entries.length === 0) return [];
  const eol = note.proseText.includes('\r\n') ? '\r\n' : '\n';

  if (existing) {
    const current: string[] = [];
    for (let line = existing.firstLine; line <= existing.lastLine; line++) current.push(lines.lineText(line));
    if (current.join('\n') === entries.join('\n')) return [];
    const range = { start: { line: existing.firstLine, character: 0 }, end: { line: existing.lastLine, character: lines.lineText(existing.lastLine).length } };
    return [{ range, newText: entries.join(eol) }];
  }

  const block = [TABLE_OF_CONTENTS_LABEL, '', ...entries];
  const after = insertionLine(note, lines);
  if (after >= lines.lineCount) {
    // The note ends on the anchor line itself, with no line break to insert after.
    const last = lines.lineCount - 1;
    const end = { line: last, character: lines.lineText(last).length };
    const lead = lines.lineText(last).trim() === '' ? '' : eol + eol;
    return [{ range: { start: end, end }, newText: lead + block.join(eol) + eol }];
  }
  const start = { line: after, character: 0 };
  // Blank lines around the block keep it a list of its own: a paragraph right
  // after it would otherwise continue its last entry.
  const before = after === 0 ? '' : eol;
  const next = lines.lineText(after).trim() === '' ? '' : eol;
  return [{ range: { start, end: start }, newText: before + block.join(eol) + eol + next }];
}

/** One `- [[#Heading|Heading]]` line per heading, indented by depth. */
function tableOfContentsEntries(note: ParsedNote, existing: TableOfContentsBlock | undefined): string[] {
  const title = titleHeading(note);
  const listed = note.headings.filter((heading) => heading !== title && heading.range.start.line !== existing?.labelLine && heading.text.trim() !== '' && targetText(heading.text) !== '');
  if (listed.length === 0) return [];
  const top = Math.min(...listed.map((heading) => heading.level));
  return listed.map((heading) => `${'  '.repeat(heading.level - top)}- [[#${headingTarget(note, heading)}|${displayText(heading.text)}]]`);
}

/**
 * The target that reaches this heading. The heading's own text (link-breaking
 * characters spaced out) reaches the first heading of that name; a later
 * duplicate is reached through an enclosing heading, `Parent#Duplicate`, when that
 * resolves to it.
 */
function headingTarget(note: ParsedNote, heading: Heading): string {
  const own = targetText(heading.text);
  if (findHeadingPath(note, [own]) === heading) return own;
  const index = note.headings.indexOf(heading);
  let level = heading.level;
  for (let i = index - 1; i >= 0; i--) {
    const ancestor = note.headings[i];
    if (ancestor.level >= level) continue;
    level = ancestor.level;
    const path = [targetText(ancestor.text), own];
    if (findHeadingPath(note, path) === heading) return path.join('#');
  }
  return own;
}

function targetText(text: string): string {
  return text.replace(BREAKS_TARGET, ' ').replace(/\s+/g, ' ').trim();
}

function displayText(text: string): string {
  const display = text.replace(BREAKS_DISPLAY, '').replace(/\s+/g, ' ').trim();
  return display || targetText(text);
}

/**
 * The note's table of contents: the first run of list lines that each hold only
 * a `[[#Heading]]` link to this note, with a label line above it or at least two
 * entries (a single such line is just a link).
 */
export function findTableOfContents(note: ParsedNote, lines: LineIndex = new LineIndex(note.proseText)): TableOfContentsBlock | undefined {
  const linksByLine = new Map<number, NoteLink[]>();
  for (const link of note.links) {
    // A link commented out beside an entry (`- [[#A]] %%[[#old]]%%`) is not part of it.
    if (link.inComment) continue;
    const line = link.range.start.line;
    const onLine = linksByLine.get(line);
    if (onLine) onLine.push(link);
    else linksByLine.set(line, [link]);
  }
  const isEntry = (line: number): boolean => {
    const onLine = linksByLine.get(line);
    if (!onLine || onLine.length !== 1) return false;
    const [link] = onLine;
    if (link.kind !== 'wiki' || link.embed || link.path !== '' || link.subpath?.kind !== 'heading' || link.range.end.line !== line) return false;
    const text = lines.lineText(line);
    return LIST_MARKER.test(text.slice(0, link.range.start.character)) && text.slice(link.range.end.character).trim() === '';
  };

  const entryLines = [...linksByLine.keys()].filter(isEntry).sort((a, b) => a - b);
  for (let i = 0; i < entryLines.length; ) {
    let j = i;
    while (j + 1 < entryLines.length && entryLines[j + 1] === entryLines[j] + 1) j++;
    const firstLine = entryLines[i];
    const labelLine = labelAbove(lines, firstLine);
    if (labelLine !== undefined || j > i) return { labelLine, firstLine, lastLine: entryLines[j] };
    i = j + 1;
  }
  return undefined;
}

/** The label line just above the entries, a blank line between allowed. */
function labelAbove(lines: LineIndex, firstLine: number): number | undefined {
  for (let line = firstLine - 1; line >= 0 && line >= firstLine - 2; line--) {
    const text = lines.lineText(line);
    if (text.trim() === '') continue;
    return LABEL.test(text) ? line : undefined;
  }
  return undefined;
}

/**
 * The line a new table of contents goes before: after the front matter or the
 * title heading, and after any lines glued to it (a date line under the title),
 * so it splits nothing the author wrote together.
 */
function insertionLine(note: ParsedNote, lines: LineIndex): number {
  const title = titleHeading(note);
  const frontMatterEnd = note.frontMatter ? note.frontMatter.range.end.line : -1;
  // The front matter's range ends at the start of the line after its closing fence.
  const afterFrontMatter = note.frontMatter && note.frontMatter.range.end.character === 0 ? frontMatterEnd : frontMatterEnd + 1;
  const titleLine = title ? title.range.start.line : -1;
  if (titleLine < 0 && afterFrontMatter <= 0) return 0;
  let line = titleLine >= afterFrontMatter ? titleLine + 1 : afterFrontMatter;
  const headingLines = new Set(note.headings.map((heading) => heading.range.start.line));
  while (line < lines.lineCount && !headingLines.has(line) && !/^ {0,3}(?:[-*_]\s*){3,}$/.test(lines.lineText(line)) && lines.lineText(line).trim() !== '') line++;
  return line;
}
