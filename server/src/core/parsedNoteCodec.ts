import type { Position, Range } from 'vscode-languageserver-types';
import { DecodedBlock, DecodedHeading, DecodedLink, DecodedTag, HEADING_POSITIONS, isNoteItem, LINK_POSITIONS, MARK_POSITIONS, ParsedLink, ParsedTag, type LinkColumns, type NotePositions } from './noteItems';
import type { BlockAnchor, FrontMatter, Heading, LinkSubpath, NoteLink, ParsedNote, TagMention } from './types';

/**
 * A note's parse as compact JSON text: the form the parse cache keeps on disk
 * and worker threads hand to the index. Links, headings, blocks and tags (the
 * bulk of a parse) become two runs of numbers, written as text, beside one
 * table of the note's strings, which parses several times faster than the
 * objects as JSON. One run is the positions exactly as a decoded note keeps
 * them, read straight into its Int32Array; a range is made when one is read
 * (noteItems.ts). Link texts and subpaths are shared across the notes of one
 * bulk decode (DecodeInterner).
 *
 * Front matter and any field this codec does not know go through a generic
 * encoding, and a link, heading, block or tag with a field it does not know,
 * or a range over several lines, sends the whole note through it: a field
 * added to the parser is carried, only more slowly, until it is added here
 * (test/unit/parseCache.test.ts compares round trips with fresh parses).
 */

/** Bump when the encoding changes; the cache stores it and ignores files of another version. */
export const PARSED_NOTE_CODEC_VERSION = 4;

const COMPACT = 'c';
const GENERIC = 'g';

const NOTE_KEYS = new Set(['frontMatter', 'headings', 'links', 'blocks', 'tags', 'lineCount', 'proseText', 'skippedReason']);
const LINK_KEYS = new Set(['kind', 'embed', 'range', 'target', 'targetRange', 'path', 'pathRange', 'subpath', 'subpathRange', 'display', 'size', 'external', 'inComment']);
const HEADING_KEYS = new Set(['level', 'text', 'range', 'textRange', 'matchKey']);
const BLOCK_KEYS = new Set(['id', 'range', 'line']);
const TAG_KEYS = new Set(['name', 'range']);

// Link flags.
const WIKI = 1;
const EMBED = 2;
const EXTERNAL = 4;
const HEADING_SUBPATH = 8;
const BLOCK_SUBPATH = 16;
const HAS_DISPLAY = 32;
const HAS_SIZE = 64;
const HAS_HEIGHT = 128;
const HAS_SUBPATH_RANGE = 256;
const IN_COMMENT = 512;
const KNOWN_FLAGS = 1023;
/** The flags of a link with a field beyond the eight every link has. */
const OPTIONAL_FIELDS = HEADING_SUBPATH | BLOCK_SUBPATH | HAS_DISPLAY | HAS_SIZE | HAS_SUBPATH_RANGE | IN_COMMENT;

class NotCompact extends Error {}

/** The JSON text of a parse, or undefined when it holds a value JSON cannot carry (a date, NaN…). */
export function encodeParsedNote(parsed: ParsedNote): string | undefined {
  try {
    return JSON.stringify(encodeCompact(parsed));
  } catch (error) {
    if (!(error instanceof NotCompact)) return undefined;
  }
  try {
    return JSON.stringify([GENERIC, encodeGeneric(parsed)]);
  } catch {
    return undefined;
  }
}

/**
 * Shares what recurs across the notes decoded with it: the subpaths of links
 * to one heading or block, link targets (a note linked from thousands of
 * notes was one string per link: 174,832 target strings, 8 MB at 10,000
 * notes), and the headings and tags many notes repeat (`Slides`, `Action
 * items`: one string and its lowercase key per note before). Kept for one
 * bulk decode: its maps would outweigh the saving if kept for good.
 */
export interface DecodeInterner {
  /** The one subpath object for a link to this heading (`#heading`), shared by every link naming it. */
  headingSubpath(heading: string): LinkSubpath;
  /** The one subpath object for a link to this block id. */
  blockSubpath(id: string): LinkSubpath;
  /** The one string for a text many notes repeat: a link's target or path, a heading's text or key, a tag. */
  text(text: string): string;
}

export function createDecodeInterner(): DecodeInterner {
  const headingSubpaths = new Map<string, LinkSubpath>();
  const blockSubpaths = new Map<string, LinkSubpath>();
  const texts = new Map<string, string>();
  return {
    text(text) {
      const found = texts.get(text);
      if (found !== undefined) return found;
      texts.set(text, text);
      return text;
    },
    headingSubpath(heading) {
      let found = headingSubpaths.get(heading);
      if (!found) headingSubpaths.set(heading, (found = { kind: 'heading', headings: [heading] }));
      return found;
    },
    blockSubpath(id) {
      let found = blockSubpaths.get(id);
      if (!found) blockSubpaths.set(id, (found = { kind: 'block', id }));
      return found;
    },
  };
}

// Columns are kept in a typed array of at most 32 bits (see noteItems.ts): a larger one (no text has one) is refused, not wrapped.
const MAX_INT32 = 2 ** 31 - 1;
const NO_POSITIONS: NotePositions = new Uint16Array(0);

/**
 * The parse back from `encodeParsedNote`'s text. Throws on text it did not
 * write, and on any value no parse can have (see checkParsedNote): a damaged
 * or doctored cache line never becomes a parse. `maxCharacter`, when known (a
 * cache line knows its file's size in bytes, which no UTF-16 column or line
 * count of the file's text can pass), bounds every column too.
 */
export function decodeParsedNote(json: string, interner: DecodeInterner = createDecodeInterner(), maxCharacter = Number.MAX_SAFE_INTEGER): ParsedNote {
  const data = JSON.parse(json) as unknown;
  if (!Array.isArray(data)) throw new Error('not an encoded note');
  if (data[0] === COMPACT) return decodeCompact(data, interner, maxCharacter);
  if (data[0] !== GENERIC) throw new Error('not an encoded note');
  const note = decodeGeneric(data[1]);
  checkParsedNote(note, maxCharacter, true);
  return note;
}

// ---- compact ---------------------------------------------------------------
// `["c", lineCount, skippedReason, frontMatter, strings, [links, headings, blocks, tags], positions, fields, extras, proseText]`.
// `positions` is every item's positions exactly as the decoded note keeps them
// (noteItems.ts: nine a link, four a heading, three a block or tag), each plus
// one so that "no subpath" (-1) is 0; `fields` is the rest of each item, in the
// same order: a link's flags, target and path (indices into `strings`), then
// what its flags announce; a heading's level, text and match key; a block's id
// and line; a tag's name. Both are runs of numbers written as text (RunWriter):
// JSON.parse of them as arrays of numbers was half the parse of a cache line,
// and made arrays that were garbage once the note was decoded.

function encodeCompact(parsed: ParsedNote): unknown[] {
  const strings: string[] = [];
  const stringIndex = new Map<string, number>();
  const str = (text: string): number => {
    let index = stringIndex.get(text);
    if (index === undefined) {
      index = strings.length;
      strings.push(text);
      stringIndex.set(text, index);
    }
    return index;
  };
  const extras: Record<string, unknown> = {};
  for (const key of Object.keys(parsed)) {
    if (!NOTE_KEYS.has(key) && (parsed as unknown as Record<string, unknown>)[key] !== undefined) extras[key] = encodeGeneric((parsed as unknown as Record<string, unknown>)[key]);
  }
  const positions = POSITIONS_WRITER.reset();
  const fields = FIELDS_WRITER.reset();

  for (const link of parsed.links) {
    // A parser's link has its columns at hand and no other fields; any other is read through its ranges.
    const c = link instanceof ParsedLink ? ParsedLink.columnsOf(link) : columnsOfRanges(link);
    let flags = (link.kind === 'wiki' ? WIKI : 0) | (link.embed ? EMBED : 0) | (link.external ? EXTERNAL : 0);
    if (link.subpath?.kind === 'heading') flags |= HEADING_SUBPATH;
    if (link.subpath?.kind === 'block') flags |= BLOCK_SUBPATH;
    if (link.subpath && Object.keys(link.subpath).length !== 2) throw new NotCompact();
    if (link.display !== undefined) flags |= HAS_DISPLAY;
    if (link.size !== undefined) flags |= HAS_SIZE | (link.size.height !== undefined ? HAS_HEIGHT : 0);
    if (c.subpathStart >= 0) flags |= HAS_SUBPATH_RANGE;
    if (link.inComment) flags |= IN_COMMENT;
    if (link.kind !== 'wiki' && link.kind !== 'markdown') throw new NotCompact();
    positions.position(c.line).position(c.start).position(c.end).position(c.targetStart).position(c.targetEnd).position(c.pathStart).position(c.pathEnd);
    if (c.subpathStart >= 0) positions.position(c.subpathStart).position(c.subpathEnd);
    else positions.position(-1).position(-1);
    fields.number(flags).number(str(link.target)).number(str(link.path));
    if (link.display !== undefined) fields.number(str(link.display));
    if (link.subpath?.kind === 'heading') {
      fields.number(link.subpath.headings.length);
      for (const heading of link.subpath.headings) fields.number(str(heading));
    }
    if (link.subpath?.kind === 'block') fields.number(str(link.subpath.id));
    if (link.size) {
      fields.number(compactNumber(link.size.width));
      if (link.size.height !== undefined) fields.number(compactNumber(link.size.height));
      if (Object.keys(link.size).some((key) => key !== 'width' && key !== 'height')) throw new NotCompact();
    }
  }

  for (const heading of parsed.headings) {
    onlyKeys(heading, HEADING_KEYS);
    const line = heading.range.start.line;
    if (heading.range.start.character !== 0 || heading.range.end.line !== line || heading.textRange.start.line !== line || heading.textRange.end.line !== line) throw new NotCompact();
    positions.position(line).position(heading.range.end.character).position(heading.textRange.start.character).position(heading.textRange.end.character);
    fields.number(compactNumber(heading.level)).number(str(heading.text)).number(str(heading.matchKey));
  }

  for (const block of parsed.blocks) {
    onlyKeys(block, BLOCK_KEYS);
    if (block.range.start.line !== block.range.end.line) throw new NotCompact();
    positions.position(block.range.start.line).position(block.range.start.character).position(block.range.end.character);
    fields.number(str(block.id)).number(compactNumber(block.line));
  }

  for (const tag of parsed.tags) {
    if (tag instanceof ParsedTag) {
      const [line, start, end] = ParsedTag.columnsOf(tag);
      positions.position(line).position(start).position(end);
    } else {
      onlyKeys(tag, TAG_KEYS);
      const range = tag.range;
      if (range.start.line !== range.end.line) throw new NotCompact();
      positions.position(range.start.line).position(range.start.character).position(range.end.character);
    }
    fields.number(str(tag.name));
  }

  const frontMatter = parsed.frontMatter === undefined ? null : encodeGeneric(parsed.frontMatter);
  if (typeof parsed.proseText !== 'string') throw new NotCompact();
  const counts = [parsed.links.length, parsed.headings.length, parsed.blocks.length, parsed.tags.length];
  return [COMPACT, finite(parsed.lineCount), parsed.skippedReason ?? null, frontMatter, strings, counts, positions.text(), fields.text(), Object.keys(extras).length ? extras : null, parsed.proseText];
}

/** A count, column or size the compact form can carry: an integer from 0 to 2^31 - 2 (else the note goes generic). */
function compactNumber(value: number): number {
  if (!Number.isInteger(value) || value < 0 || value >= MAX_INT32) throw new NotCompact();
  return value;
}

/*
 * Runs of numbers as text: each number in groups of five bits, lowest first,
 * one character a group: a group with more to come is a character from `#`
 * (35) to `B` (66), the last one from `]` (93) to `|` (124). Neither range
 * holds `"` or `\`, so JSON carries the text as it is. Most numbers here (a
 * column, a string's index) take one or two characters, against two to four
 * and a comma as JSON numbers, and reading them back is a loop over the
 * characters into an Int32Array, with no array of numbers in between.
 */
const MORE = 35;
const LAST = 93;
const GROUP = 32;

class RunWriter {
  #codes = new Uint8Array(1024);
  #length = 0;

  reset(): this {
    this.#length = 0;
    return this;
  }

  /** A position: stored plus one, so -1 (no subpath) is written as 0. */
  position(value: number): this {
    if (!(value >= -1 && value < MAX_INT32) || !Number.isInteger(value)) throw new NotCompact();
    return this.number(value + 1);
  }

  number(value: number): this {
    // At most seven groups (2^31 needs 32 bits): room for them, then the groups.
    if (this.#length + 7 > this.#codes.length) {
      const grown = new Uint8Array(this.#codes.length * 2);
      grown.set(this.#codes);
      this.#codes = grown;
    }
    let rest = value;
    while (rest >= GROUP) {
      this.#codes[this.#length++] = MORE + (rest % GROUP);
      rest = Math.floor(rest / GROUP);
    }
    this.#codes[this.#length++] = LAST + rest;
    return this;
  }

  text(): string {
    return RUN_TEXT.decode(this.#codes.subarray(0, this.#length));
  }
}

const RUN_TEXT = new TextDecoder();
// One of each, reused: an encode runs to its end before the next begins.
const POSITIONS_WRITER = new RunWriter();
const FIELDS_WRITER = new RunWriter();

/**
 * Reads a run's numbers into `into` from `offset` on, each minus `minus`;
 * returns how many, or -1 for text no RunWriter wrote: a character outside the
 * two ranges, a number cut short, one of 2^31 or more, or more numbers than fit.
 */
function readRun(text: string, into: Int32Array, minus: number): number {
  const capacity = into.length;
  let count = 0;
  let value = 0;
  let shift = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const last = code - LAST;
    if (last >= 0 && last < GROUP) {
      // The seventh group holds bit 31 and up: only 0 and 1 keep the number below 2^31.
      if ((shift === 30 && last > 1) || count === capacity) return -1;
      into[count++] = (value | (last << shift)) - minus;
      value = 0;
      shift = 0;
      continue;
    }
    const more = code - MORE;
    if (more < 0 || more >= GROUP || shift === 30) return -1;
    value |= more << shift;
    shift += 5;
  }
  return shift === 0 ? count : -1;
}

/** The positions of the note being decoded, as they are, for checking: one buffer for every note, as the fields'. */
let positionBuffer = new Int32Array(4096);
const MAX_SHARED_POSITIONS = 1 << 20;

/** The first `count` positions as the note keeps them: one above each, in a Uint16Array when every one fits. */
function keptPositions(positions: Int32Array, count: number): NotePositions {
  let largest = 0;
  for (let k = 0; k < count; k++) if (positions[k] > largest) largest = positions[k];
  const kept = largest < 0xffff ? new Uint16Array(count) : new Int32Array(count);
  for (let k = 0; k < count; k++) kept[k] = positions[k] + 1;
  return kept;
}

/** The fields of the note being decoded: read once, so one buffer serves every note (grown for a longer run). */
let fieldBuffer = new Int32Array(4096);
const MAX_SHARED_FIELDS = 1 << 20;

/** The columns of a link given as ranges, all on one line (or NotCompact). */
function columnsOfRanges(link: NoteLink): LinkColumns {
  onlyKeys(link, LINK_KEYS);
  const { range, targetRange, pathRange, subpathRange } = link;
  const line = range.start.line;
  for (const item of [range, targetRange, pathRange, subpathRange]) {
    if (item !== undefined && (item.start.line !== line || item.end.line !== line)) throw new NotCompact();
  }
  return {
    line,
    start: range.start.character,
    end: range.end.character,
    targetStart: targetRange.start.character,
    targetEnd: targetRange.end.character,
    pathStart: pathRange.start.character,
    pathEnd: pathRange.end.character,
    subpathStart: subpathRange ? subpathRange.start.character : -1,
    subpathEnd: subpathRange ? subpathRange.end.character : -1,
  };
}

function decodeCompact(data: unknown[], shared: DecodeInterner, maxCharacter: number): ParsedNote {
  maxCharacter = Math.min(maxCharacter, MAX_INT32);
  const [, lineCount, skippedReason, frontMatter, strings, counts, positionText, fieldText, extras, proseText] = data as [string, number, string | null, unknown, string[], number[], string, string, Record<string, unknown> | null, string];
  if (data.length !== 10 || !Array.isArray(strings) || !strings.every((item) => typeof item === 'string')) refuse('not an encoded note');
  if (!isCountRun(counts) || counts.length !== 4 || typeof positionText !== 'string' || typeof fieldText !== 'string') refuse('not an encoded note');
  if (extras !== null && !isRecord(extras)) refuse('not an encoded note');
  checkLineCount(lineCount, maxCharacter);
  const [linkCount, headingCount, blockCount, tagCount] = counts;
  const positionCount = linkCount * LINK_POSITIONS + headingCount * HEADING_POSITIONS + (blockCount + tagCount) * MARK_POSITIONS;
  // Every number is at least one character: counts the text cannot hold are refused before anything is allocated.
  if (positionCount > positionText.length) refuse('positions cut short');
  // Read into the shared buffer (each number as it is, -1 for none) and checked there; the note keeps
  // them one above, in two bytes each when all fit (see noteItems.ts).
  if (positionCount > positionBuffer.length && positionCount <= MAX_SHARED_POSITIONS) positionBuffer = new Int32Array(Math.max(positionCount, positionBuffer.length * 2));
  const p = positionCount > positionBuffer.length ? new Int32Array(positionCount) : positionBuffer;
  if (readRun(positionText, p, 1) !== positionCount) refuse('not an encoded run');
  const positions = positionCount === 0 ? NO_POSITIONS : keptPositions(p, positionCount);
  // A run has at most as many numbers as characters; a note with more fields than the shared buffer is rare enough to get its own.
  if (fieldText.length > fieldBuffer.length && fieldText.length <= MAX_SHARED_FIELDS) fieldBuffer = new Int32Array(Math.max(fieldText.length, fieldBuffer.length * 2));
  const f = fieldText.length > fieldBuffer.length ? new Int32Array(fieldText.length) : fieldBuffer;
  const fieldCount = readRun(fieldText, f, 0);
  if (fieldCount < 0) refuse('not an encoded run');
  // Each test below is written so that a field read past the run's end fails it too: the buffer holds
  // earlier notes' fields there, so every read index is checked against fieldCount.
  let i = 0;
  let at = 0;
  const links = new Array<NoteLink>(linkCount);
  for (let n = 0; n < linkCount; n++, at += LINK_POSITIONS) {
    if (i + 3 > fieldCount) refuse('a link cut short');
    const flags = f[i];
    const line = p[at];
    if (flags > KNOWN_FLAGS || !(line >= 0 && line < lineCount) || !spans(p[at + 1], p[at + 2], maxCharacter) || !spans(p[at + 3], p[at + 4], maxCharacter) || !spans(p[at + 5], p[at + 6], maxCharacter)) refuse('a link beyond the note');
    if (flags & HAS_SUBPATH_RANGE ? !spans(p[at + 7], p[at + 8], maxCharacter) : p[at + 7] !== -1 || p[at + 8] !== -1) refuse('a link beyond the note');
    const target = shared.text(strings[f[i + 1]] ?? refuse('a string beyond the table'));
    // Without a subpath the path is the target's text: the same entry of the table.
    const path = f[i + 2] === f[i + 1] ? target : shared.text(strings[f[i + 2]] ?? refuse('a string beyond the table'));
    i += 3;
    let subpath: LinkSubpath | undefined;
    let display: string | undefined;
    let size: NoteLink['size'];
    if ((flags & OPTIONAL_FIELDS) !== 0) {
      if (flags & HAS_DISPLAY) display = (i < fieldCount ? strings[f[i++]] : undefined) ?? refuse('a string beyond the table');
      if (flags & HEADING_SUBPATH) {
        const count = i < fieldCount ? f[i++] : -1;
        if (!(count >= 0 && count <= fieldCount - i)) refuse('a link cut short');
        if (count === 1) {
          subpath = shared.headingSubpath(strings[f[i++]] ?? refuse('a string beyond the table'));
        } else {
          const names: string[] = [];
          for (let k = 0; k < count; k++) names.push(strings[f[i++]] ?? refuse('a string beyond the table'));
          subpath = { kind: 'heading', headings: names };
        }
      } else if (flags & BLOCK_SUBPATH) {
        subpath = shared.blockSubpath((i < fieldCount ? strings[f[i++]] : undefined) ?? refuse('a string beyond the table'));
      }
      if (flags & HAS_SIZE) {
        if (i + (flags & HAS_HEIGHT ? 2 : 1) > fieldCount) refuse('a link cut short');
        const width = f[i++];
        size = { width, height: flags & HAS_HEIGHT ? f[i++] : undefined };
      }
    }
    links[n] = new DecodedLink(flags & WIKI ? 'wiki' : 'markdown', (flags & EMBED) !== 0, target, path, subpath, display, size, (flags & EXTERNAL) !== 0, flags & IN_COMMENT ? true : undefined, positions, at);
  }

  if (i + headingCount * 3 + blockCount * 2 + tagCount !== fieldCount) refuse('fields beyond the items');
  const headings = new Array<Heading>(headingCount);
  for (let n = 0; n < headingCount; n++, i += 3, at += HEADING_POSITIONS) {
    const line = p[at];
    if (!(f[i] >= 1 && f[i] <= 6) || !(line >= 0 && line < lineCount) || !spans(0, p[at + 1], maxCharacter) || !spans(p[at + 2], p[at + 3], maxCharacter)) refuse('a heading beyond the note');
    const text = shared.text(strings[f[i + 1]] ?? refuse('a string beyond the table'));
    const matchKey = shared.text(strings[f[i + 2]] ?? refuse('a string beyond the table'));
    headings[n] = new DecodedHeading(f[i], text, matchKey, positions, at);
  }

  const blocks = new Array<BlockAnchor>(blockCount);
  for (let n = 0; n < blockCount; n++, i += 2, at += MARK_POSITIONS) {
    if (!(p[at] >= 0 && p[at] < lineCount) || !spans(p[at + 1], p[at + 2], maxCharacter) || !(f[i + 1] < lineCount)) refuse('a block beyond the note');
    blocks[n] = new DecodedBlock(strings[f[i]] ?? refuse('a string beyond the table'), f[i + 1], positions, at);
  }

  const tags = new Array<TagMention>(tagCount);
  for (let n = 0; n < tagCount; n++, i += 1, at += MARK_POSITIONS) {
    if (!(p[at] >= 0 && p[at] < lineCount) || !spans(p[at + 1], p[at + 2], maxCharacter)) refuse('a tag beyond the note');
    tags[n] = new DecodedTag(shared.text(strings[f[i]] ?? refuse('a string beyond the table')), positions, at);
  }

  const note: Record<string, unknown> = {
    frontMatter: frontMatter === null ? undefined : decodeGeneric(frontMatter),
    headings,
    links,
    blocks,
    tags,
    lineCount,
    proseText,
  };
  if (skippedReason !== null) note.skippedReason = skippedReason;
  for (const [key, value] of Object.entries(extras ?? {})) setOwn(note, key, decodeGeneric(value));
  // The rest; the items again only when a field this codec does not know may have replaced them.
  checkParsedNote(note, maxCharacter, extras !== null);
  return note as unknown as ParsedNote;
}

/** Columns `start` to `end` on one line, in order, none beyond `maxCharacter` (false for undefined ones). */
function spans(start: number, end: number, maxCharacter: number): boolean {
  return start >= 0 && start <= end && end <= maxCharacter;
}

/** Numbers that count or index: what every run of the compact form holds. */
function isCountRun(run: unknown): run is number[] {
  if (!Array.isArray(run)) return false;
  for (const item of run) if (!Number.isSafeInteger(item) || item < 0) return false;
  return true;
}

// ---- checks ----------------------------------------------------------------

function refuse(what: string): never {
  throw new Error(`not a parse: ${what}`);
}

/** The note's line count and the most UTF-16 units its text can have: what every position must lie within. */
interface Bounds {
  readonly lines: number;
  readonly maxCharacter: number;
}

/**
 * Throws unless `value` has the shape of a ParsedNote and holds only what a
 * parse of some text can: every line and column a non-negative integer, every
 * range starting before it ends and inside the note's lines, no column beyond
 * `maxCharacter`, heading levels 1 to 6. What a parse may hold besides (a field
 * added later, front-matter values) is not looked into. Whatever else a damaged
 * line holds is what the cache's checksum is for. `structures`: whether the
 * headings, links, blocks and tags are still to be checked.
 */
function checkParsedNote(value: unknown, maxCharacter: number, structures: boolean): asserts value is ParsedNote {
  if (!isRecord(value)) refuse('not an object');
  const note = value as Partial<Record<keyof ParsedNote, unknown>>;
  const bounds: Bounds = { lines: checkLineCount(note.lineCount, maxCharacter), maxCharacter };
  if (typeof note.proseText !== 'string' || note.proseText.length > maxCharacter) refuse('prose text');
  checkOptionalString(note.skippedReason, 'skipped reason');
  if (note.frontMatter !== undefined) checkFrontMatter(note.frontMatter, bounds);
  // Those of the compact form were checked as they were read.
  if (!structures) return;

  for (const heading of checkList(note.headings, 'headings')) {
    if (!isRecord(heading)) refuse('heading');
    const { level, text, range, textRange, matchKey } = heading as Partial<Record<keyof Heading, unknown>>;
    if (!Number.isInteger(level) || (level as number) < 1 || (level as number) > 6) refuse('heading level');
    checkString(text, 'heading');
    checkString(matchKey, 'heading');
    checkRange(range, bounds, 'heading');
    checkRange(textRange, bounds, 'heading');
  }

  for (const link of checkList(note.links, 'links')) {
    if (!isRecord(link)) refuse('link');
    const item = link as Partial<Record<keyof NoteLink, unknown>>;
    if (item.kind !== 'wiki' && item.kind !== 'markdown') refuse('link kind');
    if (typeof item.embed !== 'boolean' || typeof item.external !== 'boolean' || (item.inComment !== undefined && item.inComment !== true)) refuse('link flags');
    checkRange(item.range, bounds, 'link');
    checkString(item.target, 'link target');
    checkRange(item.targetRange, bounds, 'link target');
    checkString(item.path, 'link path');
    checkRange(item.pathRange, bounds, 'link path');
    if (item.subpathRange !== undefined) checkRange(item.subpathRange, bounds, 'link subpath');
    checkOptionalString(item.display, 'link display');
    if (item.subpath !== undefined) {
      if (!isRecord(item.subpath)) refuse('link subpath');
      const subpath = item.subpath as { kind?: unknown; headings?: unknown; id?: unknown };
      if (subpath.kind === 'heading') checkStrings(subpath.headings, 'link subpath');
      else if (subpath.kind === 'block') checkString(subpath.id, 'link subpath');
      else refuse('link subpath');
    }
    if (item.size !== undefined) {
      if (!isRecord(item.size)) refuse('link size');
      const { width, height } = item.size as { width?: unknown; height?: unknown };
      if (typeof width !== 'number' || !Number.isFinite(width) || (height !== undefined && (typeof height !== 'number' || !Number.isFinite(height)))) refuse('link size');
    }
  }

  for (const block of checkList(note.blocks, 'blocks')) {
    if (!isRecord(block)) refuse('block');
    checkString(block.id, 'block id');
    checkRange(block.range, bounds, 'block');
    if (!Number.isSafeInteger(block.line) || (block.line as number) < 0 || (block.line as number) >= bounds.lines) refuse('block line');
  }

  for (const tag of checkList(note.tags, 'tags')) {
    if (!isRecord(tag)) refuse('tag');
    checkString(tag.name, 'tag');
    checkRange(tag.range, bounds, 'tag');
  }
}

function checkFrontMatter(value: unknown, bounds: Bounds): void {
  if (!isRecord(value)) refuse('front matter');
  const frontMatter = value as Partial<Record<keyof FrontMatter, unknown>>;
  checkRange(frontMatter.range, bounds, 'front matter');
  checkOptionalString(frontMatter.title, 'title');
  checkStrings(frontMatter.aliases, 'aliases');
  checkStrings(frontMatter.tags, 'tags');
  checkStrings(frontMatter.categories, 'categories');
  if (frontMatter.data !== undefined && !isRecord(frontMatter.data)) refuse('front matter data');
  for (const error of checkList(frontMatter.errors, 'front matter errors')) {
    if (!isRecord(error)) refuse('front matter error');
    checkString(error.message, 'front matter error');
    checkRange(error.range, bounds, 'front matter error');
  }
}

function checkPosition(value: unknown, bounds: Bounds, what: string): void {
  if (!isRecord(value)) refuse(what);
  const { line, character } = value as Partial<Position>;
  if (!Number.isSafeInteger(line) || line! < 0 || line! >= bounds.lines || !Number.isSafeInteger(character) || character! < 0 || character! > bounds.maxCharacter) refuse(`${what} beyond the note`);
}

function checkRange(value: unknown, bounds: Bounds, what: string): void {
  if (!isRecord(value)) refuse(what);
  const { start, end } = value as Partial<Range>;
  checkPosition(start, bounds, what);
  checkPosition(end, bounds, what);
  if (start!.line > end!.line || (start!.line === end!.line && start!.character > end!.character)) refuse(`${what} ends before it starts`);
}

function checkString(value: unknown, what: string): void {
  if (typeof value !== 'string') refuse(what);
}

function checkOptionalString(value: unknown, what: string): void {
  if (value !== undefined) checkString(value, what);
}

function checkList(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value)) refuse(what);
  return value;
}

function checkStrings(value: unknown, what: string): void {
  for (const text of checkList(value, what)) checkString(text, what);
}

/** A note of text with at most `maxCharacter` UTF-16 units has at most one line more. */
function checkLineCount(lineCount: unknown, maxCharacter: number): number {
  if (!Number.isSafeInteger(lineCount) || (lineCount as number) < 0 || (lineCount as number) > maxCharacter + 1) refuse('line count');
  return lineCount as number;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function onlyKeys(value: object, known: ReadonlySet<string>): void {
  for (const key of Object.keys(value)) {
    if (!known.has(key) && (value as Record<string, unknown>)[key] !== undefined) throw new NotCompact();
  }
}

function finite(value: number): number {
  if (!Number.isFinite(value)) throw new Error('not a finite number');
  return value;
}

// ---- generic ---------------------------------------------------------------
// Any JSON-safe value; a Range becomes `~line,char,line,char` (`~line,char,char` on
// one line), and a string that really starts with `~` gets a second one.

const MARK = 126; // '~'

function encodeGeneric(value: unknown): unknown {
  switch (typeof value) {
    case 'string':
      return value.charCodeAt(0) === MARK ? `~${value}` : value;
    case 'number':
      return finite(value);
    case 'boolean':
    case 'undefined':
      return value;
    case 'object': {
      if (value === null) return null;
      if (Array.isArray(value)) {
        return value.map((item) => {
          if (item === undefined) throw new Error('undefined in an array');
          return encodeGeneric(item);
        });
      }
      // A parser's or decoder's link, heading, block or tag: its plain form (a date, say, still cannot be carried).
      if (isNoteItem(value)) return encodeGeneric(value.toJSON());
      const prototype = Object.getPrototypeOf(value);
      if (prototype !== Object.prototype && prototype !== null) throw new Error('not a plain object');
      if (isRange(value)) {
        const { start, end } = value;
        return start.line === end.line ? `~${start.line},${start.character},${end.character}` : `~${start.line},${start.character},${end.line},${end.character}`;
      }
      const encoded: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) {
        if (item !== undefined) setOwn(encoded, key, encodeGeneric(item));
      }
      return encoded;
    }
    default:
      throw new Error(`cannot encode a ${typeof value}`);
  }
}

/** Decodes in place: the parsed JSON is fresh objects already; only range strings are replaced. */
function decodeGeneric(value: unknown): unknown {
  if (typeof value === 'string') {
    if (value.charCodeAt(0) !== MARK) return value;
    if (value.charCodeAt(1) === MARK) return value.slice(1);
    const n = readNumbers(value);
    return n.length === 3 ? { start: { line: n[0], character: n[1] }, end: { line: n[0], character: n[2] } } : { start: { line: n[0], character: n[1] }, end: { line: n[2], character: n[3] } };
  }
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = decodeGeneric(value[i]);
    return value;
  }
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) setOwn(record, key, decodeGeneric(record[key]));
  return record;
}

function isRange(value: object): value is Range {
  if (Object.keys(value).length !== 2) return false;
  const { start, end } = value as Partial<Range>;
  return isPosition(start) && isPosition(end);
}

function isPosition(value: unknown): value is Position {
  if (typeof value !== 'object' || value === null || Object.keys(value).length !== 2) return false;
  const { line, character } = value as Partial<Position>;
  return Number.isInteger(line) && Number.isInteger(character) && line! >= 0 && character! >= 0;
}

/** The comma-separated integers after the leading `~`. */
function readNumbers(text: string): number[] {
  const numbers: number[] = [];
  let current = 0;
  for (let i = 1; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 44 /* , */) {
      numbers.push(current);
      current = 0;
    } else {
      current = current * 10 + (code - 48);
    }
  }
  numbers.push(current);
  return numbers;
}

/** `record[key] = value`, also for a front-matter key named `__proto__` (never the prototype). */
function setOwn(record: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
  else record[key] = value;
}
