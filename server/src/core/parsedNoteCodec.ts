import type { Position, Range } from 'vscode-languageserver-types';
import { DecodedBlock, DecodedHeading, DecodedLink, DecodedTag, HEADING_POSITIONS, isNoteItem, LINK_POSITIONS, MARK_POSITIONS, ParsedLink, ParsedTag, type LinkColumns } from './noteItems';
import type { BlockAnchor, FrontMatter, Heading, LinkSubpath, NoteLink, ParsedNote, TagMention } from './types';

/**
 * A note's parse as compact JSON text: the form the parse cache keeps on disk
 * and worker threads hand to the index. Links, headings, blocks and tags (the
 * bulk of a parse) become runs of numbers beside one table of the note's
 * strings, which parses several times faster than the objects as JSON. A
 * decoded note keeps those numbers in one Int32Array and makes a range when
 * one is read (noteItems.ts); link texts and subpaths are shared across the
 * notes of one bulk decode (DecodeInterner).
 *
 * Front matter and any field this codec does not know go through a generic
 * encoding, and a link, heading, block or tag with a field it does not know,
 * or a range over several lines, sends the whole note through it: a field
 * added to the parser is carried, only more slowly, until it is added here
 * (test/unit/parseCache.test.ts compares round trips with fresh parses).
 */

/** Bump when the encoding changes; the cache stores it and ignores files of another version. */
export const PARSED_NOTE_CODEC_VERSION = 3;

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
 * to one heading or block, and link targets (a note linked from thousands of
 * notes was one string per link: 174,832 target strings, 8 MB at 10,000
 * notes). Kept for one bulk decode: its maps would outweigh the saving if kept
 * for good.
 */
export interface DecodeInterner {
  /** The one subpath object for a link to this heading (`#heading`), shared by every link naming it. */
  headingSubpath(heading: string): LinkSubpath;
  /** The one subpath object for a link to this block id. */
  blockSubpath(id: string): LinkSubpath;
  /** The one string for a link's target (or path) text. */
  linkText(text: string): string;
}

export function createDecodeInterner(): DecodeInterner {
  const headingSubpaths = new Map<string, LinkSubpath>();
  const blockSubpaths = new Map<string, LinkSubpath>();
  const linkTexts = new Map<string, string>();
  return {
    linkText(text) {
      const found = linkTexts.get(text);
      if (found !== undefined) return found;
      linkTexts.set(text, text);
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

// Columns are kept in an Int32Array (see noteItems.ts): a larger one (no text has one) is refused, not wrapped.
const MAX_INT32 = 2 ** 31 - 1;
const NO_POSITIONS = new Int32Array(0);

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

  const links: number[] = [];
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
    links.push(flags, str(link.target), str(link.path), c.line, c.start, c.end, c.targetStart, c.targetEnd, c.pathStart, c.pathEnd);
    if (c.subpathStart >= 0) links.push(c.subpathStart, c.subpathEnd);
    if (link.display !== undefined) links.push(str(link.display));
    if (link.subpath?.kind === 'heading') links.push(link.subpath.headings.length, ...link.subpath.headings.map(str));
    if (link.subpath?.kind === 'block') links.push(str(link.subpath.id));
    if (link.size) {
      links.push(finite(link.size.width));
      if (link.size.height !== undefined) links.push(finite(link.size.height));
      if (Object.keys(link.size).some((key) => key !== 'width' && key !== 'height')) throw new NotCompact();
    }
  }

  const headings: number[] = [];
  for (const heading of parsed.headings) {
    onlyKeys(heading, HEADING_KEYS);
    const line = heading.range.start.line;
    if (heading.range.start.character !== 0 || heading.range.end.line !== line || heading.textRange.start.line !== line || heading.textRange.end.line !== line) throw new NotCompact();
    headings.push(finite(heading.level), line, heading.range.end.character, heading.textRange.start.character, heading.textRange.end.character, str(heading.text), str(heading.matchKey));
  }

  const blocks: number[] = [];
  for (const block of parsed.blocks) {
    onlyKeys(block, BLOCK_KEYS);
    if (block.range.start.line !== block.range.end.line) throw new NotCompact();
    blocks.push(str(block.id), block.range.start.line, block.range.start.character, block.range.end.character, block.line);
  }

  const tags: number[] = [];
  for (const tag of parsed.tags) {
    if (tag instanceof ParsedTag) {
      const [line, start, end] = ParsedTag.columnsOf(tag);
      tags.push(str(tag.name), line, start, end);
      continue;
    }
    onlyKeys(tag, TAG_KEYS);
    const range = tag.range;
    if (range.start.line !== range.end.line) throw new NotCompact();
    tags.push(str(tag.name), range.start.line, range.start.character, range.end.character);
  }

  const frontMatter = parsed.frontMatter === undefined ? null : encodeGeneric(parsed.frontMatter);
  if (typeof parsed.proseText !== 'string') throw new NotCompact();
  return [COMPACT, finite(parsed.lineCount), parsed.skippedReason ?? null, frontMatter, strings, links, headings, blocks, tags, Object.keys(extras).length ? extras : null, parsed.proseText];
}

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
  const [, lineCount, skippedReason, frontMatter, strings, l, h, b, t, extras, proseText] = data as [string, number, string | null, unknown, string[], number[], number[], number[], number[], Record<string, unknown> | null, string];
  // The runs are read by position: anything but counts and offsets there is refused before they are read,
  // and each number as it is read (checkParsedNote's rules, on the numbers rather than on the objects made of them).
  if (data.length !== 11 || !Array.isArray(strings) || !strings.every((item) => typeof item === 'string')) refuse('not an encoded note');
  if (!isCountRun(l) || !isCountRun(h) || h.length % 7 !== 0 || !isCountRun(b) || b.length % 5 !== 0 || !isCountRun(t) || t.length % 4 !== 0) refuse('not an encoded note');
  if (extras !== null && !isRecord(extras)) refuse('not an encoded note');
  checkLineCount(lineCount, maxCharacter);
  // Each test below is written so that a number read past a run's end (undefined) fails it too,
  // and a string's index past the table reads undefined (every entry is a string).
  // A link is at least 10 numbers of its run, so this many positions hold them all.
  const linkPositions = Math.floor(l.length / 10) * LINK_POSITIONS;
  const headingPositions = (h.length / 7) * HEADING_POSITIONS;
  const blockPositions = (b.length / 5) * MARK_POSITIONS;
  const positionCount = linkPositions + headingPositions + blockPositions + (t.length / 4) * MARK_POSITIONS;
  const positions = positionCount === 0 ? NO_POSITIONS : new Int32Array(positionCount);
  let at = 0;
  let links: NoteLink[] = [];
  for (let i = 0; i < l.length; ) {
    const flags = l[i];
    const line = l[i + 3];
    if (flags > KNOWN_FLAGS || !(line < lineCount) || !spans(l[i + 4], l[i + 5], maxCharacter) || !spans(l[i + 6], l[i + 7], maxCharacter) || !spans(l[i + 8], l[i + 9], maxCharacter)) refuse('a link beyond the note');
    const target = shared.linkText(strings[l[i + 1]] ?? refuse('a string beyond the table'));
    // Without a subpath the path is the target's text: the same entry of the table.
    const path = l[i + 2] === l[i + 1] ? target : shared.linkText(strings[l[i + 2]] ?? refuse('a string beyond the table'));
    positions[at] = line;
    for (let k = 1; k < 7; k++) positions[at + k] = l[i + 3 + k];
    positions[at + 7] = -1;
    i += 10;
    let subpath: LinkSubpath | undefined;
    let display: string | undefined;
    let size: NoteLink['size'];
    if ((flags & OPTIONAL_FIELDS) !== 0) {
      if (flags & HAS_SUBPATH_RANGE) {
        if (!spans(l[i], l[i + 1], maxCharacter)) refuse('a link beyond the note');
        positions[at + 7] = l[i];
        positions[at + 8] = l[i + 1];
        i += 2;
      }
      if (flags & HAS_DISPLAY) display = strings[l[i++]] ?? refuse('a string beyond the table');
      if (flags & HEADING_SUBPATH) {
        const count = l[i++];
        if (!(count <= l.length - i)) refuse('a link cut short');
        if (count === 1) {
          subpath = shared.headingSubpath(strings[l[i++]] ?? refuse('a string beyond the table'));
        } else {
          const names: string[] = [];
          for (let k = 0; k < count; k++) names.push(strings[l[i++]] ?? refuse('a string beyond the table'));
          subpath = { kind: 'heading', headings: names };
        }
      } else if (flags & BLOCK_SUBPATH) {
        subpath = shared.blockSubpath(strings[l[i++]] ?? refuse('a string beyond the table'));
      }
      if (flags & HAS_SIZE) {
        const width = l[i++];
        size = { width, height: flags & HAS_HEIGHT ? l[i++] : undefined };
      }
      if (i > l.length) refuse('a link cut short');
    }
    links.push(new DecodedLink(flags & WIKI ? 'wiki' : 'markdown', (flags & EMBED) !== 0, target, path, subpath, display, size, (flags & EXTERNAL) !== 0, flags & IN_COMMENT ? true : undefined, positions, at));
    at += LINK_POSITIONS;
  }
  // Exactly as long as it is (see the headings below).
  if (links.length) links = links.slice();
  at = linkPositions;

  // Arrays of their final length: one grown by push keeps up to half its slots empty, for good.
  const headings = new Array<Heading>(h.length / 7);
  for (let i = 0; i < h.length; i += 7, at += HEADING_POSITIONS) {
    const line = h[i + 1];
    if (!(h[i] >= 1 && h[i] <= 6) || !(line < lineCount) || !spans(0, h[i + 2], maxCharacter) || !spans(h[i + 3], h[i + 4], maxCharacter)) refuse('a heading beyond the note');
    const text = strings[h[i + 5]] ?? refuse('a string beyond the table');
    const matchKey = strings[h[i + 6]] ?? refuse('a string beyond the table');
    positions[at] = line;
    positions[at + 1] = h[i + 2];
    positions[at + 2] = h[i + 3];
    positions[at + 3] = h[i + 4];
    headings[i / 7] = new DecodedHeading(h[i], text, matchKey, positions, at);
  }

  const blocks = new Array<BlockAnchor>(b.length / 5);
  for (let i = 0; i < b.length; i += 5, at += MARK_POSITIONS) {
    if (!(b[i + 1] < lineCount) || !spans(b[i + 2], b[i + 3], maxCharacter) || !(b[i + 4] < lineCount)) refuse('a block beyond the note');
    positions[at] = b[i + 1];
    positions[at + 1] = b[i + 2];
    positions[at + 2] = b[i + 3];
    blocks[i / 5] = new DecodedBlock(strings[b[i]] ?? refuse('a string beyond the table'), b[i + 4], positions, at);
  }

  const tags = new Array<TagMention>(t.length / 4);
  for (let i = 0; i < t.length; i += 4, at += MARK_POSITIONS) {
    if (!(t[i + 1] < lineCount) || !spans(t[i + 2], t[i + 3], maxCharacter)) refuse('a tag beyond the note');
    positions[at] = t[i + 1];
    positions[at + 1] = t[i + 2];
    positions[at + 2] = t[i + 3];
    tags[i / 4] = new DecodedTag(strings[t[i]] ?? refuse('a string beyond the table'), positions, at);
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
  // The rest; the runs again only when a field this codec does not know may have replaced them.
  checkParsedNote(note, maxCharacter, extras !== null);
  return note as unknown as ParsedNote;
}

/** Columns `start` to `end` on one line, in order, none beyond `maxCharacter` (false for undefined ones). */
function spans(start: number, end: number, maxCharacter: number): boolean {
  return start <= end && end <= maxCharacter;
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
