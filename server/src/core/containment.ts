import { URI } from 'vscode-uri';
import type { IFileSystem } from './workspace';

/**
 * Whether a path is inside a vault: the one answer every writer (quick fixes,
 * created notes, revealed folders) and every reader (file events, the parse
 * cache's folder) asks for.
 *
 * Two levels:
 * - **Lexical** (sync): the URI is decoded once (`%2e%2e` is `..`), `.` and `..`
 *   are resolved, `\` counts as a separator (Windows reads it as one), empty
 *   segments and trailing slashes go, names compare after NFC (macOS spells
 *   NFD) and a drive letter in either case. Then the path must be the root or
 *   below it, segment by segment (`/vault2` is not in `/vault`).
 * - **Real** (async, when the file system can resolve real paths): both the root
 *   and the URI are resolved through symbolic links, on the disk, and the real
 *   path must be inside the real root too. A path that does not exist yet (a
 *   note about to be created) is resolved through its deepest existing folder.
 *
 * Features that cannot await (code actions) use the lexical check: sound as
 * long as the paths they write to cross no symbolic link, which holds because
 * the index only holds what the scanner lists, and the scanner follows no
 * symbolic link (see vaultScanner.ts).
 */

/** A URI taken apart for comparison. */
interface Location {
  readonly scheme: string;
  readonly authority: string;
  /** Path segments with `.`/`..` resolved, as spelled (not NFC): for building relative paths. */
  readonly segments: readonly string[];
}

/** Windows drive letters (`c:` and `C:`) are one drive. */
const DRIVE = /^[A-Za-z]:$/;

function locate(uri: string): Location | undefined {
  let parsed: URI;
  try {
    parsed = URI.parse(uri);
  } catch {
    return undefined;
  }
  const segments: string[] = [];
  for (const segment of parsed.path.split(/[\\/]/)) {
    if (segment === '' || segment === '.') continue;
    // Above the file system's root there is only the root, as the OS has it.
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  return { scheme: parsed.scheme.toLowerCase(), authority: parsed.authority.toLowerCase(), segments };
}

/** How two segments are compared lexically: NFC, and a drive letter in either case. */
function lexicalKey(segment: string, index: number): string {
  const nfc = segment.normalize('NFC');
  return index === 0 && DRIVE.test(nfc) ? nfc.toLowerCase() : nfc;
}

/** The segments of `target` below `root`, or undefined when it is not the root or below it. */
function segmentsBelow(root: Location, target: Location, same: (a: string, b: string, index: number) => boolean): readonly string[] | undefined {
  if (root.scheme !== target.scheme || root.authority !== target.authority) return undefined;
  if (target.segments.length < root.segments.length) return undefined;
  for (let i = 0; i < root.segments.length; i++) if (!same(root.segments[i], target.segments[i], i)) return undefined;
  return target.segments.slice(root.segments.length);
}

const lexicallySame = (a: string, b: string, index: number) => lexicalKey(a, index) === lexicalKey(b, index);

/**
 * The vault-relative path of `uri` (segments joined by `/`, `''` for the root
 * itself) when it is the root or inside it after normalization; undefined when
 * it is outside, or either is no URI at all.
 */
export function lexicalRelativePath(rootUri: string, uri: string): string | undefined {
  const root = locate(rootUri);
  const target = locate(uri);
  if (!root || !target) return undefined;
  return segmentsBelow(root, target, lexicallySame)?.join('/');
}

/** Whether `uri` is the root or inside it, lexically (see lexicalRelativePath). */
export function isLexicallyInside(rootUri: string, uri: string): boolean {
  return lexicalRelativePath(rootUri, uri) !== undefined;
}

/**
 * A path the vault itself supplies (an app.json folder setting, a link about to
 * become a new note's path), read vault-relative as Obsidian does (a leading
 * `/` is the vault root): the normalized path (`''` for the root), or undefined
 * when it leaves the vault — it climbs above the root with `..`, or is absolute
 * somewhere else (`C:\…`, `\\server\…`, `~/…`, `file:…`).
 */
export function containedRelativePath(path: string): string | undefined {
  const trimmed = path.trim();
  // `\\server\share` or `//host`, a drive (`C:\x`, `C:x`), a URI (`file:///x`), the home folder (`~/x`).
  if (/^[\\/]{2}/.test(trimmed) || /^[A-Za-z]:/.test(trimmed) || /^[A-Za-z][A-Za-z0-9+.-]*:[\\/]/.test(trimmed) || /^~(?:[\\/]|$)/.test(trimmed)) return undefined;
  const segments: string[] = [];
  for (const segment of trimmed.split(/[\\/]/)) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (segments.length === 0) return undefined;
      segments.pop();
    } else {
      segments.push(segment);
    }
  }
  return segments.join('/');
}

/** Where a URI lies with respect to a vault root. */
export type Containment =
  | {
      readonly inside: true;
      /** The vault-relative path, normalized lexically ('' for the root itself). */
      readonly relativePath: string;
      /**
       * The real path differs from the spelled one below the root: the path goes
       * through a symbolic link (one that stays inside the vault). The scanner
       * lists no such file, so readers leave it out too; writers may use it.
       */
      readonly throughLink: boolean;
    }
  | { readonly inside: false; readonly reason: string };

/** How the rest of a path is compared against its real spelling: NFC and case-insensitively (a file system may fold either). */
const looselySame = (a: string, b: string) => a.normalize('NFC').toLowerCase() === b.normalize('NFC').toLowerCase();

/**
 * Where `uri` lies with respect to the vault `rootUri`: lexically first, then
 * (when `fileSystem.realPath` exists) on real paths, symbolic links resolved.
 * Inside only when both say so; a real path that cannot be resolved (a loop,
 * no permission) is not inside.
 */
export async function locateInVault(fileSystem: IFileSystem, rootUri: string, uri: string): Promise<Containment> {
  const root = locate(rootUri);
  const target = locate(uri);
  if (!root || !target) return { inside: false, reason: 'not a URI' };
  const below = segmentsBelow(root, target, lexicallySame);
  if (!below) return { inside: false, reason: `outside the folder ${rootUri}` };
  const relativePath = below.join('/');
  if (!fileSystem.realPath) return { inside: true, relativePath, throughLink: false };
  let realRoot: Location | undefined;
  let realTarget: Location | undefined;
  try {
    // The URI as given, `..` included: the disk resolves `link/..` through the link, not lexically.
    [realRoot, realTarget] = await Promise.all([fileSystem.realPath(rootUri).then(locate), fileSystem.realPath(uri).then(locate)]);
  } catch (error) {
    return { inside: false, reason: `its real path cannot be resolved (${error instanceof Error ? error.message : String(error)})` };
  }
  if (!realRoot || !realTarget) return { inside: false, reason: 'its real path cannot be resolved' };
  // Both real paths come from the disk, so the root's part must match exactly (no NFC or case folding to hide a sibling folder).
  const realBelow = segmentsBelow(realRoot, realTarget, (a, b, index) => a === b || (index === 0 && DRIVE.test(a) && a.toLowerCase() === b.toLowerCase()));
  if (!realBelow) return { inside: false, reason: `a symbolic link leads outside the folder ${rootUri}` };
  const throughLink = realBelow.length !== below.length || realBelow.some((segment, i) => !looselySame(segment, below[i]));
  return { inside: true, relativePath, throughLink };
}

/** Whether `uri` is inside the vault `rootUri`, on real paths when the file system can resolve them: for writers. */
export async function isInsideVault(fileSystem: IFileSystem, rootUri: string, uri: string): Promise<boolean> {
  return (await locateInVault(fileSystem, rootUri, uri)).inside;
}

/**
 * The reader's check, for a file event or any URI the scanner did not list:
 * the vault-relative path of `uri` when it is a file the scanner would list —
 * inside the vault on real paths and reached through no symbolic link — else
 * undefined (with why, for a log line, through `reason`).
 */
export async function vaultPathOf(fileSystem: IFileSystem, rootUri: string, uri: string, reason?: (why: string) => void): Promise<string | undefined> {
  const where = await locateInVault(fileSystem, rootUri, uri);
  if (!where.inside) {
    reason?.(where.reason);
    return undefined;
  }
  if (where.throughLink) {
    reason?.('it is reached through a symbolic link, which the vault does not follow');
    return undefined;
  }
  return where.relativePath;
}
