import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FAST_TIMING, MESOS_TIMING } from '../../src/core/timing.js';
import { DEFAULT_FAILOVER_TIMEOUT_MS, MARATHON_TASK_LAUNCH_TIMEOUT_MS, taskLaunchTimeoutMsOf } from '../../src/schedulers/defaults.js';
import {
  asBatchActor,
  asExecuteActor,
  asServiceActor,
  batchJobOf,
  executeCommandOf,
  frameworkNodesOf,
  serviceAppOf,
  type WorkloadSpec,
} from '../../src/schedulers/workload.js';
import { FakeContext } from '../helpers/fake-context.js';
import { MASTER, launched, offer, runAll, sendOffers, sendUpdate, sent, statusOf, subscribe } from './helpers.js';

const workload: WorkloadSpec = {
  services: [serviceAppOf({ name: 'web', instances: 2 }, FAST_TIMING), serviceAppOf({ name: 'legacy', instances: 1, partitionAware: false }, FAST_TIMING)],
  batch: [batchJobOf({ name: 'etl', tasks: 3 }, FAST_TIMING)],
  execute: [executeCommandOf({ name: 'hello', command: 'echo hi' }, FAST_TIMING)],
};

describe('serviceAppOf: defaults', () => {
  it('fills Marathon-like defaults from the timing profile', () => {
    const app = serviceAppOf({ name: 'web', instances: 3 }, MESOS_TIMING);
    assert.equal(app.role, '*');
    assert.equal(app.partitionAware, true);
    assert.equal(app.failoverTimeoutMs, DEFAULT_FAILOVER_TIMEOUT_MS);
    assert.deepEqual(app.unreachableStrategy, { inactiveAfterMs: 300_000, expungeAfterMs: 600_000 });
    assert.equal(app.killSelection, 'YoungestFirst');
    assert.equal(app.taskLaunchTimeoutMs, MARATHON_TASK_LAUNCH_TIMEOUT_MS);
    assert.equal(app.resources.cpus, 1);
    assert.equal(app.resources.mem, 128);
  });

  it('the fast profile gives a shorter launch timeout and inactiveAfter 0', () => {
    const app = serviceAppOf({ name: 'web', instances: 3 }, FAST_TIMING);
    assert.deepEqual(app.unreachableStrategy, { inactiveAfterMs: 0, expungeAfterMs: FAST_TIMING.expungeAfterMs });
    assert.equal(app.taskLaunchTimeoutMs, taskLaunchTimeoutMsOf(FAST_TIMING));
    assert.ok(app.taskLaunchTimeoutMs < MARATHON_TASK_LAUNCH_TIMEOUT_MS);
  });
});

describe('frameworkNodesOf', () => {
  it('gives one scheduler node per app, job and command', () => {
    const nodes = frameworkNodesOf(workload, { timing: FAST_TIMING, leader: { kind: 'static', master: MASTER } });
    assert.deepEqual(
      nodes.map((n) => [n.node, n.name, n.kind]),
      [
        ['scheduler-web', 'web', 'service'],
        ['scheduler-legacy', 'legacy', 'service'],
        ['scheduler-etl', 'etl', 'batch'],
        ['scheduler-hello', 'hello', 'execute'],
      ],
    );
  });

  it('builds actors that subscribe as their own framework, each with its partition awareness', () => {
    const nodes = frameworkNodesOf(workload, { timing: FAST_TIMING, leader: { kind: 'static', master: MASTER } });
    const subscribed = nodes.map((n) => {
      const ctx = new FakeContext(n.node);
      const actor = n.build(ctx, n.newDisk());
      ctx.actor = actor;
      actor.start();
      const info = ctx.sentOfType('scheduler.subscribe')[0]?.message.framework;
      return [info?.name, info?.capabilities.partitionAware];
    });
    assert.deepEqual(subscribed, [
      ['web', true],
      ['legacy', false],
      ['etl', true],
      ['hello', true],
    ]);
  });

  it('a rebuilt actor over the kept disk resubscribes with its framework id', () => {
    const [web] = frameworkNodesOf(workload, { timing: FAST_TIMING, leader: { kind: 'static', master: MASTER } });
    assert.ok(web);
    const disk = web.newDisk();
    const first = new FakeContext(web.node);
    first.actor = web.build(first, disk);
    first.actor.start();
    subscribe(first, { frameworkId: 'M1-0003' });
    const second = new FakeContext(web.node);
    second.actor = web.build(second, disk);
    second.actor.start();
    assert.equal(second.sentOfType('scheduler.subscribe')[0]?.message.framework.frameworkId, 'M1-0003');
    // A fresh disk is fresh.
    const third = new FakeContext(web.node);
    third.actor = web.build(third, web.newDisk());
    third.actor.start();
    assert.equal(third.sentOfType('scheduler.subscribe')[0]?.message.framework.frameworkId, undefined);
  });

  it('refuses a disk that is not a scheduler disk (a wiring bug)', () => {
    const [web] = frameworkNodesOf(workload, { timing: FAST_TIMING, leader: { kind: 'static', master: MASTER } });
    assert.throws(() => web?.build(new FakeContext('x'), { nope: true }), /scheduler disk/);
  });

  it('passes deliberate bugs to the named service only', () => {
    const nodes = frameworkNodesOf(workload, { timing: FAST_TIMING, leader: { kind: 'static', master: MASTER }, bugs: { web: { ignoreUnreachable: true } } });
    const revivesAfterUnreachable = (index: number): number => {
      const node = nodes[index];
      assert.ok(node);
      const ctx = new FakeContext(node.node);
      ctx.actor = node.build(ctx, node.newDisk());
      ctx.actor.start();
      subscribe(ctx);
      sendOffers(ctx, offer('agent-1', 'cpus:8;mem:8192'));
      runAll(ctx);
      const [first] = launched(ctx);
      ctx.takeSent();
      sendUpdate(ctx, statusOf(first?.taskId ?? '', 'TASK_UNREACHABLE', { reason: 'REASON_AGENT_REMOVED' }));
      return sent(ctx, 'scheduler.revive').length;
    };
    assert.equal(revivesAfterUnreachable(0), 0, 'web has the bug: never replaces');
    assert.equal(revivesAfterUnreachable(1), 1, 'legacy does not');
  });

  it('the actors can be narrowed back from unknown (for the CLI and the TUI wiring)', () => {
    const nodes = frameworkNodesOf(workload, { timing: FAST_TIMING, leader: { kind: 'static', master: MASTER } });
    const actors: unknown[] = nodes.map((n) => n.build(new FakeContext(n.node), n.newDisk()));
    assert.deepEqual(
      actors.map((a) => [asServiceActor(a)?.kind ?? null, asBatchActor(a)?.kind ?? null, asExecuteActor(a)?.kind ?? null]),
      [
        ['service', null, null],
        ['service', null, null],
        [null, 'batch', null],
        [null, null, 'execute'],
      ],
    );
    assert.equal(asServiceActor({ kind: 'service' }), null);
  });

  it('reports execute updates through onExecuteUpdate', () => {
    const seen: string[] = [];
    const nodes = frameworkNodesOf(workload, { timing: FAST_TIMING, leader: { kind: 'static', master: MASTER }, onExecuteUpdate: (name, s) => seen.push(`${name} ${s.state}`) });
    const hello = nodes.find((n) => n.kind === 'execute');
    assert.ok(hello);
    const ctx = new FakeContext(hello.node);
    ctx.actor = hello.build(ctx, hello.newDisk());
    ctx.actor.start();
    subscribe(ctx);
    sendOffers(ctx, offer('agent-1'));
    sendUpdate(ctx, statusOf('hello.000001', 'TASK_RUNNING', { uuid: 'u' }));
    assert.deepEqual(seen, ['hello TASK_RUNNING']);
  });
});
