import { URI, Utils } from 'vscode-uri';
import { FileKind, type IFileSystem } from './workspace';

/** Folders looked at above a note for its vault's `.obsidian/`. */
const MAX_LEVELS = 32;

/**
 * The vault a loose note (opened with no workspace folder) belongs to: the
 * nearest folder above it holding `.obsidian/`, as Obsidian marks a vault; else
 * the note's own folder.
 */
export async function findVaultRoot(fs: IFileSystem, noteUri: string): Promise<{ rootUri: string; marked: boolean }> {
  const own = Utils.dirname(URI.parse(noteUri));
  let folder = own;
  for (let level = 0; level < MAX_LEVELS; level++) {
    try {
      const entries = await fs.readDirectory(folder.toString());
      if (entries.some(([name, kind]) => name === '.obsidian' && kind === FileKind.Directory)) return { rootUri: folder.toString(), marked: true };
    } catch {
      // An unreadable folder above: keep looking higher.
    }
    const parent = Utils.dirname(folder);
    if (parent.path === folder.path) break;
    folder = parent;
  }
  return { rootUri: own.toString(), marked: false };
}
