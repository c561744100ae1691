/**
 * The agent's checkpoint, its `--work_dir` in Mesos terms: the agent id, the
 * tasks it runs with their latest state, the frameworks those tasks belong to,
 * and every status update not yet acknowledged. The runtime keeps this object
 * across an agent process restart (tasks keep running, the agent reregisters)
 * and wipes it on a host reboot (tasks died with the host, the agent registers
 * as new).
 */
import type { AgentId, FrameworkId, TaskId } from '../ids.js';
import type { FrameworkRef, TaskInfo, TaskStatus } from '../messages.js';
import type { TaskState } from '../task-state.js';

/** A task as the agent checkpoints it: what runs, for which framework, and its latest state. */
export interface CheckpointedTask {
  readonly task: TaskInfo;
  readonly frameworkId: FrameworkId;
  /** The newest state the executor reported (TASK_STAGING until it reports). */
  state: TaskState;
}

/** The agent's mutable checkpoint; survives a process restart, wiped by `rebootAgentDisk`. */
export interface AgentDisk {
  /** Set by the first `master.agent_registered`; null until then and after a reboot. */
  agentId: AgentId | null;
  /** Every task the agent runs or whose terminal update is not yet acknowledged. */
  readonly tasks: Map<TaskId, CheckpointedTask>;
  /** The frameworks of those tasks, reported to a new master on reregistration. */
  readonly frameworks: Map<FrameworkId, FrameworkRef>;
  /** Unacknowledged status updates per task, oldest (the outstanding one) first; never an empty array. */
  readonly updates: Map<TaskId, TaskStatus[]>;
}

/** An empty disk: a host that has never run an agent. */
export function newAgentDisk(): AgentDisk {
  return { agentId: null, tasks: new Map(), frameworks: new Map(), updates: new Map() };
}

/** A host reboot: the checkpoint is gone (the runtime kills the host's tasks itself). */
export function rebootAgentDisk(disk: AgentDisk): void {
  disk.agentId = null;
  disk.tasks.clear();
  disk.frameworks.clear();
  disk.updates.clear();
}
