// @ts-check
// `npm run bench -- [options]`: the benchmark is TypeScript (type-checked with the
// tests), loaded through tsx so it needs no build step of its own. The server it
// measures is the built bundle, dist/server/main.js (npm run build).
import { require as tsxRequire } from 'tsx/cjs/api';

/** @type {{ main(argv: string[]): Promise<void> }} */
const bench = tsxRequire('./main.ts', import.meta.url);
try {
  await bench.main(process.argv.slice(2));
} catch (error) {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exitCode = 1;
}
