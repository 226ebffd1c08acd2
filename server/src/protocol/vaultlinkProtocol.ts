// Vaultlink's own LSP messages (`vaultlink/…`, documented in the README): their
// method names and the wire shapes of their parameters and results, written once
// for both ends. The server builds its message objects from this in
// server/src/lsp/protocol.ts, the client in client/src/protocol.ts.
//
// Types only, so importing it costs nothing at runtime: the client imports it
// with `import type` (lint), which the bundler erases, so no server code ships in
// the extension. Shapes are plain JSON data as they cross the wire (a range is
// `{ start: { line, character }, end: … }`), never classes of either side.
// Lint keeps this file free of runtime imports. Features whose answer is one of
// these shapes import it (types only); server/src/lsp/protocol.ts checks at
// compile time that what the other features build is assignable to them.

// ---- shared pieces ----------------------------------------------------------

/** A zero-based line and UTF-16 column, as LSP counts them. */
export interface WirePosition {
  readonly line: number;
  readonly character: number;
}

export interface WireRange {
  readonly start: WirePosition;
  readonly end: WirePosition;
}

export interface WireTextEdit {
  readonly range: WireRange;
  readonly newText: string;
}

// ---- `vaultlink/status` and `vaultlink/reindex` ----------------------------

export interface IndexStatus {
  readonly state: 'indexing' | 'ready';
  readonly notes: number;
  readonly attachments: number;
  /** How long the last full index took. */
  readonly milliseconds?: number;
  /** Once indexed: what the user should know about the vaults' setup (the editor shows each once). */
  readonly notices?: readonly VaultNotice[];
}

/** A broken `.obsidian/app.json`, or a vault larger than Vaultlink is measured for. */
export interface VaultNotice {
  readonly kind: 'appJson' | 'tooLarge';
  /** The app.json file, or the vault's folder. */
  readonly uri: string;
  readonly message: string;
}

// ---- `vaultlink/indexStats` -------------------------------------------------

export interface IndexStats {
  readonly notes: number;
  readonly attachments: number;
  /** Notes parsed from text since the server started (parse-cache hits not counted). */
  readonly parses: number;
  /** Whether an index is running; `indexed` of `total` files are done. */
  readonly indexing: boolean;
  readonly indexed: number;
  readonly total: number;
}

// ---- `vaultlink/notesChangedOnDisk` ----------------------------------------

export interface NotesChangedOnDiskParams {
  readonly uris: string[];
}

// ---- `vaultlink/filesChanged` ------------------------------------------------

/** Files (notes, images, any file) whose creation, change or deletion the server has now taken in. */
export interface FilesChangedParams {
  readonly uris: string[];
}

// ---- `vaultlink/talks` -------------------------------------------------------

export interface TalksParams {
  /** One note's outline; every conference note of the vault when absent. */
  readonly uri?: string;
}

export type TalkLinkKind = 'slides' | 'video' | 'page';

export interface TalkLink {
  readonly kind: TalkLinkKind;
  readonly url: string;
  /** The link's text, when it has one. */
  readonly label?: string;
}

export interface Talk {
  /** The talk's own title, without time and track. */
  readonly title: string;
  /** `HH:MM`. */
  readonly time?: string;
  /** `HH:MM`, the end of a range (`10:00–10:40`). */
  readonly endTime?: string;
  /** Normalized: `Track 1`. */
  readonly track?: string;
  /** `Room B`, `A홀`. */
  readonly room?: string;
  readonly speaker?: string;
  /** Set when the talk's section has no text of its own yet. */
  readonly needsNotes?: true;
  /** The talk's heading line. */
  readonly range: WireRange;
  readonly links: readonly TalkLink[];
  /** Images embedded in the talk (`![[x.png]]`, `![alt](x.png)`). */
  readonly images: number;
  /** Of those, the ones that resolve to no file in the vault. */
  readonly brokenImages: number;
}

export interface TalkDay {
  /** As written (`1일차`); empty for a note without day lines. */
  readonly label: string;
  /** `YYYY-MM-DD`, when the day line gives a full date, or a month and day and the note its year. */
  readonly date?: string;
  /** `MM-DD`, when the day line gives a month and day and the note no year. */
  readonly monthDay?: string;
  readonly talks: readonly Talk[];
}

export interface Conference {
  readonly uri: string;
  readonly title: string;
  readonly days: readonly TalkDay[];
  /** From the front matter (`year`, `date`), else the year in the title. */
  readonly year?: number;
  /** An IANA time zone from the front matter (`timezone`). */
  readonly timeZone?: string;
}

// ---- `vaultlink/talkCalendar` -------------------------------------------------

export interface TalkCalendarParams {
  /** The outlines to export, as `vaultlink/talks` gave them (filtered as the user chose). */
  readonly conferences: readonly Conference[];
}

export interface TalkCalendarResult {
  /** The iCalendar file (RFC 5545). */
  readonly text: string;
  /** Talks written as events. */
  readonly events: number;
  /** Talks left out because their day has no date. */
  readonly skipped: number;
}

// ---- `vaultlink/talkExport` --------------------------------------------------

export type TalkExportFormat = 'markdown' | 'csv' | 'json';

export interface TalkExportParams {
  /** The outlines to export, as `vaultlink/talks` gave them (filtered as the user chose). */
  readonly conferences: readonly Conference[];
  readonly format: TalkExportFormat;
}

export interface TalkExportResult {
  /** A GitHub-flavoured markdown table, RFC 4180 CSV, or JSON: what `vaultlink outline --format` prints. */
  readonly text: string;
  /** Talks in it. */
  readonly talks: number;
}

// ---- `vaultlink/tableOfContents` ---------------------------------------------

export interface TableOfContentsParams {
  readonly uri: string;
}

// ---- `vaultlink/previewLinks` -------------------------------------------------

export interface PreviewLinksParams {
  readonly uri: string;
}

/**
 * What one wiki link or embed of a note leads to, for the markdown preview to
 * draw it: the server resolves (Obsidian's rules), the preview only looks up.
 */
export interface PreviewLink {
  /** The link's target as written, path and subpath, before any `|`: what the preview looks it up by. */
  readonly target: string;
  /** No such file, heading or block: drawn as a broken link. */
  readonly broken: boolean;
  /** Why it is broken, for the link's tooltip. */
  readonly problem?: string;
  /** The target file, relative to the previewed note's folder, each segment URL-encoded: a preview href. */
  readonly href?: string;
  /** The vault-relative path of the target file, for tooltips. */
  readonly path?: string;
  /** The target is an image: its embed shows it. */
  readonly image?: boolean;
  /** The target file is the previewed note itself (`[[#Heading]]`). */
  readonly sameNote?: boolean;
  /** The heading the link names: its raw text and its line (zero-based) in its note. */
  readonly heading?: { readonly text: string; readonly line: number };
  /** The block the link names, and the line it is on. */
  readonly block?: { readonly id: string; readonly line: number };
  /** For an embedded note, section or block: its markdown and its own links, one level deep. */
  readonly embed?: PreviewEmbed;
}

export interface PreviewEmbed {
  readonly markdown: string;
  /** The embedded text was cut at the size limit. */
  readonly truncated: boolean;
  /** The resolutions of the links inside the embedded text (from the embedded note); their embeds are not expanded. */
  readonly links: readonly PreviewLink[];
}

export interface PreviewLinks {
  readonly uri: string;
  readonly links: readonly PreviewLink[];
}

// ---- `vaultlink/followLink` ---------------------------------------------------

export interface FollowLinkParams {
  /** The note the link is in. */
  readonly uri: string;
  /** Anywhere in the link. */
  readonly position: WirePosition;
}

/** Creates a file (failing if one exists), then writes its text: a WorkspaceEdit's `documentChanges` as LSP spells them. */
export type WireCreateNoteChange =
  | { readonly kind: 'create'; readonly uri: string; readonly options?: { readonly overwrite?: boolean; readonly ignoreIfExists?: boolean } }
  | { readonly textDocument: { readonly uri: string; readonly version: number | null }; readonly edits: WireTextEdit[] };

export interface FollowLinkResult {
  /** The note the link leads to. */
  readonly uri: string;
  /** When the note is missing: the edit that creates it, for the client to apply before opening it. */
  readonly edit?: { readonly documentChanges: WireCreateNoteChange[] };
  /** The new note's vault-relative path, when it is created. */
  readonly relativePath?: string;
}

// ---- `vaultlink/attachmentTarget` -------------------------------------------

/** One file pasted or dropped into a note. */
export interface AttachmentSource {
  /** The file's own name (`diagram.png`); absent for image data without one (a screenshot on the clipboard). */
  readonly name?: string;
  /** Where the file is now, when it is one (dropped from the explorer or the desktop). */
  readonly sourceUri?: string;
  /** The data's MIME type (`image/png`): gives a nameless pasted image its extension. */
  readonly mimeType?: string;
}

export interface AttachmentTargetParams {
  /** The note the files are pasted or dropped into. */
  readonly uri: string;
  readonly files: readonly AttachmentSource[];
}

/** Where one file goes (the folder `.obsidian/app.json` names, inside the vault) and the link to insert for it. */
export interface AttachmentTarget {
  /** Where the client writes the bytes; absent when the file is in the vault already and is only linked. */
  readonly targetUri?: string;
  /** The file's vault-relative path once placed. */
  readonly relativePath: string;
  /** `![[Pasted image 20240131093005.png]]`, or `![](…)` in a vault set to markdown links. */
  readonly linkText: string;
}

// ---- `vaultlink/backlinks` and `vaultlink/unlinkedMentions` -----------------------

export interface BacklinksParams {
  /** The note whose links in and out are asked for. */
  readonly uri: string;
}

/** A line of a note around a link or mention, for a view to show. */
export interface MentionPreview {
  /** The line's text (trimmed, and cut around the mention when long). */
  readonly text: string;
  /** Where the link or mention is in `text`, as [start, end) UTF-16 offsets. */
  readonly highlight: readonly [number, number];
}

/** A link in another note pointing at the note. */
export interface LinkedMention {
  /** The whole link in the linking note. */
  readonly range: WireRange;
  readonly preview: MentionPreview;
}

/** A note that links to (or mentions) the note, with each of its links (or mentions) in order. */
export interface MentioningNote<T> {
  readonly uri: string;
  /** The note's name (file name without `.md`). */
  readonly name: string;
  /** Vault-relative path, `/`-separated. */
  readonly relativePath: string;
  readonly mentions: readonly T[];
}

export interface OutgoingLink {
  /** The link in the note itself. */
  readonly range: WireRange;
  /** The target as written (path and subpath). */
  readonly target: string;
  readonly embed: boolean;
  /** `broken`: no such file, or no such heading or block in it. */
  readonly state: 'resolved' | 'broken';
  /** The file it opens, when there is one. */
  readonly targetUri?: string;
  /** Where in the target it leads (a heading's or block's line); absent for the file's start. */
  readonly targetRange?: WireRange;
  readonly preview: MentionPreview;
}

export interface Backlinks {
  readonly uri: string;
  readonly name: string;
  /** Notes linking here, by path; links from the note to itself are not counted. */
  readonly linked: readonly MentioningNote<LinkedMention>[];
  /** How many links those notes hold in all. */
  readonly linkCount: number;
  /** The note's own links to other files (links within the note and web links left out), in note order. */
  readonly outgoing: readonly OutgoingLink[];
}

/** The note's name or an alias written as plain text in another note. */
export interface UnlinkedMention {
  /** The mention's text in the other note. */
  readonly range: WireRange;
  /** As written there (its case may differ from the name's). */
  readonly text: string;
  readonly preview: MentionPreview;
  /** "Link it": replaces `range` with `[[Note]]`, `[[Note|text]]` or a markdown link, in the vault's link style. */
  readonly edit: WireTextEdit;
}

export interface UnlinkedMentions {
  readonly uri: string;
  /** The names looked for: the note's name and aliases. */
  readonly names: readonly string[];
  readonly notes: readonly MentioningNote<UnlinkedMention>[];
  /** False when the search stopped at its limit of mentions: there are more. */
  readonly complete: boolean;
}

// ---- `vaultlink/search` ------------------------------------------------------

/**
 * What a quick-open search looks for: notes (and their aliases) to open,
 * headings of every note, talks of every conference note, or link targets to
 * insert (notes, aliases, attachments, as after `[[`).
 */
export type SearchKind = 'notes' | 'headings' | 'talks' | 'links';

export interface SearchParams {
  readonly kind: SearchKind;
  /** As typed: matched fuzzily, Korean by initials and by a syllable being composed too. */
  readonly query: string;
  /** At most this many hits (default 50, at most 500). */
  readonly limit?: number;
  /** For `links`: the note the link goes into (its vault, and the path form the link takes). */
  readonly uri?: string;
}

export interface SearchHit {
  /** What the pick shows: a note's name, an alias, a heading, a talk's title. */
  readonly label: string;
  /** Where it is: the note (for a talk, its time and track first), or what an alias names. */
  readonly description?: string;
  /** The file to open. */
  readonly uri: string;
  /** Where to put the cursor in it (a heading's or talk's text); absent for a note. */
  readonly range?: WireRange;
  /** For `links`: the link to insert at the cursor, written as the vault writes links (`[[Note]]`, `[[Note|Alias]]` or a markdown link). */
  readonly insertText?: string;
}

// ---- the messages -------------------------------------------------------------

/**
 * Client → server requests, by method name. Each side constructs its message
 * objects from a method name typed `keyof VaultlinkRequests`, so a renamed or
 * misspelt method, or a changed shape, fails to compile on both sides.
 */
export interface VaultlinkRequests {
  /** Forget everything and index the workspace again. Takes no parameters. */
  'vaultlink/reindex': { readonly params: void; readonly result: IndexStatus };
  /** The talk outline of one note, or of every conference note. */
  'vaultlink/talks': { readonly params: TalksParams; readonly result: Conference[] };
  /** Talk outlines as an iCalendar file: each talk an event; the settings' year and time zone for notes that give none. */
  'vaultlink/talkCalendar': { readonly params: TalkCalendarParams; readonly result: TalkCalendarResult };
  /** The outlines as a markdown table, CSV or JSON, as the CLI's `outline` writes them. */
  'vaultlink/talkExport': { readonly params: TalkExportParams; readonly result: TalkExportResult };
  /** The edits that insert or refresh a note's `[[#Heading|Heading]]` table of contents; none when it is current. */
  'vaultlink/tableOfContents': { readonly params: TableOfContentsParams; readonly result: WireTextEdit[] };
  /**
   * Following the link at a position, as a click does: the note it leads to,
   * with the edit that creates it when it is missing (in the folder
   * `.obsidian/app.json` names); null when no link to a note is there or the
   * note would lie outside the vault.
   */
  'vaultlink/followLink': { readonly params: FollowLinkParams; readonly result: FollowLinkResult | null };
  /** What the index holds now and how much work it has done: for status displays, benchmarks and bug reports. Takes no parameters. */
  'vaultlink/indexStats': { readonly params: void; readonly result: IndexStats };
  /** What each wiki link and embed of a note leads to, for the markdown preview. */
  'vaultlink/previewLinks': { readonly params: PreviewLinksParams; readonly result: PreviewLinks };
  /** Where pasted or dropped files go and the links to them, one entry per file (null: that one cannot be placed). Nothing is written. */
  'vaultlink/attachmentTarget': { readonly params: AttachmentTargetParams; readonly result: Array<AttachmentTarget | null> };
  /** The notes linking to a note (with each link's line) and the note's own links out; null for a file that is no note of a vault. */
  'vaultlink/backlinks': { readonly params: BacklinksParams; readonly result: Backlinks | null };
  /** Where other notes write the note's name or aliases as plain text, each with its "Link it" edit; null for a file that is no note of a vault. */
  'vaultlink/unlinkedMentions': { readonly params: BacklinksParams; readonly result: UnlinkedMentions | null };
  /** Quick open: notes, headings, talks or link targets matching a query, best first. */
  'vaultlink/search': { readonly params: SearchParams; readonly result: SearchHit[] };
}

/** Server → client notifications, by method name, with their parameters. */
export interface VaultlinkNotifications {
  /** Whenever indexing starts or ends or the note count changes. */
  'vaultlink/status': IndexStatus;
  /**
   * Notes created, changed or deleted on disk (not edits in the editor, which
   * the client sees itself), so views built from them (the Talks tree) refresh
   * those notes.
   */
  'vaultlink/notesChangedOnDisk': NotesChangedOnDiskParams;
  /**
   * After the server has applied file events (its watcher's, or the editor's
   * own file operations): what depends on the index, such as the preview's
   * link resolutions, asks again now. A client's own file watcher can fire
   * before the server has the change, and would ask too early.
   */
  'vaultlink/filesChanged': FilesChangedParams;
}

/** The requests that take no parameters (sent as `RequestType0`). */
export type ParameterlessRequestMethod = {
  [M in keyof VaultlinkRequests]: VaultlinkRequests[M]['params'] extends void ? M : never;
}[keyof VaultlinkRequests];

/** The requests that take parameters (sent as `RequestType`). */
export type RequestWithParamsMethod = Exclude<keyof VaultlinkRequests, ParameterlessRequestMethod>;
