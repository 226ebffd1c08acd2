// @ts-check
// `npm run package`: builds the VS Code extension package, vaultlink-<version>.vsix,
// with @vscode/vsce, offline. vsce runs the `vscode:prepublish` script first (a
// production build: minified, no source maps) and takes the files `.vscodeignore`
// lets in. The README it ships is dist/marketplace/README.md, written here from
// README.md with its relative links and images made absolute (the repository's
// on GitHub), so the marketplace page's links and screenshots work. vsce's own
// rewriting is turned off: it also rewrites inside code spans, so the README's
// example `[t](missing.md)` would read as a GitHub URL.
//
// Prints the package's size and file count, and fails when it is over the size
// budget (1 MB) or holds a file that must not ship (a source map, sources,
// tests, screenshots): a person installing it gets exactly the bundles.
//
//   node scripts/package.mjs [--out FILE]
//   node scripts/package.mjs --list   prints, as JSON, what the package would hold
//                                     (`vsce ls`, no build) and the README's relative
//                                     links; for test/unit/vsixPackage.test.ts
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

/** The most a .vsix may weigh: the bundles zipped are about a third of it. */
export const VSIX_BUDGET_BYTES = 1024 * 1024;

/** Where README links point once packaged: the repository named in package.json, on GitHub. */
export function repositoryBase() {
  const url = String(manifest.repository?.url ?? '');
  const match = /^https:\/\/github\.com\/([^/]+\/[^/.]+)(?:\.git)?$/.exec(url);
  if (!match) throw new Error(`package.json repository.url must be https://github.com/OWNER/NAME(.git), not ${JSON.stringify(url)}`);
  return `https://github.com/${match[1]}`;
}

/** The vsce command line (its own bin, run by this Node), shared with the packaging test. */
export function vsce(/** @type {string[]} */ args) {
  const bin = path.join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
  return spawnSync(process.execPath, [bin, ...args], {
    cwd: root,
    encoding: 'utf8',
    // No network: vsce only reads the manifest and the files here.
    env: { ...process.env, npm_config_update_notifier: 'false', FORCE_COLOR: '0' },
    maxBuffer: 64 * 1024 * 1024,
  });
}

/** The README the package ships, written by writeMarketplaceReadme. */
export const MARKETPLACE_README = 'dist/marketplace/README.md';

/**
 * README text with each relative link and image outside code made absolute:
 * links to `${base}/blob/main/…`, images to `${base}/raw/main/…`. Links to an
 * anchor (`#…`), with a scheme (`https:`, `mailto:`) and code (fenced blocks,
 * `code spans`) are left as they are.
 * @param {string} text
 * @param {string} base e.g. https://github.com/vaultlink/vaultlink
 * @returns {{ text: string, relative: string[] }} the text, and the relative targets found
 */
export function absoluteReadmeLinks(text, base) {
  /** @type {string[]} */
  const relative = [];
  const rewrite = (/** @type {string} */ prose) =>
    prose.replace(/(!?)\[((?:[^[\]]|\[[^[\]]*\])*)\]\(([^()\s]+)((?:\s+"[^"]*")?)\)/g, (all, bang, label, target, title) => {
      if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('#')) return all;
      relative.push(target);
      const kind = bang ? 'raw' : 'blob';
      return `${bang}[${label}](${base}/${kind}/main/${target.replace(/^\.\//, '')}${title})`;
    });
  /** @type {string[]} */
  const lines = [];
  let fence = '';
  for (const line of text.split('\n')) {
    const opener = /^\s{0,3}(`{3,}|~{3,})/.exec(line);
    if (fence) {
      if (opener && opener[1][0] === fence[0] && opener[1].length >= fence.length && line.trim() === opener[1]) fence = '';
      lines.push(line);
    } else if (opener) {
      fence = opener[1];
      lines.push(line);
    } else {
      // Code spans: a run of backticks up to the next run of the same length.
      lines.push(line.split(/(`+[^`]*?`+)/).map((part, index) => (index % 2 === 1 && /^(`+)[^`]*?\1$/.test(part) ? part : rewrite(part))).join(''));
    }
  }
  return { text: lines.join('\n'), relative };
}

/** Writes MARKETPLACE_README from README.md; returns the relative targets it made absolute. */
export function writeMarketplaceReadme() {
  const { text, relative } = absoluteReadmeLinks(fs.readFileSync(path.join(root, 'README.md'), 'utf8'), repositoryBase());
  fs.mkdirSync(path.dirname(path.join(root, MARKETPLACE_README)), { recursive: true });
  fs.writeFileSync(path.join(root, MARKETPLACE_README), text);
  return relative;
}

/** Options every vsce call here takes: bundles only, our README, no rewriting of it. */
export const VSCE_OPTIONS = ['--no-dependencies', '--readme-path', MARKETPLACE_README];

/** Paths that must never be in the package, whatever `.vscodeignore` says. */
export const FORBIDDEN_IN_VSIX = [/\.map$/, /\.ts$/, /^(?:server|client)\/src\//, /^test\//, /^bench\//, /^media\/screenshots\//, /^node_modules\//, /^dist\/test\//, /^\.vscode-test\//];

/** What `vsce ls` says the package holds (with the README this script writes), without building. */
export function listPackageFiles() {
  const listed = vsce(['ls', ...VSCE_OPTIONS]);
  if (listed.status !== 0) throw new Error(`vsce ls exited with ${listed.status}: ${listed.stderr}${listed.stdout}`);
  return listed.stdout.split('\n').filter(Boolean);
}

async function main() {
  const argv = process.argv.slice(2);
  if (argv.includes('--list')) {
    const relativeLinks = writeMarketplaceReadme();
    console.log(JSON.stringify({ files: listPackageFiles(), relativeLinks, readme: MARKETPLACE_README }, null, 2));
    return undefined;
  }
  const outIndex = argv.indexOf('--out');
  const out = path.resolve(outIndex >= 0 ? argv[outIndex + 1] : path.join(root, `${manifest.name}-${manifest.version}.vsix`));
  // vsce runs the production build (vscode:prepublish), which leaves dist/marketplace alone.
  writeMarketplaceReadme();
  const result = vsce(['package', ...VSCE_OPTIONS, '--no-rewrite-relative-links', '--no-gitHubIssueLinking', '--out', out]);
  process.stdout.write(result.stdout ?? '');
  process.stderr.write(result.stderr ?? '');
  if (result.status !== 0) throw new Error(`vsce package exited with ${result.status ?? result.signal}`);

  const files = listPackageFiles();
  const forbidden = files.filter((file) => FORBIDDEN_IN_VSIX.some((pattern) => pattern.test(file)));
  if (forbidden.length > 0) throw new Error(`the package holds files that must not ship:\n  ${forbidden.join('\n  ')}`);

  const bytes = fs.statSync(out).size;
  const unpacked = files.reduce((sum, file) => sum + fs.statSync(path.join(root, file)).size, 0);
  console.log(`package: ${path.relative(process.cwd(), out)}: ${files.length} files, ${kib(bytes)} (${kib(unpacked)} unpacked); budget ${kib(VSIX_BUDGET_BYTES)}`);
  if (bytes > VSIX_BUDGET_BYTES) throw new Error(`the package is ${kib(bytes)}, over its ${kib(VSIX_BUDGET_BYTES)} budget`);
  return out;
}

/** @param {number} bytes */
function kib(bytes) {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(2)} MB` : `${Math.round(bytes / 1024)} KB`;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    console.error(`package: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
