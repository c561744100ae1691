/**
 * Test harness for the process executor: a temporary work directory, the
 * reports collected, condition waits with a deadline (never timed
 * assertions), and a cleanup that SIGKILLs every process group any executor
 * of the test started, also when the test failed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TaskId } from '../../../src/core/ids.js';
import type { ExecutorMessage, TaskInfo } from '../../../src/core/messages.js';
import { resources, type PortRange } from '../../../src/core/resources.js';
import { groupAlive } from '../../../src/live/executor/proc.js';
import { createProcessExecutor } from '../../../src/live/executor/process-executor.js';
import type { ProcessExecutor, ProcessExecutorOptions } from '../../../src/live/executor/types.js';

/** Waits until `predicate` holds, polling; throws with `what` after `deadlineMs`. */
export async function waitFor(predicate: () => boolean, what: string, deadlineMs = 8000): Promise<void> {
  const until = Date.now() + deadlineMs;
  while (!predicate()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A task running `command`. */
export function taskInfo(taskId: string, command: string, ports: readonly PortRange[] = []): TaskInfo {
  return { taskId: taskId as TaskId, name: 'app', agentId: 'agent-1' as never, resources: resources({ cpus: 0.1, mem: 32, ports }), command };
}

/** One test's world: a work directory and the executors built on it. */
export class ExecutorHarness {
  readonly workDir = mkdtempSync(join(tmpdir(), 'faultline-executor-'));
  readonly reports: ExecutorMessage[] = [];
  private readonly executors: ProcessExecutor[] = [];
  private readonly pgids = new Set<number>();

  /** A new executor on this work directory (reports go to `reports`). */
  executor(options: Partial<ProcessExecutorOptions> = {}): ProcessExecutor {
    const executor = createProcessExecutor({ workDir: this.workDir, report: (s) => this.reports.push(s), killGracePeriodMs: 1000, pollIntervalMs: 50, ...options });
    this.executors.push(executor);
    return executor;
  }

  /** Remembers the process groups of an executor's tasks, for cleanup. */
  track(executor: ProcessExecutor): void {
    for (const t of executor.tasks()) if (t.pid !== null) this.pgids.add(t.pid);
  }

  /** The reports of one task's states, in order. */
  states(taskId: string): string[] {
    return this.reports.filter((r) => r.taskId === taskId).map((r) => r.state);
  }

  /** The last report of a task. */
  last(taskId: string): ExecutorMessage | undefined {
    return this.reports.filter((r) => r.taskId === taskId).at(-1);
  }

  /** Waits for a report of `taskId` in `state`; returns it. */
  async reported(taskId: string, state: ExecutorMessage['state'], from = 0): Promise<ExecutorMessage> {
    await waitFor(() => this.reports.slice(from).some((r) => r.taskId === taskId && r.state === state), `${taskId} ${state}`);
    const found = this.reports.slice(from).find((r) => r.taskId === taskId && r.state === state);
    if (found === undefined) throw new Error('unreachable');
    return found;
  }

  /** The pid (= pgid) of a task of an executor, once it runs. */
  async pgidOf(executor: ProcessExecutor, taskId: string): Promise<number> {
    await waitFor(() => executor.tasks().some((t) => t.taskId === taskId && t.pid !== null), `${taskId} has a pid`);
    this.track(executor);
    const pid = executor.tasks().find((t) => t.taskId === taskId)?.pid;
    if (pid === undefined || pid === null) throw new Error('unreachable');
    return pid;
  }

  /** Kills every group started, closes every executor, removes the work directory. */
  async cleanup(): Promise<void> {
    for (const e of this.executors) this.track(e);
    for (const pgid of this.pgids) {
      try {
        process.kill(-pgid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    for (const e of this.executors) await e.close({ killTasks: false });
    rmSync(this.workDir, { recursive: true, force: true });
  }
}

/** Whether a process group has no live member (zombies awaiting init's reaping do not count). */
export function groupGone(pgid: number): boolean {
  return !groupAlive(pgid);
}

/** `process.kill(-pgid, 0)` throws ESRCH: not even a zombie is left. */
export function groupSignalFails(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
