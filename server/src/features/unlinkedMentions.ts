import type { Range } from 'vscode-languageserver-types';
import { yieldToEventLoop } from '../core/cancellation';
import { obsidianMarkdownPath, wikiLinkPath } from '../core/linkWriter';
import { normalizeName } from '../core/names';
import { parseNote } from '../core/parser';
import { LineIndex } from '../core/text';
import type { IndexedNote, VaultIndex } from '../core/vaultIndex';
import type { ICancellationToken } from '../core/workspace';
import { previewOf, type MentioningNote } from './backlinks';
import type { UnlinkedMention, UnlinkedMentions } from '../protocol/vaultlinkProtocol';
import type { TextReader } from './tagReferences';

// The answer's shapes are the wire's, declared once in the shared protocol.
export type { UnlinkedMention, UnlinkedMentions };

/** Mentions reported at most: a common word for a name (`Index`) could otherwise list the whole vault. */
export const MAX_UNLINKED_MENTIONS = 500;
/** Notes read at once, between two checks of the token. */
const NOTES_PER_SLICE = 64;
/** Work between two yields to the event loop, where a `$/cancelRequest` can arrive. */
const YIELD_EVERY_MS = 8;

/** What the search did, for tests and measurements. */
export interface UnlinkedMentionStats {
  /** Notes whose text was read. */
  read: number;
  /** Of those, the notes whose lowercased text held a name and so were parsed to check. */
  parsed: number;
}

/**
 * Where other notes write `note`'s name or one of its aliases as plain text:
 * outside links, tags, code (fenced and inline), comments, math, web addresses
 * and front matter, as a whole word (a Korean name may be followed by a
 * particle: `라인에서` mentions `라인`). Each comes with its "Link it" edit in
 * the vault's link style.
 *
 * Bounded and cancellable: each note's text is read (buffer or disk) in slices
 * with `token` checked between and the event loop given a turn every few
 * milliseconds; only the texts that hold a name once lowercased (a substring
 * test) are parsed to verify. At most MAX_UNLINKED_MENTIONS mentions are
 * reported (`complete` is then false). Undefined once cancelled.
 */
export async function findUnlinkedMentions(
  vault: VaultIndex,
  note: IndexedNote,
  readText: TextReader,
  token: ICancellationToken,
  stats: UnlinkedMentionStats = { read: 0, parsed: 0 },
  limit = MAX_UNLINKED_MENTIONS,
): Promise<UnlinkedMentions | undefined> {
  const names = namesOf(note);
  const result = (notes: MentioningNote<UnlinkedMention>[], complete: boolean): UnlinkedMentions => ({ uri: note.file.uri, names, notes, complete });
  if (!names.length) return result([], true);
  const matcher = new MentionMatcher(names);
  const others = [...vault.notes()].filter((other) => other.file !== note.file && !other.parsed.skippedReason).sort((a, b) => compareStrings(a.file.relativePath, b.file.relativePath));
  const found: MentioningNote<UnlinkedMention>[] = [];
  let count = 0;
  let lastYield = Date.now();
  for (let start = 0; start < others.length; start += NOTES_PER_SLICE) {
    if (token.isCancellationRequested) return undefined;
    const slice = others.slice(start, start + NOTES_PER_SLICE);
    const texts = await Promise.all(slice.map((other) => readText(other.file.uri)));
    for (let at = 0; at < slice.length; at++) {
      const text = texts[at];
      if (text === undefined) continue;
      stats.read++;
      if (!matcher.mayMatch(text)) continue;
      const source = slice[at];
      // Most texts naming the note link to it: with the links the index knows blanked, most hold no name any more.
      if (!matcher.mayMatch(withoutIndexedLinks(text, source))) continue;
      stats.parsed++;
      const mentions = mentionsIn(vault, note, source, text, matcher, limit - count);
      if (!mentions.list.length) continue;
      found.push({ uri: source.file.uri, name: source.name, relativePath: source.file.relativePath, mentions: mentions.list });
      count += mentions.list.length;
      if (mentions.more || count >= limit) return token.isCancellationRequested ? undefined : result(found, false);
    }
    if (Date.now() - lastYield >= YIELD_EVERY_MS) {
      await yieldToEventLoop();
      lastYield = Date.now();
    }
  }
  return token.isCancellationRequested ? undefined : result(found, true);
}

/**
 * The text with the links and tags of the note's indexed parse blanked: a
 * cheaper test than a parse. Only trusted when the text has the parse's line
 * count (the index holds this version); otherwise the text is returned whole
 * and the parse decides.
 */
function withoutIndexedLinks(text: string, note: IndexedNote): string {
  const lines = new LineIndex(text);
  if (lines.lineCount !== note.parsed.lineCount) return text;
  // Each link or tag becomes one space: offsets do not matter to a substring test.
  const cuts = [...note.parsed.links.map((link) => link.range), ...note.parsed.tags.map((tag) => tag.range)].map((range) => [lines.offsetAt(range.start), lines.offsetAt(range.end)]).sort((a, b) => a[0] - b[0]);
  let out = '';
  let at = 0;
  for (const [from, to] of cuts) {
    if (from > at) out += text.slice(at, from);
    out += ' ';
    at = Math.max(at, to);
  }
  return out + text.slice(at);
}

/** The names a note is mentioned by: its name, then its aliases, each once (NFC, case-blind). */
export function namesOf(note: IndexedNote): string[] {
  const seen = new Set<string>();
  const names: string[] = [];
  for (const raw of [note.name, ...(note.parsed.frontMatter?.aliases ?? [])]) {
    const name = normalizeName(String(raw)).trim();
    const key = name.toLowerCase();
    if (!name || seen.has(key)) continue;
    seen.add(key);
    names.push(name);
  }
  return names;
}

/** The verified mentions in one note's text, at most `room` of them (`more` when some were left). */
function mentionsIn(vault: VaultIndex, target: IndexedNote, source: IndexedNote, text: string, matcher: MentionMatcher, room: number): { list: UnlinkedMention[]; more: boolean } {
  const parsed = parseNote(text, { keepProse: true });
  const lines = new LineIndex(text);
  const prose = maskedProse(parsed.proseText || text, lines, [...parsed.links.map((link) => link.range), ...parsed.tags.map((tag) => tag.range)]);
  const list: UnlinkedMention[] = [];
  for (const [start, end] of matcher.matches(prose)) {
    if (list.length === room) return { list, more: true };
    const range = lines.range(start, end);
    const written = text.slice(start, end);
    const lineStart = lines.lineStart(range.start.line);
    list.push({
      range,
      text: written,
      preview: previewOf(lines.lineText(range.start.line), start - lineStart, end - lineStart),
      edit: { range, newText: linkText(vault, source, target, written) },
    });
  }
  return { list, more: false };
}

/** "Link it": `[[Note]]` when the text is the link's path, `[[Note|text]]` otherwise; a markdown link in vaults that use them. */
export function linkText(vault: VaultIndex, source: IndexedNote, target: IndexedNote, written: string): string {
  if (vault.config.useMarkdownLinks) return `[${written.replace(/[[\]]/g, '\\$&')}](${obsidianMarkdownPath(vault, source.file, target.file)})`;
  // NFC, as the text is written: a macOS (NFD) file name resolves from either form.
  const path = wikiLinkPath(vault, source.file, target.file).normalize('NFC');
  return written.normalize('NFC') === path ? `[[${path}]]` : `[[${path}|${written}]]`;
}

/**
 * The prose with the given ranges (links, tags), inline code spans and web
 * addresses blanked too, every offset kept: what is left is plain text.
 */
function maskedProse(prose: string, lines: LineIndex, ranges: readonly Range[]): string {
  const chars = prose.split('');
  const blank = (from: number, to: number) => {
    for (let i = from; i < to && i < chars.length; i++) if (chars[i] !== '\n' && chars[i] !== '\r') chars[i] = ' ';
  };
  for (const range of ranges) blank(lines.offsetAt(range.start), lines.offsetAt(range.end));
  for (const [from, to] of inlineCodeSpans(prose)) blank(from, to);
  for (const match of prose.matchAll(WEB_ADDRESS)) blank(match.index, match.index + match[0].length);
  return chars.join('');
}

const WEB_ADDRESS = /<[a-z][a-z0-9+.-]*:[^\s>]*>|\b(?:[a-z][a-z0-9+.-]*:\/\/|www\.)[^\s<>]*/gi;

/**
 * Inline code spans, as [start, end) offsets: a run of backticks closed by the
 * next run of the same length in the same paragraph. One pass over the runs,
 * with the next run of each length found by a pointer, so time stays linear
 * however many unmatched runs a hostile line holds.
 */
export function inlineCodeSpans(text: string): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  for (const paragraph of paragraphsOf(text)) {
    const runs: Array<[number, number]> = [];
    for (const match of text.slice(paragraph[0], paragraph[1]).matchAll(/`+/g)) runs.push([paragraph[0] + match.index, match[0].length]);
    const byLength = new Map<number, number[]>();
    runs.forEach(([, length], index) => {
      const list = byLength.get(length);
      if (list) list.push(index);
      else byLength.set(length, [index]);
    });
    const next = new Map<number, number>();
    for (let i = 0; i < runs.length; i++) {
      const [start, length] = runs[i];
      const list = byLength.get(length)!;
      let pointer = next.get(length) ?? 0;
      while (pointer < list.length && list[pointer] <= i) pointer++;
      next.set(length, pointer);
      if (pointer === list.length) continue;
      const close = list[pointer];
      spans.push([start, runs[close][0] + length]);
      i = close;
    }
  }
  return spans;
}

/** [start, end) of each paragraph: text between blank lines. */
function paragraphsOf(text: string): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  const blankLine = /\n[ \t]*(?:\r?\n)/g;
  let start = 0;
  for (const match of text.matchAll(blankLine)) {
    out.push([start, match.index]);
    start = match.index + match[0].length;
  }
  out.push([start, text.length]);
  return out;
}

/** Finds a set of names as whole words, case-blind, in NFC or NFD text. */
class MentionMatcher {
  readonly #lowered: string[];
  readonly #pattern: RegExp;

  constructor(names: readonly string[]) {
    const forms = new Set<string>();
    for (const name of names) {
      forms.add(name);
      forms.add(name.normalize('NFD'));
    }
    this.#lowered = [...forms].map((form) => form.toLowerCase());
    // Longest first, so `Line Developer Day` wins over an alias `Line` at the same place.
    const alternatives = [...forms].sort((a, b) => b.length - a.length).map((form) => escapeRegExp(form) + (HANGUL_END.test(form) ? AFTER_HANGUL_NAME : AFTER_NAME));
    this.#pattern = new RegExp(`(?<![\\p{L}\\p{N}\\p{M}_])(?:${alternatives.join('|')})`, 'giu');
  }

  /** The cheap test: whether the lowercased text holds any name at all. */
  mayMatch(text: string): boolean {
    const lower = text.toLowerCase();
    return this.#lowered.some((name) => lower.includes(name));
  }

  *matches(text: string): Generator<[number, number]> {
    for (const match of text.matchAll(this.#pattern)) yield [match.index, match.index + match[0].length];
  }
}

/** A name ends a word unless a letter, digit or `_` follows. */
const AFTER_NAME = '(?![\\p{L}\\p{N}\\p{M}_])';
/** A Korean name may be followed by a particle (`라인에서`, `라인의`): only Latin letters, digits and `_` continue it. */
const AFTER_HANGUL_NAME = '(?![\\p{N}_]|(?!\\p{Script=Hangul})[\\p{L}\\p{M}])';
const HANGUL_END = /\p{Script=Hangul}$/u;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
