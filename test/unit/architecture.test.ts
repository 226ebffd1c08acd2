import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { ESLint } from 'eslint';
import * as ts from 'typescript';

const ROOT = path.resolve(__dirname, '../..');

/** The rules that keep the architecture's boundaries (eslint.config.mjs). */
const BOUNDARY_RULES = new Set(['no-restricted-imports', 'no-restricted-syntax', 'vaultlink/layer-order']);

let eslint: ESLint | undefined;

/** Lints `code` as if it were the file at `relativePath` and returns the messages of the boundary rules. */
async function boundaryErrors(relativePath: string, code: string): Promise<string[]> {
  eslint ??= new ESLint({ cwd: ROOT });
  const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, relativePath) });
  return result.messages.filter((m) => m.ruleId !== null && BOUNDARY_RULES.has(m.ruleId)).map((m) => `${m.ruleId}: ${m.message}`);
}

/** Asserts that importing `source` from the file at `relativePath` is refused (`refused`) or allowed. */
async function assertImport(relativePath: string, source: string, refused: boolean): Promise<void> {
  const errors = await boundaryErrors(relativePath, `import { x } from '${source}';\nexport const a = x;\n`);
  assert.equal(errors.length, refused ? 1 : 0, `${relativePath} importing '${source}' should be ${refused ? 'refused' : 'allowed'}; got ${JSON.stringify(errors)}`);
}

/** A tsconfig of the repository, parsed. */
function readProject(relativePath: string): ts.ParsedCommandLine {
  const file = path.join(ROOT, relativePath);
  const read = ts.readConfigFile(file, ts.sys.readFile);
  assert.equal(read.error, undefined);
  const config = ts.parseJsonConfigFileContent(read.config, ts.sys, path.dirname(file), undefined, file);
  assert.deepEqual(config.errors, []);
  return config;
}

/**
 * Type-checks `rootNames` with a project's options, with `files` (repository-relative
 * path → text) added or replaced in memory, never on disk; returns the semantic
 * diagnostics of each of the root files and of `files`, by repository-relative path.
 */
function compileInMemory(config: ts.ParsedCommandLine, rootNames: string[], files: Record<string, string>): Map<string, string[]> {
  const inMemory = new Map(Object.entries(files).map(([name, text]) => [path.join(ROOT, name), text]));
  const options = { ...config.options, noEmit: true, composite: false, incremental: false };
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.getSourceFile = (fileName, languageVersion, ...rest) => {
    const text = inMemory.get(path.resolve(fileName));
    return text !== undefined ? ts.createSourceFile(fileName, text, languageVersion, true) : getSourceFile.call(host, fileName, languageVersion, ...rest);
  };
  host.fileExists = (fileName) => inMemory.has(path.resolve(fileName)) || fileExists.call(host, fileName);
  host.readFile = (fileName) => inMemory.get(path.resolve(fileName)) ?? readFile.call(host, fileName);
  const program = ts.createProgram({ rootNames, options, host });
  const checked = new Set([...rootNames.map((f) => path.resolve(f)), ...inMemory.keys()]);
  const diagnostics = new Map<string, string[]>();
  for (const fileName of checked) {
    const sourceFile = program.getSourceFile(fileName);
    if (!sourceFile) continue;
    const messages = program.getSemanticDiagnostics(sourceFile).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    diagnostics.set(path.relative(ROOT, fileName).split(path.sep).join('/'), messages);
  }
  return diagnostics;
}

// ARCHITECTURE.md states these invariants; the lint rules and the core's
// tsconfig enforce them, and this test proves each one bites, so a loosened
// config cannot pass silently.
describe('architecture invariants', function () {
  this.timeout(60000);

  it('the server core imports neither vscode, the LSP connection nor node:fs', async () => {
    assert.equal((await boundaryErrors('server/src/core/x.ts', "import * as vscode from 'vscode';\nexport const a = vscode;\n")).length, 1);
    assert.equal((await boundaryErrors('server/src/features/x.ts', "import { createConnection } from 'vscode-languageserver/node';\nexport const a = createConnection;\n")).length, 1);
    assert.equal((await boundaryErrors('server/src/vaultService.ts', "import { readFileSync } from 'node:fs';\nexport const a = readFileSync;\n")).length, 1);
    assert.equal((await boundaryErrors('server/src/service/x.ts', "import * as vscode from 'vscode';\nexport const a = vscode;\n")).length, 1);
    assert.deepEqual(await boundaryErrors('server/src/core/x.ts', "import type { Range } from 'vscode-languageserver-types';\nexport type A = Range;\n"), []);
  });

  it("the core's list of Node built-ins is Node's own: both spellings, subpaths, prefix-only modules", async () => {
    for (const source of ['fs', 'node:fs', 'fs/promises', 'node:fs/promises', 'string_decoder', 'node:worker_threads', 'perf_hooks', 'node:test', 'timers/promises']) {
      await assertImport('server/src/core/x.ts', source, true);
    }
    // A local module that shares a built-in's name is not a built-in.
    await assertImport('server/src/core/x.ts', './events', false);
    await assertImport('server/src/features/x.ts', '../core/path', false);
    await assertImport('server/src/core/x.ts', 'yaml', false);
  });

  it('dependencies point inward: the core never imports its hosts', async () => {
    await assertImport('server/src/core/x.ts', '../lsp/server', true);
    await assertImport('server/src/features/x.ts', '../node/nodeFileSystem', true);
    await assertImport('server/src/service/x.ts', '../cli/main', true);
    await assertImport('server/src/vaultService.ts', './lsp/settings', true);
    await assertImport('server/src/index.ts', './node/hosting', true);
    await assertImport('server/src/lsp/x.ts', '../index', false);
    await assertImport('server/src/cli/x.ts', '../features/diagnostics', false);
  });

  it('no upward imports: core ← features ← service ← facade', async () => {
    // The core sees only itself (and the shared protocol's types).
    await assertImport('server/src/core/x.ts', '../features/talks', true);
    await assertImport('server/src/core/x.ts', '../service/documentStore', true);
    await assertImport('server/src/core/x.ts', '../vaultService', true);
    await assertImport('server/src/core/x.ts', '../index', true);
    await assertImport('server/src/core/x.ts', '..', true);
    await assertImport('server/src/core/x.ts', './text', false);
    await assertImport('server/src/core/x.ts', '../protocol/vaultlinkProtocol', false);
    // The features see the core.
    await assertImport('server/src/features/x.ts', '../service/derivedIndexes', true);
    await assertImport('server/src/features/x.ts', '../vaultService', true);
    await assertImport('server/src/features/x.ts', '../index', true);
    await assertImport('server/src/features/x.ts', '../core/vaultIndex', false);
    await assertImport('server/src/features/x.ts', './tableOfContents', false);
    // The service sees the features and the core; the facade sits on top of it.
    await assertImport('server/src/service/x.ts', '../vaultService', true);
    await assertImport('server/src/service/x.ts', '../index', true);
    await assertImport('server/src/service/nested/x.ts', '../../index', true);
    await assertImport('server/src/service/nested/x.ts', '../index', false); // service/index.ts, its own layer
    await assertImport('server/src/service/x.ts', '../features/completion', false);
    await assertImport('server/src/vaultService.ts', './service/documentStore', false);
    // Re-exports and dynamic imports count too.
    assert.equal((await boundaryErrors('server/src/core/x.ts', "export { getConferences } from '../features/talks';\n")).length, 1);
    assert.equal((await boundaryErrors('server/src/core/x.ts', "export async function load() { return import('../features/talks'); }\n")).length, 1);
  });

  it('only server/src/node touches the disk; no server code imports vscode', async () => {
    await assertImport('server/src/node/x.ts', 'node:fs', false);
    await assertImport('server/src/node/x.ts', 'fs/promises', false);
    for (const source of ['node:fs', 'fs', 'fs/promises', 'node:fs/promises']) {
      await assertImport('server/src/lsp/x.ts', source, true);
      await assertImport('server/src/cli/x.ts', source, true);
    }
    await assertImport('server/src/cli/x.ts', 'node:path', false);
    await assertImport('server/src/cli/x.ts', '../node/nodeFileSystem', false);
    assert.equal((await boundaryErrors('server/src/lsp/x.ts', "import * as vscode from 'vscode';\nexport const a = vscode;\n")).length, 1);
    assert.equal((await boundaryErrors('server/src/node/x.ts', "import * as vscode from 'vscode';\nexport const a = vscode;\n")).length, 1);
  });

  it('a parser thread loads the parser, never the connection or the service', async () => {
    assert.equal((await boundaryErrors('server/src/node/noteWorker.ts', "import { createConnection } from 'vscode-languageserver/node';\nexport const a = createConnection;\n")).length, 1);
    assert.equal((await boundaryErrors('server/src/node/noteWorker.ts', "import { VaultService } from '../vaultService';\nexport const a = VaultService;\n")).length, 1);
    assert.deepEqual(await boundaryErrors('server/src/node/noteWorker.ts', "import { parseNote } from '../core/parser';\nexport const a = parseNote;\n"), []);
  });

  it('the client never imports server code or a parser', async () => {
    assert.equal((await boundaryErrors('client/src/x.ts', "import { parseNote } from '../../server/src/core/parser';\nexport const a = parseNote;\n")).length, 1);
    assert.equal((await boundaryErrors('client/src/x.ts', "import type { Conference } from '../../server/src/features/talks';\nexport type A = Conference;\n")).length, 1);
    assert.equal((await boundaryErrors('client/src/talks/x.ts', "import { x } from '../../../server';\nexport const a = x;\n")).length, 1);
    assert.equal((await boundaryErrors('client/src/x.ts', "import MarkdownIt from 'markdown-it';\nexport const a = MarkdownIt;\n")).length, 1);
  });

  it('the client imports the shared protocol module, type-only, and nothing else of the server', async () => {
    const shared = '../../server/src/protocol/vaultlinkProtocol';
    assert.deepEqual(await boundaryErrors('client/src/x.ts', `import type { Conference } from '${shared}';\nexport type A = Conference;\n`), []);
    assert.deepEqual(await boundaryErrors('client/src/x.ts', `export type { Conference } from '${shared}';\n`), []);
    assert.deepEqual(await boundaryErrors('client/src/talks/talkFormat.ts', `import type { Talk } from '../${shared}';\nexport type A = Talk;\n`), []);
    assert.equal((await boundaryErrors('client/src/x.ts', `import { Conference } from '${shared}';\nexport const a = Conference;\n`)).length, 1);
    assert.equal((await boundaryErrors('client/src/x.ts', `export { Conference } from '${shared}';\n`)).length, 1);
    // A sibling of the shared module is server code like any other.
    assert.equal((await boundaryErrors('client/src/x.ts', "import type { A } from '../../server/src/protocol/other';\nexport type B = A;\n")).length, 1);
  });

  it('the shared protocol module holds types only and imports nothing', async () => {
    const file = 'server/src/protocol/vaultlinkProtocol.ts';
    assert.deepEqual(await boundaryErrors(file, "export interface A { readonly uri: string }\nexport type B = A[];\n"), []);
    assert.equal((await boundaryErrors(file, "import type { Range } from 'vscode-languageserver-types';\nexport type A = Range;\n")).length, 1);
    assert.equal((await boundaryErrors(file, "export type { Shape } from './shapes';\n")).length, 1);
    assert.equal((await boundaryErrors(file, "export type A = import('../features/talks').Conference;\n")).length, 1);
    assert.equal((await boundaryErrors(file, "export const TALKS = 'vaultlink/talks';\n")).length, 1);
    assert.equal((await boundaryErrors(file, "export function f(): void {}\n")).length, 1);
  });

  it('the talk outline formatter stays free of vscode, so it is unit-tested without an editor', async () => {
    assert.equal((await boundaryErrors('client/src/talks/talkFormat.ts', "import * as vscode from 'vscode';\nexport const a = vscode;\n")).length, 1);
    assert.equal((await boundaryErrors('client/src/talks/talkFormat.ts', "import MarkdownIt from 'markdown-it';\nexport const a = MarkdownIt;\n")).length, 1);
    assert.deepEqual(await boundaryErrors('client/src/talks/talkTree.ts', "import * as vscode from 'vscode';\nexport const a = vscode;\n"), []);
  });

  it("the preview plugin works on VS Code's markdown-it: its types only, no parser of its own, no server code, and its drawing free of vscode", async () => {
    assert.deepEqual(await boundaryErrors('client/src/preview/x.ts', "import type MarkdownIt from 'markdown-it';\nexport type A = MarkdownIt;\n"), []);
    assert.equal((await boundaryErrors('client/src/preview/x.ts', "import MarkdownIt from 'markdown-it';\nexport const a = MarkdownIt;\n")).length, 1);
    assert.equal((await boundaryErrors('client/src/preview/x.ts', "import { parse } from 'yaml';\nexport const a = parse;\n")).length, 1);
    assert.equal((await boundaryErrors('client/src/preview/x.ts', "import { resolveLink } from '../../../server/src/core/linkResolver';\nexport const a = resolveLink;\n")).length, 1);
    assert.equal((await boundaryErrors('client/src/preview/obsidianMarkdown.ts', "import * as vscode from 'vscode';\nexport const a = vscode;\n")).length, 1);
    assert.deepEqual(await boundaryErrors('client/src/preview/previewLinks.ts', "import * as vscode from 'vscode';\nexport const a = vscode;\n"), []);
  });

  describe('the pure core compiles without @types/node (server/tsconfig.core.json)', () => {
    let config: ts.ParsedCommandLine;
    before(() => {
      config = readProject('server/tsconfig.core.json');
    });

    it('covers the pure folders and nothing of the hosts', () => {
      const files = config.fileNames.map((f) => path.relative(path.join(ROOT, 'server/src'), f).split(path.sep).join('/'));
      for (const file of ['core/parser.ts', 'core/globals.d.ts', 'features/talks.ts', 'protocol/vaultlinkProtocol.ts', 'vaultService.ts', 'index.ts']) {
        assert.ok(files.includes(file), `${file} is in the core project`);
      }
      assert.deepEqual(files.filter((f) => /^(lsp|node|cli)\//.test(f)), []);
      assert.deepEqual(config.options.types, []);
      assert.deepEqual(config.options.lib, ['lib.es2022.d.ts']);
      assert.ok(config.raw.include.includes('src/service/**/*.ts'), 'the service folder is part of the core');
    });

    it('Node globals are compile errors in the core; the web-standard ones it declares are not', () => {
      const probes = {
        'server/src/core/__nodeProbe.ts': [
          'export const home = process.env.HOME;',
          "export const bytes = Buffer.from('x');",
          "export const fs = require('fs');",
          'export const here = __dirname;',
          'setImmediate(() => undefined);',
        ].join('\n'),
        'server/src/features/__webProbe.ts': [
          "export const text = new TextDecoder('utf-8').decode(new TextEncoder().encode('노트'));",
          "export const host = new URL('https://example.com/a').hostname;",
          'const timer = setTimeout(() => undefined, 0);',
          'clearTimeout(timer);',
          'clearInterval(setInterval(() => undefined, 10));',
        ].join('\n'),
      };
      // The whole core project, so a dependency's declarations that pulled in Node's types would show.
      const diagnostics = compileInMemory(config, [...config.fileNames, ...Object.keys(probes).map((f) => path.join(ROOT, f))], probes);
      const nodeErrors = diagnostics.get('server/src/core/__nodeProbe.ts') ?? [];
      for (const name of ['process', 'Buffer', 'require', '__dirname', 'setImmediate']) {
        assert.ok(nodeErrors.some((message) => message.includes(`Cannot find name '${name}'`)), `'${name}' is an error in the core; got ${JSON.stringify(nodeErrors)}`);
      }
      assert.deepEqual(diagnostics.get('server/src/features/__webProbe.ts') ?? [], []);
    });
  });

  it("the talks feature's outline must match the shared wire shape, or the feature fails to compile", () => {
    const config = readProject('server/tsconfig.node.json');
    const talksFeature = path.join(ROOT, 'server/src/features/talks.ts');
    const sharedProtocol = 'server/src/protocol/vaultlinkProtocol.ts';
    const wire = ts.sys.readFile(path.join(ROOT, sharedProtocol))!;
    // The wire promising a field that the feature does not build.
    const drifted = wire.replace('export interface Talk {', 'export interface Talk {\n  readonly wireOnly: string;');
    assert.notEqual(drifted, wire);
    const errors = compileInMemory(config, [talksFeature], { [sharedProtocol]: drifted }).get('server/src/features/talks.ts') ?? [];
    assert.ok(errors.some((message) => message.includes('wireOnly')), `drift is a compile error; got ${JSON.stringify(errors)}`);
    assert.deepEqual(compileInMemory(config, [talksFeature], {}).get('server/src/features/talks.ts') ?? [], [], 'and without the drift it compiles');
  });
});
