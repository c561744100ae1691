/**
 * Killing what runs in a namespace and deleting it, asynchronously (close,
 * sweep) and synchronously (the process's 'exit' hook, where nothing async
 * runs any more). SIGKILL because a lab's processes are test nodes: a
 * graceful stop is the runner's business before it closes the lab.
 */
import { execFileSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import type { CommandRunner } from './command-runner.js';
import { parsePids } from './names.js';
import { labTools } from './tools.js';

/** Rounds of list-and-kill before giving up on a namespace whose processes keep forking. */
const KILL_ROUNDS = 50;

/** Pause between rounds: a killed process leaves the namespace when the kernel finishes its exit. */
const KILL_ROUND_PAUSE_MS = 20;

/** Sync commands in the exit hook must not hang the exit. */
const SYNC_TIMEOUT_MS = 3_000;

/** `ip netns pids NAME` (empty when the namespace is gone or `ip` fails). */
export async function namespacePids(exec: CommandRunner, name: string): Promise<number[]> {
  const listed = await exec(labTools().ip, ['netns', 'pids', name]);
  return listed.ok ? parsePids(listed.value.stdout) : [];
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone (ESRCH): what we wanted
  }
}

/** SIGKILLs every process in the namespace until none is left (or the rounds run out). Never throws. */
export async function killNamespaceProcesses(exec: CommandRunner, name: string): Promise<void> {
  for (let round = 0; round < KILL_ROUNDS; round += 1) {
    const pids = (await namespacePids(exec, name)).filter((pid) => pid !== process.pid);
    if (pids.length === 0) return;
    for (const pid of pids) killQuietly(pid);
    await sleep(KILL_ROUND_PAUSE_MS);
  }
}

/** Kills the namespace's processes, then deletes it; a namespace already gone is fine. Never throws. */
export async function removeNamespace(exec: CommandRunner, name: string): Promise<boolean> {
  await killNamespaceProcesses(exec, name);
  const deleted = await exec(labTools().ip, ['netns', 'del', name]);
  return deleted.ok || /No such file|not found|does not exist/i.test(deleted.error.message);
}

/** The same, synchronously, for the 'exit' hook. Never throws. */
export function removeNamespaceSync(name: string): void {
  const ip = labTools().ip;
  try {
    for (let round = 0; round < KILL_ROUNDS; round += 1) {
      const pids = parsePids(execFileSync(ip, ['netns', 'pids', name], { encoding: 'utf8', timeout: SYNC_TIMEOUT_MS, stdio: ['ignore', 'pipe', 'ignore'] })).filter((pid) => pid !== process.pid);
      if (pids.length === 0) break;
      for (const pid of pids) killQuietly(pid);
      // A short sync pause: Atomics.wait is the only sleep an exit hook has.
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, KILL_ROUND_PAUSE_MS);
    }
  } catch {
    // the namespace is gone, or ip failed: delete anyway
  }
  try {
    execFileSync(ip, ['netns', 'del', name], { timeout: SYNC_TIMEOUT_MS, stdio: 'ignore' });
  } catch {
    // already gone, or nothing more an exit hook can do
  }
}
