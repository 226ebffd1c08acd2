import { URI } from 'vscode-uri';

/** Clients spell URIs differently (`%20` or not, `(` encoded or not, drive-letter case); one spelling is kept. */
export function canonicalUri(uri: string): string {
  let canonical = canonicalSpellings.get(uri);
  if (canonical === undefined) {
    // Asked for every note of the vault while it is indexed, and for every publish: each spelling is parsed once.
    if (canonicalSpellings.size >= MAX_REMEMBERED_SPELLINGS) canonicalSpellings.clear();
    const parsed = URI.parse(uri).toString();
    canonical = parsed === uri ? uri : parsed;
    canonicalSpellings.set(uri, canonical);
  }
  return canonical;
}

/** URI spellings → their canonical form; forgotten all at once beyond this many (a vault's notes and their links' targets). */
const MAX_REMEMBERED_SPELLINGS = 200_000;
const canonicalSpellings = new Map<string, string>();

/**
 * The text of the notes open in an editor, by canonical URI. While a note is
 * open its buffer, not the file on disk, is what every feature sees.
 */
export class DocumentStore {
  readonly #texts = new Map<string, string>();

  get(uri: string): string | undefined {
    // Nothing open (the CLI, a server before the first didOpen): no spelling to compare.
    if (this.#texts.size === 0) return undefined;
    return this.#texts.get(canonicalUri(uri));
  }

  has(uri: string): boolean {
    if (this.#texts.size === 0) return false;
    return this.#texts.has(canonicalUri(uri));
  }

  set(uri: string, text: string): void {
    this.#texts.set(canonicalUri(uri), text);
  }

  delete(uri: string): void {
    this.#texts.delete(canonicalUri(uri));
  }

  uris(): IterableIterator<string> {
    return this.#texts.keys();
  }
}
