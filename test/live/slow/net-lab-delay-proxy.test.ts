/**
 * The lab's delay proxy on loopback (needs no root): bytes arrive intact and
 * in order through it, and with a 200 ms delay a round trip (a request one
 * way, its echo back: two delayed chunks) takes at least 200 ms. A lower
 * bound only: a slow machine may take longer, never less.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { startDelayProxy, type DelayProxy } from '../../../src/live/lab/index.js';

const DELAY_MS = 200;

describe('delay proxy: a slow link', () => {
  let server: Server | null = null;
  const serverSockets = new Set<Socket>();
  let proxy: DelayProxy | null = null;
  let client: Socket | null = null;

  before(async () => {
    const echo = createServer((socket) => {
      serverSockets.add(socket);
      socket.on('close', () => serverSockets.delete(socket));
      socket.on('error', () => {});
      socket.pipe(socket);
    });
    server = echo;
    await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', () => resolve()));
    const port = (echo.address() as { port: number }).port;
    const started = await startDelayProxy({ listen: { host: '127.0.0.1', port: 0 }, target: { host: '127.0.0.1', port }, delayMs: () => 0 });
    assert.ok(started.ok);
    proxy = started.value;
    const viaProxy = proxy;
    client = await new Promise<Socket>((resolve, reject) => {
      const socket = createConnection({ host: '127.0.0.1', port: viaProxy.port }, () => resolve(socket));
      socket.once('error', reject);
    });
  });

  after(async () => {
    client?.destroy();
    await proxy?.close();
    for (const socket of serverSockets) socket.destroy();
    await new Promise((resolve) => (server === null ? resolve(undefined) : server.close(resolve)));
  });

  /** Writes `messages` one by one and resolves with all the bytes once as many came back. */
  function echoOf(messages: readonly Buffer[]): Promise<Buffer> {
    const socket = client as Socket;
    const expected = messages.reduce((n, m) => n + m.length, 0);
    return new Promise((resolve) => {
      const chunks: Buffer[] = [];
      let received = 0;
      const onData = (chunk: Buffer): void => {
        chunks.push(chunk);
        received += chunk.length;
        if (received >= expected) {
          socket.off('data', onData);
          resolve(Buffer.concat(chunks));
        }
      };
      socket.on('data', onData);
      for (const message of messages) socket.write(message);
    });
  }

  it('bytes arrive intact and in order, under jitter', async () => {
    assert.ok(proxy !== null);
    proxy.setDelay(() => Math.random() * 40);
    const messages = Array.from({ length: 200 }, (_, i) => Buffer.from(`message ${i};`));
    const back = await echoOf(messages);
    assert.equal(back.toString(), Buffer.concat(messages).toString());
  });

  it(`a ${DELAY_MS} ms delay makes a round trip take at least ${DELAY_MS} ms`, async () => {
    assert.ok(proxy !== null);
    proxy.setDelay(() => DELAY_MS);
    const started = performance.now();
    const back = await echoOf([Buffer.from('ping')]);
    const tookMs = performance.now() - started;
    assert.equal(back.toString(), 'ping');
    assert.ok(tookMs >= DELAY_MS, `a round trip took ${tookMs.toFixed(1)} ms, under the ${DELAY_MS} ms delay`);
  });
});
