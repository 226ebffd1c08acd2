import { URI, Utils } from 'vscode-uri';
import { lexicalRelativePath } from './containment';
import { githubSlug, headingMatchKey } from './headings';
import { basename, isNotePath, nameKey, noteName, pathKey } from './names';
import type { PathResolution } from './linkResolver';
import type { LinkSubpath, NoteLink, ParsedNote } from './types';
import { defaultVaultConfig, type VaultConfig } from './vaultConfig';

/** A file of the vault: a note (`.md`) or an attachment (any other file). */
export interface VaultFile {
  readonly uri: string;
  /**
   * Vault-relative, `/`-separated, as on disk: the file's identity in the index.
   * Two files may share a path key (`Case.md` and `case.md`, NFC and NFD twins on
   * a case-sensitive disk): both are indexed and checked.
   */
  readonly relativePath: string;
  /** Normalized lowercase path: the exact-match lookup key (not unique: see relativePath). */
  readonly pathKey: string;
  /** Normalized lowercase last segment without `.md`: the suffix-match bucket. */
  readonly nameKey: string;
  readonly isNote: boolean;
}

export interface IndexedNote {
  readonly file: VaultFile;
  readonly parsed: ParsedNote;
  /** The note's name as Obsidian shows it (file name without `.md`). */
  readonly name: string;
}

/** The index's own record of a note: its links grouped by name bucket too. */
interface StoredNote extends IndexedNote {
  readonly linkBuckets: LinkBuckets | undefined;
}

/** What an update changed, so the caller knows which other notes to re-check. */
export interface IndexChange {
  /** Notes (relative paths) whose links may now resolve differently. */
  readonly affectedNotes: ReadonlySet<string>;
}

/** Link paths remembered with their name keys before the memo is cleared (plus two per file). */
const NAME_KEY_MEMO_SLACK = 10_000;

/** The anchor key that stands for "any heading": links through a heading path (`#A#B`) depend on order and levels. */
const ANY_ANCHOR = '*';

/**
 * The index of one vault (one workspace folder). Every lookup is a map access:
 * files by exact path, files by name bucket for Obsidian's path-suffix rule, and
 * a reverse index from a name bucket to the notes linking into it, which serves
 * both backlinks and "which notes must be re-checked when X changes". Links to a
 * heading or block are indexed by that anchor too, so renaming a heading of a
 * note with thousands of backlinks re-checks only the notes that name it.
 */
export class VaultIndex {
  readonly #root: URI;
  /** Files by relative path (their identity). */
  readonly #files = new Map<string, VaultFile>();
  /** Files by path key, for lookups the way Obsidian compares paths; more than one only for twins. */
  readonly #filesByKey = new Map<string, VaultFile | VaultFile[]>();
  readonly #filesByName = new Map<string, VaultFile[]>();
  /** Notes by relative path. */
  readonly #notes = new Map<string, StoredNote>();
  /** Name buckets the notes' links point into: bucket → relative paths of the linking notes. */
  // Neither index keeps a copy of each note's keys: the previous keys come from the note's previous entry.
  readonly #linkersByName = new ReverseIndex();
  /** `name bucket \0 anchor key` pairs (see anchorKeyOf) → relative paths of the notes linking to that anchor. */
  readonly #anchorLinkers = new ReverseIndex();
  /** link path → its name key: links repeat the same few paths across the whole vault. */
  readonly #nameKeys = new Map<string, string>();
  /**
   * Wiki link paths that open the same file from every folder → where they lead
   * (see resolvePath): every note's diagnostics resolve the same few thousand
   * paths. Cleared whenever a file comes or goes, the only change that moves them.
   */
  readonly #folderFreeResolutions = new Map<string, PathResolution>();
  #config: VaultConfig = defaultVaultConfig;

  /**
   * What `uriOf` gives every file whose path segments are all plain: the
   * root's URI as `Utils.joinPath(root, …).toString()` spells it, up to and
   * with the slash before the first segment. Undefined for a root that puts
   * anything after the path (a query, a fragment) or is the file system's own
   * root (a first segment like `C:` would be spelled as a drive there).
   */
  readonly #uriPrefix: string | undefined;

  constructor(readonly rootUri: string) {
    this.#root = URI.parse(rootUri);
    const sample = Utils.joinPath(this.#root, 'x').toString();
    const plainRoot = !this.#root.query && !this.#root.fragment && this.#root.path.length > 1 && sample.endsWith('/x');
    this.#uriPrefix = plainRoot ? sample.slice(0, -1) : undefined;
  }

  /** The vault's `.obsidian/app.json` settings (defaults when it has none). */
  get config(): VaultConfig {
    return this.#config;
  }

  set config(config: VaultConfig) {
    this.#config = config;
  }

  get noteCount(): number {
    return this.#notes.size;
  }

  get fileCount(): number {
    return this.#files.size;
  }

  files(): IterableIterator<VaultFile> {
    return this.#files.values();
  }

  notes(): IterableIterator<IndexedNote> {
    return this.#notes.values();
  }

  /**
   * The file at a path key (Obsidian's case- and normalization-blind path): of
   * twins, the one whose relative path sorts first, so every lookup agrees.
   */
  fileByPathKey(key: string): VaultFile | undefined {
    const found = this.#filesByKey.get(key);
    return Array.isArray(found) ? found[0] : found;
  }

  /** The file at exactly this relative path. */
  fileAt(relativePath: string): VaultFile | undefined {
    return this.#files.get(relativePath);
  }

  filesNamed(key: string): readonly VaultFile[] {
    return this.#filesByName.get(key) ?? [];
  }

  /** A note's entry, by file or by exact relative path. */
  note(file: VaultFile | string): IndexedNote | undefined {
    return this.#notes.get(typeof file === 'string' ? file : file.relativePath);
  }

  /** The vault-relative path of a URI inside this vault, or undefined for one outside it. */
  relativePathOf(uri: string): string | undefined {
    // Normalized first (`..`, `%2e%2e`, `\\`): `vault/../elsewhere/x.md` is not in the vault.
    return lexicalRelativePath(this.rootUri, uri);
  }

  /** The file a URI names: spelled exactly, else (a client spelling the path another way) by path key. */
  fileForUri(uri: string): VaultFile | undefined {
    const relative = this.relativePathOf(uri);
    if (relative === undefined) return undefined;
    return this.#files.get(relative) ?? this.fileByPathKey(pathKey(relative));
  }

  uriOf(relativePath: string): string {
    // A lone surrogate (`[[x\udc00]]`) cannot be percent-encoded: URI encoding would throw on it.
    const wellFormed = relativePath.replace(LONE_SURROGATE, '\ufffd');
    const segments = wellFormed.split('/');
    // The listing's paths, spelled as vscode-uri would, without its URI objects, path normalization and
    // twenty concatenations (a third of listing a vault); test/unit/vaultUris.test.ts holds the two equal.
    if (this.#uriPrefix !== undefined && segments.every(isPlainSegment)) return flatString(this.#uriPrefix + segments.map(encodePathSegment).join('/'));
    return flatString(Utils.joinPath(this.#root, ...segments).toString());
  }

  /** Adds a file (idempotent). Returns the notes whose links may resolve differently now. */
  addFile(relativePath: string): IndexChange {
    if (this.#files.has(relativePath)) return { affectedNotes: new Set() };
    const key = pathKey(relativePath);
    const file: VaultFile = {
      uri: this.uriOf(relativePath),
      relativePath,
      pathKey: key,
      nameKey: nameKey(relativePath),
      isNote: isNotePath(relativePath),
    };
    this.#files.set(relativePath, file);
    this.#folderFreeResolutions.clear();
    const twins = this.#filesByKey.get(key);
    if (!twins) this.#filesByKey.set(key, file);
    else this.#filesByKey.set(key, [...(Array.isArray(twins) ? twins : [twins]), file].sort(byRelativePath));
    const bucket = this.#filesByName.get(file.nameKey);
    if (bucket) bucket.push(file);
    else this.#filesByName.set(file.nameKey, [file]);
    return { affectedNotes: this.linkersOf(file.nameKey) };
  }

  removeFile(relativePath: string): IndexChange {
    const file = this.#files.get(relativePath);
    if (!file) return { affectedNotes: new Set() };
    this.#setLinks(relativePath, [], this.#notes.get(relativePath));
    this.#notes.delete(relativePath);
    this.#files.delete(relativePath);
    this.#folderFreeResolutions.clear();
    const twins = this.#filesByKey.get(file.pathKey);
    const remainingTwins = Array.isArray(twins) ? twins.filter((f) => f !== file) : [];
    if (remainingTwins.length > 1) this.#filesByKey.set(file.pathKey, remainingTwins);
    else if (remainingTwins.length === 1) this.#filesByKey.set(file.pathKey, remainingTwins[0]);
    else this.#filesByKey.delete(file.pathKey);
    const bucket = this.#filesByName.get(file.nameKey);
    if (bucket) {
      const remaining = bucket.filter((f) => f !== file);
      if (remaining.length) this.#filesByName.set(file.nameKey, remaining);
      else this.#filesByName.delete(file.nameKey);
    }
    const affected = new Set(this.linkersOf(file.nameKey));
    affected.delete(relativePath);
    return { affectedNotes: affected };
  }

  /**
   * Stores a note's parse. Links into this note from elsewhere only need
   * re-checking when what they point at changed: an edit that changes no heading
   * or block id invalidates nothing in other notes, and one that does re-checks
   * only the notes linking to a heading or block that came, went or moved.
   */
  setNote(relativePath: string, parsed: ParsedNote): IndexChange {
    const added = this.addFile(relativePath);
    const previous = this.#store(relativePath, parsed);
    const file = this.#files.get(relativePath)!;
    const affected = new Set(added.affectedNotes);
    if (!previous) {
      for (const linker of this.linkersOf(file.nameKey)) affected.add(linker);
    } else {
      for (const linker of this.#anchorLinkersOf(file.nameKey, changedAnchors(previous.parsed, parsed))) affected.add(linker);
    }
    affected.delete(relativePath);
    return { affectedNotes: affected };
  }

  /**
   * Stores a note's parse without working out which other notes it affects: a
   * bulk index re-checks every note once it ends, and the notes linking to each
   * new note (thousands for a hub) would otherwise be copied into a set per note.
   */
  indexNote(relativePath: string, parsed: ParsedNote): void {
    this.addFile(relativePath);
    this.#store(relativePath, parsed);
  }

  /** The note's entry and its links in the reverse indexes; returns the entry it replaced. */
  #store(relativePath: string, parsed: ParsedNote): StoredNote | undefined {
    const file = this.#files.get(relativePath)!;
    const previous = this.#notes.get(relativePath);
    this.#notes.set(relativePath, { file, parsed, name: noteName(basename(file.relativePath)), linkBuckets: this.#setLinks(relativePath, parsed.links, previous) });
    return previous;
  }

  /** What resolvePath remembered for a folder-free wiki link path, valid until a file comes or goes. */
  folderFreeResolution(linkPath: string): PathResolution | undefined {
    return this.#folderFreeResolutions.get(linkPath);
  }

  rememberFolderFreeResolution(linkPath: string, resolution: PathResolution): void {
    // Typing a link resolves each of its prefixes: forget them all now and then rather than grow forever.
    if (this.#folderFreeResolutions.size > NAME_KEY_MEMO_SLACK + 2 * this.#files.size) this.#folderFreeResolutions.clear();
    this.#folderFreeResolutions.set(linkPath, resolution);
  }

  /** Notes with at least one link whose last path segment names this bucket. */
  linkersOf(name: string): ReadonlySet<string> {
    return this.#linkersByName.sourcesOf(name) ?? new Set();
  }

  /**
   * The indices (into its parsed links) of a note's links whose last path
   * segment names this bucket; '' for external links and links within the note.
   * Backlink searches read only these instead of every link of every linker.
   */
  linksInBucket(note: IndexedNote, name: string): ArrayLike<number> {
    return (note as StoredNote).linkBuckets?.linksNamed(name) ?? NO_LINKS;
  }

  /** The name bucket a link path resolves in (see resolvePath, which trims it), computed once per distinct path (a map access after that). */
  nameKeyOf(path: string): string {
    let key = this.#nameKeys.get(path);
    if (key === undefined) {
      // Typing a link leaves each of its prefixes here; forget them all now and then rather than grow forever.
      if (this.#nameKeys.size > NAME_KEY_MEMO_SLACK + 2 * this.#files.size) this.#nameKeys.clear();
      // `[t](<Note.md >)` and `[t](%20Note.md)` open Note.md: the bucket is that of the trimmed path.
      key = nameKey(path.trim());
      this.#nameKeys.set(path, key);
    }
    return key;
  }

  /** Notes linking into this bucket whose links may resolve differently when these anchors change. */
  #anchorLinkersOf(name: string, anchors: ReadonlySet<string>): Set<string> {
    const affected = new Set<string>();
    for (const anchor of anchors) {
      for (const linker of this.#anchorLinkers.sourcesOf(`${name}\0${anchor}`) ?? []) affected.add(linker);
    }
    return affected;
  }

  /** Indexes a note's links by name and anchor; returns them grouped by name, for the note's entry. */
  #setLinks(source: string, links: readonly NoteLink[], previous: StoredNote | undefined): LinkBuckets | undefined {
    // One pass: each link's name key once, anchor keys only for the links that have a subpath.
    const keys = new Array<string>(links.length);
    let anchors: Set<string> | undefined;
    for (let i = 0; i < links.length; i++) {
      const link = links[i];
      const name = link.external || link.path === '' ? '' : this.nameKeyOf(link.path);
      keys[i] = name;
      if (name !== '' && link.subpath !== undefined) (anchors ??= new Set()).add(this.#anchorLinkers.canonical(`${name}\0${anchorKeyOf(link.subpath)}`));
    }
    const buckets = keys.length ? new LinkBuckets(keys) : undefined;
    this.#linkersByName.set(source, linkedNames(buckets), previous ? linkedNames(previous.linkBuckets) : NO_KEYS);
    this.#anchorLinkers.set(source, anchors ? [...anchors] : NO_KEYS, previous ? this.#anchorKeysOf(previous.parsed.links) : NO_KEYS);
    return buckets;
  }

  /** `name\0anchor` for each link that depends on a heading or block, each the index's one copy of that key. */
  #anchorKeysOf(links: readonly NoteLink[]): string[] {
    const anchors = new Set<string>();
    for (const link of links) {
      if (link.external || link.path === '' || link.subpath === undefined) continue;
      anchors.add(this.#anchorLinkers.canonical(`${this.nameKeyOf(link.path)}\0${anchorKeyOf(link.subpath)}`));
    }
    return [...anchors];
  }
}

const NO_KEYS: readonly string[] = [];

/** The name buckets a note's links point into, without '' (external links, links within the note). */
function linkedNames(buckets: LinkBuckets | undefined): readonly string[] {
  if (!buckets) return NO_KEYS;
  const names = buckets.names;
  // Sorted: '' can only come first.
  return names[0] === '' ? names.slice(1) : names;
}

const NO_LINKS = new Int32Array(0);
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** A path segment joinPath keeps as it is: not empty, not `.` or `..` (which it would resolve). */
function isPlainSegment(segment: string): boolean {
  return segment !== '' && segment !== '.' && segment !== '..';
}

const UNRESERVED = /^[A-Za-z0-9\-._~]*$/;
/** What encodeURIComponent leaves as it is and vscode-uri encodes (RFC 3986's sub-delimiters among them). */
const SUB_DELIMITERS = /[!'()*]/g;

/** A path segment as vscode-uri's `toString()` encodes it: everything but RFC 3986's unreserved characters, in UTF-8, upper-case hex. */
function encodePathSegment(segment: string): string {
  if (UNRESERVED.test(segment)) return segment;
  return encodeURIComponent(segment).replace(SUB_DELIMITERS, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}

function byRelativePath(a: VaultFile, b: VaultFile): number {
  return a.relativePath < b.relativePath ? -1 : a.relativePath > b.relativePath ? 1 : 0;
}

/**
 * The same text as one flat string. vscode-uri builds a URI by concatenation,
 * which V8 keeps as a tree of about twenty pieces: 8 MB for the 11,000 files of
 * a 10,000-note vault, against 2.5 MB flat.
 */
function flatString(text: string): string {
  return JSON.parse(JSON.stringify(text)) as string;
}

/**
 * A note's links grouped by name bucket, compactly: the distinct names sorted,
 * and for each a run of link indices in one Int32Array (a few hundred bytes a
 * note, where a Map of arrays would cost kilobytes).
 */
class LinkBuckets {
  readonly #names: string[] = [];

  /** The distinct name buckets the note links into, sorted ('' for external links and links within the note). */
  get names(): readonly string[] {
    return this.#names;
  }
  /**
   * One buffer: for each name i, where its run starts (entry i; entry
   * `names.length` is the end), then the link indices, grouped by name.
   */
  readonly #runs: Int32Array;

  constructor(keys: readonly string[]) {
    const count = keys.length;
    // Link indices ordered by name, then by index (a stable sort of the indices).
    const order = new Array<number>(count);
    for (let i = 0; i < count; i++) order[i] = i;
    order.sort((a, b) => (keys[a] < keys[b] ? -1 : keys[a] > keys[b] ? 1 : a - b));
    let distinct = 0;
    for (let at = 0; at < count; at++) if (at === 0 || keys[order[at]] !== keys[order[at - 1]]) distinct++;
    const offset = distinct + 1;
    const runs = new Int32Array(offset + count);
    let name = 0;
    for (let at = 0; at < count; at++) {
      const key = keys[order[at]];
      if (at === 0 || key !== keys[order[at - 1]]) {
        this.#names.push(key);
        runs[name++] = at + offset;
      }
      runs[offset + at] = order[at];
    }
    runs[distinct] = offset + count;
    this.#runs = runs;
  }

  linksNamed(name: string): Int32Array {
    let low = 0;
    let high = this.#names.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.#names[mid] < name) low = mid + 1;
      else high = mid;
    }
    if (this.#names[low] !== name) return NO_LINKS;
    return this.#runs.subarray(this.#runs[low], this.#runs[low + 1]);
  }
}

/**
 * A many-to-many index kept in both directions: each source note's keys, and
 * each key's source notes. Updating a note diffs its old keys against the new
 * ones, so the cost is that note's links, never the vault's.
 */
class ReverseIndex {
  readonly #sourcesOf = new Map<string, KeyedSources>();

  sourcesOf(key: string): ReadonlySet<string> | undefined {
    return this.#sourcesOf.get(key)?.asSet();
  }

  /** The string this index already holds for `key` (so thousands of notes share one), else `key`. */
  canonical(key: string): string {
    return this.#sourcesOf.get(key)?.key ?? key;
  }

  /**
   * Sets a source's keys (distinct), given the keys it had until now (the index
   * keeps no copy of them: the caller derives them from the source's previous entry).
   */
  set(source: string, keys: readonly string[], previous: readonly string[]): void {
    // A bulk index only adds; an edit usually keeps most keys: sets only when both sides have some.
    const kept = previous.length && keys.length ? new Set(keys) : undefined;
    const had = previous.length && keys.length ? new Set(previous) : undefined;
    for (const key of previous) {
      if (kept?.has(key)) continue;
      const sources = this.#sourcesOf.get(key);
      sources?.delete(source);
      if (sources?.size === 0) this.#sourcesOf.delete(key);
    }
    for (const key of keys) {
      if (had?.has(key)) continue;
      let sources = this.#sourcesOf.get(key);
      if (!sources) this.#sourcesOf.set(key, (sources = new KeyedSources(key)));
      sources.add(source);
    }
  }
}

/**
 * A key's sources, remembering the key's string for `ReverseIndex.canonical`.
 * Most keys have one source (three anchors in four, two names in five): that
 * one is kept as it is, a set only from the second on (a set costs a hundred
 * bytes or more even for one entry).
 */
class KeyedSources {
  #one: string | undefined;
  #many: Set<string> | undefined;

  constructor(readonly key: string) {}

  get size(): number {
    return this.#many ? this.#many.size : this.#one === undefined ? 0 : 1;
  }

  add(source: string): void {
    if (this.#many) this.#many.add(source);
    else if (this.#one === undefined || this.#one === source) this.#one = source;
    else {
      this.#many = new Set([this.#one, source]);
      this.#one = undefined;
    }
  }

  delete(source: string): void {
    if (this.#many) this.#many.delete(source);
    else if (this.#one === source) this.#one = undefined;
  }

  /** The sources as a set: the index's own when there are several (read only), else a new one. */
  asSet(): ReadonlySet<string> {
    return this.#many ?? new Set(this.#one === undefined ? [] : [this.#one]);
  }
}

/**
 * The anchor a link depends on besides its file: `h:` and a heading's match key,
 * `b:` and a block id, or ANY_ANCHOR for a heading path. A markdown link's
 * fragment may be a GitHub slug; its match key equals the match key of that slug,
 * which changedAnchors reports for every changed heading.
 */
function anchorKeyOf(subpath: LinkSubpath): string {
  if (subpath.kind === 'block') return `b:${subpath.id.toLowerCase()}`;
  return subpath.headings.length === 1 ? `h:${headingMatchKey(subpath.headings[0])}` : ANY_ANCHOR;
}

/**
 * The anchor keys whose targets differ between two parses of a note: headings
 * whose key appears with other levels or counts, and block ids that came or went.
 * Any change also reports ANY_ANCHOR, for links through a heading path.
 */
function changedAnchors(before: ParsedNote, after: ParsedNote): Set<string> {
  const changed = new Set<string>();
  const headingLevels = (note: ParsedNote) => {
    const levels = new Map<string, string>();
    for (const heading of note.headings) levels.set(heading.matchKey, `${levels.get(heading.matchKey) ?? ''}${heading.level},`);
    return levels;
  };
  const old = headingLevels(before);
  const now = headingLevels(after);
  const headingChanged = (key: string) => old.get(key) !== now.get(key);
  for (const note of [before, after]) {
    for (const heading of note.headings) {
      if (!headingChanged(heading.matchKey)) continue;
      changed.add(`h:${heading.matchKey}`);
      changed.add(`h:${headingMatchKey(githubSlug(heading.text))}`);
    }
  }
  const blockCounts = (note: ParsedNote) => {
    const counts = new Map<string, number>();
    for (const block of note.blocks) counts.set(block.id.toLowerCase(), (counts.get(block.id.toLowerCase()) ?? 0) + 1);
    return counts;
  };
  const oldBlocks = blockCounts(before);
  const newBlocks = blockCounts(after);
  for (const id of new Set([...oldBlocks.keys(), ...newBlocks.keys()])) {
    if (oldBlocks.get(id) !== newBlocks.get(id)) changed.add(`b:${id}`);
  }
  const reordered = before.headings.length === after.headings.length && before.headings.some((heading, i) => heading.matchKey !== after.headings[i].matchKey || heading.level !== after.headings[i].level);
  if (changed.size || reordered) changed.add(ANY_ANCHOR);
  return changed;
}
