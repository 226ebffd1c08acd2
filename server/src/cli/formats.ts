import type { DiagnosticCodeValue, DiagnosticLevel } from '../features/diagnostics';

/**
 * What `vaultlink check` prints, in the formats CI tools read: text (one line a
 * problem, as compilers write them), JSON, SARIF 2.1.0 (code scanning) and
 * GitHub workflow commands (annotations on a pull request's diff). Pure: the
 * check gathers a `CheckReport`, these turn it into text.
 */

export type Severity = 'error' | 'warning' | 'info' | 'hint';

export interface Problem {
  /** As shown: relative to the current folder, with the platform's separator. */
  readonly file: string;
  /** The note's file URI, for SARIF when the note is outside the current folder. */
  readonly uri: string;
  /** 1-based, as editors show them; columns count UTF-16 code units (as LSP and SARIF's default do). */
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  /** The column just after the problem's last character (1-based, exclusive, as SARIF's `endColumn`). */
  readonly endColumn: number;
  readonly severity: Severity;
  readonly code: string;
  readonly message: string;
}

/** A diagnostic code and its level after the vault's settings: one SARIF rule. */
export interface RuleLevel {
  readonly code: DiagnosticCodeValue;
  readonly level: DiagnosticLevel;
}

export interface CheckReport {
  readonly notes: number;
  readonly attachments: number;
  readonly milliseconds: number;
  /** What is printed: every problem, or the errors alone with --quiet. */
  readonly problems: readonly Problem[];
  readonly errors: number;
  readonly warnings: number;
  readonly notices: number;
  readonly rules: readonly RuleLevel[];
  /** Whether only errors are reported (--quiet). */
  readonly quiet: boolean;
}

/** What each code means: the SARIF rules' descriptions (the README's table of diagnostic codes). */
export const RULE_DESCRIPTIONS: Record<DiagnosticCodeValue, { readonly short: string; readonly full: string }> = {
  'link.missing-image': { short: 'Missing image', full: 'An image embed or markdown image whose file is not in the vault.' },
  'link.missing-attachment': { short: 'Missing attachment', full: 'An embed of a file (PDF, audio, video…) that is not in the vault.' },
  'link.missing-note': { short: 'Missing note', full: 'A wiki link or markdown link to a note that does not exist in the vault.' },
  'link.missing-heading': { short: 'Missing heading', full: 'A link to a heading the target note does not have.' },
  'link.missing-block': { short: 'Missing block', full: 'A link to a block id (^id) the target note does not have.' },
  'link.ambiguous': { short: 'Ambiguous link', full: 'A link whose name matches several files; Obsidian opens the first by its rules.' },
  'frontmatter.invalid-yaml': { short: 'Invalid front matter', full: 'Front matter that is not valid YAML: its properties are ignored until it is fixed.' },
  'note.too-large': { short: 'Note too large', full: 'A note too large to index (over 8 MB): indexed by name only.' },
};

export function summaryLine(report: CheckReport): string {
  return `${report.notes} notes, ${report.attachments} other files checked in ${report.milliseconds} ms: ${report.errors} errors, ${report.warnings} warnings, ${report.notices} notices.`;
}

/** `file:line:col: severity code: message`, then the summary (none with --quiet, where silence is success). */
export function formatText(report: CheckReport): string {
  const lines = report.problems.map((p) => `${p.file}:${p.line}:${p.column}: ${p.severity} ${p.code}: ${p.message.replace(/\r?\n/g, ' ')}`);
  if (!report.quiet) lines.push(summaryLine(report));
  return lines.length ? lines.join('\n') + '\n' : '';
}

/** The report as one JSON object: counts and every problem with its start and end. */
export function formatJson(report: CheckReport): string {
  const { notes, attachments, milliseconds, errors, warnings, notices } = report;
  const problems = report.problems.map(({ file, line, column, endLine, endColumn, severity, code, message }) => ({ file, line, column, endLine, endColumn, severity, code, message }));
  return JSON.stringify({ notes, attachments, milliseconds, errors, warnings, notices, problems }, null, 2) + '\n';
}

const SARIF_LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };
const SARIF_RULE_LEVEL: Record<DiagnosticLevel, 'error' | 'warning' | 'note' | 'none'> = { error: 'error', warning: 'warning', information: 'note', hint: 'note', off: 'none' };

export interface SarifContext {
  readonly version: string;
  /** The current folder's file URI: results name their files relative to it (`%SRCROOT%`), as code scanning wants them relative to the checkout. */
  readonly baseUri: string;
}

/**
 * A SARIF 2.1.0 log with one run: one rule per diagnostic code (its level as
 * the vault's settings make it; `enabled: false` when off), one result per
 * problem, regions 1-based with the end column exclusive and columns in UTF-16
 * code units (`columnKind`), as the spec defines them.
 */
export function formatSarif(report: CheckReport, context: SarifContext): string {
  const ruleIndex = new Map(report.rules.map((rule, index) => [rule.code as string, index]));
  const base = context.baseUri.endsWith('/') ? context.baseUri : `${context.baseUri}/`;
  const log = {
    $schema: 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'vaultlink',
            version: context.version,
            semanticVersion: context.version,
            rules: report.rules.map(({ code, level }) => ({
              id: code,
              shortDescription: { text: RULE_DESCRIPTIONS[code].short },
              fullDescription: { text: RULE_DESCRIPTIONS[code].full },
              defaultConfiguration: level === 'off' ? { enabled: false, level: 'none' } : { level: SARIF_RULE_LEVEL[level] },
            })),
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { uri: base } },
        columnKind: 'utf16CodeUnits',
        results: report.problems.map((problem) => {
          const index = ruleIndex.get(problem.code);
          const relative = problem.uri.startsWith(base) ? problem.uri.slice(base.length) : undefined;
          return {
            ruleId: problem.code,
            ...(index === undefined ? {} : { ruleIndex: index }),
            level: SARIF_LEVEL[problem.severity],
            message: { text: problem.message },
            locations: [
              {
                physicalLocation: {
                  artifactLocation: relative === undefined ? { uri: problem.uri } : { uri: relative, uriBaseId: '%SRCROOT%' },
                  region: { startLine: problem.line, startColumn: problem.column, endLine: problem.endLine, endColumn: problem.endColumn },
                },
              },
            ],
          };
        }),
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}

const GITHUB_COMMAND: Record<Severity, 'error' | 'warning' | 'notice'> = { error: 'error', warning: 'warning', info: 'notice', hint: 'notice' };

/**
 * GitHub Actions workflow commands, one a problem:
 * `::warning file=…,line=…,col=…,endLine=…,endColumn=…,title=…::message`,
 * escaped as the Actions toolkit escapes them; then the summary as a plain log line.
 */
export function formatGithub(report: CheckReport): string {
  const lines = report.problems.map((p) => {
    const properties = [`file=${escapeProperty(p.file.split('\\').join('/'))}`, `line=${p.line}`, `col=${p.column}`, `endLine=${p.endLine}`, `endColumn=${p.endColumn}`, `title=${escapeProperty(p.code)}`];
    return `::${GITHUB_COMMAND[p.severity]} ${properties.join(',')}::${escapeData(p.message)}`;
  });
  if (!report.quiet) lines.push(summaryLine(report));
  return lines.length ? lines.join('\n') + '\n' : '';
}

function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
