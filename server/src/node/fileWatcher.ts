import { watch, type FSWatcher } from 'chokidar';
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import type { FileEvent } from '../service/indexer';
import { createVaultPathFilter } from '../core/vaultScanner';

/** Quiet time that gathers a burst of changes (a `git pull`, a sync) into one batch. */
const BATCH_MS = 50;

export interface VaultWatcher {
  close(): Promise<void>;
}

/**
 * The server's own watch on a vault folder, for clients that cannot watch
 * files for it (Neovim on Linux offers no `didChangeWatchedFiles`). Hidden
 * folders, `node_modules` and the exclude globs are not watched; symbolic
 * links are not followed (they could lead outside the vault). Events come in
 * batches, as a client's `didChangeWatchedFiles` would bring them.
 */
export function watchVault(rootUri: string, exclude: () => readonly string[], onEvents: (events: FileEvent[]) => void, onError: (message: string) => void): VaultWatcher {
  const root = URI.parse(rootUri).fsPath;
  let pending: FileEvent[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  const push = (file: string, deleted: boolean) => {
    pending.push({ uri: URI.file(file).toString(), deleted });
    timer ??= setTimeout(() => {
      timer = undefined;
      const events = pending;
      pending = [];
      onEvents(events);
    }, BATCH_MS);
  };
  let filter = { globs: exclude(), test: createVaultPathFilter(exclude()) };
  const ignored = (file: string) => {
    const relative = path.relative(root, file);
    if (relative === '' || relative.startsWith('..')) return false;
    if (filter.globs !== exclude()) filter = { globs: exclude(), test: createVaultPathFilter(exclude()) };
    return filter.test(relative.split(path.sep).join('/'));
  };
  const watcher: FSWatcher = watch(root, { ignoreInitial: true, followSymlinks: false, ignored, awaitWriteFinish: false, persistent: true });
  watcher.on('add', (file) => push(file, false));
  watcher.on('change', (file) => push(file, false));
  watcher.on('unlink', (file) => push(file, true));
  watcher.on('addDir', (folder) => push(folder, false));
  watcher.on('unlinkDir', (folder) => push(folder, true));
  watcher.on('error', (error) => onError(`Watching ${root} failed: ${error instanceof Error ? error.message : String(error)}`));
  return {
    close: async () => {
      if (timer) clearTimeout(timer);
      await watcher.close();
    },
  };
}
