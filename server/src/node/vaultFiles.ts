import { promises as fs, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import { vaultPathOf } from '../core/containment';
import type { IFileSystem } from '../core/workspace';
import { NodeFileSystem } from './nodeFileSystem';

/**
 * The disk as the CLI needs it beyond reading notes: what a path on the command
 * line is, a note's text for `--fix`, and writing it back, only inside its vault.
 */

export type PathKind = 'folder' | 'file' | 'missing' | 'other';

/** What is at `file` (symbolic links followed, as a shell's argument would be). */
export async function pathKind(file: string): Promise<PathKind> {
  try {
    const stat = await fs.stat(file);
    return stat.isDirectory() ? 'folder' : stat.isFile() ? 'file' : 'other';
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return 'missing';
    throw error;
  }
}

/** A note's text as the indexer decoded it (UTF-8, a byte order mark set aside), and whether writing it back keeps every other byte. */
export interface NoteText {
  readonly text: string;
  readonly bom: boolean;
  /** False when the bytes are not valid UTF-8: writing the decoded text back would replace them. */
  readonly lossless: boolean;
}

const BOM = [0xef, 0xbb, 0xbf];

/**
 * Reads and writes notes of one vault. A write goes only to an existing file
 * that the vault's scanner would list: inside the vault on real paths (symbolic
 * links resolved, see core/containment.ts) and reached through no symbolic
 * link. Anything else is refused with why.
 */
export class VaultNoteFiles {
  readonly #fs: IFileSystem;

  constructor(
    readonly rootUri: string,
    fileSystem: IFileSystem = new NodeFileSystem(),
  ) {
    this.#fs = fileSystem;
  }

  async read(uri: string): Promise<NoteText> {
    const bytes = await this.#fs.readFile(uri);
    const bom = bytes.length >= 3 && BOM.every((byte, i) => bytes[i] === byte);
    const body = bom ? bytes.subarray(3) : bytes;
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(body);
    return { text, bom, lossless: Buffer.compare(Buffer.from(text, 'utf8'), body) === 0 };
  }

  /** Replaces the note's text; throws when the note is not a file of this vault. */
  async write(uri: string, note: NoteText): Promise<void> {
    let why = 'it is outside the vault';
    const inside = await vaultPathOf(this.#fs, this.rootUri, uri, (reason) => (why = reason));
    if (inside === undefined || inside === '') throw new Error(`refusing to write ${uri}: ${why}`);
    const file = URI.parse(uri).fsPath;
    const stat = await fs.lstat(file);
    if (!stat.isFile()) throw new Error(`refusing to write ${uri}: it is not a file`);
    const bytes = Buffer.from(note.text, 'utf8');
    await fs.writeFile(file, note.bom ? Buffer.concat([Buffer.from(BOM), bytes]) : bytes);
  }
}

/** The version in the package.json of the installed package (the folder above this bundle, or above the sources). */
export function packageVersion(from: string = __dirname): string {
  for (let folder = from, level = 0; level < 6; folder = path.dirname(folder), level++) {
    try {
      const manifest = JSON.parse(readFileSync(path.join(folder, 'package.json'), 'utf8')) as { name?: unknown; version?: unknown };
      if (manifest.name === 'vaultlink' && typeof manifest.version === 'string') return manifest.version;
    } catch {
      // No package.json here: look higher.
    }
    if (path.dirname(folder) === folder) break;
  }
  return 'unknown';
}
