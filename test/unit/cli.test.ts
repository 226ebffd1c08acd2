import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { promises as fsp, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { assertUsageError, copySampleVault, makeVault, removeTemporary, REPO, requireBuiltCli, runCli, SAMPLE_WARNINGS, temporaryFolder } from '../fixtures/cliRun';

/**
 * `vaultlink check` as CI relies on it (issue 12; markdownlint-cli2, lychee and
 * ESLint are the models): exit 0 clean, 1 problems, 2 bad usage with a
 * one-line reason; --max-warnings in both spellings; --exclude, .vaultlink.json,
 * --quiet, --version, --help; notes given as files, within their vault.
 */

const SUMMARY = /^(\d+) notes, (\d+) other files checked in \d+ ms: (\d+) errors, (\d+) warnings, (\d+) notices\.$/m;

function summary(stdout: string): { notes: number; errors: number; warnings: number; notices: number } {
  const match = SUMMARY.exec(stdout);
  assert.ok(match, `no summary line in ${JSON.stringify(stdout.slice(-300))}`);
  return { notes: Number(match[1]), errors: Number(match[3]), warnings: Number(match[4]), notices: Number(match[5]) };
}

/** The `file` of every problem line of the text format. */
function filesOf(stdout: string): string[] {
  return stdout
    .split('\n')
    .filter((line) => / (error|warning|info|hint) [a-z.-]+: /.test(line))
    .map((line) => line.slice(0, line.indexOf('.md:') + 3));
}

describe('vaultlink check: exit codes and options', function () {
  this.timeout(60_000);
  let sample: string;
  let clean: string;

  before(async () => {
    requireBuiltCli();
    sample = await copySampleVault();
    clean = await makeVault({ 'a.md': '# A\n\n[[b]] and [[b#B]]\n', 'b.md': '# B\n\n[[a]]\n' });
  });
  after(removeTemporary);

  describe('exit codes', () => {
    it('exits 0 on a clean vault, with the summary on stdout and nothing on stderr', async () => {
      const run = await runCli(['check', clean]);
      assert.equal(run.code, 0, run.stderr);
      assert.deepEqual(summary(run.stdout), { notes: 2, errors: 0, warnings: 0, notices: 0 });
      assert.equal(run.stderr, '');
    });

    it('exits 1 on the sample vault: 43 warnings are more than the default --max-warnings 0, and stderr says so', async () => {
      const run = await runCli(['check', sample]);
      assert.equal(run.code, 1);
      assert.deepEqual(summary(run.stdout), { notes: 2, errors: 0, warnings: SAMPLE_WARNINGS, notices: 0 });
      assert.match(run.stderr, /^vaultlink: 43 warnings, more than --max-warnings 0 allows\n$/);
    });

    it('exits 1 on an error whatever --max-warnings says', async () => {
      const vault = await makeVault({ 'a.md': '---\ntags: [unclosed\n---\n# A\n' });
      const run = await runCli(['check', '--max-warnings', '-1'], { cwd: vault });
      assert.equal(run.code, 1, run.stderr);
      assert.equal(summary(run.stdout).errors, 1);
      assert.match(run.stdout, /^a\.md:\d+:\d+: error frontmatter\.invalid-yaml: /m);
    });

    it('checks the current folder when no folder is given', async () => {
      const run = await runCli(['check'], { cwd: clean });
      assert.equal(run.code, 0, run.stderr);
      assert.equal(summary(run.stdout).notes, 2);
    });
  });

  describe('--max-warnings', () => {
    for (const [args, code] of [
      [['--max-warnings', '100'], 0],
      [['--max-warnings=100'], 0],
      [['--max-warnings', '43'], 0],
      [['--max-warnings=43'], 0],
      [['--max-warnings', '42'], 1],
      [['--max-warnings=42'], 1],
      [['--max-warnings', '0'], 1],
      [['--max-warnings', '-1'], 0],
      [['--max-warnings=-1'], 0],
    ] as const) {
      it(`${args.join(' ')} on 43 warnings exits ${code}`, async () => {
        const run = await runCli(['check', sample, ...args]);
        assert.equal(run.code, code, run.stderr);
        assert.equal(summary(run.stdout).warnings, SAMPLE_WARNINGS);
        assert.equal(/more than --max-warnings/.test(run.stderr), code === 1, run.stderr);
      });
    }

    it('-1 passes a clean vault, as any limit does', async () => {
      for (const args of [['--max-warnings', '-1'], ['--max-warnings=-1'], ['--max-warnings', '0']]) {
        const run = await runCli(['check', clean, ...args]);
        assert.equal(run.code, 0, `${args.join(' ')}: ${run.stderr}`);
      }
    });

    for (const value of ['abc', 'NaN', '1.5', '-2', '', '1e3', '0x10']) {
      it(`--max-warnings ${JSON.stringify(value)} is bad usage: exit 2, nothing checked`, async () => {
        assertUsageError(await runCli(['check', sample, '--max-warnings', value]), /--max-warnings takes a whole number/);
        assertUsageError(await runCli(['check', sample, `--max-warnings=${value}`]), /--max-warnings takes a whole number/);
      });
    }

    it('--max-warnings without a value is bad usage', async () => {
      assertUsageError(await runCli(['check', sample, '--max-warnings']), /--max-warnings needs a value/);
    });
  });

  describe('bad usage exits 2 with a one-line reason', () => {
    it('a folder that does not exist', async () => {
      assertUsageError(await runCli(['check', path.join(clean, 'no such folder')]), /no such folder or note: .*no such folder/);
      // Beside a real one, too: nothing is checked.
      assertUsageError(await runCli(['check', clean, 'missing-folder']), /no such folder or note: missing-folder/);
    });

    it('a note that does not exist, and a file that is not a note', async () => {
      assertUsageError(await runCli(['check', 'nope.md'], { cwd: clean }), /no such folder or note: nope\.md/);
      await fsp.writeFile(path.join(clean, 'picture.png'), '');
      try {
        assertUsageError(await runCli(['check', 'picture.png'], { cwd: clean }), /picture\.png is not a note/);
      } finally {
        await fsp.rm(path.join(clean, 'picture.png'));
      }
    });

    it('unknown options, long and short', async () => {
      assertUsageError(await runCli(['check', clean, '--bogus']), /unknown option --bogus/);
      assertUsageError(await runCli(['check', '-x', clean]), /unknown option -x/);
      assertUsageError(await runCli(['check', clean, '--max-warning', '3']), /unknown option --max-warning\b/);
    });

    it('an option of another command, a flag given a value, contradicting options', async () => {
      assertUsageError(await runCli(['outline', clean, '--fix']), /--fix is not one of outline's/);
      assertUsageError(await runCli(['check', clean, '--quiet=yes']), /--quiet takes no value/);
      assertUsageError(await runCli(['check', clean, '--json', '--format', 'sarif']), /contradict/);
      assertUsageError(await runCli(['check', clean, '--dry-run']), /--dry-run goes with --fix/);
    });

    it('an unknown format', async () => {
      assertUsageError(await runCli(['check', clean, '--format', 'xml']), /--format is one of text, json, sarif, github, not "xml"/);
      assertUsageError(await runCli(['outline', clean, '--format', 'sarif']), /--format is one of markdown, csv, json/);
    });

    it('an unknown command, and none', async () => {
      assertUsageError(await runCli(['lint', clean]), /unknown command "lint"/);
      assertUsageError(await runCli([]), /no command given/);
    });
  });

  describe('--version and --help', () => {
    it('--version (and -v) prints the version in package.json', async () => {
      const { version } = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { version: string };
      for (const args of [['--version'], ['-v'], ['check', '--version']]) {
        const run = await runCli(args);
        assert.equal(run.code, 0);
        assert.equal(run.stdout, `${version}\n`);
      }
    });

    it('--help (and -h, and help) prints every option, the exit codes and examples', async () => {
      for (const args of [['--help'], ['-h'], ['help'], ['check', '--help']]) {
        const run = await runCli(args);
        assert.equal(run.code, 0, args.join(' '));
        for (const text of ['--format', 'sarif', 'github', '--max-warnings', '-1', '--exclude', '--quiet', '--fix', '--dry-run', '--version', '.vaultlink.json', 'outline', 'Exit codes:', 'Examples:']) {
          assert.ok(run.stdout.includes(text), `--help mentions ${text}`);
        }
        assert.match(run.stdout, /^ {2}2 {2}bad usage/m);
      }
    });
  });

  describe('what is checked', () => {
    it('--quiet reports errors only: warnings are neither printed nor counted', async () => {
      const quietSample = await runCli(['check', sample, '--quiet']);
      assert.equal(quietSample.code, 0, quietSample.stderr);
      assert.equal(quietSample.stdout, '', 'no errors: nothing to say');

      const vault = await makeVault({ 'a.md': '---\ntags: [unclosed\n---\n# A\n\n![[gone.png]] [[nowhere]]\n' });
      const loud = await runCli(['check'], { cwd: vault });
      assert.deepEqual(summary(loud.stdout), { notes: 1, errors: 1, warnings: 2, notices: 0 });
      const quiet = await runCli(['check', '-q'], { cwd: vault });
      assert.equal(quiet.code, 1);
      const lines = quiet.stdout.split('\n').filter(Boolean);
      assert.equal(lines.length, 1, quiet.stdout);
      assert.match(lines[0], /^a\.md:\d+:\d+: error frontmatter\.invalid-yaml: /);
      const json = JSON.parse((await runCli(['check', vault, '--quiet', '--format', 'json'])).stdout) as { errors: number; warnings: number; problems: unknown[] };
      assert.equal(json.errors, 1);
      assert.equal(json.warnings, 0);
      assert.equal(json.problems.length, 1);
    });

    it('--exclude leaves files out (vault-relative globs, repeatable)', async () => {
      const run = await runCli(['check', sample, '--exclude', '2021*', '--max-warnings', '-1']);
      assert.equal(run.code, 0, run.stderr);
      assert.deepEqual(summary(run.stdout), { notes: 1, errors: 0, warnings: 0, notices: 0 });
      const both = await runCli(['check', sample, '--exclude=2021*', '--exclude', 'DEVIEW*']);
      assert.equal(summary(both.stdout).notes, 0);
      assert.equal(both.code, 0);
    });

    it('a note given as a file is checked within its vault: the folder above it holding .obsidian/', async () => {
      const vault = await makeVault({
        '.obsidian/app.json': '{}',
        'notes/a.md': '# A\n\n[[b]] [[b#Gone]] [[nowhere]]\n',
        'other/b.md': '# B\n\n[[missing from b]]\n',
        'other/c.md': '# C\n\n[[missing from c]]\n',
      });
      const run = await runCli(['check', 'a.md'], { cwd: path.join(vault, 'notes') });
      assert.equal(run.code, 1, run.stderr);
      assert.equal(summary(run.stdout).notes, 1, 'only the note given is reported');
      assert.equal(summary(run.stdout).warnings, 2, `[[b]] resolves to other/b.md, [[b#Gone]] and [[nowhere]] do not: ${run.stdout}`);
      assert.deepEqual(filesOf(run.stdout), ['a.md', 'a.md']);
      assert.match(run.stdout, /^a\.md:3:\d+: warning link\.missing-heading: No heading "Gone" in "b"\.$/m);

      const two = await runCli(['check', 'notes/a.md', path.join(vault, 'other', 'c.md')], { cwd: vault });
      assert.equal(summary(two.stdout).notes, 2);
      assert.deepEqual(filesOf(two.stdout), ['notes/a.md', 'notes/a.md', 'other/c.md']);
    });

    it('without .obsidian/, a note inside the current folder belongs to it', async () => {
      const vault = await makeVault({ 'notes/a.md': '# A\n\n[[b]] [[nowhere]]\n', 'other/b.md': '# B\n' });
      const run = await runCli(['check', 'notes/a.md'], { cwd: vault });
      assert.equal(summary(run.stdout).warnings, 1, `[[b]] resolves across the current folder: ${run.stdout}`);
      assert.match(run.stdout, /^notes\/a\.md:3:7: warning link\.missing-note: No note named "nowhere"/m);
    });

    it('a note its vault leaves out is named on stderr and not checked', async () => {
      const vault = await makeVault({ '.vaultlink.json': '{ "exclude": ["drafts/**"] }', 'drafts/a.md': '[[nowhere]]\n', 'b.md': '# B\n' });
      const run = await runCli(['check', 'drafts/a.md'], { cwd: vault });
      assert.equal(run.code, 0, run.stderr);
      assert.equal(summary(run.stdout).notes, 0);
      assert.match(run.stderr, /drafts\/a\.md is not checked: its vault .* leaves it out/);
    });

    it('hidden folders (.obsidian, .github, .trash) are not notes, as in Obsidian', async () => {
      const vault = await makeVault({ 'a.md': '# A\n', '.github/x.md': '[[nowhere]]\n', '.trash/y.md': '[[nowhere]]\n', '.obsidian/app.json': '{"newLinkFormat":"relative"}' });
      const run = await runCli(['check', vault]);
      assert.equal(run.code, 0, run.stdout);
      assert.deepEqual(summary(run.stdout), { notes: 1, errors: 0, warnings: 0, notices: 0 });
    });
  });

  describe('.vaultlink.json', () => {
    it('changes a level (dotted keys): missing images as errors fail whatever --max-warnings says', async () => {
      const vault = await copySampleVault({ '.vaultlink.json': JSON.stringify({ 'diagnostics.severity': { 'link.missing-image': 'error' } }) });
      const run = await runCli(['check', vault, '--max-warnings', '-1']);
      assert.equal(run.code, 1);
      assert.deepEqual(summary(run.stdout), { notes: 2, errors: SAMPLE_WARNINGS, warnings: 0, notices: 0 });
    });

    it('turns a code off (nested, inside "vaultlink", as editors write it): the sample vault passes', async () => {
      const vault = await copySampleVault({ '.vaultlink.json': JSON.stringify({ vaultlink: { diagnostics: { severity: { 'link.missing-image': 'off' } } } }) });
      const run = await runCli(['check', vault]);
      assert.equal(run.code, 0, run.stderr);
      assert.deepEqual(summary(run.stdout), { notes: 2, errors: 0, warnings: 0, notices: 0 });
    });

    it('excludes, with the "vaultlink." prefix of VS Code settings, and adds to --exclude', async () => {
      const vault = await copySampleVault({ '.vaultlink.json': JSON.stringify({ 'vaultlink.exclude': ['2021*'] }) });
      const run = await runCli(['check', vault]);
      assert.equal(run.code, 0, run.stderr);
      assert.equal(summary(run.stdout).notes, 1);
      assert.equal(summary((await runCli(['check', vault, '--exclude', 'DEVIEW*'])).stdout).notes, 0);
    });

    it('turns a kind of link off ("validate.markdownLinks")', async () => {
      const vault = await makeVault({ '.vaultlink.json': '{ "validate": { "markdownLinks": false } }', 'a.md': '[x](nowhere.md) [[nowhere]]\n' });
      const run = await runCli(['check', '--max-warnings', '-1'], { cwd: vault });
      assert.equal(summary(run.stdout).warnings, 1, run.stdout);
      assert.match(run.stdout, /^a\.md:1:17: warning link\.missing-note: No note named "nowhere"/m);
    });

    for (const [name, text, reason] of [
      ['bad JSON', '{ "exclude": [', /\.vaultlink\.json is not valid JSON/],
      ['an unknown key', '{ "exclud": ["x"] }', /unknown setting "exclud"/],
      ['an unknown level', '{ "diagnostics.severity": { "link.missing-image": "fatal" } }', /"diagnostics\.severity" of "link\.missing-image" is one of off, hint, information, warning, error/],
      ['an unknown code', '{ "diagnostics": { "severity": { "link.broken": "error" } } }', /unknown diagnostic code "link\.broken"/],
      ['a wrong type', '{ "exclude": "templates/**" }', /"exclude" must be an array of globs/],
      ['not an object', '["x"]', /must hold a JSON object/],
    ] as const) {
      it(`with ${name} is bad usage: exit 2, nothing checked`, async () => {
        const vault = await makeVault({ '.vaultlink.json': text, 'a.md': '# A\n' });
        assertUsageError(await runCli(['check', vault]), reason);
      });
    }
  });

  describe('progress', () => {
    it('writes no progress to a stderr that is not a terminal', async () => {
      const run = await runCli(['check', sample, '--max-warnings', '-1']);
      assert.equal(run.stderr, '');
    });

    it('shows a progress line on a terminal for a large vault, and clears it', async function () {
      // A terminal comes from util-linux's `script`; without it this cannot be checked, which is a failure, not a pass.
      assert.equal(spawnSync('script', ['--version']).status, 0, 'this test needs `script` (Debian package util-linux) to give the CLI a terminal');
      const files: Record<string, string> = {};
      for (let i = 0; i < 2100; i++) files[`n/${i}.md`] = `# ${i}\n[[${(i + 1) % 2100}]]\n`;
      const vault = await makeVault(files);
      const out = path.join(await temporaryFolder(), 'stdout.txt');
      // `script` gives the CLI a terminal (stdout too, so stdout goes to a file).
      const command = `${JSON.stringify(process.execPath)} ${JSON.stringify(path.join(REPO, 'bin', 'vaultlink.js'))} check ${JSON.stringify(vault)} > ${JSON.stringify(out)}`;
      const terminal = spawnSync('script', ['-qec', command, '/dev/null'], { encoding: 'utf8', env: { ...process.env, VAULTLINK_CACHE: 'off' }, timeout: 60_000 });
      assert.equal(terminal.status, 0, terminal.stdout + terminal.stderr);
      assert.match(terminal.stdout, /vaultlink: indexing [\d,]+ of 2,100 files…/);
      assert.ok(terminal.stdout.includes('\r\x1b[2K'), 'the progress line is cleared');
      assert.deepEqual(summary(readFileSync(out, 'utf8')), { notes: 2100, errors: 0, warnings: 0, notices: 0 });
    });
  });
});
