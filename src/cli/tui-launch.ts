/**
 * Runs the full-screen TUI over a feed on this process's terminal: the first
 * frame before Ink loads (src/tui/first-paint.ts), Ink after, the terminal
 * restored on every exit (q, ctrl-c, SIGTERM, SIGHUP, a crash). `faultline
 * replay` uses it; `up` has its own copy with the API server and scenario run
 * around it.
 */
import { EXIT } from '../core/exit-codes.js';
import type { ClusterFeed } from '../tui/source.js';
import type { TuiHandle } from '../tui/index.js';
import type { TuiSession } from '../tui/session.js';
import type { CliIo } from './io.js';

/** Why the TUI cannot run on these streams, or null: it needs a terminal on both ends that can move the cursor. */
export function noTuiReason(io: CliIo): string | null {
  if (!io.stdout.isTTY) return 'stdout is not a terminal';
  if (!io.stdin.isTTY) return 'stdin is not a terminal (no keys would reach it)';
  if (io.env.TERM === 'dumb') return 'TERM=dumb cannot move the cursor';
  return null;
}

/** Options of a terminal run. */
export interface TerminalTuiOptions {
  readonly io: CliIo;
  readonly feed: ClusterFeed;
  readonly noColor: boolean;
  /** Called once the session exists (before Ink loads): open a pane, move the selection. */
  readonly onStart?: (session: TuiSession) => void;
  /** Stops the feed's timers. */
  readonly stop: () => void;
  /** Lines for stderr after the terminal is restored. */
  readonly exitLines?: () => readonly string[];
}

/** Runs the TUI until it exits; its exit code. */
export async function runTuiOnTerminal(options: TerminalTuiOptions): Promise<number> {
  const { io, feed } = options;
  const stdout = io.stdout as NodeJS.WriteStream;
  const tuiOptions = { feed, stdin: io.stdin as NodeJS.ReadStream, stdout, readonly: true, noColor: options.noColor, scenario: null };
  const { frameText, paintFirstFrame } = await import('../tui/first-paint.js');
  const { restoreTerminal } = await import('../tui/terminal.js');
  return await new Promise<number>((resolve) => {
    let settled = false;
    let handle: TuiHandle | null = null;
    let session: TuiSession | null = null;
    const cleanup: Array<() => void> = [];
    const finish = (code: number, error?: unknown): void => {
      if (settled) return;
      settled = true;
      options.stop();
      session?.dispose();
      for (const undo of cleanup) undo();
      restoreTerminal(stdout);
      if (error) io.stderr.write(`faultline: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      for (const line of options.exitLines?.() ?? []) io.stderr.write(`faultline: ${line}\n`);
      resolve(code);
    };
    const onSignal = (code: number) => () => (handle === null ? finish(code) : handle.exit(code));
    const onTerm = onSignal(EXIT.terminated);
    const onHup = onSignal(EXIT.hangup);
    const onCrash = (error: unknown): void => {
      handle?.unmount();
      finish(EXIT.internal, error);
    };
    process.on('SIGTERM', onTerm);
    process.on('SIGHUP', onHup);
    process.on('uncaughtException', onCrash);
    cleanup.push(
      () => process.off('SIGTERM', onTerm),
      () => process.off('SIGHUP', onHup),
      () => process.off('uncaughtException', onCrash),
    );
    try {
      session = paintFirstFrame(tuiOptions);
      if (options.onStart) {
        options.onStart(session);
        // Ink's first frame is drawn over the painted one line by line: paint what it will draw, on a clear screen.
        stdout.write(`\x1b[2J${frameText(session.frames.of(session.store.getState()), options.noColor)}`);
      }
    } catch (error) {
      finish(EXIT.internal, error);
      return;
    }
    const painted = session;
    import('../tui/index.js').then(
      ({ runTui }) => {
        if (settled) return;
        handle = runTui({ ...tuiOptions, session: painted, onExit: (code, error) => finish(code, error) });
      },
      (error: unknown) => finish(EXIT.internal, error),
    );
  });
}
