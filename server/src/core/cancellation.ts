import type { ICancellationToken } from './workspace';

/** A token the owner can cancel, as vscode-jsonrpc's CancellationTokenSource, without depending on it. */
export class CancellationSource {
  #cancelled = false;
  readonly token: ICancellationToken;

  constructor(...linked: ReadonlyArray<ICancellationToken | undefined>) {
    const self = () => this.#cancelled;
    this.token = {
      get isCancellationRequested() {
        return self() || linked.some((token) => token?.isCancellationRequested);
      },
    };
  }

  cancel(): void {
    this.#cancelled = true;
  }
}

/** Whether either token is cancelled. */
export function eitherCancelled(a: ICancellationToken, b: ICancellationToken): ICancellationToken {
  return {
    get isCancellationRequested() {
      return a.isCancellationRequested || b.isCancellationRequested;
    },
  };
}

/**
 * Lets queued messages (a `$/cancelRequest`, a keystroke) be handled in the
 * middle of a long loop: a loop that never yields cannot be cancelled, because
 * the cancellation arrives as a message on this same thread.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** Background slices waiting for their turn, oldest first. */
const backgroundQueue: Array<() => void> = [];
let backgroundTurnScheduled = false;
/** How a turn is scheduled: a timer here; the Node hosts use setImmediate (no timer's millisecond between turns). */
let scheduleTurn: (run: () => void) => void = (run) => void setTimeout(run, 0);

/**
 * How the host schedules background turns. It must run `run` in a later turn
 * of the event loop, after the messages that came meanwhile were read.
 * Returns the scheduler it replaces.
 */
export function setBackgroundTurnScheduler(schedule: (run: () => void) => void): (run: () => void) => void {
  const previous = scheduleTurn;
  scheduleTurn = schedule;
  return previous;
}

/**
 * Waits for the next turn of background work: every loop the server runs on
 * its own (indexing the workers' parses, publishing every note's problems,
 * building the completion catalog and the symbol index, reading the parse
 * cache) takes its slices here, one slice per turn of the event loop for all
 * of them together, so messages are read and requests run between any two
 * slices. When each loop yielded on its own, every turn of the event loop ran
 * one slice of each (4-6 ms apiece), and a `[[` typed while they ran waited
 * 20-80 ms before its handler started, for work of 0.5 ms. Work a request
 * asked for yields with yieldToEventLoop instead and never waits in this queue.
 */
export function backgroundTurn(): Promise<void> {
  return new Promise((resolve) => {
    backgroundQueue.push(resolve);
    scheduleBackgroundTurn();
  });
}

function scheduleBackgroundTurn(): void {
  if (backgroundTurnScheduled || backgroundQueue.length === 0) return;
  backgroundTurnScheduled = true;
  scheduleTurn(runBackgroundTurn);
}

function runBackgroundTurn(): void {
  backgroundTurnScheduled = false;
  const next = backgroundQueue.shift();
  scheduleBackgroundTurn();
  next?.();
}

/** Resolves after `ms` milliseconds. */
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A promise and the function that settles it, for waits other code ends. */
export class Deferred<T = void> {
  readonly promise: Promise<T>;
  #resolve!: (value: T) => void;
  #settled = false;

  constructor() {
    this.promise = new Promise<T>((resolve) => (this.#resolve = resolve));
  }

  get settled(): boolean {
    return this.#settled;
  }

  resolve(value: T): void {
    if (this.#settled) return;
    this.#settled = true;
    this.#resolve(value);
  }
}

/**
 * The promise's value, or `undefined` once `ms` have passed (or `token` is
 * cancelled, checked every `pollMs`): for waits that must stay bounded.
 */
export async function withinTime<T>(promise: Promise<T>, ms: number, token?: ICancellationToken, pollMs = 20): Promise<T | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let poll: ReturnType<typeof setInterval> | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
    if (token) poll = setInterval(() => token.isCancellationRequested && resolve(undefined), pollMs);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
    if (poll) clearInterval(poll);
  }
}
