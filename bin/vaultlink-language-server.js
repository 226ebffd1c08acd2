#!/usr/bin/env node
// The standalone language server for any LSP client: `vaultlink-language-server --stdio`.
'use strict';
if (!process.argv.some((arg) => arg === '--stdio' || arg.startsWith('--node-ipc') || arg.startsWith('--socket') || arg.startsWith('--pipe'))) {
  process.argv.push('--stdio');
}
require('../dist/server/main.js');
