/** The live node host (src/live/runtime/node-host.ts) and the master's file registry. */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Actor, ActorContext } from '../../../src/core/actor.js';
import type { Message } from '../../../src/core/messages.js';
import { createFileRegistry, readRegistryFile } from '../../../src/live/runtime/file-registry.js';
import { NodeHost } from '../../../src/live/runtime/node-host.js';

const pong: Message = { type: 'agent.pong', agentId: 'a', epoch: 1 };

describe('NodeHost', () => {
  it('releases what a handler sent only after its commit, and routes unknown nodes to remote', async () => {
    const order: string[] = [];
    const host = new NodeHost({
      emit: () => undefined,
      remote: (from, to) => order.push(`remote ${from}->${to}`),
      afterHandler: (node) => order.push(`commit ${node}`),
    });
    const received: string[] = [];
    host.add('b', () => ({ start: () => undefined, receive: (from: string) => received.push(from), timer: () => undefined }));
    host.add('a', (ctx: ActorContext): Actor => ({
      start: () => {
        ctx.send('elsewhere', pong);
        order.push('sent');
        ctx.send('b', pong);
      },
      receive: () => undefined,
      timer: () => undefined,
    }));
    assert.deepEqual(order, ['commit b', 'sent', 'commit a', 'remote a->elsewhere']);
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(received, ['a']);
    host.close();
  });

  it('fires timers and drops them when the node stops', async () => {
    const host = new NodeHost({ emit: () => undefined });
    const fired: string[] = [];
    host.add('a', (ctx) => ({ start: () => { ctx.setTimer('t', 1); ctx.setTimer('u', 30); }, receive: () => undefined, timer: (key) => fired.push(key) }));
    await new Promise((r) => setTimeout(r, 10));
    host.stop('a');
    await new Promise((r) => setTimeout(r, 40));
    assert.deepEqual(fired, ['t']);
    assert.equal(host.has('a'), false);
  });
});

describe('the file registry', () => {
  it('is durable across a reopen and refuses a file that is not a registry', () => {
    const dir = mkdtempSync(join(tmpdir(), 'faultline-registry-'));
    try {
      const path = join(dir, 'registry.json');
      const first = readRegistryFile(path);
      assert.ok(first.ok);
      const registry = createFileRegistry(path, first.value);
      let done = false;
      registry.write([{ op: 'admit', agentId: 'm-S0', host: 'h:1' }, { op: 'reserve_agent_number', next: 1 }], (outcome) => (done = outcome.ok));
      assert.ok(done);
      const again = readRegistryFile(path);
      assert.ok(again.ok);
      assert.deepEqual(again.value, { agents: [{ agentId: 'm-S0', host: 'h:1', state: 'admitted', sinceMs: null }], nextAgentNumber: 1 });
      assert.ok(JSON.parse(readFileSync(path, 'utf8')));
      writeFileSync(path, '{"agents": 3}');
      const bad = readRegistryFile(path);
      assert.equal(bad.ok, false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
