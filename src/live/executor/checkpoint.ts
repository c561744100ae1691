/**
 * The executor's checkpoint, `<workDir>/executor.json`: every task it started
 * with what a restarted agent process needs to find it again (the wrapper's
 * pid, which is also the task's process group, and that pid's start time to
 * tell it from a reused pid), whether a kill was asked for, and how ended
 * tasks ended (re-reported by recover(), as Mesos executors re-send their
 * unacknowledged updates to a recovered agent). Written atomically after each
 * change; a file that does not parse is a typed error naming the file.
 */
import { readFileSync } from 'node:fs';
import type { TaskId } from '../../core/ids.js';
import type { ExecutorMessage } from '../../core/messages.js';
import { writeFileAtomic } from './atomic-file.js';

/** One task in the checkpoint. */
export interface CheckpointedProcess {
  readonly taskId: TaskId;
  /** The wrapper shell's pid; it leads the task's process group, so this is the pgid too. Null before spawn. */
  readonly pid: number | null;
  /** /proc start time of `pid` in clock ticks (null off Linux). */
  readonly startTicks: number | null;
  readonly sandbox: string;
  /** Wall clock at launch (ms since the epoch), for display. */
  readonly startedAtMs: number;
  readonly killRequested: boolean;
  /** Set once the task ended: its terminal report. */
  readonly final: { readonly state: ExecutorMessage['state']; readonly message?: string } | null;
}

/** The file. */
export interface ExecutorCheckpoint {
  readonly version: 1;
  readonly tasks: readonly CheckpointedProcess[];
}

/** A checkpoint that exists but cannot be read back. */
export class CheckpointError extends Error {
  /** A code from src/core/errors.ts. */
  readonly code = 'CHECKPOINT_CORRUPT' as const;
  constructor(
    /** The file. */
    readonly path: string,
    detail: string,
  ) {
    super(`${path}: corrupt checkpoint: ${detail}`);
    this.name = 'CheckpointError';
  }
}

const STATES = new Set<string>(['TASK_STARTING', 'TASK_RUNNING', 'TASK_FINISHED', 'TASK_FAILED', 'TASK_KILLED']);

const isIntOrNull = (v: unknown): boolean => v === null || (typeof v === 'number' && Number.isInteger(v));

/** Checks one entry's shape; returns what is wrong, or null. */
function entryProblem(value: unknown): string | null {
  if (typeof value !== 'object' || value === null) return 'an entry is not an object';
  const e = value as Record<string, unknown>;
  if (typeof e.taskId !== 'string' || e.taskId === '') return 'an entry has no taskId';
  if (!isIntOrNull(e.pid) || (typeof e.pid === 'number' && e.pid <= 1)) return `task ${e.taskId}: bad pid`;
  if (!isIntOrNull(e.startTicks)) return `task ${e.taskId}: bad startTicks`;
  if (typeof e.sandbox !== 'string' || e.sandbox === '') return `task ${e.taskId}: bad sandbox`;
  if (typeof e.startedAtMs !== 'number') return `task ${e.taskId}: bad startedAtMs`;
  if (typeof e.killRequested !== 'boolean') return `task ${e.taskId}: bad killRequested`;
  if (e.final !== null) {
    const f = e.final as Record<string, unknown> | undefined;
    if (typeof f !== 'object' || typeof f.state !== 'string' || !STATES.has(f.state)) return `task ${e.taskId}: bad final`;
    if (f.message !== undefined && typeof f.message !== 'string') return `task ${e.taskId}: bad final message`;
  }
  return null;
}

/** Reads the checkpoint; an absent file is an empty one. Throws CheckpointError when it does not parse. */
export function readExecutorCheckpoint(path: string): ExecutorCheckpoint {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, tasks: [] };
    throw new CheckpointError(path, (error as Error).message);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new CheckpointError(path, `not JSON (${(error as Error).message})`);
  }
  if (typeof json !== 'object' || json === null) throw new CheckpointError(path, 'not an object');
  const file = json as Record<string, unknown>;
  if (file.version !== 1) throw new CheckpointError(path, `unknown version ${JSON.stringify(file.version)}`);
  if (!Array.isArray(file.tasks)) throw new CheckpointError(path, 'no tasks array');
  for (const entry of file.tasks) {
    const problem = entryProblem(entry);
    if (problem !== null) throw new CheckpointError(path, problem);
  }
  return json as ExecutorCheckpoint;
}

/** Writes the checkpoint atomically. */
export function writeExecutorCheckpoint(path: string, checkpoint: ExecutorCheckpoint): void {
  writeFileAtomic(path, `${JSON.stringify(checkpoint)}\n`);
}
