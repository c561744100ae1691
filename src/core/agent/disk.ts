/**
 * The agent's checkpoint, its `--work_dir` in Mesos terms: the agent id, the
 * tasks it runs with their latest state, the frameworks those tasks belong to,
 * and every status update not yet acknowledged. The runtime keeps this object
 * across an agent process restart (tasks keep running, the agent reregisters)
 * and wipes it on a host reboot (tasks died with the host, the agent registers
 * as new).
 *
 * The commit point: a runtime commits an agent's disk after each handler the
 * agent runs (start, a delivered message, a fired timer), so everything one
 * handler changed is durable together, before the messages it sent leave. The
 * simulator keeps the object itself and needs no commit; the live agent writes
 * `agentDiskToJson` to its work directory atomically (write, fsync, rename)
 * and reads it back with `agentDiskFromJson` when it starts.
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

/** The disk as plain JSON (what a live agent writes at each commit point). */
export interface AgentDiskJson {
  readonly version: 1;
  readonly agentId: AgentId | null;
  readonly tasks: readonly CheckpointedTask[];
  readonly frameworks: readonly FrameworkRef[];
  readonly updates: ReadonlyArray<readonly [TaskId, readonly TaskStatus[]]>;
}

/** Serializes a disk for a commit (maps become arrays; order is kept). */
export function agentDiskToJson(disk: AgentDisk): AgentDiskJson {
  return {
    version: 1,
    agentId: disk.agentId,
    tasks: [...disk.tasks.values()].map((t) => ({ task: t.task, frameworkId: t.frameworkId, state: t.state })),
    frameworks: [...disk.frameworks.values()],
    updates: [...disk.updates.entries()].map(([taskId, stream]) => [taskId, [...stream]] as const),
  };
}

/** Restores a disk written by `agentDiskToJson` (the caller has validated the file's shape). */
export function agentDiskFromJson(json: AgentDiskJson): AgentDisk {
  const disk = newAgentDisk();
  disk.agentId = json.agentId;
  for (const t of json.tasks) disk.tasks.set(t.task.taskId, { task: t.task, frameworkId: t.frameworkId, state: t.state });
  for (const f of json.frameworks) disk.frameworks.set(f.frameworkId, f);
  for (const [taskId, stream] of json.updates) if (stream.length > 0) disk.updates.set(taskId, [...stream]);
  return disk;
}
