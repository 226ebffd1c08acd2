import * as path from 'node:path';
import { URI } from 'vscode-uri';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { createVaultService } from '../index';
import { NodeFileSystem } from '../node/nodeFileSystem';

const USAGE = `Usage: vaultlink check [folder ...] [--json] [--max-warnings N]

Checks every note of each folder (a vault) for broken images, links, headings and
blocks, ambiguous links and broken front matter, and prints one line a problem.
Exits 1 when there are errors, or more warnings than --max-warnings (default 0).`;

const SEVERITY_NAMES: Record<number, string> = {
  [DiagnosticSeverity.Error]: 'error',
  [DiagnosticSeverity.Warning]: 'warning',
  [DiagnosticSeverity.Information]: 'info',
  [DiagnosticSeverity.Hint]: 'hint',
};

async function main(args: string[]): Promise<number> {
  const [command, ...rest] = args;
  if (command !== 'check' || rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(USAGE + '\n');
    return command === undefined || rest.includes('--help') || rest.includes('-h') || command === '--help' ? 0 : 2;
  }
  const json = rest.includes('--json');
  const maxIndex = rest.indexOf('--max-warnings');
  const maxWarnings = maxIndex >= 0 ? Number(rest[maxIndex + 1]) : 0;
  const folders = rest.filter((arg, index) => !arg.startsWith('--') && (maxIndex < 0 || index !== maxIndex + 1));
  const roots = (folders.length ? folders : ['.']).map((folder) => URI.file(path.resolve(folder)).toString());

  const service = createVaultService({ fileSystem: new NodeFileSystem() });
  service.setRoots(roots);
  const stats = await service.indexAll();
  for (const problem of stats.problems) process.stderr.write(`vaultlink: could not read ${problem}\n`);

  let errors = 0;
  let warnings = 0;
  const report: Array<{ file: string; line: number; column: number; severity: string; code: string; message: string }> = [];
  for (const vault of service.vaults) {
    for (const note of [...vault.notes()].sort((a, b) => a.file.relativePath.localeCompare(b.file.relativePath))) {
      for (const diagnostic of service.getDiagnostics(note.file.uri)) {
        const severity = SEVERITY_NAMES[diagnostic.severity ?? DiagnosticSeverity.Warning];
        if (diagnostic.severity === DiagnosticSeverity.Error) errors++;
        else if (diagnostic.severity === DiagnosticSeverity.Warning) warnings++;
        report.push({ file: path.relative(process.cwd(), URI.parse(note.file.uri).fsPath), line: diagnostic.range.start.line + 1, column: diagnostic.range.start.character + 1, severity, code: String(diagnostic.code), message: diagnostic.message });
      }
    }
  }
  if (json) {
    process.stdout.write(JSON.stringify({ notes: stats.notes, attachments: stats.attachments, milliseconds: stats.milliseconds, problems: report }, null, 2) + '\n');
  } else {
    for (const item of report) process.stdout.write(`${item.file}:${item.line}:${item.column}: ${item.severity} ${item.code}: ${item.message}\n`);
    process.stdout.write(`${stats.notes} notes, ${stats.attachments} other files checked in ${stats.milliseconds} ms: ${errors} errors, ${warnings} warnings, ${report.length - errors - warnings} notices.\n`);
  }
  return errors > 0 || warnings > maxWarnings ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => exitWhenFlushed(code),
  (error: unknown) => {
    process.stderr.write(`vaultlink: ${error instanceof Error ? error.message : String(error)}\n`);
    exitWhenFlushed(2);
  },
);

/**
 * Exits with `code` once stdout and stderr have taken everything written to
 * them. `process.exit` right after the writes cut a pipe (what CI reads) at
 * 64 KiB, the pipe's buffer: the rest was still queued. An empty write's
 * callback runs after the writes before it; exiting there, not when the event
 * loop empties, means nothing left running can keep the check from ending.
 */
function exitWhenFlushed(code: number): void {
  process.exitCode = code;
  let open = 2;
  for (const stream of [process.stdout, process.stderr]) {
    // A reader that stops early (`| head`) is no failure of the check: its exit code stands.
    stream.on('error', () => undefined);
    stream.write('', () => --open === 0 && process.exit(code));
  }
}
