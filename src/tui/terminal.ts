/**
 * The terminal's full-screen mode: the alternate screen, the hidden cursor and,
 * for the first paint, raw input, switched on once per stream and restored on
 * every way out. No Ink here: the CLI restores the terminal with this even when
 * Ink never loaded (a signal or an error while it was loading).
 */

const ENTER_ALT_SCREEN = '\x1b[?1049h';
const LEAVE_ALT_SCREEN = '\x1b[?1049l';
const HIDE_CURSOR = '\x1b[?25l';
const SHOW_CURSOR = '\x1b[?25h';
const CLEAR = '\x1b[2J\x1b[H';

// Streams switched to the alternate screen, with the stdin put in raw mode alongside (if any).
const fullScreen = new WeakMap<object, NodeJS.ReadStream | null>();

/**
 * Switches `stdout` to the alternate screen and hides the cursor. With a TTY
 * `stdin`, also raw mode: keys typed before Ink listens then neither echo over
 * the screen nor turn ctrl-c into a SIGINT that would leave the screen
 * switched; they wait in stdin for Ink (which keeps raw mode and turns it off
 * when it unmounts).
 */
export function enterFullScreen(stdout: NodeJS.WriteStream, stdin?: NodeJS.ReadStream): void {
  if (fullScreen.has(stdout)) return;
  const raw = stdin?.isTTY === true ? stdin : null;
  raw?.setRawMode(true);
  fullScreen.set(stdout, raw);
  stdout.write(ENTER_ALT_SCREEN + HIDE_CURSOR + CLEAR);
}

/**
 * Leaves the alternate screen, shows the cursor and ends the raw mode
 * enterFullScreen began, if it switched this stream. Idempotent: safe from
 * every exit path (q, ctrl-c, signals, crash).
 */
export function restoreTerminal(stdout: NodeJS.WriteStream): void {
  if (!fullScreen.has(stdout)) return;
  const raw = fullScreen.get(stdout) ?? null;
  fullScreen.delete(stdout);
  raw?.setRawMode(false);
  stdout.write(SHOW_CURSOR + LEAVE_ALT_SCREEN);
}
