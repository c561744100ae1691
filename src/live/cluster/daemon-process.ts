/**
 * One daemon of a live run as an OS process: started detached (its own
 * process group, so the terminal's Ctrl-C reaches the runner, which decides
 * what stops), its output appended to a log file, killed, stopped and
 * continued with real signals.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';

/** How to start a process. */
export interface Launch {
  readonly command: string;
  readonly args: readonly string[];
}

/** Every process any daemon of this process started and that still runs: killed on exit whatever happens. */
const running = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const child of running) signal(child, 'SIGKILL');
  });
}

function signal(child: ChildProcess, name: NodeJS.Signals): boolean {
  try {
    return child.kill(name);
  } catch {
    return false;
  }
}

/** A daemon process; start() may be called again after it died (a restart). */
export class DaemonProcess {
  private child: ChildProcess | null = null;

  constructor(private readonly logPath: string) {}

  /** Starts the process (does nothing when it runs). */
  start(launch: Launch): void {
    if (this.alive()) return;
    installExitHook();
    const log = openSync(this.logPath, 'a');
    try {
      const child = spawn(launch.command, [...launch.args], { stdio: ['ignore', log, log], detached: true, env: { ...process.env, CI: 'true' } });
      child.on('error', () => undefined);
      running.add(child);
      child.once('exit', () => running.delete(child));
      this.child = child;
    } finally {
      closeSync(log);
    }
  }

  /** Its pid while it runs. */
  pid(): number | null {
    return this.alive() ? (this.child?.pid ?? null) : null;
  }

  /** Whether the process has not exited. */
  alive(): boolean {
    const child = this.child;
    return child !== null && child.exitCode === null && child.signalCode === null;
  }

  /** Sends a signal (SIGKILL, SIGSTOP, SIGCONT); false when it is not running. */
  signal(name: NodeJS.Signals): boolean {
    const child = this.child;
    return child !== null && this.alive() && signal(child, name);
  }

  /**
   * SIGKILLs it and waits until it is gone. The process counts as gone at
   * once: a restart right after (stop, then start, in one fault) starts a new
   * one rather than waiting for the old one's exit to be reported.
   */
  async kill(): Promise<void> {
    const child = this.child;
    if (child === null || !this.alive()) return;
    this.child = null;
    const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    signal(child, 'SIGKILL');
    await gone;
  }
}
