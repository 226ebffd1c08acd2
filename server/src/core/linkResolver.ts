import { githubSlug, headingMatchKey } from './headings';
import { dirname, joinPath, nameKey, pathKey } from './names';
import type { BlockAnchor, Heading, NoteLink, ParsedNote } from './types';
import type { IndexedNote, VaultFile, VaultIndex } from './vaultIndex';

/** Where a link's path leads. */
export interface PathResolution {
  /** The file Obsidian opens, if any. */
  readonly file: VaultFile | undefined;
  /** Every file the path matched by suffix, best first; more than one means the link is ambiguous. */
  readonly candidates: readonly VaultFile[];
}

export type LinkResolution =
  | { readonly kind: 'external' }
  | { readonly kind: 'missingFile' }
  | {
      readonly kind: 'file';
      readonly file: VaultFile;
      readonly candidates: readonly VaultFile[];
      /** Set when the subpath names a heading that exists. */
      readonly heading?: Heading;
      /** Set when the subpath names a block that exists. */
      readonly block?: BlockAnchor;
      /** Set when the file exists but its subpath does not. */
      readonly missing?: 'heading' | 'block';
    };

/**
 * Resolves a link path the way Obsidian does (see ../shared/notes/obsidian-links.md):
 * case-insensitive and NFC; `/x` vault-absolute and `./x`, `../x` relative, exact
 * match only; otherwise an exact vault path wins, else every file whose path ends
 * with the link path is a candidate, those in the linking note's folder first,
 * then the shortest path. `.md` may be omitted for notes. One map lookup into the
 * name bucket, never a scan of the vault.
 */
export function resolvePath(vault: VaultIndex, from: VaultFile, linkPath: string, kind: NoteLink['kind'] = 'wiki'): PathResolution {
  // Only folder-free wiki paths with at most one match are remembered: a hit needs no other test.
  const remembered = kind === 'wiki' ? vault.folderFreeResolution(linkPath) : undefined;
  if (remembered) return remembered;
  const path = pathKey(linkPath.trim());
  if (path === '') return { file: from, candidates: [from] };
  const resolution = resolveKey(vault, from, path, kind);
  if (kind === 'wiki' && resolution.candidates.length <= 1 && !path.startsWith('/') && !path.startsWith('./') && !path.startsWith('../')) vault.rememberFolderFreeResolution(linkPath, resolution);
  return resolution;
}

function resolveKey(vault: VaultIndex, from: VaultFile, path: string, kind: NoteLink['kind']): PathResolution {
  if (path.startsWith('/')) return exact(vault, path.slice(1));
  if (path.startsWith('./') || path.startsWith('../')) {
    const joined = joinPath(dirname(from.pathKey), path);
    return joined === undefined ? { file: undefined, candidates: [] } : exact(vault, joined);
  }
  if (kind === 'markdown') {
    // Markdown links are relative to the note first, as in every markdown tool.
    const relative = joinPath(dirname(from.pathKey), path);
    if (relative !== undefined) {
      const found = exact(vault, relative);
      if (found.file) return found;
    }
  }

  const direct = exact(vault, path);
  if (direct.file) return direct;

  const suffix = '/' + path;
  const suffixWithMd = suffix + '.md';
  const candidates = vault
    .filesNamed(nameKey(path))
    .filter((file) => file.pathKey.endsWith(suffix) || file.pathKey.endsWith(suffixWithMd));
  if (candidates.length === 0) return { file: undefined, candidates };
  if (candidates.length > 1) {
    const folder = dirname(from.pathKey);
    candidates.sort((a, b) => {
      const aHere = dirname(a.pathKey) === folder ? 0 : 1;
      const bHere = dirname(b.pathKey) === folder ? 0 : 1;
      return aHere - bHere || a.pathKey.length - b.pathKey.length || (a.pathKey < b.pathKey ? -1 : a.pathKey > b.pathKey ? 1 : 0) || (a.relativePath < b.relativePath ? -1 : a.relativePath > b.relativePath ? 1 : 0);
    });
  }
  return { file: candidates[0], candidates };
}

function exact(vault: VaultIndex, key: string): PathResolution {
  const file = vault.fileByPathKey(key) ?? vault.fileByPathKey(key + '.md');
  return { file, candidates: file ? [file] : [] };
}

export function resolveLink(vault: VaultIndex, from: IndexedNote, link: NoteLink): LinkResolution {
  if (link.external) return { kind: 'external' };
  const { file, candidates } = resolvePath(vault, from.file, link.path, link.kind);
  if (!file) return { kind: 'missingFile' };
  const subpath = link.subpath;
  if (!subpath) return { kind: 'file', file, candidates };
  const target = vault.note(file);
  if (!target) {
    // Only notes have headings and blocks; `![[doc.pdf#page=3]]` is fine as it is.
    return { kind: 'file', file, candidates };
  }
  if (subpath.kind === 'block') {
    const block = findBlock(target.parsed, subpath.id);
    return block ? { kind: 'file', file, candidates, block } : { kind: 'file', file, candidates, missing: 'block' };
  }
  const heading = link.kind === 'markdown' ? findMarkdownHeading(target.parsed, subpath.headings[0]) : findHeadingPath(target.parsed, subpath.headings);
  return heading ? { kind: 'file', file, candidates, heading } : { kind: 'file', file, candidates, missing: 'heading' };
}

/**
 * `[[Note#A#B]]`: each segment must match a heading deeper than the previous
 * match, walking forward; the first match wins.
 */
export function findHeadingPath(note: ParsedNote, path: readonly string[]): Heading | undefined {
  let index = 0;
  let level = 0;
  let found: Heading | undefined;
  for (const segment of path) {
    const key = headingMatchKey(segment);
    found = undefined;
    for (; index < note.headings.length; index++) {
      const heading = note.headings[index];
      if (heading.level > level && heading.matchKey === key) {
        found = heading;
        level = heading.level;
        index++;
        break;
      }
    }
    if (!found) return undefined;
  }
  return found;
}

/** Markdown links carry the raw heading (URL-decoded already) or a GitHub slug. */
function findMarkdownHeading(note: ParsedNote, fragment: string): Heading | undefined {
  const key = headingMatchKey(fragment);
  const byKey = note.headings.find((heading) => heading.matchKey === key);
  if (byKey) return byKey;
  const slug = fragment.normalize('NFC').toLowerCase();
  return note.headings.find((heading) => githubSlug(heading.text) === slug);
}

export function findBlock(note: ParsedNote, id: string): BlockAnchor | undefined {
  const lower = id.toLowerCase();
  return note.blocks.find((block) => block.id.toLowerCase() === lower);
}
