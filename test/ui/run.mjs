// @ts-check
// UI checks: drives the real VS Code workbench (code-server, headless Chromium
// through playwright-core) the way a person would, with the extension loaded
// in development mode on a fresh copy of examples/conference-notes. Each step
// leaves a screenshot in test-results/ui/. Needs `npm run build` first.
//
// Prints each check and a closing line `ui: N passed, N failed`; exits
// non-zero on any failure. code-server and Chromium are always stopped.
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  copyToTemp,
  errorText,
  launchBrowser,
  log,
  repoRoot,
  runCleanups,
  startCodeServer,
  workbenchUrl,
} from '../../scripts/codeServer.mjs';
import { filterByTrackFromTitleBar, scheduleView } from './talksChecks.mjs';
import { lightBulbRemovesBrokenEmbed } from './lightBulb.mjs';
import { pasteScreenshotIntoNote } from './pasteImage.mjs';
import { backlinksViewOfLineNote, hoverPreviewsLinkedSection, hoverShowsImage, prepareBacklinksVault } from './backlinksChecks.mjs';
import { waitUntil } from './waitUntil.mjs';
import { addPreviewFiles, previewDrawsTheNote, tableOfContentsScrollsToTheHeading, wikiLinkOpensTheNote } from './previewChecks.mjs';

const NOTE = '2021 Line Developer Day.md';
const LINK = '[[#Opening Keynote|Opening Keynote]]';
const screenshotsDir = path.join(repoRoot, 'test-results', 'ui');
const extensionEntry = path.join(repoRoot, 'dist', 'client', 'extension.js');

/** @typedef {import('playwright-core').Page} Page */

/** @type {{ name: string, ok: boolean, error?: string }[]} */
const results = [];

async function main() {
  if (!fs.existsSync(extensionEntry)) {
    throw new Error(`${path.relative(repoRoot, extensionEntry)} is missing: run \`npm run build\` first`);
  }
  fs.rmSync(screenshotsDir, { recursive: true, force: true });
  fs.mkdirSync(screenshotsDir, { recursive: true });
  const { base, folder } = copyToTemp(path.join(repoRoot, 'examples', 'conference-notes'), 'vaultlink-ui-');
  prepareBacklinksVault(folder);
  const noteText = fs.readFileSync(path.join(folder, NOTE), 'utf8').split('\n');
  const linkLine = noteText.findIndex((line) => line.includes(LINK)) + 1;
  const headingLine = noteText.indexOf('# Opening Keynote') + 1;
  try {
    const server = await startCodeServer({
      folder,
      userDataDir: path.join(base, 'user-data'),
      extensionsDir: path.join(base, 'extensions'),
    });
    // The payload alone loads the extension (development mode), as
    // `code --extensionDevelopmentPath` would; nothing is installed.
    const url = workbenchUrl({ port: server.port, folder, extensionDevelopmentPath: repoRoot });
    log(`workbench: ${url}`);
    const { page } = await launchBrowser();
    page.setDefaultTimeout(30_000);
    await page.goto(url);

    // Steps depend on each other (same page), so the first failure ends the run.
    await step('workbench loads', page, () => workbenchLoads(page));
    await step('quick open (Ctrl+P) opens the note', page, () => quickOpen(page, NOTE));
    await step('Problems panel lists the missing images', page, () => problemsListBrokenImages(page));
    await step('typing [[# suggests headings of the note', page, () => suggestHeadings(page));
    await step(`F12 on ${LINK} (line ${linkLine}) jumps to line ${headingLine}`, page, () =>
      goToDefinition(page, linkLine, headingLine),
    );
    await step('Talks view lists the conferences, days and talks', page, () => talksView(page));
    await step('Talks view follows the cursor to the Druid talk of DEVIEW 2018', page, () => talksFollowCursor(page));
    await step('Talks title-bar button "Filter by Track" picks Track 3 and filters the tree', page, () => filterByTrackFromTitleBar(page));
    const brokenEmbedLine = noteText.indexOf('![[TLS_1.2.png]]') + 1;
    await step(`the light bulb on the broken embed of line ${brokenEmbedLine} removes it with its line`, page, () =>
      lightBulbRemovesBrokenEmbed(page, { note: NOTE, line: brokenEmbedLine, embed: 'TLS_1.2.png', nextEmbed: '![[TLS_1.3.png]]', quickOpen, goToLine, waitUntil, snapshot }),
    );
    await step('Backlinks view of the Line note: linked and unlinked mentions, outgoing links, the code lens', page, () => backlinksViewOfLineNote(page));
    await step('hover over an image embed shows the image', page, () => hoverShowsImage(page));
    const sectionHeading = '사용자 속성 추정 시스템을 개편하면서 발생한 다양한 이슈와 해결 사례 소개';
    const tocLine = noteText.findIndex((line) => line.startsWith(`- [[#${sectionHeading}|`)) + 1;
    await step(`hover over the table-of-contents link of line ${tocLine} previews its Korean section`, page, () =>
      hoverPreviewsLinkedSection(page, { note: NOTE, line: tocLine, column: 8, heading: sectionHeading, sectionText: 'System revamping', screenshotsDir, goToLine }),
    );
    await step('Talks title-bar button "Show Schedule" draws DEVIEW 2018 as a programme; a click opens the talk', page, () => scheduleView(page, screenshotsDir));
    // Last: it leaves a new file in the vault and the note edited.
    await step('pasting a screenshot (Ctrl+V) saves it as Pasted image YYYYMMDDHHmmss.png and links it', page, () =>
      pasteScreenshotIntoNote(page, { note: NOTE, line: brokenEmbedLine, goToLine, waitUntil, vaultFolder: folder }),
    );
    await step('the markdown preview of the Line note draws its wiki links, image, highlight and callout', page, async () => {
      // The image is written on disk now; the preview is opened once the server has
      // taken it in (one missing-image warning fewer in the status bar), so this step
      // checks the preview's first drawing. The preview following a file created while
      // it is open is the integration suite's (preview.test.ts).
      const problems = page.locator('[id="status.problems"]');
      const warnings = async () => Number(/(\d+)\D*$/.exec((await problems.textContent()) ?? '')?.[1] ?? NaN);
      const before = await warnings();
      addPreviewFiles(folder);
      await waitUntil(async () => (await warnings()) === before - 1, `the status bar's warnings to drop from ${before} as the server takes in What_mlops.png`, 30_000);
      await previewDrawsTheNote(page, screenshotsDir);
    });
    await step('clicking a table-of-contents entry in the preview scrolls to its heading', page, () => tableOfContentsScrollsToTheHeading(page));
    await step('clicking a wiki link in the preview opens the linked note at its heading', page, () => wikiLinkOpensTheNote(page));
  } finally {
    await runCleanups();
    fs.rmSync(base, { recursive: true, force: true });
  }
}

/**
 * Runs one check, screenshots the page afterwards (pass or fail) and records
 * the outcome; a failure stops the remaining steps.
 * @param {string} name
 * @param {Page} page
 * @param {() => Promise<void>} check
 */
async function step(name, page, check) {
  const index = String(results.length + 1).padStart(2, '0');
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 50);
  try {
    await check();
    results.push({ name, ok: true });
    console.log(`  ok   ${name}`);
  } catch (err) {
    results.push({ name, ok: false, error: errorText(err) });
    console.log(`  FAIL ${name}\n        ${errorText(err).split('\n').join('\n        ')}`);
  } finally {
    await page.screenshot({ path: path.join(screenshotsDir, `${index}-${slug}.png`) }).catch(() => {});
  }
  if (!results[results.length - 1].ok) throw new StopRun();
}

class StopRun extends Error {}

/**
 * An extra screenshot in the middle of the current step, for a state the
 * step undoes before it ends (an open widget).
 * @param {Page} page
 * @param {string} label
 */
async function snapshot(page, label) {
  const index = String(results.length + 1).padStart(2, '0');
  await page.screenshot({ path: path.join(screenshotsDir, `${index}-${label}.png`) });
}

/** @param {Page} page */
async function workbenchLoads(page) {
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  // The explorer lists the vault once the remote connection works.
  await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'DEVIEW 2018.md' }).waitFor({ timeout: 60_000 });
}

/**
 * @param {Page} page
 * @param {string} note
 */
async function quickOpen(page, note) {
  await page.locator('.monaco-workbench').click({ position: { x: 700, y: 400 } });
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(note.replace(/\.md$/, ''));
  await page.locator('.quick-input-list .monaco-list-row', { hasText: note }).first().waitFor();
  await page.keyboard.press('Enter');
  await page.locator('.tabs-container .tab.active', { hasText: note }).waitFor();
  await page.locator('.editor-instance .monaco-editor .view-lines').first().waitFor();
}

/** @param {Page} page */
async function problemsListBrokenImages(page) {
  await page.keyboard.press('Control+Shift+M');
  const panel = page.locator('.markers-panel');
  await panel.waitFor();
  // Diagnostics arrive once the language server has indexed the vault.
  const badge = page.locator('.panel .composite-bar .action-item', { hasText: 'Problems' }).locator('.badge-content');
  await waitUntil(async () => Number((await badge.textContent().catch(() => '')) ?? '') >= 43, 'Problems badge to count ≥ 43', 60_000);
  // The list is virtualised (only visible rows exist); the filter box brings one image into view.
  const filter = page.locator('.markers-panel-action-filter input, .viewpane-filter input').first();
  await filter.fill('What_mlops');
  await page.locator('.markers-panel .monaco-list-row', { hasText: 'What_mlops.png' }).first().waitFor();
  await filter.fill('');
}

/** @param {Page} page */
async function suggestHeadings(page) {
  await focusEditor(page);
  await page.keyboard.press('Control+End');
  await page.keyboard.press('Enter');
  await page.keyboard.type('[[#', { delay: 50 });
  const widget = page.locator('.suggest-widget.visible');
  // `#` is a trigger character; if the widget is slow to appear, ask for it as a person would.
  if (!(await widget.isVisible())) {
    await widget.waitFor({ timeout: 5000 }).catch(() => page.keyboard.press('Control+Space'));
  }
  await page.locator('.suggest-widget.visible .monaco-list-row', { hasText: 'Opening Keynote' }).first().waitFor();
  await snapshot(page, 'suggest-widget-open');
  await page.keyboard.press('Escape');
  // Take the typed text back out so the note is as it was for the next step.
  await page.keyboard.press('Control+Z');
  await page.keyboard.press('Control+Z');
}

/**
 * @param {Page} page
 * @param {number} linkLine 1-based
 * @param {number} headingLine 1-based
 */
async function goToDefinition(page, linkLine, headingLine) {
  await focusEditor(page);
  // Go to line (Ctrl+G) opens quick open with a ':' prefix that fill() replaces,
  // so it is typed again; line:column, and column 10 is inside "Opening".
  await page.keyboard.press('Control+G');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(`:${linkLine}:10`);
  await page.keyboard.press('Enter');
  const position = page.locator('[id="status.editor.selection"]');
  await waitUntil(async () => (await position.textContent())?.includes(`Ln ${linkLine},`) ?? false, `cursor on line ${linkLine}`);
  await page.keyboard.press('F12');
  await waitUntil(
    async () => (await position.textContent())?.includes(`Ln ${headingLine},`) ?? false,
    `status bar to read Ln ${headingLine} after F12`,
    15_000,
    async () => `status bar reads ${JSON.stringify(await position.textContent())}`,
  );
}

/**
 * Opens the Vaultlink view container and expands DEVIEW 2018's second day;
 * the screenshot of this step is the one in the README.
 * @param {Page} page
 */
async function talksView(page) {
  await page.keyboard.press('Escape');
  await page.locator('.activitybar .action-item a[aria-label^="Vaultlink"]').click();
  const rows = page.locator('.pane-body .monaco-list-row');
  await rows.filter({ hasText: 'DEVIEW 2018' }).first().waitFor();
  await rows.filter({ hasText: '2021 Line Developer Day' }).first().waitFor();
  // Following the editor: the cursor sits in the Opening Keynote section after F12.
  await rows.filter({ hasText: 'Opening Keynote' }).first().waitFor();
  const druid = rows.filter({ hasText: 'Druid' }).first();
  if (!(await druid.isVisible())) {
    await rows.filter({ hasText: '2일차' }).first().click();
  }
  await druid.waitFor();
  const description = await druid.locator('.label-description').textContent();
  if (!description?.includes('15:00 · Track 1')) throw new Error(`Druid's row reads ${JSON.stringify(description)}, not 15:00 · Track 1`);
  await druid.hover();
}

/**
 * Opens DEVIEW 2018 at the Druid talk and checks the view selects that talk;
 * with the panel closed and the side bar widened, this screenshot is the
 * README's picture of the view (media/screenshots/talks-tree.png).
 * @param {Page} page
 */
async function talksFollowCursor(page) {
  await quickOpen(page, 'DEVIEW 2018.md');
  await page.keyboard.press('Control+G');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(':392:1');
  await page.keyboard.press('Enter');
  const selected = page.locator('.pane-body .monaco-list-row.selected', { hasText: 'Druid' });
  await selected.waitFor({ timeout: 10_000 });
  // A picture a person can read: no Problems panel, a wider side bar.
  if (await page.locator('.part.panel').isVisible()) await page.keyboard.press('Control+J');
  const sidebar = await page.locator('.part.sidebar').boundingBox();
  if (sidebar) {
    const edge = sidebar.x + sidebar.width + 1;
    await page.mouse.move(edge, sidebar.y + 200);
    await page.mouse.down();
    await page.mouse.move(edge + 260, sidebar.y + 200, { steps: 8 });
    await page.mouse.up();
  }
  await selected.waitFor();
}

/**
 * Go to line (Ctrl+G) in the active editor; 1-based line and column.
 * @param {Page} page
 * @param {number} line
 * @param {number} column
 */
async function goToLine(page, line, column) {
  await focusEditor(page);
  await page.keyboard.press('Control+G');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(`:${line}:${column}`);
  await page.keyboard.press('Enter');
  const position = page.locator('[id="status.editor.selection"]');
  await waitUntil(async () => (await position.textContent())?.includes(`Ln ${line},`) ?? false, `cursor on line ${line}`);
}

/** @param {Page} page */
async function focusEditor(page) {
  await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
}

function summary() {
  const passed = results.filter((result) => result.ok).length;
  const failed = results.length - passed;
  console.log(`screenshots: ${path.relative(repoRoot, screenshotsDir)}/`);
  console.log(`ui: ${passed} passed, ${failed} failed`);
  return failed === 0 && passed > 0 ? 0 : 1;
}

main().then(
  () => process.exit(summary()),
  async (err) => {
    await runCleanups();
    if (!(err instanceof StopRun)) {
      console.error(`ui: ${errorText(err)}`);
      results.push({ name: 'run', ok: false, error: errorText(err) });
    }
    process.exit(summary());
  },
);
