/**
 * Draws a frame: one `<Text>` per pre-formatted line (cheaper than a Box per
 * cell, src/tui/README.md). Lines never wrap: they are cut to the screen by
 * the frame builder, and `truncate` guards against any width mismatch.
 */
import { Box, Text } from 'ink';
import { memo } from 'react';
import type { FrameLine } from '../frame.js';
import { textStyle } from '../theme.js';

/** One screen line; memoised so unchanged lines skip reconciliation. */
export const Line = memo(function Line(props: { text: string; style: FrameLine['style']; noColor: boolean }) {
  // An empty <Text> would collapse to no line at all; a space keeps the row.
  return (
    <Text wrap="truncate" {...textStyle(props.style, props.noColor)}>
      {props.text === '' ? ' ' : props.text}
    </Text>
  );
});

/** The whole screen. */
export function Screen(props: { lines: readonly FrameLine[]; noColor: boolean }) {
  return (
    <Box flexDirection="column">
      {props.lines.map((l, i) => (
        <Line key={i} text={l.text} style={l.style} noColor={props.noColor} />
      ))}
    </Box>
  );
}
