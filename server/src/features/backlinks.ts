import type { Range } from 'vscode-languageserver-types';
import { yieldToEventLoop } from '../core/cancellation';
import { resolveLink } from '../core/linkResolver';
import { LineIndex } from '../core/text';
import type { IndexedNote, VaultIndex } from '../core/vaultIndex';
import type { ICancellationToken } from '../core/workspace';
import { findReferencingLinks, findReferencingLinksCancellable, type ReferencingLink } from './references';
import type { Backlinks, LinkedMention, MentioningNote, MentionPreview, OutgoingLink } from '../protocol/vaultlinkProtocol';
import type { TextReader } from './tagReferences';

// The answer's shapes are the wire's, declared once in the shared protocol.
export type { Backlinks, LinkedMention, MentioningNote, MentionPreview, OutgoingLink };

/** Characters of a line a preview keeps at most; a longer line is cut around the mention. */
const PREVIEW_MAX_CHARS = 160;
/** Of those, how many come before the mention when the line is cut. */
const PREVIEW_CONTEXT_BEFORE = 40;
/** Linking notes whose text is read between two yields to the event loop (where a cancellation arrives). */
const NOTES_PER_READ_SLICE = 32;

/**
 * The links from other notes to `note`, from the backlink index (only notes
 * linking into the note's name bucket are looked at), grouped by linking note
 * in path order. Links from the note to itself (`[[#Heading]]`) are not backlinks.
 */
export function linksToNote(vault: VaultIndex, note: IndexedNote): ReferencingLink[] {
  return findReferencingLinks(vault, { file: note.file }).filter((link) => link.source.file !== note.file);
}

/** How many links other notes hold to `note`: what the "N backlinks" code lens says. */
export function backlinkCount(vault: VaultIndex, note: IndexedNote): number {
  return linksToNote(vault, note).length;
}

/**
 * The Backlinks view's data for `note`: the notes linking to it, each link with
 * its line (read from the linking note's buffer or the disk), and the note's own
 * links out, resolved or broken. Linking notes are read in slices with `token`
 * checked between; undefined once it is cancelled.
 */
export async function provideBacklinks(vault: VaultIndex, note: IndexedNote, readText: TextReader, noteText: string | undefined, token: ICancellationToken): Promise<Backlinks | undefined> {
  const links = await findReferencingLinksCancellable(vault, { file: note.file }, token);
  if (!links) return undefined;
  const bySource = new Map<IndexedNote, ReferencingLink[]>();
  for (const link of links) {
    if (link.source.file === note.file) continue;
    const list = bySource.get(link.source);
    if (list) list.push(link);
    else bySource.set(link.source, [link]);
  }
  const sources = [...bySource.keys()].sort((a, b) => compareStrings(a.file.relativePath, b.file.relativePath));
  const linked: MentioningNote<LinkedMention>[] = [];
  for (let start = 0; start < sources.length; start += NOTES_PER_READ_SLICE) {
    if (token.isCancellationRequested) return undefined;
    const slice = sources.slice(start, start + NOTES_PER_READ_SLICE);
    const texts = await Promise.all(slice.map((source) => readText(source.file.uri)));
    slice.forEach((source, at) => {
      const lines = texts[at] === undefined ? undefined : new LineIndex(texts[at]!);
      const mentions = bySource.get(source)!.map(({ link }) => ({ range: link.range, preview: previewAt(lines, link.range) }));
      linked.push({ uri: source.file.uri, name: source.name, relativePath: source.file.relativePath, mentions });
    });
    if (start + NOTES_PER_READ_SLICE < sources.length) await yieldToEventLoop();
  }
  if (token.isCancellationRequested) return undefined;
  const count = linked.reduce((sum, source) => sum + source.mentions.length, 0);
  return { uri: note.file.uri, name: note.name, linked, linkCount: count, outgoing: outgoingLinks(vault, note, noteText) };
}

/** The note's links to other files, in note order: web links and links within the note left out. */
export function outgoingLinks(vault: VaultIndex, note: IndexedNote, noteText: string | undefined): OutgoingLink[] {
  const lines = noteText === undefined ? undefined : new LineIndex(noteText);
  const out: OutgoingLink[] = [];
  for (const link of note.parsed.links) {
    if (link.external || link.path === '') continue;
    const resolution = resolveLink(vault, note, link);
    const preview = previewAt(lines, link.range);
    if (resolution.kind !== 'file') {
      out.push({ range: link.range, target: link.target, embed: link.embed, state: 'broken', preview });
      continue;
    }
    const anchor = resolution.heading?.range ?? (resolution.block && { start: { line: resolution.block.line, character: 0 }, end: { line: resolution.block.line, character: 0 } });
    out.push({
      range: link.range,
      target: link.target,
      embed: link.embed,
      state: resolution.missing ? 'broken' : 'resolved',
      targetUri: resolution.file.uri,
      ...(anchor ? { targetRange: anchor } : {}),
      preview,
    });
  }
  return out;
}

/** The preview of `range` (on one line, or from its start line) in a note's text; the bare range's line number when the text could not be read. */
export function previewAt(lines: LineIndex | undefined, range: Range): MentionPreview {
  if (!lines) return { text: '', highlight: [0, 0] };
  const lineText = lines.lineText(range.start.line);
  const end = range.end.line === range.start.line ? range.end.character : lineText.length;
  return previewOf(lineText, range.start.character, end);
}

/** A line trimmed, and cut around [start, end) when it is long, with where the mention now is. */
export function previewOf(lineText: string, start: number, end: number): MentionPreview {
  let from = 0;
  let to = lineText.length;
  while (from < start && /\s/.test(lineText[from])) from++;
  while (to > end && /\s/.test(lineText[to - 1])) to--;
  let prefix = '';
  let suffix = '';
  if (to - from > PREVIEW_MAX_CHARS) {
    const cutFrom = Math.max(from, start - PREVIEW_CONTEXT_BEFORE);
    if (cutFrom > from) prefix = '…';
    from = cutFrom;
    const cutTo = Math.min(to, Math.max(end, from + PREVIEW_MAX_CHARS));
    if (cutTo < to) suffix = '…';
    to = cutTo;
  }
  const text = prefix + lineText.slice(from, to) + suffix;
  const shift = prefix.length - from;
  return { text, highlight: [Math.max(0, start + shift), Math.min(text.length, end + shift)] };
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
