import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LeaderSource } from '../../src/core/detector.js';
import type { Offer, ReconcileTask, TaskStatus } from '../../src/core/messages.js';
import { FAST_TIMING } from '../../src/core/timing.js';
import { newSchedulerDisk, type SchedulerDisk } from '../../src/schedulers/disk.js';
import { createDriver, type SchedulerDriver } from '../../src/schedulers/driver.js';
import { FakeContext } from '../helpers/fake-context.js';
import { FRAMEWORK, MASTER, notes, sendUpdate, sent, statusOf, subscribe } from './helpers.js';

/** A driver under a recording handler. */
function harness(options: { disk?: SchedulerDisk; leader?: LeaderSource; known?: ReconcileTask[] } = {}) {
  const ctx = new FakeContext('scheduler-web');
  const disk = options.disk ?? newSchedulerDisk();
  const log: string[] = [];
  const updates: TaskStatus[] = [];
  const offers: Offer[] = [];
  let known = options.known ?? [];
  const driver: SchedulerDriver = createDriver({
    ctx,
    framework: { name: 'web', roles: ['*'], partitionAware: true, failoverTimeoutMs: 60_000 },
    timing: FAST_TIMING,
    leader: options.leader ?? { kind: 'static', master: MASTER },
    disk,
    handler: {
      subscribed: (e) => log.push(`subscribed ${e.frameworkId} changed=${e.changed}`),
      offers: (o) => offers.push(...o),
      rescinded: (id) => log.push(`rescinded ${id}`),
      update: (s) => {
        updates.push(s);
        // Record how many acks were already out when the handler ran: must be none for this update.
        log.push(`update ${s.taskId} acksBefore=${ctx.sentOfType('scheduler.acknowledge').length}`);
      },
      failure: (a) => log.push(`failure ${a}`),
      error: (m) => log.push(`error ${m}`),
      reconcileTasks: () => known,
    },
  });
  ctx.actor = { start: () => driver.start(), receive: (from, m) => void driver.receive(from, m), timer: (k) => void driver.timer(k) };
  return { ctx, driver, disk, log, updates, offers, setKnown: (k: ReconcileTask[]) => (known = k) };
}

describe('scheduler driver: subscription', () => {
  it('subscribes to the static leader with the framework info and no id at first', () => {
    const { ctx, driver } = harness();
    driver.start();
    const subs = ctx.sentOfType('scheduler.subscribe');
    assert.equal(subs.length, 1);
    assert.equal(subs[0]?.to, MASTER);
    const info = subs[0]?.message.framework;
    assert.equal(info?.frameworkId, undefined);
    assert.equal(info?.name, 'web');
    assert.deepEqual(info?.roles, ['*']);
    assert.equal(info?.capabilities.partitionAware, true);
    assert.equal(info?.failoverTimeoutMs, 60_000);
    assert.equal(driver.phase(), 'subscribing');
  });

  it('keeps the minted framework id on disk and heartbeats every interval', () => {
    const { ctx, driver, disk, log } = harness();
    driver.start();
    subscribe(ctx);
    assert.equal(disk.frameworkId, FRAMEWORK);
    assert.equal(driver.phase(), 'subscribed');
    assert.deepEqual(log, [`subscribed ${FRAMEWORK} changed=false`]);
    ctx.takeSent();
    // The master heartbeats too, so nobody resubscribes.
    for (let i = 0; i < 5; i += 1) {
      ctx.advance(1_000);
      ctx.deliver(MASTER, { type: 'master.heartbeat', epoch: 1 });
    }
    assert.equal(sent(ctx, 'scheduler.heartbeat').length, 5);
    assert.ok(sent(ctx, 'scheduler.heartbeat').every((m) => m.frameworkId === FRAMEWORK));
    assert.equal(sent(ctx, 'scheduler.subscribe').length, 0);
  });

  it('resubscribes with the same framework id after 3 silent heartbeat intervals', () => {
    const { ctx, driver } = harness();
    driver.start();
    subscribe(ctx);
    ctx.takeSent();
    ctx.advance(2_999);
    assert.equal(sent(ctx, 'scheduler.subscribe').length, 0);
    ctx.advance(1);
    const subs = sent(ctx, 'scheduler.subscribe');
    assert.equal(subs.length, 1);
    assert.equal(subs[0]?.framework.frameworkId, FRAMEWORK);
    assert.equal(driver.phase(), 'subscribing');
    assert.ok(notes(ctx).some((n) => n.includes('resubscribing')));
    // No heartbeats while not subscribed.
    ctx.takeSent();
    ctx.advance(900);
    assert.equal(sent(ctx, 'scheduler.heartbeat').length, 0);
  });

  it('retries an unanswered SUBSCRIBE with doubling backoff', () => {
    const { ctx, driver } = harness();
    driver.start();
    const times: number[] = [];
    for (let t = 0; t < 16_000; t += 100) {
      const before = ctx.sentOfType('scheduler.subscribe').length;
      ctx.advance(100);
      if (ctx.sentOfType('scheduler.subscribe').length > before) times.push(ctx.nowMs);
    }
    // Waits of 1, 2, 4 s, then capped at 5 heartbeat intervals (5 s in the fast profile).
    assert.deepEqual(times, [1_000, 3_000, 7_000, 12_000]);
  });

  it('a subscribe after a restart carries the framework id from disk', () => {
    const disk = newSchedulerDisk();
    disk.frameworkId = 'M1-0007';
    const { ctx, driver, log } = harness({ disk });
    driver.start();
    assert.equal(sent(ctx, 'scheduler.subscribe')[0]?.framework.frameworkId, 'M1-0007');
    subscribe(ctx, { frameworkId: 'M1-0007' });
    assert.deepEqual(log, ['subscribed M1-0007 changed=false']);
  });

  it('reports a changed framework id (the old framework is gone)', () => {
    const disk = newSchedulerDisk();
    disk.frameworkId = 'M1-0007';
    const { ctx, driver, log } = harness({ disk });
    driver.start();
    subscribe(ctx, { frameworkId: 'M2-0000' });
    assert.deepEqual(log, ['subscribed M2-0000 changed=true']);
  });

  it('treats master.error as fatal: forgets the id and subscribes anew', () => {
    const disk = newSchedulerDisk();
    disk.frameworkId = 'M1-0007';
    const { ctx, driver, log } = harness({ disk });
    driver.start();
    ctx.deliver(MASTER, { type: 'master.error', epoch: 1, message: 'Framework has been removed' });
    assert.equal(disk.frameworkId, null);
    assert.deepEqual(log, ['error Framework has been removed']);
    ctx.takeSent();
    ctx.advance(5_000);
    const subs = sent(ctx, 'scheduler.subscribe');
    assert.ok(subs.length >= 1);
    assert.equal(subs[0]?.framework.frameworkId, undefined);
  });

  it('follows a redirect to the leader a standby names', () => {
    const { ctx, driver } = harness({ leader: { kind: 'static', master: 'master-2' } });
    driver.start();
    ctx.takeSent();
    ctx.deliver('master-2', { type: 'master.redirect', epoch: 1, leader: 'master-3' });
    const subs = ctx.sentOfType('scheduler.subscribe');
    assert.equal(subs.length, 1);
    assert.equal(subs[0]?.to, 'master-3');
  });

  it('with a coordinator: watches, subscribes to the named leader, and moves when it changes', () => {
    const { ctx, driver } = harness({ leader: { kind: 'coordinator', coordinator: 'coordinator' } });
    driver.start();
    assert.deepEqual(ctx.takeSent(), [{ to: 'coordinator', message: { type: 'coordinator.watch_leader' } }]);
    ctx.deliver('coordinator', { type: 'coordinator.leader', leader: 'master-2', epoch: 2 });
    assert.equal(ctx.sentOfType('scheduler.subscribe')[0]?.to, 'master-2');
    subscribe(ctx, { from: 'master-2', epoch: 2 });
    ctx.takeSent();
    ctx.deliver('coordinator', { type: 'coordinator.leader', leader: 'master-3', epoch: 3 });
    const subs = ctx.sentOfType('scheduler.subscribe');
    assert.equal(subs.length, 1);
    assert.equal(subs[0]?.to, 'master-3');
    assert.equal(subs[0]?.message.framework.frameworkId, FRAMEWORK);
  });
});

describe('scheduler driver: a lost first answer from the coordinator', () => {
  it('asks the coordinator again on the subscribe backoff until a leader is named', () => {
    const { ctx, driver } = harness({ leader: { kind: 'coordinator', coordinator: 'coordinator' } });
    driver.start();
    assert.deepEqual(ctx.takeSent(), [{ to: 'coordinator', message: { type: 'coordinator.watch_leader' } }]);
    // The answer is lost (a partition at start): nothing comes back.
    ctx.advance(60_000);
    const asks = ctx.takeSent().filter((s) => s.message.type === 'coordinator.watch_leader');
    assert.ok(asks.length >= 2, `asked again (${asks.length} times in a minute)`);
    ctx.deliver('coordinator', { type: 'coordinator.leader', leader: 'master-2', epoch: 2 });
    assert.equal(ctx.sentOfType('scheduler.subscribe')[0]?.to, 'master-2');
  });
});

describe('scheduler driver: no leader during an election', () => {
  it('told there is no leader, it asks the coordinator again on the subscribe backoff: the notice of the next leader may be lost (fuzz seed 2079)', () => {
    const { ctx, driver } = harness({ leader: { kind: 'coordinator', coordinator: 'coordinator' } });
    driver.start();
    ctx.deliver('coordinator', { type: 'coordinator.leader', leader: 'master-2', epoch: 2 });
    subscribe(ctx, { from: 'master-2', epoch: 2 });
    ctx.takeSent();
    ctx.deliver('coordinator', { type: 'coordinator.leader', leader: null, epoch: 2 });
    // The watch's notice of master-3 is lost on a lossy link: nothing comes.
    ctx.advance(60_000);
    const asks = ctx.takeSent().filter((s) => s.message.type === 'coordinator.watch_leader');
    assert.ok(asks.length >= 2, `asked again (${asks.length} times in a minute)`);
    ctx.deliver('coordinator', { type: 'coordinator.leader', leader: 'master-3', epoch: 3 });
    assert.equal(ctx.sentOfType('scheduler.subscribe')[0]?.to, 'master-3');
  });
});

describe('scheduler driver: status updates', () => {
  it('acknowledges only updates with a uuid, after the scheduler handled them', () => {
    const { ctx, driver, log } = harness();
    driver.start();
    subscribe(ctx);
    ctx.takeSent();
    sendUpdate(ctx, statusOf('web.000001', 'TASK_RUNNING', { uuid: 'u1' }));
    sendUpdate(ctx, statusOf('web.000002', 'TASK_UNREACHABLE', { reason: 'REASON_AGENT_REMOVED' }));
    const acks = ctx.sentOfType('scheduler.acknowledge');
    assert.equal(acks.length, 1);
    assert.equal(acks[0]?.to, MASTER);
    assert.deepEqual(acks[0]?.message, { type: 'scheduler.acknowledge', frameworkId: FRAMEWORK, agentId: 'M1-S-agent-1', taskId: 'web.000001', uuid: 'u1' });
    assert.ok(log.includes('update web.000001 acksBefore=0'), log.join('\n'));
    const delivered = ctx.eventsOfType('status.delivered');
    assert.deepEqual(
      delivered.map((e) => [e.taskId, e.state, e.uuid]),
      [
        ['web.000001', 'TASK_RUNNING', 'u1'],
        ['web.000002', 'TASK_UNREACHABLE', null],
      ],
    );
    assert.deepEqual(
      ctx.eventsOfType('status.acknowledged').map((e) => e.uuid),
      ['u1'],
    );
  });

  it('ignores messages from an older master epoch', () => {
    const { ctx, driver, updates } = harness();
    driver.start();
    subscribe(ctx, { epoch: 2 });
    sendUpdate(ctx, statusOf('web.000001', 'TASK_KILLED', { uuid: 'u1' }), 1);
    assert.equal(updates.length, 0);
    assert.equal(ctx.eventsOfType('status.delivered').length, 0);
    assert.equal(ctx.sentOfType('scheduler.acknowledge').length, 0);
    sendUpdate(ctx, statusOf('web.000001', 'TASK_KILLED', { uuid: 'u2' }), 2);
    assert.equal(updates.length, 1);
  });

  it('passes offers and rescinds to the scheduler', () => {
    const { ctx, driver, offers, log } = harness();
    driver.start();
    subscribe(ctx);
    const o: Offer = { offerId: 'M1-O1', frameworkId: FRAMEWORK, agentId: 'M1-S1', host: 'agent-1', role: '*', resources: { cpus: 1, mem: 1, disk: 0, gpus: 0, ports: [] }, attributes: {} };
    ctx.deliver(MASTER, { type: 'master.offers', epoch: 1, offers: [o] });
    ctx.deliver(MASTER, { type: 'master.rescind', epoch: 1, offerId: 'M1-O1' });
    assert.deepEqual(offers, [o]);
    assert.ok(log.includes('rescinded M1-O1'));
  });

  it('after stop() nothing more is sent or handled', () => {
    const { ctx, driver, updates } = harness();
    driver.start();
    subscribe(ctx);
    driver.stop();
    ctx.takeSent();
    sendUpdate(ctx, statusOf('web.000001', 'TASK_RUNNING', { uuid: 'u1' }));
    ctx.advance(60_000);
    assert.equal(updates.length, 0);
    assert.deepEqual(ctx.takeSent(), []);
    assert.equal(driver.phase(), 'stopped');
  });
});

describe('scheduler driver: reconciliation', () => {
  it('reconciles known tasks explicitly, with backoff, until each is answered; implicitly at the start (tasks it does not know) and once they are answered', () => {
    const { ctx, driver } = harness({ known: [{ taskId: 'web.000001', agentId: 'M1-S1' }, { taskId: 'web.000002' }] });
    driver.start();
    subscribe(ctx);
    let rec = sent(ctx, 'scheduler.reconcile');
    assert.equal(rec.length, 2);
    assert.deepEqual(rec[0]?.tasks, [{ taskId: 'web.000001', agentId: 'M1-S1' }, { taskId: 'web.000002' }]);
    assert.deepEqual(rec[1]?.tasks, [], 'an implicit one at once: it reveals tasks the scheduler does not know (fuzz seed 984)');
    ctx.takeSent();
    // One answer: the other is asked again after the first backoff (one heartbeat: 1 s).
    sendUpdate(ctx, statusOf('web.000001', 'TASK_RUNNING', { reason: 'REASON_RECONCILIATION' }));
    ctx.advance(1_000);
    rec = sent(ctx, 'scheduler.reconcile');
    assert.deepEqual(rec.map((r) => r.tasks), [[{ taskId: 'web.000002' }]]);
    ctx.takeSent();
    // The backoff doubles: nothing at +1 s, again at +2 s (the master keeps heartbeating).
    ctx.deliver(MASTER, { type: 'master.heartbeat', epoch: 1 });
    ctx.advance(1_000);
    assert.equal(sent(ctx, 'scheduler.reconcile').length, 0);
    ctx.deliver(MASTER, { type: 'master.heartbeat', epoch: 1 });
    ctx.advance(1_000);
    assert.equal(sent(ctx, 'scheduler.reconcile').length, 1);
    ctx.takeSent();
    // The last answer: an implicit reconciliation follows at once.
    sendUpdate(ctx, statusOf('web.000002', 'TASK_LOST', { reason: 'REASON_RECONCILIATION' }));
    rec = sent(ctx, 'scheduler.reconcile');
    assert.deepEqual(rec.map((r) => r.tasks), [[]]);
  });

  it('with nothing known reconciles implicitly at once and every reconcileIntervalMs', () => {
    const { ctx, driver } = harness();
    driver.start();
    subscribe(ctx);
    assert.deepEqual(sent(ctx, 'scheduler.reconcile').map((r) => r.tasks), [[]]);
    ctx.takeSent();
    // Keep the subscription alive while the interval passes.
    for (let t = 0; t < FAST_TIMING.reconcileIntervalMs; t += 1_000) {
      ctx.deliver(MASTER, { type: 'master.heartbeat', epoch: 1 });
      ctx.advance(1_000);
    }
    assert.deepEqual(sent(ctx, 'scheduler.reconcile').map((r) => r.tasks), [[]]);
  });

  it('starts a fresh explicit round after a resubscribe', () => {
    const h = harness({ known: [{ taskId: 'web.000001' }] });
    h.driver.start();
    subscribe(h.ctx);
    sendUpdate(h.ctx, statusOf('web.000001', 'TASK_RUNNING', { reason: 'REASON_RECONCILIATION' }));
    h.ctx.takeSent();
    h.setKnown([{ taskId: 'web.000001' }, { taskId: 'web.000003' }]);
    h.ctx.advance(3_000); // watchdog: resubscribe
    subscribe(h.ctx);
    const rec = sent(h.ctx, 'scheduler.reconcile');
    assert.deepEqual(rec.map((r) => r.tasks.map((t) => t.taskId)), [['web.000001', 'web.000003'], []]);
  });
});
