import { createHash } from 'node:crypto';
import { promises as fs, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import { isLexicallyInside } from '../core/containment';
import type { IParseCacheFile, IParseCacheReader, IParseCacheStorage } from '../core/parseCache';
import { realPathOfSync } from './nodeFileSystem';

/** Cache files nobody has written for this long belong to vaults long gone: removed on the next save. */
const FORGET_AFTER_MS = 30 * 24 * 60 * 60 * 1000;

/**
 * A temporary file nobody has written for this long is left over, whoever its
 * writer was (a live one adds to it each megabyte of parses, seconds apart while
 * it indexes): this catches a writer whose process id was reused since.
 */
const TEMPORARY_IDLE_MS = 60 * 60 * 1000;

/** The temporary files this process is writing: no storage of this process takes them for leftovers. */
const writing = new Set<string>();

/**
 * The parse cache on disk: one file per vault root, named by a hash of the
 * root's URI, in a folder of the user's cache directory (or the one the client
 * asked for). Never in the vault: VaultService refuses a cache folder inside a
 * workspace folder (`isInsideFolder`, on real paths: a vault opened through a
 * symbolic link, or a cache folder that is a link into a vault, count), and
 * this storage itself neither reads nor writes the cache of a vault its folder
 * is inside. Files are written to a temporary name and renamed, so a crash
 * leaves the old cache or the new one, never half of one; the temporary file a
 * killed process leaves (`<cache>.<pid>.<ms>.tmp`) is removed at the next start,
 * once its process is gone (another window's, still writing, is left alone).
 */
export class FileParseCacheStorage implements IParseCacheStorage {
  readonly #directory: string;
  readonly codeVersion: string;
  /** Temporary files left over, swept at the first open (a start with nothing to write opens, never creates). */
  #swept: Promise<void> | undefined;

  constructor(directory: string, codeVersion: string) {
    this.#directory = path.resolve(directory);
    this.codeVersion = codeVersion;
  }

  get directoryUri(): string {
    return URI.file(this.#directory).toString();
  }

  isInsideFolder(folderUri: string): boolean {
    const folder = URI.parse(folderUri);
    if (folder.scheme !== 'file') return false;
    let real: { directory: string; folder: string };
    try {
      real = { directory: realPathOfSync(this.#directory), folder: realPathOfSync(folder.fsPath) };
    } catch {
      // Unresolvable (a link loop, no permission): the safe answer is that it may be inside.
      return true;
    }
    // Every pairing: the spelled paths (as before) and the real ones, on disk.
    const directories = [this.#directory, real.directory].map((directory) => URI.file(directory).toString());
    const folders = [folder.fsPath, real.folder].map((path_) => URI.file(path_).toString());
    return directories.some((directory) => folders.some((root) => isLexicallyInside(root, directory)));
  }

  #fileFor(rootUri: string): string {
    return path.join(this.#directory, `${createHash('sha256').update(rootUri).digest('hex').slice(0, 32)}.cache`);
  }

  async open(rootUri: string): Promise<IParseCacheReader | undefined> {
    if (this.isInsideFolder(rootUri)) return undefined;
    await (this.#swept ??= this.#forgetOldFiles(true));
    let handle: fs.FileHandle;
    try {
      handle = await fs.open(this.#fileFor(rootUri), 'r');
    } catch {
      return undefined;
    }
    return {
      read: async (target) => (await handle.read(target, 0, target.length, null)).bytesRead,
      close: () => handle.close(),
    };
  }

  async create(rootUri: string): Promise<IParseCacheFile> {
    // Before anything touches the folder (forgetting old files deletes some).
    if (this.isInsideFolder(rootUri)) throw new Error(`the cache folder ${this.#directory} is inside the vault ${rootUri}`);
    await fs.mkdir(this.#directory, { recursive: true });
    await this.#forgetOldFiles();
    const target = this.#fileFor(rootUri);
    const temporary = `${target}.${process.pid}.${Date.now()}.tmp`;
    writing.add(temporary);
    let handle: fs.FileHandle;
    try {
      handle = await fs.open(temporary, 'w');
    } catch (error) {
      writing.delete(temporary);
      throw error;
    }
    let closed = false;
    const close = async () => {
      if (!closed) await handle.close();
      closed = true;
    };
    return {
      write: async (chunk) => {
        await handle.write(chunk);
      },
      commit: async () => {
        try {
          await close();
          await fs.rename(temporary, target);
        } finally {
          writing.delete(temporary);
        }
      },
      discard: async () => {
        try {
          await close();
          await fs.rm(temporary, { force: true });
        } finally {
          writing.delete(temporary);
        }
      },
    };
  }

  async #forgetOldFiles(temporariesOnly = false): Promise<void> {
    const now = Date.now();
    for (const name of await fs.readdir(this.#directory).catch(() => [] as string[])) {
      if ((temporariesOnly || !name.endsWith('.cache')) && !name.endsWith('.tmp')) continue;
      const file = path.join(this.#directory, name);
      const stat = await fs.stat(file).catch(() => undefined);
      if (!stat) continue;
      const idle = now - stat.mtimeMs;
      const leftOver = name.endsWith('.tmp') && (idle > TEMPORARY_IDLE_MS || writerGone(file));
      // Not removable (open elsewhere on Windows): left for the next time.
      if (idle > FORGET_AFTER_MS || leftOver) await fs.rm(file, { force: true }).catch(() => undefined);
    }
  }
}

/**
 * Whether the process that wrote a temporary file (the id in its name) is gone,
 * so nobody will rename or remove it: killed mid-write. This process's own files
 * are gone unless it is writing them now (an earlier process had its id).
 */
function writerGone(file: string): boolean {
  const match = /\.(\d+)\.\d+\.tmp$/.exec(file);
  if (!match) return false;
  const pid = Number(match[1]);
  if (pid === process.pid) return !writing.has(file);
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    // EPERM: alive, another user's.
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** The user's cache folder for Vaultlink: $XDG_CACHE_HOME/vaultlink, ~/.cache/vaultlink, or the platform's own. */
export function defaultCacheDirectory(): string {
  if (process.env.XDG_CACHE_HOME) return path.join(process.env.XDG_CACHE_HOME, 'vaultlink');
  if (process.platform === 'win32' && process.env.LOCALAPPDATA) return path.join(process.env.LOCALAPPDATA, 'vaultlink', 'Cache');
  if (process.platform === 'darwin') return path.join(os.homedir(), 'Library', 'Caches', 'vaultlink');
  return path.join(os.homedir(), '.cache', 'vaultlink');
}

/**
 * A fingerprint of the running code: a hash of the file this module was bundled
 * into (dist/server/main.js), so any change to the parser invalidates every
 * cache without anyone remembering to bump a version.
 */
export function codeFingerprint(file: string = __filename): string {
  try {
    return createHash('sha256').update(readFileSync(file)).digest('hex').slice(0, 16);
  } catch {
    // Unknown code: a fresh fingerprint per process, so no cache is ever trusted.
    return `unknown-${process.pid}-${Date.now()}`;
  }
}
