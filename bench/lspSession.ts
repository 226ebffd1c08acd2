import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import type { Diagnostic } from 'vscode-languageserver-types';

export const SERVER_MAIN = path.resolve(__dirname, '../dist/server/main.js');

export interface SessionOptions {
  readonly rootUri: string;
  /** The server bundle to run; default this checkout's dist/server/main.js. */
  readonly serverMain?: string;
  /** Where the server keeps its cache, passed as `initializationOptions.cacheDirectory`. */
  readonly cacheDirectory?: string;
  /** Extra `node` flags for the server process (`--cpu-prof`…). */
  readonly nodeArgs?: readonly string[];
}

export interface DiagnosticsEvent {
  readonly at: number;
  readonly diagnostics: Diagnostic[];
}

interface StatusEvent {
  readonly at: number;
  readonly state: string;
  readonly notes: number;
}

export interface Memory {
  /** Resident set size now, MB. */
  readonly rssMb: number;
  /** Peak resident set size so far, MB. */
  readonly peakRssMb: number;
}

/**
 * One run of the built server over stdio, driven as an editor drives it (the
 * Neovim / Helix shape: pushed diagnostics, file watching, workspace folders),
 * with every notification time-stamped so the benchmark can measure from them.
 */
export class LspSession {
  readonly connection: MessageConnection;
  readonly #process: ChildProcess;
  readonly #options: SessionOptions;
  readonly #diagnostics = new Map<string, DiagnosticsEvent>();
  readonly #statuses: StatusEvent[] = [];
  readonly #waiters: Array<() => void> = [];
  readonly #publishListeners = new Set<(uri: string, event: DiagnosticsEvent) => void>();
  readonly stderr: string[] = [];
  /** Partial-result token → what to do with each `$/progress` value sent for it. */
  readonly #partialResults = new Map<string, (value: unknown) => void>();
  #partialToken = 0;
  #lastDiagnosticsAt = 0;
  #publishCount = 0;
  readonly spawnedAt: number;

  constructor(options: SessionOptions) {
    this.#options = options;
    this.spawnedAt = performance.now();
    this.#process = spawn(process.execPath, [...(options.nodeArgs ?? []), options.serverMain ?? SERVER_MAIN, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.#process.stderr!.on('data', (chunk: Buffer) => this.stderr.push(chunk.toString()));
    this.connection = createMessageConnection(new StreamMessageReader(this.#process.stdout!), new StreamMessageWriter(this.#process.stdin!));
    this.connection.onNotification('vaultlink/status', (status: { state: string; notes: number }) => {
      this.#statuses.push({ at: performance.now(), state: status.state, notes: status.notes });
      this.#notify();
    });
    this.connection.onNotification('textDocument/publishDiagnostics', (params: { uri: string; diagnostics: Diagnostic[] }) => {
      const at = performance.now();
      const event = { at, diagnostics: params.diagnostics };
      this.#diagnostics.set(params.uri, event);
      this.#lastDiagnosticsAt = at;
      this.#publishCount++;
      for (const listener of this.#publishListeners) listener(params.uri, event);
      this.#notify();
    });
    this.connection.onNotification('window/logMessage', () => undefined);
    this.connection.onNotification('$/progress', (params: { token: string | number; value: unknown }) => this.#partialResults.get(String(params.token))?.(params.value));
    this.connection.onRequest('client/registerCapability', () => null);
    this.connection.onRequest('window/workDoneProgress/create', () => null);
    this.connection.onRequest('workspace/configuration', (params: { items: unknown[] }) => params.items.map(() => null));
    this.connection.listen();
  }

  get pid(): number {
    return this.#process.pid!;
  }

  get publishCount(): number {
    return this.#publishCount;
  }

  /** What the server said it can do, once initialized. */
  capabilities: Record<string, unknown> = {};

  async initialize(): Promise<void> {
    const result = await this.connection.sendRequest<{ capabilities: Record<string, unknown> }>('initialize', {
      processId: process.pid,
      rootUri: this.#options.rootUri,
      workspaceFolders: [{ uri: this.#options.rootUri, name: 'vault' }],
      initializationOptions: this.#options.cacheDirectory ? { cacheDirectory: this.#options.cacheDirectory } : {},
      capabilities: {
        workspace: { didChangeWatchedFiles: { dynamicRegistration: true }, configuration: true, workspaceFolders: true },
        textDocument: { definition: { linkSupport: true }, publishDiagnostics: {}, completion: { completionItem: { snippetSupport: false } } },
        window: { workDoneProgress: true },
      },
    });
    this.capabilities = result.capabilities;
    await this.connection.sendNotification('initialized', {});
  }

  open(uri: string, text: string, version = 1): void {
    void this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'markdown', version, text } });
  }

  change(uri: string, text: string, version: number): void {
    void this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
  }

  request<R>(method: string, params: unknown): Promise<R> {
    return this.connection.sendRequest<R>(method, params);
  }

  /**
   * A request with a `partialResultToken` (LSP 3.17 partial results): the
   * batches the server streams in `$/progress`, when the first and the last
   * arrived (performance.now()), and the final answer (empty when it streamed).
   */
  async requestPartial<T>(method: string, params: Record<string, unknown>): Promise<{ batches: T[][]; firstAt: number | undefined; lastAt: number | undefined; result: T[] }> {
    const token = `bench-partial-${++this.#partialToken}`;
    const batches: T[][] = [];
    let firstAt: number | undefined;
    let lastAt: number | undefined;
    this.#partialResults.set(token, (value) => {
      lastAt = performance.now();
      firstAt ??= lastAt;
      batches.push(value as T[]);
    });
    try {
      const result = await this.connection.sendRequest<T[]>(method, { ...params, partialResultToken: token });
      return { batches, firstAt, lastAt, result };
    } finally {
      this.#partialResults.delete(token);
    }
  }

  /** The last diagnostics published for each note so far. */
  latestDiagnostics(): ReadonlyMap<string, DiagnosticsEvent> {
    return new Map(this.#diagnostics);
  }

  /** Calls `listener` on every publish from now on, as it arrives; the returned function stops it. */
  onPublish(listener: (uri: string, event: DiagnosticsEvent) => void): () => void {
    this.#publishListeners.add(listener);
    return () => this.#publishListeners.delete(listener);
  }

  /** When the diagnostics of `uri` first arrived after `since` and passed `test`. */
  async diagnosticsAfter(uri: string, since: number, test: (diagnostics: Diagnostic[]) => boolean = () => true, timeoutMs = 600_000): Promise<DiagnosticsEvent> {
    return this.#until(() => {
      const event = this.#diagnostics.get(uri);
      return event && event.at >= since && test(event.diagnostics) ? event : undefined;
    }, timeoutMs, `diagnostics for ${uri}`);
  }

  /** When the server first said it was in `state` after `since`. */
  async statusAfter(state: string, since: number, timeoutMs = 1_800_000): Promise<StatusEvent> {
    return this.#until(() => this.#statuses.find((status) => status.at >= since && status.state === state), timeoutMs, `status ${state}`);
  }

  /** Waits until no diagnostics have been published for `quietMs`: the server has finished pushing. */
  async settled(quietMs = 500, timeoutMs = 1_800_000): Promise<number> {
    const started = performance.now();
    for (;;) {
      const idle = performance.now() - Math.max(this.#lastDiagnosticsAt, started);
      if (idle >= quietMs) return this.#lastDiagnosticsAt;
      if (performance.now() - started > timeoutMs) throw new Error('the server never settled');
      await new Promise((resolve) => setTimeout(resolve, Math.max(10, quietMs - idle)));
    }
  }

  /**
   * CPU time the server's process has used so far (every thread: the workers
   * parse too), ms: unlike wall time, it barely moves with the machine's other load.
   */
  cpuMs(): number {
    // Fields 14 and 15 of /proc/<pid>/stat, after the parenthesized command name, in clock ticks (100 a second on Linux).
    const stat = fs.readFileSync(`/proc/${this.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  }

  memory(): Memory {
    const status = fs.readFileSync(`/proc/${this.pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rssMb: kb('VmRSS') / 1024, peakRssMb: kb('VmHWM') / 1024 };
  }

  async shutdown(): Promise<void> {
    const exited = new Promise<void>((resolve) => this.#process.once('exit', () => resolve()));
    try {
      await withTimeout(this.connection.sendRequest('shutdown'), 30_000);
      await this.connection.sendNotification('exit');
      await withTimeout(exited, 10_000);
    } catch {
      this.#process.kill('SIGKILL');
    }
    this.connection.dispose();
  }

  #notify(): void {
    for (const wake of this.#waiters.splice(0)) wake();
  }

  async #until<T>(probe: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const found = probe();
      if (found !== undefined) return found;
      const remaining = deadline - performance.now();
      if (remaining <= 0) throw new Error(`timed out waiting for ${what}; server stderr: ${this.stderr.join('').slice(-2000)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(remaining, 1000));
        this.#waiters.push(() => (clearTimeout(timer), resolve()));
      });
    }
  }
}

/** `promise`, or a rejection after `ms`; the timer never keeps the benchmark alive. */
async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}
