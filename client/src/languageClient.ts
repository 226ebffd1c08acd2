// The language client, with two things vscode-languageclient reports as errors
// that are not: the server process ending with code 0 after the client asked
// it to stop (restart, closing or switching the folder), and requests that
// were on their way while the connection closed for that reason.
import { LanguageClient, type MessageSignature } from 'vscode-languageclient/node';
import type * as vscode from 'vscode';

/** What the IPC channel or the JSON-RPC connection says once the server process is gone. */
const CLOSED_CONNECTION = /channel (has been )?closed|connection (is|got) (closed|disposed)|client is not running|pending response rejected/i;

export class VaultlinkLanguageClient extends LanguageClient {
  /** Stops asked for whose process has not exited yet: their exit with code 0 is the expected end, not an error. */
  #expectedExits = 0;
  /** Set from the first stop until the next start: answers in flight meanwhile are empty, not failures. */
  #stopping = false;

  override async start(): Promise<void> {
    this.#stopping = false;
    await super.start();
  }

  override async stop(timeout?: number): Promise<void> {
    if (this.isRunning()) this.#expectedExits++;
    this.#stopping = true;
    await super.stop(timeout);
  }

  override error(message: string, data?: unknown, showNotification?: boolean | 'force'): void {
    if (this.#expectedExits > 0 && message === 'Server process exited with code 0.') {
      this.#expectedExits--;
      this.info('The language server stopped, as asked.');
      return;
    }
    super.error(message, data, showNotification);
  }

  override handleFailedRequest<T>(type: MessageSignature, token: vscode.CancellationToken | undefined, error: unknown, defaultValue: T, showNotification?: boolean): T {
    // Asked while the server was stopping or gone: no answer can come, and the end of the
    // process is reported once (as expected, or by the error handler's restart), not per request.
    const message = error instanceof Error ? error.message : String(error);
    if (this.#stopping || CLOSED_CONNECTION.test(message)) return defaultValue;
    return super.handleFailedRequest(type, token, error, defaultValue, showNotification);
  }
}

/** How many lines of the output a recorded channel keeps: the latest, for tests and bug reports. */
const RECORDED_LINES = 500;

/**
 * The output channel, keeping its latest lines readable (`VaultlinkApi.outputLines`):
 * the log is what a user reads after a restart, so tests read it too.
 */
export function recordedOutputChannel(channel: vscode.OutputChannel): { channel: vscode.OutputChannel; lines: () => readonly string[] } {
  const lines: string[] = [];
  let partial = '';
  const record = (text: string) => {
    const parts = (partial + text).split('\n');
    partial = parts.pop() ?? '';
    lines.push(...parts);
    if (lines.length > RECORDED_LINES) lines.splice(0, lines.length - RECORDED_LINES);
  };
  const recorded = new Proxy(channel, {
    get(target, property, receiver) {
      if (property === 'append') return (value: string) => (record(value), target.append(value));
      if (property === 'appendLine') return (value: string) => (record(`${value}\n`), target.appendLine(value));
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { channel: recorded, lines: () => (partial ? [...lines, partial] : [...lines]) };
}
