import type { Position } from 'vscode-languageserver-types';
import { SeededRandom } from './random';
import { headingSlug, relativeLink, type NoteSpec, type VaultPlan } from './vaultGenerator';

/**
 * What the benchmark does in a vault, derived from its plan with a fixed seed so
 * every run (and both tools) ask the same questions.
 */
export interface Workload {
  /** The note the "user" has open and types in: an ordinary note of middling popularity. */
  readonly workingNote: NoteSpec;
  /** The most-linked note. */
  readonly hubNote: NoteSpec;
  /** What is typed after `[[`: prefixes and inner words of note names, in Korean and English. */
  readonly noteQueries: readonly string[];
  /** What is typed after `[[`, as `Note#` plus the start of one of its headings. */
  readonly headingQueries: readonly string[];
  /** Markdown-link equivalents, typed after `](`: the start of a relative path. */
  readonly pathQueries: readonly string[];
  /** `](path.md#` plus the start of one of its headings' slugs. */
  readonly markdownHeadingQueries: readonly string[];
}

export function planWorkload(plan: VaultPlan, requests: number): Workload {
  const random = new SeededRandom(plan.seed * 31 + 7);
  const notes = plan.notes;
  const pickNote = (): NoteSpec => notes[random.int(0, notes.length - 1)];
  const workingNote = notes.find((note, index) => index >= Math.floor(notes.length / 3) && note.folder !== '' && !note.sharesName)!;
  const noteQueries: string[] = [];
  const headingQueries: string[] = [];
  const pathQueries: string[] = [];
  const markdownHeadingQueries: string[] = [];
  for (let i = 0; i < requests; i++) {
    const note = pickNote();
    const words = note.name.split(' ');
    const roll = random.next();
    noteQueries.push(roll < 0.1 ? '' : roll < 0.6 ? note.name.slice(0, random.int(1, 6)) : words[random.int(1, words.length - 1)].slice(0, 3));

    // Heading links point at popular notes more often, as links do.
    const target = random.chance(0.5) ? notes[Math.min(notes.length - 1, Math.floor(random.next() ** 3 * notes.length))] : pickNote();
    const heading = random.pick(target.headings);
    const targetPath = target.sharesName ? target.relativePath.slice(0, -3) : target.name;
    headingQueries.push(`${targetPath}#${heading.slice(0, random.int(0, 3))}`);

    pathQueries.push(relativeLink(workingNote.folder, note.relativePath).slice(0, random.int(0, 8)));
    markdownHeadingQueries.push(`${relativeLink(workingNote.folder, target.relativePath)}#${headingSlug(heading).slice(0, random.int(0, 3))}`);
  }
  return { workingNote, hubNote: notes[0], noteQueries, headingQueries, pathQueries, markdownHeadingQueries };
}

/**
 * Positions inside the links of a note (wiki links, or markdown links when
 * `flavor` is markdown), skipping code blocks and comments where nothing links.
 * `headingLinksOnly` keeps links with a `#fragment` (what markdown definition serves).
 */
export function linkPositions(text: string, flavor: 'wiki' | 'markdown', headingLinksOnly = false): Position[] {
  const positions: Position[] = [];
  let inFence = false;
  text.split('\n').forEach((line, lineNumber) => {
    if (line.startsWith('```')) inFence = !inFence;
    if (inFence || line.includes('%%') || line.startsWith('#')) return;
    const opener = flavor === 'wiki' ? '[[' : '](';
    for (let at = line.indexOf(opener); at >= 0; at = line.indexOf(opener, at + 2)) {
      const end = line.indexOf(flavor === 'wiki' ? ']]' : ')', at);
      const target = line.slice(at + 2, end);
      if (headingLinksOnly && (!target.includes('#') || target.startsWith('#'))) continue;
      if (flavor === 'markdown' && target.startsWith('#')) continue;
      positions.push({ line: lineNumber, character: at + 3 });
    }
  });
  return positions;
}

/** A line of the note body that is plain text (no link, not a heading): "references to this note" is asked there. */
export function plainTextPosition(text: string): Position {
  const lines = text.split('\n');
  const heading = lines.findIndex((line) => line.startsWith('# '));
  for (let line = heading + 1; line < lines.length; line++) {
    if (/^[A-Za-z가-힣]/.test(lines[line])) return { line, character: 1 };
  }
  throw new Error('no plain text line');
}
