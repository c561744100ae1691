/**
 * The first frame, drawn before Ink is loaded. Loading Ink and React takes
 * 0.5-0.8 s (Ink alone is ~570 ES modules, 415 of them es-toolkit/compat for
 * one throttle), which was most of the time from launch to the first frame.
 * The session needs no React and the frame is pure (frame.ts), so the CLI
 * builds the session, paints its frame here as plain ANSI text, then loads Ink
 * and hands it the same session: Ink draws the same frame over this one (the
 * clock starts only after that). Keys typed in between wait in stdin (raw mode,
 * terminal.ts) and Ink handles them once it is up.
 */
import type { FrameLine } from './frame.js';
import type { RunTuiOptions } from './run.js';
import { createTerminalSession, type TuiSession } from './session.js';
import { enterFullScreen } from './terminal.js';
import { textStyle, type TextStyle } from './theme.js';

const HOME = '\x1b[H';
const RESET = '\x1b[0m';

/** What the first paint needs: runTui's options without the exit callback. */
export type FirstPaintOptions = Omit<RunTuiOptions, 'onExit' | 'stderr' | 'session'>;

/** Select Graphic Rendition codes of the colours the theme uses. */
function colourCode(color: string): number {
  switch (color) {
    case 'red':
      return 31;
    case 'green':
      return 32;
    case 'yellow':
      return 33;
    case 'magenta':
      return 35;
    case 'cyan':
      return 36;
    default:
      return 39;
  }
}

/** The escape sequence that starts a line in `style` ('' for plain). */
export function sgrOf(style: TextStyle): string {
  const codes: number[] = [];
  if (style.bold) codes.push(1);
  if (style.dimColor) codes.push(2);
  if (style.inverse) codes.push(7);
  if (style.color !== undefined) codes.push(colourCode(style.color));
  return codes.length === 0 ? '' : `\x1b[${codes.join(';')}m`;
}

/** A frame as terminal output from the top-left corner, leaving the cursor there for Ink. */
export function frameText(lines: readonly FrameLine[], noColor: boolean): string {
  const rows = lines.map((line) => {
    // Trailing blanks trimmed as Ink trims them, so Ink's lines cover these.
    const text = line.text.trimEnd();
    const sgr = sgrOf(textStyle(line.style, noColor));
    return sgr === '' || text === '' ? text : `${sgr}${text}${RESET}`;
  });
  return HOME + rows.join('\r\n') + HOME;
}

/**
 * Switches to the full screen, builds the session and draws its first frame;
 * pass the session to runTui as `session` once Ink is loaded.
 */
export function paintFirstFrame(options: FirstPaintOptions): TuiSession {
  const { stdout, stdin } = options;
  const session = createTerminalSession(options);
  enterFullScreen(stdout, stdin);
  stdout.write(frameText(session.frames.of(session.store.getState()), options.noColor));
  return session;
}
