import { RE2JS } from 're2js';
import { containedRelativePath } from './containment';

/**
 * The parts of Obsidian's `.obsidian/app.json` that matter to a language server.
 * None of them changes how an existing link resolves; they say how new links,
 * notes and attachments are written, and what is hidden from suggestions.
 */
export interface VaultConfig {
  /** The form of link paths Vaultlink writes (completion, quick fixes). */
  readonly newLinkFormat: 'shortest' | 'relative' | 'absolute';
  /** Whether new links are written as markdown links rather than wiki links. */
  readonly useMarkdownLinks: boolean;
  /** Where new notes go: the vault root, the linking note's folder, or a fixed folder. */
  readonly newFileLocation: 'root' | 'current' | 'folder';
  readonly newFileFolderPath: string;
  /** `/` the root, `./` the note's folder, `./sub` below it, or a fixed folder. */
  readonly attachmentFolderPath: string;
  /** Path prefixes or `/regex/`: ranked last in suggestions, still resolved. */
  readonly userIgnoreFilters: readonly string[];
  /** What was wrong with app.json and ignored (a folder outside the vault, a refused regular expression): for the log. */
  readonly warnings?: readonly string[];
}

export const defaultVaultConfig: VaultConfig = {
  newLinkFormat: 'shortest',
  useMarkdownLinks: false,
  newFileLocation: 'root',
  newFileFolderPath: '',
  attachmentFolderPath: '/',
  userIgnoreFilters: [],
};

/**
 * Reads app.json text; anything missing or malformed keeps Obsidian's default.
 * A file that is not a JSON object is all defaults, with a warning saying so
 * (Obsidian itself would not read it either), so the editor can tell the user.
 */
export function parseVaultConfig(text: string | undefined): VaultConfig {
  if (text === undefined || text.trim() === '') return defaultVaultConfig;
  let raw: Record<string, unknown>;
  try {
    const value: unknown = JSON.parse(text);
    if (!value || typeof value !== 'object' || Array.isArray(value)) {
      return { ...defaultVaultConfig, warnings: [`not a JSON object of settings (it holds ${Array.isArray(value) ? 'an array' : JSON.stringify(value)}): Obsidian's defaults are used.`] };
    }
    raw = value as Record<string, unknown>;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ...defaultVaultConfig, warnings: [`not valid JSON (${reason}): Obsidian's defaults are used until it is fixed.`] };
  }
  const warnings: string[] = [];
  const pick = <T extends string>(value: unknown, allowed: readonly T[], fallback: T): T => (allowed.includes(value as T) ? (value as T) : fallback);
  const text_ = (value: unknown, fallback: string) => (typeof value === 'string' ? value : fallback);
  const newFileFolderPath = text_(raw.newFileFolderPath, '');
  const newFileFolder = containedRelativePath(newFileFolderPath);
  if (newFileFolder === undefined) warnings.push(`newFileFolderPath ${JSON.stringify(newFileFolderPath)} is outside the vault: ignored, new notes go to the vault root.`);
  const attachmentFolderPath = text_(raw.attachmentFolderPath, '/');
  const attachmentsInside = attachmentFolderSetting(attachmentFolderPath) !== undefined;
  if (!attachmentsInside) warnings.push(`attachmentFolderPath ${JSON.stringify(attachmentFolderPath)} is outside the vault: ignored, attachments go to the vault root.`);
  const userIgnoreFilters = Array.isArray(raw.userIgnoreFilters) ? raw.userIgnoreFilters.filter((f): f is string => typeof f === 'string' && f.trim() !== '') : [];
  for (const filter of compiledFilters(userIgnoreFilters)) if (filter.refused) warnings.push(`userIgnoreFilters ${filter.source}: ${filter.refused}; it matches nothing.`);
  return {
    newLinkFormat: pick(raw.newLinkFormat, ['shortest', 'relative', 'absolute'] as const, 'shortest'),
    useMarkdownLinks: raw.useMarkdownLinks === true,
    newFileLocation: pick(raw.newFileLocation, ['root', 'current', 'folder'] as const, 'root'),
    newFileFolderPath: newFileFolder ?? '',
    attachmentFolderPath: attachmentsInside ? attachmentFolderPath : '/',
    userIgnoreFilters,
    ...(warnings.length ? { warnings } : {}),
  };
}

/** A `/regex/flags` filter, run by a linear-time engine; or why it is refused. */
interface CompiledFilter {
  readonly source: string;
  readonly test: (relativePath: string) => boolean;
  readonly refused?: string;
}

/** Patterns longer than this are refused: app.json filters are a few words, and compiling costs per character. */
const MAX_PATTERN_LENGTH = 1000;

const compiled = new WeakMap<readonly string[], readonly CompiledFilter[]>();

/**
 * The filters of a config, compiled once per list. A `/regex/` comes from the
 * vault (anyone's app.json), so it never runs on JavaScript's backtracking
 * engine, where `/^(a+)+$/` against `aaaa…ab` takes time doubling with each `a`:
 * it runs on RE2JS (linear in the path's length), and one that engine cannot
 * express (backreferences, lookaround) is refused and matches nothing.
 */
function compiledFilters(filters: readonly string[]): readonly CompiledFilter[] {
  let result = compiled.get(filters);
  if (!result) {
    result = filters.map(compileFilter);
    compiled.set(filters, result);
  }
  return result;
}

function compileFilter(filter: string): CompiledFilter {
  const regex = /^\/(.*)\/([a-z]*)$/s.exec(filter);
  if (!regex) {
    const prefix = filter.replace(/^\//, '');
    return { source: filter, test: (relativePath) => relativePath.startsWith(prefix) };
  }
  const refuse = (why: string): CompiledFilter => ({ source: filter, test: () => false, refused: why });
  const [, pattern, flagLetters] = regex;
  if (pattern.length > MAX_PATTERN_LENGTH) return refuse(`longer than ${MAX_PATTERN_LENGTH} characters`);
  let flags = 0;
  let unicode = false;
  let sticky = false;
  for (const [index, letter] of [...flagLetters].entries()) {
    if (flagLetters.indexOf(letter) !== index) return refuse(`the flag ${letter} is given twice`);
    if (letter === 'i') flags |= RE2JS.CASE_INSENSITIVE;
    else if (letter === 'm') flags |= RE2JS.MULTILINE;
    else if (letter === 's') flags |= RE2JS.DOTALL;
    else if (letter === 'u') unicode = true;
    else if (letter === 'y') sticky = true;
    else if (letter !== 'g' && letter !== 'd') return refuse(`the flag ${letter} is not supported`);
  }
  const translated = toRe2Syntax(pattern, unicode);
  if (typeof translated !== 'string') return refuse(translated.refused);
  try {
    // Sticky from index 0, as a fresh RegExp's test is: anchored at the start of the text.
    const engine = RE2JS.compile(sticky ? `\\A(?:${translated})` : translated, flags);
    return { source: filter, test: (relativePath) => engine.test(relativePath) };
  } catch (error) {
    return refuse(`the linear-time engine cannot run it (${error instanceof Error ? error.message : String(error)})`);
  }
}

/**
 * JavaScript's pattern syntax → RE2's, where the two differ and the meaning can
 * be kept: `\uXXXX` (and `\u{X}` with the u flag) become `\x{…}`. A backreference
 * (`\1`, `\k<name>`) is refused here, because RE2 would read it otherwise;
 * everything RE2 lacks beyond that (lookaround, `[^]`) it refuses itself.
 */
function toRe2Syntax(pattern: string, unicode: boolean): string | { refused: string } {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c !== '\\') {
      out += c;
      continue;
    }
    const next = pattern[i + 1] ?? '';
    if (next === 'u') {
      const four = /^[0-9A-Fa-f]{4}/.exec(pattern.slice(i + 2));
      const braced = unicode ? /^\{([0-9A-Fa-f]{1,6})\}/.exec(pattern.slice(i + 2)) : null;
      if (four) {
        out += `\\x{${four[0]}}`;
        i += 5;
      } else if (braced) {
        out += `\\x{${braced[1]}}`;
        i += 1 + braced[0].length;
      } else {
        return { refused: 'a \\u escape the linear-time engine cannot read' };
      }
      continue;
    }
    if (next === 'k' || /[1-9]/.test(next)) return { refused: 'backreferences need a backtracking engine' };
    out += c + next;
    i++;
  }
  return out;
}

/** Whether Obsidian's "excluded files" setting hides this path from suggestions. */
export function isUserIgnored(config: VaultConfig, relativePath: string): boolean {
  if (config.userIgnoreFilters.length === 0) return false;
  return compiledFilters(config.userIgnoreFilters).some((filter) => filter.test(relativePath));
}

/** The folder a new note created from a link in `fromFolder` goes to. */
export function newNoteFolder(config: VaultConfig, fromFolder: string): string {
  switch (config.newFileLocation) {
    case 'current':
      return fromFolder;
    case 'folder':
      return config.newFileFolderPath;
    default:
      return '';
  }
}

/** The folder new attachments of a note in `fromFolder` go to; the vault root when the setting would leave the vault. */
export function attachmentFolder(config: VaultConfig, fromFolder: string): string {
  const setting = attachmentFolderSetting(config.attachmentFolderPath);
  if (!setting) return '';
  if (setting.kind === 'fixed') return setting.folder;
  return containedRelativePath([fromFolder, setting.below].filter(Boolean).join('/')) ?? '';
}

/**
 * `attachmentFolderPath` read as Obsidian does: `/` (or nothing) the vault root,
 * `./` the note's folder and `./sub` below it, anything else a folder of the
 * vault. Undefined when a fixed folder is outside the vault: it climbs out or
 * is absolute elsewhere (`../x`, `C:\x`, `~/x`). Whether a `./` form with `..`
 * stays inside depends on the note's folder: attachmentFolder checks it.
 */
function attachmentFolderSetting(value: string): { kind: 'fixed'; folder: string } | { kind: 'relative'; below: string } | undefined {
  const setting = value.trim();
  if (setting === '' || setting === '/') return { kind: 'fixed', folder: '' };
  if (setting === './' || setting === '.') return { kind: 'relative', below: '' };
  if (setting.startsWith('./')) return { kind: 'relative', below: setting.slice(2).replace(/\/+$/, '') };
  const folder = containedRelativePath(setting);
  return folder === undefined ? undefined : { kind: 'fixed', folder };
}
