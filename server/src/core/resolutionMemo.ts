import { resolvePath } from './linkResolver';
import { dirname } from './names';
import type { NoteLink } from './types';
import type { VaultFile, VaultIndex } from './vaultIndex';

/**
 * Which file a link's path opens, for one request that resolves many links (find
 * references to a note with thousands of backlinks): each distinct path is
 * resolved once. A wiki path that is neither absolute nor relative and matches
 * at most one file opens that file from every folder; any other path depends on
 * the linking note's folder, which then joins the key. Valid only while the
 * index does not change.
 */
export function createFileResolutionMemo(vault: VaultIndex): (from: VaultFile, link: NoteLink) => VaultFile | undefined {
  const fromAnywhere = new Map<string, VaultFile | undefined>();
  const fromFolder = new Map<string, VaultFile | undefined>();
  return (from, link) => {
    // Only folder-free wiki paths are kept here: a hit needs no other test.
    if (link.kind === 'wiki') {
      const file = fromAnywhere.get(link.path);
      if (file !== undefined || fromAnywhere.has(link.path)) return file;
    }
    const folderFree = link.kind === 'wiki' && !RELATIVE_OR_ABSOLUTE.test(link.path);
    const key = `${dirname(from.pathKey)}\0${link.kind}\0${link.path}`;
    if (fromFolder.has(key)) return fromFolder.get(key);
    const { file, candidates } = resolvePath(vault, from, link.path, link.kind);
    if (folderFree && candidates.length <= 1) fromAnywhere.set(link.path, file);
    else fromFolder.set(key, file);
    return file;
  };
}

const RELATIVE_OR_ABSOLUTE = /^\s*\.{0,2}\//;
