import type { Position, Range, TextEdit, WorkspaceEdit } from 'vscode-languageserver-types';
import { githubSlug, headingLinkText } from '../core/headings';
import { resolveLink } from '../core/linkResolver';
import { encodeMarkdownDestination, markdownLinkPath } from '../core/linkWriter';
import { dirname, noteName, pathKey } from '../core/names';
import { headingAt, linkAt } from '../core/noteQueries';
import type { Heading, NoteLink } from '../core/types';
import type { IndexedNote, VaultFile, VaultIndex } from '../core/vaultIndex';
import type { ICancellationToken } from '../core/workspace';
import { findReferencingLinks, findReferencingLinksCancellable, type ReferenceTarget, type ReferencingLink } from './references';

/** What a rename at a position renames: a heading of a note, or a file (note or attachment). */
export type RenameTarget =
  | { readonly kind: 'heading'; readonly file: VaultFile; readonly heading: Heading; readonly range: Range; readonly placeholder: string }
  | { readonly kind: 'file'; readonly file: VaultFile; readonly range: Range; readonly placeholder: string };

/** Characters Obsidian refuses in file names, and those that would break a wiki link. */
const BAD_FILE_NAME = /[*"\\/<>:|?#^[\]]/;

/**
 * What F2 renames here: the heading on a heading line; on a link, its heading
 * (cursor in `#Heading`) or the file it points at (cursor in the path).
 */
export function renameTargetAt(vault: VaultIndex, note: IndexedNote, position: Position): RenameTarget | undefined {
  const link = linkAt(note.parsed, position);
  if (link) {
    if (link.external) return undefined;
    const resolution = resolveLink(vault, note, link);
    if (resolution.kind !== 'file') return undefined;
    if (resolution.heading && link.subpathRange && contains(link.subpathRange, position)) {
      const segment = link.subpath?.kind === 'heading' ? link.subpath.headings[link.subpath.headings.length - 1] : resolution.heading.text;
      return { kind: 'heading', file: resolution.file, heading: resolution.heading, range: link.subpathRange, placeholder: segment };
    }
    if (link.path !== '' && contains(link.pathRange, position)) {
      return { kind: 'file', file: resolution.file, range: link.pathRange, placeholder: baseName(resolution.file) };
    }
    return undefined;
  }
  const heading = headingAt(note.parsed, position);
  if (heading) return { kind: 'heading', file: note.file, heading, range: heading.textRange, placeholder: heading.text };
  return undefined;
}

export class RenameError extends Error {}

/**
 * The edit that renames what is at `position` and every link to it in the
 * vault: a heading's text and the `#Heading` of each link (and a table of
 * contents entry's text where it repeats the heading), or a file and the path
 * of each link. Links are found through the backlink index.
 */
export function provideRename(vault: VaultIndex, note: IndexedNote, position: Position, newName: string, links?: readonly ReferencingLink[]): WorkspaceEdit | undefined {
  const target = renameTargetAt(vault, note, position);
  if (!target) return undefined;
  const name = newName.trim();
  if (!name) throw new RenameError('The new name is empty.');
  if (target.kind === 'heading') return renameHeading(vault, target.file, target.heading, name, links);
  if (BAD_FILE_NAME.test(name)) throw new RenameError(`A file name cannot contain any of * " \\ / < > : | ? # ^ [ ]: "${name}".`);
  // A note keeps `.md`; an attachment keeps its extension unless the new name gives one.
  const fileName = target.file.isNote ? `${name.replace(/\.md$/i, '')}.md` : extensionOf(name) ? name : `${name}${extensionOf(target.file.relativePath)}`;
  const newRelativePath = [dirname(target.file.relativePath), fileName].filter(Boolean).join('/');
  if (vault.fileByPathKey(pathKey(newRelativePath)) && pathKey(newRelativePath) !== target.file.pathKey) throw new RenameError(`"${newRelativePath}" already exists.`);
  const edit = linkEditsForFileMove(vault, target.file, newRelativePath, links);
  const newUri = vault.uriOf(newRelativePath);
  return { documentChanges: [...toDocumentEdits(edit), { kind: 'rename', oldUri: target.file.uri, newUri }] };
}

/**
 * The same rename, with the vault's links read in slices that a cancellation
 * stops (see findReferencingLinksCancellable); undefined when cancelled.
 */
export async function provideRenameCancellable(vault: VaultIndex, note: IndexedNote, position: Position, newName: string, token: ICancellationToken): Promise<WorkspaceEdit | undefined> {
  const target = renameTargetAt(vault, note, position);
  if (!target) return undefined;
  const referenced: ReferenceTarget = target.kind === 'heading' ? { file: target.file, heading: target.heading } : { file: target.file };
  const links = await findReferencingLinksCancellable(vault, referenced, token);
  return links && provideRename(vault, note, position, newName, links);
}

function renameHeading(vault: VaultIndex, file: VaultFile, heading: Heading, newText: string, links: readonly ReferencingLink[] = findReferencingLinks(vault, { file, heading })): WorkspaceEdit {
  if (/[\r\n]/.test(newText)) throw new RenameError('A heading is one line.');
  const edits = new Map<string, TextEdit[]>();
  const add = (uri: string, edit: TextEdit) => addEdit(edits, uri, edit);
  add(file.uri, { range: heading.textRange, newText });
  for (const { source, link } of links) {
    if (link.subpath?.kind !== 'heading' || !link.subpathRange) continue;
    // The link resolved to this heading, so its last segment names it (earlier ones name parents).
    const segments = [...link.subpath.headings];
    const last = segments.length - 1;
    if (link.kind === 'wiki') {
      segments[last] = headingLinkText(newText);
      // A parent segment naming the same heading text (`[[#A#A]]`) is left alone: it is another heading.
    } else {
      // A markdown link keeps its style: a GitHub slug stays a slug, else the URL-encoded text.
      segments[last] = segments[last] === githubSlug(heading.text) ? githubSlug(newText) : encodeMarkdownDestination(newText);
    }
    const written = segments;
    add(source.file.uri, { range: link.subpathRange, newText: written.join('#') });
    // `[[#Heading|Heading]]`: a table of contents entry shows the heading; keep it in step.
    const display = displayRange(link);
    if (display && link.display!.trim() === heading.text.trim()) add(source.file.uri, { range: display, newText: link.display!.replace(heading.text.trim(), newText) });
  }
  return { changes: Object.fromEntries(edits) };
}

/**
 * The edits to every link that points at `file` when it moves to
 * `newRelativePath` (a rename in place or a move): the path part only, each in
 * the style it was written (bare name, folders, `.md`, relative markdown path).
 */
export function linkEditsForFileMove(vault: VaultIndex, file: VaultFile, newRelativePath: string, links: readonly ReferencingLink[] = findReferencingLinks(vault, { file })): Map<string, TextEdit[]> {
  const edits = new Map<string, TextEdit[]>();
  const sameFolder = dirname(newRelativePath) === dirname(file.relativePath);
  for (const { source, link } of links) {
    if (link.path === '') continue; // `[[#Heading]]` names no file
    const written = rewrittenPath(link, source.file, file, newRelativePath, sameFolder);
    if (written === undefined) continue;
    addEdit(edits, source.file.uri, { range: link.pathRange, newText: written });
  }
  return edits;
}

function rewrittenPath(link: NoteLink, from: VaultFile, file: VaultFile, newRelativePath: string, sameFolder: boolean): string | undefined {
  if (link.kind === 'markdown') {
    return markdownLinkPath(from, newRelativePath);
  }
  const withoutExtension = file.isNote && !/\.md$/i.test(link.path);
  const newPath = withoutExtension ? newRelativePath.slice(0, -3) : newRelativePath;
  if (!sameFolder) return newPath; // the full vault path always resolves to the moved file
  // A rename in place: change the last segment, keep the folders the author wrote.
  const segments = link.path.split('/');
  segments[segments.length - 1] = newPath.split('/').pop()!;
  return segments.join('/');
}

function addEdit(edits: Map<string, TextEdit[]>, uri: string, edit: TextEdit): void {
  const list = edits.get(uri);
  if (list) list.push(edit);
  else edits.set(uri, [edit]);
}

function toDocumentEdits(edits: Map<string, TextEdit[]>) {
  return [...edits].map(([uri, textEdits]) => ({ textDocument: { uri, version: null }, edits: textEdits }));
}

/** The alias of a wiki link, `[[target|display]]`: it ends right before `]]`. */
function displayRange(link: NoteLink): Range | undefined {
  if (link.kind !== 'wiki' || link.display === undefined || link.range.start.line !== link.range.end.line) return undefined;
  const end = link.range.end.character - 2;
  return { start: { line: link.range.end.line, character: end - link.display.length }, end: { line: link.range.end.line, character: end } };
}

function baseName(file: VaultFile): string {
  const name = file.relativePath.split('/').pop()!;
  return file.isNote ? noteName(file.relativePath) : name;
}

function extensionOf(path: string): string {
  const match = /\.[^./]+$/.exec(path);
  return match ? match[0] : '';
}

function contains(range: Range, position: Position): boolean {
  const afterStart = position.line > range.start.line || (position.line === range.start.line && position.character >= range.start.character);
  const beforeEnd = position.line < range.end.line || (position.line === range.end.line && position.character <= range.end.character);
  return afterStart && beforeEnd;
}
