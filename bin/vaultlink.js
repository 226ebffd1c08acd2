#!/usr/bin/env node
// The command-line vault checker: `vaultlink check [folder]`, `vaultlink outline NOTE`.
'use strict';
const path = require('node:path');
const bundle = path.join(__dirname, '..', 'dist', 'cli', 'main.js');
try {
  require.resolve(bundle);
} catch {
  process.stderr.write(`vaultlink: ${bundle} is missing: build it with \`npm run build\` in ${path.dirname(__dirname)} (npm pack builds it too)\n`);
  process.exit(2);
}
require(bundle);
