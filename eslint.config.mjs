// @ts-check
// Lint rules, including the architecture's import boundaries (see ARCHITECTURE.md,
// Invariants; test/unit/architecture.test.ts proves each one bites).
import js from '@eslint/js';
import globals from 'globals';
import { builtinModules } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import tseslint from 'typescript-eslint';

const escapeRegExp = (/** @type {string} */ text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Every Node built-in, from Node itself rather than a hand-kept list: `fs` and
 * `node:fs`, listed subpaths such as `fs/promises` and any other subpath, and the
 * modules that exist only with the prefix (`node:test`, `node:sqlite`).
 */
const nodeBuiltinRegex = `^(node:.*|(${builtinModules.map(escapeRegExp).join('|')})(/.*)?)$`;

/** The pure core: what every host (LSP server, CLI, parser thread, one day a browser) shares. */
const PURE_CORE = [
  'server/src/core/**/*.ts',
  'server/src/features/**/*.ts',
  'server/src/service/**/*.ts',
  'server/src/protocol/**/*.ts',
  'server/src/vaultService.ts',
  'server/src/index.ts',
];

const noVscodeInServer = { name: 'vscode', message: 'The server runs outside VS Code; only client/ imports vscode.' };

/** The pure core: no editor, no connection, no Node. */
const coreRule = {
  paths: [{ name: 'vscode', message: 'The server core never imports vscode: it runs in the CLI, benchmarks and other editors.' }],
  patterns: [
    { group: ['vscode-languageserver', 'vscode-languageserver/*'], message: 'The core uses LSP data types (vscode-languageserver-types) but never the connection; adapt in server/src/lsp.' },
    { regex: nodeBuiltinRegex, message: 'The core runs on any host, so it imports no Node built-in: the file system comes injected (IFileSystem), disk and threads live in server/src/node.' },
  ],
};

/**
 * The server's layers, lowest first. A file may import from its own layer and
 * lower ones, never from a higher one: the facade sits on the service, the
 * service on the features, the features on the core, and the hosts on all of
 * them. Paths are resolved, so `../index` from a subfolder means what it says.
 */
const SERVER_LAYERS = [
  { name: 'the shared protocol (server/src/protocol)', test: (/** @type {string} */ rel) => rel === 'protocol' || rel.startsWith('protocol/') },
  { name: 'the core (server/src/core)', test: (/** @type {string} */ rel) => rel === 'core' || rel.startsWith('core/') },
  { name: 'the features (server/src/features)', test: (/** @type {string} */ rel) => rel === 'features' || rel.startsWith('features/') },
  { name: 'the service (server/src/service)', test: (/** @type {string} */ rel) => rel === 'service' || rel.startsWith('service/') },
  { name: 'the facade (vaultService.ts, index.ts)', test: (/** @type {string} */ rel) => ['', 'index', 'vaultService'].includes(rel.replace(/\.ts$/, '')) },
  { name: 'the hosts (server/src/lsp, node, cli)', test: (/** @type {string} */ rel) => /^(lsp|node|cli)(\/|$)/.test(rel) },
];
const SERVER_SOURCES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), 'server/src');

/** The layer of a path inside server/src, or -1. */
function serverLayerOf(/** @type {string} */ absolutePath) {
  const rel = path.relative(SERVER_SOURCES, absolutePath).split(path.sep).join('/');
  if (rel.startsWith('..') || path.isAbsolute(rel)) return -1;
  return SERVER_LAYERS.findIndex((layer) => layer.test(rel));
}

/** @type {import('eslint').Rule.RuleModule} */
const layerOrderRule = {
  meta: {
    type: 'problem',
    docs: { description: 'Server imports point down the layers: core ← features ← service ← facade ← hosts.' },
    schema: [],
    messages: { upward: '{{from}} must not import {{to}} ({{source}}): dependencies point inward, see ARCHITECTURE.md.' },
  },
  create(context) {
    const from = serverLayerOf(context.filename);
    if (from < 0) return {};
    /** @param {import('estree').Node & { source?: unknown }} node */
    const check = (node) => {
      const source = /** @type {{ value?: unknown } | null | undefined} */ (node.source);
      if (!source || typeof source.value !== 'string' || !source.value.startsWith('.')) return;
      const to = serverLayerOf(path.resolve(path.dirname(context.filename), source.value));
      if (to > from) context.report({ node, messageId: 'upward', data: { from: SERVER_LAYERS[from].name, to: SERVER_LAYERS[to].name, source: source.value } });
    };
    return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check, ImportExpression: check };
  },
};

/** What the client may not import: server code (but the shared protocol's types), or a parser. */
const clientPatterns = [
  {
    regex: '^\\.{1,2}/(.*/)?server(/|$)(?!src/protocol/vaultlinkProtocol$)',
    message: 'The client is thin: it talks to the server over LSP and never imports server code (only the types of server/src/protocol/vaultlinkProtocol).',
  },
  {
    regex: '^\\.{1,2}/(.*/)?server/src/protocol/vaultlinkProtocol$',
    allowTypeImports: true,
    message: 'The client imports the shared protocol with `import type` only, so no server code reaches the bundle.',
  },
  { group: ['markdown-it', 'yaml', 'fuse.js'], message: 'No parsing or searching in the client: the server owns all knowledge of notes.' },
];

/** The preview's plugin: the client's rules, but markdown-it's types may be imported (`import type`). */
const previewPatterns = [
  ...clientPatterns.filter((pattern) => !('group' in pattern)),
  { group: ['markdown-it'], allowTypeImports: true, message: 'The preview plugin works on the markdown-it instance VS Code hands it: import its types only.' },
  { group: ['yaml', 'fuse.js'], message: 'No parsing or searching in the client: the server owns all knowledge of notes.' },
];

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.vscode-test/**', 'bench/out/**', 'bench/.vaults/**', 'examples/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    // Webview scripts run in the webview's browser page, which gives them acquireVsCodeApi.
    files: ['media/**/*.js'],
    languageOptions: { sourceType: 'script', globals: { ...globals.browser, acquireVsCodeApi: 'readonly' } },
  },
  {
    // The bin shims are plain CommonJS that load the bundles.
    files: ['bin/**/*.js'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // The in-editor suite loads its test files after mocha has set its globals.
    files: ['test/integration/index.ts'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['server/src/**/*.ts'],
    plugins: { vaultlink: { rules: { 'layer-order': layerOrderRule } } },
    rules: {
      'vaultlink/layer-order': 'error',
      'no-restricted-imports': ['error', { paths: [noVscodeInServer] }],
    },
  },
  {
    files: PURE_CORE,
    rules: { 'no-restricted-imports': ['error', coreRule] },
  },
  {
    // The core's ambient declarations of the web-standard globals it may use
    // (`declare var`, as TypeScript's own lib files declare them).
    files: ['server/src/core/globals.d.ts'],
    rules: { 'no-var': 'off' },
  },
  {
    // The shared protocol is compiled by the client as well, and the client
    // imports it type-only: so it holds types alone and imports nothing.
    files: ['server/src/protocol/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: 'ImportDeclaration, TSImportEqualsDeclaration, ExportAllDeclaration, ExportNamedDeclaration[source], TSImportType', message: 'The shared protocol imports nothing: the client compiles it too.' },
        {
          selector: ':matches(Program, ExportNamedDeclaration) > :matches(VariableDeclaration, FunctionDeclaration, ClassDeclaration, TSEnumDeclaration, ExpressionStatement), ExportDefaultDeclaration',
          message: 'The shared protocol holds types only: the client imports it with `import type`, which erases values.',
        },
      ],
    },
  },
  {
    // Only server/src/node touches the disk; the LSP adapter and the CLI get an IFileSystem from there.
    files: ['server/src/lsp/**/*.ts', 'server/src/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noVscodeInServer],
          patterns: [{ regex: '^(node:)?fs(/.*)?$', message: 'Only server/src/node touches the disk: use NodeFileSystem (an IFileSystem) or move the disk access there.' }],
        },
      ],
    },
  },
  {
    // A parser thread (see server/src/node/workerNoteSource.ts) loads the parser and its codec
    // only: an LSP connection created there would read the editor's stdin.
    files: ['server/src/node/noteWorker.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noVscodeInServer],
          patterns: [{ group: ['vscode-languageserver', 'vscode-languageserver/*', '**/lsp/*', '**/vaultService', '**/index'], message: 'A parser thread imports the parser and codec only: no connection, no service.' }],
        },
      ],
    },
  },
  {
    files: ['client/src/**/*.ts'],
    ignores: ['client/src/talks/talkFormat.ts', 'client/src/talks/scheduleModel.ts', 'client/src/preview/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: clientPatterns }] },
  },
  {
    // The markdown preview's plugin is handed VS Code's own markdown-it instance:
    // it may name markdown-it's types, never bundle or run a parser of its own.
    files: ['client/src/preview/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: previewPatterns }] },
  },
  {
    // Pure drawing: unit tests run it with markdown-it directly, without VS Code.
    files: ['client/src/preview/obsidianMarkdown.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'obsidianMarkdown.ts is pure so unit tests run it without VS Code.' }],
          patterns: previewPatterns,
        },
      ],
    },
  },
  {
    // Pure presentation: unit tests import it without an editor.
    files: ['client/src/talks/talkFormat.ts', 'client/src/talks/scheduleModel.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'talkFormat.ts is pure so unit tests run it without VS Code.' }],
          patterns: clientPatterns,
        },
      ],
    },
  },
);
