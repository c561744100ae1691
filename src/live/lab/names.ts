/**
 * Namespace names: `flt-<pid>-<n>`, the opening process's pid and its n-th
 * lab. Short, because interface-like names are limited and `ip` prints them
 * in narrow columns; the pid lets a later run tell a dead run's namespace
 * (sweep it) from a live one's (leave it). Pure.
 */

/** The prefix of every namespace faultline creates. */
export const LAB_PREFIX = 'flt-';

/** `flt-4242-0`. */
export function labNamespaceName(pid: number, n: number): string {
  return `${LAB_PREFIX}${pid}-${n}`;
}

/** The pid in a `flt-<pid>-<n>` name, or null for any other name. */
export function pidOfLabName(name: string): number | null {
  const match = /^flt-(\d{1,10})-\d{1,10}$/.exec(name);
  return match === null ? null : Number(match[1]);
}

/** A name `ip netns add` takes and that stays short: letters, digits, `-_.`, 1 to 32 characters. */
export function isValidNamespaceName(name: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$/.test(name);
}

/** The names in `ip netns list` output (`flt-1-0 (id: 3)` or `flt-1-0` per line). */
export function parseNetnsList(stdout: string): string[] {
  return stdout
    .split('\n')
    .map((line) => line.trim().split(/\s+/)[0] ?? '')
    .filter((name) => name !== '');
}

/** The pids in `ip netns pids NAME` output, one a line. */
export function parsePids(stdout: string): number[] {
  return stdout
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => /^\d+$/.test(line))
    .map(Number);
}

/** The lab namespaces among `names` whose opening process is not alive (per `isAlive`). */
export function staleLabNames(names: readonly string[], isAlive: (pid: number) => boolean): string[] {
  return names.filter((name) => {
    const pid = pidOfLabName(name);
    return pid !== null && !isAlive(pid);
  });
}
