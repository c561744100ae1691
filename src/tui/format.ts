/**
 * Text formatting for cells and lines: fitting to a width, times, numbers,
 * state words, meters and sparklines. Everything here is pure and returns
 * plain strings; `ascii` selects characters a dumb terminal can show.
 */
import type { Resources } from '../core/resources.js';

/** Cuts text to at most `width` characters, marking the cut with an ellipsis (`~` in ascii). */
export function cut(text: string, width: number, ascii = false): string {
  if (width <= 0) return '';
  if (text.length <= width) return text;
  if (width === 1) return text.slice(0, 1);
  return text.slice(0, width - 1) + (ascii ? '~' : '…');
}

/**
 * Cuts text to at most `width` characters from the middle, keeping both ends:
 * ids share a prefix (`b2412f6f-...-S0`, `-S1`) and differ at the end.
 */
export function cutMiddle(text: string, width: number, ascii = false): string {
  if (width <= 0) return '';
  if (text.length <= width) return text;
  if (width < 3) return text.slice(text.length - width);
  const tail = Math.ceil((width - 1) / 2);
  const head = width - 1 - tail;
  return text.slice(0, head) + (ascii ? '~' : '…') + text.slice(text.length - tail);
}

/** Cuts then pads text to exactly `width` characters; `middle` keeps both ends (ids). */
export function fit(text: string, width: number, align: 'left' | 'right' = 'left', ascii = false, where: 'end' | 'middle' = 'end'): string {
  const cell = where === 'middle' ? cutMiddle(text, width, ascii) : cut(text, width, ascii);
  if (cell.length >= width) return cell;
  return align === 'right' ? cell.padStart(width) : cell.padEnd(width);
}

/** A whole screen line: never longer than the screen (no marker, plain cut). */
export function clip(text: string, width: number): string {
  return text.length <= width ? text : text.slice(0, Math.max(0, width));
}

function two(n: number): string {
  return String(n).padStart(2, '0');
}

/** Virtual time as `mm:ss` or `h:mm:ss`. */
export function formatClock(ms: number): string {
  const totalS = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(totalS / 3600);
  const m = Math.floor((totalS % 3600) / 60);
  const s = totalS % 60;
  return h > 0 ? `${h}:${two(m)}:${two(s)}` : `${two(m)}:${two(s)}`;
}

/** A duration as the largest two units: `45s`, `3m05s`, `2h03m`, `3d04h`. */
export function formatAge(ms: number): string {
  const totalS = Math.max(0, Math.floor(ms / 1000));
  if (totalS < 60) return `${totalS}s`;
  const totalM = Math.floor(totalS / 60);
  if (totalM < 60) return `${totalM}m${two(totalS % 60)}s`;
  const totalH = Math.floor(totalM / 60);
  if (totalH < 24) return `${totalH}h${two(totalM % 60)}m`;
  return `${Math.floor(totalH / 24)}d${two(totalH % 24)}h`;
}

const SPAN_UNITS: ReadonlyArray<readonly [string, number]> = [
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1_000],
  ['ms', 1],
];

/** A configured duration exactly, in the units a scenario file uses: `500ms`, `30s`, `1m30s`, `7d`. */
export function formatSpan(ms: number): string {
  let rest = Math.max(0, Math.round(ms));
  if (rest === 0) return '0s';
  let out = '';
  for (const [unit, size] of SPAN_UNITS) {
    const count = Math.floor(rest / size);
    if (count > 0) out += `${count}${unit}`;
    rest -= count * size;
  }
  return out;
}

/** A resource amount without trailing zeros: `2.5`, `0.125`, `8192`. */
export function formatAmount(value: number): string {
  return String(Math.round(value * 1000) / 1000);
}

/** `used/total`. */
export function usedOfTotal(used: number, total: number): string {
  return `${formatAmount(used)}/${formatAmount(total)}`;
}

/** A task state without its `TASK_` prefix: `RUNNING`. */
export function stateWord(state: string): string {
  return state.startsWith('TASK_') ? state.slice(5) : state;
}

/** A reason without its `REASON_` prefix, or `-`. */
export function reasonWord(reason: string | null): string {
  if (reason === null) return '-';
  return reason.startsWith('REASON_') ? reason.slice(7) : reason;
}

/** `cpus 2.5 mem 1024` (zero disk and gpus left out). */
export function formatResourcesShort(r: Resources): string {
  const parts = [`cpus ${formatAmount(r.cpus)}`, `mem ${formatAmount(r.mem)}`];
  if (r.disk > 0) parts.push(`disk ${formatAmount(r.disk)}`);
  if (r.gpus > 0) parts.push(`gpus ${formatAmount(r.gpus)}`);
  return parts.join(' ');
}

const BLOCKS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
const ASCII_LEVELS = ['_', '.', '-', '~', '=', '+', '*', '#'];

/** The last `width` samples as a sparkline scaled to their maximum. */
export function sparkline(samples: readonly number[], width: number, ascii = false): string {
  if (width <= 0 || samples.length === 0) return '';
  const levels = ascii ? ASCII_LEVELS : BLOCKS;
  const shown = samples.slice(-width);
  let max = 0;
  for (const s of shown) max = Math.max(max, s);
  let out = '';
  for (const s of shown) {
    const level = max === 0 ? 0 : Math.min(levels.length - 1, Math.floor((s / max) * (levels.length - 1) + 0.5));
    out += levels[level] ?? ' ';
  }
  return out;
}

/**
 * A bar `[###++....]` of `width` characters including brackets: `#` allocated
 * (used by tasks), `+` offered, `.` idle. Characters, not colours, carry the meaning.
 */
export function meter(options: { used: number; offered: number; total: number; width: number }): string {
  const inner = Math.max(0, options.width - 2);
  if (options.width < 2) return '';
  if (options.total <= 0) return `[${' '.repeat(inner)}]`;
  const usedCells = Math.min(inner, Math.round((options.used / options.total) * inner));
  const offeredCells = Math.min(inner - usedCells, Math.round((options.offered / options.total) * inner));
  return `[${'#'.repeat(usedCells)}${'+'.repeat(offeredCells)}${'.'.repeat(inner - usedCells - offeredCells)}]`;
}
