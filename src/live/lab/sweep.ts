/**
 * Removes the namespaces of runs that died without cleaning up: a runner
 * killed with SIGKILL runs no hook, and its cluster processes keep running in
 * its namespace. The next run calls `sweepStaleLabs`: every `flt-<pid>-<n>`
 * whose pid is not alive has its processes killed and is deleted.
 */
import { execFileRunner, type CommandRunner } from './command-runner.js';
import { parseNetnsList, staleLabNames } from './names.js';
import { removeNamespace } from './namespace-ops.js';
import { labTools } from './tools.js';

/** Whether a process with this pid exists (EPERM: it does, someone else's). */
export function isPidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Options for `sweepStaleLabs` (tests inject both). */
export interface SweepOptions {
  readonly exec?: CommandRunner;
  readonly isAlive?: (pid: number) => boolean;
}

/** Deletes every `flt-<pid>-*` namespace whose pid is dead, and its processes; returns the names removed. Never throws. */
export async function sweepStaleLabs(options: SweepOptions = {}): Promise<string[]> {
  const exec = options.exec ?? execFileRunner;
  const listed = await exec(labTools().ip, ['netns', 'list']);
  if (!listed.ok) return [];
  const removed: string[] = [];
  for (const name of staleLabNames(parseNetnsList(listed.value.stdout), options.isAlive ?? isPidAlive)) {
    if (await removeNamespace(exec, name)) removed.push(name);
  }
  return removed;
}
