import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseScenario } from '../../../src/chaos/scenario/index.js';
import { runScenario } from '../../../src/cli/sim-runtime.js';

/** Fuzz seed 452, shrunk: the leader is paused for minutes while a successor is elected, then resumed. */
const PAUSED_LEADER = `
name: paused-leader-wakes
description: The leader is paused past its session timeout; a standby takes over; when the old leader wakes it must act on nothing.
seed: 452
timing: fast
cluster:
  masters: 3
  agents: {count: 10, resources: "cpus:4;mem:8192;disk:10000;ports:[31000-32000]"}
workload:
  services:
    - {name: web, resources: "cpus:0.5;mem:256", instances: 4}
    - {name: api, resources: "cpus:1;mem:512", instances: 3}
    - {name: cache, resources: "cpus:1;mem:1024", instances: 2, killSelection: OldestFirst}
steady:
  - service web running == 4
  - service api running == 3
  - service cache running == 2
method:
  - wait: 48s500ms
  - kill-master: master-3
  - wait: 1m15s500ms
  - restart-framework: scheduler-api
  - wait: 2m23s200ms
  - pause-master: master-2
  - wait: 5m32s800ms
liveness:
  deadline: 1m
`;

test('a paused leader that wakes to a stale session answer does not act at its old epoch (its lease runs from the heartbeat it sent)', async () => {
  const parsed = parseScenario(PAUSED_LEADER, 'paused-leader-wakes.yaml');
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.error.message);
  const result = await runScenario(parsed.value, 'paused-leader-wakes.yaml', { keepHistory: false });
  const stale = result.checks.find((c) => c.name === 'no-stale-epoch');
  assert.equal(stale?.verdict, 'pass', stale?.detail);
  assert.equal(result.verdict, 'pass', result.checks.filter((c) => c.verdict !== 'pass').map((c) => `${c.name}: ${c.detail}`).join('\n'));
});
