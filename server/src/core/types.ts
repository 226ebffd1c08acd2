import type { Range } from 'vscode-languageserver-types';

/** What one parse of a note yields: everything the index and the features need. */
export interface ParsedNote {
  readonly frontMatter: FrontMatter | undefined;
  readonly headings: readonly Heading[];
  readonly links: readonly NoteLink[];
  readonly blocks: readonly BlockAnchor[];
  readonly tags: readonly TagMention[];
  readonly lineCount: number;
  /**
   * The note's text with front matter, code, comments and math blanked out, every
   * offset and line break kept: the prose a reader sees. Features that read lines
   * the parse does not structure (a conference's day and speaker lines, a table of
   * contents) use it, so they work on notes that are not open and never see code.
   * Kept only for notes that may be conference notes (`isConferenceCandidate`)
   * or when asked (`parseNote(text, { keepProse: true })`); empty otherwise and
   * for a note too large to parse.
   */
  readonly proseText: string;
  /** Set when the note was too large to parse; the note is then indexed by name only. */
  readonly skippedReason?: string;
}

export interface FrontMatter {
  /** The whole block, fences included. */
  readonly range: Range;
  readonly title?: string;
  readonly aliases: readonly string[];
  readonly tags: readonly string[];
  readonly categories: readonly string[];
  /** Every top-level key, as parsed; undefined when the YAML is broken. */
  readonly data: Readonly<Record<string, unknown>> | undefined;
  readonly errors: readonly FrontMatterError[];
}

export interface FrontMatterError {
  readonly message: string;
  readonly range: Range;
}

export interface Heading {
  readonly level: number;
  /** The raw source text of the heading, markers removed (`**bold**` stays). */
  readonly text: string;
  /** The whole heading line. */
  readonly range: Range;
  /** Just the text. */
  readonly textRange: Range;
  /** Obsidian's reduced form, used to match `[[#...]]` links. */
  readonly matchKey: string;
}

export interface BlockAnchor {
  /** As written, without the caret. */
  readonly id: string;
  /** The `^id` marker. */
  readonly range: Range;
  /** The line the block id names (for a lone `^id` line, the block above). */
  readonly line: number;
}

export interface TagMention {
  /** Without the `#`. */
  readonly name: string;
  readonly range: Range;
}

export type LinkSubpath =
  | { readonly kind: 'heading'; readonly headings: readonly string[] }
  | { readonly kind: 'block'; readonly id: string };

export interface NoteLink {
  readonly kind: 'wiki' | 'markdown';
  /** `![[...]]` or `![alt](...)`. */
  readonly embed: boolean;
  /** The whole link, brackets included. */
  readonly range: Range;
  /** The target as written: path plus subpath, before any `|`. */
  readonly target: string;
  readonly targetRange: Range;
  /** The path part, decoded (markdown links are URL-decoded); empty for `[[#Heading]]`. */
  readonly path: string;
  readonly pathRange: Range;
  readonly subpath?: LinkSubpath;
  readonly subpathRange?: Range;
  /** The alias of a wiki link or the text of a markdown link. */
  readonly display?: string;
  /** `|300` or `|300x200` on an embed. */
  readonly size?: { readonly width: number; readonly height?: number };
  /** A URL with a scheme (`https:`, `mailto:`): never resolved, fetched or reported. */
  readonly external: boolean;
  /**
   * Written inside a `%% … %%` comment. Obsidian indexes such links (they count
   * as backlinks and are renamed with their target) but reading view hides them,
   * so features that describe what a reader sees leave them out. Absent otherwise.
   */
  readonly inComment?: true;
}
