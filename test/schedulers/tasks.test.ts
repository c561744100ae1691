import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ServiceTaskTable, type ServiceState, type ServiceTask, type TaskCondition } from '../../src/schedulers/service/tasks.js';

function task(seq: number, condition: TaskCondition = 'active', state: ServiceTask['state'] = 'TASK_RUNNING'): ServiceTask {
  return { taskId: `web.${seq}`, seq, agentId: 'a', state, launchedAtMs: seq, condition, unreachableSinceMs: null, killsSent: 0 };
}

function table(tasks: ServiceTask[], instances = 3): ServiceTaskTable {
  const state: ServiceState = { kind: 'service', app: 'web', instances, tasks: new Map() };
  const t = new ServiceTaskTable(state);
  for (const x of tasks) t.add(x);
  return t;
}

describe('ServiceTaskTable', () => {
  it('keeps counts by condition and running as tasks change', () => {
    const t = table([task(1), task(2, 'active', 'TASK_STAGING'), task(3, 'unreachable'), task(4, 'inactive'), task(5, 'doomed')]);
    assert.equal(t.counted(), 3);
    assert.equal(t.runningCount(), 1);
    const staging = t.get('web.2');
    assert.ok(staging);
    t.setState(staging, 'TASK_RUNNING');
    assert.equal(t.runningCount(), 2);
    t.setCondition(staging, 'doomed');
    assert.equal(t.runningCount(), 1);
    assert.equal(t.counted(), 2);
    t.remove(staging);
    assert.equal(t.count('doomed'), 1);
    assert.equal(t.size, 4);
  });

  it('rebuilds its counts from a saved state (after a restart)', () => {
    const saved = table([task(1), task(2, 'unreachable'), task(3, 'doomed')]).state;
    const again = new ServiceTaskTable(saved);
    assert.deepEqual([again.counted(), again.runningCount(), again.count('doomed')], [2, 1, 1]);
  });

  it('picks victims among active tasks by killSelection', () => {
    const t = table([task(1), task(2, 'unreachable'), task(3), task(4, 'doomed'), task(5), task(6, 'inactive')]);
    assert.deepEqual(t.victims(2, 'YoungestFirst').map((x) => x.seq), [5, 3]);
    assert.deepEqual(t.victims(2, 'OldestFirst').map((x) => x.seq), [1, 3]);
    assert.deepEqual(t.victims(9, 'OldestFirst').map((x) => x.seq), [1, 3, 5]);
    assert.deepEqual(t.victims(0, 'OldestFirst'), []);
  });

  it('still picks correctly after many removals (the launch order is compacted)', () => {
    const t = table([]);
    for (let i = 1; i <= 200; i += 1) t.add(task(i));
    for (let i = 1; i <= 190; i += 1) t.remove(t.get(`web.${i}`) as ServiceTask);
    assert.deepEqual(t.victims(3, 'OldestFirst').map((x) => x.seq), [191, 192, 193]);
    assert.deepEqual(t.victims(3, 'YoungestFirst').map((x) => x.seq), [200, 199, 198]);
  });
});
