/**
 * The check of the failover tests (test/helpers/acked-updates.ts) catches
 * what a lost acknowledged update looks like from a framework: a task
 * acknowledged RUNNING that the new leader does not know, does not answer
 * for, or holds in an older state; a task acknowledged ended that runs again.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { latestAcked, lostUpdates, type AckedUpdate } from '../helpers/acked-updates.js';

const ack = (taskId: string, state: string): AckedUpdate => ({ taskId, agentId: 'a1', state });
const none = new Set<string>();

it('agrees when the new leader answers every acknowledged state', () => {
  const acked = [ack('t1', 'TASK_STARTING'), ack('t1', 'TASK_RUNNING'), ack('t2', 'TASK_RUNNING'), ack('t2', 'TASK_KILLED')];
  assert.deepEqual(lostUpdates(acked, new Map([['t1', 'TASK_RUNNING'], ['t2', 'TASK_GONE']]), none), []);
  // A terminal task the leader forgot needs no answer.
  assert.deepEqual(lostUpdates(acked, new Map([['t1', 'TASK_RUNNING']]), none), []);
});

it('flags a task acknowledged RUNNING that the new leader does not know, holds older, or does not answer for', () => {
  const acked = [ack('t1', 'TASK_RUNNING'), ack('t2', 'TASK_RUNNING'), ack('t3', 'TASK_RUNNING')];
  const lost = lostUpdates(acked, new Map([['t1', 'TASK_UNKNOWN'], ['t2', 'TASK_STAGING']]), none);
  assert.deepEqual(
    lost.map((l) => [l.taskId, l.answered]),
    [['t1', 'TASK_UNKNOWN'], ['t2', 'TASK_STAGING'], ['t3', null]],
  );
  assert.match(lost[0]?.problem ?? '', /does not know/);
});

it('flags a task acknowledged terminal that is live again', () => {
  const lost = lostUpdates([ack('t1', 'TASK_RUNNING'), ack('t1', 'TASK_FINISHED')], new Map([['t1', 'TASK_RUNNING']]), none);
  assert.equal(lost.length, 1);
  assert.match(lost[0]?.problem ?? '', /live again/);
});

it('explains a kill the framework sent: KILLED after an acknowledged RUNNING is not a loss, for that task only', () => {
  const acked = [ack('t1', 'TASK_RUNNING'), ack('t2', 'TASK_RUNNING')];
  const answers = new Map([['t1', 'TASK_KILLED'], ['t2', 'TASK_KILLED']]);
  assert.deepEqual(lostUpdates(acked, answers, new Set(['t1'])).map((l) => l.taskId), ['t2']);
});

it('takes the most advanced acknowledged state: an ack of a retried older update does not move a task back', () => {
  const latest = latestAcked([ack('t1', 'TASK_RUNNING'), ack('t1', 'TASK_KILLED'), ack('t1', 'TASK_RUNNING')]);
  assert.equal(latest.get('t1')?.state, 'TASK_KILLED');
});
