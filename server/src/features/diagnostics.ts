import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-types';
import { resolveLink } from '../core/linkResolver';
import { isImagePath, isMediaPath } from '../core/names';
import type { NoteLink } from '../core/types';
import type { IndexedNote, VaultIndex } from '../core/vaultIndex';

/** Stable codes: settings, quick fixes and the README refer to them. */
export const DiagnosticCode = {
  missingImage: 'link.missing-image',
  missingAttachment: 'link.missing-attachment',
  missingNote: 'link.missing-note',
  missingHeading: 'link.missing-heading',
  missingBlock: 'link.missing-block',
  ambiguous: 'link.ambiguous',
  invalidFrontMatter: 'frontmatter.invalid-yaml',
  noteTooLarge: 'note.too-large',
} as const;

export type DiagnosticCodeValue = (typeof DiagnosticCode)[keyof typeof DiagnosticCode];

export type DiagnosticLevel = 'off' | 'hint' | 'information' | 'warning' | 'error';

export interface DiagnosticOptions {
  readonly validateWikiLinks: boolean;
  readonly validateMarkdownLinks: boolean;
  readonly severity: Readonly<Record<DiagnosticCodeValue, DiagnosticLevel>>;
}

export const defaultDiagnosticOptions: DiagnosticOptions = {
  validateWikiLinks: true,
  validateMarkdownLinks: true,
  severity: {
    'link.missing-image': 'warning',
    'link.missing-attachment': 'warning',
    'link.missing-note': 'warning',
    'link.missing-heading': 'warning',
    'link.missing-block': 'warning',
    'link.ambiguous': 'information',
    'frontmatter.invalid-yaml': 'error',
    'note.too-large': 'information',
  },
};

/** Data attached to each link diagnostic, for quick fixes. */
export interface LinkDiagnosticData {
  readonly path: string;
  readonly subpath?: string;
  readonly candidates?: readonly string[];
}

/** Appended to the message of a problem with a link inside a `%%` comment. */
export const IN_COMMENT_NOTICE = 'The link is inside a %% comment, so this is only a hint.';

const SEVERITY: Record<Exclude<DiagnosticLevel, 'off'>, DiagnosticSeverity> = {
  hint: DiagnosticSeverity.Hint,
  information: DiagnosticSeverity.Information,
  warning: DiagnosticSeverity.Warning,
  error: DiagnosticSeverity.Error,
};

/**
 * The problems of one note, computed from the index alone (no I/O): broken
 * images, attachments, notes, headings and blocks, ambiguous links and broken
 * front matter. Remote URLs are never checked. A problem with a link inside a
 * `%%` comment is only a hint, whatever its configured level (unless off):
 * people comment out drafts, and reading view does not show them.
 */
export function computeDiagnostics(vault: VaultIndex, note: IndexedNote, options: DiagnosticOptions = defaultDiagnosticOptions): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const push = (code: DiagnosticCodeValue, diagnostic: Omit<Diagnostic, 'severity' | 'code' | 'source'>, inComment = false) => {
    const level = options.severity[code];
    if (level === 'off') return;
    if (inComment) diagnostics.push({ ...diagnostic, message: `${diagnostic.message} ${IN_COMMENT_NOTICE}`, severity: DiagnosticSeverity.Hint, code, source: 'vaultlink' });
    else diagnostics.push({ ...diagnostic, severity: SEVERITY[level], code, source: 'vaultlink' });
  };

  const { parsed } = note;
  if (parsed.skippedReason) {
    push(DiagnosticCode.noteTooLarge, { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, message: parsed.skippedReason });
  }
  for (const error of parsed.frontMatter?.errors ?? []) {
    push(DiagnosticCode.invalidFrontMatter, { range: error.range, message: `Front matter is not valid YAML: ${error.message}. Its properties (title, aliases, tags) are ignored until it is fixed; the rest of the note is indexed as usual. There is no quick fix: only you know the value you meant.` });
  }

  for (const link of parsed.links) {
    if (link.external) continue;
    if (link.kind === 'wiki' ? !options.validateWikiLinks : !options.validateMarkdownLinks) continue;
    const resolution = resolveLink(vault, note, link);
    // Most links resolve, with nothing to say: what a problem carries is made only for one.
    if (resolution.kind === 'file' && resolution.missing === undefined && resolution.candidates.length <= 1) continue;
    const data: LinkDiagnosticData = { path: link.path, subpath: subpathText(link) };
    const inComment = link.inComment === true;
    if (resolution.kind === 'missingFile') {
      const shown = link.path;
      if (isImagePath(link.path)) {
        push(DiagnosticCode.missingImage, { range: link.range, message: `Image "${shown}" does not exist in the vault.`, data }, inComment);
      } else if (link.embed || isMediaPath(link.path)) {
        push(DiagnosticCode.missingAttachment, { range: link.range, message: `File "${shown}" does not exist in the vault.`, data }, inComment);
      } else {
        push(DiagnosticCode.missingNote, { range: link.range, message: `No note named "${shown}" in the vault.`, data }, inComment);
      }
      continue;
    }
    if (resolution.kind !== 'file') continue;
    const where = link.path === '' ? 'this note' : `"${vault.note(resolution.file)?.name ?? resolution.file.relativePath}"`;
    if (resolution.missing === 'heading') {
      push(DiagnosticCode.missingHeading, { range: link.subpathRange ?? link.range, message: `No heading "${link.subpath?.kind === 'heading' ? link.subpath.headings.join('#') : ''}" in ${where}.`, data }, inComment);
    } else if (resolution.missing === 'block') {
      push(DiagnosticCode.missingBlock, { range: link.subpathRange ?? link.range, message: `No block "^${link.subpath?.kind === 'block' ? link.subpath.id : ''}" in ${where}.`, data }, inComment);
    }
    if (resolution.candidates.length > 1) {
      const others = resolution.candidates.slice(1).map((file) => `"${file.relativePath}"`).join(', ');
      push(
        DiagnosticCode.ambiguous,
        {
          range: link.pathRange,
          message: `"${link.path}" matches ${resolution.candidates.length} files. It opens "${resolution.file.relativePath}", as Obsidian does; also matched: ${others}. Write more of the path to choose.`,
          data: { ...data, candidates: resolution.candidates.map((file) => file.relativePath) },
        },
        inComment,
      );
    }
  }
  return diagnostics;
}

function subpathText(link: NoteLink): string | undefined {
  if (!link.subpath) return undefined;
  return link.subpath.kind === 'block' ? `^${link.subpath.id}` : link.subpath.headings.join('#');
}
