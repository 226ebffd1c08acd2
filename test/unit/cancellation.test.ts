import * as assert from 'node:assert/strict';
import type { ICancellationToken } from '../../server/src/core/workspace';
import { NOTES_PER_SLICE } from '../../server/src/features/references';
import { openVault, type TestVault } from '../kit/vault';

/**
 * A cancelled vault-wide request stops at once. Counted work, not time: the
 * linking notes read (`VaultIndex.note` calls) after the cancellation are at
 * most one slice (NOTES_PER_SLICE, well under a millisecond of work; the
 * issue's bound is 50 ms), whatever the machine's speed.
 */

const LINKERS = 5000;

/** A token the client cancels while the search runs: after the search has checked it `checksBefore` times. */
function cancelledAfter(checksBefore: number): ICancellationToken {
  let checks = 0;
  return {
    get isCancellationRequested() {
      return checks++ >= checksBefore;
    },
  };
}

const never: ICancellationToken = { isCancellationRequested: false };

/** Counts the notes a search reads from the vault. */
function countNoteReads(vault: TestVault): { readonly count: number } {
  const index = vault.service.vaults[0];
  const original = index.note.bind(index);
  const counter = { count: 0 };
  (index as { note: typeof index.note }).note = (file) => {
    counter.count++;
    return original(file);
  };
  return counter;
}

describe('cancellation of vault-wide requests', function () {
  this.timeout(60000);
  let vault: TestVault;

  before(async () => {
    const files: Record<string, string> = { 'Hub.md': '# Hub\n\n## Section\n' };
    for (let i = 0; i < LINKERS; i++) files[`notes/n${i}.md`] = `See [[Hub]] and [[Hub#Section]].\n`;
    vault = await openVault(files);
  });

  const hub = () => vault.uri('Hub.md');
  // Line 1 is blank: references from there are to the note itself.
  const inBody = { line: 1, character: 0 };
  const onSection = { line: 2, character: 4 };

  /**
   * Runs a search once to the end and once cancelled after its first check:
   * the cancelled run reads at most two slices of linking notes (the one under
   * way when the cancellation came, and the one before), at the full run's
   * rate of reads per linking note.
   */
  async function assertStopsWithinASlice(run: (token: ICancellationToken) => Promise<unknown>): Promise<void> {
    const full = countNoteReads(vault);
    assert.notEqual(await run(never), undefined);
    const perNote = full.count / LINKERS;
    assert.ok(perNote >= 1, 'every linking note is read when not cancelled');
    const cancelled = countNoteReads(vault);
    assert.equal(await run(cancelledAfter(1)), undefined, 'a cancelled request answers nothing rather than a partial list');
    assert.ok(cancelled.count <= (2 * NOTES_PER_SLICE + 1) * perNote, `read ${cancelled.count} of the ${full.count} reads a whole run makes`);
  }

  it('references: all of them when not cancelled', async () => {
    const locations = await vault.service.findReferences(hub(), inBody, false, never);
    assert.equal(locations?.length, 2 * LINKERS);
  });

  it('references: stop within one slice of notes once cancelled', () => assertStopsWithinASlice((token) => vault.service.findReferences(hub(), inBody, false, token)));

  it('rename of a heading: stops within one slice once cancelled, and edits nothing', async () => {
    const whole = await vault.service.renameCancellable(hub(), onSection, 'Renamed', never);
    assert.equal(Object.keys(whole?.changes ?? {}).length, LINKERS + 1, 'uncancelled, every linking note and the heading are edited');
    await assertStopsWithinASlice((token) => vault.service.renameCancellable(hub(), onSection, 'Renamed', token));
  });

  it('link updates for a renamed file: stop once cancelled', () => assertStopsWithinASlice((token) => vault.service.linkEditsForRenamedFiles([{ oldUri: hub(), newUri: vault.uri('Center.md') }], token)));
});
