import { resolveLink, type LinkResolution } from '../core/linkResolver';
import { dirname, isImagePath } from '../core/names';
import { sectionEndLine } from '../core/noteQueries';
import type { NoteLink } from '../core/types';
import type { IndexedNote, VaultFile, VaultIndex } from '../core/vaultIndex';
import type { PreviewEmbed, PreviewLink, PreviewLinks } from '../protocol/vaultlinkProtocol';

/** Characters of an embedded note or section sent at most; the rest is cut at a line break. */
export const PREVIEW_EMBED_MAX_CHARS = 20_000;
/** Embedded notes expanded per note at most; later ones are drawn as links. */
export const PREVIEW_MAX_EMBEDS = 50;

/**
 * What the markdown preview needs to draw a note's wiki links and embeds, by
 * Vaultlink's resolution (Obsidian's rules), so the preview looks links up and
 * never resolves them itself. Each distinct target (as written) once; links in
 * `%%` comments are left out, as the preview hides them. An embedded note,
 * section or block comes with its markdown (capped) and the resolutions of its
 * own links, from the embedded note; embeds inside it are not expanded, so an
 * embed that embeds itself, or two notes embedding each other, end after one
 * level. `textOf` gives an embedded note's text (read by the caller, see
 * `previewEmbedSources`); undefined leaves that embed as a link.
 */
export function providePreviewLinks(vault: VaultIndex, note: IndexedNote, textOf: (file: VaultFile) => string | undefined): PreviewLinks {
  const byTarget = new Map<string, PreviewLink>();
  let embeds = 0;
  for (const link of previewableLinks(note, 0, Number.MAX_SAFE_INTEGER)) {
    const known = byTarget.get(link.target);
    if (known && (known.embed || !link.embed)) continue;
    const resolution = resolveLink(vault, note, link);
    let embed: PreviewEmbed | undefined;
    if (link.embed && resolution.kind === 'file' && resolution.file.isNote && !resolution.missing && embeds < PREVIEW_MAX_EMBEDS) {
      const text = textOf(resolution.file);
      const embedded = vault.note(resolution.file);
      if (text !== undefined && embedded && !embedded.parsed.skippedReason) {
        embeds++;
        embed = embedOf(vault, note, embedded, resolution, text);
      }
    }
    byTarget.set(link.target, { ...describe(vault, note, link, resolution), ...(embed ? { embed } : {}) });
  }
  return { uri: note.file.uri, links: [...byTarget.values()] };
}

/** The notes whose text `providePreviewLinks` shows for the note's embeds, at most PREVIEW_MAX_EMBEDS. */
export function previewEmbedSources(vault: VaultIndex, note: IndexedNote): VaultFile[] {
  const files = new Set<VaultFile>();
  for (const link of previewableLinks(note, 0, Number.MAX_SAFE_INTEGER)) {
    if (!link.embed) continue;
    const resolution = resolveLink(vault, note, link);
    if (resolution.kind === 'file' && resolution.file.isNote && !resolution.missing && !vault.note(resolution.file)?.parsed.skippedReason) files.add(resolution.file);
    if (files.size === PREVIEW_MAX_EMBEDS) break;
  }
  return [...files];
}

/** The note's wiki links and embeds on lines `from`..`to`, outside comments and not remote. */
function previewableLinks(note: IndexedNote, from: number, to: number): NoteLink[] {
  return note.parsed.links.filter((link) => link.kind === 'wiki' && !link.external && !link.inComment && link.range.start.line >= from && link.range.start.line <= to);
}

/** One link's resolution as the preview draws it, hrefs relative to `previewed`'s folder. */
function describe(vault: VaultIndex, previewed: IndexedNote, link: NoteLink, resolution: LinkResolution): PreviewLink {
  const target = link.target;
  if (resolution.kind !== 'file') {
    const what = isImagePath(link.path) ? 'image' : /\.[a-z0-9]+$/i.test(link.path) && !/\.md$/i.test(link.path) ? 'file' : 'note';
    return { target, broken: true, problem: `No ${what} "${link.path}" in the vault` };
  }
  const file = resolution.file;
  const base = {
    target,
    href: relativeHref(dirname(previewed.file.relativePath), file.relativePath),
    path: file.relativePath,
    ...(file.isNote ? {} : { image: isImagePath(file.relativePath) }),
    ...(file === previewed.file ? { sameNote: true } : {}),
  };
  const name = vault.note(file)?.name ?? file.relativePath;
  if (resolution.missing === 'heading') {
    const heading = link.subpath?.kind === 'heading' ? link.subpath.headings.join('#') : '';
    return { ...base, broken: true, problem: `No heading "${heading}" in "${name}"` };
  }
  if (resolution.missing === 'block') {
    const id = link.subpath?.kind === 'block' ? link.subpath.id : '';
    return { ...base, broken: true, problem: `No block ^${id} in "${name}"` };
  }
  return {
    ...base,
    broken: false,
    ...(resolution.heading ? { heading: { text: resolution.heading.text, line: resolution.heading.range.start.line } } : {}),
    ...(resolution.block ? { block: { id: resolution.block.id, line: resolution.block.line } } : {}),
  };
}

/** An embedded note, section or block: its lines (front matter left out, capped) and its own links. */
function embedOf(vault: VaultIndex, previewed: IndexedNote, embedded: IndexedNote, resolution: Extract<LinkResolution, { kind: 'file' }>, text: string): PreviewEmbed {
  const lines = text.split(/\r\n|\r|\n/);
  let first: number;
  let last: number;
  if (resolution.heading) {
    first = resolution.heading.range.start.line;
    last = sectionEndLine(embedded.parsed, resolution.heading);
  } else if (resolution.block) {
    first = last = resolution.block.line;
  } else {
    const fence = embedded.parsed.frontMatter?.range.end;
    // The front matter's range ends after its closing fence: at the next line's start, or on the fence's line.
    first = !fence ? 0 : fence.character === 0 ? fence.line : fence.line + 1;
    last = lines.length - 1;
  }
  const kept: string[] = [];
  let chars = 0;
  let truncated = false;
  for (let line = first; line <= last && line < lines.length; line++) {
    if (chars + lines[line].length > PREVIEW_EMBED_MAX_CHARS) {
      truncated = true;
      break;
    }
    kept.push(lines[line]);
    chars += lines[line].length + 1;
  }
  const shownLast = first + kept.length - 1;
  const links = new Map<string, PreviewLink>();
  for (const link of previewableLinks(embedded, first, shownLast)) {
    if (!links.has(link.target)) links.set(link.target, describe(vault, previewed, link, resolveLink(vault, embedded, link)));
  }
  return { markdown: kept.join('\n'), truncated, links: [...links.values()] };
}

/** `to` (vault-relative) as a relative URL from `fromFolder`, each segment URL-encoded. */
export function relativeHref(fromFolder: string, to: string): string {
  const from = fromFolder ? fromFolder.split('/') : [];
  const parts = to.split('/');
  let common = 0;
  while (common < from.length && common < parts.length - 1 && from[common] === parts[common]) common++;
  const up: string[] = new Array<string>(from.length - common).fill('..');
  return [...up, ...parts.slice(common).map((segment) => encodeURIComponent(segment))].join('/');
}
