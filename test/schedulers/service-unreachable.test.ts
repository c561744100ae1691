import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { agentIdOf, launched, notes, offer, sendOffers, sendUpdate, sent, statusOf } from './helpers.js';
import { deployed, pass } from './service-harness.js';

const AGENT_1 = agentIdOf('agent-1');

/** The master marks agent-1 unreachable: web.000001 and web.000002 run there. */
function agentOneUnreachable(h: ReturnType<typeof deployed>, state: 'TASK_UNREACHABLE' | 'TASK_LOST' = 'TASK_UNREACHABLE'): void {
  for (const taskId of h.tasks.slice(0, 2)) {
    sendUpdate(h.ctx, statusOf(taskId, state, { reason: 'REASON_AGENT_REMOVED', agentId: AGENT_1, unreachableTimeMs: h.ctx.nowMs }));
  }
}

/** agent-1 reregisters: the master re-sends the latest state. */
function agentOneBack(h: ReturnType<typeof deployed>): void {
  for (const taskId of h.tasks.slice(0, 2)) sendUpdate(h.ctx, statusOf(taskId, 'TASK_RUNNING', { reason: 'REASON_AGENT_REREGISTERED', agentId: AGENT_1 }));
}

/** Replacements come from an offer on agent-3 and run. */
function replace(h: ReturnType<typeof deployed>): string[] {
  sendOffers(h.ctx, offer('agent-3'));
  const ids = launched(h.ctx).map((t) => t.taskId);
  for (const id of ids) sendUpdate(h.ctx, statusOf(id, 'TASK_RUNNING', { uuid: `u-${id}`, agentId: agentIdOf('agent-3') }));
  return ids;
}

describe('service: unreachableStrategy', () => {
  it('inactiveAfter 0: replaces unreachable tasks at once', () => {
    const h = deployed({ unreachableStrategy: { inactiveAfterMs: 0, expungeAfterMs: 60_000 } });
    agentOneUnreachable(h);
    assert.equal(sent(h.ctx, 'scheduler.revive').length, 1);
    assert.deepEqual(h.actor.status(), { name: 'web', instances: 3, running: 1, counted: 1, active: 1, unreachable: 0, inactive: 2, killing: 0 });
    assert.deepEqual(replace(h), ['web.000004', 'web.000005']);
    assert.equal(h.actor.status().running, 3);
    assert.ok(notes(h.ctx).some((n) => n.startsWith('web.000001 inactive')));
  });

  it('inactiveAfter > 0: the replacement starts only after the delay', () => {
    const h = deployed({ unreachableStrategy: { inactiveAfterMs: 5_000, expungeAfterMs: 60_000 } });
    agentOneUnreachable(h);
    assert.equal(sent(h.ctx, 'scheduler.revive').length, 0);
    assert.equal(h.actor.status().unreachable, 2);
    assert.equal(h.actor.status().counted, 3, 'unreachable tasks still count');
    pass(h.ctx, 4_500);
    assert.equal(sent(h.ctx, 'scheduler.revive').length, 0);
    pass(h.ctx, 500);
    assert.equal(sent(h.ctx, 'scheduler.revive').length, 1);
    assert.equal(h.actor.status().inactive, 2);
    assert.equal(replace(h).length, 2);
  });

  it('measures inactiveAfter from the unreachable time the master gives', () => {
    const h = deployed({ unreachableStrategy: { inactiveAfterMs: 5_000, expungeAfterMs: 60_000 } });
    pass(h.ctx, 4_000);
    sendUpdate(h.ctx, statusOf('web.000001', 'TASK_UNREACHABLE', { reason: 'REASON_AGENT_REMOVED', agentId: AGENT_1, unreachableTimeMs: 0 }));
    pass(h.ctx, 1_000);
    assert.equal(sent(h.ctx, 'scheduler.revive').length, 1);
  });

  it('a task that comes back before inactiveAfter just counts again: nothing is killed', () => {
    const h = deployed({ unreachableStrategy: { inactiveAfterMs: 5_000, expungeAfterMs: 60_000 } });
    agentOneUnreachable(h);
    pass(h.ctx, 2_000);
    agentOneBack(h);
    pass(h.ctx, 10_000);
    assert.equal(sent(h.ctx, 'scheduler.revive').length, 0);
    assert.equal(sent(h.ctx, 'scheduler.kill').length, 0);
    assert.equal(h.actor.status().running, 3);
  });

  it('TASK_LOST with REASON_AGENT_REMOVED (non-partition-aware) is handled like TASK_UNREACHABLE', () => {
    const h = deployed({ partitionAware: false, unreachableStrategy: { inactiveAfterMs: 0, expungeAfterMs: 60_000 } });
    agentOneUnreachable(h, 'TASK_LOST');
    assert.equal(h.actor.status().inactive, 2);
    assert.equal(replace(h).length, 2);
    agentOneBack(h);
    assert.deepEqual(sent(h.ctx, 'scheduler.kill').map((k) => k.taskId).sort(), ['web.000004', 'web.000005']);
  });

  it('a reconciliation TASK_LOST does not reset the unreachable clock of a task already away', () => {
    const h = deployed({ partitionAware: false, unreachableStrategy: { inactiveAfterMs: 5_000, expungeAfterMs: 60_000 } });
    agentOneUnreachable(h, 'TASK_LOST');
    pass(h.ctx, 3_000);
    for (const id of h.tasks.slice(0, 2)) sendUpdate(h.ctx, statusOf(id, 'TASK_LOST', { reason: 'REASON_RECONCILIATION', agentId: AGENT_1 }));
    pass(h.ctx, 2_000);
    assert.equal(h.actor.status().inactive, 2);
  });

  it('disabled: unreachable tasks are never replaced nor expunged', () => {
    const h = deployed({ unreachableStrategy: 'disabled' });
    agentOneUnreachable(h);
    pass(h.ctx, 120_000);
    assert.equal(sent(h.ctx, 'scheduler.revive').length, 0);
    assert.equal(h.actor.status().unreachable, 2);
  });
});

describe('service: returning tasks and the surplus', () => {
  it('YoungestFirst: when the originals come back, the replacements are killed', () => {
    const h = deployed({ killSelection: 'YoungestFirst' });
    agentOneUnreachable(h);
    const replacements = replace(h);
    h.ctx.takeSent();
    agentOneBack(h);
    assert.deepEqual(sent(h.ctx, 'scheduler.kill').map((k) => k.taskId).sort(), replacements.sort());
    assert.equal(h.actor.status().counted, 3);
    assert.equal(h.actor.status().killing, 2);
    assert.ok(notes(h.ctx).some((n) => n.includes('came back')));
    assert.ok(notes(h.ctx).some((n) => n.includes('surplus') && n.includes('YoungestFirst')));
    // The kills land: still 3, nothing relaunched.
    for (const id of replacements) sendUpdate(h.ctx, statusOf(id, 'TASK_KILLED', { uuid: `k-${id}` }));
    assert.equal(h.actor.status().running, 3);
    assert.equal(sent(h.ctx, 'scheduler.revive').length, 0);
  });

  it('OldestFirst: when the originals come back, the originals are killed', () => {
    const h = deployed({ killSelection: 'OldestFirst' });
    agentOneUnreachable(h);
    replace(h);
    h.ctx.takeSent();
    agentOneBack(h);
    // The two oldest active tasks: the returning originals.
    assert.deepEqual(sent(h.ctx, 'scheduler.kill').map((k) => k.taskId).sort(), ['web.000001', 'web.000002']);
  });

  it('a returning original whose replacement is still staging kills the replacement', () => {
    const h = deployed();
    agentOneUnreachable(h);
    sendOffers(h.ctx, offer('agent-3'));
    h.ctx.takeSent();
    agentOneBack(h);
    assert.deepEqual(sent(h.ctx, 'scheduler.kill').map((k) => k.taskId).sort(), ['web.000004', 'web.000005']);
  });

  it('expunges a task unreachable for expungeAfterMs; if it comes back it is killed', () => {
    const h = deployed({ unreachableStrategy: { inactiveAfterMs: 0, expungeAfterMs: 10_000 } });
    agentOneUnreachable(h);
    replace(h);
    h.ctx.takeSent();
    pass(h.ctx, 10_000);
    assert.equal(h.actor.tasks().length, 3);
    assert.equal(h.actor.status().inactive, 0);
    assert.ok(notes(h.ctx).some((n) => n.startsWith('expunged web.000001')));
    agentOneBack(h);
    assert.deepEqual(sent(h.ctx, 'scheduler.kill').map((k) => k.taskId).sort(), ['web.000001', 'web.000002']);
    assert.equal(h.actor.status().running, 3);
  });
});

describe('service: deliberate bugs', () => {
  it('without bugs the same scenario replaces the unreachable task (control)', () => {
    const h = deployed();
    agentOneUnreachable(h);
    assert.equal(sent(h.ctx, 'scheduler.revive').length, 1);
  });

  it('ignoreUnreachable: unreachable and lost tasks are never replaced', () => {
    const h = deployed({}, { bugs: { ignoreUnreachable: true } });
    agentOneUnreachable(h);
    sendUpdate(h.ctx, statusOf('web.000003', 'TASK_LOST', { reason: 'REASON_AGENT_RESTARTED', agentId: agentIdOf('agent-2') }));
    pass(h.ctx, 120_000);
    assert.equal(sent(h.ctx, 'scheduler.revive').length, 0);
    assert.equal(h.actor.status().counted, 3);
    sendOffers(h.ctx, offer('agent-3'));
    assert.equal(launched(h.ctx).length, 0);
  });

  it('neverKillSurplus: the returning originals and the replacements all keep running', () => {
    const h = deployed({}, { bugs: { neverKillSurplus: true } });
    agentOneUnreachable(h);
    replace(h);
    h.ctx.takeSent();
    agentOneBack(h);
    pass(h.ctx, 30_000);
    assert.equal(sent(h.ctx, 'scheduler.kill').length, 0);
    assert.equal(h.actor.status().running, 5);
  });
});
