/**
 * The contract of the live (process) executor, shared by the agent daemon
 * (`faultline agent`, src/live/agent) and its implementation
 * (src/live/executor/process-executor.ts). It is the core's TaskExecutor
 * (src/core/actor.ts) plus what only real processes need: a sandbox per task,
 * a checkpoint of running tasks so a restarted agent process finds them again,
 * and a close that leaves no child behind when asked to.
 */
import type { TaskExecutor } from '../../core/actor.js';
import type { TaskId } from '../../core/ids.js';
import type { ExecutorMessage } from '../../core/messages.js';

/** How the process executor is built (options object; I/O injected here, at the edge). */
export interface ProcessExecutorOptions {
  /** The agent's work directory: sandboxes live in `<workDir>/sandboxes/<taskId>/`, the checkpoint in `<workDir>/executor.json`. */
  readonly workDir: string;
  /** Hands a task's status to the agent (delivered as a local `executor.status` message). */
  readonly report: (status: ExecutorMessage) => void;
  /** SIGTERM to SIGKILL, ms, when a task has no kill grace period of its own (Mesos's default is 3 s). */
  readonly killGracePeriodMs?: number;
  /** Extra environment for every task (the task's ports are added as PORT0.., PORTS). */
  readonly env?: Readonly<Record<string, string>>;
  /** The environment tasks start from (default: the agent's own, `process.env`). */
  readonly baseEnv?: Readonly<Record<string, string | undefined>>;
  /** How often a task adopted by recover() is checked for its end, ms (default 250). */
  readonly pollIntervalMs?: number;
  /** Timers for the kill grace period and the polling (default: the global ones); injected so tests and daemons share one clock. */
  readonly timers?: ExecutorTimers;
  /** Told of a checkpoint that could not be written (the executor carries on; the next change writes again). */
  readonly warn?: (message: string) => void;
}

/** The timers the executor uses (the handle is opaque to it). */
export interface ExecutorTimers {
  setTimeout(fn: () => void, delayMs: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** A task the executor knows, as the agent's `/slave(1)/state` and `/files/read` need it. */
export interface ExecutorTaskInfo {
  readonly taskId: TaskId;
  readonly pid: number | null;
  /** The sandbox directory (absolute). */
  readonly sandbox: string;
  readonly state: ExecutorMessage['state'];
  /** Wall clock at launch, ms since the epoch (absent from executors that do not know it). */
  readonly startedAtMs?: number;
}

/** The process executor an agent daemon runs. */
export interface ProcessExecutor extends TaskExecutor {
  /**
   * After an agent process restart: re-adopts the tasks of the checkpoint that
   * still run (re-reporting TASK_RUNNING for each) and reports how the others
   * ended (TASK_FAILED "Executor terminated" when the exit code is unknown).
   */
  recover(): Promise<void>;
  /** The tasks known now. */
  tasks(): readonly ExecutorTaskInfo[];
  /** The sandbox directory of a task (known or from the checkpoint), or null. */
  sandboxOf(taskId: TaskId): string | null;
  /**
   * Stops watching. `killTasks: true` kills every task's process group
   * (SIGTERM, then SIGKILL after the grace period) and waits for it; false
   * leaves them running for a restarted agent to recover (a crash or SIGKILL
   * of the agent process does the same).
   */
  close(options: { readonly killTasks: boolean }): Promise<void>;
}
