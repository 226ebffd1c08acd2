import type { Location, Position, Range, TextEdit, WorkspaceEdit } from 'vscode-languageserver-types';
import { LineIndex } from '../core/text';
import type { IndexedNote, VaultIndex } from '../core/vaultIndex';
import type { ICancellationToken } from '../core/workspace';
import { isTagName, tagAndParents, tagKey, type ITagLookup as TagIndex } from './tagNames';
import { RenameError } from './rename';

/** One tag written in a note: its name as written, and where the name (without `#`) is. */
export interface TagMentionAt {
  readonly name: string;
  readonly nameRange: Range;
  /** The whole mention: `#name` inline, the name alone in front matter. */
  readonly range: Range;
}

/** Reads a note's text (its open buffer, else the disk); undefined when it cannot be read. */
export type TextReader = (uri: string) => Promise<string | undefined> | string | undefined;

const TOKEN = /[^\s,[\]"'{}]+/g;
const KEY_LINE = /^([^\s:#-][^:]*?)\s*:(.*)$/;

/**
 * The tags of a note's front matter (`tags:` or `tag:`, as a list, a flow
 * list or a comma/space separated string) with their ranges in `text`; only
 * the names the YAML parse also found, so comments and other keys never count.
 */
export function frontMatterTagMentions(note: IndexedNote, text: string): TagMentionAt[] {
  const frontMatter = note.parsed.frontMatter;
  if (!frontMatter?.tags.length) return [];
  const parsed = new Set(frontMatter.tags.map(tagKey));
  const lines = new LineIndex(text);
  const found: TagMentionAt[] = [];
  let inTags = false;
  for (let line = frontMatter.range.start.line + 1; line < frontMatter.range.end.line && line < lines.lineCount; line++) {
    const lineText = lines.lineText(line);
    let valueStart: number;
    const key = KEY_LINE.exec(lineText);
    if (key && !/^\s/.test(lineText)) {
      inTags = /^["']?tags?["']?$/i.test(key[1]);
      valueStart = lineText.length - key[2].length;
    } else if (inTags && /^[\s-]/.test(lineText)) {
      valueStart = /^\s*(?:-\s+)?/.exec(lineText)![0].length;
    } else {
      inTags = false;
      continue;
    }
    if (!inTags) continue;
    const value = lineText.slice(valueStart);
    for (const match of value.matchAll(TOKEN)) {
      let start = valueStart + match.index;
      let name = match[0];
      if (name.startsWith('#')) {
        name = name.slice(1);
        start++;
      }
      if (!isTagName(name) || !parsed.has(tagKey(name))) continue;
      const range = { start: { line, character: start }, end: { line, character: start + name.length } };
      found.push({ name, nameRange: range, range });
    }
  }
  return found;
}

/** The note's inline tags as mentions. */
function inlineTagMentions(note: IndexedNote): TagMentionAt[] {
  return note.parsed.tags.map((tag) => ({
    name: tag.name,
    range: tag.range,
    nameRange: { start: { line: tag.range.start.line, character: tag.range.start.character + 1 }, end: tag.range.end },
  }));
}

function contains(range: Range, position: Position): boolean {
  const after = (a: Position, b: Position) => a.line > b.line || (a.line === b.line && a.character >= b.character);
  return after(position, range.start) && after(range.end, position);
}

/** The tag at `position`, inline or in front matter (`text` is the note's, for the latter); undefined when none. */
export function tagAt(note: IndexedNote, text: string | undefined, position: Position): TagMentionAt | undefined {
  const inline = inlineTagMentions(note).find((mention) => contains(mention.range, position));
  if (inline) return inline;
  const frontMatter = note.parsed.frontMatter;
  if (!text || !frontMatter || !contains(frontMatter.range, position)) return undefined;
  return frontMatterTagMentions(note, text).find((mention) => contains(mention.range, position));
}

/** Whether a mention of `name` is a mention of the tag `key` (itself or nested under it). */
function mentionsTag(name: string, key: string): boolean {
  const own = tagKey(name);
  return own === key || own.startsWith(`${key}/`);
}

/**
 * Every mention of the tag (nested tags under it included), inline and in
 * front matter, in the notes the tag index says use it; undefined when cancelled.
 */
export async function findTagMentions(vault: VaultIndex, tags: TagIndex, name: string, readText: TextReader, token: ICancellationToken): Promise<Array<{ note: IndexedNote; mention: TagMentionAt }> | undefined> {
  const key = tagKey(name);
  const found: Array<{ note: IndexedNote; mention: TagMentionAt }> = [];
  for (const path of tags.notesWith(vault, key)) {
    if (token.isCancellationRequested) return undefined;
    const note = vault.note(path);
    if (!note) continue;
    for (const mention of inlineTagMentions(note)) if (mentionsTag(mention.name, key)) found.push({ note, mention });
    if (note.parsed.frontMatter?.tags.some((tag) => mentionsTag(tag, key))) {
      const text = await readText(note.file.uri);
      if (text !== undefined) for (const mention of frontMatterTagMentions(note, text)) if (mentionsTag(mention.name, key)) found.push({ note, mention });
    }
  }
  found.sort((a, b) => (a.note.file.relativePath < b.note.file.relativePath ? -1 : a.note.file.relativePath > b.note.file.relativePath ? 1 : a.mention.range.start.line - b.mention.range.start.line || a.mention.range.start.character - b.mention.range.start.character));
  return token.isCancellationRequested ? undefined : found;
}

/** References to a tag: every mention of it or of a tag nested under it; undefined when cancelled. */
export async function provideTagReferences(vault: VaultIndex, tags: TagIndex, name: string, readText: TextReader, token: ICancellationToken): Promise<Location[] | undefined> {
  const found = await findTagMentions(vault, tags, name, readText, token);
  return found?.map(({ note, mention }) => ({ uri: note.file.uri, range: mention.range }));
}

/** What F2 renames on a tag: its name without `#` (the whole nested path). */
export function prepareTagRename(mention: TagMentionAt): { range: Range; placeholder: string } {
  return { range: mention.nameRange, placeholder: mention.name };
}

/**
 * Renames the tag `name` everywhere, nested tags too (`a` → `x` turns `a/b`
 * into `x/b`), front matter included; undefined when cancelled. Throws
 * `RenameError` for a name that is not a tag.
 */
export async function provideTagRename(vault: VaultIndex, tags: TagIndex, name: string, newName: string, readText: TextReader, token: ICancellationToken): Promise<WorkspaceEdit | undefined> {
  const written = newName.trim().replace(/^#/, '');
  if (!isTagName(written)) throw new RenameError(`"${newName}" is not a tag: use letters, digits, _ - and /, not only digits.`);
  const key = tagKey(name);
  const found = await findTagMentions(vault, tags, name, readText, token);
  if (!found) return undefined;
  const changes: Record<string, TextEdit[]> = {};
  for (const { note, mention } of found) {
    // The part of the mention that is the renamed tag: itself, or the parent of a nested one.
    const renamed = tagAndParents(mention.name).find((part) => tagKey(part) === key);
    if (renamed === undefined) continue;
    const start = mention.nameRange.start;
    (changes[note.file.uri] ??= []).push({ range: { start, end: { line: start.line, character: start.character + renamed.length } }, newText: written });
  }
  return { changes };
}
