import type { BlockAnchor } from '../core/types';

/** A block of the note being edited that `[[^^` can link to: a paragraph or a list item. */
export interface BlockCandidate {
  /** The block's text (a paragraph's lines joined), for matching and display, its id and list marker removed. */
  readonly text: string;
  /** The line that carries, or would carry, the block's ` ^id`. */
  readonly line: number;
  /** Where ` ^id` goes when the block has none: the end of that line, trailing spaces kept out. */
  readonly endCharacter: number;
  /** The block's id, when it has one. */
  readonly id?: string;
}

/** Blocks read from one note at most: `[[^^` stays bounded on a huge note. */
const MAX_LINES = 20_000;
const TRAILING_ID = /\s\^([A-Za-z0-9-]+)\s*$/;
const LIST_ITEM = /^\s*(?:[-*+]|\d+[.)])\s+/;

/**
 * The paragraphs and list items of a note's text, each once, skipping front
 * matter, code fences, headings, tables' rules and lone `^id` lines (whose
 * block is the one above). A paragraph's id goes on its last line, as Obsidian
 * writes it; `blocks` (the parse's) gives the ids already there.
 */
export function blockCandidates(text: string, blocks: readonly BlockAnchor[]): BlockCandidate[] {
  const lines = text.split(/\r\n|\r|\n/, MAX_LINES);
  const idByLine = new Map(blocks.map((block) => [block.line, block.id]));
  const found: BlockCandidate[] = [];
  let fence: string | undefined;
  let paragraph: { text: string; line: number } | undefined;
  const endParagraph = () => {
    if (paragraph) found.push(candidate(lines[paragraph.line], paragraph.line, idByLine.get(paragraph.line), paragraph.text));
    paragraph = undefined;
  };
  let start = 0;
  if (lines[0]?.trimEnd() === '---') {
    const close = lines.findIndex((line, at) => at > 0 && /^(---|\.\.\.)\s*$/.test(line));
    start = close < 0 ? lines.length : close + 1;
  }
  for (let line = start; line < lines.length; line++) {
    const current = lines[line];
    const marker = /^ {0,3}(`{3,}|~{3,})/.exec(current)?.[1];
    if (marker || fence !== undefined) {
      endParagraph();
      if (marker && fence === undefined) fence = marker;
      else if (marker && fence !== undefined && marker[0] === fence[0] && marker.length >= fence.length && current.trim() === marker) fence = undefined;
      continue;
    }
    const trimmed = current.trim();
    if (trimmed === '' || /^#{1,6}(\s|$)/.test(trimmed) || /^\^[A-Za-z0-9-]+$/.test(trimmed) || (/^\|?[\s:|-]+\|?$/.test(trimmed) && trimmed.includes('-'))) {
      endParagraph();
      continue;
    }
    if (LIST_ITEM.test(current)) {
      endParagraph();
      found.push(candidate(current, line, idByLine.get(line)));
      continue;
    }
    paragraph = { text: paragraph ? `${paragraph.text} ${trimmed}` : trimmed, line };
  }
  endParagraph();
  return found;
}

function candidate(lineText: string, line: number, parsedId: string | undefined, shown: string = lineText): BlockCandidate {
  // The text may be newer than the parse (completion does not wait for one): an id written on the line counts.
  const id = TRAILING_ID.exec(lineText)?.[1] ?? parsedId;
  const endCharacter = lineText.trimEnd().length;
  const text = shown.replace(TRAILING_ID, '').replace(LIST_ITEM, '').trim();
  return id ? { text, line, endCharacter, id } : { text, line, endCharacter };
}

/**
 * A new block id for a line, as Obsidian makes them (six lowercase letters and
 * digits), derived from the text so the same line gets the same proposal, and
 * never one the note has.
 */
export function newBlockId(text: string, taken: ReadonlySet<string>): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  for (let attempt = 0; ; attempt++) {
    const id = ((hash + attempt * 0x9e3779b1) >>> 0).toString(36).padStart(6, '0').slice(-6);
    if (!taken.has(id.toLowerCase())) return id;
  }
}
