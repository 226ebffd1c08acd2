import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { DiagnosticCode } from '../../server/src/features/diagnostics';
import { copySampleVault, makeVault, removeTemporary, REPO, requireBuiltCli, runCli, SAMPLE_WARNINGS } from '../fixtures/cliRun';

/**
 * `vaultlink check --format json|sarif|github`: JSON with start and end
 * positions that point at the problem's exact text; SARIF valid against the
 * OASIS SARIF 2.1.0 schema (test/fixtures/sarif, validated with Ajv), one rule
 * per diagnostic code; GitHub workflow annotations, escaped as the toolkit does.
 */

interface JsonProblem {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: string;
  code: string;
  message: string;
}

interface JsonReport {
  notes: number;
  attachments: number;
  milliseconds: number;
  errors: number;
  warnings: number;
  notices: number;
  problems: JsonProblem[];
}

interface SarifLog {
  version: string;
  runs: Array<{
    tool: { driver: { name: string; version: string; rules: Array<{ id: string; defaultConfiguration?: { level?: string; enabled?: boolean } }> } };
    originalUriBaseIds: Record<string, { uri: string }>;
    results: Array<{
      ruleId: string;
      ruleIndex: number;
      level: string;
      message: { text: string };
      locations: Array<{ physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string }; region: { startLine: number; startColumn: number; endLine: number; endColumn: number } } }>;
    }>;
  }>;
}

const CODES = Object.values(DiagnosticCode);

function sarifValidator() {
  const schema = JSON.parse(readFileSync(path.join(REPO, 'test', 'fixtures', 'sarif', 'sarif-schema-2.1.0.json'), 'utf8')) as object;
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  return ajv.compile(schema);
}

/** The text a problem's range covers, from its 1-based, end-exclusive columns. */
function coveredText(vault: string, problem: { file: string; line: number; column: number; endLine: number; endColumn: number }): string {
  const lines = readFileSync(path.join(vault, problem.file), 'utf8').split('\n');
  assert.equal(problem.endLine, problem.line, 'these problems are on one line');
  return lines[problem.line - 1].slice(problem.column - 1, problem.endColumn - 1);
}

describe('vaultlink check: output formats', function () {
  this.timeout(60_000);
  let sample: string;
  /** A vault with an error, warnings, a notice and a hint, and a file name that needs escaping. */
  let mixed: string;
  const validate = sarifValidator();

  before(async () => {
    requireBuiltCli();
    sample = await copySampleVault();
    mixed = await makeVault({
      'bad, yaml.md': '---\ntags: [unclosed\n---\n# Bad\n\n[[nowhere]] ![[gone.png]] [[Same]] %% [[drafted]] %%\n',
      'a/Same.md': '# Same\n',
      'b/Same.md': '# Same\n',
      '한글 노트.md': '# 노트\n\n[[없는 노트#제목]] [[bad, yaml#Nope]]\n',
      'ratio: 100%.md': '[[nowhere either]]\n',
    });
  });
  after(removeTemporary);

  describe('json', () => {
    it('lists every problem with its start and end, which cover the problem exactly', async () => {
      const run = await runCli(['check', '--format', 'json'], { cwd: sample });
      assert.equal(run.code, 1);
      const report = JSON.parse(run.stdout) as JsonReport;
      assert.equal(report.notes, 2);
      assert.equal(report.warnings, SAMPLE_WARNINGS);
      assert.equal(report.errors, 0);
      assert.equal(report.problems.length, SAMPLE_WARNINGS);
      for (const problem of report.problems) {
        assert.deepEqual(Object.keys(problem), ['file', 'line', 'column', 'endLine', 'endColumn', 'severity', 'code', 'message']);
        assert.equal(problem.code, 'link.missing-image');
        assert.equal(problem.severity, 'warning');
        const covered = coveredText(sample, problem);
        const image = /^Image "(.*)" does not exist in the vault\.$/.exec(problem.message)![1];
        assert.ok(covered.includes(image) && /^!?\[/.test(covered) && /[\])]$/.test(covered), `${problem.file}:${problem.line}: the range covers ${JSON.stringify(covered)}, not the embed of ${image}`);
      }
      const first = report.problems.find((problem) => problem.message.includes('"What_mlops.png"'))!;
      assert.deepEqual(first, { file: '2021 Line Developer Day.md', line: 66, column: 1, endLine: 66, endColumn: 20, severity: 'warning', code: 'link.missing-image', message: 'Image "What_mlops.png" does not exist in the vault.' });
    });

    it('--json is --format json', async () => {
      const strip = (text: string) => ({ ...(JSON.parse(text) as JsonReport), milliseconds: 0 });
      assert.deepEqual(strip((await runCli(['check', '--json'], { cwd: sample })).stdout), strip((await runCli(['check', '--format=json'], { cwd: sample })).stdout));
    });

    it('counts each severity, columns in UTF-16 code units', async () => {
      const report = JSON.parse((await runCli(['check', '-f', 'json'], { cwd: mixed })).stdout) as JsonReport;
      assert.equal(report.errors, 1, 'the front matter');
      assert.equal(report.warnings, 5, 'nowhere, gone.png, 없는 노트, #Nope, nowhere either');
      assert.equal(report.notices, 2, 'the ambiguous [[Same]] and the commented-out link');
      const korean = report.problems.find((problem) => problem.message.includes('없는 노트'))!;
      assert.equal(coveredText(mixed, korean), '[[없는 노트#제목]]');
      assert.deepEqual([korean.column, korean.endColumn], [1, 13]);
    });
  });

  describe('sarif', () => {
    it('is valid SARIF 2.1.0 (the OASIS schema, with Ajv), with one rule per diagnostic code', async () => {
      const run = await runCli(['check', '--format', 'sarif'], { cwd: sample });
      assert.equal(run.code, 1);
      const log = JSON.parse(run.stdout) as SarifLog;
      assert.ok(validate(log), `invalid SARIF: ${JSON.stringify(validate.errors, null, 2)}`);
      // The schema bites: another version, or a line 0, is refused.
      assert.equal(validate({ ...log, version: '2.0.0' }), false);
      const lineZero = JSON.parse(run.stdout) as SarifLog;
      lineZero.runs[0].results[0].locations[0].physicalLocation.region.startLine = 0;
      assert.equal(validate(lineZero), false);
      assert.equal(log.version, '2.1.0');
      assert.equal(log.runs.length, 1);
      const { driver } = log.runs[0].tool;
      assert.equal(driver.name, 'vaultlink');
      assert.equal(driver.version, (JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { version: string }).version);
      assert.deepEqual(driver.rules.map((rule) => rule.id), CODES, 'one rule per code, each once');
      const results = log.runs[0].results;
      assert.equal(results.length, SAMPLE_WARNINGS);
      for (const result of results) {
        assert.equal(driver.rules[result.ruleIndex].id, result.ruleId, 'ruleIndex points at the rule');
        assert.equal(result.level, 'warning');
      }
    });

    it('has the same regions as the JSON, files relative to %SRCROOT% (the current folder)', async () => {
      const log = JSON.parse((await runCli(['check', '--format', 'sarif'], { cwd: sample })).stdout) as SarifLog;
      const report = JSON.parse((await runCli(['check', '--format', 'json'], { cwd: sample })).stdout) as JsonReport;
      const run = log.runs[0];
      assert.equal(run.originalUriBaseIds['%SRCROOT%'].uri, `file://${sample.split('/').map(encodeURIComponent).join('/')}/`);
      assert.deepEqual(
        run.results.map((result) => {
          const { artifactLocation, region } = result.locations[0].physicalLocation;
          return { file: decodeURIComponent(artifactLocation.uri), base: artifactLocation.uriBaseId, ...region, message: result.message.text };
        }),
        report.problems.map((p) => ({ file: p.file, base: '%SRCROOT%', startLine: p.line, startColumn: p.column, endLine: p.endLine, endColumn: p.endColumn, message: p.message })),
      );
      assert.equal(run.results[0].locations[0].physicalLocation.artifactLocation.uri, '2021%20Line%20Developer%20Day.md');
    });

    it('stays valid with every level, a rule turned off, escaped names and files outside the current folder', async () => {
      const vault = await makeVault({
        '.vaultlink.json': '{ "diagnostics.severity": { "link.ambiguous": "off", "link.missing-heading": "error" } }',
        'x.md': '[[Same]] [[Same#Gone]]',
        'a/Same.md': '# S\n',
        'b/Same.md': '# S\n',
      });
      for (const [cwd, folder] of [
        [mixed, '.'],
        [REPO, vault],
      ]) {
        const run = await runCli(['check', '--format', 'sarif', folder], { cwd });
        const log = JSON.parse(run.stdout) as SarifLog;
        assert.ok(validate(log), `invalid SARIF for ${folder}: ${JSON.stringify(validate.errors, null, 2)}`);
        assert.deepEqual(log.runs[0].tool.driver.rules.map((rule) => rule.id), CODES);
        if (folder === '.') {
          assert.deepEqual([...new Set(log.runs[0].results.map((result) => result.level))].sort(), ['error', 'note', 'warning']);
          assert.ok(log.runs[0].results.some((result) => result.locations[0].physicalLocation.artifactLocation.uri === 'bad%2C%20yaml.md'));
        } else {
          const rules = log.runs[0].tool.driver.rules;
          assert.deepEqual(rules.find((rule) => rule.id === 'link.ambiguous')!.defaultConfiguration, { enabled: false, level: 'none' });
          assert.deepEqual(rules.find((rule) => rule.id === 'link.missing-heading')!.defaultConfiguration, { level: 'error' });
          assert.deepEqual(log.runs[0].results.map((result) => [result.ruleId, result.level]), [['link.missing-heading', 'error']]);
          // A file outside the current folder is named by its absolute URI.
          const location = log.runs[0].results[0].locations[0].physicalLocation.artifactLocation;
          assert.equal(location.uriBaseId, undefined);
          assert.match(location.uri, /^file:\/\/\/.*\/x\.md$/);
        }
      }
    });
  });

  describe('github', () => {
    const ANNOTATION = /^::(error|warning|notice) file=([^,:]+),line=(\d+),col=(\d+),endLine=(\d+),endColumn=(\d+),title=([^,:]+)::(.+)$/;

    it('prints one workflow annotation a problem, then the summary', async () => {
      const run = await runCli(['check', '--format', 'github'], { cwd: sample });
      assert.equal(run.code, 1);
      const lines = run.stdout.split('\n');
      assert.equal(lines.pop(), '');
      assert.match(lines.pop()!, /^2 notes, 0 other files checked in \d+ ms: 0 errors, 43 warnings, 0 notices\.$/);
      assert.equal(lines.length, SAMPLE_WARNINGS);
      const report = JSON.parse((await runCli(['check', '--format', 'json'], { cwd: sample })).stdout) as JsonReport;
      lines.forEach((line, i) => {
        const match = ANNOTATION.exec(line);
        assert.ok(match, line);
        const p = report.problems[i];
        assert.deepEqual(match.slice(1), ['warning', p.file, String(p.line), String(p.column), String(p.endLine), String(p.endColumn), p.code, p.message]);
      });
      assert.equal(lines[0], '::warning file=2021 Line Developer Day.md,line=66,col=1,endLine=66,endColumn=20,title=link.missing-image::Image "What_mlops.png" does not exist in the vault.');
    });

    it('maps levels to error, warning and notice, and escapes commas, colons, % and line breaks', async () => {
      const run = await runCli(['check', '--format', 'github'], { cwd: mixed });
      const annotations = run.stdout.split('\n').filter((line) => line.startsWith('::'));
      assert.equal(annotations.length, 8);
      for (const line of annotations) assert.match(line, ANNOTATION);
      assert.deepEqual([...new Set(annotations.map((line) => ANNOTATION.exec(line)![1]))].sort(), ['error', 'notice', 'warning']);
      assert.ok(annotations.every((line) => !line.startsWith('::') || !/file=bad, yaml/.test(line)));
      assert.ok(annotations.some((line) => line.includes('file=bad%2C yaml.md,')), 'the comma in the file name is escaped');
      assert.ok(annotations.some((line) => line.startsWith('::warning file=ratio%3A 100%25.md,line=1,col=1,')), 'a colon and a % in the file name are escaped');
      const yaml = annotations.find((line) => line.includes('title=frontmatter.invalid-yaml'))!;
      assert.ok(!/[\r\n]/.test(yaml));
    });
  });
});
