import type { Position, Range } from 'vscode-languageserver-types';
import { scanWork } from './scanWork';

/**
 * Maps string offsets to LSP positions. JavaScript strings are UTF-16, which is
 * exactly what LSP columns count, so Korean and emoji need no conversion. Lines
 * end as LSP (and VS Code, and CommonMark) says: at `\n`, `\r\n` or a lone `\r`.
 */
export class LineIndex {
  readonly #lineStarts: number[];

  constructor(readonly text: string) {
    const starts = [0];
    if (text.indexOf('\r') < 0) {
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    } else {
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c === 10 /* \n */) starts.push(i + 1);
        else if (c === 13 /* \r */ && text.charCodeAt(i + 1) !== 10) starts.push(i + 1);
      }
    }
    scanWork.steps += text.length;
    this.#lineStarts = starts;
  }

  get lineCount(): number {
    return this.#lineStarts.length;
  }

  lineStart(line: number): number {
    return this.#lineStarts[Math.max(0, Math.min(line, this.#lineStarts.length - 1))];
  }

  /** End of the line's content, before its `\r\n`, `\n` or `\r`. */
  lineEnd(line: number): number {
    if (line < 0) return this.lineEnd(0);
    if (line + 1 < this.#lineStarts.length) {
      let end = this.#lineStarts[line + 1] - 1;
      if (this.text.charCodeAt(end) === 10 /* \n */ && end > this.#lineStarts[line] && this.text.charCodeAt(end - 1) === 13 /* \r */) end--;
      return end;
    }
    return this.text.length;
  }

  lineText(line: number): string {
    return this.text.slice(this.lineStart(line), this.lineEnd(line));
  }

  positionAt(offset: number): Position {
    const starts = this.#lineStarts;
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      scanWork.steps++;
      const mid = (low + high + 1) >> 1;
      if (starts[mid] <= offset) low = mid;
      else high = mid - 1;
    }
    // Between the `\r` and the `\n` of a line break is the line's end, as LSP's TextDocument answers.
    const character = offset > starts[low] && this.text.charCodeAt(offset - 1) === 13 /* \r */ ? offset - 1 - starts[low] : offset - starts[low];
    return { line: low, character };
  }

  offsetAt(position: Position): number {
    const start = this.lineStart(position.line);
    return Math.min(start + position.character, this.lineEnd(position.line));
  }

  range(start: number, end: number): Range {
    return { start: this.positionAt(start), end: this.positionAt(end) };
  }
}

export function rangeContains(range: Range, position: Position): boolean {
  return comparePositions(range.start, position) <= 0 && comparePositions(position, range.end) <= 0;
}

export function comparePositions(a: Position, b: Position): number {
  return a.line === b.line ? a.character - b.character : a.line - b.line;
}

export function lineRange(line: number, start: number, end: number): Range {
  return { start: { line, character: start }, end: { line, character: end } };
}
