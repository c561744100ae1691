import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Actor, ActorContext } from '../../src/core/actor.js';
import type { NodeId } from '../../src/core/ids.js';
import type { Message } from '../../src/core/messages.js';
import { SimRuntime } from '../../src/sim/runtime.js';

/**
 * A toy actor: calls `peer` every 100 ms and notes every message and timer it
 * sees. It uses the framework heartbeats (master.heartbeat, answered with
 * scheduler.heartbeat), which travel with latency like any message; agent
 * pings and pongs may be delivered at once (see the heartbeat tests below).
 */
function pinger(ctx: ActorContext, peer: NodeId, log: string[]): Actor {
  let n = 0;
  return {
    start() {
      log.push(`${ctx.self} start @${ctx.now()}`);
      ctx.setTimer('tick', 100);
    },
    receive(from: NodeId, message: Message) {
      log.push(`${ctx.self} got ${message.type} from ${from} @${Math.round(ctx.now())}`);
      if (message.type === 'master.heartbeat') ctx.send(from, { type: 'scheduler.heartbeat', frameworkId: ctx.self });
    },
    timer(key: string) {
      n += 1;
      log.push(`${ctx.self} timer ${key}#${n} @${ctx.now()}`);
      ctx.send(peer, { type: 'master.heartbeat', epoch: 1 });
      if (n < 3) ctx.setTimer('tick', 100);
    },
  };
}

function idle(ctx: ActorContext, log: string[]): Actor {
  return {
    start() {},
    receive(from, message) {
      log.push(`${ctx.self} got ${message.type} from ${from} @${Math.round(ctx.now())}`);
      if (message.type === 'master.heartbeat') ctx.send(from, { type: 'scheduler.heartbeat', frameworkId: ctx.self });
    },
    timer() {},
  };
}

test('messages and timers run in virtual time, and the same seed replays the same log', () => {
  const run = (): string[] => {
    const log: string[] = [];
    const rt = new SimRuntime({ seed: 'replay' });
    rt.addNode('b', 'agent', (ctx) => idle(ctx, log));
    rt.addNode('a', 'master', (ctx) => pinger(ctx, 'b', log));
    rt.runUntil(1000);
    return log;
  };
  const first = run();
  assert.deepEqual(first, run());
  assert.equal(first.filter((l) => l.startsWith('a timer')).length, 3);
  assert.equal(first.filter((l) => l.startsWith('b got master.heartbeat')).length, 3);
  assert.equal(first.filter((l) => l.startsWith('a got scheduler.heartbeat')).length, 3);
});

test('a replaced timer fires once, a cancelled one never', () => {
  const fired: string[] = [];
  const rt = new SimRuntime({ seed: 't' });
  rt.addNode('n', 'agent', (ctx) => ({
    start() {
      ctx.setTimer('x', 100);
      ctx.setTimer('x', 300);
      ctx.setTimer('y', 50);
      ctx.cancelTimer('y');
    },
    receive() {},
    timer(key) {
      fired.push(`${key}@${ctx.now()}`);
    },
  }));
  rt.runUntil(1000);
  assert.deepEqual(fired, ['x@300']);
});

test('a paused node handles nothing until resumed, then everything in order', () => {
  const log: string[] = [];
  const rt = new SimRuntime({ seed: 'p' });
  rt.addNode('b', 'agent', (ctx) => idle(ctx, log));
  rt.addNode('a', 'master', (ctx) => pinger(ctx, 'b', log));
  rt.pause('b');
  rt.runUntil(1000);
  assert.equal(log.filter((l) => l.startsWith('b got')).length, 0);
  rt.resume('b');
  rt.runUntil(1100);
  assert.equal(log.filter((l) => l.startsWith('b got master.heartbeat')).length, 3);
  assert.ok(!rt.history().some((r) => r.type.startsWith('node.')), 'lifecycle events are the cluster layer\'s (src/cluster/lifecycle.ts)');
});

test('a stopped node loses its inbox and timers; a restart starts fresh', () => {
  const log: string[] = [];
  const rt = new SimRuntime({ seed: 's', network: { latencyMinMs: 10, latencyMaxMs: 10 } });
  rt.addNode('b', 'agent', (ctx) => idle(ctx, log));
  rt.addNode('a', 'master', (ctx) => pinger(ctx, 'b', log));
  rt.runUntil(115); // the first ping left at 100 and arrived at 110; its pong is in flight
  rt.stop('a');
  rt.runUntil(1000);
  assert.equal(log.filter((l) => l.startsWith('a timer')).length, 1);
  assert.equal(log.filter((l) => l.startsWith('b got master.heartbeat')).length, 1);
  assert.equal(log.filter((l) => l.startsWith('a got')).length, 0, 'the pong to a dead node is dropped');
  rt.start('a');
  rt.runUntil(2000);
  assert.equal(log.filter((l) => l.startsWith('a start')).length, 2);
  assert.equal(log.filter((l) => l.startsWith('a timer')).length, 4);
});

test('a stopped node\'s messages still in flight die with it; a restarted sender\'s old ones never arrive', () => {
  const log: string[] = [];
  const rt = new SimRuntime({ seed: 'f', network: { latencyMinMs: 10, latencyMaxMs: 10 } });
  rt.addNode('b', 'agent', (ctx) => idle(ctx, log));
  rt.addNode('a', 'master', (ctx) => pinger(ctx, 'b', log));
  rt.runUntil(105); // the first ping left at 100, due at 110
  rt.stop('a');
  rt.runUntil(150);
  assert.deepEqual(log.filter((l) => l.startsWith('b got')), [], 'the ping died with its sender');
  rt.runUntil(200);
  rt.start('a'); // its first ping leaves at 300
  rt.runUntil(305);
  rt.stop('a');
  rt.start('a'); // a process restart at once: the ping of the last incarnation is still in flight
  rt.runUntil(320);
  assert.deepEqual(log.filter((l) => l.startsWith('b got')), []);
  rt.runUntil(500);
  assert.deepEqual(log.filter((l) => l.startsWith('b got')), ['b got master.heartbeat from a @415']);
});

test('messages a clog holds from or to a node that stops are dropped, not released when the clog lifts (fuzz seed 516)', () => {
  const log: string[] = [];
  const rt = new SimRuntime({ seed: 'c', network: { latencyMinMs: 10, latencyMaxMs: 10 } });
  rt.addNode('b', 'agent', (ctx) => idle(ctx, log));
  rt.addNode('a', 'master', (ctx) => pinger(ctx, 'b', log));
  rt.addNode('c', 'master', (ctx) => pinger(ctx, 'b', log));
  rt.network.clog(['b']);
  rt.runUntil(250); // a's and c's first two pings are held
  rt.stop('a');
  rt.resend(rt.network.unclog(['b']));
  rt.runUntil(265);
  assert.deepEqual(log.filter((l) => l.startsWith('b got')), ['b got master.heartbeat from c @260', 'b got master.heartbeat from c @260'], 'only the live sender\'s');
  rt.network.clog(['b']);
  rt.runUntil(310); // c's third ping, sent at 300, is held
  rt.stop('b');
  rt.start('b');
  rt.resend(rt.network.unclog(['b']));
  rt.runUntil(400);
  assert.deepEqual(log.filter((l) => l.includes(' got ') && l.includes('@3')), [], 'the held ping to the stopped b died with it: its restart does not get it');
});

test('partitioned messages are dropped; healed ones flow', () => {
  const log: string[] = [];
  const rt = new SimRuntime({ seed: 'n' });
  rt.addNode('b', 'agent', (ctx) => idle(ctx, log));
  rt.addNode('a', 'master', (ctx) => pinger(ctx, 'b', log));
  rt.network.partition([['a'], ['b']], false);
  rt.runUntil(250);
  assert.equal(log.filter((l) => l.startsWith('b got')).length, 0);
  rt.resend(rt.network.heal());
  rt.runUntil(1000);
  assert.equal(log.filter((l) => l.startsWith('b got')).length, 1);
});

test('history records carry seq and virtual time in order', () => {
  const rt = new SimRuntime({ seed: 'h' });
  const emitter = (ctx: ActorContext): Actor => ({
    start: () => ctx.setTimer('t', 500),
    receive: () => {},
    timer: () => ctx.emit({ type: 'scheduler.note', frameworkId: null, node: ctx.self, app: 'a', note: 'late' }),
  });
  rt.addNode('a', 'agent', emitter);
  rt.emit({ type: 'scheduler.note', frameworkId: null, node: 'a', app: 'a', note: 'early' });
  rt.runUntil(1000);
  const h = rt.history();
  assert.deepEqual(h.map((r) => r.seq), [0, 1]);
  assert.deepEqual(h.map((r) => [r.type, r.atMs]), [['scheduler.note', 0], ['scheduler.note', 500]]);
});

test('many re-armed and cancelled timers (the queue compacts its dead entries): live timers still fire once, at their time, in order', () => {
  const fired: string[] = [];
  const rt = new SimRuntime({ seed: 'compact' });
  rt.addNode('n', 'agent', (ctx) => ({
    start() {
      // 10,000 re-arms of one key leave 9,999 dead entries; 5,000 cancelled keys leave 5,000 more.
      for (let i = 0; i < 10_000; i += 1) ctx.setTimer('rearmed', 1_000 + i);
      for (let i = 0; i < 5_000; i += 1) ctx.setTimer(`cancelled-${i}`, 500);
      for (let i = 0; i < 5_000; i += 1) ctx.cancelTimer(`cancelled-${i}`);
      for (let i = 0; i < 50; i += 1) ctx.setTimer(`live-${i}`, 100 + (i % 5) * 10);
    },
    receive() {},
    timer(key) {
      fired.push(`${key}@${ctx.now()}`);
    },
  }));
  rt.runUntil(20_000);
  const expected = Array.from({ length: 50 }, (_, i) => ({ key: `live-${i}`, at: 100 + (i % 5) * 10, i }))
    .sort((a, b) => a.at - b.at || a.i - b.i)
    .map((e) => `${e.key}@${e.at}`);
  assert.deepEqual(fired, [...expected, 'rearmed@10999']);
});

/** Sends one agent ping (or, with `before`, a framework heartbeat and then the ping) at `atMs`; notes what arrives when. */
function healthCheckPair(rt: SimRuntime, log: string[], options: { atMs: number; before?: boolean }): void {
  rt.addNode('agent', 'agent', (ctx) => idleAgent(ctx, log));
  rt.addNode('master', 'master', (ctx) => ({
    start() {
      ctx.setTimer('round', options.atMs);
    },
    receive(from, message) {
      log.push(`master got ${message.type} @${ctx.now()}`);
    },
    timer() {
      if (options.before) ctx.send('agent', { type: 'master.heartbeat', epoch: 1 });
      ctx.send('agent', { type: 'master.ping', epoch: 1, agentId: 'S0' });
    },
  }));
}

function idleAgent(ctx: ActorContext, log: string[]): Actor {
  return {
    start() {},
    receive(from, message) {
      log.push(`agent got ${message.type} @${ctx.now()}`);
      if (message.type === 'master.ping') ctx.send(from, { type: 'agent.pong', agentId: 'S0', epoch: 1 });
    },
    timer() {},
  };
}

test('heartbeats: on a clear, idle link a ping and its pong are delivered at the instant they are sent', () => {
  const log: string[] = [];
  const rt = new SimRuntime({ seed: 'hb' });
  healthCheckPair(rt, log, { atMs: 100 });
  rt.runUntil(1000);
  assert.deepEqual(log, ['agent got master.ping @100', 'master got agent.pong @100']);
});

test('heartbeats: a ping never overtakes a message still in flight on its link (FIFO)', () => {
  const log: string[] = [];
  const rt = new SimRuntime({ seed: 'hb' });
  healthCheckPair(rt, log, { atMs: 100, before: true });
  rt.runUntil(1000);
  assert.equal(log[0]?.startsWith('agent got master.heartbeat @'), true, log.join('; '));
  assert.equal(log[1]?.startsWith('agent got master.ping @'), true, log.join('; '));
  const pingAtMs = Number(log[1]?.split('@')[1]);
  assert.ok(pingAtMs > 100, `the ping travelled behind the heartbeat (at ${pingAtMs})`);
});

test('heartbeats: under a link fault or a partition pings travel like any message (delayed, dropped)', () => {
  const delayed: string[] = [];
  const slow = new SimRuntime({ seed: 'hb' });
  healthCheckPair(slow, delayed, { atMs: 100 });
  slow.network.link(['master'], ['agent'], true, { delayMs: 200 });
  slow.runUntil(1000);
  const pingAtMs = Number(delayed[0]?.split('@')[1]);
  assert.ok(pingAtMs >= 301, `the ping was delayed: ${delayed.join('; ')}`);
  const pongAtMs = Number(delayed[1]?.split('@')[1]);
  assert.equal(pongAtMs, pingAtMs, 'the pong, on the clear way back, at once');

  const cut: string[] = [];
  const partitioned = new SimRuntime({ seed: 'hb' });
  healthCheckPair(partitioned, cut, { atMs: 100 });
  partitioned.network.partition([['master'], ['agent']], false);
  partitioned.runUntil(1000);
  assert.deepEqual(cut, []);
});

test('heartbeats: a paused agent gets its ping when it resumes, not before', () => {
  const log: string[] = [];
  const rt = new SimRuntime({ seed: 'hb' });
  healthCheckPair(rt, log, { atMs: 100 });
  rt.pause('agent');
  rt.runUntil(500);
  assert.deepEqual(log, []);
  rt.resume('agent');
  assert.deepEqual(log, ['agent got master.ping @500', 'master got agent.pong @500']);
});

test('a timer set again, or cancelled, by its own handler: re-armed it fires again at its new time; cancelled it never does', () => {
  const fired: string[] = [];
  const rt = new SimRuntime({ seed: 't' });
  rt.addNode('n', 'agent', (ctx) => ({
    start() {
      ctx.setTimer('again', 100);
      ctx.setTimer('once', 100);
    },
    receive() {},
    timer(key) {
      fired.push(`${key}@${ctx.now()}`);
      if (key === 'again' && ctx.now() < 300) ctx.setTimer('again', 100);
      if (key === 'once') {
        ctx.setTimer('once', 50);
        ctx.cancelTimer('once');
      }
    },
  }));
  rt.runUntil(1000);
  assert.deepEqual(fired, ['again@100', 'once@100', 'again@200', 'again@300']);
});
