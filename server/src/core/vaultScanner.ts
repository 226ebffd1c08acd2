import picomatch from 'picomatch';
import { URI, Utils } from 'vscode-uri';
import { FileKind, neverCancelled, type ICancellationToken, type IFileSystem } from './workspace';

/** Folders every tool of Obsidian's kind leaves out of a vault, besides the hidden ones. */
export const ALWAYS_EXCLUDED_FOLDERS = ['node_modules'];

/**
 * Whether a file or folder name keeps it out of the vault. Obsidian indexes
 * nothing whose name starts with `.` (`.git`, `.obsidian`, `.trash`, `.github`,
 * `.draft.md`): such notes are neither checked nor link targets, and a checker
 * that reads them reports `.github/` templates' links as broken.
 */
export function isAlwaysExcludedName(name: string): boolean {
  return name.startsWith('.') || ALWAYS_EXCLUDED_FOLDERS.includes(name);
}

export interface ScanOptions {
  /** Globs relative to the vault root (VS Code's `files.exclude` and Vaultlink's own). */
  readonly exclude: readonly string[];
  /** How many folders are read at once: bounded, so huge vaults do not exhaust file handles. */
  readonly concurrency?: number;
  readonly token?: ICancellationToken;
  /** Stop listing after this many files (a loose note's folder may be a whole home folder). */
  readonly maxFiles?: number;
}

export interface ScanResult {
  /** Vault-relative paths of every file found. */
  readonly files: string[];
  /** Folders that could not be read (vanished mid-scan, no permission), with why. */
  readonly problems: string[];
}

export function createExcludeMatcher(exclude: readonly string[]): (relativePath: string) => boolean {
  const globs = exclude.filter((glob) => glob.trim() !== '');
  if (globs.length === 0) return () => false;
  // `files.exclude` globs like `**/.DS_Store` match at any depth; plain names match a folder anywhere.
  const matcher = picomatch(globs.flatMap((glob) => (glob.includes('/') ? [glob] : [glob, `**/${glob}`])), { dot: true });
  return (relativePath) => matcher(relativePath);
}

/**
 * Whether a vault-relative path is left out of the index: it or a folder above
 * it is hidden or always excluded, or matches an exclude glob.
 * The scan prunes folders as it walks; file watcher events need the whole path checked.
 */
export function createVaultPathFilter(exclude: readonly string[]): (relativePath: string) => boolean {
  const isExcluded = createExcludeMatcher(exclude);
  return (relativePath) => {
    const segments = relativePath.split('/');
    let path = '';
    for (const segment of segments) {
      path = path ? `${path}/${segment}` : segment;
      if (isAlwaysExcludedName(segment) || isExcluded(path)) return true;
    }
    return false;
  };
}

/** Lists every file under a vault root, skipping hidden and excluded files and folders, and symbolic links. */
export async function scanVault(fs: IFileSystem, rootUri: string, options: ScanOptions): Promise<ScanResult> {
  const isExcluded = createExcludeMatcher(options.exclude);
  const token = options.token ?? neverCancelled;
  const root = URI.parse(rootUri);
  const files: string[] = [];
  const problems: string[] = [];
  const limit = createLimiter(Math.max(1, options.concurrency ?? 16));

  const maxFiles = options.maxFiles ?? Number.POSITIVE_INFINITY;
  let capped = false;
  async function walk(relative: string): Promise<void> {
    if (token.isCancellationRequested || capped) return;
    let entries: Array<[string, FileKind]>;
    try {
      entries = await limit(() => fs.readDirectory(relative ? Utils.joinPath(root, ...relative.split('/')).toString() : rootUri));
    } catch (error) {
      problems.push(`${relative || '.'}: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    const folders: string[] = [];
    for (const [name, kind] of entries) {
      const path = relative ? `${relative}/${name}` : name;
      if ((kind & FileKind.SymbolicLink) !== 0 || isAlwaysExcludedName(name)) continue;
      if (kind === FileKind.Directory) {
        if (!isExcluded(path)) folders.push(path);
      } else if (kind === FileKind.File && !isExcluded(path)) {
        if (files.length >= maxFiles) {
          capped = true;
          break;
        }
        files.push(path);
      }
    }
    await Promise.all(folders.map(walk));
  }

  await walk('');
  if (capped) problems.push(`.: more than ${maxFiles} files; the rest were not listed`);
  files.sort();
  return { files, problems };
}

/** Runs at most `concurrency` tasks at once; the rest wait in order. */
export function createLimiter(concurrency: number): <T>(task: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: Array<() => void> = [];
  return async (task) => {
    if (running >= concurrency) await new Promise<void>((resolve) => waiting.push(resolve));
    running++;
    try {
      return await task();
    } finally {
      running--;
      waiting.shift()?.();
    }
  };
}
