import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { ESLint } from 'eslint';

const ROOT = path.resolve(__dirname, '../..');

/** Lints `code` as if it were the file at `relativePath` and returns the messages of the import-boundary rule. */
async function boundaryErrors(relativePath: string, code: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: ROOT });
  const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, relativePath) });
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

// ARCHITECTURE.md states these invariants; the lint rules enforce them, and this
// test proves the rules bite, so a loosened config cannot pass silently.
describe('architecture invariants', function () {
  this.timeout(60000);

  it('the server core imports neither vscode, the LSP connection nor node:fs', async () => {
    assert.equal((await boundaryErrors('server/src/core/x.ts', "import * as vscode from 'vscode';\nexport const a = vscode;\n")).length, 1);
    assert.equal((await boundaryErrors('server/src/features/x.ts', "import { createConnection } from 'vscode-languageserver/node';\nexport const a = createConnection;\n")).length, 1);
    assert.equal((await boundaryErrors('server/src/vaultService.ts', "import { readFileSync } from 'node:fs';\nexport const a = readFileSync;\n")).length, 1);
    assert.equal((await boundaryErrors('server/src/core/x.ts', "import { startServer } from '../lsp/server';\nexport const a = startServer;\n")).length, 1);
    assert.deepEqual(await boundaryErrors('server/src/core/x.ts', "import type { Range } from 'vscode-languageserver-types';\nexport type A = Range;\n"), []);
  });

  it('only server/src/node touches the disk; no server code imports vscode', async () => {
    assert.deepEqual(await boundaryErrors('server/src/node/x.ts', "import { readFileSync } from 'node:fs';\nexport const a = readFileSync;\n"), []);
    assert.equal((await boundaryErrors('server/src/lsp/x.ts', "import * as vscode from 'vscode';\nexport const a = vscode;\n")).length, 1);
  });

  it('a parser thread loads the parser, never the connection or the service', async () => {
    assert.equal((await boundaryErrors('server/src/node/noteWorker.ts', "import { createConnection } from 'vscode-languageserver/node';\nexport const a = createConnection;\n")).length, 1);
    assert.equal((await boundaryErrors('server/src/node/noteWorker.ts', "import { VaultService } from '../vaultService';\nexport const a = VaultService;\n")).length, 1);
    assert.deepEqual(await boundaryErrors('server/src/node/noteWorker.ts', "import { parseNote } from '../core/parser';\nexport const a = parseNote;\n"), []);
  });

  it('the client never imports server code or a parser', async () => {
    assert.equal((await boundaryErrors('client/src/x.ts', "import { parseNote } from '../../server/src/core/parser';\nexport const a = parseNote;\n")).length, 1);
    assert.equal((await boundaryErrors('client/src/x.ts', "import MarkdownIt from 'markdown-it';\nexport const a = MarkdownIt;\n")).length, 1);
  });

  it('the talk outline formatter stays free of vscode, so it is unit-tested without an editor', async () => {
    assert.equal((await boundaryErrors('client/src/talks/talkFormat.ts', "import * as vscode from 'vscode';\nexport const a = vscode;\n")).length, 1);
    assert.equal((await boundaryErrors('client/src/talks/talkFormat.ts', "import MarkdownIt from 'markdown-it';\nexport const a = MarkdownIt;\n")).length, 1);
    assert.deepEqual(await boundaryErrors('client/src/talks/talkTree.ts', "import * as vscode from 'vscode';\nexport const a = vscode;\n"), []);
  });
});
