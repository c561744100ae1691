/**
 * Seeking the projection: going back 10,000 records and forward again, from
 * random positions of a simulated history with faults, gives exactly the
 * state a fresh fold to that position gives.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ClusterProjection } from '../../../src/core/projection.js';
import type { HistoryRecord } from '../../../src/core/events.js';
import { ProjectionTimeline } from '../../../src/core/projection/timeline.js';
import { deepClone } from '../../../src/core/projection/clone.js';
import { testCluster } from '../../helpers/cluster.js';
import { seeded } from '../../helpers/random.js';

/** A history of tens of thousands of records: services churning under task kills, agent kills and restarts. */
async function longHistory(): Promise<readonly HistoryRecord[]> {
  const cluster = testCluster({ seed: '16', agents: 6, services: [{ name: 'web', instances: 8 }, { name: 'api', instances: 4 }] });
  await cluster.advanceTo(10_000);
  for (let round = 0; cluster.history().length < 30_000; round += 1) {
    await cluster.advanceTo(cluster.now() + 700);
    const running = [...cluster.state().tasks.values()].filter((t) => t.state === 'TASK_RUNNING');
    const task = running[round % Math.max(1, running.length)];
    if (task) cluster.inject({ kind: 'kill-task', taskId: task.taskId, frameworkId: task.frameworkId });
    if (round % 50 === 10) cluster.inject({ kind: 'kill-agent', node: `agent-${1 + ((round / 50) % 6 | 0)}` });
    if (round % 50 === 30) cluster.inject({ kind: 'restart-agent', node: `agent-${1 + ((round / 50) % 6 | 0)}` });
  }
  return cluster.history();
}

function freshFold(records: readonly HistoryRecord[], position: number): ClusterProjection {
  const projection = new ClusterProjection();
  for (let i = 0; i < position; i += 1) projection.apply(records[i] as HistoryRecord);
  return projection;
}

describe('ProjectionTimeline', () => {
  it('seeks back 10,000 records and forward again to the state of a fresh fold, at random positions', async () => {
    const records = await longHistory();
    assert.ok(records.length > 20_000, `a long history (${records.length} records)`);
    const timeline = new ProjectionTimeline(records, { snapshotEvery: 1_000 });
    const random = seeded(16);
    for (let round = 0; round < 6; round += 1) {
      const position = 10_000 + Math.floor(random() * (records.length - 10_000));
      timeline.seek(position);
      const back = timeline.seek(position - 10_000);
      assert.deepStrictEqual(back, freshFold(records, position - 10_000).snapshot(), `back to ${position - 10_000}`);
      const forward = timeline.seek(position);
      assert.deepStrictEqual(forward, freshFold(records, position).snapshot(), `forward to ${position}`);
      assert.equal(timeline.position, position);
    }
  });

  it('one step back and forth, and the ends', async () => {
    const records = (await longHistory()).slice(0, 5_000);
    const timeline = new ProjectionTimeline(records, { snapshotEvery: 700 });
    timeline.seek(records.length);
    assert.deepStrictEqual(timeline.seek(records.length - 1), freshFold(records, records.length - 1).snapshot());
    assert.deepStrictEqual(timeline.seek(0), new ClusterProjection().snapshot());
    assert.deepStrictEqual(timeline.seek(records.length + 5), freshFold(records, records.length).snapshot(), 'clamped at the end');
    assert.equal(timeline.lastRecord, records[records.length - 1]);
  });

  it('a clone shares what the original shares and nothing with the original', () => {
    const view = { n: 1 };
    const original = { a: new Map([['x', view]]), b: [view], frozen: Object.freeze({ z: 1 }) };
    const copy = deepClone(original);
    assert.equal(copy.a.get('x'), copy.b[0]);
    assert.notEqual(copy.b[0], view);
    assert.equal(copy.frozen, original.frozen);
  });
});
