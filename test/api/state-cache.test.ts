import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { consecutiveAddresses } from '../../src/api/addresses.js';
import { SegmentedArray, StateJsonCache } from '../../src/api/json-cache.js';
import { answerOperatorQuery } from '../../src/api/operator.js';
import { operatorSubscribed } from '../../src/api/operator-events.js';
import { masterStateJson } from '../../src/api/state-json.js';
import { answerOperatorQueryChunks, masterStateChunks, operatorSubscribedText } from '../../src/api/state-text.js';
import type { Fault } from '../../src/core/faults.js';
import { running, testCluster } from '../helpers/cluster.js';

const decode = (chunks: readonly Uint8Array[]): string => Buffer.concat(chunks).toString('utf8');

describe('the segmented byte cache of the state answers never serves a stale answer', () => {
  it('SegmentedArray reuses a segment only while it holds the same texts, and re-encodes a changed, removed, added or moved item', () => {
    const items = Array.from({ length: 2_000 }, (_, i) => ({ id: i }));
    const texts = new Map(items.map((item) => [item, { json: JSON.stringify(item), cut: item.id % 97 === 0 }]));
    const list = new SegmentedArray();
    const build = (order: readonly { id: number }[]): Uint8Array[] => {
      list.begin();
      for (const item of order) list.push(item, texts.get(item) as { json: string; cut: boolean });
      return list.end();
    };
    const expect = (order: readonly { id: number }[]) => JSON.stringify(order.map((item) => JSON.parse((texts.get(item) as { json: string }).json)));
    const first = build(items);
    assert.equal(decode(first), expect(items));
    const again = build(items);
    assert.equal(decode(again), expect(items));
    // Unchanged: the very same encoded segments (this is the cache working, not a copy).
    assert.ok(first.length > 10);
    assert.deepEqual(again.map((c, i) => c === first[i]), first.map(() => true));
    // A changed text in the middle: the answer has it; only its segment is new.
    texts.set(items[1_000] as { id: number }, { json: '{"id":1000,"changed":true}', cut: false });
    const changed = build(items);
    assert.equal(decode(changed), expect(items));
    assert.ok(decode(changed).includes('"changed":true'));
    assert.equal(changed.filter((c) => !again.includes(c)).length, 1);
    // Removed, added, moved.
    const removed = items.filter((item) => item.id !== 500);
    assert.equal(decode(build(removed)), expect(removed));
    const added = [...removed, { id: 5_000 }];
    texts.set(added.at(-1) as { id: number }, { json: '{"id":5000}', cut: false });
    assert.equal(decode(build(added)), expect(added));
    const moved = [added[1], added[0], ...added.slice(2)] as { id: number }[];
    assert.equal(decode(build(moved)), expect(moved));
    assert.equal(decode(build([])), '[]');
    assert.equal(decode(build(items)), expect(items));
  });

  it('every answer equals JSON.stringify of its object form, byte for byte, after each kind of change (warm cache, many segments)', () => {
    const cluster = testCluster({ seed: 'cache', agents: 8, masters: 3, agentResources: 'cpus:64;mem:65536;disk:10240;ports:[31000-32000]', services: [{ name: 'web', instances: 300, partitionAware: true }, { name: 'db', instances: 200 }] });
    cluster.runUntilCondition(() => running(cluster, 'web') === 300 && running(cluster, 'db') === 200, { timeoutMs: 60_000 });
    const addresses = consecutiveAddresses({ ip: '127.0.0.1', firstPort: 5050, masters: cluster.masters() });
    const cache = new StateJsonCache();
    const check = (label: string): void => {
      for (const self of cluster.masters()) {
        const ctx = { state: cluster.state(), addresses, self, startedAtMs: 0 };
        assert.equal(decode(masterStateChunks(ctx, cache).finish()), JSON.stringify(masterStateJson(ctx)), `/master/state at ${self}: ${label}`);
        for (const type of ['GET_STATE', 'GET_TASKS', 'GET_AGENTS'] as const) {
          assert.equal(decode(answerOperatorQueryChunks(type, ctx, cache).finish()), JSON.stringify(answerOperatorQuery(type, ctx)), `${type} at ${self}: ${label}`);
        }
        assert.equal(operatorSubscribedText(ctx, cache, 1500), JSON.stringify(operatorSubscribed(ctx, 1500)), `SUBSCRIBED at ${self}: ${label}`);
      }
    };
    check('steady');
    check('steady again (all reused)');
    const someTask = () => [...cluster.state().tasks.values()].find((t) => t.state === 'TASK_RUNNING');
    const agentHost = () => [...cluster.state().agents.values()].find((a) => a.state === 'registered')?.host as string;
    const steps: Array<[string, () => Fault | null]> = [
      ['a task killed', () => {
        const t = someTask();
        return t ? { kind: 'kill-task', taskId: t.taskId, frameworkId: t.frameworkId } : null;
      }],
      ['an agent killed', () => ({ kind: 'kill-agent', node: agentHost() })],
      ['an agent partitioned', () => ({ kind: 'partition', groups: [[agentHost()], cluster.masters()], oneWay: false })],
      ['healed', () => ({ kind: 'heal' })],
      ['the leader failed over', () => ({ kind: 'failover', node: cluster.leader() as string })],
    ];
    for (const [label, fault] of steps) {
      const f = fault();
      if (f) assert.ok(cluster.inject(f).ok, label);
      check(`${label}, at once`);
      for (let i = 0; i < 4; i += 1) {
        cluster.runFor(1_500);
        check(`${label}, +${(i + 1) * 1.5} s`);
      }
    }
  });
});
