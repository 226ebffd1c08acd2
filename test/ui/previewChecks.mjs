// @ts-check
// UI checks of the markdown preview drawing Obsidian notes, clicked as a person
// clicks them: open the preview of the Line Developer Day note, see its wiki
// links, image, highlight and callout; click a table-of-contents entry and land
// on its heading; click a wiki link to another note and land in that note.
// Kept apart from run.mjs so that other checks are added there without touching
// these; run.mjs calls them in order on the page it has open.
import * as fs from 'node:fs';
import * as path from 'node:path';

/** @typedef {import('playwright-core').Page} Page */
/** @typedef {import('playwright-core').FrameLocator} FrameLocator */

/** A 1×1 PNG: the vault ships no images, so the check gives the note its first. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP4z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==', 'base64');

/** The note a later check opens from a wiki link in its preview. */
export const LINKING_NOTE = 'Preview links.md';

/**
 * Writes, outside the editor as a user's file manager would, the image the
 * Line note embeds first and a note linking to DEVIEW 2018's Druid talk.
 * @param {string} vaultFolder
 */
export function addPreviewFiles(vaultFolder) {
  fs.writeFileSync(path.join(vaultFolder, 'What_mlops.png'), PNG);
  fs.writeFileSync(path.join(vaultFolder, LINKING_NOTE), '# Preview links\n\nThe Druid talk: [[DEVIEW 2018#15:00, Track1, Druid|Druid at DEVIEW]].\n');
}

/**
 * The content frame of the markdown preview: VS Code puts each webview in an
 * iframe holding another (`#active-frame`) with the page itself.
 * @param {Page} page
 * @returns {FrameLocator}
 */
function previewFrame(page) {
  return page.frameLocator('iframe.webview.ready').last().frameLocator('iframe#active-frame');
}

/**
 * Opens the preview of the note in the active editor (Markdown: Open Preview,
 * Ctrl+Shift+V) and waits for Vaultlink's drawing of it: the table of contents
 * as links, the image, the highlight and the callout. Screenshots: the preview,
 * and the callout alone.
 * @param {Page} page
 * @param {string} screenshotsDir
 */
export async function previewDrawsTheNote(page, screenshotsDir) {
  await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
  await page.keyboard.press('Control+Shift+V');
  await page.locator('.tabs-container .tab.active', { hasText: 'Preview 2021 Line Developer Day' }).waitFor({ timeout: 20_000 });
  const frame = previewFrame(page);
  // Links are drawn pending until the server answers, then as links.
  await frame.locator('a.vaultlink-link', { hasText: 'Opening Keynote' }).first().waitFor({ timeout: 30_000 });
  await frame.locator('mark', { hasText: '메일링' }).first().waitFor();
  await frame.locator('img[src*="What_mlops.png"]').waitFor({ timeout: 20_000 });
  const broken = frame.locator('.vaultlink-embed.vaultlink-broken', { hasText: 'Outage_timetable.png' });
  await broken.waitFor();
  const callout = frame.locator('.callout[data-callout="tip"]');
  await callout.waitFor();
  const title = await callout.locator('.callout-title-inner').textContent();
  if (title?.trim() !== '장애 대응의 핵심') throw new Error(`the callout's title reads ${JSON.stringify(title)}`);
  if (!(await callout.locator('.callout-title-icon svg').count())) throw new Error('the callout has no icon');
  if (await frame.locator('body', { hasText: '사내 장애 대응 프로세스와 비교해 볼 것' }).count()) throw new Error('the %% comment is shown');
  await page.screenshot({ path: path.join(screenshotsDir, 'preview-line-developer-day.png') });
  await callout.scrollIntoViewIfNeeded();
  await callout.screenshot({ path: path.join(screenshotsDir, 'preview-callout.png') });
}

/**
 * Clicks the table-of-contents entry of a Korean talk and checks the preview
 * scrolled its heading to the top.
 * @param {Page} page
 */
export async function tableOfContentsScrollsToTheHeading(page) {
  const frame = previewFrame(page);
  const heading = 'PIPE: 더 나은 개발자 경험을 위한 CI/CD + Runtime';
  await frame.locator('a.vaultlink-link', { hasText: heading }).first().click();
  const target = frame.locator('h1', { hasText: heading });
  await waitUntil(
    async () => {
      const top = await target.evaluate((element) => element.getBoundingClientRect().top);
      return top >= -5 && top < 80;
    },
    `the heading "${heading}" at the top of the preview`,
    10_000,
    async () => `its top is at ${await target.evaluate((element) => element.getBoundingClientRect().top)}px`,
  );
}

/**
 * Opens the preview of a note linking to DEVIEW 2018's Druid talk, clicks the
 * wiki link, and checks the preview now shows DEVIEW 2018 at that talk.
 * @param {Page} page
 */
export async function wikiLinkOpensTheNote(page) {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(LINKING_NOTE.replace(/\.md$/, ''));
  await page.locator('.quick-input-list .monaco-list-row', { hasText: LINKING_NOTE }).first().waitFor();
  await page.keyboard.press('Enter');
  await page.locator('.tabs-container .tab.active', { hasText: LINKING_NOTE }).waitFor();
  await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
  await page.keyboard.press('Control+Shift+V');
  await page.locator('.tabs-container .tab.active', { hasText: `Preview ${LINKING_NOTE}` }).waitFor({ timeout: 20_000 });
  const frame = previewFrame(page);
  const link = frame.locator('a.vaultlink-link', { hasText: 'Druid at DEVIEW' });
  await link.waitFor({ timeout: 30_000 });
  await link.click();
  await page.locator('.tabs-container .tab.active', { hasText: 'Preview DEVIEW 2018' }).waitFor({ timeout: 20_000 });
  const druid = previewFrame(page).locator('h2', { hasText: '15:00, Track1, Druid' });
  await druid.waitFor();
  await waitUntil(
    async () => {
      const top = await druid.evaluate((element) => element.getBoundingClientRect().top);
      return top >= -5 && top < 120;
    },
    'the Druid talk at the top of the DEVIEW 2018 preview',
    10_000,
  );
}

/**
 * @param {() => Promise<boolean>} condition
 * @param {string} what
 * @param {number} timeoutMs
 * @param {() => Promise<string>} [describe]
 */
async function waitUntil(condition, what, timeoutMs, describe) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${describe ? `: ${await describe().catch(() => '')}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
