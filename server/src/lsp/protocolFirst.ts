/**
 * Messages before background work. vscode-jsonrpc runs each message's handler
 * from an immediate (setImmediate), and each answer's write from another (its
 * write lock). A background turn (core/cancellation.ts) that came ahead of
 * one of them in the event loop's check phase ran a whole slice first. A
 * request's handler then started a slice late, or its answer was written a
 * slice after it was ready: at 10,000 notes, while indexing, a `[[` waited a
 * median of 2 ms for its handler and 0.5 ms (90th percentile: 5 ms) to be
 * written, for 0.9 ms of work.
 *
 * So the protocol's immediates are counted, and a background turn that finds
 * any of them waiting gives way: it tries again on the next immediate. Nothing
 * waits on a request that is itself waiting (for the note to be parsed, for
 * the vault to be indexed): such a request has no immediate queued, so the
 * background work it waits for goes on.
 */

/** What vscode-jsonrpc's runtime layer gives its timers: a handle to dispose of. */
export interface Disposable {
  dispose(): void;
}

export type SetImmediate = (callback: (...args: unknown[]) => void, ...args: unknown[]) => Disposable;

export interface ProtocolFirst {
  /** The protocol's setImmediate: the same, counted while it waits. */
  readonly setImmediate: SetImmediate;
  /** A background turn's scheduler (setBackgroundTurnScheduler): runs `run` once no protocol immediate waits. */
  readonly scheduleTurn: (run: () => void) => void;
  /** Protocol immediates queued and not yet run. */
  readonly waiting: () => number;
}

/** `immediate` is the host's own setImmediate, for the protocol's callbacks and the turns alike. */
export function createProtocolFirst(protocolImmediate: SetImmediate, immediate: (callback: () => void) => void): ProtocolFirst {
  let waiting = 0;
  return {
    setImmediate(callback, ...args) {
      waiting++;
      let done = false;
      const settle = () => {
        if (done) return false;
        done = true;
        waiting--;
        return true;
      };
      const handle = protocolImmediate(() => {
        if (settle()) callback(...args);
      });
      return {
        dispose() {
          settle();
          handle.dispose();
        },
      };
    },
    scheduleTurn(run) {
      const turn = () => (waiting > 0 ? immediate(turn) : run());
      immediate(turn);
    },
    waiting: () => waiting,
  };
}
