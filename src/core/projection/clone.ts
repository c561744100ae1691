/**
 * A deep copy of the projection's own objects for seek snapshots: Maps, Sets,
 * arrays, plain objects and class instances (Fifo, Tally, Ledger...) with their
 * prototypes. Shared references stay shared (a view is both in `agents` and
 * in its book), so the copy folds on exactly like the original. Frozen objects
 * (EMPTY_RESOURCES) are immutable and kept as they are. structuredClone would
 * drop the prototypes; a persistent structure would cost every apply.
 */

/** A deep, identity-preserving copy of `value`. */
export function deepClone<T>(value: T): T {
  return copy(value, new Map()) as T;
}

function copy(value: unknown, seen: Map<object, unknown>): unknown {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  const known = seen.get(value);
  if (known !== undefined) return known;
  if (value instanceof Map) {
    const out = new Map();
    seen.set(value, out);
    for (const [k, v] of value) out.set(copy(k, seen), copy(v, seen));
    return out;
  }
  if (value instanceof Set) {
    const out = new Set();
    seen.set(value, out);
    for (const v of value) out.add(copy(v, seen));
    return out;
  }
  if (Array.isArray(value)) {
    const out: unknown[] = new Array(value.length);
    seen.set(value, out);
    for (let i = 0; i < value.length; i += 1) out[i] = copy(value[i], seen);
    return out;
  }
  const out = Object.create(Object.getPrototypeOf(value) as object | null) as Record<string, unknown>;
  seen.set(value, out);
  for (const key of Object.keys(value)) out[key] = copy((value as Record<string, unknown>)[key], seen);
  return out;
}
