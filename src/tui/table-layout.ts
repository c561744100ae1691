/**
 * Column widths for a screen width, and rows formatted as one string each (one
 * `<Text>` per row is ~3x cheaper than a Box per cell, src/tui/README.md).
 * When the screen is too narrow for every column's minimum, the columns with
 * the lowest `keep` go first; spare width goes to the columns that `grow`.
 */
import { fit } from './format.js';
import type { ColumnInfo } from './table-specs.js';

/** Width of the selection marker (`> `) in front of every row. */
export const MARKER_WIDTH = 2;

/** A column that made it onto the screen: its index in the spec and its width. */
export interface PlacedColumn {
  readonly index: number;
  readonly width: number;
}

/** Chooses the columns that fit in `width` and how wide each is. */
export function layoutColumns(columns: readonly ColumnInfo[], width: number): PlacedColumn[] {
  const available = Math.max(0, width - MARKER_WIDTH);
  let shown = columns.map((c, index) => ({ index, column: c }));
  const need = (list: typeof shown): number => list.reduce((sum, c) => sum + c.column.min, 0) + Math.max(0, list.length - 1);
  while (shown.length > 1 && need(shown) > available) {
    // Drop the column we care least about; among equals, the rightmost.
    let drop = 0;
    for (let i = 1; i < shown.length; i += 1) {
      if ((shown[i]?.column.keep ?? 0) <= (shown[drop]?.column.keep ?? 0)) drop = i;
    }
    shown = shown.filter((_, i) => i !== drop);
  }
  const widths = shown.map((c) => c.column.min);
  let spare = available - need(shown);
  const growTotal = shown.reduce((sum, c) => sum + c.column.grow, 0);
  if (spare > 0 && growTotal > 0) {
    const base = spare;
    shown.forEach((c, i) => {
      const extra = Math.floor((base * c.column.grow) / growTotal);
      widths[i] = (widths[i] ?? 0) + extra;
      spare -= extra;
    });
    // Rounding leftovers go to the first growing column.
    const first = shown.findIndex((c) => c.column.grow > 0);
    if (first >= 0) widths[first] = (widths[first] ?? 0) + spare;
  }
  if (shown.length === 1) widths[0] = Math.min(widths[0] ?? 0, available);
  return shown.map((c, i) => ({ index: c.index, width: widths[i] ?? 0 }));
}

/** The column header line (with the marker's blank space in front). */
export function headerLine(columns: readonly ColumnInfo[], placed: readonly PlacedColumn[], ascii: boolean): string {
  const cells = placed.map((p) => fit(columns[p.index]?.title ?? '', p.width, columns[p.index]?.align ?? 'left', ascii));
  return ' '.repeat(MARKER_WIDTH) + cells.join(' ');
}

/** One row: `> ` when selected, then the placed cells. */
export function rowLine(options: { columns: readonly ColumnInfo[]; placed: readonly PlacedColumn[]; cells: readonly string[]; selected: boolean; ascii: boolean }): string {
  const { columns, placed, cells, ascii } = options;
  const text = placed.map((p) => fit(cells[p.index] ?? '', p.width, columns[p.index]?.align ?? 'left', ascii, columns[p.index]?.cut ?? 'end')).join(' ');
  return (options.selected ? '> ' : '  ') + text;
}
