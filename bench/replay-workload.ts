/**
 * A long history for the replay benches: a simulated cluster (20 agents,
 * services of 60 and 40 tasks) under steady churn (a task killed every 200
 * virtual ms, an agent killed and restarted now and then) until the history
 * holds `records` records. Deterministic: the same count gives the same history.
 */
import type { HistoryRecord } from '../src/core/events.js';
import { resources } from '../src/core/resources.js';
import { FAST_TIMING } from '../src/core/timing.js';
import { frameworkNodesOf, serviceAppOf, type WorkloadSpec } from '../src/schedulers/workload.js';
import { SimCluster } from '../src/sim/cluster.js';
import { uniformAgents } from '../src/cluster/index.js';

/** Builds a history of at least `records` records (cut to exactly that many). */
export async function churnHistory(records: number): Promise<HistoryRecord[]> {
  const timing = FAST_TIMING;
  const task = resources({ cpus: 0.1, mem: 64 });
  const workload: WorkloadSpec = {
    services: [serviceAppOf({ name: 'web', instances: 60, resources: task }, timing), serviceAppOf({ name: 'api', instances: 40, resources: task }, timing)],
    batch: [],
    execute: [],
  };
  const agent = resources({ cpus: 4, mem: 8192, disk: 10_240, ports: [{ begin: 31000, end: 32000 }] });
  const created = SimCluster.create({ seed: 'replay-bench', timing, masters: 1, agents: uniformAgents(20, agent), frameworks: (leader) => frameworkNodesOf(workload, { timing, leader }) });
  if (!created.ok) throw new Error(created.error.message);
  const cluster = created.value;
  await cluster.advanceTo(10_000);
  for (let round = 0; cluster.history().length < records; round += 1) {
    await cluster.advanceTo(cluster.now() + 200);
    const running = [...cluster.state().tasks.values()].filter((t) => t.state === 'TASK_RUNNING');
    const victim = running[(round * 7) % Math.max(1, running.length)];
    if (victim) cluster.inject({ kind: 'kill-task', taskId: victim.taskId, frameworkId: victim.frameworkId });
    if (round % 500 === 100) cluster.inject({ kind: 'kill-agent', node: `agent-${1 + (Math.floor(round / 500) % 20)}` });
    if (round % 500 === 300) cluster.inject({ kind: 'restart-agent', node: `agent-${1 + (Math.floor(round / 500) % 20)}` });
  }
  return cluster.history().slice(0, records);
}
