import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FAST_TIMING } from '../../src/core/timing.js';
import { UNNEEDED_OFFER_REFUSE_MS, taskLaunchTimeoutMsOf } from '../../src/schedulers/defaults.js';
import { createServiceScheduler } from '../../src/schedulers/service/service.js';
import { FRAMEWORK, MASTER, agentIdOf, launched, notes, offer, runAll, sendOffers, sendUpdate, sent, started, statusOf, subscribe } from './helpers.js';
import { deployed, pass, service } from './service-harness.js';

describe('service: launching', () => {
  it('subscribes with its app as the framework (name, role, partition-aware, failover)', () => {
    const h = service({ role: 'web-role', partitionAware: false, failoverTimeoutMs: 42_000 });
    const info = h.ctx.sentOfType('scheduler.subscribe')[0]?.message.framework;
    assert.equal(info?.name, 'web');
    assert.deepEqual(info?.roles, ['web-role']);
    assert.equal(info?.capabilities.partitionAware, false);
    assert.equal(info?.failoverTimeoutMs, 42_000);
  });

  it('launches N tasks across offers, several per offer, and declines the rest', () => {
    const h = service();
    h.ctx.takeSent();
    const a = offer('agent-1', 'cpus:2;mem:1024');
    const b = offer('agent-2', 'cpus:0.5;mem:1024'); // too small for one task
    const c = offer('agent-3', 'cpus:4;mem:1024');
    const d = offer('agent-4', 'cpus:4;mem:1024'); // not needed any more
    sendOffers(h.ctx, a, b, c, d);
    const accepts = sent(h.ctx, 'scheduler.accept');
    assert.deepEqual(
      accepts.map((m) => [m.offerIds, m.operations.flatMap((op) => op.tasks.map((t) => t.taskId))]),
      [
        [[a.offerId], ['web.000001', 'web.000002']],
        [[c.offerId], ['web.000003']],
      ],
    );
    const task = accepts[0]?.operations[0]?.tasks[0];
    assert.equal(task?.name, 'web');
    assert.equal(task?.agentId, a.agentId);
    assert.equal(task?.resources.cpus, 1);
    assert.equal(task?.command, 'sleep infinity');
    // The leftover of a full app's last accept is refused for long; the rest are declined.
    assert.equal(accepts[1]?.refuseMs, UNNEEDED_OFFER_REFUSE_MS);
    const declines = sent(h.ctx, 'scheduler.decline');
    assert.deepEqual(declines.map((m) => m.offerIds).flat().sort(), [b.offerId, d.offerId].sort());
    assert.ok(declines.every((m) => m.frameworkId === FRAMEWORK));
    assert.equal(h.actor.status().counted, 3);
    assert.equal(h.actor.status().running, 0);
  });

  it('an offer that fits nothing while tasks are still needed is refused only for the default time', () => {
    const h = service();
    h.ctx.takeSent();
    const small = offer('agent-1', 'cpus:0.5;mem:64');
    sendOffers(h.ctx, small);
    assert.deepEqual(sent(h.ctx, 'scheduler.decline'), [{ type: 'scheduler.decline', frameworkId: FRAMEWORK, offerIds: [small.offerId], refuseMs: FAST_TIMING.defaultRefuseMs }]);
  });

  it('suppresses once it needs nothing and notes when all instances run', () => {
    const h = service();
    assert.equal(sent(h.ctx, 'scheduler.revive').length, 1, 'revives on subscribe: it needs 3');
    sendOffers(h.ctx, offer('agent-1'));
    assert.equal(sent(h.ctx, 'scheduler.suppress').length, 1);
    runAll(h.ctx);
    assert.ok(notes(h.ctx).includes('3/3 running'));
  });

  it('declines offers that arrive after it is satisfied, for long', () => {
    const h = deployed();
    const late = offer('agent-3');
    sendOffers(h.ctx, late);
    assert.deepEqual(sent(h.ctx, 'scheduler.decline')[0]?.refuseMs, UNNEEDED_OFFER_REFUSE_MS);
    assert.equal(sent(h.ctx, 'scheduler.accept').length, 0);
  });

  it('task ids come from the counter on disk and never repeat', () => {
    const h = deployed();
    assert.deepEqual(h.tasks, ['web.000001', 'web.000002', 'web.000003']);
    assert.equal(h.disk.taskCounter, 3);
  });
});

describe('service: replacing tasks', () => {
  for (const state of ['TASK_FAILED', 'TASK_FINISHED', 'TASK_ERROR', 'TASK_DROPPED', 'TASK_GONE', 'TASK_GONE_BY_OPERATOR', 'TASK_UNKNOWN'] as const) {
    it(`replaces a task that ends ${state}: REVIVE, then a launch on the next offer`, () => {
      const h = deployed();
      sendUpdate(h.ctx, statusOf(h.tasks[0] ?? '', state, { uuid: 'u9' }));
      assert.equal(sent(h.ctx, 'scheduler.revive').length, 1);
      assert.equal(h.actor.status().counted, 2);
      sendOffers(h.ctx, offer('agent-3'));
      assert.deepEqual(launched(h.ctx).map((t) => t.taskId), ['web.000004']);
      assert.ok(notes(h.ctx).some((n) => n.includes('launched web.000004') && n.includes(`replacing ${h.tasks[0]}`)));
      assert.equal(sent(h.ctx, 'scheduler.suppress').length, 1);
    });
  }

  it('replaces a task KILLED by someone else', () => {
    const h = deployed();
    sendUpdate(h.ctx, statusOf('web.000002', 'TASK_KILLED', { uuid: 'u9' }));
    assert.equal(sent(h.ctx, 'scheduler.revive').length, 1);
    assert.equal(h.actor.status().counted, 2);
  });

  it('does not replace a task it killed itself (scale down)', () => {
    const h = deployed();
    const scaled = h.actor.setInstances(2);
    assert.deepEqual(scaled, { ok: true, value: 2 });
    const kills = sent(h.ctx, 'scheduler.kill');
    assert.deepEqual(kills.map((k) => k.taskId), ['web.000003'], 'YoungestFirst');
    sendUpdate(h.ctx, statusOf('web.000003', 'TASK_KILLED', { uuid: 'u9', agentId: agentIdOf('agent-2') }));
    assert.equal(sent(h.ctx, 'scheduler.revive').length, 0);
    assert.equal(h.actor.status().counted, 2);
    assert.equal(h.actor.tasks().length, 2);
  });

  it('replaces a LOST task whose reason says it will not come back', () => {
    const h = deployed();
    sendUpdate(h.ctx, statusOf('web.000001', 'TASK_LOST', { reason: 'REASON_AGENT_RESTARTED' }));
    assert.equal(sent(h.ctx, 'scheduler.revive').length, 1);
    assert.equal(h.actor.tasks().some((t) => t.taskId === 'web.000001'), false);
  });

  it('scales up: revives and launches the new instances', () => {
    const h = deployed();
    h.actor.setInstances(5);
    assert.equal(sent(h.ctx, 'scheduler.revive').length, 1);
    sendOffers(h.ctx, offer('agent-3'));
    assert.equal(launched(h.ctx).length, 2);
    assert.ok(notes(h.ctx).includes('scaled from 3 to 5 instances'));
  });

  it('rejects a bad instance count with an error naming the field', () => {
    const h = deployed();
    const r = h.actor.setInstances(-1);
    assert.equal(r.ok, false);
    assert.equal(r.ok ? '' : r.error.where, 'web.instances');
    assert.equal(h.actor.status().instances, 3);
  });

  it('kills a task it does not know (stale or expunged) when it shows up running', () => {
    const h = deployed();
    sendUpdate(h.ctx, statusOf('web.000099', 'TASK_RUNNING', { reason: 'REASON_AGENT_REREGISTERED' }));
    assert.deepEqual(sent(h.ctx, 'scheduler.kill').map((k) => k.taskId), ['web.000099']);
    assert.equal(h.actor.status().counted, 3);
  });
});

describe('service: launch timeout', () => {
  it('kills a task stuck in STAGING past taskLaunchTimeoutMs and launches its replacement only once the kill is confirmed', () => {
    const timeout = taskLaunchTimeoutMsOf(FAST_TIMING);
    const h = service({ instances: 1 });
    sendOffers(h.ctx, offer('agent-1'));
    h.ctx.takeSent();
    pass(h.ctx, timeout - 500);
    assert.equal(sent(h.ctx, 'scheduler.kill').length, 0);
    pass(h.ctx, 500);
    assert.deepEqual(sent(h.ctx, 'scheduler.kill').map((k) => k.taskId), ['web.000001']);
    assert.ok(notes(h.ctx).some((n) => n.includes('killing web.000001') && n.includes('taskLaunchTimeout')));
    // Its agent may be cut off from us and start it yet: no replacement beside it.
    sendOffers(h.ctx, offer('agent-2'));
    assert.deepEqual(launched(h.ctx), []);
    h.ctx.takeSent();
    sendUpdate(h.ctx, statusOf('web.000001', 'TASK_KILLED', { uuid: 'k1' }));
    assert.equal(sent(h.ctx, 'scheduler.revive').length, 1, 'the kill is confirmed: now it asks for offers');
    sendOffers(h.ctx, offer('agent-2'));
    assert.deepEqual(launched(h.ctx).map((t) => t.taskId), ['web.000002']);
  });

  it('an overdue task whose agent is cut off counts as unreachable: replaced after inactiveAfter, never beside a running copy', () => {
    const timing = { ...FAST_TIMING, inactiveAfterMs: 10_000 };
    const h = service({ instances: 1 }, { timing });
    sendOffers(h.ctx, offer('agent-1'));
    pass(h.ctx, taskLaunchTimeoutMsOf(timing));
    assert.equal(sent(h.ctx, 'scheduler.kill').length, 1);
    sendUpdate(h.ctx, statusOf('web.000001', 'TASK_UNREACHABLE', { reason: 'REASON_AGENT_REMOVED', unreachableTimeMs: h.ctx.nowMs }));
    h.ctx.takeSent();
    pass(h.ctx, 9_000);
    sendOffers(h.ctx, offer('agent-2'));
    assert.deepEqual(launched(h.ctx), [], 'not yet inactive');
    pass(h.ctx, 1_000);
    sendOffers(h.ctx, offer('agent-2'));
    assert.deepEqual(launched(h.ctx).map((t) => t.taskId), ['web.000002'], 'inactive: replaced');
  });

  it('a task that reaches RUNNING in time is left alone', () => {
    const h = service({ instances: 1 });
    sendOffers(h.ctx, offer('agent-1'));
    runAll(h.ctx);
    h.ctx.takeSent();
    pass(h.ctx, taskLaunchTimeoutMsOf(FAST_TIMING) * 2);
    assert.equal(sent(h.ctx, 'scheduler.kill').length, 0);
  });

  it('retries a kill that is never confirmed at a constant interval (Marathon --kill_retry_timeout)', () => {
    const h = deployed();
    h.actor.setInstances(2);
    h.ctx.takeSent();
    for (let retry = 1; retry <= 4; retry += 1) {
      pass(h.ctx, 4_999);
      assert.equal(sent(h.ctx, 'scheduler.kill').length, 0, `retry ${retry} not before five allocation intervals`);
      pass(h.ctx, 1);
      assert.deepEqual(sent(h.ctx, 'scheduler.kill').map((k) => k.taskId), ['web.000003'], `retry ${retry} after five allocation intervals`);
      h.ctx.takeSent();
    }
  });
});

describe('service: kills across a resubscription', () => {
  it('sends an unconfirmed kill again at once when it subscribes again, with a fresh backoff', () => {
    const h = deployed();
    h.actor.setInstances(2);
    for (let retries = 0; retries < 4; retries += 1) pass(h.ctx, 60_000); // many retries, all lost
    h.ctx.takeSent();
    subscribe(h.ctx, { epoch: 2 }); // a new leader: the kills sent so far may all have been dropped
    assert.deepEqual(sent(h.ctx, 'scheduler.kill').map((k) => k.taskId), ['web.000003']);
    h.ctx.takeSent();
    pass(h.ctx, 5_000);
    assert.deepEqual(sent(h.ctx, 'scheduler.kill').map((k) => k.taskId), ['web.000003'], 'then retried after the first interval again');
  });
});

describe('service: restart', () => {
  it('a restarted scheduler keeps its records, resubscribes with its id and reconciles them', () => {
    const h = deployed();
    // The process dies; the runtime keeps the disk and builds a new actor over it.
    const again = started((c) => createServiceScheduler(c, { app: h.app, timing: FAST_TIMING, leader: { kind: 'static', master: MASTER }, disk: h.disk }));
    assert.equal(again.ctx.sentOfType('scheduler.subscribe')[0]?.message.framework.frameworkId, FRAMEWORK);
    subscribe(again.ctx);
    assert.deepEqual(
      sent(again.ctx, 'scheduler.reconcile')[0]?.tasks.map((t) => t.taskId),
      ['web.000001', 'web.000002', 'web.000003'],
    );
    assert.equal(sent(again.ctx, 'scheduler.revive').length, 0, 'it already has its 3');
    assert.equal(sent(again.ctx, 'scheduler.suppress').length, 1);
    assert.equal(again.actor.status().running, 3);
    // A later launch continues the counter.
    sendUpdate(again.ctx, statusOf('web.000002', 'TASK_FAILED', { uuid: 'x' }));
    sendOffers(again.ctx, offer('agent-5'));
    assert.deepEqual(launched(again.ctx).map((t) => t.taskId), ['web.000004']);
  });

  it('forgets its tasks when the master gives it a new framework id', () => {
    const h = deployed();
    h.ctx.advance(3_000); // no heartbeat: resubscribe
    subscribe(h.ctx, { frameworkId: 'M2-0000' });
    assert.equal(h.actor.status().counted, 0);
    assert.ok(sent(h.ctx, 'scheduler.revive').length >= 1);
  });
});

describe('service: agent lost (FAILURE)', () => {
  it('MasterTest.UnreachableTaskAfterFailover: asks the master about its tasks on a lost agent at once (a master that timed the agent out after a failover sends no update for them)', () => {
    const h = deployed();
    h.ctx.takeSent();
    h.ctx.deliver(MASTER, { type: 'master.failure', epoch: 1, agentId: agentIdOf('agent-1') });
    const asked = sent(h.ctx, 'scheduler.reconcile');
    assert.deepEqual(asked.map((r) => r.tasks.map((t) => [t.taskId, t.agentId])), [
      [
        ['web.000001', agentIdOf('agent-1')],
        ['web.000002', agentIdOf('agent-1')],
      ],
    ]);
  });
});
