import { CompletionItemKind, type CompletionItem, type CompletionList, type Position } from 'vscode-languageserver-types';
import { FuzzyIndex } from '../core/fuzzySearch';
import type { IndexedNote, VaultIndex } from '../core/vaultIndex';
import { tagAndParents, tagKey, type ITagLookup as TagIndex, type TagSummary } from './tagNames';

const TAG_CHAR = /[\p{L}\p{N}\p{M}_\-/]/u;
const TYPED_TAG = /(?:^|[\s\u00a0\u3000])#([\p{L}\p{N}\p{M}_\-/]*)$/u;

/** The tag being typed at `character`: what follows `#` up to the cursor, and the span a pick replaces. */
export function tagContextAt(lineText: string, character: number): { query: string; start: number; end: number } | undefined {
  const before = lineText.slice(0, character);
  const match = TYPED_TAG.exec(before);
  if (!match) return undefined;
  // Inside an inline code span: an odd number of backticks before.
  if ((before.match(/`/g)?.length ?? 0) % 2 === 1) return undefined;
  let end = character;
  while (end < lineText.length && TAG_CHAR.test(lineText[end])) end++;
  return { query: match[1], start: character - match[1].length, end };
}

/** Whether `line` of `text` is inside front matter or a fenced code block (a tag there is not one). */
export function lineInCodeOrFrontMatter(text: string, line: number): boolean {
  const lines = text.split(/\r\n|\r|\n/, line + 1);
  let fence: string | undefined;
  for (let i = 0; i < line && i < lines.length; i++) {
    const current = lines[i];
    if (i === 0 && current.trimEnd() === '---') {
      let close = 1;
      while (close < lines.length && !/^(---|\.\.\.)\s*$/.test(lines[close])) close++;
      if (close >= line) return true;
      i = close;
      continue;
    }
    const marker = /^ {0,3}(`{3,}|~{3,})/.exec(current)?.[1];
    if (!marker) continue;
    if (fence === undefined) fence = marker;
    else if (marker[0] === fence[0] && marker.length >= fence.length && current.trim() === marker) fence = undefined;
  }
  return fence !== undefined;
}

/** The tag search of one vault, built again only when its tags changed. */
const searches = new WeakMap<VaultIndex, { version: number; index: FuzzyIndex<TagSummary>; all: TagSummary[] }>();

function searchOf(vault: VaultIndex, tags: TagIndex): { index: FuzzyIndex<TagSummary>; all: TagSummary[] } {
  const version = tags.version(vault);
  const cached = searches.get(vault);
  if (cached && cached.version === version) return cached;
  // Most used first: the fuzzy search keeps this order among equal scores.
  const all = tags.tags(vault).sort((a, b) => b.noteCount - a.noteCount || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const index = new FuzzyIndex(all, [{ text: (tag) => tag.name, weight: 1 }]);
  const built = { version, index, all };
  searches.set(vault, built);
  return built;
}

/**
 * Completion of a tag after `#`: the vault's tags (nested ones by their path,
 * `a/b`), with how many notes use each, ranked by fuzzy match, then by use.
 */
export function provideTagCompletions(vault: VaultIndex, tags: TagIndex, note: IndexedNote, lineText: string, position: Position, maxItems: number): CompletionList | undefined {
  const context = tagContextAt(lineText, position.character);
  if (!context) return undefined;
  const { index, all } = searchOf(vault, tags);
  const uncounted = typedTagOnly(note, position.line, context.start - 1);
  const limit = maxItems + uncounted.size;
  const found = (context.query === '' ? all.slice(0, limit) : index.search(context.query, limit, { accept: () => true }))
    .map((tag) => (uncounted.has(tag.key) ? { ...tag, noteCount: tag.noteCount - 1 } : tag))
    .filter((tag) => tag.noteCount > 0)
    .slice(0, maxItems);
  const range = { start: { line: position.line, character: context.start }, end: { line: position.line, character: context.end } };
  const items = found.map(
    (tag, rank): CompletionItem => ({
      label: tag.name,
      kind: CompletionItemKind.Keyword,
      detail: `${tag.noteCount} ${tag.noteCount === 1 ? 'note' : 'notes'}`,
      sortText: String(rank).padStart(5, '0'),
      filterText: tag.name,
      textEdit: { range, newText: tag.name },
    }),
  );
  return { isIncomplete: found.length >= maxItems, items };
}

/**
 * The tags (keys) the note uses only through the tag being typed at `hash`
 * (as last parsed, a half-typed `#pro`): not counted for the note, so the
 * prefix being typed is not offered back as a tag of its own.
 */
function typedTagOnly(note: IndexedNote, line: number, hash: number): Set<string> {
  const typed = note.parsed.tags.find((tag) => tag.range.start.line === line && tag.range.start.character === hash);
  const keys = new Set<string>();
  if (!typed) return keys;
  const others = [...note.parsed.tags.filter((tag) => tag !== typed).map((tag) => tag.name), ...(note.parsed.frontMatter?.tags ?? [])].map(tagKey);
  for (const part of tagAndParents(typed.name)) {
    const key = tagKey(part);
    if (!others.some((other) => other === key || other.startsWith(`${key}/`))) keys.add(key);
  }
  return keys;
}
