import * as assert from 'node:assert/strict';
import { backgroundTurn, setBackgroundTurnScheduler } from '../../server/src/core/cancellation';

/** Lets every pending promise continuation run. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('background turns (every background loop of the server, one slice per turn of the event loop)', () => {
  const scheduled: Array<() => void> = [];
  let previous: ((run: () => void) => void) | undefined;
  before(() => (previous = setBackgroundTurnScheduler((run) => void scheduled.push(run))));
  after(() => {
    // Back to the scheduler before, and any turn still held here is run: no loop is left waiting.
    setBackgroundTurnScheduler(previous!);
    while (scheduled.length) scheduled.shift()!();
  });

  it('runs one slice of one loop per turn, the loops in turn, so what came meanwhile waits for one slice at most', async () => {
    const slices: string[] = [];
    const loop = async (name: string, count: number) => {
      for (let i = 0; i < count; i++) {
        await backgroundTurn();
        slices.push(`${name}${i}`);
      }
    };
    const done = Promise.all([loop('publish', 3), loop('catalog', 2), loop('index', 1)]);
    await settle();
    // One turn is asked of the event loop at a time, however many loops wait.
    assert.equal(scheduled.length, 1);
    // (A turn of a loop another test left running would show as a turn without these slices: left out below.)
    const perTurn: string[][] = [];
    while (scheduled.length) {
      const before = slices.length;
      scheduled.shift()!();
      await settle();
      perTurn.push(slices.slice(before));
      assert.ok(scheduled.length <= 1, 'never more than one turn asked for');
    }
    await done;
    assert.deepEqual(perTurn.filter((slices) => slices.length), [['publish0'], ['catalog0'], ['index0'], ['publish1'], ['catalog1'], ['publish2']]);
  });

  it('asks for no turn when no loop waits', async () => {
    await settle();
    assert.equal(scheduled.length, 0);
  });
});
