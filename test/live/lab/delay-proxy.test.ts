/**
 * The delay proxy on loopback sockets (no root): 3 MiB through a jittered
 * link to an echo server come back intact and in order (with a 64 KiB
 * high-water mark, so the sources are paused and resumed on the way); cutOff closes live
 * connections, closes new ones at once, and forwards again when lifted;
 * close tears down every connection.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import { startDelayProxy, type DelayProxy } from '../../../src/live/lab/index.js';

function echoServer(): Promise<{ server: Server; port: number; sockets: Set<Socket> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    socket.pipe(socket);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as { port: number }).port, sockets })));
}

function connect(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: '127.0.0.1', port }, () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Sends `payload` and collects `payload.length` bytes back. */
function roundTrip(socket: Socket, payload: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      received += chunk.length;
      if (received >= payload.length) resolve(Buffer.concat(chunks));
    });
    socket.once('error', reject);
    socket.once('close', () => reject(new Error(`closed after ${received} of ${payload.length} bytes`)));
    socket.write(payload);
  });
}

/** Resolves when the socket is closed (by the other end or an error). */
function closed(socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    if (socket.destroyed) resolve();
    socket.once('close', () => resolve());
    socket.on('error', () => {});
  });
}

describe('delay proxy', () => {
  let echo: Awaited<ReturnType<typeof echoServer>> | null = null;
  let proxy: DelayProxy | null = null;
  const clients: Socket[] = [];

  before(async () => {
    echo = await echoServer();
    const started = await startDelayProxy({ listen: { host: '127.0.0.1', port: 0 }, target: { host: '127.0.0.1', port: echo.port }, delayMs: () => Math.random() * 5, highWaterBytes: 64 * 1024 });
    assert.ok(started.ok);
    proxy = started.value;
  });

  after(async () => {
    for (const client of clients) client.destroy();
    await proxy?.close();
    for (const socket of echo?.sockets ?? []) socket.destroy();
    await new Promise((resolve) => (echo === null ? resolve(undefined) : echo.server.close(resolve)));
  });

  it('delivers 3 MiB through a jittered link intact and in order', async () => {
    assert.ok(proxy !== null);
    const client = await connect(proxy.port);
    clients.push(client);
    const payload = randomBytes(3 * 1024 * 1024);
    const back = await roundTrip(client, payload);
    assert.equal(back.length, payload.length);
    assert.ok(back.equals(payload), 'the same bytes in the same order');
  });

  it('cutOff closes live connections and new ones; lifting it forwards again', async () => {
    assert.ok(proxy !== null);
    const live = await connect(proxy.port);
    clients.push(live);
    assert.equal((await roundTrip(live, Buffer.from('ping'))).toString(), 'ping');
    proxy.cutOff(true);
    await closed(live);
    assert.equal(proxy.connectionCount(), 0);
    const refused = createConnection({ host: '127.0.0.1', port: proxy.port });
    clients.push(refused);
    refused.on('data', () => assert.fail('nothing is forwarded while cut off'));
    refused.write('hello?');
    await closed(refused);
    proxy.cutOff(false);
    const again = await connect(proxy.port);
    clients.push(again);
    assert.equal((await roundTrip(again, Buffer.from('pong'))).toString(), 'pong');
  });

  it('setDelay changes the delay; close tears down every connection', async () => {
    const upstream = await echoServer();
    const started = await startDelayProxy({ listen: { host: '127.0.0.1', port: 0 }, target: { host: '127.0.0.1', port: upstream.port }, delayMs: () => 0 });
    assert.ok(started.ok);
    const own = started.value;
    const sockets: Socket[] = [];
    try {
      own.setDelay(() => 1);
      sockets.push(await connect(own.port), await connect(own.port));
      for (const socket of sockets) assert.equal((await roundTrip(socket, Buffer.from('x'))).toString(), 'x');
      assert.equal(own.connectionCount(), 2);
      await own.close();
      await Promise.all(sockets.map(closed));
      assert.equal(own.connectionCount(), 0);
      await own.close();
    } finally {
      for (const socket of sockets) socket.destroy();
      await own.close();
      for (const socket of upstream.sockets) socket.destroy();
      await new Promise((resolve) => upstream.server.close(resolve));
    }
  });

  it('a port in use is IO', async () => {
    assert.ok(proxy !== null);
    const clash = await startDelayProxy({ listen: { host: '127.0.0.1', port: proxy.port }, target: { host: '127.0.0.1', port: 1 }, delayMs: () => 0 });
    assert.equal(clash.ok, false);
    if (!clash.ok) assert.equal(clash.error.code, 'IO');
  });
});
