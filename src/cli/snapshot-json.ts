/**
 * A ClusterState as plain JSON (`faultline up --once --json`): maps become
 * arrays, task status histories are left out.
 */
import type { ClusterState } from '../core/state.js';
import { TASK_STATES } from '../core/task-state.js';

/** The JSON shape of a snapshot. */
export function snapshotJson(state: ClusterState, extra: { seed: string; timing: string }): unknown {
  return {
    seed: extra.seed,
    timing: extra.timing,
    nowMs: state.nowMs,
    leader: state.leader,
    masters: [...state.masters.values()],
    agents: [...state.agents.values()],
    frameworks: [...state.frameworks.values()],
    tasks: [...state.tasks.values()].map(({ history: _history, ...task }) => task),
    offers: [...state.offers.values()],
    counts: {
      tasksByState: Object.fromEntries(TASK_STATES.filter((s) => state.counts.tasksByState[s] > 0).map((s) => [s, state.counts.tasksByState[s]])),
      agentsByState: state.counts.agentsByState,
      total: state.counts.total,
      used: state.counts.used,
      offered: state.counts.offered,
    },
  };
}
