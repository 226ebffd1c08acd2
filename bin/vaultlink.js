#!/usr/bin/env node
// The command-line vault checker: `vaultlink check [folder]`.
'use strict';
require('../dist/cli/main.js');
