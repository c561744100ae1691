/** A read-only copy of the master's memory (for tests and debugging; O(size)). */
import type { MasterCore } from './core.js';
import type { AgentSummary, FrameworkSummary, MasterInspection, TaskSummary } from './types.js';

/** Copies the master's tables into plain summaries. */
export function inspectMaster(core: MasterCore): MasterInspection {
  const { mem } = core;
  const agents = new Map<string, AgentSummary>();
  for (const a of mem.agents.values()) {
    agents.set(a.agentId, {
      agentId: a.agentId,
      host: a.host,
      state: a.state,
      resources: a.resources,
      taskIds: [...a.tasks.keys()],
      offerIds: [...a.offers],
      missedPings: a.missedPings,
    });
  }
  const frameworks = new Map<string, FrameworkSummary>();
  for (const f of mem.frameworks.values()) {
    frameworks.set(f.frameworkId, {
      frameworkId: f.frameworkId,
      name: f.name,
      node: f.node,
      state: f.state,
      partitionAware: f.partitionAware,
      taskIds: [...f.tasks.keys()],
      offerIds: [...f.offers],
      completedTaskIds: [...f.completed.keys()],
    });
  }
  const tasks = new Map<string, TaskSummary>();
  for (const t of mem.tasks.values()) {
    tasks.set(t.info.taskId, { taskId: t.info.taskId, frameworkId: t.frameworkId, agentId: t.agentId, state: t.state, holdsResources: t.holdsResources });
  }
  return {
    leading: core.leading,
    epoch: core.epoch,
    masterId: core.masterId === '' ? null : core.masterId,
    agents,
    recoveredAgents: new Map(mem.recovered),
    frameworks,
    completedFrameworks: [...mem.completedFrameworks],
    tasks,
    offers: new Map(mem.offers),
  };
}
