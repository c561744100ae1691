/**
 * Human durations for flags and scenario files: `500ms`, `30s`, `5m`, `1h`,
 * `1m30s`, or a bare number of milliseconds.
 */
import { err, ok, type Result } from './errors.js';

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Parses a duration into milliseconds. */
export function parseDuration(text: string | number, where = 'duration'): Result<number> {
  if (typeof text === 'number') {
    return Number.isFinite(text) && text >= 0 ? ok(text) : err('USAGE', `${text} is not a non-negative duration`, where);
  }
  const trimmed = text.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return ok(Number(trimmed));
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/gy;
  let total = 0;
  let consumed = 0;
  for (let m = re.exec(trimmed); m; m = re.exec(trimmed)) {
    total += Number(m[1]) * (UNIT_MS[m[2] ?? 'ms'] ?? 1);
    consumed = re.lastIndex;
  }
  if (trimmed === '' || consumed !== trimmed.length) {
    return err('USAGE', `"${text}" is not a duration (examples: 500ms, 30s, 5m, 1h, 1m30s)`, where);
  }
  return ok(total);
}

/** Formats milliseconds compactly: `1m30s`, `250ms`, `2h`. */
export function formatDuration(ms: number): string {
  if (ms < 1_000) return `${Math.round(ms)}ms`;
  let rest = Math.round(ms / 1_000);
  const h = Math.floor(rest / 3_600);
  rest -= h * 3_600;
  const m = Math.floor(rest / 60);
  const s = rest - m * 60;
  return `${h > 0 ? `${h}h` : ''}${m > 0 ? `${m}m` : ''}${s > 0 || (h === 0 && m === 0) ? `${s}s` : ''}`;
}
