import * as path from 'node:path';
import { URI } from 'vscode-uri';
import { isLexicallyInside } from '../core/containment';
import { findVaultRoot } from '../core/vaultRoot';
import { createVaultService, type VaultService, type VaultSettings } from '../index';
import { readSettings } from '../lsp/settings';
import { createNodeHosting } from '../node/hosting';
import { NodeFileSystem } from '../node/nodeFileSystem';
import { pathKind } from '../node/vaultFiles';
import { UsageError } from './args';
import { CONFIG_FILE, parseConfigFile } from './configFile';

/** What the CLI's commands share: the process's streams and where it runs. */
export interface CliIo {
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  /** Whether stderr is a terminal (then a long index shows its progress there). */
  readonly stderrIsTTY: boolean;
  out(text: string): void;
  err(text: string): void;
}

/** One vault to open, and what of it the command line asked for. */
export interface VaultTarget {
  readonly rootUri: string;
  /** Every note (a folder was given), or only `notes`. */
  readonly whole: boolean;
  /** Notes given as files, by file URI, in command-line order. */
  readonly notes: readonly string[];
}

/**
 * The vaults of the command line's paths, in the order given: a folder is a
 * vault; a note belongs to the nearest folder above it holding `.obsidian/`,
 * else to the current folder when it is inside it, else to its own folder.
 * A path that does not exist, or a file that is not a note, is a UsageError.
 */
export async function resolveTargets(paths: readonly string[], io: CliIo): Promise<VaultTarget[]> {
  const fileSystem = new NodeFileSystem();
  const cwdUri = URI.file(io.cwd).toString();
  const targets = new Map<string, { whole: boolean; notes: string[] }>();
  const target = (rootUri: string) => {
    let found = targets.get(rootUri);
    if (!found) targets.set(rootUri, (found = { whole: false, notes: [] }));
    return found;
  };
  for (const given of paths.length ? paths : ['.']) {
    const absolute = path.resolve(io.cwd, given);
    const kind = await pathKind(absolute);
    if (kind === 'missing') throw new UsageError(`no such folder or note: ${given}`);
    if (kind === 'other') throw new UsageError(`${given} is neither a folder nor a note`);
    const uri = URI.file(absolute).toString();
    if (kind === 'folder') {
      target(uri).whole = true;
      continue;
    }
    if (!/\.md$/i.test(absolute)) throw new UsageError(`${given} is not a note (a .md file)`);
    const { rootUri, marked } = await findVaultRoot(fileSystem, uri);
    const root = marked ? rootUri : isLexicallyInside(cwdUri, uri) ? cwdUri : rootUri;
    const notes = target(root).notes;
    if (!notes.includes(uri)) notes.push(uri);
  }
  return [...targets].map(([rootUri, { whole, notes }]) => ({ rootUri, whole, notes }));
}

export interface OpenOptions {
  /** More globs to leave out (--exclude), beside the vault's own. */
  readonly exclude?: readonly string[];
  readonly cache?: boolean;
}

/** A vault's service, with the settings of its `.vaultlink.json` (and --exclude); not yet indexed. */
export async function openVault(rootUri: string, io: CliIo, options: OpenOptions = {}): Promise<{ service: VaultService; settings: VaultSettings }> {
  const fileSystem = new NodeFileSystem();
  const configUri = `${rootUri}/${CONFIG_FILE}`;
  let text: string | undefined;
  try {
    text = new TextDecoder().decode(await fileSystem.readFile(configUri));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') throw new UsageError(`${displayPath(configUri, io)} cannot be read: ${error instanceof Error ? error.message : String(error)}`);
  }
  const fromFile = readSettings(parseConfigFile(text, displayPath(configUri, io)), undefined);
  const settings: VaultSettings = { ...fromFile, exclude: [...fromFile.exclude, ...(options.exclude ?? [])] };
  // Parser threads as the language server has them (dist/cli/noteWorker.js beside the bundle; without it, parsing here).
  const hosting = createNodeHosting(fileSystem, io.env);
  const service = createVaultService({
    fileSystem,
    settings,
    noteSource: hosting.noteSource,
    parseCache: options.cache ? hosting.parseCacheFor(undefined) : undefined,
    logger: { log: (message) => io.err(`vaultlink: ${message}\n`) },
  });
  service.setRoots([rootUri]);
  return { service, settings };
}

/** A file URI as the user sees it: relative to the current folder. */
export function displayPath(uri: string, io: CliIo): string {
  const file = URI.parse(uri).fsPath;
  return path.relative(io.cwd, file) || '.';
}

/** Notes indexed so far, on one line of stderr that rewrites itself (only on a terminal, for a large vault). */
export function progressLine(io: CliIo): { report: (done: number, total: number) => void; end: () => void } {
  let shown = false;
  let last = 0;
  return {
    report: (done, total) => {
      if (!io.stderrIsTTY || total < 2000) return;
      const now = Date.now();
      if (now - last < 100 && done < total) return;
      last = now;
      shown = true;
      io.err(`\rvaultlink: indexing ${done.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} files…`);
    },
    end: () => {
      if (shown) io.err('\r\x1b[2K');
      shown = false;
    },
  };
}
