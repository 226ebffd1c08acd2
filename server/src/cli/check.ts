import { URI } from 'vscode-uri';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-types';
import { comparePositions } from '../core/text';
import { computeDiagnostics, DiagnosticCode, type DiagnosticCodeValue } from '../features/diagnostics';
import { VaultNoteFiles } from '../node/vaultFiles';
import type { CheckCommand } from './args';
import { fixesDiff, planFixes } from './fix';
import { formatGithub, formatJson, formatSarif, formatText, type CheckReport, type Problem, type RuleLevel, type Severity } from './formats';
import { displayPath, openVault, progressLine, resolveTargets, type CliIo } from './vaults';

const SEVERITY: Record<number, Severity> = {
  [DiagnosticSeverity.Error]: 'error',
  [DiagnosticSeverity.Warning]: 'warning',
  [DiagnosticSeverity.Information]: 'info',
  [DiagnosticSeverity.Hint]: 'hint',
};

/**
 * `vaultlink check`: indexes each vault (notes parsed in worker threads), then
 * reports the problems of its notes (or of the notes given), and returns the
 * exit code: 0 clean, 1 errors or more warnings than allowed. Bad usage throws
 * a UsageError (exit code 2) before anything is checked.
 */
export async function runCheck(command: CheckCommand, io: CliIo, version: string): Promise<number> {
  const started = Date.now();
  const targets = await resolveTargets(command.paths, io);
  const problems: Problem[] = [];
  let notes = 0;
  let attachments = 0;
  let errors = 0;
  let warnings = 0;
  let notices = 0;
  let rules: RuleLevel[] | undefined;
  let fixed = 0;
  let fixedNotes = 0;
  const diffs: string[] = [];

  // Settings are read for every vault first, so a bad .vaultlink.json stops the run before any index.
  const opened = [];
  for (const target of targets) opened.push({ target, ...(await openVault(target.rootUri, io, { exclude: command.exclude, cache: command.cache })) });

  for (const { target, service, settings } of opened) {
    const progress = progressLine(io);
    const stats = await service.indexAll(progress.report);
    progress.end();
    notes += target.whole ? stats.notes : 0;
    attachments += target.whole ? stats.attachments : 0;
    rules ??= (Object.values(DiagnosticCode) as DiagnosticCodeValue[]).map((code) => ({ code, level: settings.diagnostics.severity[code] }));

    const [vault] = service.vaults;
    const uris: string[] = [];
    if (target.whole) {
      if (vault) for (const note of [...vault.notes()].sort((a, b) => a.file.relativePath.localeCompare(b.file.relativePath))) uris.push(note.file.uri);
    } else {
      for (const uri of target.notes) {
        const found = service.noteFor(uri);
        if (found) uris.push(found.note.file.uri);
        else io.err(`vaultlink: ${displayPath(uri, io)} is not checked: its vault (${displayPath(target.rootUri, io)}) leaves it out (hidden, excluded or in node_modules)\n`);
      }
      notes += uris.length;
    }

    // The notes listed above, by URI: their diagnostics come straight from the index, not through a URI lookup each.
    const relativePaths = new Map<string, string>();
    if (vault) for (const note of vault.notes()) relativePaths.set(note.file.uri, note.file.relativePath);
    const reported = (uri: string) => {
      const relativePath = relativePaths.get(uri);
      // Looked up at each call: --fix parses the fixed notes again.
      const note = vault && relativePath !== undefined ? vault.note(relativePath) : undefined;
      const all = vault && note ? computeDiagnostics(vault, note, service.settings.diagnostics) : service.getDiagnostics(uri);
      const diagnostics = all.filter((d) => !command.quiet || d.severity === DiagnosticSeverity.Error);
      return diagnostics.sort((a, b) => comparePositions(a.range.start, b.range.start) || comparePositions(a.range.end, b.range.end));
    };

    if (command.fix) {
      const files = new VaultNoteFiles(target.rootUri);
      const fixes = await planFixes(service, files, uris.map((uri) => ({ uri, diagnostics: reported(uri) })), (message) => io.err(`vaultlink: ${message}\n`));
      if (command.dryRun) {
        diffs.push(fixesDiff(fixes, (uri) => displayPath(uri, io)));
      } else {
        const written: string[] = [];
        for (const fix of fixes) {
          try {
            await files.write(fix.uri, { ...fix.before, text: fix.after });
            written.push(fix.uri);
            fixed += fix.edits;
            fixedNotes++;
          } catch (error) {
            io.err(`vaultlink: ${error instanceof Error ? error.message : String(error)}\n`);
          }
        }
        // The fixed notes are parsed again, so the report shows what is left.
        if (written.length) await service.applyFileEvents(written.map((uri) => ({ uri, deleted: false })));
      }
      fixed += command.dryRun ? fixes.reduce((sum, fix) => sum + fix.edits, 0) : 0;
      fixedNotes += command.dryRun ? fixes.length : 0;
    }

    for (const uri of uris) {
      const diagnostics = reported(uri);
      if (diagnostics.length === 0) continue;
      const file = displayPath(uri, io);
      const fileUri = URI.file(URI.parse(uri).fsPath).toString();
      for (const diagnostic of diagnostics) {
        const severity = SEVERITY[diagnostic.severity ?? DiagnosticSeverity.Warning];
        if (severity === 'error') errors++;
        else if (severity === 'warning') warnings++;
        else notices++;
        problems.push(problemOf(file, fileUri, diagnostic, severity));
      }
    }
  }

  const report: CheckReport = {
    notes,
    attachments,
    milliseconds: Date.now() - started,
    problems,
    errors,
    warnings,
    notices,
    rules: rules ?? [],
    quiet: command.quiet,
  };
  const tooManyWarnings = command.maxWarnings >= 0 && warnings > command.maxWarnings;

  if (command.fix && command.dryRun) {
    io.out(diffs.join(''));
    io.err(`vaultlink: --dry-run: ${fixed} fixes in ${fixedNotes} notes, nothing written\n`);
  } else {
    if (command.fix) io.err(`vaultlink: fixed ${fixed} problems in ${fixedNotes} notes\n`);
    const baseUri = URI.file(io.cwd).toString();
    io.out(command.format === 'json' ? formatJson(report) : command.format === 'sarif' ? formatSarif(report, { version, baseUri }) : command.format === 'github' ? formatGithub(report) : formatText(report));
  }
  if (tooManyWarnings) io.err(`vaultlink: ${warnings} warnings, more than --max-warnings ${command.maxWarnings} allows\n`);
  return errors > 0 || tooManyWarnings ? 1 : 0;
}

function problemOf(file: string, uri: string, diagnostic: Diagnostic, severity: Severity): Problem {
  const { start, end } = diagnostic.range;
  return {
    file,
    uri,
    line: start.line + 1,
    column: start.character + 1,
    endLine: end.line + 1,
    endColumn: end.character + 1,
    severity,
    code: String(diagnostic.code),
    message: diagnostic.message,
  };
}
