import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseScenario } from '../../../src/chaos/scenario/index.js';
import { runScenario } from '../../../src/cli/sim-runtime.js';

/**
 * The embedded demo of `faultline up` (three masters, two services and a batch stream), healthy
 * for its first seconds. Each scheduler REVIVEs as soon as it subscribes, and the first allocation
 * cycle's offers cross that REVIVE on the wire: when REVIVE rescinded outstanding offers, the
 * ACCEPTs of those offers arrived after the rescind and every first launch was TASK_DROPPED /
 * TASK_LOST with REASON_INVALID_OFFERS (~18 tasks at t = 1 s on every seed).
 */
function demo(seed: number): string {
  return `
name: healthy-start
description: The embedded demo's first seconds, no faults.
seed: "${seed}"
timing: fast
cluster:
  masters: 3
  agents: {count: 8, resources: "cpus:4;mem:8192;disk:10240;ports:[31000-32000]"}
workload:
  services:
    - {name: web, instances: 12, resources: "cpus:0.5;mem:256", partitionAware: true}
    - {name: api, instances: 6, resources: "cpus:1;mem:512", partitionAware: false}
  batch:
    - {name: etl, tasks: 2000, resources: "cpus:0.25;mem:128", duration: 30s, failureProbability: 0.05, maxRetries: 2, parallelism: 24}
method:
  - wait: 3s
`;
}

for (const seed of [1, 6]) {
  test(`a healthy start loses no launch: no TASK_LOST, TASK_DROPPED or REASON_INVALID_OFFERS (seed ${seed}, a REVIVE crossing the first offers)`, async () => {
    const parsed = parseScenario(demo(seed), 'healthy-start.yaml');
    assert.ok(parsed.ok, parsed.ok ? '' : parsed.error.message);
    const result = await runScenario(parsed.value, 'healthy-start.yaml', {});
    const history = result.history ?? [];
    assert.ok(history.some((r) => r.type === 'task.updated' && r.state === 'TASK_RUNNING'), 'tasks ran');
    const lost = history.filter((r) => r.type === 'task.updated' && (r.state === 'TASK_LOST' || r.state === 'TASK_DROPPED' || r.reason === 'REASON_INVALID_OFFERS'));
    assert.deepEqual(
      lost.map((r) => (r.type === 'task.updated' ? `${r.atMs.toFixed(0)} ms ${r.taskId} ${r.state} ${r.reason ?? ''}` : '')),
      [],
    );
    assert.equal(result.verdict, 'pass', result.checks.filter((c) => c.verdict !== 'pass').map((c) => `${c.name}: ${c.detail}`).join('\n'));
  });
}
