import type { Position } from 'vscode-languageserver-types';
import { rangeContains } from './text';
import type { Heading, NoteLink, ParsedNote } from './types';

/** The link under the cursor, if any. */
export function linkAt(note: ParsedNote, position: Position): NoteLink | undefined {
  return note.links.find((link) => rangeContains(link.range, position));
}

/** The heading whose line holds the cursor, if any. */
export function headingAt(note: ParsedNote, position: Position): Heading | undefined {
  return note.headings.find((heading) => heading.range.start.line === position.line);
}

/** The last line of a heading's section: up to the next heading of the same or a higher level. */
export function sectionEndLine(note: ParsedNote, heading: Heading, index = note.headings.indexOf(heading)): number {
  for (let i = index + 1; i < note.headings.length; i++) {
    if (note.headings[i].level <= heading.level) return Math.max(heading.range.start.line, note.headings[i].range.start.line - 1);
  }
  return Math.max(heading.range.start.line, note.lineCount - 1);
}

/**
 * The heading that titles the whole note: the first heading, when every other
 * heading is deeper (`# DEVIEW 2018` over `##` talks). A note with several
 * top-level headings (`# Idea`, `# Opening Keynote`, …) has none.
 */
export function titleHeading(note: Pick<ParsedNote, 'headings'>): Heading | undefined {
  const [first, ...rest] = note.headings;
  return first && rest.every((heading) => heading.level > first.level) ? first : undefined;
}
