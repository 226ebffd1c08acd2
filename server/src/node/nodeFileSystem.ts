import { lstatSync, promises as fs, readlinkSync, realpathSync } from 'node:fs';
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import { FileKind, type IFileSystem } from '../core/workspace';

/** Symbolic links followed while resolving one path before it counts as a loop (Linux's own limit). */
const MAX_LINKS = 40;

/** The real disk, for the language server and the CLI. The only place `node:fs` is used. */
export class NodeFileSystem implements IFileSystem {
  async readDirectory(uri: string): Promise<Array<[string, FileKind]>> {
    const entries = await fs.readdir(toPath(uri), { withFileTypes: true });
    return entries.map((entry) => [entry.name, entry.isSymbolicLink() ? FileKind.SymbolicLink : entry.isDirectory() ? FileKind.Directory : entry.isFile() ? FileKind.File : 0 as FileKind]);
  }

  async readFile(uri: string): Promise<Uint8Array> {
    return fs.readFile(toPath(uri));
  }

  async realPath(uri: string): Promise<string> {
    return URI.file(await realPathOf(toPath(uri))).toString();
  }
}

/**
 * `fs.realpath`, also for a path that does not exist yet: its deepest existing
 * folder resolved, the rest appended. A dangling symbolic link resolves to
 * where it points (creating the file would create it there).
 */
export async function realPathOf(file: string): Promise<string> {
  let links = 0;
  const resolve = async (target: string): Promise<string> => {
    try {
      return await fs.realpath(target);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw error;
    }
    const stat = await fs.lstat(target).catch(() => undefined);
    if (stat?.isSymbolicLink()) {
      if (++links > MAX_LINKS) throw Object.assign(new Error(`ELOOP: too many symbolic links: ${file}`), { code: 'ELOOP' });
      return resolve(path.resolve(path.dirname(target), await fs.readlink(target)));
    }
    const parent = path.dirname(target);
    if (parent === target) return target;
    return path.join(await resolve(parent), path.basename(target));
  };
  // Not path.resolve: that would take `link/..` lexically, where the disk goes through the link.
  return resolve(path.isAbsolute(file) ? file : path.resolve(file));
}

/** realPathOf, synchronously: for the few checks made once per index (the parse cache's folder). */
export function realPathOfSync(file: string): string {
  let links = 0;
  const resolve = (target: string): string => {
    try {
      return realpathSync.native(target);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw error;
    }
    const stat = lstatSync(target, { throwIfNoEntry: false });
    if (stat?.isSymbolicLink()) {
      if (++links > MAX_LINKS) throw Object.assign(new Error(`ELOOP: too many symbolic links: ${file}`), { code: 'ELOOP' });
      return resolve(path.resolve(path.dirname(target), readlinkSync(target)));
    }
    const parent = path.dirname(target);
    if (parent === target) return target;
    return path.join(resolve(parent), path.basename(target));
  };
  return resolve(path.isAbsolute(file) ? file : path.resolve(file));
}

function toPath(uri: string): string {
  const parsed = URI.parse(uri);
  if (parsed.scheme !== 'file') throw new Error(`Only file: URIs can be read from disk, not ${parsed.scheme}:`);
  return parsed.fsPath;
}
