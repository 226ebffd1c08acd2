#!/usr/bin/env node
// The standalone language server for any LSP client: `vaultlink-language-server --stdio`.
'use strict';
const path = require('node:path');
const bundle = path.join(__dirname, '..', 'dist', 'server', 'main.js');
try {
  require.resolve(bundle);
} catch {
  process.stderr.write(`vaultlink-language-server: ${bundle} is missing: build it with \`npm run build\` in ${path.dirname(__dirname)} (npm pack builds it too)\n`);
  process.exit(1);
}
if (!process.argv.some((arg) => arg === '--stdio' || arg.startsWith('--node-ipc') || arg.startsWith('--socket') || arg.startsWith('--pipe'))) {
  process.argv.push('--stdio');
}
require(bundle);
