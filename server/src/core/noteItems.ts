import type { Range } from 'vscode-languageserver-types';
import type { BlockAnchor, Heading, LinkSubpath, NoteLink, TagMention } from './types';

/*
 * A note's links, headings, blocks and tags as the parser and the parse's
 * decoder make them: each keeps its positions as numbers and makes a Range
 * when one is read. A parse made four ranges (twelve objects) per link and
 * the encoder read them back into numbers; a decode made them again, shared
 * through a table of equal ranges (a million lookups at 10,000 notes, each a
 * cache miss). Most are never read: a range is read for a problem, a
 * reference, a rename, the note open in the editor.
 *
 * Ranges are values here: each read is a fresh object, so none is shared or
 * mutated, and nothing may compare them by identity. `toJSON` is the plain
 * item (what JSON.stringify, the wire and a test's comparison see); a spread
 * (`{ ...link }`) would lose the ranges, so items are built, never spread.
 */

export function lineRange(line: number, start: number, end: number): Range {
  return { start: { line, character: start }, end: { line, character: end } };
}

/** The columns of a link on one line: where the link, its target, its path and its subpath start and end. */
export interface LinkColumns {
  readonly line: number;
  readonly start: number;
  readonly end: number;
  readonly targetStart: number;
  readonly targetEnd: number;
  readonly pathStart: number;
  readonly pathEnd: number;
  /** -1 (and `subpathEnd` -1) when the link has no subpath range. */
  readonly subpathStart: number;
  readonly subpathEnd: number;
}

/** What a link is, besides where: the fields of NoteLink that are not ranges. */
export type LinkFields = Omit<NoteLink, 'range' | 'targetRange' | 'pathRange' | 'subpathRange'>;

/** A link's kind and yes-or-no fields as the bits of one number: a decode makes a quarter of a million links at 10,000 notes, and each field is a word of each. */
const WIKI_LINK = 1;
const EMBED_LINK = 2;
const EXTERNAL_LINK = 4;
const LINK_IN_COMMENT = 8;
/** Above the bits: a decoded link's place in its note's positions. */
const LINK_BITS = 16;

function linkBits(kind: 'wiki' | 'markdown', embed: boolean, external: boolean, inComment: true | undefined): number {
  return (kind === 'wiki' ? WIKI_LINK : 0) | (embed ? EMBED_LINK : 0) | (external ? EXTERNAL_LINK : 0) | (inComment ? LINK_IN_COMMENT : 0);
}

/** What a parsed and a decoded link share: every field but the ranges, which each keeps its own way. */
abstract class LineLink implements NoteLink {
  readonly target: string;
  readonly path: string;
  readonly subpath: LinkSubpath | undefined;
  readonly display: string | undefined;
  readonly size: NoteLink['size'];
  /** kind, embed, external and inComment (the bits above), and above them what the subclass keeps there. */
  protected readonly packed: number;

  // Positional: a decode makes one per link, and no fields object for it.
  constructor(kind: 'wiki' | 'markdown', embed: boolean, target: string, path: string, subpath: LinkSubpath | undefined, display: string | undefined, size: NoteLink['size'], external: boolean, inComment: true | undefined, above = 0) {
    this.target = target;
    this.path = path;
    this.subpath = subpath;
    this.display = display;
    this.size = size;
    this.packed = above * LINK_BITS + linkBits(kind, embed, external, inComment);
  }

  get kind(): 'wiki' | 'markdown' {
    return this.packed & WIKI_LINK ? 'wiki' : 'markdown';
  }

  get embed(): boolean {
    return (this.packed & EMBED_LINK) !== 0;
  }

  get external(): boolean {
    return (this.packed & EXTERNAL_LINK) !== 0;
  }

  get inComment(): true | undefined {
    return this.packed & LINK_IN_COMMENT ? true : undefined;
  }

  abstract get range(): Range;
  abstract get targetRange(): Range;
  abstract get pathRange(): Range;
  abstract get subpathRange(): Range | undefined;

  /** The plain link a parse had before (what JSON.stringify, the wire and a test's comparison see). */
  toJSON(): NoteLink {
    const plain: { -readonly [K in keyof NoteLink]: NoteLink[K] } = { kind: this.kind, embed: this.embed, range: this.range, target: this.target, targetRange: this.targetRange, path: this.path, pathRange: this.pathRange, external: this.external };
    if (this.subpath !== undefined) plain.subpath = this.subpath;
    const subpathRange = this.subpathRange;
    if (subpathRange !== undefined) plain.subpathRange = subpathRange;
    if (this.display !== undefined) plain.display = this.display;
    if (this.size !== undefined) plain.size = this.size;
    if (this.inComment) plain.inComment = true;
    return plain;
  }
}

/** A link the parser read, on one line: its columns in fields of its own. */
export class ParsedLink extends LineLink {
  readonly #line: number;
  readonly #start: number;
  readonly #end: number;
  readonly #targetStart: number;
  readonly #targetEnd: number;
  readonly #pathStart: number;
  readonly #pathEnd: number;
  readonly #subpathStart: number;
  readonly #subpathEnd: number;

  constructor(fields: LinkFields, columns: LinkColumns) {
    super(fields.kind, fields.embed, fields.target, fields.path, fields.subpath, fields.display, fields.size, fields.external, fields.inComment);
    this.#line = columns.line;
    this.#start = columns.start;
    this.#end = columns.end;
    this.#targetStart = columns.targetStart;
    this.#targetEnd = columns.targetEnd;
    this.#pathStart = columns.pathStart;
    this.#pathEnd = columns.pathEnd;
    this.#subpathStart = columns.subpathStart;
    this.#subpathEnd = columns.subpathEnd;
  }

  get range(): Range {
    return lineRange(this.#line, this.#start, this.#end);
  }

  get targetRange(): Range {
    return lineRange(this.#line, this.#targetStart, this.#targetEnd);
  }

  get pathRange(): Range {
    return lineRange(this.#line, this.#pathStart, this.#pathEnd);
  }

  get subpathRange(): Range | undefined {
    return this.#subpathStart < 0 ? undefined : lineRange(this.#line, this.#subpathStart, this.#subpathEnd);
  }

  /** Its columns, without making a range: what the encoder writes. */
  static columnsOf(link: ParsedLink): LinkColumns {
    return {
      line: link.#line,
      start: link.#start,
      end: link.#end,
      targetStart: link.#targetStart,
      targetEnd: link.#targetEnd,
      pathStart: link.#pathStart,
      pathEnd: link.#pathEnd,
      subpathStart: link.#subpathStart,
      subpathEnd: link.#subpathEnd,
    };
  }

}

/** A heading the parser read: its line, the line's end, and its text's columns (on its first line). */
export class ParsedHeading implements Heading {
  readonly level: number;
  readonly text: string;
  readonly matchKey: string;
  readonly #line: number;
  readonly #lineEnd: number;
  readonly #textStart: number;
  readonly #textEnd: number;

  constructor(level: number, text: string, matchKey: string, line: number, lineEnd: number, textStart: number, textEnd: number) {
    this.level = level;
    this.text = text;
    this.matchKey = matchKey;
    this.#line = line;
    this.#lineEnd = lineEnd;
    this.#textStart = textStart;
    this.#textEnd = textEnd;
  }

  get range(): Range {
    return lineRange(this.#line, 0, this.#lineEnd);
  }

  get textRange(): Range {
    return lineRange(this.#line, this.#textStart, this.#textEnd);
  }

  toJSON(): Heading {
    return { level: this.level, text: this.text, range: this.range, textRange: this.textRange, matchKey: this.matchKey };
  }
}

/** A tag the parser read, on one line. */
export class ParsedTag implements TagMention {
  readonly name: string;
  readonly #line: number;
  readonly #start: number;
  readonly #end: number;

  constructor(name: string, line: number, start: number, end: number) {
    this.name = name;
    this.#line = line;
    this.#start = start;
    this.#end = end;
  }

  get range(): Range {
    return lineRange(this.#line, this.#start, this.#end);
  }

  /** Its line, start and end, without making a range: what the encoder writes. */
  static columnsOf(tag: ParsedTag): readonly [number, number, number] {
    return [tag.#line, tag.#start, tag.#end];
  }

  toJSON(): TagMention {
    return { name: this.name, range: this.range };
  }
}

// ---- decoded ---------------------------------------------------------------
// A decoded note keeps its items' positions in one typed array (one array a
// note), and each item where its own start. Each number is kept one above its
// value, so that a link without a subpath (-1) is 0 and every number of most
// notes fits two bytes: a note whose lines and columns all stay below 65,535
// gets a Uint16Array, any other an Int32Array (2.5 million numbers at 10,000
// notes, 10 MB as four bytes each).

/** A decoded note's positions, each one above its value (see above). */
export type NotePositions = Uint16Array | Int32Array;

/** The range on the item's line (`positions[at]`) from the columns at `at + column` and `at + column + 1`. */
function rangeAt(positions: NotePositions, at: number, column: number): Range {
  return lineRange(positions[at] - 1, positions[at + column] - 1, positions[at + column + 1] - 1);
}

/** Positions: line, range start and end, target start and end, path start and end, subpath start and end (-1 when none: kept as 0). */
export const LINK_POSITIONS = 9;

export class DecodedLink extends LineLink {
  readonly #positions: NotePositions;

  /** `at`: where its positions start in `positions` (kept above the link's bits, not in a field of its own). */
  constructor(kind: 'wiki' | 'markdown', embed: boolean, target: string, path: string, subpath: LinkSubpath | undefined, display: string | undefined, size: NoteLink['size'], external: boolean, inComment: true | undefined, positions: NotePositions, at: number) {
    super(kind, embed, target, path, subpath, display, size, external, inComment, at);
    this.#positions = positions;
  }

  get #at(): number {
    return Math.floor(this.packed / LINK_BITS);
  }

  get range(): Range {
    return rangeAt(this.#positions, this.#at, 1);
  }

  get targetRange(): Range {
    return rangeAt(this.#positions, this.#at, 3);
  }

  get pathRange(): Range {
    return rangeAt(this.#positions, this.#at, 5);
  }

  get subpathRange(): Range | undefined {
    const at = this.#at;
    return this.#positions[at + 7] === 0 ? undefined : rangeAt(this.#positions, at, 7);
  }
}

/** Positions: line, end of the heading's line, text start and end. */
export const HEADING_POSITIONS = 4;

export class DecodedHeading implements Heading {
  readonly level: number;
  readonly text: string;
  readonly matchKey: string;
  readonly #positions: NotePositions;
  readonly #at: number;

  constructor(level: number, text: string, matchKey: string, positions: NotePositions, at: number) {
    this.level = level;
    this.text = text;
    this.matchKey = matchKey;
    this.#positions = positions;
    this.#at = at;
  }

  get range(): Range {
    const p = this.#positions;
    return lineRange(p[this.#at] - 1, 0, p[this.#at + 1] - 1);
  }

  get textRange(): Range {
    return rangeAt(this.#positions, this.#at, 2);
  }

  toJSON(): Heading {
    return { level: this.level, text: this.text, range: this.range, textRange: this.textRange, matchKey: this.matchKey };
  }
}

/** Positions of a block id or a tag: line, start, end. */
export const MARK_POSITIONS = 3;

/** An item of one range, a block id or a tag: its line, start and end at `at` in its note's positions. */
abstract class DecodedMark {
  readonly #positions: NotePositions;
  readonly #at: number;

  constructor(positions: NotePositions, at: number) {
    this.#positions = positions;
    this.#at = at;
  }

  get range(): Range {
    return rangeAt(this.#positions, this.#at, 1);
  }
}

export class DecodedBlock extends DecodedMark implements BlockAnchor {
  readonly id: string;
  readonly line: number;

  constructor(id: string, line: number, positions: NotePositions, at: number) {
    super(positions, at);
    this.id = id;
    this.line = line;
  }

  toJSON(): BlockAnchor {
    return { id: this.id, range: this.range, line: this.line };
  }
}

export class DecodedTag extends DecodedMark implements TagMention {
  readonly name: string;

  constructor(name: string, positions: NotePositions, at: number) {
    super(positions, at);
    this.name = name;
  }

  toJSON(): TagMention {
    return { name: this.name, range: this.range };
  }
}

/** Whether a value is one of the items above (whose plain form is its `toJSON`). */
export function isNoteItem(value: object): value is { toJSON(): object } {
  return value instanceof ParsedLink || value instanceof ParsedHeading || value instanceof ParsedTag || value instanceof DecodedLink || value instanceof DecodedHeading || value instanceof DecodedBlock || value instanceof DecodedTag;
}
