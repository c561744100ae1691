/**
 * The shell wrapper each task runs under. It is the task's process-group
 * leader (spawned detached), runs the command as `sh -c <command>` in the
 * foreground, and writes the command's `$?` to `exit_status` in the sandbox
 * (atomically: a temporary file renamed) before it exits. So the exit status
 * outlives the agent process: a restarted agent reads it from the file,
 * since it is no longer the parent and gets no exit event.
 *
 * SIGTERM to the group: the wrapper traps it (a handler, not "ignore", so the
 * command's shell gets the default action back), which defers it until the
 * foreground command ends, then records the status. SIGKILL to the group
 * kills the wrapper too, and no file is written; the executor knows it sent
 * that SIGKILL.
 */

/** The file the wrapper writes the command's `$?` to, in the sandbox. */
export const EXIT_STATUS_FILE = 'exit_status';

/** The wrapper script (`$1` is the command). */
export const WRAPPER_SCRIPT = [
  "trap ':' TERM",
  '/bin/sh -c "$1"',
  'status=$?',
  `printf '%s\\n' "$status" > ${EXIT_STATUS_FILE}.tmp && mv -f ${EXIT_STATUS_FILE}.tmp ${EXIT_STATUS_FILE}`,
  'exit "$status"',
].join('\n');

/** The argv that runs `command` under the wrapper (`$0` names the wrapper in `ps`). */
export function wrapperArgs(command: string): string[] {
  return ['-c', WRAPPER_SCRIPT, 'faultline-task', command];
}

/** Parses the exit_status file's text: the shell's `$?`, or null when it is not one. */
export function parseExitStatus(text: string): number | null {
  const trimmed = text.trim();
  if (!/^\d{1,3}$/.test(trimmed)) return null;
  const value = Number(trimmed);
  return value <= 255 ? value : null;
}
