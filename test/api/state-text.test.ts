import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { consecutiveAddresses } from '../../src/api/addresses.js';
import { StateJsonCache, withRawMembers } from '../../src/api/json-cache.js';
import { answerOperatorQuery } from '../../src/api/operator.js';
import { operatorSubscribed } from '../../src/api/operator-events.js';
import { masterStateJson } from '../../src/api/state-json.js';
import { answerOperatorQueryText, masterStateText, operatorSubscribedText } from '../../src/api/state-text.js';
import { running, testCluster } from '../helpers/cluster.js';

describe('state answers as text from cached parts equal their object forms', () => {
  const cluster = testCluster({ agents: 3, masters: 3, services: [{ name: 'web', instances: 5, partitionAware: true }] });
  cluster.runUntilCondition(() => running(cluster, 'web') === 5, { timeoutMs: 30_000 });
  const addresses = consecutiveAddresses({ ip: '127.0.0.1', firstPort: 5050, masters: cluster.masters() });
  const cache = new StateJsonCache();
  const ctxOf = (self: string) => ({ state: cluster.state(), addresses, self, startedAtMs: 0 });

  it('GET_STATE, GET_TASKS, GET_AGENTS, SUBSCRIBED, /master/state (leader and standby), before and after a change, cache warm', () => {
    const leader = cluster.leader() as string;
    const standby = cluster.masters().find((m) => m !== leader) as string;
    for (let round = 0; round < 3; round += 1) {
      const ctx = ctxOf(leader);
      for (const type of ['GET_STATE', 'GET_TASKS', 'GET_AGENTS', 'GET_HEALTH'] as const) {
        assert.deepEqual(JSON.parse(answerOperatorQueryText(type, ctx, cache)), JSON.parse(JSON.stringify(answerOperatorQuery(type, ctx))), `${type} round ${round}`);
      }
      assert.deepEqual(JSON.parse(operatorSubscribedText(ctx, cache, 1500)), JSON.parse(JSON.stringify(operatorSubscribed(ctx, 1500))));
      assert.deepEqual(JSON.parse(masterStateText(ctx, cache)), JSON.parse(JSON.stringify(masterStateJson(ctx))), `/master/state round ${round}`);
      assert.deepEqual(JSON.parse(masterStateText(ctxOf(standby), cache)), JSON.parse(JSON.stringify(masterStateJson(ctxOf(standby)))));
      // Change something between rounds: a task is killed and replaced, time moves on.
      const task = [...cluster.state().tasks.values()].find((t) => t.state === 'TASK_RUNNING');
      if (task) assert.ok(cluster.inject({ kind: 'kill-task', taskId: task.taskId, frameworkId: task.frameworkId }).ok);
      cluster.runFor(3_000);
    }
  });

  it('withRawMembers appends raw JSON members', () => {
    assert.equal(withRawMembers({ a: 1 }, [['b', '[1,2]']]), '{"a":1,"b":[1,2]}');
    assert.equal(withRawMembers({}, [['b', '{}']]), '{"b":{}}');
  });
});
