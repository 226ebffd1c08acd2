import { combineCharacter, disassembleCompleteCharacter } from 'es-hangul';
import type { Position } from 'vscode-languageserver-types';
import { hangulInitials, hasHangul } from '../server/src/core/hangul';
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
  /** Korean typed after `[[` as a Korean user types it (see koreanQueries). */
  readonly korean: KoreanQueries;
}

/**
 * Korean queries after `[[`, from the names of notes with Hangul: their
 * initial consonants (`ㄷㅇㅌ ㅂ`), a prefix ending in a syllable still being
 * composed (`데이터 배ㅍ`, or `회ㄱ`, `제모` for `제목`), whole syllables
 * (`데이터 배`), and `##` plus the start of a Korean heading (vault-wide headings).
 */
export interface KoreanQueries {
  readonly initials: readonly string[];
  readonly composing: readonly string[];
  readonly syllables: readonly string[];
  readonly vaultHeadings: readonly string[];
}

function koreanQueries(plan: VaultPlan, requests: number): KoreanQueries {
  // A stream of its own, so the other queries stay those of earlier runs.
  const random = new SeededRandom(plan.seed * 53 + 11);
  const named = plan.notes.filter((note) => hasHangul(note.name));
  const headed = plan.notes.filter((note) => note.headings.some(hasHangul));
  const initials: string[] = [];
  const composing: string[] = [];
  const syllables: string[] = [];
  const vaultHeadings: string[] = [];
  for (let i = 0; i < requests && named.length; i++) {
    const name = random.pick(named).name;
    initials.push(hangulInitials(name).replace(/[^ㄱ-ㅎ ]/g, '').trim().slice(0, random.int(2, 5)));
    // Cut after a Hangul syllable, then type the next one only partly.
    const cuts = [...name].flatMap((char, at) => (at > 0 && hasHangul(char) ? [at] : []));
    const at = cuts.length ? random.pick(cuts) : name.length - 1;
    const parts = disassembleCompleteCharacter(name[at]);
    const partial = parts ? (parts.jongseong ? combineCharacter(parts.choseong, parts.jungseong) : parts.choseong) : '';
    composing.push(name.slice(0, at) + partial);
    syllables.push(name.slice(0, random.int(1, Math.min(6, name.length))));
    const heading = headed.length ? random.pick(random.pick(headed).headings.filter(hasHangul)) : '';
    vaultHeadings.push(`##${random.chance(0.5) ? hangulInitials(heading).replace(/[^ㄱ-ㅎ ]/g, '').trim().slice(0, 3) : heading.slice(0, random.int(1, 3))}`);
  }
  return { initials, composing, syllables, vaultHeadings };
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
  return { workingNote, hubNote: notes[0], noteQueries, headingQueries, pathQueries, markdownHeadingQueries, korean: koreanQueries(plan, requests) };
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
