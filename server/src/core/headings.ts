/**
 * How heading text is compared and written, following Obsidian
 * (see ../shared/notes/obsidian-links.md, "Matching a heading").
 */

import { toNfc } from './names';

// Each of these becomes a space before comparison, and then each run of white
// space one space (one pass does both); `-`, `_`, `'` and every non-ASCII
// character (Hangul, full-width punctuation, emoji) are kept.
const MATCH_PUNCTUATION_OR_SPACES = /[!"#$%&()*+,.:;<=>?@^`{|}~/[\]\\\s]+/g;

/** The form both a link's heading and a note's heading are reduced to before comparison. */
export function headingMatchKey(text: string): string {
  return toNfc(text).replace(MATCH_PUNCTUATION_OR_SPACES, ' ').trim().toLowerCase();
}

// When Obsidian writes a heading link it drops only these.
const WRITE_DROPPED = /%%|\[\[|\]\]|[:#|^\\]/g;

/** The heading as Obsidian writes it into a new `[[Note#Heading]]` link. */
export function headingLinkText(text: string): string {
  return text.replace(WRITE_DROPPED, ' ').replace(/\s+/g, ' ').trim();
}

/** GitHub's (and VS Code's) heading anchor: `#my-heading`. Markdown links may use it. */
export function githubSlug(text: string): string {
  return text
    .normalize('NFC')
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}
