/**
 * Builds simulated clusters for named scenario tests.
 */
import assert from 'node:assert/strict';
import type { HistoryRecord } from '../../src/core/events.js';
import { parseResources } from '../../src/core/resources.js';
import { FAST_TIMING, type Timing } from '../../src/core/timing.js';
import { frameworkNodesOf, serviceAppOf, type ServiceApp, type WorkloadSpec } from '../../src/schedulers/workload.js';
import { SimCluster } from '../../src/sim/cluster.js';
import { uniformAgents } from '../../src/cluster/index.js';

/** Options of a test cluster. */
export interface TestClusterOptions {
  seed?: string;
  agents?: number;
  masters?: number;
  agentResources?: string;
  timing?: Timing;
  services?: Array<Partial<ServiceApp> & { name: string; instances: number }>;
  workload?: Partial<WorkloadSpec>;
}

/** A started cluster with the given workload. */
export function testCluster(options: TestClusterOptions = {}): SimCluster {
  const timing = options.timing ?? FAST_TIMING;
  const res = parseResources(options.agentResources ?? 'cpus:4;mem:8192;disk:10240;ports:[31000-32000]');
  assert.ok(res.ok);
  const workload: WorkloadSpec = {
    services: (options.services ?? []).map((s) => serviceAppOf(s, timing)),
    batch: options.workload?.batch ?? [],
    execute: options.workload?.execute ?? [],
  };
  const created = SimCluster.create({
    seed: options.seed ?? '1',
    timing,
    masters: options.masters ?? 1,
    agents: uniformAgents(options.agents ?? 5, res.value),
    frameworks: (leader) => frameworkNodesOf(workload, { timing, leader }),
  });
  assert.ok(created.ok, created.ok ? '' : created.error.message);
  return created.value;
}

/** Running tasks of a service (by task name), from the projection. */
export function running(cluster: SimCluster, app: string): number {
  let n = 0;
  for (const t of cluster.state().tasks.values()) if (t.name === app && t.state === 'TASK_RUNNING') n += 1;
  return n;
}

/** Hosts that really run (ground truth of the executors) each task of a service. */
export function liveHostsOf(cluster: SimCluster, app: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const t of cluster.state().tasks.values()) {
    if (t.name !== app) continue;
    const host = cluster.executors.hostOf(t.taskId);
    if (host) out.set(t.taskId, host);
  }
  return out;
}

/** History records of one type. */
export function recordsOf<T extends HistoryRecord['type']>(history: readonly HistoryRecord[], type: T): Array<Extract<HistoryRecord, { type: T }>> {
  return history.filter((r) => r.type === type) as Array<Extract<HistoryRecord, { type: T }>>;
}
