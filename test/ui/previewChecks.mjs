// @ts-check
// UI checks of the markdown preview drawing Obsidian notes, clicked as a person
// clicks them: open the preview of the Line Developer Day note, see its wiki
// links, image, highlight and callout; click a table-of-contents entry and land
// on its heading; click a wiki link to another note and land in that note.
// Kept apart from run.mjs so that other checks are added there without touching
// these; run.mjs calls them in order on the page it has open.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { waitUntil } from './waitUntil.mjs';

/** @typedef {import('playwright-core').Page} Page */
/** @typedef {import('playwright-core').FrameLocator} FrameLocator */

/**
 * A 320×120 PNG (a blue-to-teal gradient), so the screenshots show where the
 * embed is: the vault ships no images, and the check gives the note its first.
 */
function gradientPng(width = 320, height = 120) {
  const rows = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = y * (width * 3 + 1);
    for (let x = 0; x < width; x++) {
      rows[row + 1 + x * 3] = 30 + Math.round((60 * y) / height);
      rows[row + 2 + x * 3] = 90 + Math.round((120 * x) / width);
      rows[row + 3 + x * 3] = 200;
    }
  }
  const chunk = (/** @type {string} */ type, /** @type {Buffer} */ data) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', header), chunk('IDAT', zlib.deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]);
}

/** @param {Buffer} bytes */
function crc32(bytes) {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/** The note a later check opens from a wiki link in its preview. */
export const LINKING_NOTE = 'Preview links.md';

/**
 * Writes, outside the editor as a user's file manager would, the image the
 * Line note embeds first and a note linking to DEVIEW 2018's Druid talk.
 * @param {string} vaultFolder
 */
export function addPreviewFiles(vaultFolder) {
  fs.writeFileSync(path.join(vaultFolder, 'What_mlops.png'), gradientPng());
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
  await openPreview(page, '2021 Line Developer Day.md');
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
  // Pictures a person can read (the README's): the side bar closed, the table
  // of contents at the top, then the outage talk with its image, broken
  // embeds, highlight and callout.
  await page.keyboard.press('Control+B');
  try {
    await frame.locator('body').evaluate((body) => body.ownerDocument.defaultView?.scrollTo(0, 0));
    await page.waitForTimeout(500);
    await page.screenshot({ path: path.join(screenshotsDir, 'preview-table-of-contents.png') });
    await frame.locator('img[src*="What_mlops.png"]').scrollIntoViewIfNeeded();
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(screenshotsDir, 'preview-image.png') });
    await callout.evaluate((element) => element.scrollIntoView({ block: 'center' }));
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(screenshotsDir, 'preview-talk-with-callout.png') });
    await callout.screenshot({ path: path.join(screenshotsDir, 'preview-callout.png') });
  } finally {
    await page.keyboard.press('Control+B');
  }
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
  await openPreview(page, LINKING_NOTE);
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
 * Opens the note, then its preview with Ctrl+Shift+V, as a person does. A key
 * pressed while the editor is still taking focus goes nowhere (one CI run
 * waited 20 s for a preview that was never asked for), so when no preview tab
 * comes the note is focused again and the key pressed again, up to three times;
 * the error lists the tabs that were there.
 * @param {Page} page
 * @param {string} note
 */
async function openPreview(page, note) {
  const previewTab = page.locator('.tabs-container .tab.active', { hasText: `Preview ${note}` });
  for (let attempt = 1; ; attempt++) {
    await openNote(page, note);
    await page.keyboard.press('Control+Shift+V');
    if (await previewTab.waitFor({ timeout: 10_000 }).then(() => true, () => false)) return;
    if (attempt === 3) {
      const tabs = await page.locator('.tabs-container .tab').allTextContents();
      throw new Error(`Ctrl+Shift+V three times gave no preview of ${note}; the tabs: ${JSON.stringify(tabs)}`);
    }
  }
}

/**
 * Makes the note the active editor, focused: its tab when it has one, else
 * quick open, clicking the row that names it.
 * @param {Page} page
 * @param {string} note
 */
async function openNote(page, note) {
  // The note's own tab, not its preview's ("Preview <note>").
  const tab = page.locator('.tabs-container .tab', { hasText: note }).filter({ hasNotText: `Preview ${note}` }).first();
  if (await tab.count()) {
    await tab.click();
  } else {
    // A note the check wrote a moment ago may not be in quick open's first search: ask again, a few times.
    for (let attempt = 1; ; attempt++) {
      // Keys pressed while a webview (the preview) has focus never reach the workbench: focus the status bar first.
      await page.locator('.part.statusbar').click({ position: { x: 5, y: 5 } });
      await page.keyboard.press('Control+P');
      const input = page.locator('.quick-input-widget input');
      if (!(await input.waitFor({ timeout: 10_000 }).then(() => true, () => false))) {
        if (attempt === 3) throw new Error(`Ctrl+P opened no quick open in three tries, for ${note}`);
        continue;
      }
      await input.fill(note.replace(/\.md$/, ''));
      const row = page.locator('.quick-input-list .monaco-list-row', { hasText: note }).first();
      if (await row.waitFor({ timeout: 10_000 }).then(() => true, () => false)) {
        await row.click();
        break;
      }
      if (attempt === 3) throw new Error(`quick open did not list ${note} in three searches`);
      await page.keyboard.press('Escape');
    }
  }
  await page.locator('.tabs-container .tab.active', { hasText: note }).filter({ hasNotText: `Preview ${note}` }).first().waitFor();
  // The text of the active group's editor: with two groups open, the first
  // editor on the page may be the other group's, and Ctrl+Shift+V would preview it.
  await page.locator('.editor-group-container.active .monaco-editor .view-lines').first().click();
}

