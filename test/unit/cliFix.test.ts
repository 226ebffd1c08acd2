import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import { VaultNoteFiles } from '../../server/src/node/vaultFiles';
import { makeVault, removeTemporary, requireBuiltCli, runCli, temporaryFolder } from '../fixtures/cliRun';

/**
 * `vaultlink check --fix`: only the unambiguous fixes (one near-identical
 * target: case, spaces, - and _, .md), only where the check reports a problem,
 * and nothing else in the file changes; `--fix --dry-run` writes nothing and
 * prints the diff, a patch `git apply` takes.
 */

const TARGET = '# Alpha Note\n\n## First Section\n\nText ^para-one\n';
/** Fixable: [[alpha_note]] (the note), #first-section (the heading), #^para_one (the block). Not: the two Beta candidates, the image, a note like no other. */
const LINKING = [
  '# Links',
  '',
  'See [[alpha_note]] and [[Alpha Note#first-section|the section]].',
  'A block: [[Alpha Note#^para_one]]. Untouched: ![[missing.png]] and [[Nothing Like It]].',
  'Two candidates: [[beta note]], so no fix.',
  '',
].join('\n');
const FIXED = [
  '# Links',
  '',
  'See [[Alpha Note]] and [[Alpha Note#First Section|the section]].',
  'A block: [[Alpha Note#^para-one]]. Untouched: ![[missing.png]] and [[Nothing Like It]].',
  'Two candidates: [[beta note]], so no fix.',
  '',
].join('\n');

function vaultFiles(linking = LINKING): Record<string, string> {
  return { 'Alpha Note.md': TARGET, 'b.md': linking, 'Beta-Note.md': '# Beta\n', 'Beta_Note.md': '# Beta\n' };
}

/** Every file of the vault with its bytes, and its modification time. */
async function snapshot(vault: string): Promise<Map<string, { bytes: string; mtimeMs: number }>> {
  const files = new Map<string, { bytes: string; mtimeMs: number }>();
  for (const name of (await fsp.readdir(vault, { recursive: true })).sort()) {
    const file = path.join(vault, name);
    const stat = await fsp.stat(file);
    if (stat.isFile()) files.set(name, { bytes: (await fsp.readFile(file)).toString('base64'), mtimeMs: stat.mtimeMs });
  }
  return files;
}

function codesOf(stdout: string): string[] {
  return [...stdout.matchAll(/^b\.md:\d+:\d+: \w+ ([a-z.-]+): /gm)].map((match) => match[1]);
}

describe('vaultlink check --fix', function () {
  this.timeout(60_000);
  before(requireBuiltCli);
  after(removeTemporary);

  it('applies the unambiguous fixes and nothing else, then reports what is left', async () => {
    const vault = await makeVault(vaultFiles());
    const before = await runCli(['check', '--max-warnings', '-1'], { cwd: vault });
    assert.deepEqual(codesOf(before.stdout).sort(), ['link.missing-block', 'link.missing-heading', 'link.missing-image', 'link.missing-note', 'link.missing-note', 'link.missing-note'].sort(), before.stdout);

    const run = await runCli(['check', '--fix'], { cwd: vault });
    assert.equal(await fsp.readFile(path.join(vault, 'b.md'), 'utf8'), FIXED, 'the three fixes, and no other change');
    assert.equal(await fsp.readFile(path.join(vault, 'Alpha Note.md'), 'utf8'), TARGET, 'the target note is untouched');
    assert.match(run.stderr, /^vaultlink: fixed 3 problems in 1 notes$/m);
    assert.deepEqual(codesOf(run.stdout).sort(), ['link.missing-image', 'link.missing-note', 'link.missing-note'], `what is left is reported: ${run.stdout}`);
    assert.ok(!run.stdout.includes('alpha_note'));
    assert.equal(run.code, 1, 'three warnings remain');

    const again = await runCli(['check', '--fix', '--max-warnings', '-1'], { cwd: vault });
    assert.equal(again.code, 0);
    assert.match(again.stderr, /fixed 0 problems in 0 notes/);
    assert.equal(await fsp.readFile(path.join(vault, 'b.md'), 'utf8'), FIXED);
  });

  it('--dry-run changes nothing and prints the diff, which git apply turns into what --fix writes', async () => {
    const vault = await makeVault(vaultFiles());
    const files = await snapshot(vault);
    const run = await runCli(['check', '--fix', '--dry-run'], { cwd: vault });
    assert.deepEqual(await snapshot(vault), files, 'no file written or touched');
    assert.equal(run.code, 1, 'the problems are still there');
    assert.match(run.stderr, /^vaultlink: --dry-run: 3 fixes in 1 notes, nothing written$/m);
    const diff = run.stdout;
    assert.ok(diff.startsWith('--- a/b.md\n+++ b/b.md\n@@ '), diff);
    assert.ok(diff.includes('\n-See [[alpha_note]] and [[Alpha Note#first-section|the section]].\n'), diff);
    assert.ok(diff.includes('\n+See [[Alpha Note]] and [[Alpha Note#First Section|the section]].\n'), diff);
    assert.ok(diff.includes('\n+A block: [[Alpha Note#^para-one]]. Untouched: ![[missing.png]] and [[Nothing Like It]].\n'), diff);
    assert.equal(diff.split('\n').filter((line) => line.startsWith('+') && !line.startsWith('+++')).length, 2, 'two lines changed');

    if (spawnSync('git', ['--version']).status !== 0) return;
    const patch = path.join(vault, '..', `${path.basename(vault)}.patch`);
    await fsp.writeFile(patch, diff);
    try {
      const applied = spawnSync('git', ['apply', patch], { cwd: vault, encoding: 'utf8' });
      assert.equal(applied.status, 0, applied.stderr);
      assert.equal(await fsp.readFile(path.join(vault, 'b.md'), 'utf8'), FIXED);
    } finally {
      await fsp.rm(patch, { force: true });
    }
  });

  it('fixes only what is reported: a code turned off, or warnings under --quiet, are left alone', async () => {
    const off = await makeVault({ ...vaultFiles(), '.vaultlink.json': '{ "diagnostics.severity": { "link.missing-note": "off" } }' });
    await runCli(['check', '--fix'], { cwd: off });
    const text = await fsp.readFile(path.join(off, 'b.md'), 'utf8');
    assert.ok(text.includes('[[alpha_note]]'), 'missing notes are off: that link is left');
    assert.ok(text.includes('[[Alpha Note#First Section|the section]]') && text.includes('#^para-one'), 'the heading and the block are fixed');

    const quiet = await makeVault(vaultFiles());
    const run = await runCli(['check', '--fix', '--quiet'], { cwd: quiet });
    assert.equal(run.code, 0);
    assert.equal(await fsp.readFile(path.join(quiet, 'b.md'), 'utf8'), LINKING, 'warnings are not reported under --quiet, so not fixed');
  });

  it('keeps a byte order mark and CRLF line ends, and fixes notes given as files only', async () => {
    const crlf = `\uFEFF${LINKING.replace(/\n/g, '\r\n')}`;
    const vault = await makeVault({ ...vaultFiles(crlf), 'c.md': 'Also [[alpha_note]]\n' });
    const run = await runCli(['check', '--fix', 'b.md'], { cwd: vault });
    assert.match(run.stderr, /fixed 3 problems in 1 notes/);
    const bytes = await fsp.readFile(path.join(vault, 'b.md'));
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'the byte order mark stays');
    assert.equal(bytes.subarray(3).toString('utf8'), FIXED.replace(/\n/g, '\r\n'));
    assert.equal(await fsp.readFile(path.join(vault, 'c.md'), 'utf8'), 'Also [[alpha_note]]\n', 'a note not given is not fixed');
  });

  it('writes links in the form .obsidian/app.json asks for (newLinkFormat)', async () => {
    const files = { 'people/Alpha Note.md': TARGET, 'b.md': 'See [[alpha_note]].\n' };
    const shortest = await makeVault(files);
    await runCli(['check', '--fix'], { cwd: shortest });
    assert.equal(await fsp.readFile(path.join(shortest, 'b.md'), 'utf8'), 'See [[Alpha Note]].\n');
    const absolute = await makeVault({ ...files, '.obsidian/app.json': '{ "newLinkFormat": "absolute" }' });
    await runCli(['check', '--fix'], { cwd: absolute });
    assert.equal(await fsp.readFile(path.join(absolute, 'b.md'), 'utf8'), 'See [[people/Alpha Note]].\n');
  });

  it('its writer writes only notes of the vault: never outside it, through a symbolic link or .., or a file not there', async () => {
    const vault = await makeVault({ 'a.md': 'a\n' });
    const outside = await temporaryFolder();
    await fsp.writeFile(path.join(outside, 'victim.md'), 'keep\n');
    await fsp.symlink(outside, path.join(vault, 'linked'));
    const files = new VaultNoteFiles(URI.file(vault).toString());
    const text = { text: 'changed\n', bom: false, lossless: true };
    for (const target of [path.join(outside, 'victim.md'), path.join(vault, 'linked', 'victim.md')]) {
      await assert.rejects(files.write(URI.file(target).toString(), text), /refusing to write/);
    }
    await assert.rejects(files.write(`${URI.file(vault).toString()}/%2e%2e/${encodeURIComponent(path.basename(outside))}/victim.md`, text), /refusing to write/);
    assert.equal(await fsp.readFile(path.join(outside, 'victim.md'), 'utf8'), 'keep\n');
    await assert.rejects(files.write(URI.file(path.join(vault, 'new.md')).toString(), text));
    await assert.rejects(fsp.access(path.join(vault, 'new.md')), 'no file is created');
    await files.write(URI.file(path.join(vault, 'a.md')).toString(), text);
    assert.equal(await fsp.readFile(path.join(vault, 'a.md'), 'utf8'), 'changed\n');
  });

  it('never writes a file that is not valid UTF-8 (its other bytes would change)', async () => {
    const vault = await makeVault({ 'Alpha Note.md': TARGET, 'b.md': Buffer.concat([Buffer.from('[[alpha_note]] '), Buffer.from([0xff, 0xfe]), Buffer.from('\n')]) });
    const before = await fsp.readFile(path.join(vault, 'b.md'));
    const run = await runCli(['check', '--fix'], { cwd: vault });
    assert.deepEqual(await fsp.readFile(path.join(vault, 'b.md')), before);
    assert.match(run.stderr, /not fixing .*b\.md: it is not valid UTF-8/);
  });
});
