import { URI } from 'vscode-uri';

/** Clients spell URIs differently (`%20` or not, `(` encoded or not, drive-letter case); one spelling is kept. */
export function canonicalUri(uri: string): string {
  return URI.parse(uri).toString();
}

/**
 * The text of the notes open in an editor, by canonical URI. While a note is
 * open its buffer, not the file on disk, is what every feature sees.
 */
export class DocumentStore {
  readonly #texts = new Map<string, string>();

  get(uri: string): string | undefined {
    return this.#texts.get(canonicalUri(uri));
  }

  has(uri: string): boolean {
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
