import { SymbolKind, type DocumentSymbol } from 'vscode-languageserver-types';
import { sectionEndLine } from '../core/noteQueries';
import type { ParsedNote } from '../core/types';

/** The heading outline, nested by level, each symbol spanning its section. */
export function provideDocumentSymbols(note: ParsedNote): DocumentSymbol[] {
  const roots: DocumentSymbol[] = [];
  const stack: Array<{ level: number; symbol: DocumentSymbol }> = [];
  for (const heading of note.headings) {
    const end = sectionEndLine(note, heading);
    const symbol: DocumentSymbol = {
      name: heading.text.trim() || '(empty heading)',
      detail: '',
      kind: SymbolKind.String,
      range: { start: heading.range.start, end: { line: end, character: end === heading.range.start.line ? heading.range.end.character : 0 } },
      selectionRange: heading.textRange,
      children: [],
    };
    while (stack.length && stack[stack.length - 1].level >= heading.level) stack.pop();
    if (stack.length) stack[stack.length - 1].symbol.children!.push(symbol);
    else roots.push(symbol);
    stack.push({ level: heading.level, symbol });
  }
  return roots;
}
