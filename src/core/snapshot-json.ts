/**
 * A ClusterState as plain JSON (`faultline up --once --json`): maps become
 * arrays, task status histories are left out. The TUI's `y` shows one object
 * in the same shape (`taskJson` and the views as they are), so what a script
 * reads is what the screen shows.
 */
import type { ClusterState, TaskView } from './state.js';
import { TASK_STATES } from './task-state.js';

/** A task as the JSON snapshot has it: without its status history. */
export function taskJson(task: TaskView): Omit<TaskView, 'history'> {
  const { history: _history, ...rest } = task;
  return rest;
}

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
    tasks: [...state.tasks.values()].map(taskJson),
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
