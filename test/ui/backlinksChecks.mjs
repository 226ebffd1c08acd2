// @ts-check
// UI checks of the Backlinks view and of a hover preview with an image, kept
// apart from run.mjs so others' checks can be added there without touching
// these. run.mjs calls prepareBacklinksVault on its copy of the sample vault
// before the workbench starts, then the checks in order on its open page.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { waitUntil } from './waitUntil.mjs';

/** @typedef {import('playwright-core').Page} Page */

const SIDEBAR = '.part.sidebar';
const LINE_NOTE = '2021 Line Developer Day.md';
const IMAGE = 'vaultlink-hover-fixture.png';
/** A 120 × 60 gradient with a white diagonal (made by test/integration/png.ts): the sample vault has no image of its own. */
const IMAGE_PNG_BASE64 =
  'iVBORw0KGgoAAAANSUhEUgAAAHgAAAA8CAIAAAAiz+n/AAACwElEQVR4nO3Z0UZgARSF4SSRJEki+SVJJEmSSEaSRJIkiSRJEkmSJDJGkkSSJIkkSRJJkiSSJEkkSZJIkiSRJA1zmP0EZ1+t9Qjfxbr5I37+jagvoj+J+SD2nbg34l9JeCHxmaQnkh9JeSD1Hu5IuyX9hoxrMq/IuiT7gpxzcs/IOyX/hIJjCo8oOqT4gJJ9fu1RukvZDuXbVGxRuUnVBtXr1KxRu0rdCvXLNCzRuEjTAs3ztMzROkvbDO3TdEzROUnXBN3j9IzRO0rfCP3DDPxh8DdDQ/we5M8Aw/2M9DHay1gP491MdDHZyVQH0+3MtDHbylwL880sNLHYyFIDy/Ws1LFay1oN69VsVLFZyVYF2+XslLFbyt4v9ks4KOawiKNCjgs4yec0j7NcznO4yOYyi6tMrjO4Sec2jTu4T+UhhcdknpJ4TuQlgdd43uJ4j+Ujhs9ovqL4jowg4uf/BB0uNJHfRH0Zt6BDhQ6uw7gFHSp0cB3GLehQoYPrMG5BhwodXIdxCzpU6OA6jFvQoUIH12Hcgg4VOrgO4xZ0qNDBdRi3oEOFDq7DuAUdKnRwHcYt6FChg+swbkGHCh1ch3ELOlTo4DqMW9ChQgfXYdyCDhU6uA7jFrRDYTFuQTsUFuMWtENhMW5BOxQW4xa0Q2ExbkE7FBbjFrRDYTFuQTsUFuMWtENhMW5BOxQW4xa0Q2ExbkE7FBbjFrRDYTFuQTsUFuMWtENhMW5BOxQW4xa0Q2ExbkE7FBbjFrRDYTFuQTsUFuMWtENhMW5BOxQW4xa0Q2ExbkE7FBbjFrRDYTFuQTsUFuMWtENhMW5BOxQW4xa0Q2ExbkE7FBbjFrRDYTFuQTsUFuMWtENhMW5BOxQW4xa0Q2ExbkE7FBbjFrRDYTFuQTsUFuMWtENhMW5BOxQW4xa0Q2ExbkE7FJb/3H8BmcekloT0CQYAAAAASUVORK5CYII=';

/**
 * Notes the checks need, written into the vault copy: one linking to the Line
 * note, one naming it in plain text, and one embedding an existing image.
 * @param {string} folder
 */
export function prepareBacklinksVault(folder) {
  fs.writeFileSync(path.join(folder, 'Backlinks recap.md'), '# Backlinks recap\n\nWent to [[2021 Line Developer Day]], see [[2021 Line Developer Day#Opening Keynote|the keynote]].\n');
  fs.writeFileSync(path.join(folder, 'Mention.md'), '# Mention\n\nI keep thinking about 2021 Line Developer Day.\n');
  fs.writeFileSync(path.join(folder, IMAGE), Buffer.from(IMAGE_PNG_BASE64, 'base64'));
  fs.writeFileSync(path.join(folder, 'Hover image.md'), '# Hover image\n\n![[vaultlink-hover-fixture.png]]\n');
}

/**
 * Opens the Line note, expands the Backlinks view (collapsed by default, below
 * Talks) and its Unlinked mentions group, and checks what a person reads: the
 * linking note with its line, the note naming it, the outgoing images marked
 * broken. The step's screenshot is the picture of the view.
 * @param {Page} page
 */
export async function backlinksViewOfLineNote(page) {
  await openByQuickOpen(page, LINE_NOTE);
  const header = page.locator(`${SIDEBAR} .pane-header`, { hasText: 'Backlinks' }).first();
  // The activity bar icon toggles: clicked only when the Vaultlink side bar is not already shown.
  if (!(await header.isVisible())) await page.locator('.activitybar .action-item a[aria-label^="Vaultlink"]').first().click();
  const rows = page.locator(`${SIDEBAR} .pane-body .monaco-list-row`);
  await header.waitFor();
  if ((await header.getAttribute('aria-expanded')) !== 'true') await header.click();
  // Room for the view: the Talks view folds to its header.
  const talks = page.locator(`${SIDEBAR} .pane-header`, { hasText: 'Talks' }).first();
  if (await rows.filter({ hasText: 'DEVIEW 2018' }).first().isVisible()) await talks.click();
  await rows.filter({ hasText: 'Linked mentions' }).first().waitFor({ timeout: 30_000 });
  await rows.filter({ hasText: 'Backlinks recap' }).first().waitFor();
  await rows.filter({ hasText: 'Went to [[2021 Line Developer Day]]' }).first().waitFor();
  await rows.filter({ hasText: 'Unlinked mentions' }).first().click();
  await rows.filter({ hasText: 'I keep thinking about 2021 Line Developer Day.' }).first().waitFor({ timeout: 15_000 });
  const outgoing = rows.filter({ hasText: 'What_mlops.png' }).first();
  await outgoing.waitFor();
  const description = await outgoing.locator('.label-description').textContent();
  if (description !== 'broken') throw new Error(`What_mlops.png reads ${JSON.stringify(description)}, not "broken"`);
  // The code lens above the first heading counts the two links. Earlier checks leave the
  // note scrolled down (the light bulb's line 82), where the lens is out of sight.
  await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
  await page.keyboard.press('Control+Home');
  await page.locator('.editor-instance .codelens-decoration', { hasText: '2 backlinks' }).first().waitFor({ timeout: 15_000 });
}

/**
 * Hovers the embed of an existing image and checks the hover shows the image
 * itself, loaded (a picture with a width), not only its name.
 * @param {Page} page
 */
export async function hoverShowsImage(page) {
  await openByQuickOpen(page, 'Hover image.md');
  await page.keyboard.press('Control+G');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(':3:8');
  await page.keyboard.press('Enter');
  // Show Hover at the cursor (Ctrl+K Ctrl+I), as a keyboard user asks for it; else the mouse over the embed.
  await page.keyboard.press('Control+K');
  await page.keyboard.press('Control+I');
  const image = page.locator('.monaco-hover img').first();
  const shown = await image.waitFor({ timeout: 5_000 }).then(() => true, () => false);
  if (!shown) {
    const embed = page.locator('.editor-instance .view-line', { hasText: 'vaultlink-hover-fixture.png' }).first();
    const box = await embed.boundingBox();
    if (!box) throw new Error('the embed line is not on screen');
    await page.mouse.move(box.x + 60, box.y + box.height / 2);
    await page.mouse.move(box.x + 70, box.y + box.height / 2);
    await image.waitFor({ timeout: 15_000 });
  }
  await waitUntil(() => image.evaluate((element) => /** @type {HTMLImageElement} */ (element).complete && /** @type {HTMLImageElement} */ (element).naturalWidth > 0), 'the hover image to load', 15_000, async () => `src: ${await image.getAttribute('src')}`);
  const width = await image.evaluate((element) => /** @type {HTMLImageElement} */ (element).naturalWidth);
  if (width !== 120) throw new Error(`the hover image is ${width} pixels wide, not 120`);
  await snapshotHover(page);
  await page.keyboard.press('Escape');
}

/**
 * The step's own screenshot comes after the hover is closed (so later steps
 * start from a plain editor): this one keeps the hover with its image.
 * @param {Page} page
 */
async function snapshotHover(page) {
  const dir = path.join(path.dirname(new URL(import.meta.url).pathname), '..', '..', 'test-results', 'ui');
  await page.screenshot({ path: path.join(dir, 'hover-image.png') }).catch(() => undefined);
}

/**
 * @param {Page} page
 * @param {string} note
 */
async function openByQuickOpen(page, note) {
  await page.keyboard.press('Escape');
  const tab = page.locator('.tabs-container .tab', { hasText: note }).first();
  if (await tab.isVisible()) {
    await tab.click();
  } else {
    // Focus in the editor area first, as run.mjs's quick open does: from a tree, keys go to the tree's own find.
    await page.locator('.monaco-workbench').click({ position: { x: 700, y: 400 } });
    await page.keyboard.press('Control+P');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill(note.replace(/\.md$/, ''));
    await page.locator('.quick-input-list .monaco-list-row', { hasText: note }).first().click();
  }
  await page.locator('.tabs-container .tab.active', { hasText: note }).waitFor();
  await page.locator('.editor-instance .monaco-editor .view-lines').first().waitFor();
}


/**
 * Hovers a table-of-contents link of the Line note (Show Hover at the cursor,
 * Ctrl+K Ctrl+I) and checks the hover previews the section the link leads to:
 * the heading and the text under it. Its screenshot is taken while the hover
 * is open, and taken again if the hover had closed by then, so the README's
 * picture shows it.
 * @param {Page} page
 * @param {{ note: string, line: number, column: number, heading: string, sectionText: string, screenshotsDir: string, goToLine: (page: Page, line: number, column: number) => Promise<void> }} options
 */
export async function hoverPreviewsLinkedSection(page, { note, line, column, heading, sectionText, screenshotsDir, goToLine }) {
  await openByQuickOpen(page, note);
  await goToLine(page, line, column);
  const hover = page.locator('.monaco-hover:visible', { hasText: sectionText }).first();
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('Control+K');
    await page.keyboard.press('Control+I');
    await hover.waitFor({ timeout: 15_000 });
    const shown = (await hover.textContent()) ?? '';
    if (!shown.includes(heading)) throw new Error(`the hover does not name the heading ${JSON.stringify(heading)}: ${JSON.stringify(shown.slice(0, 300))}`);
    await page.screenshot({ path: path.join(screenshotsDir, 'hover-preview.png') });
    if (await hover.isVisible()) break;
    if (attempt === 3) throw new Error('the hover closed before each screenshot');
  }
  await page.keyboard.press('Escape');
}
