import * as assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { RAL, StreamMessageReader, StreamMessageWriter, createMessageConnection } from 'vscode-languageserver/node';
import { backgroundTurn, setBackgroundTurnScheduler } from '../../server/src/core/cancellation';
import { createProtocolFirst, type SetImmediate } from '../../server/src/lsp/protocolFirst';

const hostImmediate: SetImmediate = (callback, ...args) => {
  const handle = setImmediate(callback, ...args);
  return { dispose: () => clearImmediate(handle) };
};

describe('messages before background work (the language server’s turns)', () => {
  it('runs a background turn only once no protocol immediate waits, queued before the turn or after it', async () => {
    const order: string[] = [];
    const first = createProtocolFirst(hostImmediate, (callback) => void setImmediate(callback));
    await new Promise<void>((resolve) => {
      first.scheduleTurn(() => {
        order.push('turn');
        resolve();
      });
      first.setImmediate(() => {
        order.push('message');
        // Queued while the turn waits: it goes first too.
        first.setImmediate(() => order.push('answer written'));
      });
    });
    assert.deepEqual(order, ['message', 'answer written', 'turn']);
    assert.equal(first.waiting(), 0);
  });

  it('is not held up by a protocol immediate that was disposed of before it ran', async () => {
    const first = createProtocolFirst(hostImmediate, (callback) => void setImmediate(callback));
    let ran = false;
    first.setImmediate(() => (ran = true)).dispose();
    assert.equal(first.waiting(), 0);
    await new Promise<void>((resolve) => first.scheduleTurn(resolve));
    assert.equal(ran, false);
  });

  it('over vscode-jsonrpc: no background slice runs between a request’s arrival and its answer’s write', async function () {
    this.timeout(20_000);
    const runtime = RAL();
    const first = createProtocolFirst((callback, ...args) => runtime.timer.setImmediate(callback, ...args), (callback) => void setImmediate(callback));
    RAL.install({ ...runtime, timer: { ...runtime.timer, setImmediate: first.setImmediate } });
    const previous = setBackgroundTurnScheduler(first.scheduleTurn);
    const log: string[] = [];
    const toServer = new PassThrough();
    const toClient = new PassThrough();
    // The server's writes, as they happen: a slice logged between a request's arrival and this is one it waited for.
    const write = toClient.write.bind(toClient) as (...args: unknown[]) => boolean;
    (toClient as unknown as { write: (...args: unknown[]) => boolean }).write = (...args) => {
      log.push('written');
      return write(...args);
    };
    toServer.on('data', () => log.push('arrived'));
    const server = createMessageConnection(new StreamMessageReader(toServer), new StreamMessageWriter(toClient));
    server.onRequest('ping', (n: number) => {
      log.push('handler');
      return n;
    });
    server.listen();
    const client = createMessageConnection(new StreamMessageReader(toClient), new StreamMessageWriter(toServer));
    client.listen();
    let running = true;
    // Background work, as indexing keeps the server busy: one slice per turn for as long as the test runs.
    const work = (async () => {
      while (running) {
        await backgroundTurn();
        log.push('slice');
      }
    })();
    try {
      for (let i = 0; i < 40; i++) {
        // Sent at every phase of the background loop: after 0 to 3 slices.
        const slicesBefore = log.filter((entry) => entry === 'slice').length;
        while (log.filter((entry) => entry === 'slice').length < slicesBefore + (i % 4)) await new Promise((resolve) => setImmediate(resolve));
        const from = log.length;
        assert.equal(await client.sendRequest('ping', i), i);
        const exchange = log.slice(from);
        const arrived = exchange.indexOf('arrived');
        const written = exchange.indexOf('written', exchange.indexOf('handler'));
        assert.ok(arrived >= 0 && written > arrived, `request ${i}: ${exchange.join(', ')}`);
        assert.deepEqual(exchange.slice(arrived, written + 1).filter((entry) => entry === 'slice'), [], `request ${i} waited for background slices: ${exchange.join(', ')}`);
      }
      assert.ok(log.filter((entry) => entry === 'slice').length >= 40, 'the background work went on between the requests');
    } finally {
      running = false;
      await work;
      client.dispose();
      server.dispose();
      setBackgroundTurnScheduler(previous);
      RAL.install(runtime);
    }
  });
});
