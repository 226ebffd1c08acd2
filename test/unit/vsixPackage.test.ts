import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

/**
 * The VS Code extension package (issue 16): what `vsce ls` says the .vsix holds
 * (offline, no build: scripts/package.mjs --list), the manifest fields the
 * marketplace and vsce need, and a README whose links work once packaged.
 * `npm run package` builds the real .vsix and checks its size;
 * `node scripts/test.mjs integration-installed` installs it into VS Code.
 */

const REPO = path.resolve(__dirname, '../..');

interface Manifest {
  name: string;
  publisher: string;
  version: string;
  license: string;
  icon?: string;
  galleryBanner?: { color?: string; theme?: string };
  categories?: string[];
  keywords?: string[];
  repository?: { type?: string; url?: string };
  main: string;
  scripts: Record<string, string>;
  engines: Record<string, string>;
  files?: string[];
  capabilities?: {
    untrustedWorkspaces?: { supported?: boolean | 'limited'; description?: string };
    virtualWorkspaces?: boolean | { supported?: boolean | 'limited'; description?: string };
  };
}

const manifest = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as Manifest;

/** Files of a repo folder whose names match, as repo-relative paths. */
function filesIn(folder: string, pattern: RegExp): string[] {
  const absolute = path.join(REPO, folder);
  if (!existsSync(absolute)) return [];
  return readdirSync(absolute)
    .filter((name) => pattern.test(name))
    .map((name) => `${folder}/${name}`);
}

describe('the .vsix package', function () {
  this.timeout(60_000);
  let listing: { files: string[]; relativeLinks: string[]; readme: string };

  before(function () {
    for (const bundle of ['dist/client/extension.js', 'dist/server/main.js', 'dist/server/noteWorker.js']) {
      if (!existsSync(path.join(REPO, bundle))) assert.fail(`${bundle} is missing: build first (node scripts/build.mjs); vsce lists only files that exist`);
    }
    const run = spawnSync(process.execPath, [path.join(REPO, 'scripts', 'package.mjs'), '--list'], { cwd: REPO, encoding: 'utf8', timeout: 50_000 });
    assert.equal(run.status, 0, `scripts/package.mjs --list failed:\n${run.stderr}${run.stdout}`);
    listing = JSON.parse(run.stdout) as typeof listing;
  });

  it('holds exactly the bundles, the manifest, the grammar, icons, the walkthrough and the sample vault', () => {
    const expected = [
      'CHANGELOG.md',
      'LICENSE',
      'dist/client/extension.js',
      'dist/marketplace/README.md',
      'dist/server/main.js',
      'dist/server/noteWorker.js',
      'package.json',
      'syntaxes/vaultlink.tmLanguage.json',
      'media/conference-dark.svg',
      'media/conference-light.svg',
      'media/icon.png',
      'media/preview.css',
      'media/schedule.css',
      'media/schedule.js',
      'media/vaultlink.svg',
      ...filesIn('media/walkthrough', /\.(md|svg|png)$/),
      ...filesIn('examples/conference-notes', /\.md$/),
    ].sort();
    assert.deepEqual([...listing.files].sort(), expected);
  });

  it('ships every file of media/ that the extension loads at run time', () => {
    // The installed extension reads these through its extensionUri (webviews, tree icons,
    // the preview's styles); one left out of .vscodeignore works in development and breaks
    // only in the .vsix.
    const clientSources = (readdirSync(path.join(REPO, 'client/src'), { recursive: true }) as string[]).filter((file) => file.endsWith('.ts'));
    const sources = [...clientSources.map((file) => readFileSync(path.join(REPO, 'client/src', file), 'utf8')), readFileSync(path.join(REPO, 'package.json'), 'utf8')].join('\n');
    const loaded = readdirSync(path.join(REPO, 'media'))
      .filter((name) => /\.(css|js|svg|png)$/.test(name))
      .filter((name) => sources.includes(`'${name}'`) || sources.includes(`media/${name}`));
    assert.ok(loaded.includes('schedule.js'), `media files found referenced: ${loaded.join(', ')}`);
    assert.deepEqual(loaded.filter((name) => !listing.files.includes(`media/${name}`)), []);
  });

  it('ships no source map, source, test, benchmark, screenshot, CLI or node_modules', () => {
    // A `!` line of .vscodeignore re-includes whatever it matches, even after a later ignore line.
    const forbidden = listing.files.filter((file) => /\.map$|\.ts$|^(server|client)\/src\/|^test\/|^bench\/|^media\/screenshots\/|^node_modules\/|^dist\/test\/|^dist\/cli\/|^bin\//.test(file));
    assert.deepEqual(forbidden, []);
    // The development build beside it has maps: they are left out, not merely absent.
    if (existsSync(path.join(REPO, 'dist/server/main.js.map'))) assert.ok(!listing.files.includes('dist/server/main.js.map'));
  });

  it('ships the sample vault small (it is copied when the walkthrough opens it)', () => {
    const notes = listing.files.filter((file) => file.startsWith('examples/'));
    assert.ok(notes.length >= 2, `sample notes: ${notes.join(', ')}`);
    const bytes = notes.reduce((sum, file) => sum + readFileSync(path.join(REPO, file)).length, 0);
    assert.ok(bytes < 200 * 1024, `the sample vault is ${bytes} bytes`);
  });

  it('has the manifest fields vsce and the marketplace need', () => {
    assert.equal(manifest.publisher, 'vaultlink');
    assert.equal(manifest.license, 'MIT');
    assert.match(readFileSync(path.join(REPO, 'LICENSE'), 'utf8'), /^MIT License\n\nCopyright \(c\) 2026 The Vaultlink authors\n/);
    assert.match(readFileSync(path.join(REPO, 'CHANGELOG.md'), 'utf8'), /^# Changelog\n[\s\S]*## Unreleased/);
    assert.match(manifest.repository?.url ?? '', /^https:\/\/github\.com\/vaultlink\/vaultlink\.git$/);
    assert.equal(manifest.scripts['vscode:prepublish'], 'node scripts/build.mjs --production');
    assert.equal(manifest.scripts.package, 'node scripts/package.mjs');
    assert.ok(manifest.categories?.length && manifest.keywords?.length, 'categories and keywords');
    assert.ok(manifest.galleryBanner?.color && manifest.galleryBanner.theme, 'gallery banner');
    assert.equal('files' in manifest, false, 'vsce refuses "files" beside .vscodeignore');
    // The code-server the tests run is VS Code 1.100: the manifest must accept it.
    assert.match(manifest.engines.vscode, /^\^1\.(\d+)\.\d+$/);
    assert.ok(Number(/^\^1\.(\d+)/.exec(manifest.engines.vscode)![1]) <= 100);
  });

  it('has a 128×128 PNG icon (vsce refuses an SVG one)', () => {
    assert.equal(manifest.icon, 'media/icon.png');
    const png = readFileSync(path.join(REPO, manifest.icon));
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'PNG signature');
    assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [128, 128]);
  });

  it('ships a README whose every relative link and image exists in the repository, made absolute', () => {
    for (const target of listing.relativeLinks) {
      const file = decodeURIComponent(target.split('#')[0]);
      assert.ok(existsSync(path.join(REPO, file)), `README links to ${target}, which is not in the repository`);
    }
    const shipped = readFileSync(path.join(REPO, listing.readme), 'utf8');
    const original = readFileSync(path.join(REPO, 'README.md'), 'utf8');
    for (const target of listing.relativeLinks) assert.ok(!shipped.includes(`](${target})`), `${target} left relative`);
    // Code is never rewritten: the example links in code spans stay as written.
    const codeSpans = (text: string) => text.match(/`[^`\n]*\]\([^`\n]*`/g) ?? [];
    assert.deepEqual(codeSpans(shipped), codeSpans(original));
    assert.ok(codeSpans(original).length > 0, 'the README has example links in code (what vsce would have rewritten)');
  });

  it('declares what works in Restricted Mode and in virtual workspaces', () => {
    const untrusted = manifest.capabilities?.untrustedWorkspaces;
    assert.equal(untrusted?.supported, 'limited');
    assert.ok((untrusted?.description ?? '').length > 20, 'says what is limited');
    const virtual = manifest.capabilities?.virtualWorkspaces;
    assert.equal(typeof virtual === 'object' ? virtual.supported : virtual, false);
  });
});
