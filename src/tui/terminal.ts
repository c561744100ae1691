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
  // Clear before leaving: a terminal without an alternate screen (or one that reflowed the frame on a
  // resize) would otherwise keep rows of the last frame on the shell's screen.
  stdout.write(CLEAR + SHOW_CURSOR + LEAVE_ALT_SCREEN);
}

/**
 * `stdout` as Ink gets it: writes pass until `close()`, then are dropped, so a
 * render Ink still had pending (a resize, a throttled frame) cannot land on
 * the shell's screen after the terminal was restored.
 */
export function gatedStdout(stdout: NodeJS.WriteStream): { readonly stream: NodeJS.WriteStream; close(): void } {
  let open = true;
  const write = (...args: Parameters<NodeJS.WriteStream['write']>): boolean => (open ? stdout.write(...args) : true);
  const stream = new Proxy(stdout, {
    get(target, property) {
      if (property === 'write') return write;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  return {
    stream,
    close: () => {
      open = false;
    },
  };
}
