// @ts-check
// UI checks of the Talks view that click what a person clicks: the view's
// title-bar buttons and the schedule view. Kept apart from run.mjs so that
// other checks can be added there without touching these; run.mjs calls them
// in order, on the page it has open with the Vaultlink view container shown.

import { waitUntil } from './waitUntil.mjs';

/** @typedef {import('playwright-core').Page} Page */

/** The Vaultlink side bar, where the Talks view and its title bar live. */
const SIDEBAR = '.part.sidebar';

/**
 * The Talks view's pane: the one headed Talks when the container shows
 * several views (Backlinks sits beside it), else the whole side bar.
 * @param {Page} page
 */
async function talksPane(page) {
  const pane = page.locator(`${SIDEBAR} .pane`).filter({ has: page.locator('.pane-header', { hasText: /^\s*Talks/ }) });
  return (await pane.count()) > 0 ? pane.first() : page.locator(SIDEBAR);
}

/**
 * The talk rows of the Talks view.
 * @param {Page} page
 */
async function talkRowsOf(page) {
  return (await talksPane(page)).locator('.pane-body .monaco-list-row');
}

/**
 * Clicks the Talks view's "Filter Talks by Track…" title-bar button, picks
 * Track 3 in the quick pick and checks the tree shows only Track 3 talks
 * (DEVIEW 2018's), then clears the filter with its own title-bar button.
 * The title bar passes the selected tree node as the command's argument: this
 * is what once hid the whole tree behind `Track: [object Object]`.
 * @param {Page} page
 */
export async function filterByTrackFromTitleBar(page) {
  await showTalksView(page);
  const rows = await talkRowsOf(page);
  // A selected talk row is what the title bar hands the command.
  await rows.filter({ hasText: 'Druid' }).first().click();
  await (await titleButton(page, 'Filter Talks by Track')).click();
  const picks = page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
  await picks.filter({ hasText: 'Track 3' }).first().waitFor({ timeout: 10_000 });
  const offered = await picks.allTextContents();
  if (!offered.some((text) => text.includes('All'))) throw new Error(`the quick pick offers ${JSON.stringify(offered)}, without "All"`);
  await picks.filter({ hasText: 'Track 3' }).first().click();

  const header = page.locator(`${SIDEBAR} .pane-header, ${SIDEBAR} .composite.title`);
  await waitUntil(async () => (await header.allTextContents()).some((text) => text.includes('Track: Track 3')), 'the view to read "Track: Track 3"', 10_000, async () =>
    JSON.stringify(await header.allTextContents()),
  );
  // Track 3 is one talk of DEVIEW 2018's second day: 대형 컨테이너 클러스터에서의 고가용성 (12:00).
  await rows.filter({ hasText: 'DEVIEW 2018' }).first().waitFor();
  await waitUntil(async () => (await talkDescriptions(page)).length > 0, 'talk rows under the filter', 10_000);
  const descriptions = await talkDescriptions(page);
  const others = descriptions.filter((text) => !text.includes('Track 3'));
  if (others.length) throw new Error(`rows outside Track 3 are shown: ${JSON.stringify(others)}`);
  if (await rows.filter({ hasText: '2021 Line Developer Day' }).count()) throw new Error('the Line note, which has no tracks, is still shown');
  if (await page.locator(`${SIDEBAR} .welcome-view-content`, { hasText: 'No conference notes' }).isVisible()) throw new Error('the tree is hidden behind the welcome text');

  await (await titleButton(page, 'Clear Talk Filter')).click();
  await rows.filter({ hasText: '2021 Line Developer Day' }).first().waitFor({ timeout: 10_000 });
}

/**
 * Selects DEVIEW 2018 in the Talks view, clicks the title bar's "Show
 * Schedule", waits for the webview to draw the programme (DEVIEW's Druid talk
 * under Track 1 at 15:00), saves `schedule-view.png` (the README's picture),
 * then clicks Druid's title in the schedule and checks the editor lands on its
 * heading (line 390).
 * @param {Page} page
 * @param {string} screenshotsDir
 */
export async function scheduleView(page, screenshotsDir) {
  await showTalksView(page);
  const rows = await talkRowsOf(page);
  await rows.filter({ hasText: 'DEVIEW 2018' }).first().click();
  await (await titleButton(page, 'Show Schedule')).click();
  await page.locator('.tabs-container .tab', { hasText: 'Schedule: DEVIEW 2018' }).waitFor({ timeout: 15_000 });
  // The webview is an iframe holding the page's own iframe.
  const webview = page.frameLocator('iframe.webview.ready').last().frameLocator('#active-frame');
  const druid = webview.locator('article.talk', { hasText: 'Druid' });
  await druid.waitFor({ timeout: 20_000 });
  const column = await webview.locator('section.day').nth(1).locator('th.column-head').allTextContents();
  if (JSON.stringify(column) !== JSON.stringify(['Track 1', 'Track 3'])) throw new Error(`day 2's columns read ${JSON.stringify(column)}`);
  const druidTime = await webview.locator('section.day').nth(1).locator('tr', { has: webview.locator('article.talk', { hasText: 'Druid' }) }).locator('th.time').textContent();
  if (druidTime !== '15:00') throw new Error(`Druid's row reads ${JSON.stringify(druidTime)}, not 15:00`);
  await webview.locator('article.talk', { hasText: '네이버 검색과 개인화' }).waitFor();
  await page.screenshot({ path: `${screenshotsDir}/schedule-view.png` });

  await druid.locator('button.title').click();
  const position = page.locator('[id="status.editor.selection"]');
  await waitUntil(async () => (await position.textContent())?.includes('Ln 390,') ?? false, 'the editor on Druid\'s heading (Ln 390) after clicking it in the schedule', 15_000, async () =>
    `status bar reads ${JSON.stringify(await position.textContent())}`,
  );
  // Closed again, so later checks that look into a webview (the preview) find theirs, not this one.
  const scheduleTab = page.locator('.tabs-container .tab', { hasText: 'Schedule: DEVIEW 2018' }).first();
  await scheduleTab.click({ button: 'middle' });
  await scheduleTab.waitFor({ state: 'detached', timeout: 10_000 });
}

/**
 * The descriptions (`16:00 · Track 3 · …`) of the visible talk rows: rows with
 * a time in their description, expanding the days the filter left.
 * @param {Page} page
 */
async function talkDescriptions(page) {
  const rows = await talkRowsOf(page);
  for (const row of await rows.all()) {
    // The tree re-renders as the filter applies: a row listed a moment ago may be gone (skipped, not waited for).
    const expandable = (await row.getAttribute('aria-expanded', { timeout: 1000 }).catch(() => null)) === 'false';
    const level = Number(await row.getAttribute('aria-level', { timeout: 1000 }).catch(() => null));
    if (expandable && level <= 2) await row.click({ timeout: 1000 }).catch(() => undefined);
  }
  const texts = await rows.locator('.label-description').allTextContents();
  return texts.filter((text) => /\b\d\d:\d\d\b/.test(text));
}

/** @param {Page} page */
async function showTalksView(page) {
  const talks = page.locator(`${SIDEBAR} .pane-body .monaco-list-row`, { hasText: 'DEVIEW 2018' });
  if (await talks.first().isVisible()) return;
  // The activity bar icon toggles the side bar: clicked only when the Vaultlink
  // container is not shown. Shown, the Talks pane may be folded to its header
  // (the Backlinks check folds it to make room): then the header unfolds it.
  const header = page.locator(`${SIDEBAR} .pane-header`, { hasText: /^\s*Talks/ }).first();
  if (!(await header.isVisible())) await page.locator('.activitybar .action-item a[aria-label^="Vaultlink"]').click();
  if (!(await talks.first().isVisible()) && (await header.isVisible()) && (await header.getAttribute('aria-expanded')) === 'false') await header.click();
  await talks.first().waitFor();
}

/**
 * A button of the Talks view's title bar, by its command title.
 * @param {Page} page
 * @param {string} title
 */
async function titleButton(page, title) {
  const pane = page.locator(`${SIDEBAR} .pane`).filter({ has: page.locator('.pane-header', { hasText: /^\s*Talks/ }) });
  // With a second view in the container (Backlinks), each view's buttons sit in its own header, shown while it is hovered or focused.
  if ((await pane.count()) > 0) {
    const header = pane.first().locator('.pane-header');
    await header.hover();
    return header.locator(`.actions a.action-label[aria-label^="${title}"]`).first();
  }
  return page.locator(`${SIDEBAR} .title-actions a.action-label[aria-label^="${title}"]`).first();
}

