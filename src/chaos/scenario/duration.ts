/**
 * Human durations: `500ms`, `30s`, `1.5s`, `10m`, `2h`, `7d`, and compounds
 * like `1m30s`. A bare number is refused (is `30` seconds or milliseconds?)
 * except 0, which means the same in every unit.
 */
import { err, ok, type Result } from '../../core/errors.js';

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };
/** Largest first, for formatting. */
const UNITS_DESC = ['d', 'h', 'm', 's', 'ms'] as const;
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/gy;

/** Parses a duration to whole milliseconds (rounded). Errors carry code SCENARIO_SCHEMA and no location. */
export function parseDuration(text: string): Result<number> {
  const trimmed = text.trim();
  if (trimmed === '') return err('SCENARIO_SCHEMA', 'empty duration; write e.g. 30s or 500ms');
  if (trimmed.startsWith('-')) return err('SCENARIO_SCHEMA', `duration "${trimmed}" is negative`);
  if (/^\d+(\.\d+)?$/.test(trimmed)) {
    if (Number(trimmed) === 0) return ok(0);
    return err('SCENARIO_SCHEMA', `duration "${trimmed}" needs a unit (ms, s, m, h, d), e.g. "${trimmed}s"`);
  }
  let total = 0;
  let at = 0;
  PART.lastIndex = 0;
  while (at < trimmed.length) {
    PART.lastIndex = at;
    const match = PART.exec(trimmed);
    if (!match) return err('SCENARIO_SCHEMA', `"${trimmed}" is not a duration; write e.g. 30s, 500ms, 10m or 1m30s`);
    total += Number(match[1]) * (UNIT_MS[match[2] ?? ''] ?? 0);
    at = PART.lastIndex;
  }
  if (!Number.isFinite(total) || total > Number.MAX_SAFE_INTEGER) return err('SCENARIO_SCHEMA', `duration "${trimmed}" is too long`);
  return ok(Math.round(total));
}

/** Formats whole milliseconds as the shortest exact compound (`90000` -> `1m30s`, `0` -> `0s`). */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  let rest = Math.round(ms);
  let out = '';
  for (const unit of UNITS_DESC) {
    const size = UNIT_MS[unit] ?? 1;
    const count = Math.floor(rest / size);
    if (count > 0) {
      out += `${count}${unit}`;
      rest -= count * size;
    }
  }
  return out;
}
