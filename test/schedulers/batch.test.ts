import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FAST_TIMING, type Timing } from '../../src/core/timing.js';
import { createBatchScheduler } from '../../src/schedulers/batch/batch.js';
import { batchJobOf, type BatchJob } from '../../src/schedulers/batch/job.js';
import { newSchedulerDisk } from '../../src/schedulers/disk.js';
import { MASTER, agentIdOf, launched, notes, offer, sendOffers, sendUpdate, sent, started, statusOf, subscribe } from './helpers.js';
import { pass } from './service-harness.js';
import { res } from '../helpers/resources.js';

function batch(overrides: Partial<BatchJob> = {}, timing: Timing = FAST_TIMING) {
  const job = batchJobOf({ name: 'etl', tasks: 4, resources: res('cpus:1;mem:128'), durationMs: 1_000, maxRetries: 2, ...overrides }, timing);
  const disk = newSchedulerDisk();
  const { ctx, actor } = started((c) => createBatchScheduler(c, { job, timing, leader: { kind: 'static', master: MASTER }, disk }), 'scheduler-etl');
  subscribe(ctx);
  return { ctx, actor, disk, job };
}

/** Launches every pending task on one big offer and returns the new task ids. */
function launchAll(h: ReturnType<typeof batch>): string[] {
  const before = launched(h.ctx).length;
  sendOffers(h.ctx, offer('agent-1', 'cpus:16;mem:4096'));
  return launched(h.ctx).slice(before).map((t) => t.taskId);
}

describe('batch', () => {
  it('runs at most `parallelism` tasks at once and launches the next as one ends', () => {
    const h = batch({ tasks: 6, parallelism: 2 });
    const first = launchAll(h);
    assert.deepEqual(first, ['etl.000001', 'etl.000002'], 'a big offer still launches only two');
    assert.equal(launchAll(h).length, 0, 'nothing more while two run');
    sendUpdate(h.ctx, statusOf(first[0] ?? '', 'TASK_FINISHED', { uuid: 'u1' }));
    assert.deepEqual(launchAll(h), ['etl.000003'], 'one ended, one more launches');
  });

  it('launches its M tasks with the job settings and reports progress', () => {
    const h = batch();
    const ids = launchAll(h);
    assert.deepEqual(ids, ['etl.000001', 'etl.000002', 'etl.000003', 'etl.000004']);
    const task = sent(h.ctx, 'scheduler.accept')[0]?.operations[0]?.tasks[0];
    assert.equal(task?.durationMs, 1_000);
    assert.equal(task?.name, 'etl');
    assert.deepEqual(h.actor.progress(), { total: 4, pending: 0, running: 4, done: 0, failed: 0, complete: false });
    assert.equal(sent(h.ctx, 'scheduler.suppress').length, 1, 'nothing pending: suppressed');
  });

  it('completes when every task finished, notes it, and stays suppressed', () => {
    const h = batch();
    for (const id of launchAll(h)) sendUpdate(h.ctx, statusOf(id, 'TASK_FINISHED', { uuid: `u-${id}` }));
    assert.deepEqual(h.actor.progress(), { total: 4, pending: 0, running: 0, done: 4, failed: 0, complete: true });
    assert.ok(notes(h.ctx).includes('job completed: 4/4 tasks finished'));
    h.ctx.takeSent();
    sendOffers(h.ctx, offer('agent-2'));
    assert.equal(sent(h.ctx, 'scheduler.accept').length, 0);
    assert.equal(sent(h.ctx, 'scheduler.decline').length, 1);
  });

  it('retries a failed task up to maxRetries, then gives up on it', () => {
    const h = batch({ tasks: 1, maxRetries: 2 });
    let ids = launchAll(h);
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      assert.equal(ids.length, 1, `attempt ${attempt} launched`);
      h.ctx.takeSent();
      sendUpdate(h.ctx, statusOf(ids[0] ?? '', 'TASK_FAILED', { uuid: `f${attempt}` }));
      if (attempt <= 2) assert.equal(sent(h.ctx, 'scheduler.revive').length, 1, 'revives to retry');
      ids = launchAll(h);
    }
    assert.equal(ids.length, 0, 'no fourth attempt');
    assert.deepEqual(h.actor.progress(), { total: 1, pending: 0, running: 0, done: 0, failed: 1, complete: true });
    assert.ok(notes(h.ctx).some((n) => n.includes('gave up after 3 attempt(s)')));
    assert.ok(notes(h.ctx).some((n) => n.startsWith('job gave up')));
  });

  it('relaunches an unreachable task once it is inactive (inactiveAfter, 0 ms in the fast profile) and kills the old attempt if it comes back', () => {
    const h = batch({ tasks: 1 });
    const [first] = launchAll(h);
    sendUpdate(h.ctx, statusOf(first ?? '', 'TASK_UNREACHABLE', { reason: 'REASON_AGENT_REMOVED' }));
    pass(h.ctx, 1);
    const [second] = launchAll(h);
    assert.equal(second, 'etl.000002');
    h.ctx.takeSent();
    sendUpdate(h.ctx, statusOf(first ?? '', 'TASK_RUNNING', { reason: 'REASON_AGENT_REREGISTERED' }));
    assert.deepEqual(sent(h.ctx, 'scheduler.kill').map((k) => k.taskId), [first]);
    sendUpdate(h.ctx, statusOf(second ?? '', 'TASK_FINISHED', { uuid: 'ok' }));
    assert.deepEqual(h.actor.progress(), { total: 1, pending: 0, running: 0, done: 1, failed: 0, complete: true });
  });

  it('an unreachable task is not relaunched before inactiveAfter: coming back in time it just goes on', () => {
    const timing = { ...FAST_TIMING, inactiveAfterMs: 10_000 };
    const h = batch({ tasks: 1 }, timing);
    const [first] = launchAll(h);
    sendUpdate(h.ctx, statusOf(first ?? '', 'TASK_RUNNING', { uuid: 'r' }));
    sendUpdate(h.ctx, statusOf(first ?? '', 'TASK_UNREACHABLE', { reason: 'REASON_AGENT_REMOVED', unreachableTimeMs: 0 }));
    pass(h.ctx, 9_000);
    assert.deepEqual(launchAll(h), [], 'it may still run: no copy beside it');
    sendUpdate(h.ctx, statusOf(first ?? '', 'TASK_RUNNING', { reason: 'REASON_AGENT_REREGISTERED' }));
    pass(h.ctx, 5_000);
    assert.deepEqual(launchAll(h), [], 'it came back: still no copy');
    sendUpdate(h.ctx, statusOf(first ?? '', 'TASK_FINISHED', { uuid: 'f' }));
    assert.equal(h.actor.progress().done, 1);
  });

  it('a task stuck in launch is killed, and retried only once the kill is confirmed; the kill is retried at a constant interval meanwhile', () => {
    const h = batch({ tasks: 1, taskLaunchTimeoutMs: 4_000 });
    const [first] = launchAll(h);
    h.ctx.takeSent();
    pass(h.ctx, 4_000);
    assert.deepEqual(sent(h.ctx, 'scheduler.kill').map((k) => k.taskId), [first]);
    assert.equal(h.actor.progress().pending, 0, 'not pending before the kill is confirmed');
    assert.deepEqual(launchAll(h), [], 'no copy while the first may still start');
    h.ctx.takeSent();
    pass(h.ctx, 3 * 5_000);
    assert.equal(sent(h.ctx, 'scheduler.kill').length, 3, 'one retry every five allocation intervals');
    sendUpdate(h.ctx, statusOf(first ?? '', 'TASK_KILLED', { uuid: 'k' }));
    assert.equal(h.actor.progress().pending, 1);
    assert.deepEqual(launchAll(h), ['etl.000002']);
  });

  it('reconciles its attempts with their agent ids after a (re)subscription', () => {
    const h = batch({ tasks: 2 });
    launchAll(h);
    h.ctx.takeSent();
    subscribe(h.ctx); // e.g. after a master failover
    pass(h.ctx, 10_000);
    const explicit = sent(h.ctx, 'scheduler.reconcile').filter((r) => r.tasks.length > 0);
    assert.ok(explicit.length >= 1);
    assert.deepEqual(explicit[0]?.tasks, [
      { taskId: 'etl.000001', agentId: agentIdOf('agent-1') },
      { taskId: 'etl.000002', agentId: agentIdOf('agent-1') },
    ]);
  });

  it('packs several tasks per offer and leaves the rest pending', () => {
    const h = batch({ tasks: 5 });
    sendOffers(h.ctx, offer('agent-1', 'cpus:2;mem:4096'));
    assert.equal(launched(h.ctx).length, 2);
    assert.equal(h.actor.progress().pending, 3);
    assert.equal(sent(h.ctx, 'scheduler.suppress').length, 0);
  });
});
