import type { Range } from 'vscode-languageserver-types';
import { obsidianMarkdownPath, wikiLinkPath } from '../core/linkWriter';
import { noteName } from '../core/names';
import type { VaultFile, VaultIndex } from '../core/vaultIndex';
import { CandidateKind, type LinkCatalog } from './completion';

/** What a quick-open search looks for (see `vaultlink/search` in the shared protocol). */
export type SearchKind = 'notes' | 'headings' | 'talks' | 'links';

export interface SearchHit {
  readonly label: string;
  readonly description?: string;
  readonly uri: string;
  readonly range?: Range;
  readonly insertText?: string;
}

/** A heading or talk found by the vault's symbol index, in the note at `path`. */
export interface FoundName {
  readonly path: string;
  readonly name: string;
  readonly range: Range;
  /** A talk's time and track. */
  readonly detail?: string;
}

/** The vault-wide heading and talk search quick open needs, from a derived index (service/symbolIndex.ts). */
export interface IVaultNameSearch {
  find(query: string, limit: number, what: 'headings' | 'talks'): readonly FoundName[];
}

/**
 * Quick open in one vault: notes to open (by name, title or alias, as `[[`
 * ranks them, attachments left out), headings of every note, talks with their
 * time and track, or link targets with the link to insert into `from`. Each is
 * one search of an index kept across notes, bounded by `limit`.
 */
export function provideSearch(vault: VaultIndex, catalog: LinkCatalog, names: IVaultNameSearch, kind: SearchKind, query: string, limit: number, from?: VaultFile): SearchHit[] {
  switch (kind) {
    case 'notes':
      return catalog.search(query, limit, (flags) => (flags & CandidateKind.Note) !== 0).map((candidate) => ({
        label: candidate.label,
        description: candidate.alias ? `alias of ${noteName(candidate.file.relativePath)}` : folderOf(candidate.file.relativePath),
        uri: candidate.file.uri,
      }));
    case 'links':
      return catalog.search(query, limit, () => true).map((candidate) => ({
        label: candidate.label,
        description: candidate.alias ? `alias of ${noteName(candidate.file.relativePath)}` : candidate.file.relativePath,
        uri: candidate.file.uri,
        ...(from ? { insertText: linkText(vault, from, candidate.file, candidate.label, candidate.alias) } : {}),
      }));
    case 'headings':
    case 'talks':
      return names.find(query, limit, kind).map((found) => {
        const note = found.path.replace(/\.md$/i, '');
        return { label: found.name, description: found.detail ? `${found.detail} · ${note}` : note, uri: vault.uriOf(found.path), range: found.range };
      });
  }
}

/** The link to `file` as the vault writes links: `[[Note]]`, `[[Note|Alias]]`, or a markdown link with Obsidian's vault set to them. */
function linkText(vault: VaultIndex, from: VaultFile, file: VaultFile, label: string, alias: string | undefined): string {
  if (vault.config.useMarkdownLinks) return `[${alias ?? (file.isNote ? label : '')}](${obsidianMarkdownPath(vault, from, file)})`;
  const path = wikiLinkPath(vault, from, file);
  return `[[${alias ? `${path}|${alias}` : path}]]`;
}

function folderOf(relativePath: string): string | undefined {
  const slash = relativePath.lastIndexOf('/');
  return slash < 0 ? undefined : relativePath.slice(0, slash);
}
