/**
 * Runs the TUI full screen with Ink on the streams it is given, and restores
 * the terminal on every way out. The CLI owns process-wide concerns: it sets
 * FORCE_COLOR=0 / NODE_ENV / CI before Ink loads, checks that stdout is a TTY,
 * and installs the SIGTERM / SIGHUP / uncaught-error handlers, which call
 * `handle.exit(code)` (or `restoreTerminal(stdout)` when no handle exists yet).
 */
import { render } from 'ink';
import { createElement } from 'react';
import { EXIT } from '../core/exit-codes.js';
import { App } from './app.js';
import { createTerminalSession, type TuiSession } from './session.js';
import type { ClusterFeed } from './source.js';
import { enterFullScreen, gatedStdout, restoreTerminal } from './terminal.js';

/** Exit code reported when Ink stopped on an error (internal error, as README.md's exit codes say). */
export const EXIT_CRASH = EXIT.internal;

/** Options of runTui. */
export interface RunTuiOptions {
  readonly feed: ClusterFeed;
  readonly stdin: NodeJS.ReadStream;
  readonly stdout: NodeJS.WriteStream;
  /** Where Ink reports errors; default process.stderr (Ink's default). */
  readonly stderr?: NodeJS.WriteStream;
  /** `--readonly`: fault keys and fault commands are off. */
  readonly readonly: boolean;
  /** Why it is read-only (`faultline top` on a master without chaos): `read-only: <reason>`. */
  readonly readonlyReason?: string | null;
  /** The header's words for the cluster instead of seed and profile. */
  readonly title?: string | null;
  /** `--no-color` / NO_COLOR / TERM=dumb: plain lines and ASCII meters (also set FORCE_COLOR=0 before Ink loads). */
  readonly noColor: boolean;
  /** `--scenario FILE`: start this scenario at once and show its panel. */
  readonly scenario?: string | null;
  /** Store update coalescing in ms (default 100, ~10 Hz). */
  readonly refreshMs?: number;
  /**
   * The session paintFirstFrame (first-paint.ts) made from these same options
   * and whose first frame is on screen already; default: a new one.
   */
  readonly session?: TuiSession;
  /**
   * Called once, after the terminal is restored: 0 for q / :q, 130 for ctrl-c,
   * the code given to `handle.exit`, or 70 with the error when Ink crashed
   * (print it now: the screen is back to normal).
   */
  onExit(code: number, error?: unknown): void;
}

/** A running TUI. */
export interface TuiHandle {
  readonly session: TuiSession;
  /** Stops the TUI (unmount, restore the terminal, then onExit(code)); idempotent. For SIGTERM/SIGHUP. */
  exit(code: number): void;
  /** Same as exit(0). */
  unmount(): void;
  /** Resolves with the exit code once the TUI has stopped and the terminal is restored. */
  readonly exited: Promise<number>;
}

/** Renders the TUI full screen over `feed` until the user quits or `exit` is called. */
export function runTui(options: RunTuiOptions): TuiHandle {
  const { stdout, stdin } = options;
  enterFullScreen(stdout);
  const session = options.session ?? createTerminalSession(options);
  const onResize = (): void => session.resize({ columns: stdout.columns || 80, rows: stdout.rows || 24 });
  stdout.on('resize', onResize);
  // A session made earlier (the first paint) missed any resize while Ink was loading.
  onResize();

  let quitCode: number | null = null;
  let finished = false;
  let resolveExited: (code: number) => void = () => {};
  const exited = new Promise<number>((resolve) => {
    resolveExited = resolve;
  });

  const inkStdout = gatedStdout(stdout);
  const instance = render(
    createElement(App, {
      session,
      // Raw mode on a stdin that is not a TTY throws: no keyboard then (the CLI refuses to start without a TTY anyway).
      inputEnabled: stdin.isTTY === true,
      onQuit: (code: number) => {
        quitCode = code;
      },
    }),
    {
      stdin,
      stdout: inkStdout.stream,
      ...(options.stderr ? { stderr: options.stderr } : {}),
      exitOnCtrlC: false, // ctrl-c is a key of ours: it must restore the terminal first
      patchConsole: false,
      // Not incremental: Ink 6.8's incremental renderer rewinds with cursorUp(lines - 1) although a frame
      // shorter than the terminal ends with a newline, so every repaint lands one row low (duplicated
      // header, stale rows; seen in tmux). The standard renderer erases and rewrites the rows-1 lines,
      // inside a synchronized-output bracket where the terminal supports it; at <= 10 frames a second that is cheap.
      incrementalRendering: false,
    },
  );

  const finish = (code: number, error?: unknown): void => {
    if (finished) return;
    finished = true;
    session.dispose();
    stdout.off('resize', onResize);
    try {
      instance.unmount();
    } catch {
      // Already unmounted (Ink stopped on its own); nothing left to tear down.
    }
    inkStdout.close();
    restoreTerminal(stdout);
    if (error === undefined) options.onExit(code);
    else options.onExit(code, error);
    resolveExited(code);
  };

  instance.waitUntilExit().then(
    () => finish(quitCode ?? 0),
    (error: unknown) => finish(EXIT_CRASH, error),
  );

  return { session, exit: (code) => finish(code), unmount: () => finish(0), exited };
}
