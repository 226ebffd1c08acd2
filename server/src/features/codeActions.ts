import Fuse from 'fuse.js';
import { CodeActionKind, type CodeAction, type Diagnostic, type Range, type TextEdit, type WorkspaceEdit } from 'vscode-languageserver-types';
import { isInsideVault, lexicalRelativePath } from '../core/containment';
import { headingLinkText } from '../core/headings';
import { resolveLink } from '../core/linkResolver';
import { encodeMarkdownDestination, markdownLinkPath, wikiLinkPath } from '../core/linkWriter';
import { dirname, looseNameKey } from '../core/names';
import { comparePositions } from '../core/text';
import type { NoteLink } from '../core/types';
import { attachmentFolder } from '../core/vaultConfig';
import type { IndexedNote, VaultFile, VaultIndex } from '../core/vaultIndex';
import type { IFileSystem } from '../core/workspace';
import { CandidateKind, type LinkCatalog } from './completion';
import { isAttachmentLink, newNoteForLink } from './createNote';

/** Quick fixes offered per problem: the closest few are enough to pick from. */
const MAX_SUGGESTIONS = 3;

export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.vaultlink`;

interface LinkFix {
  readonly title: string;
  readonly edit: WorkspaceEdit;
  /** Safe to apply without looking: the only near-identical match (case, `_`/`-`/space, extension). */
  readonly unambiguous: boolean;
}

/** What the editor can do beyond applying edits. */
export interface CodeActionOptions {
  /**
   * A client command that takes a folder URI string, creates the folder if it
   * is missing and reveals it (VS Code's explorer). LSP has no such request, so
   * the fix is offered only to clients that say they have one.
   */
  readonly revealFolderCommand?: string;
  /**
   * A line of the note's text as the editor has it (undefined past its end),
   * so that removing an embed alone on its line removes the line rather than
   * leaving it empty. Without it, only the embed's own text is removed.
   */
  readonly lineText?: (line: number) => string | undefined;
}

/**
 * Quick fixes for the problems in `range`, each an undoable workspace edit:
 * a missing file or note → the closest existing ones (or create the note), a
 * missing heading or block → the closest in the target, an ambiguous link → one
 * rewrite per candidate. Plus "fix all" for every unambiguous fix in the note.
 */
export function provideCodeActions(vault: VaultIndex, catalog: LinkCatalog, note: IndexedNote, range: Range, diagnostics: readonly Diagnostic[], only?: readonly string[], options: CodeActionOptions = {}): CodeAction[] {
  const wantsQuickFix = !only || only.some((kind) => CodeActionKind.QuickFix.startsWith(kind) || kind.startsWith(CodeActionKind.QuickFix));
  const wantsFixAll = !!only?.some((kind) => FIX_ALL_KIND.startsWith(kind));
  const actions: CodeAction[] = [];

  if (wantsQuickFix) {
    const relatedTo = diagnosticsByLine(diagnostics);
    for (const link of note.parsed.links) {
      if (!overlaps(link.range, range)) continue;
      const fixes = fixesForLink(vault, catalog, note, link, options.lineText);
      if (!fixes.length) continue;
      const related = relatedTo(link.range);
      fixes.forEach((fix, index) => {
        actions.push({ title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: related, edit: fix.edit, isPreferred: index === 0 && fix.unambiguous });
      });
      const reveal = options.revealFolderCommand && revealAttachmentsFolder(vault, note, link, options.revealFolderCommand);
      if (reveal) actions.push({ ...reveal, diagnostics: related });
    }
    const all = fixAll(vault, catalog, note);
    if (all && all.count > 1 && actions.length) {
      actions.push({ title: `Fix all ${all.count} unambiguous link problems in this note`, kind: CodeActionKind.QuickFix, edit: all.edit });
    }
  }
  if (wantsFixAll) {
    const all = fixAll(vault, catalog, note);
    if (all) actions.push({ title: `Fix all ${all.count} unambiguous link problems in this note`, kind: FIX_ALL_KIND, edit: all.edit });
  }
  return actions;
}

/**
 * Our diagnostics that overlap a range, found through the lines they are on:
 * a whole-note request on a note with thousands of broken links costs links
 * plus diagnostics, not their product.
 */
function diagnosticsByLine(diagnostics: readonly Diagnostic[]): (range: Range) => Diagnostic[] {
  const byLine = new Map<number, Diagnostic[]>();
  const long: Diagnostic[] = [];
  const order = new Map(diagnostics.map((diagnostic, index) => [diagnostic, index]));
  for (const diagnostic of diagnostics) {
    if (diagnostic.source !== 'vaultlink') continue;
    const { start, end } = diagnostic.range;
    // Our link diagnostics span one line (or a few); anything longer is checked against every link.
    if (end.line - start.line > 8) {
      long.push(diagnostic);
      continue;
    }
    for (let line = start.line; line <= end.line; line++) {
      const onLine = byLine.get(line);
      if (onLine) onLine.push(diagnostic);
      else byLine.set(line, [diagnostic]);
    }
  }
  return (range) => {
    const found = new Set<Diagnostic>();
    for (let line = range.start.line; line <= range.end.line; line++) for (const diagnostic of byLine.get(line) ?? []) if (overlaps(diagnostic.range, range)) found.add(diagnostic);
    for (const diagnostic of long) if (overlaps(diagnostic.range, range)) found.add(diagnostic);
    // In the order the client gave them.
    return [...found].sort((a, b) => order.get(a)! - order.get(b)!);
  };
}

/** `[[#Gone|shown text]]` → `shown text` (the heading's words when there is no alias): the text stays, the link goes. */
function removeLinkKeepingText(link: NoteLink, replace: (target: Range, newText: string) => WorkspaceEdit): LinkFix {
  const subpath = link.subpath;
  const words = link.display ?? (subpath?.kind === 'heading' ? subpath.headings.join(' ') : subpath?.kind === 'block' ? '' : link.target);
  return { title: words ? `Remove the link, keeping "${words}"` : 'Remove the link', edit: replace(link.range, words), unambiguous: false };
}

/** Every unambiguous fix of the note, as one edit. */
export function fixAll(vault: VaultIndex, catalog: LinkCatalog, note: IndexedNote): { edit: WorkspaceEdit; count: number } | undefined {
  const edits: TextEdit[] = [];
  for (const link of note.parsed.links) {
    const [first] = fixesForLink(vault, catalog, note, link);
    if (first?.unambiguous) edits.push(...(first.edit.changes?.[note.file.uri] ?? []));
  }
  return edits.length ? { edit: { changes: { [note.file.uri]: edits } }, count: edits.length } : undefined;
}

/** The fixes for one link, best first; none when the link is fine. */
export function fixesForLink(vault: VaultIndex, catalog: LinkCatalog, note: IndexedNote, link: NoteLink, lineText?: (line: number) => string | undefined): LinkFix[] {
  if (link.external) return [];
  const resolution = resolveLink(vault, note, link);
  if (resolution.kind === 'external') return [];
  const uri = note.file.uri;
  const replace = (target: Range, newText: string): WorkspaceEdit => ({ changes: { [uri]: [{ range: target, newText }] } });
  const pathText = (file: VaultFile) => (link.kind === 'wiki' ? wikiLinkPath(vault, note.file, file) : markdownLinkPath(note.file, file.relativePath));

  if (resolution.kind === 'missingFile') {
    const wantsNote = !isAttachmentLink(link);
    const closest = closestFiles(catalog, link.path, wantsNote);
    const fixes: LinkFix[] = closest.map(({ file, loose }) => ({ title: `Change to "${pathText(file)}"`, edit: replace(link.pathRange, pathText(file)), unambiguous: loose && closest.filter((c) => c.loose).length === 1 }));
    const create = wantsNote ? newNoteForLink(vault, note, link) : undefined;
    if (create) fixes.push({ title: `Create note "${create.relativePath}"`, edit: create.edit, unambiguous: false });
    if (!wantsNote) fixes.push({ title: `Remove the broken ${link.embed ? 'embed' : 'link'} "${link.path}"`, edit: replace(removalRange(link.range, lineText), ''), unambiguous: false });
    return fixes;
  }

  const fixes: LinkFix[] = [];
  if (resolution.missing === 'heading' && link.subpathRange) {
    const target = vault.note(resolution.file);
    const wanted = link.subpath?.kind === 'heading' ? link.subpath.headings[link.subpath.headings.length - 1] : '';
    const headings = target ? closestTexts(target.parsed.headings.map((h) => h.text), wanted) : [];
    const looseMatches = headings.filter((h) => h.loose).length;
    for (const { text, loose } of headings) {
      const written = link.kind === 'wiki' ? headingLinkText(text) : encodeMarkdownDestination(text);
      fixes.push({ title: `Change to heading "${text}"`, edit: replace(link.subpathRange, written), unambiguous: loose && looseMatches === 1 });
    }
    // A link within the note names no other note to fall back to: dropping the heading would leave `[[]]`.
    if (link.path) fixes.push({ title: `Link to "${link.path}" without the heading`, edit: replace(withHash(link), ''), unambiguous: false });
    else fixes.push(removeLinkKeepingText(link, replace));
  } else if (resolution.missing === 'block' && link.subpathRange) {
    const target = vault.note(resolution.file);
    const wanted = link.subpath?.kind === 'block' ? link.subpath.id : '';
    const blocks = target ? closestTexts(target.parsed.blocks.map((b) => b.id), wanted) : [];
    const looseMatches = blocks.filter((b) => b.loose).length;
    for (const { text, loose } of blocks) {
      fixes.push({ title: `Change to block "^${text}"`, edit: replace(link.subpathRange, `^${text}`), unambiguous: loose && looseMatches === 1 });
    }
    if (link.path) fixes.push({ title: `Link to "${link.path}" without the block`, edit: replace(withHash(link), ''), unambiguous: false });
    else fixes.push(removeLinkKeepingText(link, replace));
  }
  if (resolution.candidates.length > 1) {
    for (const candidate of resolution.candidates) {
      const text = link.kind === 'wiki' ? wikiLinkPath(vault, note.file, candidate, 'shortest') : markdownLinkPath(note.file, candidate.relativePath);
      fixes.push({ title: `Link to "${candidate.relativePath}" explicitly ("${text}")`, edit: replace(link.pathRange, text), unambiguous: false });
    }
  }
  return fixes;
}

/**
 * What removing a link takes away: the link alone when the line has other text;
 * the whole line when the link is all there is on it (no empty line is left
 * behind), and with it the blank line after it when the line before is blank
 * too, so a paragraph of its own leaves one blank line between its neighbours, not two.
 */
function removalRange(range: Range, lineText: ((line: number) => string | undefined) | undefined): Range {
  const line = range.start.line;
  const text = lineText?.(line);
  if (text === undefined || range.end.line !== line || text.slice(0, range.start.character).trim() !== '' || text.slice(range.end.character).trim() !== '') return range;
  const isBlank = (n: number) => lineText!(n)?.trim() === '';
  const next = lineText!(line + 1);
  if (next === undefined) {
    // The last line: take the line break before it, unless it is the only line.
    if (line === 0) return { start: { line, character: 0 }, end: { line, character: text.length } };
    return { start: { line: line - 1, character: lineText!(line - 1)!.length }, end: { line, character: text.length } };
  }
  const alsoNextBlank = (line === 0 || isBlank(line - 1)) && next.trim() === '' && lineText!(line + 2) !== undefined;
  return { start: { line, character: 0 }, end: { line: line + (alsoNextBlank ? 2 : 1), character: 0 } };
}

/** The `#heading` or `#^block` part, hash included. */
function withHash(link: NoteLink): Range {
  const sub = link.subpathRange!;
  return { start: { line: sub.start.line, character: sub.start.character - 1 }, end: sub.end };
}

function closestFiles(catalog: LinkCatalog, path: string, wantsNote: boolean): Array<{ file: VaultFile; loose: boolean }> {
  const key = looseNameKey(path, true);
  const loose = catalog.filesByLooseName(key).filter((file) => file.isNote === wantsNote);
  const name = path.slice(path.lastIndexOf('/') + 1);
  const fuzzy = catalog.search(name, MAX_SUGGESTIONS * 2, (kind) => !(kind & CandidateKind.Alias) && ((kind & CandidateKind.Note) !== 0) === wantsNote).map((c) => c.file);
  const result: Array<{ file: VaultFile; loose: boolean }> = loose.map((file) => ({ file, loose: true }));
  for (const file of fuzzy) if (!result.some((r) => r.file === file)) result.push({ file, loose: false });
  return result.slice(0, MAX_SUGGESTIONS);
}

function closestTexts(texts: readonly string[], wanted: string): Array<{ text: string; loose: boolean }> {
  const key = looseNameKey(wanted, false).replace(/[^\p{L}\p{N}]/gu, '');
  const unique = [...new Set(texts)];
  const loose = unique.filter((text) => looseNameKey(text, false).replace(/[^\p{L}\p{N}]/gu, '') === key);
  const fuzzy = new Fuse(unique, { threshold: 0.5, ignoreLocation: true }).search(wanted).map((m) => m.item);
  const result = loose.map((text) => ({ text, loose: true }));
  for (const text of fuzzy) if (!result.some((r) => r.text === text)) result.push({ text, loose: false });
  return result.slice(0, MAX_SUGGESTIONS);
}

function overlaps(a: Range, b: Range): boolean {
  return comparePositions(a.start, b.end) <= 0 && comparePositions(b.start, a.end) <= 0;
}

/**
 * For a missing image or attachment: show the folder where Obsidian puts new
 * attachments of this note (`attachmentFolderPath` in `.obsidian/app.json`), so
 * the user can drop the file there. No edit: only the user has the file.
 */
function revealAttachmentsFolder(vault: VaultIndex, note: IndexedNote, link: NoteLink, command: string): CodeAction | undefined {
  if (!isAttachmentLink(link) || link.external) return undefined;
  if (resolveLink(vault, note, link).kind !== 'missingFile') return undefined;
  const folder = attachmentFolder(vault.config, dirname(note.file.relativePath));
  const folderUri = folder ? `${vault.rootUri}/${folder.split('/').map(encodeURIComponent).join('/')}` : vault.rootUri;
  // The client creates the folder if it is missing: never one outside the vault.
  if (lexicalRelativePath(vault.rootUri, folderUri) === undefined) return undefined;
  const name = link.path.split('/').pop() ?? link.path;
  const where = folder ? `the attachments folder "${folder}/"` : 'the vault folder, where attachments go';
  return { title: `Reveal ${where} to add "${name}"`, kind: CodeActionKind.QuickFix, command: { title: 'Reveal folder', command, arguments: [folderUri] } };
}

/** Every URI an action would create, edit, rename, delete or hand its command. */
export function uriTargetsOf(action: CodeAction): string[] {
  const uris: string[] = [];
  for (const uri of Object.keys(action.edit?.changes ?? {})) uris.push(uri);
  for (const change of action.edit?.documentChanges ?? []) {
    if ('textDocument' in change) uris.push(change.textDocument.uri);
    else if (change.kind === 'rename') uris.push(change.oldUri, change.newUri);
    else uris.push(change.uri);
  }
  for (const argument of action.command?.arguments ?? []) if (typeof argument === 'string' && /^[a-z][a-z0-9+.-]*:/i.test(argument)) uris.push(argument);
  return uris;
}

/**
 * The actions whose every target is inside the vault on real paths (symbolic
 * links resolved through the file system's `realPath`). provideCodeActions is
 * synchronous and checks lexically, which is sound for the paths the index
 * knows; this closes what it cannot see: a folder on the way that is a symbolic
 * link out of the vault (the scanner skips those, so the index never learns of
 * them). For an async host to apply to what provideCodeActions returned.
 */
export async function keepActionsInsideVault(fileSystem: IFileSystem, rootUri: string, actions: readonly CodeAction[]): Promise<CodeAction[]> {
  const verdicts = new Map<string, Promise<boolean>>();
  const inside = (uri: string) => {
    let verdict = verdicts.get(uri);
    if (!verdict) verdicts.set(uri, (verdict = isInsideVault(fileSystem, rootUri, uri)));
    return verdict;
  };
  const kept = await Promise.all(actions.map(async (action) => (await Promise.all(uriTargetsOf(action).map(inside))).every(Boolean)));
  return actions.filter((_, i) => kept[i]);
}
