import * as fs from 'node:fs';
import * as path from 'node:path';
import { SeededRandom, ZipfSampler } from './random';
import { CODE_LANGUAGES, ENGLISH_VERBS, ENGLISH_WORDS, HEADING_WORDS, KOREAN_ENDINGS, KOREAN_PARTICLES, KOREAN_WORDS, TAGS, TOP_FOLDERS } from './vocabulary';

/**
 * Realistic, reproducible vaults for the benchmark: notes of about 5 KB in
 * Korean and English, in folders, with front matter, headings, block ids, about
 * 20 wiki links each whose targets follow a long-tailed (Zipf) popularity so the
 * first note is linked from most of the vault, heading and block links, embeds,
 * and a few links to notes, headings and images that do not exist.
 *
 * The same plan renders two vaults: one with wiki links (what Vaultlink is for)
 * and one with every link converted to a relative markdown link (what VS Code's
 * markdown language service understands), so both tools check the same graph.
 */

/** Bump when the generated text changes, so stale vaults on disk are rewritten. */
export const GENERATOR_VERSION = 5;

export interface NoteSpec {
  readonly index: number;
  /** Vault-relative folder, '' for the root. */
  readonly folder: string;
  readonly name: string;
  readonly relativePath: string;
  readonly headings: readonly string[];
  readonly blockIds: readonly string[];
  readonly aliases: readonly string[];
  readonly title: string | undefined;
  /** Another note has the same name: wiki links to it spell out its folder. */
  readonly sharesName: boolean;
}

export interface VaultPlan {
  readonly size: number;
  readonly seed: number;
  /** About how many bytes each note has. */
  readonly noteBytes: number;
  /** By popularity: notes[0] is the most linked. */
  readonly notes: readonly NoteSpec[];
  /** Vault-relative paths of the images and PDFs that exist. */
  readonly attachments: readonly string[];
}

export type VaultFlavor = 'wiki' | 'markdown';

/** What one generated vault holds, for checking both tools saw the same thing. */
export interface VaultSummary {
  readonly flavor: VaultFlavor;
  readonly notes: number;
  readonly attachments: number;
  readonly bytes: number;
  readonly links: number;
  /** Links written to point at nothing (missing note, heading or image). */
  readonly brokenLinks: number;
}

type LinkPart =
  | { readonly kind: 'note'; readonly target: NoteSpec; readonly heading?: string; readonly block?: string; readonly alias?: string; readonly embed?: boolean }
  | { readonly kind: 'missingNote'; readonly name: string }
  | { readonly kind: 'missingHeading'; readonly target: NoteSpec; readonly heading: string }
  | { readonly kind: 'ownHeading'; readonly heading: string }
  | { readonly kind: 'attachment'; readonly path: string; readonly exists: boolean };

/** A draft note to self that neither tool may read as a link: `%% … %%` in Obsidian, `<!-- … -->` in markdown. */
interface CommentPart {
  readonly kind: 'comment';
  readonly text: string;
}

type Part = string | LinkPart | CommentPart;

/** Notes of about 5 KB, as the issue's vaults; tests use smaller ones to stay quick. */
const DEFAULT_NOTE_BYTES = 5000;

export function planVault(size: number, seed: number, noteBytes = DEFAULT_NOTE_BYTES): VaultPlan {
  const random = new SeededRandom(seed);
  const folders = planFolders(size, random.fork(1));
  const names = new Set<string>();
  const notes: NoteSpec[] = [];
  // A name every top folder has once, as vaults often do: ambiguous by name alone.
  const indexFolders = new Set<string>();
  for (let index = 0; index < size; index++) {
    const r = random.fork(1000 + index);
    const folder = r.chance(0.04) ? '' : r.pick(folders);
    const top = folder.split('/')[0];
    let name: string;
    let sharesName = false;
    if (folder !== '' && !indexFolders.has(top) && index > size / 2) {
      indexFolders.add(top);
      name = 'Index';
      sharesName = true;
    } else {
      name = uniqueName(r, names);
    }
    const headingCount = r.int(6, 10);
    const headings = new Set<string>();
    while (headings.size < headingCount) headings.add(r.chance(0.5) ? r.pick(HEADING_WORDS) : `${r.pick(HEADING_WORDS)} ${r.int(1, 9)}`);
    const blockIds = Array.from({ length: r.int(0, 3) }, () => `b${r.int(100000, 999999).toString(36)}`);
    const aliases = r.chance(0.3) ? Array.from({ length: r.int(1, 2) }, () => `${capitalize(r.pick(ENGLISH_WORDS))} ${r.pick(KOREAN_WORDS)} ${index}`) : [];
    const title = r.chance(0.3) ? `${name} — ${r.pick(KOREAN_WORDS)}` : undefined;
    const relativePath = folder ? `${folder}/${name}.md` : `${name}.md`;
    notes.push({ index, folder, name, relativePath, headings: [...headings], blockIds, aliases, title, sharesName });
  }
  const attachments: string[] = [];
  const attachmentCount = Math.max(10, Math.round(size / 10));
  for (let i = 0; i < attachmentCount; i++) attachments.push(i % 10 === 9 ? `attachments/document-${i}.pdf` : `attachments/image-${i}.png`);
  return { size, seed, noteBytes, notes, attachments };
}

function planFolders(size: number, random: SeededRandom): string[] {
  const perTop = Math.max(1, Math.round(size / TOP_FOLDERS.length / 60));
  const folders: string[] = [];
  for (const top of TOP_FOLDERS) {
    folders.push(top);
    for (let i = 0; i < perTop; i++) folders.push(`${top}/${capitalize(random.pick(ENGLISH_WORDS))} ${random.pick(KOREAN_WORDS)} ${i}`);
  }
  return folders;
}

function uniqueName(random: SeededRandom, taken: Set<string>): string {
  for (let attempt = 0; ; attempt++) {
    const style = random.int(0, 3);
    let name =
      style === 0 ? `${capitalize(random.pick(ENGLISH_WORDS))} ${random.pick(ENGLISH_WORDS)} ${random.pick(ENGLISH_WORDS)}`
      : style === 1 ? `${capitalize(random.pick(ENGLISH_WORDS))} ${random.pick(KOREAN_WORDS)} ${random.pick(ENGLISH_WORDS)}`
      : style === 2 ? `${random.pick(KOREAN_WORDS)} ${random.pick(KOREAN_WORDS)} ${random.pick(KOREAN_WORDS)}`
      : `${random.pick(KOREAN_WORDS)} ${capitalize(random.pick(ENGLISH_WORDS))} ${random.pick(KOREAN_WORDS)}`;
    if (attempt >= 4) name += ` ${attempt}`;
    const key = name.toLowerCase();
    if (!taken.has(key) && key !== 'index') {
      taken.add(key);
      return name;
    }
  }
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/** Every file of the vault of `plan` in one flavor, vault-relative path and content, with what it holds. */
export function renderVault(plan: VaultPlan, flavor: VaultFlavor): { files: Array<[string, Uint8Array]>; summary: VaultSummary } {
  const zipf = new ZipfSampler(plan.notes.length, 1);
  const files: Array<[string, Uint8Array]> = [];
  let bytes = 0;
  let links = 0;
  let brokenLinks = 0;
  for (const note of plan.notes) {
    const parts = noteParts(plan, note, zipf);
    const data = Buffer.from(flavor === 'wiki' ? renderWiki(parts) : renderMarkdown(parts, note), 'utf8');
    files.push([note.relativePath, data]);
    bytes += data.length;
    for (const part of parts) {
      if (typeof part === 'string' || part.kind === 'comment') continue;
      links++;
      if (isBroken(part)) brokenLinks++;
    }
  }
  for (const attachment of plan.attachments) files.push([attachment, attachment.endsWith('.png') ? PNG_BYTES : Buffer.from('%PDF-1.4\n%%EOF\n')]);
  return { files, summary: { flavor, notes: plan.notes.length, attachments: plan.attachments.length, bytes, links, brokenLinks } };
}

/** Writes the vault of `plan` in one flavor into `directory` (emptied first). */
export function writeVault(plan: VaultPlan, directory: string, flavor: VaultFlavor): VaultSummary {
  fs.rmSync(directory, { recursive: true, force: true });
  fs.mkdirSync(directory, { recursive: true });
  const { files, summary } = renderVault(plan, flavor);
  const madeFolders = new Set<string>();
  for (const [relativePath, data] of files) {
    const folder = relativePath.slice(0, Math.max(0, relativePath.lastIndexOf('/')));
    if (folder !== '' && !madeFolders.has(folder)) {
      fs.mkdirSync(path.join(directory, ...folder.split('/')), { recursive: true });
      madeFolders.add(folder);
    }
    fs.writeFileSync(path.join(directory, ...relativePath.split('/')), data);
  }
  return summary;
}

function isBroken(part: LinkPart): boolean {
  if (part.kind === 'missingNote' || part.kind === 'missingHeading') return true;
  return part.kind === 'attachment' && !part.exists;
}

/** A 1×1 transparent PNG: attachments only need to exist. */
const PNG_BYTES = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082', 'hex');

// ---- one note's content, flavor-neutral --------------------------------------

function noteParts(plan: VaultPlan, note: NoteSpec, zipf: ZipfSampler): Part[] {
  const random = new SeededRandom(plan.seed * 7919 + note.index);
  const parts: Part[] = [];
  const push = (text: string) => parts.push(text);
  const budget = plan.noteBytes + random.int(-Math.round(plan.noteBytes / 8), Math.round(plan.noteBytes / 8));
  let linkBudget = random.int(16, 24);
  const tags = Array.from({ length: random.int(1, 3) }, () => random.pick(TAGS));

  push('---\n');
  if (note.title) push(`title: ${note.title}\n`);
  if (note.aliases.length) push(`aliases: [${note.aliases.join(', ')}]\n`);
  push(`tags: [${[...new Set(tags)].join(', ')}]\n`);
  push(`created: 2024-${String(random.int(1, 12)).padStart(2, '0')}-${String(random.int(1, 28)).padStart(2, '0')}\n`);
  push('---\n\n');
  push(`# ${note.name}\n\n`);

  const pickTarget = (): NoteSpec => {
    for (;;) {
      const target = plan.notes[zipf.sample(random)];
      if (target !== note) return target;
    }
  };
  const makeLink = (): LinkPart => {
    const roll = random.next();
    if (roll < 0.03) return { kind: 'missingNote', name: `${capitalize(random.pick(ENGLISH_WORDS))} ${random.pick(KOREAN_WORDS)} 초안 ${random.int(1, 99999)}` };
    if (roll < 0.05) {
      const target = pickTarget();
      return { kind: 'missingHeading', target, heading: `Removed section ${random.int(1, 999)}` };
    }
    if (roll < 0.08) return { kind: 'ownHeading', heading: random.pick(note.headings) };
    if (roll < 0.22) {
      const target = pickTarget();
      return { kind: 'note', target, heading: random.pick(target.headings) };
    }
    if (roll < 0.25) {
      const target = pickTarget();
      if (target.blockIds.length) return { kind: 'note', target, block: random.pick(target.blockIds) };
      return { kind: 'note', target };
    }
    if (roll < 0.3) {
      const target = pickTarget();
      return { kind: 'note', target, alias: `${random.pick(KOREAN_WORDS)} ${random.pick(ENGLISH_WORDS)}` };
    }
    if (roll < 0.32) return { kind: 'note', target: pickTarget(), embed: true };
    return { kind: 'note', target: pickTarget() };
  };
  const sentence = (): string => {
    if (random.chance(0.5)) {
      const words = Array.from({ length: random.int(5, 12) }, () => random.pick(ENGLISH_WORDS));
      words.splice(random.int(1, words.length - 1), 0, random.pick(ENGLISH_VERBS));
      return capitalize(words.join(' ')) + '.';
    }
    const words = Array.from({ length: random.int(3, 7) }, () => random.pick(KOREAN_WORDS) + random.pick(KOREAN_PARTICLES));
    return `${words.join(' ')} ${random.pick(KOREAN_ENDINGS)}`;
  };
  /** A paragraph with `links` links spread through its sentences. */
  const paragraph = (links: number, blockId?: string): void => {
    const sentences = random.int(3, 6);
    for (let s = 0; s < sentences; s++) {
      push(sentence() + ' ');
      if (links > 0 && (random.chance(0.5) || sentences - s <= links)) {
        push(random.pick(['See ', '참고: ', 'Related to ', '관련: ', '']));
        parts.push(makeLink());
        push(random.pick(['. ', ' 에서 다룬다. ', ', ', ' — ']));
        links--;
      }
    }
    push(blockId ? `^${blockId}\n\n` : '\n\n');
  };

  let bytes = 0;
  const measure = () => {
    bytes = 0;
    for (const part of parts) bytes += typeof part === 'string' ? Buffer.byteLength(part) : 40;
  };
  const blocks = [...note.blockIds];
  let headingIndex = 0;
  paragraph(Math.min(linkBudget, 2));
  linkBudget -= Math.min(linkBudget, 2);
  while (true) {
    measure();
    if (bytes >= budget && headingIndex >= note.headings.length) break;
    if (headingIndex < note.headings.length) {
      push(`${random.chance(0.7) ? '##' : '###'} ${note.headings[headingIndex++]}\n\n`);
    }
    const sectionLinks = Math.min(linkBudget, random.int(1, 3));
    linkBudget -= sectionLinks;
    const kind = random.int(0, 9);
    if (kind <= 5) {
      paragraph(sectionLinks, blocks.length && random.chance(0.5) ? blocks.shift() : undefined);
    } else if (kind <= 7) {
      const items = random.int(2, 5);
      let remaining = sectionLinks;
      for (let i = 0; i < items; i++) {
        push(`- ${sentence()} `);
        if (remaining > 0) {
          parts.push(makeLink());
          remaining--;
        }
        push('\n');
      }
      push('\n');
    } else if (kind === 8) {
      push(`\`\`\`${random.pick(CODE_LANGUAGES)}\n// [[Not a link ${random.int(1, 99)}]] inside code\nconst ${random.pick(ENGLISH_WORDS)} = load("${random.pick(ENGLISH_WORDS)}");\n\`\`\`\n\n`);
      paragraph(sectionLinks);
    } else {
      push(`> ${sentence()} `);
      if (sectionLinks > 0) parts.push(makeLink());
      push(`\n> ${sentence()}\n\n`);
      if (sectionLinks > 1) paragraph(sectionLinks - 1);
    }
    if (random.chance(0.2)) {
      const attachment = random.pick(plan.attachments);
      const exists = random.chance(0.95);
      parts.push({ kind: 'attachment', path: exists ? attachment : attachment.replace(/-(\d+)\./, '-missing-$1.'), exists });
      push('\n\n');
    }
    if (random.chance(0.05)) {
      parts.push({ kind: 'comment', text: `draft: [[${random.pick(KOREAN_WORDS)} 메모]]` });
      push('\n\n');
    }
  }
  // Whatever block ids were not placed yet end the note, so every planned id exists.
  for (const id of blocks) push(`${sentence()} ^${id}\n\n`);
  while (linkBudget-- > 0) paragraph(1);
  return parts;
}

// ---- rendering ---------------------------------------------------------------

function wikiPath(target: NoteSpec): string {
  return target.sharesName ? target.relativePath.slice(0, -3) : target.name;
}

function renderWiki(parts: readonly Part[]): string {
  let text = '';
  for (const part of parts) {
    if (typeof part === 'string') {
      text += part;
      continue;
    }
    switch (part.kind) {
      case 'note': {
        const subpath = part.heading ? `#${part.heading}` : part.block ? `#^${part.block}` : '';
        text += `${part.embed ? '!' : ''}[[${wikiPath(part.target)}${subpath}${part.alias ? `|${part.alias}` : ''}]]`;
        break;
      }
      case 'missingNote':
        text += `[[${part.name}]]`;
        break;
      case 'missingHeading':
        text += `[[${wikiPath(part.target)}#${part.heading}]]`;
        break;
      case 'ownHeading':
        text += `[[#${part.heading}]]`;
        break;
      case 'attachment':
        text += `![[${part.path.slice(part.path.lastIndexOf('/') + 1)}]]`;
        break;
      case 'comment':
        text += `%% ${part.text} %%`;
        break;
    }
  }
  return text;
}

/** The GitHub-style anchor both tools accept for a heading made of words, digits, spaces and `-`. */
export function headingSlug(heading: string): string {
  return heading.trim().toLowerCase().replace(/\s+/g, '-');
}

/** A relative link from `fromFolder` to `toPath`, spaces encoded as editors write them. */
export function relativeLink(fromFolder: string, toPath: string): string {
  const relative = path.posix.relative(fromFolder === '' ? '.' : fromFolder, toPath);
  return relative.split('/').map((segment) => segment.replace(/ /g, '%20')).join('/');
}

function renderMarkdown(parts: readonly Part[], from: NoteSpec): string {
  let text = '';
  for (const part of parts) {
    if (typeof part === 'string') {
      // Links written inside comments and code stay as written: neither tool reads them.
      text += part;
      continue;
    }
    switch (part.kind) {
      case 'note': {
        const href = relativeLink(from.folder, part.target.relativePath);
        // Markdown has no block ids or transclusion: those become plain links to the note.
        text += `[${part.alias ?? part.heading ?? part.target.name}](${href}${part.heading ? `#${headingSlug(part.heading)}` : ''})`;
        break;
      }
      case 'missingNote':
        text += `[${part.name}](${relativeLink(from.folder, `${from.folder ? from.folder + '/' : ''}${part.name}.md`)})`;
        break;
      case 'missingHeading':
        text += `[${part.heading}](${relativeLink(from.folder, part.target.relativePath)}#${headingSlug(part.heading)})`;
        break;
      case 'ownHeading':
        text += `[${part.heading}](#${headingSlug(part.heading)})`;
        break;
      case 'attachment':
        text += part.path.endsWith('.png') ? `![image](${relativeLink(from.folder, part.path)})` : `[document](${relativeLink(from.folder, part.path)})`;
        break;
      case 'comment':
        text += `<!-- ${part.text} -->`;
        break;
    }
  }
  return text;
}
