/**
 * A transport-mode lab's delayed link and portal on the host's loopback (no
 * root): the link listens on an address of its own, connects to its target
 * from the `from` node's address (so the target sees the real peer), and
 * closes with the lab; a portal is the target itself.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createConnection, createServer, type Socket } from 'node:net';
import { openNetLab } from '../../../src/live/lab/index.js';

describe('transport lab: delayed links and portals', () => {
  it('a delayed link connects from the from address and is closed with the lab', async () => {
    const peers: string[] = [];
    const accepted = new Set<Socket>();
    const server = createServer((socket) => {
      accepted.add(socket);
      peers.push(socket.remoteAddress ?? '');
      socket.on('error', () => {});
      socket.pipe(socket);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const opened = await openNetLab({ mode: 'transport' });
    assert.ok(opened.ok, "opened.ok");
    const lab = opened.value;
    const client: Socket[] = [];
    try {
      const from = lab.allocateAddress();
      const link = await lab.delayLink({ from, to: { host: '127.0.0.1', port: (server.address() as { port: number }).port }, delayMs: () => 5 });
      assert.ok(link.ok, "link.ok");
      assert.equal(link.value.host, '127.0.0.11', 'an address of its own, after the node it serves');
      const socket = createConnection({ host: link.value.host, port: link.value.port });
      client.push(socket);
      const back = await new Promise<string>((resolve, reject) => {
        socket.once('data', (chunk: Buffer) => resolve(chunk.toString()));
        socket.once('error', reject);
        socket.write('hello');
      });
      assert.equal(back, 'hello');
      assert.deepEqual(peers, [from]);
      const portal = await lab.portal({ host: '127.0.0.1', port: 5050 });
      assert.deepEqual(portal.ok && { host: portal.value.host, port: portal.value.port }, { host: '127.0.0.1', port: 5050 });
      await lab.close();
      await new Promise<void>((resolve) => (socket.destroyed ? resolve() : socket.once('close', () => resolve())));
      const refused = await new Promise<string>((resolve) => {
        const again = createConnection({ host: link.value.host, port: link.value.port });
        client.push(again);
        again.once('connect', () => resolve('connected'));
        again.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
      });
      assert.equal(refused, 'ECONNREFUSED');
    } finally {
      for (const socket of client) socket.destroy();
      await lab.close();
      for (const socket of accepted) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('a link from a bad address is FAULT_INVALID', async () => {
    const opened = await openNetLab({ mode: 'transport' });
    assert.ok(opened.ok, "opened.ok");
    const link = await opened.value.delayLink({ from: 'agent-1', to: { host: '127.0.0.1', port: 1 }, delayMs: () => 0 });
    assert.equal(link.ok, false);
    if (!link.ok) assert.equal(link.error.code, 'FAULT_INVALID');
    await opened.value.close();
  });
});
