import type { CreateFile, Position, TextDocumentEdit } from 'vscode-languageserver-types';
import { containedRelativePath, lexicalRelativePath } from '../core/containment';
import { resolveLink } from '../core/linkResolver';
import { linkAt } from '../core/noteQueries';
import { dirname, isImagePath } from '../core/names';
import type { NoteLink } from '../core/types';
import { newNoteFolder } from '../core/vaultConfig';
import type { IndexedNote, VaultIndex } from '../core/vaultIndex';

/** The note a link to a missing note creates. */
export interface NewNote {
  /** Vault-relative, `.md` included. */
  readonly relativePath: string;
  readonly uri: string;
  /** What it starts with: the link's heading (`# Heading`), or nothing, as Obsidian creates a note from a link. */
  readonly text: string;
  /** Creates the file (failing if one is there already) and writes `text`. */
  readonly edit: { documentChanges: Array<CreateFile | TextDocumentEdit> };
}

/**
 * A character no note name may hold: Obsidian refuses `* " \ / < > : | ? # ^ [ ]`
 * in file names (`/` separates folders; `#` and `|` cannot reach a path), and
 * control characters are names no one meant.
 */
// eslint-disable-next-line no-control-regex
const REFUSED_IN_NAME = /[*"\\<>:|?#^[\]\u0000-\u001f\u007f]/;
/** Names Windows keeps for devices: a note called `CON.md` cannot be created there. */
const DEVICE_NAME = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\.|$)/i;
/** `.`, `..` and their URL-encoded spellings (`%2e%2e`): a folder that is no folder. */
const DOT_SEGMENT = /^(?:\.|%2e)+$/i;
/** Longest file name most file systems take, in UTF-8 bytes. */
const MAX_NAME_BYTES = 255;

/**
 * The note that following `link` creates, in the folder Obsidian would use:
 * `./x` and `../x` beside the linking note, a path with folders from the vault
 * root, a bare name in the folder `.obsidian/app.json` names for new notes
 * (`newFileLocation`: the root, the linking note's folder, or
 * `newFileFolderPath`). The same place the link resolves to once it exists.
 *
 * None when the link is not to a missing note, or when the note would land
 * outside the vault (`[[../../x]]`, `[[/../x]]`, `[[C:\x]]`, `[[%2e%2e/x]]`) or
 * have a name Obsidian refuses or a file system cannot hold (reserved
 * characters, a hidden `.name` Obsidian would not index, `CON`, 256 bytes).
 * The path is normalized vault-relative first (containment.ts) and the URI
 * built from it checked again; hosts check real paths too (symbolic links).
 */
export function newNoteForLink(vault: VaultIndex, note: IndexedNote, link: NoteLink): NewNote | undefined {
  if (link.external || link.path === '' || isAttachmentLink(link)) return undefined;
  if (resolveLink(vault, note, link).kind !== 'missingFile') return undefined;
  const written = link.path.trim().replace(/\.md$/i, '');
  const folder = /^\.\.?[\\/]/.test(written) ? dirname(note.file.relativePath) : /[\\/]/.test(written) ? '' : newNoteFolder(vault.config, dirname(note.file.relativePath));
  // Backslashes are refused below, not read as separators: Obsidian refuses them in names.
  if (written.split('/').some((segment) => DOT_SEGMENT.test(segment) && segment.includes('%'))) return undefined;
  const relativePath = containedRelativePath([folder, `${written.replace(/^\/+/, '')}.md`].filter(Boolean).join('/'));
  if (!relativePath || !relativePath.split('/').every(isCreatableName)) return undefined;
  const uri = vault.uriOf(relativePath);
  if (!lexicalRelativePath(vault.rootUri, uri)) return undefined;
  const text = link.subpath?.kind === 'heading' ? headingsText(link.subpath.headings) : '';
  const edit: NewNote['edit'] = {
    documentChanges: [
      // Fails, rather than writing into it, if a file the index does not know is already there.
      { kind: 'create', uri, options: { overwrite: false, ignoreIfExists: false } },
      ...(text ? [{ textDocument: { uri, version: null }, edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: text }] }] : []),
    ],
  };
  return { relativePath, uri, text, edit };
}

/** What following the link at `position` leads to: the note it names, to create or, if it exists by now, to open. */
export type FollowedLink = { readonly kind: 'create'; readonly note: NewNote } | { readonly kind: 'open'; readonly uri: string };

export function followLinkAt(vault: VaultIndex, note: IndexedNote, position: Position): FollowedLink | undefined {
  const link = linkAt(note.parsed, position);
  if (!link || link.external) return undefined;
  const resolution = resolveLink(vault, note, link);
  if (resolution.kind === 'file') return { kind: 'open', uri: resolution.file.uri };
  const created = newNoteForLink(vault, note, link);
  return created && { kind: 'create', note: created };
}

/** `[[Note#A#B]]` → `# A` then `## B`: the heading path the link walks, so it resolves once the note exists. */
function headingsText(headings: readonly string[]): string {
  return `${headings.map((heading, depth) => `${'#'.repeat(Math.min(depth + 1, 6))} ${heading}`).join('\n\n')}\n`;
}

function isCreatableName(segment: string): boolean {
  return (
    segment.trim() !== '' &&
    !segment.startsWith('.') &&
    !/[. ]$/.test(segment) &&
    !REFUSED_IN_NAME.test(segment) &&
    !DEVICE_NAME.test(segment) &&
    new TextEncoder().encode(segment).length <= MAX_NAME_BYTES
  );
}

/** An image, or an embed of a file with an extension other than `.md`: the user has that file, no note is made for it. */
export function isAttachmentLink(link: NoteLink): boolean {
  const last = link.path.slice(link.path.lastIndexOf('/') + 1);
  return isImagePath(link.path) || (link.embed && /\.[A-Za-z0-9]+$/.test(last) && !/\.md$/i.test(last));
}
