// @ts-check
// Bundles the extension client, the language server (IPC and stdio), the CLI and
// the in-editor integration suite with esbuild. One bundle per entry keeps the
// packaged extension free of node_modules and makes server start-up one file read.
import * as esbuild from 'esbuild';
import { fileURLToPath } from 'node:url';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const watch = process.argv.includes('--watch');
// --production: what ships (the .vsix, npm pack): minified, no source maps, no
// test bundle. Names are kept so that stack traces in a user's log still say
// which function failed.
const production = process.argv.includes('--production');

/** @type {esbuild.BuildOptions} */
const common = {
  bundle: true,
  platform: 'node',
  target: 'node18',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  keepNames: production,
  logLevel: 'warning',
  absWorkingDir: root,
};

/** @type {esbuild.BuildOptions[]} */
const builds = [
  { entryPoints: ['client/src/extension.ts'], outfile: 'dist/client/extension.js', external: ['vscode'] },
  { entryPoints: ['server/src/lsp/main.ts'], outfile: 'dist/server/main.js' },
  // The server's parser threads (server/src/node/workerNoteSource.ts), loaded from next to main.js.
  { entryPoints: ['server/src/node/noteWorker.ts'], outfile: 'dist/server/noteWorker.js' },
  { entryPoints: ['server/src/cli/main.ts'], outfile: 'dist/cli/main.js' },
  // The CLI parses in threads too (server/src/node/hosting.ts looks beside the bundle that loaded it).
  { entryPoints: ['server/src/node/noteWorker.ts'], outfile: 'dist/cli/noteWorker.js' },
  { entryPoints: ['test/integration/index.ts'], outfile: 'dist/test/integration/index.js', external: ['vscode', 'mocha'] },
];

if (production) {
  // Maps of an earlier development build would otherwise sit beside bundles they no longer describe.
  for (const { outfile } of builds) if (outfile) fs.rmSync(path.join(root, `${outfile}.map`), { force: true });
}

for (const options of builds) {
  const config = { ...common, ...options };
  if (watch) {
    const ctx = await esbuild.context(config);
    await ctx.watch();
  } else {
    await esbuild.build(config);
  }
}
if (!watch) console.log(`built ${builds.length} bundles into dist/${production ? ' (production: minified, no source maps)' : ''}`);
