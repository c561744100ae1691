/** The live process executor: what the agent daemon imports. */
export type { ExecutorTaskInfo, ExecutorTimers, ProcessExecutor, ProcessExecutorOptions } from './types.js';
export {
  createProcessExecutor,
  DEFAULT_KILL_GRACE_PERIOD_MS,
  DEFAULT_POLL_INTERVAL_MS,
  ENDED_TASKS_KEPT,
  EXECUTOR_CHECKPOINT_FILE,
  sandboxName,
  sandboxPath,
} from './process-executor.js';
export { CheckpointError, readExecutorCheckpoint, type CheckpointedProcess, type ExecutorCheckpoint } from './checkpoint.js';
export { writeFileAtomic } from './atomic-file.js';
export { groupAlive, processAlive } from './proc.js';
export { EXIT_STATUS_FILE } from './wrapper.js';
