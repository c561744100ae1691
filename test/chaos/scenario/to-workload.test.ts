import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FAST_TIMING, MESOS_TIMING, timingOf } from '../../../src/core/timing.js';
import { schedulerWorkloadOf, timingOfSpec } from '../../../src/chaos/scenario/index.js';
import { validFixture } from './fixtures.js';

test('every field the file sets reaches the schedulers\' apps', () => {
  const s = validFixture('cluster-list.yaml');
  const timing = timingOfSpec(s.timing);
  const w = schedulerWorkloadOf(s.workload, timing);
  const api = w.services[0];
  assert.ok(api);
  assert.equal(api.name, 'api');
  assert.equal(api.instances, 2);
  assert.equal(api.partitionAware, false);
  assert.equal(api.unreachableStrategy, 'disabled');
  assert.equal(api.killSelection, 'OldestFirst');
  assert.equal(api.role, 'prod');
  assert.equal(api.command, './api --port $PORT0');
  assert.equal(api.failoverTimeoutMs, 3_600_000);
  assert.equal(api.taskLaunchTimeoutMs, 120_000);
  assert.equal(api.durationMs, 600_000);
  assert.equal(api.failureProbability, 0.01);
  const etl = w.batch[0];
  assert.ok(etl);
  assert.deepEqual([etl.tasks, etl.command, etl.durationMs, etl.failureProbability, etl.maxRetries], [10, './etl', 45_000, 0.2, 5]);
  const hello = w.execute[0];
  assert.ok(hello);
  assert.deepEqual([hello.command, hello.durationMs], ['echo hello', 2_000]);
});

test('what the file left open, the schedulers fill from the timing', () => {
  const s = validFixture('minimal.yaml');
  assert.deepEqual(schedulerWorkloadOf(s.workload, FAST_TIMING), { services: [], batch: [], execute: [] });
  const withWeb = validFixture('every-step.yaml');
  for (const timing of [FAST_TIMING, MESOS_TIMING]) {
    const web = schedulerWorkloadOf(withWeb.workload, timing).services[0];
    assert.ok(web);
    assert.deepEqual(web.unreachableStrategy, { inactiveAfterMs: timing.inactiveAfterMs, expungeAfterMs: Math.max(timing.expungeAfterMs, timing.inactiveAfterMs) });
    assert.ok(web.taskLaunchTimeoutMs > 0);
  }
  const crunch = schedulerWorkloadOf(withWeb.workload, FAST_TIMING).batch[0];
  assert.ok(crunch && crunch.command.length > 0, 'the batch scheduler chose a command');
});

test('timingOfSpec agrees with core timingOf', () => {
  const s = validFixture('cluster-list.yaml');
  const viaCore = timingOf(s.timing.profile, s.timing.overrides);
  assert.ok(viaCore.ok);
  assert.deepEqual(timingOfSpec(s.timing), viaCore.value);
});
