/**
 * The agent's `/slave(1)/state` in Mesos's shape (src/slave/http.cpp
 * `Slave::Http::state`), kept modest: the agent's id, pid, hostname and
 * resources, and per framework the executors with their tasks and sandbox
 * `directory`. As for Mesos's command executor, each task has an executor of
 * its own whose id is the task id; ended tasks whose last update is not yet
 * acknowledged sit under `completed_executors`. Built purely from the core
 * agent's checkpoint and the executor's task list.
 */
import type { AgentDisk } from '../../core/agent/disk.js';
import type { AgentId } from '../../core/ids.js';
import type { Resources } from '../../core/resources.js';
import { isTerminal } from '../../core/task-state.js';
import { resourcesToFlat, type FlatResources } from '../../api/resources.js';
import type { ExecutorTaskInfo } from '../executor/types.js';

/** The Mesos version the agent's state claims to speak (as the master's does). */
export const AGENT_STATE_VERSION = '1.11.0';

/** A task in the agent's state. */
export interface AgentTaskJson {
  readonly id: string;
  readonly name: string;
  readonly framework_id: string;
  readonly executor_id: string;
  readonly slave_id: string;
  readonly state: string;
  readonly resources: FlatResources;
  readonly statuses: ReadonlyArray<{ readonly state: string; readonly timestamp: number }>;
}

/** An executor in the agent's state: one per task, as with Mesos's command executor. */
export interface AgentExecutorJson {
  readonly id: string;
  readonly name: string;
  readonly source: string;
  readonly container: string;
  /** The sandbox; `/files/read?path=<directory>/stdout` reads the task's output. */
  readonly directory: string;
  readonly resources: FlatResources;
  readonly tasks: readonly AgentTaskJson[];
  readonly queued_tasks: readonly AgentTaskJson[];
  readonly completed_tasks: readonly AgentTaskJson[];
}

/** A framework in the agent's state. */
export interface AgentFrameworkJson {
  readonly id: string;
  readonly name: string;
  readonly role: string;
  readonly checkpoint: boolean;
  readonly executors: readonly AgentExecutorJson[];
  readonly completed_executors: readonly AgentExecutorJson[];
}

/** GET /slave(1)/state. */
export interface AgentStateJson {
  readonly version: string;
  /** Seconds since the epoch. */
  readonly start_time: number;
  /** Empty until the agent is registered. */
  readonly id: string;
  /** `slave(1)@<ip>:<port>`. */
  readonly pid: string;
  readonly hostname: string;
  readonly resources: FlatResources;
  readonly attributes: Readonly<Record<string, string>>;
  readonly master_hostname?: string;
  readonly frameworks: readonly AgentFrameworkJson[];
  readonly completed_frameworks: readonly AgentFrameworkJson[];
}

/** What the state is built from. */
export interface AgentStateInput {
  readonly agentId: AgentId | null;
  readonly pid: string;
  readonly hostname: string;
  readonly resources: Resources;
  readonly attributes?: Readonly<Record<string, string>>;
  readonly masterHostname?: string | null;
  readonly startedAtMs: number;
  readonly disk: AgentDisk;
  readonly executorTasks: readonly ExecutorTaskInfo[];
}

/** The agent's state from its checkpoint and its executor. */
export function agentStateJson(input: AgentStateInput): AgentStateJson {
  const sandboxes = new Map(input.executorTasks.map((t) => [t.taskId as string, t.sandbox]));
  const agentId = input.agentId ?? '';
  const byFramework = new Map<string, { executors: AgentExecutorJson[]; completed: AgentExecutorJson[] }>();
  for (const entry of input.disk.tasks.values()) {
    const { task } = entry;
    const statuses = (input.disk.updates.get(task.taskId) ?? []).map((s) => ({ state: s.state, timestamp: s.timestampMs / 1000 }));
    const taskJson: AgentTaskJson = {
      id: task.taskId,
      name: task.name,
      framework_id: entry.frameworkId,
      executor_id: '',
      slave_id: agentId,
      state: entry.state,
      resources: resourcesToFlat(task.resources),
      statuses,
    };
    const ended = isTerminal(entry.state);
    const executor: AgentExecutorJson = {
      id: task.taskId,
      name: `Command Executor (Task: ${task.taskId}) (Command: sh -c '${task.command}')`,
      source: task.taskId,
      container: '',
      directory: sandboxes.get(task.taskId) ?? '',
      resources: resourcesToFlat(task.resources),
      tasks: ended ? [] : [taskJson],
      queued_tasks: [],
      completed_tasks: ended ? [taskJson] : [],
    };
    let lists = byFramework.get(entry.frameworkId);
    if (lists === undefined) {
      lists = { executors: [], completed: [] };
      byFramework.set(entry.frameworkId, lists);
    }
    (ended ? lists.completed : lists.executors).push(executor);
  }
  const frameworks: AgentFrameworkJson[] = [];
  for (const [frameworkId, lists] of byFramework) {
    const ref = input.disk.frameworks.get(frameworkId as never);
    frameworks.push({ id: frameworkId, name: ref?.name ?? '', role: '*', checkpoint: true, executors: lists.executors, completed_executors: lists.completed });
  }
  const state: AgentStateJson = {
    version: AGENT_STATE_VERSION,
    start_time: input.startedAtMs / 1000,
    id: agentId,
    pid: input.pid,
    hostname: input.hostname,
    resources: resourcesToFlat(input.resources),
    attributes: input.attributes ?? {},
    frameworks,
    completed_frameworks: [],
  };
  return input.masterHostname ? { ...state, master_hostname: input.masterHostname } : state;
}
