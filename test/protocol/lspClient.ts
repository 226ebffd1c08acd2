import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { createMessageConnection, ResponseError, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import type { Diagnostic } from 'vscode-languageserver-types';

interface PublishDiagnosticsParams {
  readonly uri: string;
  readonly diagnostics: Diagnostic[];
}

/** What `vaultlink/status` says (server/src/lsp/protocol.ts `IndexStatus`). */
export interface ServerStatus {
  readonly state: string;
  readonly notes: number;
  readonly attachments: number;
  readonly milliseconds?: number;
}

/** The requests a server sends that a client must answer. */
export const CLIENT_REQUESTS = ['workspace/configuration', 'client/registerCapability', 'window/workDoneProgress/create'] as const;
export type ClientRequest = (typeof CLIENT_REQUESTS)[number];

/**
 * How the client answers one of `CLIENT_REQUESTS`: `null` as a client with
 * nothing to say does (`workspace/configuration` gets one `null` per item),
 * a JSON-RPC error, or never (the request stays pending for good).
 */
export type ClientAnswer = 'null' | 'error' | 'never';

export interface LspTestClientOptions {
  /** Arguments after the server script; `['--stdio']` unless given. */
  readonly args?: string[];
  /** Added to this process's environment for the server (e.g. `VAULTLINK_CACHE: 'off'`). */
  readonly env?: Record<string, string>;
  /** One way to answer all of `CLIENT_REQUESTS`, or one per method; `'null'` for any not named. */
  readonly answers?: ClientAnswer | Partial<Record<ClientRequest, ClientAnswer>>;
}

/** The built server; `VAULTLINK_TEST_SERVER` points the protocol tests at another build (e.g. of another commit). */
export const SERVER_MAIN = process.env.VAULTLINK_TEST_SERVER ? path.resolve(process.env.VAULTLINK_TEST_SERVER) : path.resolve(__dirname, '../../dist/server/main.js');

/**
 * Drives the built server over stdio exactly as an editor would: the same
 * process, transport and messages Neovim or Helix use.
 */
export class LspTestClient {
  readonly connection: MessageConnection;
  readonly #process: ChildProcess;
  readonly #diagnostics = new Map<string, Diagnostic[]>();
  readonly #waiters: Array<{ uri: string; test: (d: Diagnostic[]) => boolean; resolve: (d: Diagnostic[]) => void }> = [];
  readonly #publishes = new Map<string, Diagnostic[][]>();
  readonly #statusWaiters: Array<() => void> = [];
  readonly stderr: string[] = [];
  /** Every `vaultlink/status` the server sent, in order. */
  readonly statuses: ServerStatus[] = [];
  /** Every `window/logMessage` the server sent, in order. */
  readonly logs: Array<{ type: number; message: string }> = [];
  /** Every request the server sent this client, in order (answered or not). */
  readonly serverRequests: Array<{ method: string; params: unknown }> = [];
  #ready: Promise<unknown>;

  /** `new LspTestClient()` and `new LspTestClient(['--stdio'])` work as before. */
  constructor(argsOrOptions: string[] | LspTestClientOptions = ['--stdio']) {
    const options: LspTestClientOptions = Array.isArray(argsOrOptions) ? { args: argsOrOptions } : argsOrOptions;
    const env = options.env ? { ...process.env, ...options.env } : process.env;
    this.#process = spawn(process.execPath, [SERVER_MAIN, ...(options.args ?? ['--stdio'])], { stdio: ['pipe', 'pipe', 'pipe'], env });
    this.#process.stderr!.on('data', (chunk: Buffer) => this.stderr.push(chunk.toString()));
    this.connection = createMessageConnection(new StreamMessageReader(this.#process.stdout!), new StreamMessageWriter(this.#process.stdin!));
    // One handler per method: a second registration would replace the first.
    this.#ready = new Promise((resolve) =>
      this.connection.onNotification('vaultlink/status', (status: ServerStatus) => {
        this.statuses.push(status);
        if (status.state === 'ready') resolve(status);
        for (const wake of this.#statusWaiters.splice(0)) wake();
      }),
    );
    this.connection.onNotification('window/logMessage', (params: { type: number; message: string }) => this.logs.push(params));
    this.connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => {
      this.#diagnostics.set(params.uri, params.diagnostics);
      this.#publishes.set(params.uri, [...(this.#publishes.get(params.uri) ?? []), params.diagnostics]);
      for (const waiter of [...this.#waiters]) {
        if (waiter.uri === params.uri && waiter.test(params.diagnostics)) {
          this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
          waiter.resolve(params.diagnostics);
        }
      }
    });
    // Answer the requests a client must answer; by default this one has no configuration to give.
    const answerOf = (method: ClientRequest): ClientAnswer => (typeof options.answers === 'string' ? options.answers : (options.answers?.[method] ?? 'null'));
    for (const method of CLIENT_REQUESTS) {
      this.connection.onRequest(method, (params: unknown) => {
        this.serverRequests.push({ method, params });
        const answer = answerOf(method);
        if (answer === 'never') return new Promise<never>(() => undefined);
        if (answer === 'error') return new ResponseError(-32601, `test client: ${method} is not supported`);
        return method === 'workspace/configuration' ? (params as { items: unknown[] }).items.map(() => null) : null;
      });
    }
    this.connection.listen();
  }

  get pid(): number | undefined {
    return this.#process.pid;
  }

  async initialize(rootUri: string, capabilities: Record<string, unknown> = {}): Promise<{ capabilities: Record<string, unknown> }> {
    const result = await this.connection.sendRequest<{ capabilities: Record<string, unknown> }>('initialize', {
      processId: process.pid,
      rootUri,
      workspaceFolders: [{ uri: rootUri, name: 'vault' }],
      capabilities: {
        workspace: { didChangeWatchedFiles: { dynamicRegistration: true }, configuration: true, workspaceFolders: true },
        textDocument: { definition: { linkSupport: true }, publishDiagnostics: {} },
        window: { workDoneProgress: true },
        ...capabilities,
      },
    });
    await this.connection.sendNotification('initialized', {});
    return result;
  }

  /**
   * Sends `initialize` with exactly these params (the capabilities are not merged
   * with anything; `processId` is this process unless given), then `initialized`,
   * as a real editor does. Does not wait for indexing.
   */
  async initializeWith(params: { capabilities: Record<string, unknown>; [key: string]: unknown }): Promise<{ capabilities: Record<string, unknown> }> {
    const result = await this.connection.sendRequest<{ capabilities: Record<string, unknown> }>('initialize', { processId: process.pid, ...params });
    await this.connection.sendNotification('initialized', {});
    return result;
  }

  whenIndexed(): Promise<unknown> {
    return this.#ready;
  }

  /**
   * Resolves with the first `vaultlink/status` (sent so far or later) that passes
   * `test`; rejects after `timeoutMs` saying what the server did send.
   */
  status(test: (status: ServerStatus) => boolean, timeoutMs: number): Promise<ServerStatus> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const found = this.statuses.find(test);
        if (found) resolve(found);
        return !!found;
      };
      if (check()) return;
      const wake = () => {
        if (check()) clearTimeout(timer);
        else this.#statusWaiters.push(wake);
      };
      const timer = setTimeout(() => {
        const waiting = this.#statusWaiters.indexOf(wake);
        if (waiting >= 0) this.#statusWaiters.splice(waiting, 1);
        reject(new Error(`no matching vaultlink/status within ${timeoutMs} ms; statuses: ${JSON.stringify(this.statuses)}; server asked: ${this.serverRequests.map((r) => r.method).join(', ') || 'nothing'}; log: ${this.logs.map((l) => l.message).join(' | ')}; stderr: ${this.stderr.join('')}`));
      }, timeoutMs);
      this.#statusWaiters.push(wake);
    });
  }

  /** Every `textDocument/publishDiagnostics` for `uri` so far, oldest first. */
  publishes(uri: string): readonly Diagnostic[][] {
    return this.#publishes.get(uri) ?? [];
  }

  open(uri: string, text: string, version = 1): void {
    void this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'markdown', version, text } });
  }

  change(uri: string, text: string, version: number): void {
    void this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
  }

  /** Resolves with the next diagnostics published for `uri` that pass `test`. */
  diagnostics(uri: string, test: (diagnostics: Diagnostic[]) => boolean = () => true, timeoutMs = 10000): Promise<Diagnostic[]> {
    const current = this.#diagnostics.get(uri);
    if (current && test(current)) return Promise.resolve(current);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching diagnostics for ${uri} within ${timeoutMs} ms; stderr: ${this.stderr.join('')}`)), timeoutMs);
      this.#waiters.push({ uri, test, resolve: (d) => (clearTimeout(timer), resolve(d)) });
    });
  }

  /** Sends a request at once: nothing here waits for indexing or for `vaultlink/status`. */
  request<R>(method: string, params: unknown): Promise<R> {
    return this.connection.sendRequest<R>(method, params);
  }

  async shutdown(): Promise<number | null> {
    const exited = new Promise<number | null>((resolve) => this.#process.once('exit', (code) => resolve(code)));
    try {
      await this.connection.sendRequest('shutdown');
      await this.connection.sendNotification('exit');
    } catch {
      this.#process.kill();
    }
    const code = await Promise.race([exited, new Promise<null>((resolve) => setTimeout(() => (this.#process.kill('SIGKILL'), resolve(null)), 5000))]);
    this.connection.dispose();
    return code;
  }
}
