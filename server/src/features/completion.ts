import Fuse from 'fuse.js';
import { CompletionItemKind, type CompletionItem, type CompletionList, type Position, type Range } from 'vscode-languageserver-types';
import { headingLinkText } from '../core/headings';
import { prepareQuery, textScore, type SearchFilter } from '../core/fuzzySearch';
import { SegmentedFuzzyIndex } from '../core/fuzzySegments';
import { resolvePath } from '../core/linkResolver';
import { encodeMarkdownDestination, markdownLinkPath, obsidianMarkdownPath, wikiLinkPath } from '../core/linkWriter';
import { isUserIgnored } from '../core/vaultConfig';
import { isImagePath, looseNameKey, noteName } from '../core/names';
import type { IndexedNote, VaultFile, VaultIndex } from '../core/vaultIndex';
import { blockCandidates, newBlockId } from './blockCandidates';
import { ADD_BLOCK_ID_COMMAND, randomBlockId, type AddBlockIdArguments } from './blockIds';

export interface CompletionOptions {
  /** At most this many items; the list is marked incomplete so the editor asks again as the user types. */
  readonly maxItems: number;
}

export const defaultCompletionOptions: CompletionOptions = { maxItems: 50 };

/** A heading or block id found vault-wide, in the note at `path` (vault-relative). */
export interface VaultAnchor {
  readonly path: string;
  /** The heading's text, or the block's id (without the caret). */
  readonly name: string;
  /** The block's line. */
  readonly line?: number;
}

/**
 * The vault-wide search of headings and block ids that `[[##` and `[[^^`
 * need: answered from a derived index (service/symbolIndex.ts), never by
 * reading every note.
 */
export interface IVaultAnchorSearch {
  headings(query: string, limit: number): readonly VaultAnchor[];
  blocks(query: string, limit: number): readonly VaultAnchor[];
}

/** A paragraph or list item of some note, found by its text (capped) vault-wide. */
export interface VaultBlock {
  readonly path: string;
  readonly text: string;
  /** The line that carries, or would carry, its ` ^id`. */
  readonly line: number;
  readonly id?: string;
}

/**
 * The vault-wide search of block texts that `[[^^` needs: answered from a
 * derived index (service/blockTextIndex.ts), never by reading every note;
 * `complete` is false while that index is still being built.
 */
export interface IVaultBlockSearch {
  blocks(query: string, limit: number, except: string): { readonly blocks: readonly VaultBlock[]; readonly complete: boolean };
}

/** What completion needs beyond the catalog: the vault-wide anchor and block searches, and the text of the note being edited (for its blocks). */
export interface CompletionSources {
  readonly anchors?: IVaultAnchorSearch;
  readonly blockTexts?: IVaultBlockSearch;
  readonly noteText?: string;
}

/** What a link target is, as flags: completion and quick fixes ask for some kinds only. */
export const CandidateKind = {
  Note: 1,
  Image: 2,
  Alias: 4,
  /** Hidden by Obsidian's "excluded files". */
  Ignored: 8,
} as const;

/** One thing that can be linked to: a note, a note by one of its aliases, or an attachment. */
export interface LinkCandidate {
  readonly file: VaultFile;
  /** What the user sees and what fuzzy search matches first. */
  readonly label: string;
  readonly alias?: string;
  readonly title?: string;
  readonly path: string;
  readonly isImage: boolean;
  /** Hidden by Obsidian's "excluded files": still linkable, listed last. */
  readonly ignored: boolean;
}

/** A candidate as the catalog keeps it: with the key it is ordered by. */
interface CatalogEntry {
  readonly candidate: LinkCandidate;
  /** The label case-folded: code-unit order (Hangul syllables are in dictionary order there); a locale collator took a third of the build. */
  readonly key: string;
  /** 0 for the file's name, then 1, 2… for its aliases in front-matter order. */
  readonly ordinal: number;
}

/** Files made into candidates per step of a catalog built in the background (a few milliseconds of work). */
export const CATALOG_STEP_FILES = 256;
/** Files of the vault a catalog built in steps lists per step (their loose names; about a millisecond). */
const LIST_STEP_FILES = 1024;
/** Names a segment may hold, built from waiting names or merged from small segments (a slice of its build per step). */
const SEGMENT_NAMES = 4096;
/** Waiting files a search takes in per step before it answers, while within SEARCH_STEP_BUDGET_MS. */
const SEARCH_STEP_FILES = 64;
const SEARCH_STEP_BUDGET_MS = 2;
/**
 * A catalog stepped this recently from outside (the server's background turns)
 * is being built already: a search with something to answer from takes
 * nothing in itself. One step is a slice of a segment's build, and took 2-28 ms
 * on a 2-core machine while a vault was indexed: the keystroke waited for it.
 */
const BUILT_ELSEWHERE_MS = 500;

/**
 * The searchable catalog of a vault's link targets, kept up to date one file
 * at a time (`addFile`, `removeFile`, `updateFile`), never rebuilt per
 * keystroke: its names are in segments (core/fuzzySegments.ts) built in
 * bounded steps. `new LinkCatalog(vault)` is complete at once;
 * `LinkCatalog.inSteps(vault)` takes the vault's files in by `step`, and until
 * it is done answers from the files taken in so far.
 */
export class LinkCatalog {
  readonly #vault: VaultIndex;
  readonly #index: SegmentedFuzzyIndex<CatalogEntry>;
  readonly #entriesOf = new Map<VaultFile, CatalogEntry[]>();
  /** Files whose candidates are not made yet (their names are read from the vault when they are). */
  readonly #waiting = new Set<VaultFile>();
  readonly #byLooseName = new Map<string, VaultFile[]>();
  /**
   * The vault's files a catalog built in steps has not listed yet, read live
   * from the vault (a file removed meanwhile is skipped, one added is listed
   * by its event): listing 10,000 files in the constructor held the thread
   * 10-15 ms at the end of a bulk index, on top of the other indexes' resets.
   */
  #unlisted: Iterator<VaultFile> | undefined;
  readonly #now: () => number;
  /** When `step` was last called from outside (see BUILT_ELSEWHERE_MS). */
  #steppedAt = Number.NEGATIVE_INFINITY;

  constructor(vault: VaultIndex, options: { inSteps?: boolean; now?: () => number } = {}) {
    this.#vault = vault;
    this.#now = options.now ?? Date.now;
    this.#index = new SegmentedFuzzyIndex<CatalogEntry>(
      [
        { text: (entry) => entry.candidate.label, weight: 3 },
        { text: (entry) => entry.candidate.title, weight: 2 },
        { text: (entry) => entry.candidate.path, weight: 2 },
      ],
      (entry) => kindOf(entry.candidate),
      compareEntries,
    );
    this.#unlisted = vault.files();
    if (!options.inSteps) this.takeInAll();
  }

  /** A catalog of `vault` to be built by `step`, a bounded piece at a time. */
  static inSteps(vault: VaultIndex, now?: () => number): LinkCatalog {
    return new LinkCatalog(vault, { inSteps: true, now });
  }

  /** Whether every file added is searchable and the segments are merged: `step` has nothing to do. */
  get isComplete(): boolean {
    return !this.#unlisted && this.#waiting.size === 0 && !this.#index.hasWork;
  }

  /** Whether every file added is searchable (segments may still be merged). */
  get isSearchable(): boolean {
    return !this.#unlisted && this.#waiting.size === 0 && this.#index.pendingCount === 0;
  }

  /** A file came into the vault: its name (and, for a note, title and aliases as indexed when it is taken in). */
  addFile(file: VaultFile): void {
    if (this.#entriesOf.has(file) || this.#waiting.has(file)) return;
    this.#waiting.add(file);
    const loose = looseNameKey(file.relativePath, true);
    const sameLoose = this.#byLooseName.get(loose);
    if (sameLoose) sameLoose.push(file);
    else this.#byLooseName.set(loose, [file]);
  }

  removeFile(file: VaultFile): void {
    this.#waiting.delete(file);
    for (const entry of this.#entriesOf.get(file) ?? []) this.#index.remove(entry);
    this.#entriesOf.delete(file);
    const loose = looseNameKey(file.relativePath, true);
    const sameLoose = this.#byLooseName.get(loose);
    if (!sameLoose?.includes(file)) return;
    if (sameLoose.length === 1) this.#byLooseName.delete(loose);
    else sameLoose.splice(sameLoose.indexOf(file), 1);
  }

  /** A note's title or aliases changed: its candidates are made again. */
  updateFile(file: VaultFile): void {
    if (this.#waiting.has(file)) return;
    for (const entry of this.#entriesOf.get(file) ?? []) this.#index.remove(entry);
    this.#entriesOf.delete(file);
    this.#waiting.add(file);
  }

  /**
   * One bounded piece of building: candidates for at most `maxFiles` waiting
   * files, then one slice of building their segment (or of merging small
   * segments). Returns whether more remains.
   */
  step(maxFiles: number = CATALOG_STEP_FILES): boolean {
    this.#steppedAt = this.#now();
    return this.#step(maxFiles);
  }

  #step(maxFiles: number): boolean {
    this.#list(LIST_STEP_FILES);
    this.#takeIn(maxFiles);
    if (this.#index.hasWork) this.#index.step(SEGMENT_NAMES);
    return !this.isComplete;
  }

  /** Makes every waiting file searchable now, at once. */
  takeInAll(): void {
    if (this.isSearchable) return;
    this.#list(Number.MAX_SAFE_INTEGER);
    this.#takeIn(Number.MAX_SAFE_INTEGER);
    this.#index.flush(Number.MAX_SAFE_INTEGER);
  }

  #list(maxFiles: number): void {
    for (let listed = 0; this.#unlisted && listed < maxFiles; listed++) {
      const next = this.#unlisted.next();
      if (next.done) this.#unlisted = undefined;
      else this.addFile(next.value);
    }
  }

  #takeIn(maxFiles: number): void {
    let taken = 0;
    for (const file of this.#waiting) {
      if (taken++ >= maxFiles) break;
      this.#waiting.delete(file);
      const entries = this.#entriesFor(file);
      this.#entriesOf.set(file, entries);
      for (const entry of entries) this.#index.add(entry);
    }
  }

  #entriesFor(file: VaultFile): CatalogEntry[] {
    const vault = this.#vault;
    const note = file.isNote ? vault.note(file) : undefined;
    const name = file.isNote ? noteName(file.relativePath) : file.relativePath.slice(file.relativePath.lastIndexOf('/') + 1);
    const title = note?.parsed.frontMatter?.title;
    const ignored = isUserIgnored(vault.config, file.relativePath);
    const entries: CatalogEntry[] = [];
    const entry = (candidate: LinkCandidate) => entries.push({ candidate, key: candidate.label.toLowerCase(), ordinal: entries.length });
    entry({ file, label: name, title: title !== name ? title : undefined, path: file.relativePath, isImage: isImagePath(file.relativePath), ignored });
    for (const alias of note?.parsed.frontMatter?.aliases ?? []) entry({ file, label: alias, alias, path: file.relativePath, isImage: false, ignored });
    return entries;
  }

  /** Files whose name differs from `key` only by case, separators or extension (see looseNameKey). */
  filesByLooseName(key: string): readonly VaultFile[] {
    // Every file's loose name, even while the catalog is built: a quick fix must not miss the file it is for.
    this.#list(Number.MAX_SAFE_INTEGER);
    return this.#byLooseName.get(key) ?? [];
  }

  /**
   * The best `limit` candidates of the kinds `accept` takes; ignored files
   * after the rest, each group in fuzzy order. Takes in a few waiting files
   * first (a catalog still being built answers from what it has), unless it
   * has names to answer from and is being built in steps from outside.
   */
  search(query: string, limit: number, accept: (kind: number) => boolean): LinkCandidate[] {
    // A few milliseconds of taking in, in small steps: a small vault is then complete, a large one answers from what it has.
    const builtElsewhere = this.#index.segmentCount > 0 && this.#now() - this.#steppedAt < BUILT_ELSEWHERE_MS;
    const started = this.#now();
    while (!builtElsewhere && !this.isSearchable && this.#now() - started < SEARCH_STEP_BUDGET_MS) this.#step(SEARCH_STEP_FILES);
    const filter: SearchFilter = { accept, demote: (kind) => (kind & CandidateKind.Ignored) !== 0 };
    return this.#index.search(query, limit, filter).map((entry) => entry.candidate);
  }
}

/**
 * The catalog's order, which ranks equal scores: files Obsidian ignores last,
 * then by case-folded label, then by path and the candidate's place in its
 * file, so it is the same however the catalog came to hold them.
 */
function compareEntries(a: CatalogEntry, b: CatalogEntry): number {
  if (a.candidate.ignored !== b.candidate.ignored) return a.candidate.ignored ? 1 : -1;
  if (a.key !== b.key) return a.key < b.key ? -1 : 1;
  if (a.candidate.path !== b.candidate.path) return a.candidate.path < b.candidate.path ? -1 : 1;
  return a.ordinal - b.ordinal;
}

function kindOf(candidate: LinkCandidate): number {
  return (candidate.file.isNote ? CandidateKind.Note : 0) | (candidate.isImage ? CandidateKind.Image : 0) | (candidate.alias ? CandidateKind.Alias : 0) | (candidate.ignored ? CandidateKind.Ignored : 0);
}

/** What the text before the cursor asks for. */
type CompletionContext =
  | { kind: 'wikiTarget'; embed: boolean; query: string; start: number; end: number; closed: boolean }
  | { kind: 'vaultHeading' | 'vaultBlock'; query: string; start: number; end: number; closed: boolean }
  | { kind: 'wikiHeading'; notePath: string; query: string; start: number; end: number; closed: boolean }
  | { kind: 'wikiBlock'; notePath: string; query: string; start: number; end: number; closed: boolean }
  | { kind: 'markdownHeading'; notePath: string; query: string; start: number; end: number }
  | { kind: 'markdownPath'; query: string; start: number; end: number };

/**
 * Finds the link being typed at `character` of `line`. `start`..`end` is the text
 * the completion replaces: what was typed of the target plus what follows the
 * cursor up to `#`, `|` or `]]`, so accepting never duplicates text already there.
 */
export function completionContextAt(line: string, character: number): CompletionContext | undefined {
  const before = line.slice(0, character);
  const open = before.lastIndexOf('[[');
  if (open >= 0 && !before.slice(open).includes(']]')) {
    const typed = before.slice(open + 2);
    if (typed.includes('|')) return undefined; // typing an alias: nothing to suggest
    const after = line.slice(character);
    const nextOpen = after.indexOf('[[');
    const closeAt = after.indexOf(']]');
    const closed = closeAt >= 0 && (nextOpen < 0 || closeAt < nextOpen);
    // An editor that auto-closed one bracket leaves `[[|]`: that lone `]` is replaced too, or accepting would write `]]]`.
    const lone = closed ? null : /^([^[\]|#]*)\](?!\])/.exec(after);
    const embed = open > 0 && line[open - 1] === '!';
    const hash = typed.indexOf('#');
    const rest = closed ? /^[^|\]#]*/.exec(after)![0].length : lone ? lone[1].length + 1 : 0;
    // Obsidian's vault-wide searches: `[[##heading`, `[[^^block`; the whole `##…` is replaced by `Note#Heading`.
    if (typed.startsWith('##') || typed.startsWith('^^')) {
      return { kind: typed.startsWith('##') ? 'vaultHeading' : 'vaultBlock', query: typed.slice(2), start: open + 2, end: character + rest, closed };
    }
    if (hash < 0) return { kind: 'wikiTarget', embed, query: typed, start: open + 2, end: character + rest, closed };
    const notePath = typed.slice(0, hash);
    const sub = typed.slice(hash + 1);
    const lastHash = sub.lastIndexOf('#');
    const segmentStart = open + 2 + hash + 1 + (lastHash + 1);
    const restOfSegment = closed ? /^[^|\]#]*/.exec(after)![0].length : lone ? lone[1].length + 1 : 0;
    if (sub.startsWith('^')) {
      return { kind: 'wikiBlock', notePath, query: sub.slice(1), start: open + 2 + hash + 2, end: character + restOfSegment, closed };
    }
    return { kind: 'wikiHeading', notePath, query: sub.slice(lastHash + 1), start: segmentStart, end: character + restOfSegment, closed };
  }
  const markdown = /\]\(<?([^()\s>]*)$/.exec(before);
  if (markdown) {
    const typed = markdown[1];
    const typedStart = character - typed.length;
    const rest = /^[^)\s>#]*/.exec(line.slice(character))![0].length;
    const hash = typed.indexOf('#');
    if (hash >= 0) {
      return { kind: 'markdownHeading', notePath: decodeSafe(typed.slice(0, hash)), query: decodeSafe(typed.slice(hash + 1)), start: typedStart + hash + 1, end: character + rest };
    }
    return { kind: 'markdownPath', query: decodeSafe(typed), start: typedStart, end: character + rest };
  }
  return undefined;
}

/**
 * Completion inside links: notes (and their aliases) after `[[`, attachments
 * first after `![[`, headings after `[[#` or `[[Note#`, block ids after `#^`,
 * and headings or paths inside markdown links. Ranked fuzzily, bounded.
 */
export function provideCompletions(
  vault: VaultIndex,
  catalog: LinkCatalog,
  note: IndexedNote,
  lineText: string,
  position: Position,
  options: CompletionOptions = defaultCompletionOptions,
  sources: CompletionSources = {},
): CompletionList {
  const context = completionContextAt(lineText, position.character);
  if (!context) return { isIncomplete: false, items: [] };
  const range = (start: number, end: number): Range => ({ start: { line: position.line, character: start }, end: { line: position.line, character: end } });
  const replace = range(context.start, context.end);
  const typedText = lineText.slice(context.start, position.character);
  // With Obsidian's "Use [[Wikilinks]]" off (app.json useMarkdownLinks), a picked item is
  // written as a markdown link, replacing the whole `[[…` typed (when nothing but `]]` follows it).
  const markdown = vault.config.useMarkdownLinks && context.kind !== 'markdownHeading' && context.kind !== 'markdownPath' ? markdownLinkRange(lineText, position.character, context) : undefined;
  const markdownItem = (label: string, linkText: string, destination: string): Pick<CompletionItem, 'filterText' | 'textEdit'> => ({
    filterText: lineText.slice(markdown!.start, position.character) + label,
    textEdit: { range: range(markdown!.start, markdown!.end), newText: `[${linkText}](${destination})` },
  });

  switch (context.kind) {
    case 'wikiTarget': {
      const closing = context.closed ? '' : ']]';
      // After `![[`, images first, then other attachments, then notes (notes embed too).
      const rank = (c: LinkCandidate) => (c.isImage ? 0 : 1);
      const ordered = context.embed
        ? [...catalog.search(context.query, options.maxItems, (kind) => !(kind & CandidateKind.Note)).sort((a, b) => rank(a) - rank(b)), ...catalog.search(context.query, options.maxItems, (kind) => (kind & CandidateKind.Note) !== 0)].slice(0, options.maxItems)
        : catalog.search(context.query, options.maxItems, () => true);
      const items = ordered.map((candidate, index): CompletionItem => {
        const item: CompletionItem = {
          label: candidate.label,
          kind: CompletionItemKind.File,
          detail: candidate.alias ? `alias of ${noteName(candidate.file.relativePath)}` : candidate.file.relativePath,
          sortText: String(index).padStart(5, '0'),
        };
        if (markdown) {
          // An embedded attachment gets no alt text, as Obsidian writes it: `![](pic.png)`.
          const shown = context.embed && !candidate.file.isNote ? '' : candidate.label;
          return { ...item, ...markdownItem(candidate.label, shown, obsidianMarkdownPath(vault, note.file, candidate.file)) };
        }
        const linkText = wikiLinkPath(vault, note.file, candidate.file);
        const insert = candidate.alias ? `${linkText}|${candidate.alias}` : linkText;
        // Our fuzzy ranking decides the order: every item filters as the typed text.
        return { ...item, filterText: typedText + candidate.label, textEdit: { range: replace, newText: insert + closing } };
      });
      return { isIncomplete: true, items };
    }
    case 'wikiHeading':
    case 'markdownHeading': {
      const target = context.notePath.trim() === '' ? note : noteFor(vault, note, context.notePath, context.kind === 'markdownHeading' ? 'markdown' : 'wiki');
      if (!target) return { isIncomplete: false, items: [] };
      const headings = fuzzyFilter(target.parsed.headings, context.query, (heading) => heading.text);
      const closing = context.kind === 'wikiHeading' && !context.closed ? ']]' : '';
      const items = headings.slice(0, options.maxItems * 4).map((heading, index): CompletionItem => {
        const text = context.kind === 'wikiHeading' ? headingLinkText(heading.text) : encodeMarkdownDestination(heading.text);
        const item: CompletionItem = {
          label: heading.text,
          kind: CompletionItemKind.Reference,
          detail: `${'#'.repeat(heading.level)} ${target === note ? 'in this note' : `in ${target.name}`}`,
          filterText: typedText + heading.text,
          sortText: String(index).padStart(5, '0'),
          textEdit: { range: replace, newText: text + closing },
        };
        if (!markdown) return item;
        // Obsidian's markdown heading links carry the heading itself, encoded (not a GitHub slug).
        const fragment = `#${encodeMarkdownDestination(heading.text)}`;
        return target === note
          ? { ...item, ...markdownItem(heading.text, heading.text, fragment) }
          : { ...item, ...markdownItem(heading.text, `${target.name} > ${heading.text}`, obsidianMarkdownPath(vault, note.file, target.file) + fragment) };
      });
      return { isIncomplete: false, items };
    }
    case 'wikiBlock': {
      const target = context.notePath.trim() === '' ? note : noteFor(vault, note, context.notePath, 'wiki');
      if (!target) return { isIncomplete: false, items: [] };
      const closing = context.closed ? '' : ']]';
      const blocks = fuzzyFilter(target.parsed.blocks, context.query, (block) => block.id);
      return {
        isIncomplete: false,
        items: blocks.map((block, index): CompletionItem => {
          const item: CompletionItem = {
            label: `^${block.id}`,
            kind: CompletionItemKind.Reference,
            detail: `line ${block.line + 1}${target === note ? '' : ` of ${target.name}`}`,
            filterText: '^' + typedText + block.id,
            sortText: String(index).padStart(5, '0'),
            textEdit: { range: replace, newText: block.id + closing },
          };
          if (!markdown) return item;
          const fragment = `#^${block.id}`;
          return target === note
            ? { ...item, ...markdownItem(`^${block.id}`, `^${block.id}`, fragment) }
            : { ...item, ...markdownItem(`^${block.id}`, `${target.name} > ^${block.id}`, obsidianMarkdownPath(vault, note.file, target.file) + fragment) };
        }),
      };
    }
    case 'vaultHeading': {
      const closing = context.closed ? '' : ']]';
      const items: CompletionItem[] = [];
      for (const anchor of sources.anchors?.headings(context.query, options.maxItems) ?? []) {
        const target = vault.fileAt(anchor.path);
        if (!target) continue;
        const sameNote = target === note.file;
        const item: CompletionItem = {
          label: anchor.name,
          kind: CompletionItemKind.Reference,
          detail: sameNote ? 'in this note' : `in ${noteName(anchor.path)}`,
          filterText: typedText + anchor.name,
          sortText: String(items.length).padStart(5, '0'),
        };
        if (markdown) {
          const fragment = `#${encodeMarkdownDestination(anchor.name)}`;
          items.push(sameNote ? { ...item, ...markdownItem(anchor.name, anchor.name, fragment) } : { ...item, ...markdownItem(anchor.name, `${noteName(anchor.path)} > ${anchor.name}`, obsidianMarkdownPath(vault, note.file, target) + fragment) });
        } else {
          items.push({ ...item, textEdit: { range: replace, newText: `${sameNote ? '' : wikiLinkPath(vault, note.file, target)}#${headingLinkText(anchor.name)}${closing}` } });
        }
      }
      return { isIncomplete: true, items };
    }
    case 'vaultBlock':
      // Always incomplete: the editor asks again as the user types (and the block text index may still be filling).
      return { isIncomplete: true, items: vaultBlockItems(vault, note, context, replace, typedText, options, sources, markdown ? markdownItem : undefined).items };
    case 'markdownPath': {
      const found = catalog.search(context.query, options.maxItems, (kind) => !(kind & CandidateKind.Alias));
      return {
        isIncomplete: true,
        items: found.map((candidate, index) => ({
          label: candidate.path,
          kind: CompletionItemKind.File,
          filterText: typedText + candidate.path,
          sortText: String(index).padStart(5, '0'),
          textEdit: { range: replace, newText: markdownLinkPath(note.file, candidate.file.relativePath) },
        })),
      };
    }
  }
}

/**
 * `[[^^query`: the blocks of the note being edited, matched by their text
 * (one without an id gets one, appended to its line by the same completion,
 * as Obsidian does), then the blocks of other notes matched by their text
 * (the block text index), then blocks of other notes by id. Picking another
 * note's block that has no id inserts the link with a new id and carries a
 * command (ADD_BLOCK_ID_COMMAND) that the server runs to write ` ^id` into
 * that note: an edit the user asked for by picking it.
 */
function vaultBlockItems(
  vault: VaultIndex,
  note: IndexedNote,
  context: { readonly query: string; readonly closed: boolean },
  replace: Range,
  typedText: string,
  options: CompletionOptions,
  sources: CompletionSources,
  markdownItem: ((label: string, linkText: string, destination: string) => Pick<CompletionItem, 'filterText' | 'textEdit'>) | undefined,
): { items: CompletionItem[]; complete: boolean } {
  const closing = context.closed ? '' : ']]';
  const items: CompletionItem[] = [];
  const push = (item: Omit<CompletionItem, 'sortText'>) => items.push({ ...item, sortText: String(items.length).padStart(5, '0') });
  const taken = new Set(note.parsed.blocks.map((block) => block.id.toLowerCase()));
  const shorten = (text: string) => (text.length > 80 ? `${text.slice(0, 79)}…` : text);
  if (sources.noteText !== undefined) {
    const here = blockCandidates(sources.noteText, note.parsed.blocks).filter((block) => block.text !== '' && block.line !== replace.start.line);
    for (const block of fuzzyFilter(here, context.query, (candidate) => candidate.text).slice(0, options.maxItems)) {
      const id = block.id ?? newBlockId(block.text, taken);
      taken.add(id.toLowerCase());
      const shown = shorten(block.text);
      const item: Omit<CompletionItem, 'sortText'> = {
        label: shown,
        kind: CompletionItemKind.Reference,
        detail: block.id ? `^${block.id}` : `line ${block.line + 1}: adds ^${id}`,
        filterText: typedText + block.text,
        ...(block.id ? {} : { additionalTextEdits: [{ range: { start: { line: block.line, character: block.endCharacter }, end: { line: block.line, character: block.endCharacter } }, newText: ` ^${id}` }] }),
      };
      push(markdownItem ? { ...item, ...markdownItem(shown, `^${id}`, `#^${id}`) } : { ...item, textEdit: { range: replace, newText: `#^${id}${closing}` } });
    }
  }
  const offered = new Set<string>();
  const linkItem = (target: VaultFile, path: string, id: string, item: Omit<CompletionItem, 'sortText'>): Omit<CompletionItem, 'sortText'> =>
    markdownItem
      ? { ...item, ...markdownItem(item.label, `${noteName(path)} > ^${id}`, obsidianMarkdownPath(vault, note.file, target) + `#^${id}`) }
      : { ...item, textEdit: { range: replace, newText: `${wikiLinkPath(vault, note.file, target)}#^${id}${closing}` } };
  const found = sources.blockTexts?.blocks(context.query, options.maxItems, note.file.relativePath);
  const takenByNote = new Map<string, Set<string>>();
  for (const block of found?.blocks ?? []) {
    if (items.length >= options.maxItems) break;
    const target = vault.fileAt(block.path);
    const targetNote = target && vault.note(target);
    if (!target || !targetNote || target === note.file) continue;
    const shown = shorten(block.text);
    if (block.id) {
      offered.add(`${block.path}\n${block.id.toLowerCase()}`);
      push(linkItem(target, block.path, block.id, { label: shown, kind: CompletionItemKind.Reference, detail: `^${block.id} in ${noteName(block.path)}`, filterText: typedText + block.text }));
      continue;
    }
    // Obsidian's ids: random, and none the other note has (nor one offered for another of its blocks).
    let takenThere = takenByNote.get(block.path);
    if (!takenThere) takenByNote.set(block.path, (takenThere = new Set(targetNote.parsed.blocks.map((anchor) => anchor.id.toLowerCase()))));
    const id = randomBlockId(takenThere);
    takenThere.add(id);
    const args: AddBlockIdArguments = { uri: target.uri, line: block.line, text: block.text, id };
    push({
      ...linkItem(target, block.path, id, { label: shown, kind: CompletionItemKind.Reference, detail: `in ${noteName(block.path)}, line ${block.line + 1}: adds ^${id} there`, filterText: typedText + block.text }),
      command: { title: `Give the block in ${noteName(block.path)} the id ^${id}`, command: ADD_BLOCK_ID_COMMAND, arguments: [args] },
    });
  }
  for (const anchor of sources.anchors?.blocks(context.query, options.maxItems) ?? []) {
    if (items.length >= options.maxItems) break;
    const target = vault.fileAt(anchor.path);
    if (!target || target === note.file || offered.has(`${anchor.path}\n${anchor.name.toLowerCase()}`)) continue;
    push(linkItem(target, anchor.path, anchor.name, {
      label: `^${anchor.name}`,
      kind: CompletionItemKind.Reference,
      detail: `in ${noteName(anchor.path)}${anchor.line !== undefined ? `, line ${anchor.line + 1}` : ''}`,
      filterText: typedText + anchor.name,
    }));
  }
  return { items, complete: found?.complete ?? true };
}

/** Where a markdown link replaces the wiki link being typed: from `[[` to the cursor's segment end, and its `]]` if only that follows. */
function markdownLinkRange(lineText: string, character: number, context: { readonly end: number; readonly closed: boolean }): { start: number; end: number } | undefined {
  const start = lineText.slice(0, character).lastIndexOf('[[');
  if (start < 0) return undefined;
  if (!context.closed) return { start, end: context.end };
  // `[[Note#Heading|shown]]`: more than the target follows; the link stays a wiki link.
  return lineText.startsWith(']]', context.end) ? { start, end: context.end + 2 } : undefined;
}

function noteFor(vault: VaultIndex, from: IndexedNote, path: string, kind: 'wiki' | 'markdown'): IndexedNote | undefined {
  const { file } = resolvePath(vault, from.file, path, kind);
  return file ? vault.note(file) : undefined;
}

/** One note's headings or blocks matching `query`: typo-tolerant (Fuse), and for Korean as typed (initials, a syllable being composed) first. */
function fuzzyFilter<T>(items: readonly T[], query: string, text: (item: T) => string): T[] {
  if (query.trim() === '') return [...items];
  const fuse = new Fuse(items as T[], { keys: [{ name: 'text', getFn: (item) => text(item) }], threshold: 0.45, ignoreLocation: true });
  const fuzzy = fuse.search(query).map((match) => match.item);
  const prepared = prepareQuery(query);
  if (prepared.jamo === undefined && prepared.initials === undefined) return fuzzy;
  // Fuse knows nothing of jamo: `ㅅㅇㅈ` or `제모` match only here. Best first, then what Fuse adds.
  const korean = items
    .map((item, at) => ({ item, at, score: textScore(text(item), prepared) }))
    .filter((entry) => entry.score > 0)
    .sort((a, b) => b.score - a.score || a.at - b.at)
    .map((entry) => entry.item);
  const found = new Set(korean);
  return [...korean, ...fuzzy.filter((item) => !found.has(item))];
}

function decodeSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
