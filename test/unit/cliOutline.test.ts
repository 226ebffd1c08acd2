import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import { formatOutline as editorFormat } from '../../server/src/features/talkExport';
import { createVaultService } from '../../server/src/index';
import { NodeFileSystem } from '../../server/src/node/nodeFileSystem';
import { assertUsageError, copySampleVault, makeVault, removeTemporary, requireBuiltCli, runCli } from '../fixtures/cliRun';

/**
 * `vaultlink outline NOTE`: the talk outline of a conference note as a markdown
 * table, CSV or JSON, the same as the VS Code client's copy and export
 * (`vaultlink/talkExport`: features/talkExport.ts, run here on the outline the service gives).
 */

const DEVIEW = 'DEVIEW 2018.md';
const LINE = '2021 Line Developer Day.md';

describe('vaultlink outline', function () {
  this.timeout(60_000);
  let vault: string;
  /** What the client's formatter makes of the talks feature's outline of a note, or of every conference. */
  let expected: (format: 'markdown' | 'csv' | 'json', note?: string) => string;

  before(async () => {
    requireBuiltCli();
    vault = await copySampleVault();
    const service = createVaultService({ fileSystem: new NodeFileSystem() });
    service.setRoots([URI.file(vault).toString()]);
    await service.indexAll();
    expected = (format, note) => editorFormat(service.getTalks(note === undefined ? undefined : URI.file(path.join(vault, note)).toString()), format);
  });
  after(removeTemporary);

  it('prints DEVIEW 2018 as a markdown table of its 7 talks, as the editor copies it', async () => {
    const run = await runCli(['outline', DEVIEW], { cwd: vault });
    assert.equal(run.code, 0, run.stderr);
    const lines = run.stdout.trimEnd().split('\n');
    assert.equal(lines[0], '| Day | Time | Track | Talk | Speaker | Links |');
    assert.equal(lines[1], '| --- | --- | --- | --- | --- | --- |');
    assert.equal(lines.length, 2 + 7, run.stdout);
    assert.match(lines[2], /^\| 1일차 \(2018-10-11\) \| 16:00 \| {2}\| 쿠팡 서비스 클라우드 마이그레이션 \|/);
    assert.equal(run.stdout, expected('markdown', DEVIEW));
    assert.equal(run.stderr, '');
  });

  it('prints CSV (a header and 7 rows, CRLF), as the editor exports it', async () => {
    const run = await runCli(['outline', DEVIEW, '--format', 'csv'], { cwd: vault });
    assert.equal(run.code, 0, run.stderr);
    const rows = run.stdout.split('\r\n');
    assert.equal(rows.pop(), '');
    assert.equal(rows[0], 'Conference,Day,Time,Track,Title,Speaker,Slides,Video,Page,Images,Broken images');
    assert.equal(rows.length, 1 + 7);
    assert.ok(rows.slice(1).every((row) => row.startsWith('DEVIEW 2018,')));
    assert.equal(run.stdout, expected('csv', DEVIEW));
  });

  it('prints JSON: one conference, 7 talks with their ranges and links', async () => {
    const run = await runCli(['outline', path.join(vault, DEVIEW), '-f', 'json']);
    assert.equal(run.code, 0, run.stderr);
    const conferences = JSON.parse(run.stdout) as Array<{ title: string; uri: string; days: Array<{ talks: Array<{ title: string; range: unknown }> }> }>;
    assert.equal(conferences.length, 1);
    assert.equal(conferences[0].title, 'DEVIEW 2018');
    assert.equal(conferences[0].uri, URI.file(path.join(vault, DEVIEW)).toString());
    assert.equal(conferences[0].days.flatMap((day) => day.talks).length, 7);
    assert.equal(run.stdout, expected('json', DEVIEW));
  });

  it('prints every conference note of a folder, with a Conference column', async () => {
    const run = await runCli(['outline', '.'], { cwd: vault });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^\| Conference \| Day \|/);
    assert.equal(run.stdout, expected('markdown'));
    const csv = (await runCli(['outline', vault, '--format=csv'])).stdout;
    assert.ok(csv.includes('\r\nDEVIEW 2018,') && csv.includes('\r\n2021 Line Developer Day,'), csv.slice(0, 300));
    assert.equal(csv, expected('csv'));
    assert.equal((await runCli(['outline', LINE, DEVIEW, '--format', 'json'], { cwd: vault })).stdout, editorFormat([...JSON.parse(expected('json', LINE)), ...JSON.parse(expected('json', DEVIEW))], 'json'));
  });

  it('exits 1 for a note that is not a conference note, 2 for one that does not exist', async () => {
    const plain = await makeVault({ 'plain.md': '# Shopping\n\n- milk\n' });
    const run = await runCli(['outline', 'plain.md'], { cwd: plain });
    assert.equal(run.code, 1);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, /^vaultlink: plain\.md is not a conference note: it has no talks\n$/);
    assertUsageError(await runCli(['outline', 'gone.md'], { cwd: plain }), /no such folder or note: gone\.md/);
    assertUsageError(await runCli(['outline'], { cwd: plain }), /outline needs a note/);
  });
});
