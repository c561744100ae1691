/**
 * Launching the full-screen TUI over a feed, shared by `faultline up` and
 * `faultline top`: the first frame before Ink loads, signal and crash
 * handlers that restore the terminal, and one `finish` that stops everything
 * and prints the closing lines. Also the refusal without a terminal.
 */
import { EXIT } from '../core/exit-codes.js';
import type { CliIo } from './io.js';
import type { ClusterFeed, TuiHandle } from '../tui/index.js';
import type { TuiSession } from '../tui/session.js';

/** Why the TUI cannot run on these streams, or null: it needs a terminal on both ends that can move the cursor. */
export function noTuiReason(io: CliIo): string | null {
  if (!io.stdout.isTTY) return 'stdout is not a terminal';
  if (!io.stdin.isTTY) return 'stdin is not a terminal (no keys would reach it)';
  if (io.env.TERM === 'dumb') return 'TERM=dumb cannot move the cursor';
  return null;
}

/** What to launch. */
export interface TuiLaunch {
  readonly feed: ClusterFeed;
  readonly readonly: boolean;
  readonly readonlyReason?: string | null;
  readonly title?: string | null;
  readonly noColor: boolean;
  readonly scenario: string | null;
  /** Called once the session exists, before Ink loads (replay opens a finding's pane here). */
  readonly onStart?: (session: TuiSession) => void;
  /** Starts the feed once Ink is up. */
  start(): void;
  /** Stops the feed and whatever serves beside it (called once, before the terminal is restored). */
  stop(): void;
  /** Lines printed to stderr after the terminal is restored (`faultline: ` is prefixed). */
  closingLines(session: TuiSession | null): readonly string[];
}

/** Runs the TUI until it quits; resolves with the exit code. */
export async function launchTui(launch: TuiLaunch, io: CliIo): Promise<number> {
  const stdout = io.stdout as NodeJS.WriteStream;
  const options = {
    feed: launch.feed,
    stdin: io.stdin as NodeJS.ReadStream,
    stdout,
    readonly: launch.readonly,
    readonlyReason: launch.readonlyReason ?? null,
    title: launch.title ?? null,
    noColor: launch.noColor,
    scenario: launch.scenario,
  };
  // The first frame goes up before Ink loads (src/tui/first-paint.ts): loading Ink and React is most of
  // the time to it. Both modules are Ink-free; Ink is imported only below, after the launcher set
  // FORCE_COLOR and CI for it.
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
      const lines = launch.closingLines(session);
      launch.stop();
      session?.dispose();
      for (const undo of cleanup) undo();
      restoreTerminal(stdout);
      if (error) io.stderr.write(`faultline: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      for (const line of lines) io.stderr.write(`faultline: ${line}\n`);
      resolve(code);
    };
    // Until Ink is up there is no handle: a signal or a crash then restores the terminal directly.
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
      session = paintFirstFrame(options);
      if (launch.onStart) {
        launch.onStart(session);
        // Ink's first frame is drawn over the painted one line by line: paint what it will draw, on a clear screen.
        stdout.write(`\x1b[2J${frameText(session.frames.of(session.store.getState()), launch.noColor)}`);
      }
    } catch (error) {
      finish(EXIT.internal, error);
      return;
    }
    const painted = session;
    import('../tui/index.js').then(
      ({ runTui }) => {
        if (settled) return;
        handle = runTui({ ...options, session: painted, onExit: (code, error) => finish(code, error) });
        launch.start();
      },
      (error: unknown) => finish(EXIT.internal, error),
    );
  });
}
