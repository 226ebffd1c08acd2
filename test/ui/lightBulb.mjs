// @ts-check
// UI check of a quick fix as a person applies one: the cursor on a broken
// embed, a click on the light bulb, a click on "Remove the broken embed" in
// its menu; the embed's line is gone (no empty line left) and the next embed
// moves up into its place. Run from test/ui/run.mjs.

/** @typedef {import('playwright-core').Page} Page */

/**
 * @param {Page} page
 * @param {{
 *   note: string,
 *   line: number,
 *   embed: string,
 *   nextEmbed: string,
 *   quickOpen: (page: Page, note: string) => Promise<void>,
 *   goToLine: (page: Page, line: number, column: number) => Promise<void>,
 *   waitUntil: (condition: () => Promise<boolean>, what: string, timeoutMs?: number, describe?: () => Promise<string>) => Promise<void>,
 *   snapshot: (page: Page, label: string) => Promise<void>,
 * }} options the note and 1-based line of a broken embed alone on its line, the embed on the line below, and run.mjs's helpers
 */
export async function lightBulbRemovesBrokenEmbed(page, { note, line, embed, nextEmbed, quickOpen, goToLine, waitUntil, snapshot }) {
  // Its tab, when the note is open already (it is, from the earlier checks); else quick open.
  const tab = page.locator('.tabs-container .tab', { hasText: note }).first();
  if (await tab.isVisible()) await tab.click();
  else await quickOpen(page, note);
  await page.locator('.tabs-container .tab.active', { hasText: note }).waitFor();
  await goToLine(page, line, 5);
  // Beside the text (content widget) or, in VS Code 1.100 when the line leaves no room, in the gutter (a glyph-margin decoration).
  const bulb = page.locator('.editor-instance .monaco-editor').locator('.lightBulbWidget .codicon, .codicon.gutter-lightbulb, [class*="gutter-lightbulb"]').locator('visible=true').first();
  await bulb.waitFor({ state: 'visible', timeout: 20_000 });
  await bulb.click();
  const fix = page.locator('.action-widget .monaco-list-row', { hasText: `Remove the broken embed "${embed}"` }).first();
  await fix.waitFor({ timeout: 10_000 });
  await snapshot(page, 'light-bulb-menu');
  // The menu lies under a pointer block until the mouse moves, as a person's hand does on the way to the item.
  const box = await fix.boundingBox();
  if (box) await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 5 });
  await fix.click();
  // The line at the cursor now holds the next embed: the broken one went with its line.
  const lines = page.locator('.editor-instance .monaco-editor .view-lines .view-line');
  await waitUntil(
    async () => !(await lines.allTextContents()).some((text) => text.includes(embed)),
    `${embed} to be gone from the editor`,
    10_000,
  );
  const texts = (await lines.allTextContents()).map((text) => text.replace(/\u00a0/g, ' '));
  const next = texts.findIndex((text) => text.includes(nextEmbed));
  if (next < 0) throw new Error(`${nextEmbed} is not shown any more: ${JSON.stringify(texts)}`);
  const position = page.locator('[id="status.editor.selection"]');
  await page.keyboard.press('Home');
  await waitUntil(async () => (await position.textContent())?.includes(`Ln ${line},`) ?? false, `the cursor to stay on line ${line}`);
  // Line `line` must now read the next embed, not be empty: its whole text selected, the status bar counts it.
  await page.keyboard.press('End');
  await page.keyboard.press('Shift+Home');
  await waitUntil(
    async () => ((await position.textContent()) ?? '').includes(`(${nextEmbed.length} selected)`),
    `line ${line} to hold ${nextEmbed} (${nextEmbed.length} characters) once the broken embed's line is removed`,
    5000,
    async () => `status bar reads ${JSON.stringify(await position.textContent())}`,
  );
  // Put the note back for later checks.
  await page.keyboard.press('Control+Z');
}
