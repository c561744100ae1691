/**
 * How a task ended, in Mesos's words. The command executor
 * (apache/mesos src/launcher/executor.cpp) reports `"Command " +
 * WSTRINGIFY(status)` (src/common/status_utils.hpp): "exited with status N",
 * or "terminated with signal " + strsignal(sig), glibc's description of the
 * signal ("Terminated", "Killed"), not its name. TASK_KILLED when the kill
 * came from the executor's kill(), whatever the status; TASK_FINISHED on exit
 * 0; TASK_FAILED otherwise.
 */
import type { ExecutorMessage } from '../../core/messages.js';

/** How a task's process ended. */
export type WaitStatus = { readonly kind: 'exited'; readonly code: number } | { readonly kind: 'signaled'; readonly signal: string };

/** glibc's strsignal text per signal name (Linux), what Mesos prints. */
const STRSIGNAL: Readonly<Record<string, string>> = {
  SIGHUP: 'Hangup',
  SIGINT: 'Interrupt',
  SIGQUIT: 'Quit',
  SIGILL: 'Illegal instruction',
  SIGTRAP: 'Trace/breakpoint trap',
  SIGABRT: 'Aborted',
  SIGBUS: 'Bus error',
  SIGFPE: 'Floating point exception',
  SIGKILL: 'Killed',
  SIGUSR1: 'User defined signal 1',
  SIGSEGV: 'Segmentation fault',
  SIGUSR2: 'User defined signal 2',
  SIGPIPE: 'Broken pipe',
  SIGALRM: 'Alarm clock',
  SIGTERM: 'Terminated',
  SIGSTKFLT: 'Stack fault',
  SIGCHLD: 'Child exited',
  SIGCONT: 'Continued',
  SIGSTOP: 'Stopped (signal)',
  SIGTSTP: 'Stopped',
  SIGTTIN: 'Stopped (tty input)',
  SIGTTOU: 'Stopped (tty output)',
  SIGURG: 'Urgent I/O condition',
  SIGXCPU: 'CPU time limit exceeded',
  SIGXFSZ: 'File size limit exceeded',
  SIGVTALRM: 'Virtual timer expired',
  SIGPROF: 'Profiling timer expired',
  SIGWINCH: 'Window changed',
  SIGIO: 'I/O possible',
  SIGPWR: 'Power failure',
  SIGSYS: 'Bad system call',
};

/** Linux signal numbers, for the shell's `128 + N` exit statuses. */
const SIGNAL_BY_NUMBER: readonly string[] = [
  '', 'SIGHUP', 'SIGINT', 'SIGQUIT', 'SIGILL', 'SIGTRAP', 'SIGABRT', 'SIGBUS', 'SIGFPE', 'SIGKILL', 'SIGUSR1',
  'SIGSEGV', 'SIGUSR2', 'SIGPIPE', 'SIGALRM', 'SIGTERM', 'SIGSTKFLT', 'SIGCHLD', 'SIGCONT', 'SIGSTOP', 'SIGTSTP',
  'SIGTTIN', 'SIGTTOU', 'SIGURG', 'SIGXCPU', 'SIGXFSZ', 'SIGVTALRM', 'SIGPROF', 'SIGWINCH', 'SIGIO', 'SIGPWR', 'SIGSYS',
];

/** glibc's description of a signal (`strsignal`), by name. */
export function describeSignal(signal: string): string {
  const known = STRSIGNAL[signal];
  if (known !== undefined) return known;
  const number = SIGNAL_BY_NUMBER.indexOf(signal);
  return `Unknown signal ${number > 0 ? number : signal}`;
}

/**
 * A shell's `$?` as a wait status: above 128 is death by signal `$? - 128`
 * (the shell cannot tell `exit 143` from SIGTERM; neither can we, so a task
 * that exits with 129..159 reads as signalled).
 */
export function waitStatusFromShell(status: number): WaitStatus {
  if (status > 128 && status - 128 < SIGNAL_BY_NUMBER.length) return { kind: 'signaled', signal: SIGNAL_BY_NUMBER[status - 128] ?? '' };
  return { kind: 'exited', code: status };
}

/** Mesos's `WSTRINGIFY`, with "Command " in front. */
export function commandMessage(status: WaitStatus): string {
  switch (status.kind) {
    case 'exited':
      return `Command exited with status ${status.code}`;
    case 'signaled':
      return `Command terminated with signal ${describeSignal(status.signal)}`;
  }
}

/** The terminal state and message for a task that ended with `status`. */
export function terminalStatus(status: WaitStatus, killRequested: boolean): Pick<ExecutorMessage, 'state' | 'message'> {
  const message = commandMessage(status);
  if (killRequested) return { state: 'TASK_KILLED', message };
  if (status.kind === 'exited' && status.code === 0) return { state: 'TASK_FINISHED', message };
  return { state: 'TASK_FAILED', message };
}

/** What Mesos's agent says of a task whose executor ended with no status to tell (src/slave/slave.cpp). */
export const EXECUTOR_TERMINATED_MESSAGE = 'Executor terminated';
