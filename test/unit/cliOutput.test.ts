import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * `vaultlink check` as CI runs it: its output read from a pipe, slowly. The
 * whole report arrives and the exit code is the check's, however long the
 * reader takes (issue 11, item 11: `process.exit` right after the writes cut
 * the pipe at 64 KiB). Runs the built CLI, `bin/vaultlink.js` → `dist/cli/main.js`.
 */

const REPO = path.resolve(__dirname, '../..');
const BIN = path.join(REPO, 'bin', 'vaultlink.js');
const BUNDLE = path.join(REPO, 'dist', 'cli', 'main.js');
const NOTES = 30;
const LINKS_PER_NOTE = 100;

interface Run {
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number | null;
}

/**
 * Runs the CLI with its stdout on a pipe nobody reads until the process has
 * exited (or for 1.5 s, when it cannot exit before its output is read, as it
 * should not), then reads it.
 */
function runCli(args: readonly string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.pause();
    const resume = () => {
      clearTimeout(timer);
      child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
      child.stdout.resume();
    };
    const timer = setTimeout(resume, 1500);
    child.once('exit', resume);
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), code }));
  });
}

describe('vaultlink check into a pipe', function () {
  this.timeout(60_000);
  let vault: string;

  before(async function () {
    if (!existsSync(BUNDLE)) assert.fail(`${path.relative(REPO, BUNDLE)} is missing: build the CLI first (node scripts/build.mjs); this test runs bin/vaultlink.js as CI does.`);
    vault = await fsp.mkdtemp(path.join(os.tmpdir(), 'vaultlink-cli-'));
    for (let note = 0; note < NOTES; note++) {
      const links = Array.from({ length: LINKS_PER_NOTE }, (_, link) => `- [[missing note ${note} ${link}]]`);
      await fsp.writeFile(path.join(vault, `note ${String(note).padStart(2, '0')}.md`), `# Note ${note}\n\n${links.join('\n')}\n`);
    }
  });

  after(async () => {
    if (vault) await fsp.rm(vault, { recursive: true, force: true });
  });

  const stale = '(a build older than the fix cuts it at 64 KiB: node scripts/build.mjs)';

  it('writes the whole JSON report, then exits 1', async () => {
    const run = await runCli(['check', vault, '--json']);
    assert.ok(run.stdout.length > 4 * 65536, `${run.stdout.length} bytes of output, more than a pipe holds ${stale}`);
    let report: { notes: number; problems: Array<{ code: string }> };
    try {
      report = JSON.parse(run.stdout) as typeof report;
    } catch (error) {
      assert.fail(`the JSON is cut short after ${run.stdout.length} bytes ${stale}: ${String(error)}`);
    }
    assert.equal(report.notes, NOTES);
    assert.equal(report.problems.length, NOTES * LINKS_PER_NOTE);
    assert.ok(report.problems.every((problem) => problem.code === 'link.missing-note'));
    assert.equal(run.code, 1, `exit code (stderr: ${run.stderr})`);
  });

  it('writes every line and the summary last, then exits 1', async () => {
    const run = await runCli(['check', vault]);
    const lines = run.stdout.split('\n');
    assert.equal(lines.pop(), '', 'the output ends with a line break');
    assert.equal(lines.length, NOTES * LINKS_PER_NOTE + 1, `${lines.length} lines ${stale}`);
    assert.ok(lines.slice(0, -1).every((line) => / link\.missing-note: No note named "missing note \d+ \d+" in the vault\.$/.test(line)));
    assert.match(lines.at(-1)!, new RegExp(`^${NOTES} notes, 0 other files checked in \\d+ ms: `));
    assert.equal(run.code, 1, `exit code (stderr: ${run.stderr})`);
  });

  it('exits 0 with nothing to report, and with the check`s code when the reader stops early', async () => {
    const clean = await fsp.mkdtemp(path.join(os.tmpdir(), 'vaultlink-cli-clean-'));
    try {
      await fsp.writeFile(path.join(clean, 'a.md'), '# A\n[[b]]\n');
      await fsp.writeFile(path.join(clean, 'b.md'), '# B\n[[a#A]]\n');
      const run = await runCli(['check', clean]);
      assert.match(run.stdout, /^2 notes, 0 other files checked in \d+ ms: 0 errors, 0 warnings, 0 notices\.\n$/);
      assert.equal(run.code, 0);
    } finally {
      await fsp.rm(clean, { recursive: true, force: true });
    }
    // A reader that takes 100 bytes and goes (`| head -c 100`): no crash, the check's own exit code.
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(process.execPath, [BIN, 'check', vault], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.stdout.once('data', () => child.stdout.destroy());
      child.on('error', reject);
      child.on('close', (exitCode) => (stderr.includes('EPIPE') ? reject(new Error(stderr)) : resolve(exitCode)));
    });
    assert.equal(code, 1);
  });
});
