import type { IndexedNote, VaultIndex } from '../core/vaultIndex';
import { isTagName, tagAndParents, tagKey, type ITagLookup, type TagSummary } from '../features/tagNames';
import type { IDerivedIndex, IndexChangeEvent } from './derivedIndexes';

export type { TagSummary } from '../features/tagNames';

interface TagEntry {
  /** Note (relative path) → mentions in it. */
  readonly notes: Map<string, number>;
  /** Spelling → mentions with it. */
  readonly spellings: Map<string, number>;
  mentions: number;
}

interface VaultTags {
  readonly tags: Map<string, TagEntry>;
  /** Bumped on every change: lets searches cache what they build from the tags. */
  version: number;
}

/** The tag names the note writes, inline and in front matter, one per mention. */
function tagNamesOf(note: IndexedNote): string[] {
  return [...note.parsed.tags.map((tag) => tag.name), ...(note.parsed.frontMatter?.tags ?? [])];
}

/** Every tag the note uses, inline and in front matter, parents included: spelling → mentions. */
function tagsOfNote(note: IndexedNote | undefined): Map<string, number> {
  const counts = new Map<string, number>();
  if (!note) return counts;
  for (const name of tagNamesOf(note)) {
    if (!isTagName(name)) continue;
    for (const spelling of tagAndParents(name)) counts.set(spelling, (counts.get(spelling) ?? 0) + 1);
  }
  return counts;
}

/**
 * Tag → notes using it and counts, per vault, kept from each note's entry
 * before and after a change (never by a scan per request). A nested tag counts
 * for its parents too: `#a/b` is a mention of `a`.
 */
export class TagIndex implements IDerivedIndex, ITagLookup {
  readonly #vaults = new Map<VaultIndex, VaultTags>();

  fileChanged(event: IndexChangeEvent): void {
    if (!event.before && !event.after) return;
    const vault = this.#vaultTags(event.vault);
    const path = event.file.relativePath;
    const before = tagsOfNote(event.before);
    const after = tagsOfNote(event.after);
    if (before.size === 0 && after.size === 0) return;
    // The note's path is the same before and after (a move is a removal and an addition).
    for (const [spelling, count] of before) this.#add(vault, event.before!.file.relativePath, spelling, -count);
    for (const [spelling, count] of after) this.#add(vault, path, spelling, count);
    vault.version++;
  }

  vaultReset(vault: VaultIndex): void {
    const fresh: VaultTags = { tags: new Map(), version: (this.#vaults.get(vault)?.version ?? 0) + 1 };
    this.#vaults.set(vault, fresh);
    // The same few hundred spellings recur across the vault's notes: each one's test, parents and keys are
    // worked out once per reset, not once per mention (72 ms of one turn at 10,000 notes, before).
    const expansions = new Map<string, ReadonlyArray<readonly [spelling: string, key: string]>>();
    const expand = (name: string) => {
      let found = expansions.get(name);
      if (!found) expansions.set(name, (found = isTagName(name) ? tagAndParents(name).map((spelling) => [spelling, tagKey(spelling)] as const) : []));
      return found;
    };
    for (const note of vault.notes()) {
      for (const name of tagNamesOf(note)) for (const [spelling, key] of expand(name)) this.#addKeyed(fresh, note.file.relativePath, spelling, key, 1);
    }
  }

  vaultRemoved(vault: VaultIndex): void {
    this.#vaults.delete(vault);
  }

  /** Changes whenever the vault's tags do. */
  version(vault: VaultIndex): number {
    return this.#vaults.get(vault)?.version ?? 0;
  }

  /** Every tag of the vault (parents of nested tags included), by key. */
  tags(vault: VaultIndex): TagSummary[] {
    const out: TagSummary[] = [];
    for (const [key, entry] of this.#vaults.get(vault)?.tags ?? []) out.push(summaryOf(key, entry));
    return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  /** One tag, by any spelling; undefined when no note uses it. */
  tag(vault: VaultIndex, name: string): TagSummary | undefined {
    const key = tagKey(name);
    const entry = this.#vaults.get(vault)?.tags.get(key);
    return entry && summaryOf(key, entry);
  }

  /** The notes (relative paths) that use the tag or one nested under it, in path order. */
  notesWith(vault: VaultIndex, name: string): string[] {
    const entry = this.#vaults.get(vault)?.tags.get(tagKey(name));
    return entry ? [...entry.notes.keys()].sort() : [];
  }

  #vaultTags(vault: VaultIndex): VaultTags {
    let tags = this.#vaults.get(vault);
    if (!tags) this.#vaults.set(vault, (tags = { tags: new Map(), version: 0 }));
    return tags;
  }

  #add(vault: VaultTags, path: string, spelling: string, count: number): void {
    this.#addKeyed(vault, path, spelling, tagKey(spelling), count);
  }

  #addKeyed(vault: VaultTags, path: string, spelling: string, key: string, count: number): void {
    let entry = vault.tags.get(key);
    if (!entry) vault.tags.set(key, (entry = { notes: new Map(), spellings: new Map(), mentions: 0 }));
    entry.mentions += count;
    const inNote = (entry.notes.get(path) ?? 0) + count;
    if (inNote > 0) entry.notes.set(path, inNote);
    else entry.notes.delete(path);
    const written = (entry.spellings.get(spelling) ?? 0) + count;
    if (written > 0) entry.spellings.set(spelling, written);
    else entry.spellings.delete(spelling);
    if (entry.notes.size === 0) vault.tags.delete(key);
  }
}

function summaryOf(key: string, entry: TagEntry): TagSummary {
  let name = key;
  let best = 0;
  for (const [spelling, count] of entry.spellings) {
    if (count > best || (count === best && spelling < name)) {
      name = spelling;
      best = count;
    }
  }
  return { key, name, noteCount: entry.notes.size, mentionCount: entry.mentions };
}
