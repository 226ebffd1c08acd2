import { resolvePath } from './linkResolver';
import { dirname } from './names';
import type { VaultConfig } from './vaultConfig';
import type { VaultFile, VaultIndex } from './vaultIndex';

/**
 * The path Vaultlink writes into a new wiki link to `file` from a note in `from`,
 * in the vault's chosen format (Obsidian's `newLinkFormat`). Notes lose `.md`.
 */
export function wikiLinkPath(vault: VaultIndex, from: VaultFile, file: VaultFile, format: VaultConfig['newLinkFormat'] = vault.config.newLinkFormat): string {
  const path = file.isNote ? file.relativePath.slice(0, -3) : file.relativePath;
  if (format === 'absolute') return path;
  if (format === 'relative') return relativePath(dirname(from.relativePath), path);
  const segments = path.split('/');
  for (let take = 1; take < segments.length; take++) {
    const candidate = segments.slice(segments.length - take).join('/');
    const resolved = resolvePath(vault, from, candidate);
    // Unambiguous, not merely what Obsidian would pick: no "ambiguous link" notice follows.
    if (resolved.file === file && resolved.candidates.length === 1) return candidate;
  }
  return path;
}

/**
 * The destination of a new markdown link to `file`, as Obsidian writes one when
 * "use [[wiki links]]" is off: the path in the vault's link format, `.md` kept,
 * spaces and the characters that would end or split a link percent-encoded,
 * other letters (Korean) left readable.
 */
export function obsidianMarkdownPath(vault: VaultIndex, from: VaultFile, file: VaultFile): string {
  const path = wikiLinkPath(vault, from, file);
  return encodeMarkdownDestination(file.isNote ? `${path}.md` : path);
}

/**
 * Percent-encodes what a markdown link destination (a path or a heading
 * fragment) cannot hold as is: whitespace, `%`, brackets and parentheses, `#`,
 * `^`, `|`, `<`, `>`. The one encoder for every markdown link Vaultlink writes.
 */
export function encodeMarkdownDestination(text: string): string {
  return text.replace(/[\s%()[\]#^|<>]/g, (char) => encodeURIComponent(char).replace(/[()]/g, (paren) => `%${paren.charCodeAt(0).toString(16).toUpperCase()}`));
}

/** A markdown link destination from a note in `from` to the vault path `to`: relative, `.md` kept, encoded as every markdown link Vaultlink writes. */
export function markdownLinkPath(from: VaultFile, to: string): string {
  return encodeMarkdownDestination(relativePath(dirname(from.relativePath), to));
}

/** `to` relative to the folder `fromFolder`, both vault-relative. */
export function relativePath(fromFolder: string, to: string): string {
  const from = fromFolder ? fromFolder.split('/') : [];
  const target = to.split('/');
  let common = 0;
  while (common < from.length && common < target.length - 1 && from[common] === target[common]) common++;
  const up = from.slice(common).map(() => '..');
  const rest = target.slice(common);
  return [...up, ...rest].join('/');
}
