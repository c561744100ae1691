/** Helpers for the scenario tests: fixture paths and location-free copies for deep comparisons. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseScenario, type Scenario } from '../../../src/chaos/scenario/index.js';

/** test/fixtures/scenarios/<kind>/<name>. */
export function fixturePath(kind: 'valid' | 'broken', name: string): string {
  return join(import.meta.dirname, '../../fixtures/scenarios', kind, name);
}

/** Parses a valid fixture (fails the test when it does not parse). */
export function validFixture(name: string): Scenario {
  const path = fixturePath('valid', name);
  const result = parseScenario(readFileSync(path, 'utf8'), path);
  assert.ok(result.ok, result.ok ? '' : `${result.error.where}: ${result.error.message}`);
  return result.value;
}

/** A deep copy without `loc` fields (locations differ between a file and its re-serialized text). */
export function withoutLocs<T>(value: T): T {
  if (Array.isArray(value)) return value.map(withoutLocs) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) if (key !== 'loc') out[key] = withoutLocs(inner);
    return out as T;
  }
  return value;
}
