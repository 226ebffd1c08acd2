import { MarkupKind, type Diagnostic, type Hover, type Position, type Range } from 'vscode-languageserver-types';
import { resolveLink } from '../core/linkResolver';
import { isImagePath } from '../core/names';
import { linkAt } from '../core/noteQueries';
import type { BlockAnchor, Heading, NoteLink } from '../core/types';
import type { TagSummary } from './tagNames';
import type { IndexedNote, VaultFile, VaultIndex } from '../core/vaultIndex';

/** Lines of a target shown at most; a longer section ends with "…" and how many lines were left out. */
export const HOVER_MAX_LINES = 20;
/** Characters of a target shown at most, whatever its lines. */
const HOVER_MAX_CHARS = 2000;

/** What the cursor is over, and what must be read to preview it. */
export type HoverTarget =
  | { readonly kind: 'note'; readonly link: NoteLink; readonly file: VaultFile; readonly heading?: Heading; readonly block?: BlockAnchor; readonly problem?: Diagnostic }
  | { readonly kind: 'attachment'; readonly link: NoteLink; readonly file: VaultFile; readonly problem?: Diagnostic }
  | { readonly kind: 'broken'; readonly link: NoteLink; readonly problem: Diagnostic };

/**
 * The link under the cursor and what it points at. Remote links get no hover
 * (nothing is fetched); a broken one is explained with its diagnostic.
 */
export function hoverTargetAt(vault: VaultIndex, note: IndexedNote, position: Position, diagnostics: () => readonly Diagnostic[]): HoverTarget | undefined {
  const link = linkAt(note.parsed, position);
  if (!link || link.external) return undefined;
  const resolution = resolveLink(vault, note, link);
  const problem = diagnostics().find((diagnostic) => within(diagnostic.range, link.range));
  const broken = resolution.kind !== 'file' || (link.subpath && !resolution.heading && !resolution.block && resolution.file.isNote);
  if (broken) return problem ? { kind: 'broken', link, problem } : undefined;
  if (!resolution.file.isNote) return { kind: 'attachment', link, file: resolution.file, problem };
  return { kind: 'note', link, file: resolution.file, heading: resolution.heading, block: resolution.block, problem };
}

/**
 * The hover for a target: a note's start (front matter left out, its title and
 * aliases shown), a heading's section (to the next heading of the same or a
 * higher level), or a block's line, as markdown, capped; an image itself; a
 * broken link's reason. `text` is the target note's text (undefined when it
 * could not be read).
 */
export function renderHover(vault: VaultIndex, target: HoverTarget, text: string | undefined, closestMatch?: string): Hover {
  const range = target.link.range;
  const warning = target.problem ? [`⚠ ${escapeMarkdown(target.problem.message)}`, ''] : [];
  if (target.kind === 'broken') {
    const value = [`⚠ ${escapeMarkdown(target.problem.message)}`, ...(closestMatch ? ['', `Closest match: ${escapeMarkdown(closestMatch)}`] : [])].join('\n');
    return { range, contents: { kind: MarkupKind.Markdown, value } };
  }
  if (target.kind === 'attachment') {
    const name = target.file.relativePath;
    // A local file the editor renders; nothing remote is ever fetched.
    const value = isImagePath(name) ? `![${escapeMarkdown(name)}](${target.file.uri})\n\n*${escapeMarkdown(name)}*` : `📎 *${escapeMarkdown(name)}*`;
    return { range, contents: { kind: MarkupKind.Markdown, value: [...warning, value].join('\n') } };
  }
  const note = vault.note(target.file);
  const lines = text?.split(/\r\n|\r|\n/) ?? [];
  const header: string[] = [];
  let body: string[];
  if (target.heading) {
    body = sectionLines(lines, note?.parsed.headings ?? [], target.heading);
  } else if (target.block) {
    body = [lines[target.block.line] ?? ''];
  } else {
    const fence = note?.parsed.frontMatter?.range.end;
    // The front matter's range ends after its closing fence: at the next line's start, or on the fence's line.
    const start = !fence ? 0 : fence.character === 0 ? fence.line : fence.line + 1;
    body = lines.slice(start);
    const title = note?.parsed.frontMatter?.title;
    const aliases = note?.parsed.frontMatter?.aliases ?? [];
    header.push(`**${escapeMarkdown(title ?? note?.name ?? target.file.relativePath)}**`);
    if (aliases.length) header.push(`*${aliases.map(escapeMarkdown).join(', ')}*`);
  }
  while (body.length && body[0].trim() === '') body.shift();
  while (body.length && body[body.length - 1].trim() === '') body.pop();
  const shown = capped(body);
  const value = [...warning, ...header, ...(header.length && shown.length ? [''] : []), ...shown, '', `*${escapeMarkdown(target.file.relativePath)}*`].join('\n');
  return { range, contents: { kind: MarkupKind.Markdown, value: text === undefined ? `*${escapeMarkdown(target.file.relativePath)}* (could not be read)` : value } };
}

/** The hover over a tag (`range`, the mention): how many notes use it, its nested tags included. */
export function renderTagHover(name: string, range: Range, summary: TagSummary | undefined): Hover {
  const notes = summary?.noteCount ?? 0;
  const mentions = summary?.mentionCount ?? 0;
  const value = `**#${escapeMarkdown(name)}**: used in ${notes} ${notes === 1 ? 'note' : 'notes'} (${mentions} ${mentions === 1 ? 'mention' : 'mentions'}, nested tags included)`;
  return { range, contents: { kind: MarkupKind.Markdown, value } };
}

/** A heading's lines, to the next heading of the same or a higher level. */
function sectionLines(lines: readonly string[], headings: readonly Heading[], heading: Heading): string[] {
  const start = heading.range.start.line;
  const next = headings.find((other) => other.range.start.line > start && other.level <= heading.level);
  return lines.slice(start, next ? next.range.start.line : lines.length);
}

/** At most HOVER_MAX_LINES lines and HOVER_MAX_CHARS characters, with what was left out said. */
function capped(body: readonly string[]): string[] {
  const out: string[] = [];
  let chars = 0;
  for (const line of body) {
    if (out.length === HOVER_MAX_LINES || chars + line.length > HOVER_MAX_CHARS) {
      out.push('', `… ${body.length - out.length} more lines`);
      return out;
    }
    out.push(line);
    chars += line.length + 1;
  }
  return out;
}

/** Whether range `a` lies within `b` (a heading problem marks only the `#Heading` part of its link). */
function within(a: { start: Position; end: Position }, b: { start: Position; end: Position }): boolean {
  const before = (p: Position, q: Position) => p.line < q.line || (p.line === q.line && p.character <= q.character);
  return before(b.start, a.start) && before(a.end, b.end);
}

function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]<>]/g, (char) => `\\${char}`);
}
