/**
 * Turns what Ink's useInput reports into key tokens. Several key presses can
 * arrive as one input string (`"jjjj"`, a paste, a fast typist over SSH), so
 * printable input is split into one token per character; control characters
 * inside such a string are named too.
 */
import type { Key } from 'ink';

/** A key: a printable character as itself, or a name. */
export type KeyToken =
  | 'up'
  | 'down'
  | 'left'
  | 'right'
  | 'pageup'
  | 'pagedown'
  | 'home'
  | 'end'
  | 'enter'
  | 'escape'
  | 'tab'
  | 'shift-tab'
  | 'backspace'
  | 'space'
  | 'ctrl-c'
  | (string & {});

/** The subset of Ink's Key this module reads (so tests can pass partial keys). */
export type KeyFlags = Partial<Pick<Key, 'upArrow' | 'downArrow' | 'leftArrow' | 'rightArrow' | 'pageUp' | 'pageDown' | 'home' | 'end' | 'return' | 'escape' | 'tab' | 'shift' | 'backspace' | 'delete' | 'ctrl'>>;

function controlToken(char: string): KeyToken | null {
  switch (char) {
    case '\r':
    case '\n':
      return 'enter';
    case '\t':
      return 'tab';
    case '\x7f':
    case '\b':
      return 'backspace';
    case '\x1b':
      return 'escape';
    case '\x03':
      return 'ctrl-c';
    case ' ':
      return 'space';
    default:
      return null;
  }
}

/** The tokens of one useInput call. */
export function tokensOf(input: string, key: KeyFlags): KeyToken[] {
  if (key.upArrow) return ['up'];
  if (key.downArrow) return ['down'];
  if (key.leftArrow) return ['left'];
  if (key.rightArrow) return ['right'];
  if (key.pageUp) return ['pageup'];
  if (key.pageDown) return ['pagedown'];
  if (key.home) return ['home'];
  if (key.end) return ['end'];
  if (key.return) return ['enter'];
  if (key.tab) return [key.shift ? 'shift-tab' : 'tab'];
  // Most terminals send DEL (0x7f) for the Backspace key; Ink calls that `delete`.
  if (key.backspace || key.delete) return ['backspace'];
  if (key.escape && input === '') return ['escape'];
  if (key.ctrl) return input === 'c' ? ['ctrl-c'] : [];
  const tokens: KeyToken[] = [];
  for (const char of input) {
    const control = controlToken(char);
    if (control !== null) tokens.push(control);
    else if (char >= ' ') tokens.push(char);
  }
  return tokens;
}
