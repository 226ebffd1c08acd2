import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import type { Diagnostic } from 'vscode-languageserver-types';

interface PublishDiagnosticsParams {
  readonly uri: string;
  readonly diagnostics: Diagnostic[];
}

export const SERVER_MAIN = path.resolve(__dirname, '../../dist/server/main.js');

/**
 * Drives the built server over stdio exactly as an editor would: the same
 * process, transport and messages Neovim or Helix use.
 */
export class LspTestClient {
  readonly connection: MessageConnection;
  readonly #process: ChildProcess;
  readonly #diagnostics = new Map<string, Diagnostic[]>();
  readonly #waiters: Array<{ uri: string; test: (d: Diagnostic[]) => boolean; resolve: (d: Diagnostic[]) => void }> = [];
  readonly stderr: string[] = [];
  #ready: Promise<unknown>;

  constructor(args: string[] = ['--stdio']) {
    this.#process = spawn(process.execPath, [SERVER_MAIN, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.#process.stderr!.on('data', (chunk: Buffer) => this.stderr.push(chunk.toString()));
    this.connection = createMessageConnection(new StreamMessageReader(this.#process.stdout!), new StreamMessageWriter(this.#process.stdin!));
    this.#ready = new Promise((resolve) => this.connection.onNotification('vaultlink/status', (status: { state: string }) => status.state === 'ready' && resolve(status)));
    this.connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => {
      this.#diagnostics.set(params.uri, params.diagnostics);
      for (const waiter of [...this.#waiters]) {
        if (waiter.uri === params.uri && waiter.test(params.diagnostics)) {
          this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
          waiter.resolve(params.diagnostics);
        }
      }
    });
    // Answer the requests a client must answer; this one has no configuration to give.
    this.connection.onRequest('client/registerCapability', () => null);
    this.connection.onRequest('window/workDoneProgress/create', () => null);
    this.connection.onRequest('workspace/configuration', (params: { items: unknown[] }) => params.items.map(() => null));
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

  whenIndexed(): Promise<unknown> {
    return this.#ready;
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
