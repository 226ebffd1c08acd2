import { lexicalRelativePath } from '../core/containment';
import { encodeMarkdownDestination, relativePath, wikiLinkPath } from '../core/linkWriter';
import { basename, dirname, extname, isMediaPath, isNotePath, nameKey, pathKey } from '../core/names';
import { attachmentFolder } from '../core/vaultConfig';
import type { IndexedNote, VaultIndex } from '../core/vaultIndex';

/** One file pasted or dropped into a note. */
export interface AttachmentSource {
  /** The file's own name (`diagram.png`); absent for image data with no name (a screenshot on the clipboard). */
  readonly name?: string;
  /** Where the file is now, when it is a file (dropped from the explorer or the desktop). */
  readonly sourceUri?: string;
  /** The data's MIME type (`image/png`): names the extension of a pasted image that has no name. */
  readonly mimeType?: string;
}

/** Where one pasted or dropped file goes, and the link that points at it. */
export interface AttachmentPlacement {
  /** Where the bytes are to be written; absent when the file is already in the vault and is only linked. */
  readonly targetUri?: string;
  /** Vault-relative path of the file once placed. */
  readonly relativePath: string;
  /** The link to insert: `![[Pasted image 20240131093000.png]]`, or `![](…)` in a vault set to markdown links. */
  readonly linkText: string;
}

export interface AttachmentOptions {
  /** The moment of the paste, for Obsidian's `Pasted image YYYYMMDDHHmmss` name (local time). */
  readonly now: Date;
  /** Whether a vault-relative path is taken already (by a file of the index or one on disk the index has not seen). */
  readonly taken: (relativePath: string) => boolean;
}

/** How many ` 1`, ` 2`… suffixes are tried before giving up: a folder does not hold a thousand pastes of one second. */
const MAX_SUFFIX = 1000;

/** What Obsidian refuses in a file name, plus control characters. */
// eslint-disable-next-line no-control-regex -- control characters are what it removes
const FORBIDDEN_IN_NAME = /[\\/:*?"<>|#^[\]\u0000-\u001f\u007f]/g;

/**
 * Where files pasted or dropped into `note` go and how they are linked, as
 * Obsidian does it: new files land in the folder `attachmentFolderPath` of
 * `.obsidian/app.json` names for this note (the vault root, the note's folder,
 * a folder below it, or a fixed folder; never outside the vault), pasted image
 * data is named `Pasted image YYYYMMDDHHmmss.png`, a taken name gets ` 1`, ` 2`…
 * before its extension, and the link is `![[name]]` (`[[name]]` for a note or
 * a file that cannot be embedded), or a markdown link in a vault with
 * `useMarkdownLinks`. A file already in the vault is linked where it is, not copied.
 * Undefined entries: a source that cannot be placed (no name and no known type).
 */
export function provideAttachmentTargets(vault: VaultIndex, note: IndexedNote, sources: readonly AttachmentSource[], options: AttachmentOptions): Array<AttachmentPlacement | undefined> {
  const chosen = new Set<string>();
  const taken = (path: string) => chosen.has(pathKey(path)) || options.taken(path);
  return sources.map((source) => {
    const existing = source.sourceUri === undefined ? undefined : vault.fileForUri(source.sourceUri);
    if (existing) return { relativePath: existing.relativePath, linkText: linkTo(vault, note, existing.relativePath, true) };
    const name = fileNameFor(source, options.now);
    if (!name) return undefined;
    const folder = attachmentFolder(vault.config, dirname(note.file.relativePath));
    const path = availablePath(folder, name, taken);
    if (!path) return undefined;
    const targetUri = vault.uriOf(path);
    // attachmentFolder keeps the folder inside; the name has no separator left. Checked once more on the URI, as every writer does.
    if (lexicalRelativePath(vault.rootUri, targetUri) === undefined) return undefined;
    chosen.add(pathKey(path));
    return { targetUri, relativePath: path, linkText: linkTo(vault, note, path, false) };
  });
}

/** `Pasted image 20240131093005.png` for nameless image data; else the file's own name made safe. */
function fileNameFor(source: AttachmentSource, now: Date): string | undefined {
  if (source.name === undefined || source.name.trim() === '') {
    const extension = extensionOfMimeType(source.mimeType);
    return extension && `Pasted image ${timestamp(now)}.${extension}`;
  }
  return safeFileName(source.name);
}

/**
 * The last segment of a name, without what Obsidian refuses in file names
 * (`../../etc/passwd` → `passwd`, `a:b.png` → `a b.png`), and without leading
 * dots (no hidden files, no `..`). Undefined when nothing is left.
 */
export function safeFileName(name: string): string | undefined {
  const last = name.split(/[\\/]/).pop() ?? '';
  const cleaned = last.normalize('NFC').replace(FORBIDDEN_IN_NAME, ' ').replace(/\s+/g, ' ').replace(/^[\s.]+/, '').replace(/[\s.]+$/, '').trim();
  return cleaned === '' ? undefined : cleaned;
}

function extensionOfMimeType(mimeType: string | undefined): string | undefined {
  const match = /^image\/([a-z0-9.+-]+)$/i.exec(mimeType?.trim() ?? '');
  if (!match) return undefined;
  const subtype = match[1].toLowerCase();
  if (subtype === 'jpeg') return 'jpg';
  if (subtype === 'svg+xml') return 'svg';
  return /^[a-z0-9]+$/.test(subtype) ? subtype : undefined;
}

/** `YYYYMMDDHHmmss` in local time, as Obsidian names pasted images. */
function timestamp(date: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}${two(date.getMonth() + 1)}${two(date.getDate())}${two(date.getHours())}${two(date.getMinutes())}${two(date.getSeconds())}`;
}

/** `folder/name.ext`, or `folder/name 1.ext`, `name 2.ext`… when taken (Obsidian's numbering). */
function availablePath(folder: string, name: string, taken: (path: string) => boolean): string | undefined {
  const extension = extname(name);
  const stem = extension ? name.slice(0, -(extension.length + 1)) : name;
  const suffix = extension ? name.slice(stem.length) : '';
  for (let n = 0; n <= MAX_SUFFIX; n++) {
    const candidate = n === 0 ? name : `${stem} ${n}${suffix}`;
    const path = folder ? `${folder}/${candidate}` : candidate;
    if (!taken(path)) return path;
  }
  return undefined;
}

/**
 * The link to the file at `path` from `note`, in the vault's link style. For a
 * file not yet in the index, the shortest form is its name when no other file
 * shares it (otherwise the path from the vault root), as Obsidian writes it.
 */
function linkTo(vault: VaultIndex, note: IndexedNote, path: string, inIndex: boolean): string {
  const file = inIndex ? vault.fileAt(path) : undefined;
  const format = vault.config.newLinkFormat;
  let written: string;
  if (file) written = wikiLinkPath(vault, note.file, file);
  else if (format === 'absolute') written = path;
  else if (format === 'relative') written = relativePath(dirname(note.file.relativePath), path);
  else written = vault.filesNamed(nameKey(path)).length === 0 ? basename(path) : path;
  const isNote = isNotePath(path);
  // Notes are linked without `.md` (wikiLinkPath drops it already); a markdown link spells it.
  if (isNote && !file) written = written.slice(0, -3);
  // Images, audio, video and PDFs are shown in the note; a note or another file is linked.
  const embed = !isNote && isMediaPath(path);
  if (vault.config.useMarkdownLinks) {
    const destination = encodeMarkdownDestination(isNote ? `${written}.md` : written);
    return `${embed ? '!' : ''}[${embed ? '' : basename(written)}](${destination})`;
  }
  return `${embed ? '!' : ''}[[${written}]]`;
}
