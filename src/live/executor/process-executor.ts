/**
 * The process executor: each task is a real `sh -c <command>` in its own
 * process group and session (spawned detached, under the wrapper of
 * wrapper.ts), in the sandbox `<workDir>/sandboxes/<taskId>/` with `stdout`
 * and `stderr` files the child writes itself (opened for append and handed
 * over), so a task outlives the agent process. It reports TASK_STARTING when
 * the sandbox is made, TASK_RUNNING once the process exists, then a terminal
 * state with Mesos's message (wait-status.ts).
 *
 * Tasks it started itself end through Node's exit event; tasks it adopted in
 * recover() (started by an earlier agent process) are polled: the wrapper's
 * pid with its /proc start time, and the exit_status file the wrapper leaves.
 * The checkpoint `<workDir>/executor.json` is rewritten after every change.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { TaskId } from '../../core/ids.js';
import type { ExecutorMessage, TaskInfo } from '../../core/messages.js';
import { readExecutorCheckpoint, writeExecutorCheckpoint, type CheckpointedProcess } from './checkpoint.js';
import { processAlive, readProcStat, signalGroup } from './proc.js';
import { taskEnvironment } from './task-env.js';
import type { ExecutorTaskInfo, ProcessExecutor, ProcessExecutorOptions } from './types.js';
import { EXECUTOR_TERMINATED_MESSAGE, terminalStatus, waitStatusFromShell, type WaitStatus } from './wait-status.js';
import { EXIT_STATUS_FILE, parseExitStatus, wrapperArgs } from './wrapper.js';

/** Mesos's default kill grace period. */
export const DEFAULT_KILL_GRACE_PERIOD_MS = 3000;
/** How often an adopted task is checked. */
export const DEFAULT_POLL_INTERVAL_MS = 250;
/** Ended tasks kept (in memory and in the checkpoint) so a restarted agent still learns how they ended. */
export const ENDED_TASKS_KEPT = 1000;

/** The checkpoint's file name in the work directory. */
export const EXECUTOR_CHECKPOINT_FILE = 'executor.json';

/** A sandbox directory name for a task id (ids with `/` or `..` must not escape `sandboxes/`). */
export function sandboxName(taskId: TaskId): string {
  const encoded = encodeURIComponent(taskId);
  return encoded === '.' || encoded === '..' ? encoded.replace(/\./g, '%2E') : encoded;
}

/** The sandbox directory of a task under a work directory. */
export function sandboxPath(workDir: string, taskId: TaskId): string {
  return join(resolve(workDir), 'sandboxes', sandboxName(taskId));
}

type Final = { readonly state: ExecutorMessage['state']; readonly message?: string };

interface TaskRecord {
  readonly taskId: TaskId;
  readonly sandbox: string;
  readonly startedAtMs: number;
  pid: number | null;
  startTicks: number | null;
  /** False when the checkpointed pid now belongs to another process: never signal it. */
  pidOurs: boolean;
  state: ExecutorMessage['state'];
  killRequested: boolean;
  final: Final | null;
  /** Set for a task this executor spawned (it gets the exit event). */
  child: ChildProcess | null;
  pollTimer: unknown;
  graceTimer: unknown;
  readonly ended: Array<() => void>;
}

/** Builds the process executor an agent daemon runs. */
export function createProcessExecutor(options: ProcessExecutorOptions): ProcessExecutor {
  const workDir = resolve(options.workDir);
  const checkpointPath = join(workDir, EXECUTOR_CHECKPOINT_FILE);
  const gracePeriodMs = options.killGracePeriodMs ?? DEFAULT_KILL_GRACE_PERIOD_MS;
  const pollIntervalMs = options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
  const timers = options.timers ?? { setTimeout: (fn: () => void, ms: number): unknown => setTimeout(fn, ms), clearTimeout: (h: unknown) => clearTimeout(h as NodeJS.Timeout) };
  const baseEnv = options.baseEnv ?? process.env;
  const records = new Map<TaskId, TaskRecord>();
  /** After close(): no more reports, no more checkpoint writes (a successor may own the work directory). */
  let closed = false;

  const persist = (): void => {
    if (closed) return;
    const entries: CheckpointedProcess[] = [];
    for (const r of records.values()) {
      entries.push({ taskId: r.taskId, pid: r.pid, startTicks: r.startTicks, sandbox: r.sandbox, startedAtMs: r.startedAtMs, killRequested: r.killRequested, final: r.final });
    }
    try {
      writeExecutorCheckpoint(checkpointPath, { version: 1, tasks: entries });
    } catch (error) {
      // A full or read-only disk must not crash the agent from inside an exit event; the next change writes again.
      options.warn?.(`cannot write ${checkpointPath}: ${(error as Error).message}`);
    }
  };

  /** Reports after the current handler returns: the agent calls launch/kill from inside its own handlers. */
  const report = (record: TaskRecord, state: ExecutorMessage['state'], message?: string): void => {
    record.state = state;
    const status: ExecutorMessage = message === undefined ? { type: 'executor.status', taskId: record.taskId, state } : { type: 'executor.status', taskId: record.taskId, state, message };
    queueMicrotask(() => {
      if (!closed) options.report(status);
    });
  };

  const clearTimers = (record: TaskRecord): void => {
    if (record.pollTimer !== null) timers.clearTimeout(record.pollTimer);
    if (record.graceTimer !== null) timers.clearTimeout(record.graceTimer);
    record.pollTimer = null;
    record.graceTimer = null;
  };

  /** Drops the oldest ended tasks beyond ENDED_TASKS_KEPT. */
  const pruneEnded = (): void => {
    const ended = [...records.values()].filter((r) => r.final !== null);
    for (const r of ended.slice(0, Math.max(0, ended.length - ENDED_TASKS_KEPT))) records.delete(r.taskId);
  };

  /** The status the wrapper left in the sandbox, if any. */
  const readExitFile = (record: TaskRecord): WaitStatus | null => {
    try {
      const value = parseExitStatus(readFileSync(join(record.sandbox, EXIT_STATUS_FILE), 'utf8'));
      return value === null ? null : waitStatusFromShell(value);
    } catch {
      return null;
    }
  };

  /** The task ended (`status` null: nobody knows how). */
  const finish = (record: TaskRecord, status: WaitStatus | null): void => {
    if (status !== null) end(record, terminalStatus(status, record.killRequested));
    else end(record, { state: record.killRequested ? 'TASK_KILLED' : 'TASK_FAILED', message: EXECUTOR_TERMINATED_MESSAGE });
  };

  /** Records and reports a task's end; kills what is left of its group, as Mesos destroys the container. */
  const end = (record: TaskRecord, final: Final): void => {
    if (record.final !== null) return;
    clearTimers(record);
    if (record.pid !== null && record.pidOurs) signalGroup(record.pid, 'SIGKILL');
    record.final = final;
    record.child = null;
    pruneEnded();
    persist();
    report(record, final.state, final.message);
    for (const resolveEnded of record.ended.splice(0)) resolveEnded();
  };

  const sendTerm = (record: TaskRecord): void => {
    if (record.pid === null || !record.pidOurs) return;
    signalGroup(record.pid, 'SIGTERM');
    record.graceTimer = timers.setTimeout(() => {
      record.graceTimer = null;
      if (record.final !== null || record.pid === null) return;
      signalGroup(record.pid, 'SIGKILL');
    }, gracePeriodMs);
  };

  /** An adopted task: checked every pollIntervalMs until its wrapper is gone. */
  const poll = (record: TaskRecord): void => {
    record.pollTimer = timers.setTimeout(() => {
      record.pollTimer = null;
      if (record.final !== null || closed) return;
      if (record.pid !== null && processAlive(record.pid, record.startTicks)) poll(record);
      else finish(record, adoptedStatus(record));
    }, pollIntervalMs);
  };

  /** How an adopted task ended: the wrapper's file, else our SIGKILL (it leaves no file), else unknown. */
  const adoptedStatus = (record: TaskRecord): WaitStatus | null => {
    const fromFile = readExitFile(record);
    if (fromFile !== null) return fromFile;
    // Only our own group: a reused pid was never signalled, by us or the previous executor.
    return record.killRequested && record.pidOurs ? { kind: 'signaled', signal: 'SIGKILL' } : null;
  };

  const newRecord = (fields: Pick<TaskRecord, 'taskId' | 'sandbox' | 'startedAtMs'> & Partial<TaskRecord>): TaskRecord => ({
    pid: null,
    startTicks: null,
    pidOurs: true,
    state: 'TASK_STARTING',
    killRequested: false,
    final: null,
    child: null,
    pollTimer: null,
    graceTimer: null,
    ended: [],
    ...fields,
  });

  const launch = (task: TaskInfo): void => {
    if (closed || records.has(task.taskId)) return; // a duplicated launch never starts a second process
    const sandbox = sandboxPath(workDir, task.taskId);
    const record = newRecord({ taskId: task.taskId, sandbox, startedAtMs: Date.now() });
    records.set(task.taskId, record);
    let stdoutFd: number;
    let stderrFd: number;
    try {
      mkdirSync(sandbox, { recursive: true });
      stdoutFd = openSync(join(sandbox, 'stdout'), 'a');
      stderrFd = openSync(join(sandbox, 'stderr'), 'a');
    } catch (error) {
      record.final = { state: 'TASK_FAILED', message: `Failed to create sandbox: ${(error as Error).message}` };
      persist();
      report(record, 'TASK_FAILED', record.final.message);
      return;
    }
    persist();
    report(record, 'TASK_STARTING');
    let child: ChildProcess;
    try {
      child = spawn('/bin/sh', wrapperArgs(task.command), {
        cwd: sandbox,
        env: taskEnvironment({ task, sandbox, base: baseEnv, extra: options.env }),
        detached: true,
        stdio: ['ignore', stdoutFd, stderrFd],
      });
    } catch (error) {
      // Node refuses some arguments outright (a NUL byte in the command or the environment).
      end(record, { state: 'TASK_FAILED', message: `Failed to launch command: ${(error as Error).message}` });
      return;
    } finally {
      closeSync(stdoutFd);
      closeSync(stderrFd);
    }
    record.child = child;
    // libuv spawns synchronously: the pid is known now, so it is checkpointed before anything can crash.
    if (child.pid !== undefined) {
      record.pid = child.pid;
      record.startTicks = readProcStat(child.pid)?.startTicks ?? null;
      persist();
    }
    child.once('spawn', () => {
      if (record.final !== null) return;
      report(record, 'TASK_RUNNING');
    });
    child.once('error', (error) => {
      // Only a failed spawn: once the process exists, its exit event tells how it ended.
      if (record.pid === null) end(record, { state: 'TASK_FAILED', message: `Failed to launch command: ${error.message}` });
    });
    child.once('exit', (code, signal) => {
      const fromFile = readExitFile(record);
      if (fromFile !== null) finish(record, fromFile);
      else if (signal !== null) finish(record, { kind: 'signaled', signal });
      else finish(record, code === null ? null : waitStatusFromShell(code));
    });
  };

  const kill = (taskId: TaskId): void => {
    const record = records.get(taskId);
    if (record === undefined || record.final !== null || record.killRequested || closed) return;
    record.killRequested = true;
    persist();
    sendTerm(record);
  };

  const recover = async (): Promise<void> => {
    const checkpoint = readExecutorCheckpoint(checkpointPath);
    for (const entry of checkpoint.tasks) {
      if (records.has(entry.taskId)) continue;
      const record = newRecord({ taskId: entry.taskId, sandbox: entry.sandbox, startedAtMs: entry.startedAtMs, pid: entry.pid, startTicks: entry.startTicks, killRequested: entry.killRequested });
      records.set(entry.taskId, record);
      if (entry.final !== null) {
        // Re-sent like a Mesos executor's unacknowledged update: the agent ignores what it already knows.
        record.final = entry.final;
        report(record, entry.final.state, entry.final.message);
        continue;
      }
      if (entry.pid === null) {
        finish(record, null);
        continue;
      }
      if (processAlive(entry.pid, entry.startTicks)) {
        report(record, 'TASK_RUNNING');
        if (record.killRequested) sendTerm(record);
        poll(record);
        continue;
      }
      const stat = readProcStat(entry.pid);
      // Gone, or the pid now names another process (started at another time): that one is not ours to signal.
      record.pidOurs = !(stat !== null && entry.startTicks !== null && stat.startTicks !== entry.startTicks);
      finish(record, adoptedStatus(record));
    }
    persist();
    await Promise.resolve();
  };

  const close = async (closeOptions: { readonly killTasks: boolean }): Promise<void> => {
    if (closed) return;
    if (closeOptions.killTasks) {
      const running = [...records.values()].filter((r) => r.final === null);
      const ended = running.map((r) => new Promise<void>((resolveEnded) => r.ended.push(resolveEnded)));
      for (const r of running) {
        if (!r.killRequested) kill(r.taskId);
        else if (r.graceTimer === null && r.pid !== null) sendTerm(r);
      }
      await Promise.all(ended);
    }
    closed = true;
    for (const r of records.values()) {
      clearTimers(r);
      // Left running for a successor: stop listening, and let this process exit without waiting for it.
      if (r.child !== null) {
        r.child.removeAllListeners();
        r.child.unref();
      }
    }
  };

  const tasks = (): readonly ExecutorTaskInfo[] =>
    [...records.values()].map((r) => ({ taskId: r.taskId, pid: r.pid, sandbox: r.sandbox, state: r.state, startedAtMs: r.startedAtMs }));

  const sandboxOf = (taskId: TaskId): string | null => {
    const known = records.get(taskId);
    if (known !== undefined) return known.sandbox;
    const path = sandboxPath(workDir, taskId);
    return existsSync(path) ? path : null;
  };

  return { launch, kill, recover, tasks, sandboxOf, close };
}
