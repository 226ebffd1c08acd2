import { SymbolKind, type DocumentSymbol } from 'vscode-languageserver-types';
import { sectionEndLine } from '../core/noteQueries';
import type { Heading, ParsedNote } from '../core/types';
import { readConferenceStructure } from './talks';

/**
 * The heading outline, nested by level, each symbol spanning its section. In a
 * conference note each talk heading carries its time, track and speaker as
 * detail (`10:00 · Track 1`), which the Outline and breadcrumbs show beside it.
 */
export function provideDocumentSymbols(note: ParsedNote): DocumentSymbol[] {
  const details = talkDetails(note);
  const roots: DocumentSymbol[] = [];
  const stack: Array<{ level: number; symbol: DocumentSymbol }> = [];
  for (const [index, heading] of note.headings.entries()) {
    // The index is known here: looking it up per heading made a note of many headings quadratic.
    const end = sectionEndLine(note, heading, index);
    const symbol: DocumentSymbol = {
      name: heading.text.trim() || '(empty heading)',
      detail: details.get(heading) ?? '',
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

/** `time · track · speaker` of each talk heading that has any of them. */
function talkDetails(note: ParsedNote): Map<Heading, string> {
  const details = new Map<Heading, string>();
  for (const talk of readConferenceStructure(note)?.talks ?? []) {
    const detail = [talk.time, talk.track, talk.speaker].filter((part) => part !== undefined).join(' · ');
    if (detail) details.set(talk.heading, detail);
  }
  return details;
}
