import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseScenario } from '../../../src/chaos/scenario/index.js';
import { runScenario } from '../../../src/cli/sim-runtime.js';

/**
 * Fuzz seed 516 (1000 seeds from 1), shrunk twice. First a safety failure: a killed agent's
 * clog-held reregistration reached the master after the host was rebooted, and brought back its
 * dead tasks (a surplus nobody killed). With that fixed (src/sim: a stopped node's undelivered
 * messages die with it), a liveness false verdict: a leader marked the killed agent unreachable in
 * the registry and was deposed before it saw the commit, so no agent.unreachable was recorded; the
 * next leader held the agent unreachable (the scheduler replaced its tasks), but the history still
 * showed them RUNNING, and steady-after counted 6 of 3 (master.recovered now lists the registry's
 * unreachable agents, and the projection and faults-bite read it).
 */
const HELD_REREGISTRATION = `
name: fuzz-516-held-reregistration
description: "Fuzz seed 516, shrunk (19 of 30 faults): agent-5 is killed while a swizzle-clog holds its reregistration, then rebooted; the held reregistration must die with the killed process."
seed: 516
timing: fast
cluster:
  masters: 3
  agents: {count: 10, resources: "cpus:4;mem:8192;disk:10000;ports:[31000-32000]"}
workload:
  services:
    - name: web
      resources: cpus:0.5;mem:256
      instances: 4
    - name: api
      resources: cpus:1;mem:512
      instances: 3
    - name: cache
      resources: cpus:1;mem:1024
      instances: 2
      killSelection: OldestFirst
steady:
  - service web running == 4
  - service api running == 3
  - service cache running == 2
method:
  - wait: 16s600ms
  - swizzle-clog:
      nodes:
        - agent-1
        - agent-7
        - agent-3
        - agent-8
        - agent-10
        - agent-9
      step: 2s600ms
  - wait: 22s600ms
  - link: {loss: 0.11}
  - wait: 48s600ms
  - swizzle-clog:
      nodes: [agent-4, agent-6, agent-7, agent-10]
      step: 4s100ms
  - wait: 38s500ms
  - restart-agent: agent-5
  - wait: 18s100ms
  - restart-agent: agent-3
  - wait: 1m22s400ms
  - pause-agent: agent-10
  - wait: 12s
  - resume-agent: agent-10
  - wait: 1s600ms
  - swizzle-clog:
      nodes: [agent-9, scheduler-cache]
      step: 3s500ms
  - wait: 36s600ms
  - swizzle-clog:
      nodes:
        - agent-5
        - agent-9
        - agent-10
        - agent-3
        - agent-4
        - agent-2
      step: 4s300ms
  - wait: 27s200ms
  - restart-master: master-1
  - wait: 11s700ms
  - restart-agent: agent-3
  - wait: 10s200ms
  - kill-master: master-3
  - wait: 27s
  - restart-master: master-3
  - wait: 22s800ms
  - kill-agent: agent-3
  - wait: 8s400ms
  - restart-agent: agent-3
  - wait: 57s700ms
  - swizzle-clog:
      nodes:
        - agent-7
        - agent-9
        - agent-6
        - agent-3
        - agent-10
        - agent-5
      step: 4s
  - wait: 2s900ms
  - swizzle-clog:
      nodes: [scheduler-api, agent-4]
      step: 5s600ms
  - wait: 14s300ms
  - kill-agent: agent-5
  - wait: 19s500ms
  - restart-agent: agent-5
  - wait: 2m1s300ms
liveness:
  deadline: 1m
`;

const UNANNOUNCED_UNREACHABLE = `
name: fuzz-516-unannounced-unreachable
description: "Fuzz seed 516, shrunk again once the held messages died (3 of 30 faults): under 11% loss leaders are deposed one after another; one marks the killed agent-10 unreachable in the registry but is deposed before it sees the commit."
seed: 516
timing: fast
cluster:
  masters: 3
  agents: {count: 10, resources: "cpus:4;mem:8192;disk:10000;ports:[31000-32000]"}
workload:
  services:
    - name: web
      resources: cpus:0.5;mem:256
      instances: 4
    - name: api
      resources: cpus:1;mem:512
      instances: 3
    - name: cache
      resources: cpus:1;mem:1024
      instances: 2
      killSelection: OldestFirst
steady:
  - service web running == 4
  - service api running == 3
  - service cache running == 2
method:
  - wait: 39s200ms
  - link: {loss: 0.11}
  - wait: 5m36s700ms
  - kill-agent: agent-3
  - wait: 2m39s200ms
  - kill-agent: agent-10
  - wait: 1m4s900ms
liveness:
  deadline: 1m
`;

for (const [name, yaml] of [
  ['a killed agent\'s clog-held reregistration does not bring its dead tasks back after the host rebooted', HELD_REREGISTRATION],
  ['an agent marked unreachable by a leader deposed before it saw the commit counts as unreachable from the next leader on', UNANNOUNCED_UNREACHABLE],
] as const) {
  test(`fuzz seed 516: ${name}`, async () => {
    const parsed = parseScenario(yaml, 'fuzz-516.yaml');
    assert.ok(parsed.ok, parsed.ok ? '' : parsed.error.message);
    const result = await runScenario(parsed.value, 'fuzz-516.yaml', { keepHistory: false });
    assert.equal(result.verdict, 'pass', result.checks.filter((c) => c.verdict !== 'pass').map((c) => `${c.name}: ${c.detail}`).join('\n'));
  });
}
