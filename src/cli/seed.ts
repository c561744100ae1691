/**
 * Seeds: every run prints its seed; without --seed one is drawn from the OS.
 */
import { randomInt } from 'node:crypto';

/** The seed to use: the flag's value, or a fresh random one. */
export function seedOf(flag: string | number | undefined): string {
  if (flag !== undefined && String(flag).trim() !== '') return String(flag).trim();
  return String(randomInt(1, 2 ** 31));
}
