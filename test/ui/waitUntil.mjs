// @ts-check
// The one polling wait of the UI checks: every check module imports it, so a
// change to how long or how often the workbench is polled is made once.

/**
 * Polls `condition` every 250 ms until it holds. A condition that throws
 * counts as not yet (a row the workbench re-draws can detach mid-check).
 * @param {() => Promise<boolean>} condition
 * @param {string} what named in the failure message
 * @param {number} [timeoutMs]
 * @param {() => Promise<string>} [describe] extra detail for the failure message
 */
export async function waitUntil(condition, what, timeoutMs = 30_000, describe) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition().catch(() => false))) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}${describe ? `: ${await describe().catch(() => '')}` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
