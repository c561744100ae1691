/**
 * Checks of numeric flag values shared by the commands, each with one clear
 * line naming the flag and the values it allows.
 */
import { parseDuration } from '../core/duration.js';
import { err, ok, type Result } from '../core/errors.js';

/** The most agents any command builds (the scenario parser's limit too). */
export const MAX_AGENTS = 100_000;
/** The most masters any command builds. */
export const MAX_MASTERS = 99;

/** A whole number in [min, max], or a USAGE error naming `flag` and the range. */
export function wholeNumberFlag(value: unknown, flag: string, min: number, max: number): Result<number> {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= min && value <= max) return ok(value);
  const got = typeof value === 'number' && !Number.isNaN(value) ? String(value) : JSON.stringify(value ?? null);
  return err('USAGE', `must be a whole number from ${min} to ${max}, got ${got}`, flag);
}

/** The longest simulated time a `--duration` flag runs (a day of simulated time is minutes of wall time). */
export const MAX_DURATION_FLAG_MS = 86_400_000;

/** A `--duration`-like flag in milliseconds, from 0 to MAX_DURATION_FLAG_MS, or a USAGE error naming the flag. */
export function durationFlag(text: string, flag: string): Result<number> {
  if (text.trim().startsWith('-')) return err('USAGE', `must not be negative, got "${text}" (examples: 500ms, 30s, 5m, 1h)`, flag);
  const parsed = parseDuration(text, flag);
  if (!parsed.ok) return parsed;
  if (parsed.value > MAX_DURATION_FLAG_MS) return err('USAGE', `must be at most 24h, got "${text}"`, flag);
  return parsed;
}
