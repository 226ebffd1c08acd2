// @ts-check
// Lint rules, including the architecture's import boundaries (see ARCHITECTURE.md).
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const NODE_BUILTINS = ['fs', 'path', 'os', 'child_process', 'worker_threads', 'net', 'http', 'https', 'url', 'crypto', 'stream', 'util', 'events', 'readline', 'process', 'buffer', 'zlib'];
const nodeBuiltins = NODE_BUILTINS.flatMap((name) => [name, `node:${name}`, `${name}/*`, `node:${name}/*`]);

/** The pure core and the features: no editor, no connection, no disk. */
const coreRule = {
  patterns: [
    { group: ['vscode'], message: 'The server core never imports vscode: it runs in the CLI, benchmarks and other editors.' },
    { group: ['vscode-languageserver', 'vscode-languageserver/*'], message: 'The core uses LSP data types (vscode-languageserver-types) but never the connection; adapt in server/src/lsp.' },
    { group: nodeBuiltins, message: 'The core gets the file system injected (IFileSystem); only server/src/node may touch node:fs.' },
    { group: ['**/lsp/*', '**/node/*', '**/cli/*'], message: 'Dependencies point inward: the core does not import its hosts.' },
  ],
};

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
    files: ['server/src/core/**/*.ts', 'server/src/features/**/*.ts', 'server/src/vaultService.ts', 'server/src/index.ts'],
    rules: { 'no-restricted-imports': ['error', coreRule] },
  },
  {
    files: ['server/src/**/*.ts'],
    ignores: ['server/src/core/**', 'server/src/features/**', 'server/src/vaultService.ts', 'server/src/index.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'The server runs outside VS Code; only client/ imports vscode.' }] }] },
  },
  {
    // A parser thread (see server/src/node/workerNoteSource.ts) loads the parser and its codec
    // only: an LSP connection created there would read the editor's stdin.
    files: ['server/src/node/noteWorker.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'The server runs outside VS Code; only client/ imports vscode.' }],
          patterns: [{ group: ['vscode-languageserver', 'vscode-languageserver/*', '**/lsp/*', '**/vaultService', '**/index'], message: 'A parser thread imports the parser and codec only: no connection, no service.' }],
        },
      ],
    },
  },
  {
    files: ['client/src/**/*.ts'],
    ignores: ['client/src/talks/talkFormat.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/server/**', '../../server/*'], message: 'The client is thin: it talks to the server over LSP and never imports server code.' },
            { group: ['markdown-it', 'yaml', 'fuse.js'], message: 'No parsing or searching in the client: the server owns all knowledge of notes.' },
          ],
        },
      ],
    },
  },
  {
    // Pure presentation: unit tests import it without an editor.
    files: ['client/src/talks/talkFormat.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'talkFormat.ts is pure so unit tests run it without VS Code.' }],
          patterns: [
            { group: ['**/server/**', '../../server/*'], message: 'The client is thin: it talks to the server over LSP and never imports server code.' },
            { group: ['markdown-it', 'yaml', 'fuse.js'], message: 'No parsing or searching in the client: the server owns all knowledge of notes.' },
          ],
        },
      ],
    },
  },
);
