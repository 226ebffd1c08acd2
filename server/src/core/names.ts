/**
 * Name and path normalization shared by the parser, the index and resolution.
 * Obsidian compares paths case-insensitively after Unicode NFC normalization
 * (macOS writes NFD file names, which would otherwise break Korean names), and
 * treats a no-break space as a space.
 */

const NBSP = /\u00a0/g;

/**
 * A character NFC may change, or that may combine with the one before it.
 * Below U+0300 (Latin, Latin-1, their letters' precomposed forms) and the
 * precomposed Hangul syllables, none does: most names and headings need no
 * normalization pass.
 */
const MAY_CHANGE_UNDER_NFC = /[^\t\n\r -\u02ff\uac00-\ud7a3]/;

/** `text.normalize('NFC')`, without the pass when it cannot change anything. */
export function toNfc(text: string): string {
  return MAY_CHANGE_UNDER_NFC.test(text) ? text.normalize('NFC') : text;
}

export function normalizeName(text: string): string {
  return toNfc(text).replace(NBSP, ' ');
}

/** The key a vault-relative path is stored and looked up under. */
export function pathKey(relativePath: string): string {
  return normalizeName(relativePath).replace(/\\/g, '/').toLowerCase();
}

/**
 * The key that groups every file a link could resolve to by path suffix: the last
 * path segment, lowercased, without a `.md` extension (notes may omit it).
 */
export function nameKey(path: string): string {
  const key = pathKey(path);
  const base = key.slice(key.lastIndexOf('/') + 1);
  return base.endsWith('.md') ? base.slice(0, -3) : base;
}

export function dirname(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

export function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

export function extname(path: string): string {
  const base = basename(path);
  const dot = base.lastIndexOf('.');
  return dot <= 0 ? '' : base.slice(dot + 1).toLowerCase();
}

/** The note name Obsidian shows and links by: the file name without `.md`. */
export function noteName(path: string): string {
  const base = basename(path);
  return base.toLowerCase().endsWith('.md') ? base.slice(0, -3) : base;
}

/**
 * Joins and normalizes posix path segments. Returns undefined when the result
 * would climb above the vault root: links never resolve outside the workspace.
 */
export function joinPath(base: string, relative: string): string | undefined {
  const parts = base ? base.split('/') : [];
  for (const segment of relative.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (parts.length === 0) return undefined;
      parts.pop();
    } else {
      parts.push(segment);
    }
  }
  return parts.join('/');
}

const IMAGE_EXTENSIONS = new Set(['avif', 'bmp', 'gif', 'jpeg', 'jpg', 'png', 'svg', 'webp']);
const AUDIO_EXTENSIONS = new Set(['flac', 'm4a', 'mp3', 'ogg', 'wav', 'webm', '3gp']);
const VIDEO_EXTENSIONS = new Set(['mkv', 'mov', 'mp4', 'ogv', 'webm']);

export function isImagePath(path: string): boolean {
  return IMAGE_EXTENSIONS.has(extname(path));
}

export function isMediaPath(path: string): boolean {
  const ext = extname(path);
  return IMAGE_EXTENSIONS.has(ext) || AUDIO_EXTENSIONS.has(ext) || VIDEO_EXTENSIONS.has(ext) || ext === 'pdf';
}

export function isNotePath(path: string): boolean {
  return extname(path) === 'md';
}

/** `https:`, `mailto:`, `obsidian:`… anything with a scheme, or a protocol-relative URL. */
export function isExternalTarget(target: string): boolean {
  return /^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('//');
}

/**
 * A name with what people get wrong removed: case, `_`, `-`, dashes and spaces,
 * and (for file names) the extension. Two names with the same loose key are
 * almost certainly the same thing mistyped.
 */
export function looseNameKey(text: string, dropExtension: boolean): string {
  const base = text.slice(text.lastIndexOf('/') + 1).normalize('NFC').toLowerCase();
  const stem = dropExtension ? base.replace(/\.[a-z0-9]+$/, '') : base;
  return stem.replace(/[\s_\-–—]+/g, '');
}

/**
 * The order of `x.toLowerCase()` and `y.toLowerCase()` (by code unit: negative,
 * 0 or positive) without building either string. Sorting the symbol index's
 * names by folded name called toLowerCase twice per comparison, 220 ms of a
 * cold start's main thread at 10,000 notes. Only characters that fold alone
 * (ASCII, Hangul, CJK) are compared here; a name with any other character is
 * folded whole, as before, so the order is always exactly that of toLowerCase
 * (whose mapping of a letter can depend on its neighbours, as Greek's final sigma).
 */
export function compareLowerCase(x: string, y: string): number {
  const length = Math.min(x.length, y.length);
  for (let i = 0; i < length; i++) {
    let a = x.charCodeAt(i);
    let b = y.charCodeAt(i);
    if (!foldsAlone(a) || !foldsAlone(b)) return compareFoldedWhole(x, y);
    if (a === b) continue;
    if (a >= 65 && a <= 90) a += 32;
    if (b >= 65 && b <= 90) b += 32;
    if (a !== b) return a - b;
  }
  // Equal so far: the rest of the longer name decides, and any character folds to at least one.
  if (x.length === y.length) return 0;
  const rest = x.length > y.length ? x : y;
  for (let i = length; i < rest.length; i++) if (!foldsAlone(rest.charCodeAt(i))) return compareFoldedWhole(x, y);
  return x.length - y.length;
}

/** Whether toLowerCase maps this code unit to itself, or (A-Z) to the letter 32 above, whatever surrounds it. */
function foldsAlone(code: number): boolean {
  return code < 128 || (code >= 0xac00 && code <= 0xd7a3) || (code >= 0x3000 && code <= 0x9fff) || (code >= 0x1100 && code <= 0x11ff);
}

function compareFoldedWhole(x: string, y: string): number {
  const a = x.toLowerCase();
  const b = y.toLowerCase();
  return a < b ? -1 : a > b ? 1 : 0;
}
