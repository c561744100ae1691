/**
 * The one seeded generator of the tests (a test must draw the same every run):
 * the project's own PRNG (src/core/prng.ts), so a small seed draws as well as
 * a large one (a bare xorshift32's first draws from seeds 1..40 are all near 0).
 */
import { Prng } from '../../src/core/prng.js';

/** A deterministic stream in [0, 1) for `seed`. */
export function seeded(seed: number): () => number {
  const prng = Prng.from(`test:${seed}`);
  return () => prng.next();
}
