// @ts-check
import * as fs from 'node:fs';
// UI check of pasting a screenshot into a note, through VS Code's own paste
// handling: a paste event carrying an image file (what the browser delivers for
// Ctrl+V of a screenshot; headless Chromium has no clipboard to put one on)
// goes to the focused editor; Vaultlink's paste provider answers, the link
// `![[Pasted image YYYYMMDDHHmmss.png]]` appears at the cursor and the file
// appears in the Explorer (the sample vault has no app.json: the vault root).
// Run from test/ui/run.mjs.

/* global DataTransfer, ClipboardEvent, document -- page.evaluate runs in the workbench page */
/** @typedef {import('playwright-core').Page} Page */

/** A 1×1 PNG. */
const PNG_BASE64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

/**
 * @param {Page} page
 * @param {{
 *   note: string,
 *   line: number,
 *   goToLine: (page: Page, line: number, column: number) => Promise<void>,
 *   waitUntil: (condition: () => Promise<boolean>, what: string, timeoutMs?: number, describe?: () => Promise<string>) => Promise<void>,
 *   vaultFolder: string,
 * }} options the note (open in a tab) and a 1-based line to paste below
 */
export async function pasteScreenshotIntoNote(page, { note, line, goToLine, waitUntil, vaultFolder }) {
  await page.locator('.tabs-container .tab', { hasText: note }).first().click();
  await page.locator('.tabs-container .tab.active', { hasText: note }).waitFor();
  await goToLine(page, line, 1);
  await page.keyboard.press('End');
  await page.keyboard.press('Enter');
  await page.evaluate((base64) => {
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    const clipboard = new DataTransfer();
    clipboard.items.add(new File([bytes], 'image.png', { type: 'image/png' }));
    const target = document.activeElement ?? document.body;
    target.dispatchEvent(new ClipboardEvent('paste', { clipboardData: clipboard, bubbles: true, cancelable: true }));
  }, PNG_BASE64);
  const lines = page.locator('.editor-instance .monaco-editor .view-lines .view-line');
  /** @type {string | undefined} */
  let pasted;
  await waitUntil(
    async () => {
      // Joined: in a narrow editor (a split beside it) word wrap draws the link over two rows.
      pasted = /!\[\[Pasted image \d{14}\.png\]\]/.exec((await lines.allTextContents()).join('').replace(/\u00a0/g, ' '))?.[0];
      return pasted !== undefined;
    },
    'the link ![[Pasted image YYYYMMDDHHmmss.png]] in the editor',
    20_000,
    async () => `lines shown: ${JSON.stringify((await lines.allTextContents()).slice(0, 40))}`,
  );
  const name = /Pasted image \d{14}\.png/.exec(pasted ?? '')?.[0];
  if (!name) throw new Error(`no file name in ${JSON.stringify(pasted)}`);
  // Saved in the vault (where app.json's attachment folder says; the unit and
  // integration tests check which folder): found on disk under the vault.
  await waitUntil(async () => /** @type {string[]} */ (fs.readdirSync(vaultFolder, { recursive: true })).some((file) => String(file).endsWith(name)), `${name} saved in the vault`, 20_000);
}
