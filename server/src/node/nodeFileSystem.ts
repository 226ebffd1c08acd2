import { promises as fs } from 'node:fs';
import { URI } from 'vscode-uri';
import { FileKind, type IFileSystem } from '../core/workspace';

/** The real disk, for the language server and the CLI. The only place `node:fs` is used. */
export class NodeFileSystem implements IFileSystem {
  async readDirectory(uri: string): Promise<Array<[string, FileKind]>> {
    const entries = await fs.readdir(toPath(uri), { withFileTypes: true });
    return entries.map((entry) => [entry.name, entry.isSymbolicLink() ? FileKind.SymbolicLink : entry.isDirectory() ? FileKind.Directory : entry.isFile() ? FileKind.File : 0 as FileKind]);
  }

  async readFile(uri: string): Promise<Uint8Array> {
    return fs.readFile(toPath(uri));
  }
}

function toPath(uri: string): string {
  const parsed = URI.parse(uri);
  if (parsed.scheme !== 'file') throw new Error(`Only file: URIs can be read from disk, not ${parsed.scheme}:`);
  return parsed.fsPath;
}
