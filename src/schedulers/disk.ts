/**
 * What a scheduler keeps across a restart of its process. Marathon keeps its
 * framework id, its task ids and its instance records in ZooKeeper; here the
 * runtime keeps this one mutable object alive across a scheduler restart and
 * hands it back to the new incarnation.
 *
 * The commit point is the runtime's, as for an agent's disk
 * (src/core/agent/disk.ts): after each handler the scheduler runs. The disk is
 * plain JSON (its `state` is the scheduler's own JSON records), so a live
 * runtime commits it with JSON.stringify and an atomic rename.
 */
import { assert } from '../core/errors.js';
import type { TaskId } from '../core/ids.js';

/** The scheduler's durable state. */
export interface SchedulerDisk {
  /** Null until the first SUBSCRIBE is answered; then reused on every resubscribe. */
  frameworkId: string | null;
  /** Last task number minted: task ids never repeat across restarts. */
  taskCounter: number;
  /**
   * The concrete scheduler's own records (a service's instances, a batch job's
   * progress), opaque to the driver. Unset on a fresh disk.
   */
  state?: unknown;
}

/** A fresh disk: no framework id yet, no task minted. */
export function newSchedulerDisk(): SchedulerDisk {
  return { frameworkId: null, taskCounter: 0 };
}

/** Whether a value the runtime hands back is a SchedulerDisk (it stores disks as `unknown`). */
export function isSchedulerDisk(value: unknown): value is SchedulerDisk {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (v['frameworkId'] === null || typeof v['frameworkId'] === 'string') && typeof v['taskCounter'] === 'number';
}

/** Narrows the runtime's `unknown` disk; a wrong object is a wiring bug. */
export function asSchedulerDisk(value: unknown): SchedulerDisk {
  assert(isSchedulerDisk(value), 'scheduler disk must come from newSchedulerDisk()');
  return value;
}

/** Digits in the task number: `web.000042` sorts like its launch order up to a million launches. */
const TASK_NUMBER_DIGITS = 6;

/** Mints the next task id of an app (`web.000042`) and records it on disk first, so a restart never reuses it. */
export function mintTaskId(disk: SchedulerDisk, app: string): { taskId: TaskId; seq: number } {
  disk.taskCounter += 1;
  const seq = disk.taskCounter;
  return { taskId: `${app}.${String(seq).padStart(TASK_NUMBER_DIGITS, '0')}`, seq };
}
