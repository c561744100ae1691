/**
 * What the executor asks of the operating system about its tasks' processes:
 * is a pid still the process we started (start time from /proc/<pid>/stat,
 * so a reused pid is not mistaken for our task), is a process group still
 * alive (zombies waiting for a reaper do not count), and signalling a group.
 * Off Linux, /proc is absent: liveness falls back to `kill(pid, 0)` and the
 * pid-reuse guard is off.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** The fields of /proc/<pid>/stat the executor uses. */
export interface ProcStat {
  /** One letter: R, S, D, Z (zombie), T... */
  readonly state: string;
  readonly pgrp: number;
  /** Clock ticks after boot when the process started (field 22): a pid's identity with the pid. */
  readonly startTicks: number;
}

/** Parses the text of /proc/<pid>/stat (the command name may hold spaces and parentheses). */
export function parseProcStat(text: string): ProcStat | null {
  const close = text.lastIndexOf(')');
  if (close < 0) return null;
  // Fields after the name start at field 3 (state).
  const fields = text.slice(close + 2).trim().split(' ');
  const state = fields[0];
  const pgrp = Number(fields[2]);
  const startTicks = Number(fields[19]);
  if (state === undefined || !Number.isInteger(pgrp) || !Number.isInteger(startTicks)) return null;
  return { state, pgrp, startTicks };
}

/** Whether this system has /proc (Linux). */
export function hasProc(): boolean {
  try {
    readFileSync('/proc/self/stat', 'utf8');
    return true;
  } catch {
    return false;
  }
}

/** /proc/<pid>/stat, or null when the process is gone (or there is no /proc). */
export function readProcStat(pid: number): ProcStat | null {
  try {
    return parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return null;
  }
}

/** Whether `kill(target, 0)` finds a process (EPERM: it exists, not ours). */
function signalZero(target: number): boolean {
  try {
    process.kill(target, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Whether `pid` is still the process that started at `startTicks` and has not
 * exited (a zombie has exited). `startTicks` null: no guard (no /proc then).
 */
export function processAlive(pid: number, startTicks: number | null): boolean {
  const stat = readProcStat(pid);
  if (stat === null) return !hasProc() && signalZero(pid);
  if (stat.state === 'Z' || stat.state === 'X') return false;
  return startTicks === null || stat.startTicks === startTicks;
}

/**
 * Whether any process of group `pgid` still runs. `kill(-pgid, 0)` also
 * succeeds while members are zombies not yet reaped (an orphan waits for
 * init, which in a container may reap late), so on Linux the members are
 * looked up in /proc.
 */
export function groupAlive(pgid: number): boolean {
  if (!signalZero(-pgid)) return false;
  if (!hasProc()) return true;
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = readProcStat(Number(name));
    if (stat !== null && stat.pgrp === pgid && stat.state !== 'Z' && stat.state !== 'X') return true;
  }
  return false;
}

/** Sends `signal` to every process of group `pgid`; false when there is none. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}
