import { createTwoFilesPatch, FILE_HEADERS_ONLY } from 'diff';
import type { Diagnostic, Range, TextEdit } from 'vscode-languageserver-types';
import { comparePositions, LineIndex } from '../core/text';
import { FIX_ALL_KIND } from '../features/codeActions';
import type { VaultService } from '../index';
import type { NoteText, VaultNoteFiles } from '../node/vaultFiles';

/**
 * `--fix`: only the unambiguous quick fixes, the ones an editor marks preferred
 * and "fix all" applies (features/codeActions.ts): a link whose path, heading
 * or block matches exactly one existing one but for case, spaces, `-`/`_` or
 * `.md`. Never a choice between candidates, a created note or a removed link.
 * And only for the problems the check reports (a code set to "off", or a
 * warning under --quiet, is left alone).
 */

export interface NoteFix {
  readonly uri: string;
  readonly before: NoteText;
  readonly after: string;
  readonly edits: number;
}

const NOWHERE: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/** The fixes of each note, from its reported problems; notes with none are left out. */
export async function planFixes(service: VaultService, files: VaultNoteFiles, notes: ReadonlyArray<{ uri: string; diagnostics: readonly Diagnostic[] }>, warn: (message: string) => void): Promise<NoteFix[]> {
  const fixes: NoteFix[] = [];
  for (const { uri, diagnostics } of notes) {
    if (!diagnostics.length) continue;
    // Targets outside the vault on real paths are dropped here, before any is considered.
    const actions = await service.getCodeActionsInsideVault(uri, NOWHERE, diagnostics, [FIX_ALL_KIND]);
    const candidates: TextEdit[] = [];
    for (const action of actions) {
      if (action.edit?.documentChanges?.length) continue; // creates or renames files: never unambiguous
      for (const [target, edits] of Object.entries(action.edit?.changes ?? {})) if (target === uri) candidates.push(...edits);
    }
    const edits = withoutOverlaps(candidates.filter((edit) => diagnostics.some((diagnostic) => contains(diagnostic.range, edit.range))));
    if (!edits.length) continue;
    let before: NoteText;
    try {
      before = await files.read(uri);
    } catch (error) {
      warn(`cannot fix ${uri}: ${error instanceof Error ? error.message : String(error)}`);
      continue;
    }
    if (!before.lossless) {
      warn(`not fixing ${uri}: it is not valid UTF-8, so writing it would change more than the fixes`);
      continue;
    }
    const after = applyEdits(before.text, edits);
    if (after !== before.text) fixes.push({ uri, before, after, edits: edits.length });
  }
  return fixes;
}

/** The text with the edits applied (LSP positions, UTF-16; the edits do not overlap). */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const lines = new LineIndex(text);
  const spans = edits.map((edit) => ({ start: lines.offsetAt(edit.range.start), end: lines.offsetAt(edit.range.end), newText: edit.newText })).sort((a, b) => b.start - a.start);
  let result = text;
  for (const span of spans) result = result.slice(0, span.start) + span.newText + result.slice(span.end);
  return result;
}

/** A unified diff of the fixes (paths as `a/…` and `b/…`, so `git apply` takes it). */
export function fixesDiff(fixes: readonly NoteFix[], display: (uri: string) => string): string {
  return fixes
    .map((fix) => {
      const name = display(fix.uri).split('\\').join('/');
      return createTwoFilesPatch(`a/${name}`, `b/${name}`, fix.before.text, fix.after, undefined, undefined, { context: 3, headerOptions: FILE_HEADERS_ONLY });
    })
    .join('');
}

function contains(outer: Range, inner: Range): boolean {
  return comparePositions(outer.start, inner.start) <= 0 && comparePositions(inner.end, outer.end) <= 0;
}

function withoutOverlaps(edits: readonly TextEdit[]): TextEdit[] {
  const sorted = [...edits].sort((a, b) => comparePositions(a.range.start, b.range.start) || comparePositions(a.range.end, b.range.end));
  const kept: TextEdit[] = [];
  for (const edit of sorted) {
    const last = kept[kept.length - 1];
    if (last && comparePositions(edit.range.start, last.range.end) < 0) continue;
    if (last && comparePositions(edit.range.start, last.range.start) === 0 && comparePositions(edit.range.end, last.range.end) === 0) continue;
    kept.push(edit);
  }
  return kept;
}
