import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { DiagnosticCode, defaultDiagnosticOptions } from '../../server/src/features/diagnostics';

/**
 * The README's reference tables stay true (issue 16): every command, setting
 * and diagnostic code the manifest and the server declare is in the README, with
 * its title or default, and the README lists nothing they do not. And the first
 * run's manifest parts point at things that exist: walkthrough media, commands
 * named in command: links.
 */

const REPO = path.resolve(__dirname, '../..');
const readme = readFileSync(path.join(REPO, 'README.md'), 'utf8');

interface Command {
  command: string;
  title: string;
  category?: string;
}
interface Property {
  default?: unknown;
  properties?: Record<string, { default?: unknown }>;
}
interface Manifest {
  contributes: {
    commands: Command[];
    configuration: { properties: Record<string, Property> };
    views?: Record<string, Array<{ id: string }>>;
    viewsContainers?: Record<string, Array<{ id: string }>>;
    viewsWelcome?: Array<{ view: string; contents: string }>;
    walkthroughs?: Array<{ id: string; steps: Array<{ id: string; description: string; media: { markdown?: string; image?: string } }> }>;
  };
}
const manifest = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as Manifest;

/** The table rows (cells, trimmed) of the README section under `heading`, up to the next heading of its level or above. */
function sectionRows(heading: string): string[][] {
  const lines = readme.split('\n');
  const start = lines.indexOf(heading);
  assert.ok(start >= 0, `README has no "${heading}" section`);
  const level = /^#+/.exec(heading)![0].length;
  const rows: string[][] = [];
  for (const line of lines.slice(start + 1)) {
    const other = /^(#+) /.exec(line);
    if (other && other[1].length <= level) break;
    if (!line.startsWith('|') || /^\|\s*-/.test(line)) continue;
    // Cells split on | not escaped as \|.
    rows.push(line.slice(1, -1).split(/(?<!\\)\|/).map((cell) => cell.trim()));
  }
  return rows.slice(1); // the header row
}

/** A table's rows keyed by the `code` in their first or given column. */
function byCode(rows: string[][], column: number): Map<string, string[]> {
  const keyed = new Map<string, string[]>();
  for (const row of rows) {
    const code = /^`([^`]+)`$/.exec(row[column])?.[1];
    if (code) keyed.set(code, row);
  }
  return keyed;
}

describe('README reference', () => {
  it('lists every command with its palette title, and no command that does not exist', () => {
    const rows = byCode(sectionRows('## Commands'), 1);
    const contributed = manifest.contributes.commands;
    assert.deepEqual([...rows.keys()].sort(), contributed.map((command) => command.command).sort());
    for (const command of contributed) {
      const title = `**${command.category ? `${command.category}: ` : ''}${command.title}**`;
      assert.equal(rows.get(command.command)![0], title, command.command);
      assert.ok(rows.get(command.command)![2].length > 10, `${command.command} says what it does`);
    }
  });

  it('lists every setting with its default, and no setting that does not exist', () => {
    const rows = byCode(sectionRows('## Settings'), 0);
    const properties = manifest.contributes.configuration.properties;
    assert.deepEqual([...rows.keys()].sort(), Object.keys(properties).sort());
    for (const [name, property] of Object.entries(properties)) {
      if (typeof property.default === 'object' && property.default !== null && !Array.isArray(property.default)) continue; // an object: "see above"
      const shown = typeof property.default === 'string' ? property.default : JSON.stringify(property.default);
      assert.equal(rows.get(name)![1], `\`${shown}\``, `default of ${name}`);
    }
  });

  it('lists every diagnostic code with its default level, as the server and the settings know them', () => {
    const rows = byCode(sectionRows('### Diagnostic codes'), 0);
    const serverCodes = Object.values(DiagnosticCode).sort();
    assert.deepEqual([...rows.keys()].sort(), serverCodes);
    const severity = manifest.contributes.configuration.properties['vaultlink.diagnostics.severity'].properties ?? {};
    assert.deepEqual(Object.keys(severity).sort(), serverCodes, 'vaultlink.diagnostics.severity has a key per code');
    for (const code of serverCodes) {
      assert.equal(rows.get(code)![1], severity[code].default, `README default of ${code}`);
      assert.equal(defaultDiagnosticOptions.severity[code], severity[code].default, `server default of ${code}`);
    }
  });
});

describe('first-run manifest', () => {
  const commands = new Set(manifest.contributes.commands.map((command) => command.command));
  const views = Object.values(manifest.contributes.views ?? {}).flat().map((view) => view.id);
  const containers = Object.values(manifest.contributes.viewsContainers ?? {}).flat().map((container) => container.id);
  /** VS Code's own commands the walkthrough and welcome content use. */
  const builtIn = new Set(['workbench.action.files.openFolder', 'workbench.action.quickOpen', 'workbench.actions.view.problems', ...containers.map((id) => `workbench.view.extension.${id}`), ...views.map((id) => `${id}.focus`)]);

  function commandLinks(text: string): string[] {
    return [...text.matchAll(/\(command:([\w.-]+)[^)]*\)/g)].map((match) => match[1]);
  }

  it('has a walkthrough whose steps have media that exist and command links to real commands', () => {
    const [walkthrough] = manifest.contributes.walkthroughs ?? [];
    assert.ok(walkthrough, 'contributes.walkthroughs');
    assert.deepEqual(walkthrough.steps.map((step) => step.id), ['openVault', 'completeLink', 'followLink', 'fixImage', 'talks', 'backlinks']);
    for (const step of walkthrough.steps) {
      const media = step.media.markdown ?? step.media.image;
      assert.ok(media && existsSync(path.join(REPO, media)), `${step.id}: media ${media}`);
      assert.match(media, /^media\/walkthrough\//);
      for (const command of commandLinks(step.description)) assert.ok(commands.has(command) || builtIn.has(command), `${step.id} links to unknown command ${command}`);
    }
    assert.ok(walkthrough.steps.some((step) => commandLinks(step.description).includes('vaultlink.openSampleVault')));
  });

  it('has welcome content for the Talks view with and without a folder, linking to real commands', () => {
    const welcome = (manifest.contributes.viewsWelcome ?? []).filter((entry) => entry.view === 'vaultlink.talks');
    assert.ok(welcome.some((entry) => /conference note/.test(entry.contents) && /`conference`/.test(entry.contents)), 'says what makes a note a conference note');
    assert.ok(welcome.some((entry) => /No folder is open/.test(entry.contents)), 'says what to do without a folder');
    for (const entry of manifest.contributes.viewsWelcome ?? []) {
      for (const command of commandLinks(entry.contents)) assert.ok(commands.has(command) || builtIn.has(command), `${entry.view} welcome links to unknown command ${command}`);
    }
  });
});
