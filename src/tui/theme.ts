/**
 * Line styles to Ink `<Text>` props. With `noColor` every line is plain:
 * meaning is always in the words and the `>` marker too, never in colour alone.
 */
import { assertNever } from '../core/errors.js';
import type { LineStyle } from './frame.js';

/** The `<Text>` props a style uses. */
export interface TextStyle {
  readonly color?: string;
  readonly bold?: boolean;
  readonly inverse?: boolean;
  readonly dimColor?: boolean;
}

const PLAIN: TextStyle = {};

/** The props of a style (none at all with noColor). */
export function textStyle(style: LineStyle, noColor: boolean): TextStyle {
  if (noColor) return PLAIN;
  switch (style) {
    case 'plain':
      return PLAIN;
    case 'header':
      return { bold: true, color: 'cyan' };
    case 'tabs':
      return { color: 'cyan' };
    case 'title':
      return { bold: true };
    case 'columns':
      return { dimColor: true, bold: true };
    case 'selected':
      return { inverse: true };
    case 'warning':
      return { color: 'yellow' };
    case 'error':
      return { color: 'red', bold: true };
    case 'ok':
      return { color: 'green' };
    case 'prompt':
      return { color: 'magenta', bold: true };
    case 'hint':
      return { dimColor: true };
    default:
      return assertNever(style, 'line style');
  }
}
