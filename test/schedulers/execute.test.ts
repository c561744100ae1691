import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TaskStatus } from '../../src/core/messages.js';
import { FAST_TIMING } from '../../src/core/timing.js';
import { newSchedulerDisk } from '../../src/schedulers/disk.js';
import { createExecuteScheduler, executeCommandOf } from '../../src/schedulers/execute/execute.js';
import { MASTER, launched, notes, offer, sendOffers, sendUpdate, sent, started, statusOf, subscribe } from './helpers.js';
import { res } from '../helpers/resources.js';

function execute(partitionAware = true) {
  const seen: TaskStatus[] = [];
  const command = executeCommandOf({ name: 'hello', command: 'echo hi', resources: res('cpus:1;mem:128'), partitionAware }, FAST_TIMING);
  const disk = newSchedulerDisk();
  const { ctx, actor } = started(
    (c) => createExecuteScheduler(c, { command, timing: FAST_TIMING, leader: { kind: 'static', master: MASTER }, disk, onUpdate: (s) => seen.push(s) }),
    'scheduler-hello',
  );
  subscribe(ctx);
  return { ctx, actor, seen, disk };
}

describe('execute', () => {
  it('launches once on the first offer that fits and declines the others', () => {
    const h = execute();
    const small = offer('agent-1', 'cpus:0.5;mem:64');
    const fit = offer('agent-2');
    const extra = offer('agent-3');
    sendOffers(h.ctx, small, fit, extra);
    assert.deepEqual(launched(h.ctx), [{ taskId: 'hello.000001', agentId: fit.agentId, offerId: fit.offerId }]);
    assert.equal(sent(h.ctx, 'scheduler.accept')[0]?.operations[0]?.tasks[0]?.command, 'echo hi');
    assert.deepEqual(sent(h.ctx, 'scheduler.decline').flatMap((d) => d.offerIds).sort(), [small.offerId, extra.offerId].sort());
    assert.equal(sent(h.ctx, 'scheduler.suppress').length, 1);
    assert.equal(h.actor.result().phase, 'launched');
    sendOffers(h.ctx, offer('agent-4'));
    assert.equal(launched(h.ctx).length, 1, 'never a second launch');
  });

  it('reports every update, and on a terminal state acknowledges, tears down and stops', () => {
    const h = execute();
    sendOffers(h.ctx, offer('agent-1'));
    for (const [state, uuid] of [['TASK_STARTING', 'a'], ['TASK_RUNNING', 'b'], ['TASK_FINISHED', 'c']] as const) {
      sendUpdate(h.ctx, statusOf('hello.000001', state, { uuid }));
    }
    assert.deepEqual(h.seen.map((s) => s.state), ['TASK_STARTING', 'TASK_RUNNING', 'TASK_FINISHED']);
    assert.ok(notes(h.ctx).some((n) => n.startsWith('hello.000001 TASK_RUNNING')));
    assert.equal(sent(h.ctx, 'scheduler.acknowledge').length, 3);
    assert.equal(sent(h.ctx, 'scheduler.teardown').length, 0, 'teardown comes after the ack');
    h.ctx.advance(0);
    const kinds = h.ctx.takeSent().map((s) => s.message.type);
    assert.equal(kinds.at(-1), 'scheduler.teardown');
    assert.deepEqual(h.actor.result(), { kind: 'execute', name: 'hello', phase: 'done', taskId: 'hello.000001', launchedAtMs: 0, lastState: 'TASK_FINISHED', finalState: 'TASK_FINISHED' });
    // Stopped: no heartbeats, no resubscribe.
    h.ctx.advance(60_000);
    assert.deepEqual(h.ctx.takeSent(), []);
  });

  it('TASK_LOST ends it (mesos-execute counts LOST as terminal); TASK_UNREACHABLE does not', () => {
    const pa = execute(true);
    sendOffers(pa.ctx, offer('agent-1'));
    sendUpdate(pa.ctx, statusOf('hello.000001', 'TASK_UNREACHABLE', { reason: 'REASON_AGENT_REMOVED' }));
    assert.equal(pa.actor.result().phase, 'launched');

    const legacy = execute(false);
    sendOffers(legacy.ctx, offer('agent-1'));
    sendUpdate(legacy.ctx, statusOf('hello.000001', 'TASK_LOST', { reason: 'REASON_AGENT_REMOVED' }));
    assert.equal(legacy.actor.result().finalState, 'TASK_LOST');
    legacy.ctx.advance(0);
    assert.equal(sent(legacy.ctx, 'scheduler.teardown').length, 1);
  });

  it('a restarted execute that already finished does nothing', () => {
    const h = execute();
    sendOffers(h.ctx, offer('agent-1'));
    sendUpdate(h.ctx, statusOf('hello.000001', 'TASK_FAILED', { uuid: 'x' }));
    h.ctx.advance(0);
    const command = executeCommandOf({ name: 'hello', command: 'echo hi' }, FAST_TIMING);
    const again = started((c) => createExecuteScheduler(c, { command, timing: FAST_TIMING, leader: { kind: 'static', master: MASTER }, disk: h.disk }), 'scheduler-hello');
    assert.deepEqual(again.ctx.takeSent(), []);
    assert.equal(again.actor.result().finalState, 'TASK_FAILED');
  });
});
