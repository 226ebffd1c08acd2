/**
 * The block structure of a note, as far as the index needs it: where code
 * (fenced, indented) and HTML blocks lie, and the headings with their text.
 *
 * The parser took these from markdown-it's block parse; this scanner gives
 * exactly what that parse gave (test/unit/scannerDifferential.test.ts compares
 * the two on thousands of texts), without its tokens, its normalized copy of
 * the text (made here only when the note has a `\r` or a NUL) or its inline
 * content strings for paragraphs. CommonMark's block rules are subtle (lazy
 * continuation, list items deciding what is indented code, the seven kinds of
 * HTML block, link reference definitions that keep a line from being a setext
 * heading), so the rules below follow markdown-it 14's block rules
 * (MIT, `lib/rules_block/*.mjs`) step for step, state for state; only what they
 * record differs. Keep them in step with the markdown-it that the preview uses.
 */

/** A heading as markdown-it's block parse sees it. */
export interface ScannedHeading {
  /** Its first line. */
  readonly line: number;
  readonly level: number;
  /** `#` headings; false for setext (`===` / `---` underlined) ones. */
  readonly atx: boolean;
  /** The inline content: markers and surrounding ASCII white space removed, lines joined by `\n`. */
  readonly content: string;
}

export interface ScannedBlocks {
  /** Code and HTML blocks as line ranges, `[start, end)` in pairs, in note order. */
  readonly codeRanges: number[];
  /** For each range of `codeRanges`, whether it is indented code (not a fence or HTML). */
  readonly indentedCode: boolean[];
  readonly headings: ScannedHeading[];
}

const MAX_NESTING = 100;

const enum Parent {
  Root,
  Blockquote,
  List,
  Paragraph,
  Reference,
  Table,
}

/** markdown-it's `isSpace`: a space or a tab only. */
function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09;
}

function isAsciiTrimmable(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

function asciiTrim(text: string): string {
  let start = 0;
  while (start < text.length && isAsciiTrimmable(text.charCodeAt(start))) start++;
  let end = text.length - 1;
  while (end >= start && isAsciiTrimmable(text.charCodeAt(end))) end--;
  return start === 0 && end === text.length - 1 ? text : text.slice(start, end + 1);
}

interface LineArrays {
  readonly capacity: number;
  readonly bMarks: Int32Array;
  readonly eMarks: Int32Array;
  readonly tShift: Int32Array;
  readonly sCount: Int32Array;
  readonly bsCount: Int32Array;
}

function lineArrays(capacity: number): LineArrays {
  return { capacity, bMarks: new Int32Array(capacity), eMarks: new Int32Array(capacity), tShift: new Int32Array(capacity), sCount: new Int32Array(capacity), bsCount: new Int32Array(capacity) };
}

const MAX_KEPT_LINES = 1 << 16;
/** The line arrays every scan of a note up to `MAX_KEPT_LINES` lines uses (a scan never starts inside another), grown as notes need. */
let LINE_ARRAYS = lineArrays(0);

type Rule = (state: BlockState, startLine: number, endLine: number, silent: boolean) => boolean;

class BlockState {
  readonly bMarks: Int32Array;
  readonly eMarks: Int32Array;
  readonly tShift: Int32Array;
  readonly sCount: Int32Array;
  readonly bsCount: Int32Array;
  blkIndent = 0;
  line = 0;
  lineMax = 0;
  listIndent = -1;
  parentType = Parent.Root;
  level = 0;
  readonly codeRanges: number[] = [];
  readonly indentedCode: boolean[] = [];
  readonly headings: ScannedHeading[] = [];

  constructor(
    readonly src: string,
    blankLines: number,
  ) {
    // Line marks as markdown-it's StateBlock makes them, a blank last line without a line break included (it is no line).
    // Room for every line and the one after the last: a note has at most one line more than characters.
    // (A note of more lines than are kept gets arrays of its own, counted, and not kept after it.)
    let arrays: LineArrays;
    if (src.length + 2 <= MAX_KEPT_LINES) {
      if (LINE_ARRAYS.capacity < src.length + 2) LINE_ARRAYS = lineArrays(Math.min(MAX_KEPT_LINES, Math.max(src.length + 2, LINE_ARRAYS.capacity * 2)));
      arrays = LINE_ARRAYS;
    } else {
      let lines = 1;
      for (let i = src.indexOf('\n'); i >= 0; i = src.indexOf('\n', i + 1)) lines++;
      arrays = lines + 1 <= LINE_ARRAYS.capacity ? LINE_ARRAYS : lineArrays(lines + 1);
    }
    this.bMarks = arrays.bMarks;
    this.eMarks = arrays.eMarks;
    this.tShift = arrays.tShift;
    this.sCount = arrays.sCount;
    this.bsCount = arrays.bsCount;
    let line = 0;
    const length = src.length;
    for (let start = 0; start < length; ) {
      if (line < blankLines) {
        // A hidden line reads as blanks (its width in spaces); hidden to the end of the text, as no line.
        const end = src.indexOf('\n', start);
        if (end < 0) break;
        this.bMarks[line] = start;
        this.eMarks[line] = end;
        this.tShift[line] = end - start;
        this.sCount[line] = end - start;
        line++;
        start = end + 1;
        continue;
      }
      let pos = start;
      let indent = 0;
      let offset = 0;
      for (; pos < length; pos++) {
        const ch = src.charCodeAt(pos);
        if (ch === 0x20) offset++;
        else if (ch === 0x09) offset += 4 - (offset % 4);
        else break;
        indent++;
      }
      // Blank to the end of the text with no line break after it: markdown-it counts no such line.
      if (pos >= length) break;
      let end = src.indexOf('\n', pos);
      if (end < 0) end = length;
      this.bMarks[line] = start;
      this.eMarks[line] = end;
      this.tShift[line] = indent;
      this.sCount[line] = offset;
      line++;
      start = end + 1;
    }
    this.bMarks[line] = length;
    this.eMarks[line] = length;
    this.tShift[line] = 0;
    this.sCount[line] = 0;
    this.bsCount.fill(0, 0, line + 1);
    this.lineMax = line;
  }

  isEmpty(line: number): boolean {
    return this.bMarks[line] + this.tShift[line] >= this.eMarks[line];
  }

  skipEmptyLines(from: number): number {
    for (const max = this.lineMax; from < max; from++) {
      if (this.bMarks[from] + this.tShift[from] < this.eMarks[from]) break;
    }
    return from;
  }

  skipSpaces(pos: number): number {
    const src = this.src;
    for (const max = src.length; pos < max; pos++) {
      const c = src.charCodeAt(pos);
      if (c !== 0x20 && c !== 0x09) break;
    }
    return pos;
  }

  skipSpacesBack(pos: number, min: number): number {
    if (pos <= min) return pos;
    while (pos > min) if (!isSpace(this.src.charCodeAt(--pos))) return pos + 1;
    return pos;
  }

  skipChars(pos: number, code: number): number {
    const src = this.src;
    for (const max = src.length; pos < max; pos++) if (src.charCodeAt(pos) !== code) break;
    return pos;
  }

  skipCharsBack(pos: number, code: number, min: number): number {
    if (pos <= min) return pos;
    while (pos > min) if (code !== this.src.charCodeAt(--pos)) return pos + 1;
    return pos;
  }

  getLines(begin: number, end: number, indent: number, keepLastLF: boolean): string {
    if (begin >= end) return '';
    const queue: string[] = new Array<string>(end - begin);
    for (let i = 0, line = begin; line < end; line++, i++) {
      let lineIndent = 0;
      const lineStart = this.bMarks[line];
      let first = lineStart;
      const last = line + 1 < end || keepLastLF ? this.eMarks[line] + 1 : this.eMarks[line];
      while (first < last && lineIndent < indent) {
        const ch = this.src.charCodeAt(first);
        if (isSpace(ch)) {
          if (ch === 0x09) lineIndent += 4 - ((lineIndent + this.bsCount[line]) % 4);
          else lineIndent++;
        } else if (first - lineStart < this.tShift[line]) {
          lineIndent++;
        } else {
          break;
        }
        first++;
      }
      queue[i] = lineIndent > indent ? ' '.repeat(lineIndent - indent) + this.src.slice(first, last) : this.src.slice(first, last);
    }
    return queue.join('');
  }

  addCode(start: number, end: number, indented: boolean): void {
    this.codeRanges.push(start, end);
    this.indentedCode.push(indented);
  }
}

/**
 * The block structure of `text`; line numbers count `\r\n`, `\r` and `\n`
 * breaks, as `LineIndex` does. Its first `blankLines` lines are read as if
 * every character of them were a space (a front matter the parser hides),
 * without making that copy of the text.
 */
export function scanBlocks(text: string, blankLines = 0): ScannedBlocks {
  // markdown-it's normalization of line breaks, only when it changes something. Its
  // NUL to U+FFFD is left to the few places where the two read differently (see
  // `withoutNul`): looking for a NUL is slow in a UTF-16 string of ASCII and Hangul.
  const src = CARRIAGE_RETURN.test(text) ? text.replace(/\r\n?/g, '\n') : text;
  const state = new BlockState(src, blankLines);
  if (src.length > 0) tokenize(state, 0, state.lineMax);
  return { codeRanges: state.codeRanges, indentedCode: state.indentedCode, headings: state.headings };
}

const CARRIAGE_RETURN = /\r/;

/**
 * markdown-it reads the note with each NUL as U+FFFD; the rules below read
 * both alike (neither is a space, a marker or a letter) but for a heading's
 * text, the HTML open or close tag that starts a block, and a reference
 * definition's destination (a NUL is a control character there).
 */
function withoutNul(text: string): string {
  return text.includes('\0') ? text.replace(/\0/g, '\uFFFD') : text;
}

function tokenize(state: BlockState, startLine: number, endLine: number): void {
  let line = startLine;
  while (line < endLine) {
    state.line = line = state.skipEmptyLines(line);
    if (line >= endLine) break;
    if (state.sCount[line] < state.blkIndent) break;
    if (state.level >= MAX_NESTING) {
      state.line = endLine;
      break;
    }
    for (const rule of ALL_RULES) {
      if (rule(state, line, endLine, false)) break;
    }
    line = state.line;
    if (line < endLine && state.isEmpty(line)) {
      line++;
      state.line = line;
    }
  }
}

/**
 * The first characters a block other than a table may start with (a fence,
 * a quote, a rule, a list item, HTML, a heading): every such rule gives up at
 * once on any other, so for a line starting otherwise only a table is asked.
 */
const MAY_START_BLOCK = new Uint8Array(128);
for (const c of '`~>*-_+0123456789<#') MAY_START_BLOCK[c.charCodeAt(0)] = 1;

function anyTerminates(rules: readonly Rule[], state: BlockState, line: number, endLine: number): boolean {
  const first = state.src.charCodeAt(state.bMarks[line] + state.tShift[line]);
  if (!(first < 128 && MAY_START_BLOCK[first] === 1)) return rules[0] === table && table(state, line, endLine, true);
  for (let i = 0; i < rules.length; i++) if (rules[i](state, line, endLine, true)) return true;
  return false;
}

// ---- the rules, in markdown-it's order ----------------------------------------

function getTableLine(state: BlockState, line: number): string {
  return state.src.slice(state.bMarks[line] + state.tShift[line], state.eMarks[line]);
}

function escapedSplit(str: string): string[] {
  const result: string[] = [];
  const max = str.length;
  let pos = 0;
  let ch = str.charCodeAt(pos);
  let isEscaped = false;
  let lastPos = 0;
  let current = '';
  while (pos < max) {
    if (ch === 0x7c) {
      if (!isEscaped) {
        result.push(current + str.substring(lastPos, pos));
        current = '';
        lastPos = pos + 1;
      } else {
        current += str.substring(lastPos, pos - 1);
        lastPos = pos;
      }
    }
    isEscaped = ch === 0x5c;
    pos++;
    ch = str.charCodeAt(pos);
  }
  result.push(current + str.substring(lastPos));
  return result;
}

const MAX_AUTOCOMPLETED_CELLS = 0x10000;

function table(state: BlockState, startLine: number, endLine: number, silent: boolean): boolean {
  if (startLine + 2 > endLine) return false;
  let nextLine = startLine + 1;
  if (state.sCount[nextLine] < state.blkIndent) return false;
  if (state.sCount[nextLine] - state.blkIndent >= 4) return false;
  let pos = state.bMarks[nextLine] + state.tShift[nextLine];
  if (pos >= state.eMarks[nextLine]) return false;
  const src = state.src;
  const firstCh = src.charCodeAt(pos++);
  if (firstCh !== 0x7c && firstCh !== 0x2d && firstCh !== 0x3a) return false;
  if (pos >= state.eMarks[nextLine]) return false;
  const secondCh = src.charCodeAt(pos++);
  if (secondCh !== 0x7c && secondCh !== 0x2d && secondCh !== 0x3a && !isSpace(secondCh)) return false;
  if (firstCh === 0x2d && isSpace(secondCh)) return false;
  while (pos < state.eMarks[nextLine]) {
    const ch = src.charCodeAt(pos);
    if (ch !== 0x7c && ch !== 0x2d && ch !== 0x3a && !isSpace(ch)) return false;
    pos++;
  }
  let lineText = getTableLine(state, startLine + 1);
  let columns = lineText.split('|');
  let aligns = 0;
  for (let i = 0; i < columns.length; i++) {
    const t = columns[i].trim();
    if (!t) {
      if (i === 0 || i === columns.length - 1) continue;
      return false;
    }
    if (!/^:?-+:?$/.test(t)) return false;
    aligns++;
  }
  lineText = getTableLine(state, startLine).trim();
  if (lineText.indexOf('|') === -1) return false;
  if (state.sCount[startLine] - state.blkIndent >= 4) return false;
  columns = escapedSplit(lineText);
  if (columns.length && columns[0] === '') columns.shift();
  if (columns.length && columns[columns.length - 1] === '') columns.pop();
  const columnCount = columns.length;
  if (columnCount === 0 || columnCount !== aligns) return false;
  if (silent) return true;

  const oldParentType = state.parentType;
  state.parentType = Parent.Table;
  let autocompletedCells = 0;
  for (nextLine = startLine + 2; nextLine < endLine; nextLine++) {
    if (state.sCount[nextLine] < state.blkIndent) break;
    if (anyTerminates(BLOCKQUOTE_TERMINATORS, state, nextLine, endLine)) break;
    lineText = getTableLine(state, nextLine).trim();
    if (!lineText) break;
    if (state.sCount[nextLine] - state.blkIndent >= 4) break;
    columns = escapedSplit(lineText);
    if (columns.length && columns[0] === '') columns.shift();
    if (columns.length && columns[columns.length - 1] === '') columns.pop();
    autocompletedCells += columnCount - columns.length;
    if (autocompletedCells > MAX_AUTOCOMPLETED_CELLS) break;
  }
  state.parentType = oldParentType;
  state.line = nextLine;
  return true;
}

function code(state: BlockState, startLine: number, endLine: number): boolean {
  if (state.sCount[startLine] - state.blkIndent < 4) return false;
  let nextLine = startLine + 1;
  let last = nextLine;
  while (nextLine < endLine) {
    if (state.isEmpty(nextLine)) {
      nextLine++;
      continue;
    }
    if (state.sCount[nextLine] - state.blkIndent >= 4) {
      nextLine++;
      last = nextLine;
      continue;
    }
    break;
  }
  state.line = last;
  state.addCode(startLine, last, true);
  return true;
}

function fence(state: BlockState, startLine: number, endLine: number, silent: boolean): boolean {
  const src = state.src;
  let pos = state.bMarks[startLine] + state.tShift[startLine];
  let max = state.eMarks[startLine];
  if (state.sCount[startLine] - state.blkIndent >= 4) return false;
  if (pos + 3 > max) return false;
  const marker = src.charCodeAt(pos);
  if (marker !== 0x7e && marker !== 0x60) return false;
  let mem = pos;
  pos = state.skipChars(pos, marker);
  const len = pos - mem;
  if (len < 3) return false;
  if (marker === 0x60) {
    const params = src.slice(pos, max);
    if (params.includes('`')) return false;
  }
  if (silent) return true;
  let nextLine = startLine;
  let haveEndMarker = false;
  for (;;) {
    nextLine++;
    if (nextLine >= endLine) break;
    pos = mem = state.bMarks[nextLine] + state.tShift[nextLine];
    max = state.eMarks[nextLine];
    if (pos < max && state.sCount[nextLine] < state.blkIndent) break;
    if (src.charCodeAt(pos) !== marker) continue;
    if (state.sCount[nextLine] - state.blkIndent >= 4) continue;
    pos = state.skipChars(pos, marker);
    if (pos - mem < len) continue;
    pos = state.skipSpaces(pos);
    if (pos < max) continue;
    haveEndMarker = true;
    break;
  }
  state.line = nextLine + (haveEndMarker ? 1 : 0);
  state.addCode(startLine, state.line, false);
  return true;
}

function blockquote(state: BlockState, startLine: number, endLine: number, silent: boolean): boolean {
  const src = state.src;
  let pos = state.bMarks[startLine] + state.tShift[startLine];
  let max = state.eMarks[startLine];
  const oldLineMax = state.lineMax;
  if (state.sCount[startLine] - state.blkIndent >= 4) return false;
  if (src.charCodeAt(pos) !== 0x3e) return false;
  if (silent) return true;

  const oldBMarks: number[] = [];
  const oldBSCount: number[] = [];
  const oldSCount: number[] = [];
  const oldTShift: number[] = [];
  const oldParentType = state.parentType;
  state.parentType = Parent.Blockquote;
  let lastLineEmpty = false;
  let nextLine: number;
  for (nextLine = startLine; nextLine < endLine; nextLine++) {
    const isOutdented = state.sCount[nextLine] < state.blkIndent;
    pos = state.bMarks[nextLine] + state.tShift[nextLine];
    max = state.eMarks[nextLine];
    if (pos >= max) break;
    if (src.charCodeAt(pos++) === 0x3e && !isOutdented) {
      let initial = state.sCount[nextLine] + 1;
      let spaceAfterMarker: boolean;
      let adjustTab = false;
      if (src.charCodeAt(pos) === 0x20) {
        pos++;
        initial++;
        adjustTab = false;
        spaceAfterMarker = true;
      } else if (src.charCodeAt(pos) === 0x09) {
        spaceAfterMarker = true;
        if ((state.bsCount[nextLine] + initial) % 4 === 3) {
          pos++;
          initial++;
          adjustTab = false;
        } else {
          adjustTab = true;
        }
      } else {
        spaceAfterMarker = false;
      }
      let offset = initial;
      oldBMarks.push(state.bMarks[nextLine]);
      state.bMarks[nextLine] = pos;
      while (pos < max) {
        const ch = src.charCodeAt(pos);
        if (isSpace(ch)) {
          if (ch === 0x09) offset += 4 - ((offset + state.bsCount[nextLine] + (adjustTab ? 1 : 0)) % 4);
          else offset++;
        } else {
          break;
        }
        pos++;
      }
      lastLineEmpty = pos >= max;
      oldBSCount.push(state.bsCount[nextLine]);
      state.bsCount[nextLine] = state.sCount[nextLine] + 1 + (spaceAfterMarker ? 1 : 0);
      oldSCount.push(state.sCount[nextLine]);
      state.sCount[nextLine] = offset - initial;
      oldTShift.push(state.tShift[nextLine]);
      state.tShift[nextLine] = pos - state.bMarks[nextLine];
      continue;
    }
    if (lastLineEmpty) break;
    if (anyTerminates(BLOCKQUOTE_TERMINATORS, state, nextLine, endLine)) {
      state.lineMax = nextLine;
      if (state.blkIndent !== 0) {
        oldBMarks.push(state.bMarks[nextLine]);
        oldBSCount.push(state.bsCount[nextLine]);
        oldTShift.push(state.tShift[nextLine]);
        oldSCount.push(state.sCount[nextLine]);
        state.sCount[nextLine] -= state.blkIndent;
      }
      break;
    }
    oldBMarks.push(state.bMarks[nextLine]);
    oldBSCount.push(state.bsCount[nextLine]);
    oldTShift.push(state.tShift[nextLine]);
    oldSCount.push(state.sCount[nextLine]);
    // A lazy continuation line: never a block start of its own.
    state.sCount[nextLine] = -1;
  }
  const oldIndent = state.blkIndent;
  state.blkIndent = 0;
  state.level++;
  tokenize(state, startLine, nextLine);
  state.level--;
  state.lineMax = oldLineMax;
  state.parentType = oldParentType;
  for (let i = 0; i < oldTShift.length; i++) {
    state.bMarks[i + startLine] = oldBMarks[i];
    state.tShift[i + startLine] = oldTShift[i];
    state.sCount[i + startLine] = oldSCount[i];
    state.bsCount[i + startLine] = oldBSCount[i];
  }
  state.blkIndent = oldIndent;
  return true;
}

function hr(state: BlockState, startLine: number, _endLine: number, silent: boolean): boolean {
  const src = state.src;
  const max = state.eMarks[startLine];
  if (state.sCount[startLine] - state.blkIndent >= 4) return false;
  let pos = state.bMarks[startLine] + state.tShift[startLine];
  const marker = src.charCodeAt(pos++);
  if (marker !== 0x2a && marker !== 0x2d && marker !== 0x5f) return false;
  let count = 1;
  while (pos < max) {
    const ch = src.charCodeAt(pos++);
    if (ch !== marker && !isSpace(ch)) return false;
    if (ch === marker) count++;
  }
  if (count < 3) return false;
  if (silent) return true;
  state.line = startLine + 1;
  return true;
}

function skipBulletListMarker(state: BlockState, startLine: number): number {
  const max = state.eMarks[startLine];
  let pos = state.bMarks[startLine] + state.tShift[startLine];
  const marker = state.src.charCodeAt(pos++);
  if (marker !== 0x2a && marker !== 0x2d && marker !== 0x2b) return -1;
  if (pos < max && !isSpace(state.src.charCodeAt(pos))) return -1;
  return pos;
}

function skipOrderedListMarker(state: BlockState, startLine: number): number {
  const start = state.bMarks[startLine] + state.tShift[startLine];
  const max = state.eMarks[startLine];
  const src = state.src;
  let pos = start;
  if (pos + 1 >= max) return -1;
  let ch = src.charCodeAt(pos++);
  if (ch < 0x30 || ch > 0x39) return -1;
  for (;;) {
    if (pos >= max) return -1;
    ch = src.charCodeAt(pos++);
    if (ch >= 0x30 && ch <= 0x39) {
      if (pos - start >= 10) return -1;
      continue;
    }
    if (ch === 0x29 || ch === 0x2e) break;
    return -1;
  }
  if (pos < max && !isSpace(src.charCodeAt(pos))) return -1;
  return pos;
}

function list(state: BlockState, startLine: number, endLine: number, silent: boolean): boolean {
  const src = state.src;
  let nextLine = startLine;
  if (state.sCount[nextLine] - state.blkIndent >= 4) return false;
  // A list nested deeper than this is not a list (it is indented code to its parent).
  if (state.listIndent >= 0 && state.sCount[nextLine] - state.listIndent >= 4 && state.sCount[nextLine] < state.blkIndent) return false;
  let isTerminatingParagraph = false;
  if (silent && state.parentType === Parent.Paragraph && state.sCount[nextLine] >= state.blkIndent) isTerminatingParagraph = true;

  let isOrdered: boolean;
  let posAfterMarker: number;
  if ((posAfterMarker = skipOrderedListMarker(state, nextLine)) >= 0) {
    isOrdered = true;
    const start = state.bMarks[nextLine] + state.tShift[nextLine];
    const markerValue = Number(src.slice(start, posAfterMarker - 1));
    // Only a list starting at 1 may interrupt a paragraph.
    if (isTerminatingParagraph && markerValue !== 1) return false;
  } else if ((posAfterMarker = skipBulletListMarker(state, nextLine)) >= 0) {
    isOrdered = false;
  } else {
    return false;
  }
  // An empty list item may not interrupt a paragraph.
  if (isTerminatingParagraph && state.skipSpaces(posAfterMarker) >= state.eMarks[nextLine]) return false;
  if (silent) return true;

  const markerCharCode = src.charCodeAt(posAfterMarker - 1);
  const oldParentType = state.parentType;
  state.parentType = Parent.List;
  // The list's own token: one level for the list, one for each item.
  state.level++;
  while (nextLine < endLine) {
    let pos = posAfterMarker;
    const max = state.eMarks[nextLine];
    const initial = state.sCount[nextLine] + posAfterMarker - (state.bMarks[nextLine] + state.tShift[nextLine]);
    let offset = initial;
    while (pos < max) {
      const ch = src.charCodeAt(pos);
      if (ch === 0x09) offset += 4 - ((offset + state.bsCount[nextLine]) % 4);
      else if (ch === 0x20) offset++;
      else break;
      pos++;
    }
    const contentStart = pos;
    let indentAfterMarker = contentStart >= max ? 1 : offset - initial;
    // More than four spaces after the marker: the item's text is indented code, one space in.
    if (indentAfterMarker > 4) indentAfterMarker = 1;
    const indent = initial + indentAfterMarker;

    const oldTShift = state.tShift[nextLine];
    const oldSCount = state.sCount[nextLine];
    const oldListIndent = state.listIndent;
    state.listIndent = state.blkIndent;
    state.blkIndent = indent;
    state.tShift[nextLine] = contentStart - state.bMarks[nextLine];
    state.sCount[nextLine] = offset;
    state.level++;
    if (contentStart >= max && state.isEmpty(nextLine + 1)) {
      // An item starting with a blank line takes at most one more.
      state.line = Math.min(state.line + 2, endLine);
    } else {
      tokenize(state, nextLine, endLine);
    }
    state.level--;
    state.blkIndent = state.listIndent;
    state.listIndent = oldListIndent;
    state.tShift[nextLine] = oldTShift;
    state.sCount[nextLine] = oldSCount;

    nextLine = state.line;
    if (nextLine >= endLine) break;
    if (state.sCount[nextLine] < state.blkIndent) break;
    if (state.sCount[nextLine] - state.blkIndent >= 4) break;
    if (anyTerminates(LIST_TERMINATORS, state, nextLine, endLine)) break;
    if (isOrdered) {
      posAfterMarker = skipOrderedListMarker(state, nextLine);
      if (posAfterMarker < 0) break;
    } else {
      posAfterMarker = skipBulletListMarker(state, nextLine);
      if (posAfterMarker < 0) break;
    }
    if (markerCharCode !== src.charCodeAt(posAfterMarker - 1)) break;
  }
  state.level--;
  state.line = nextLine;
  state.parentType = oldParentType;
  return true;
}

// ---- link reference definitions: they take lines that would otherwise be a paragraph (or a setext heading)

const MAX_LABEL_LENGTH = 999;

function countCodePoints(str: string): number {
  let length = str.length;
  for (let i = 0; i < str.length - 1; i++) {
    const high = str.charCodeAt(i);
    if (high < 0xd800 || high > 0xdbff) continue;
    const low = str.charCodeAt(i + 1);
    if (low >= 0xdc00 && low <= 0xdfff) {
      length--;
      i++;
    }
  }
  return length;
}

function referenceLineEnd(state: BlockState, line: number): number {
  return Math.min(state.eMarks[line] + 1, state.src.length);
}

function getNextLinePos(state: BlockState, nextLine: number): number {
  const endLine = state.lineMax;
  if (nextLine >= endLine || state.isEmpty(nextLine)) return -1;
  let isContinuation = false;
  if (state.sCount[nextLine] - state.blkIndent > 3) isContinuation = true;
  if (state.sCount[nextLine] < 0) isContinuation = true;
  if (!isContinuation) {
    const oldParentType = state.parentType;
    state.parentType = Parent.Reference;
    const terminate = anyTerminates(REFERENCE_TERMINATORS, state, nextLine, endLine);
    state.parentType = oldParentType;
    if (terminate) return -1;
  }
  return state.bMarks[nextLine] + state.tShift[nextLine];
}

interface DestinationResult {
  ok: boolean;
  pos: number;
  str: string;
}

function parseLinkDestination(str: string, start: number, max: number): DestinationResult {
  let pos = start;
  const result: DestinationResult = { ok: false, pos: 0, str: '' };
  if (str.charCodeAt(pos) === 0x3c) {
    pos++;
    while (pos < max) {
      const code = str.charCodeAt(pos);
      if (code === 0x0a) return result;
      if (code === 0x3c) return result;
      if (code === 0x3e) {
        result.pos = pos + 1;
        result.str = unescapeAll(str.slice(start + 1, pos));
        result.ok = true;
        return result;
      }
      if (code === 0x5c && pos + 1 < max) {
        pos += 2;
        continue;
      }
      pos++;
    }
    return result;
  }
  let level = 0;
  while (pos < max) {
    const code = str.charCodeAt(pos);
    if (code === 0x20) break;
    // (A NUL is U+FFFD to markdown-it, no control character.)
    if ((code < 0x20 && code !== 0) || code === 0x7f) break;
    if (code === 0x5c && pos + 1 < max) {
      if (str.charCodeAt(pos + 1) === 0x20) {
        pos++;
        continue;
      }
      pos += 2;
      continue;
    }
    if (code === 0x28) {
      level++;
      if (level > 32) return result;
    }
    if (code === 0x29) {
      if (level === 0) break;
      level--;
    }
    pos++;
  }
  if (start === pos) return result;
  if (level !== 0) return result;
  result.str = unescapeAll(str.slice(start, pos));
  result.pos = pos;
  result.ok = true;
  return result;
}

interface TitleResult {
  ok: boolean;
  can_continue: boolean;
  pos: number;
  /** Whether the title read so far holds anything (markdown-it keeps the text; only its being empty matters here). */
  nonEmpty: boolean;
  marker: number;
}

function parseLinkTitle(str: string, start: number, max: number, previous?: TitleResult): TitleResult {
  let pos = start;
  const state: TitleResult = { ok: false, can_continue: false, pos: 0, nonEmpty: false, marker: 0 };
  if (previous) {
    state.nonEmpty = previous.nonEmpty;
    state.marker = previous.marker;
  } else {
    if (pos >= max) return state;
    let marker = str.charCodeAt(pos);
    if (marker !== 0x22 && marker !== 0x27 && marker !== 0x28) return state;
    start++;
    pos++;
    if (marker === 0x28) marker = 0x29;
    state.marker = marker;
  }
  while (pos < max) {
    const code = str.charCodeAt(pos);
    if (code === state.marker) {
      state.pos = pos + 1;
      if (pos > start) state.nonEmpty = true;
      state.ok = true;
      return state;
    } else if (code === 0x28 && state.marker === 0x29) {
      return state;
    } else if (code === 0x5c && pos + 1 < max) {
      pos++;
    }
    pos++;
  }
  state.can_continue = true;
  if (pos > start) state.nonEmpty = true;
  return state;
}

const UNESCAPE_ALL = /\\([!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~])|&([a-z#][a-z0-9]{1,31});/gi;
const DIGITAL_ENTITY = /^#((?:x[a-f0-9]{1,8}|[0-9]{1,8}))$/i;

/**
 * markdown-it's `unescapeAll` as far as link validation can tell: backslash
 * escapes and numeric entities; of the named entities only `&colon;` (the
 * others cannot spell a URL scheme).
 */
function unescapeAll(str: string): string {
  if (!str.includes('\\') && !str.includes('&')) return str;
  return str.replace(UNESCAPE_ALL, (match: string, escaped: string | undefined, entity: string | undefined) => {
    if (escaped) return escaped;
    if (entity === 'colon') return ':';
    if (entity && DIGITAL_ENTITY.test(entity)) {
      const value = entity[1].toLowerCase() === 'x' ? parseInt(entity.slice(2), 16) : parseInt(entity.slice(1), 10);
      if (isValidEntityCode(value)) return String.fromCodePoint(value);
    }
    return match;
  });
}

function isValidEntityCode(c: number): boolean {
  if (c >= 0xd800 && c <= 0xdfff) return false;
  if (c >= 0xfdd0 && c <= 0xfdef) return false;
  if ((c & 0xffff) === 0xffff || (c & 0xffff) === 0xfffe) return false;
  if (c >= 0x00 && c <= 0x08) return false;
  if (c === 0x0b) return false;
  if (c >= 0x0e && c <= 0x1f) return false;
  if (c >= 0x7f && c <= 0x9f) return false;
  if (c > 0x10ffff) return false;
  return true;
}

/** markdown-it's `validateLink`: no `javascript:`, `vbscript:`, `file:` or (but images) `data:` destinations. */
function isValidLink(url: string): boolean {
  const str = url.trim().toLowerCase();
  return /^(vbscript|javascript|file|data):/.test(str) ? /^data:image\/(gif|png|jpeg|webp);/.test(str) : true;
}

function reference(state: BlockState, startLine: number, _endLine: number, silent: boolean): boolean {
  const src = state.src;
  let pos = state.bMarks[startLine] + state.tShift[startLine];
  let nextLine = startLine + 1;
  if (state.sCount[startLine] - state.blkIndent >= 4) return false;
  if (src.charCodeAt(pos) !== 0x5b) return false;
  let max = referenceLineEnd(state, startLine);
  let rawLabel = '';
  let labelEnd = -1;
  let segmentStart = ++pos;
  while (pos < max) {
    if (rawLabel.length + pos - segmentStart > MAX_LABEL_LENGTH * 2) return false;
    let ch = src.charCodeAt(pos);
    if (ch === 0x5b) return false;
    if (ch === 0x5d) {
      labelEnd = pos;
      break;
    }
    if (ch === 0x5c) ch = src.charCodeAt(++pos);
    if (ch === 0x0a && pos < max) {
      const nextPos = getNextLinePos(state, nextLine);
      if (nextPos < 0) return false;
      rawLabel += src.slice(segmentStart, max);
      pos = segmentStart = nextPos;
      max = referenceLineEnd(state, nextLine++);
      continue;
    }
    pos++;
  }
  if (labelEnd < 0 || src.charCodeAt(labelEnd + 1) !== 0x3a) return false;
  rawLabel += src.slice(segmentStart, labelEnd);
  if (rawLabel.length > MAX_LABEL_LENGTH && countCodePoints(rawLabel) > MAX_LABEL_LENGTH) return false;
  pos = labelEnd + 2;
  while (pos < max) {
    const ch = src.charCodeAt(pos);
    if (ch === 0x0a) {
      const nextPos = getNextLinePos(state, nextLine);
      if (nextPos < 0) break;
      pos = nextPos;
      max = referenceLineEnd(state, nextLine++);
    } else if (isSpace(ch)) {
      pos++;
    } else {
      break;
    }
  }
  const destination = parseLinkDestination(src, pos, max);
  if (!destination.ok) return false;
  if (!isValidLink(destination.str)) return false;
  pos = destination.pos;
  const destEndPos = pos;
  const destEndMax = max;
  const destEndLineNo = nextLine;
  while (pos < max) {
    const ch = src.charCodeAt(pos);
    if (ch === 0x0a) {
      const nextPos = getNextLinePos(state, nextLine);
      if (nextPos < 0) break;
      pos = nextPos;
      max = referenceLineEnd(state, nextLine++);
    } else if (isSpace(ch)) {
      pos++;
    } else {
      break;
    }
  }
  const titleStart = pos;
  let title = parseLinkTitle(src, pos, max);
  while (title.can_continue) {
    const nextPos = getNextLinePos(state, nextLine);
    if (nextPos < 0) break;
    pos = nextPos;
    max = referenceLineEnd(state, nextLine++);
    title = parseLinkTitle(src, pos, max, title);
  }
  let hasTitle: boolean;
  if (titleStart !== destEndPos && title.ok) {
    hasTitle = title.nonEmpty;
    pos = title.pos;
  } else {
    hasTitle = false;
    pos = destEndPos;
    max = destEndMax;
    nextLine = destEndLineNo;
  }
  while (pos < max) {
    if (!isSpace(src.charCodeAt(pos))) break;
    pos++;
  }
  if (pos < max && src.charCodeAt(pos) !== 0x0a) {
    if (hasTitle) {
      // Garbage after the title: the title was not one, the destination ends the definition.
      pos = destEndPos;
      max = destEndMax;
      nextLine = destEndLineNo;
      while (pos < max) {
        if (!isSpace(src.charCodeAt(pos))) break;
        pos++;
      }
    }
  }
  if (pos < max && src.charCodeAt(pos) !== 0x0a) return false;
  // markdown-it's `normalizeReference` is empty only for a blank label.
  if (rawLabel.trim() === '') return false;
  if (silent) return true;
  state.line = nextLine;
  return true;
}

// ---- HTML blocks: the seven kinds of CommonMark

const BLOCK_NAMES = ['address', 'article', 'aside', 'base', 'basefont', 'blockquote', 'body', 'caption', 'center', 'col', 'colgroup', 'dd', 'details', 'dialog', 'dir', 'div', 'dl', 'dt', 'fieldset', 'figcaption', 'figure', 'footer', 'form', 'frame', 'frameset', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'head', 'header', 'hr', 'html', 'iframe', 'legend', 'li', 'link', 'main', 'menu', 'menuitem', 'nav', 'noframes', 'ol', 'optgroup', 'option', 'p', 'param', 'search', 'section', 'summary', 'table', 'tbody', 'td', 'tfoot', 'th', 'thead', 'title', 'tr', 'track', 'ul'];

const ATTR_NAME = '[a-zA-Z_:][a-zA-Z0-9:._-]*';
const UNQUOTED = '[^"\'=<>`\\x00-\\x20]+';
const ATTR_VALUE = `(?:${UNQUOTED}|'[^']*'|"[^"]*")`;
const ATTRIBUTE = `(?:\\s+${ATTR_NAME}(?:\\s*=\\s*${ATTR_VALUE})?)`;
const OPEN_TAG = `<[A-Za-z][A-Za-z0-9\\-]*${ATTRIBUTE}*\\s*\\/?>`;
const CLOSE_TAG = '<\\/[A-Za-z][A-Za-z0-9\\-]*\\s*>';

/** Each kind: how it opens, how it closes, whether it may interrupt a paragraph. */
const HTML_SEQUENCES: ReadonlyArray<readonly [RegExp, RegExp, boolean]> = [
  [/^<(script|pre|style|textarea)(?=(\s|>|$))/i, /<\/(script|pre|style|textarea)>/i, true],
  [/^<!--/, /-->/, true],
  [/^<\?/, /\?>/, true],
  [/^<![A-Za-z]/, />/, true],
  [/^<!\[CDATA\[/, /\]\]>/, true],
  [new RegExp(`^</?(${BLOCK_NAMES.join('|')})(?=(\\s|/?>|$))`, 'i'), /^$/, true],
  [new RegExp(`^(?:${OPEN_TAG}|${CLOSE_TAG})\\s*$`), /^$/, false],
];

function htmlBlock(state: BlockState, startLine: number, endLine: number, silent: boolean): boolean {
  let pos = state.bMarks[startLine] + state.tShift[startLine];
  let max = state.eMarks[startLine];
  if (state.sCount[startLine] - state.blkIndent >= 4) return false;
  if (state.src.charCodeAt(pos) !== 0x3c) return false;
  let lineText = withoutNul(state.src.slice(pos, max));
  let kind = 0;
  for (; kind < HTML_SEQUENCES.length; kind++) if (HTML_SEQUENCES[kind][0].test(lineText)) break;
  if (kind === HTML_SEQUENCES.length) return false;
  const [, closer, interrupts] = HTML_SEQUENCES[kind];
  if (silent) return interrupts;
  let nextLine = startLine + 1;
  const endsOnBlankLine = kind >= 5;
  if (!closer.test(lineText)) {
    for (; nextLine < endLine; nextLine++) {
      if (state.sCount[nextLine] < state.blkIndent && (endsOnBlankLine || !state.isEmpty(nextLine))) break;
      pos = state.bMarks[nextLine] + state.tShift[nextLine];
      max = state.eMarks[nextLine];
      lineText = state.src.slice(pos, max);
      if (closer.test(lineText)) {
        if (lineText.length !== 0) nextLine++;
        break;
      }
    }
  }
  state.line = nextLine;
  state.addCode(startLine, nextLine, false);
  return true;
}

function heading(state: BlockState, startLine: number, _endLine: number, silent: boolean): boolean {
  const src = state.src;
  let pos = state.bMarks[startLine] + state.tShift[startLine];
  let max = state.eMarks[startLine];
  if (state.sCount[startLine] - state.blkIndent >= 4) return false;
  let ch = src.charCodeAt(pos);
  if (ch !== 0x23 || pos >= max) return false;
  let level = 1;
  ch = src.charCodeAt(++pos);
  while (ch === 0x23 && pos < max && level <= 6) {
    level++;
    ch = src.charCodeAt(++pos);
  }
  if (level > 6 || (pos < max && !isSpace(ch))) return false;
  if (silent) return true;
  max = state.skipSpacesBack(max, pos);
  const closing = state.skipCharsBack(max, 0x23, pos);
  if (closing > pos && isSpace(src.charCodeAt(closing - 1))) max = closing;
  state.line = startLine + 1;
  state.headings.push({ line: startLine, level, atx: true, content: withoutNul(asciiTrim(src.slice(pos, max))) });
  return true;
}

/**
 * markdown-it's `lheading` rule, then its `paragraph` rule when that fails:
 * both walk the same lines with the same stops but the underline, so where the
 * setext heading's search stopped is where the paragraph ends (the lines are
 * walked once, not twice).
 */
function paragraphOrSetextHeading(state: BlockState, startLine: number, endLine: number): boolean {
  const src = state.src;
  const oldParentType = state.parentType;
  state.parentType = Parent.Paragraph;
  // An indented first line is no setext heading (it can only be a lazy paragraph line).
  const mayBeHeading = state.sCount[startLine] - state.blkIndent < 4;
  let level = 0;
  let nextLine = startLine + 1;
  for (; nextLine < endLine && !state.isEmpty(nextLine); nextLine++) {
    // Indented more than three spaces: a lazy continuation, never an underline.
    if (state.sCount[nextLine] - state.blkIndent > 3) continue;
    if (mayBeHeading && state.sCount[nextLine] >= state.blkIndent) {
      let pos = state.bMarks[nextLine] + state.tShift[nextLine];
      const max = state.eMarks[nextLine];
      if (pos < max) {
        const marker = src.charCodeAt(pos);
        if (marker === 0x2d || marker === 0x3d) {
          pos = state.skipChars(pos, marker);
          pos = state.skipSpaces(pos);
          if (pos >= max) {
            level = marker === 0x3d ? 1 : 2;
            break;
          }
        }
      }
    }
    if (state.sCount[nextLine] < 0) continue;
    if (anyTerminates(PARAGRAPH_TERMINATORS, state, nextLine, endLine)) break;
  }
  if (level) {
    const content = withoutNul(asciiTrim(state.getLines(startLine, nextLine, state.blkIndent, false)));
    state.line = nextLine + 1;
    state.headings.push({ line: startLine, level, atx: false, content });
  } else {
    state.line = nextLine;
  }
  state.parentType = oldParentType;
  return true;
}

const ALL_RULES: readonly Rule[] = [table, code, fence, blockquote, hr, list, reference, htmlBlock, heading, paragraphOrSetextHeading];
const PARAGRAPH_TERMINATORS: readonly Rule[] = [table, fence, blockquote, hr, list, htmlBlock, heading];
const REFERENCE_TERMINATORS: readonly Rule[] = [table, fence, blockquote, hr, list, htmlBlock, heading];
const BLOCKQUOTE_TERMINATORS: readonly Rule[] = [fence, blockquote, hr, list, htmlBlock, heading];
const LIST_TERMINATORS: readonly Rule[] = [fence, blockquote, hr];
