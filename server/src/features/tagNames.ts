import type { VaultIndex } from '../core/vaultIndex';

/** A tag's key: NFC, lowercased (Obsidian's tags are case-insensitive). */
export function tagKey(name: string): string {
  return name.normalize('NFC').toLowerCase();
}

/** The tag and each of its parents (`a/b/c` → `a`, `a/b`, `a/b/c`), as written. */
export function tagAndParents(name: string): string[] {
  const out: string[] = [];
  for (let i = name.indexOf('/'); i >= 0; i = name.indexOf('/', i + 1)) if (i > 0) out.push(name.slice(0, i));
  out.push(name);
  return out;
}

/** Whether a string is a tag name (letters, digits, `_-/`, not only digits and slashes). */
export function isTagName(name: string): boolean {
  return /^[\p{L}\p{N}\p{M}_\-/]+$/u.test(name) && !/^[\d/]+$/.test(name);
}

/** What the vault says of one tag (its nested tags included). */
export interface TagSummary {
  /** Case-folded key. */
  readonly key: string;
  /** The spelling written most often (ties: the first in code-unit order). */
  readonly name: string;
  /** Notes that use the tag or one nested under it. */
  readonly noteCount: number;
  /** Mentions of it or of a tag nested under it, front matter included. */
  readonly mentionCount: number;
}

/** What the tag features read of the tag index (service/tagIndex.ts). */
export interface ITagLookup {
  /** Changes whenever the vault's tags do. */
  version(vault: VaultIndex): number;
  /** Every tag of the vault (parents of nested tags included), in key order. */
  tags(vault: VaultIndex): TagSummary[];
  /** One tag, by any spelling; undefined when no note uses it. */
  tag(vault: VaultIndex, name: string): TagSummary | undefined;
  /** The notes (relative paths) that use the tag or one nested under it, in path order. */
  notesWith(vault: VaultIndex, name: string): string[];
}
