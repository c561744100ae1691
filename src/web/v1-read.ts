/**
 * Reading v1 operator JSON defensively: a Mesos master may omit any optional
 * field, so every reader has a default and none throws.
 */

/** A JSON object. */
export type Json = Record<string, unknown>;

/** `value` as an object, or an empty one. */
export function obj(value: unknown): Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};
}

/** `value` as a list of objects (non-objects dropped). */
export function objs(value: unknown): Json[] {
  return Array.isArray(value) ? value.filter((v): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v)) : [];
}

/** A string field, or ''. */
export function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** A number field, or null. */
export function num(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** The `value` of an id message (`{"value":"..."}`), or ''. */
export function idOf(value: unknown): string {
  return str(obj(value).value);
}

/** Scalar resources (cpus, mem, disk, gpus) summed over a v1 Resource list. */
export interface Scalars {
  cpus: number;
  mem: number;
  disk: number;
  gpus: number;
}

/** Zero of every scalar. */
export function zeroScalars(): Scalars {
  return { cpus: 0, mem: 0, disk: 0, gpus: 0 };
}

/** The scalars of a v1 Resource list. */
export function scalarsOf(resources: unknown): Scalars {
  const out = zeroScalars();
  if (!Array.isArray(resources)) return out;
  // A plain loop: this runs for every task of a snapshot, and objs() would copy each list.
  for (const item of resources as unknown[]) {
    if (typeof item !== 'object' || item === null) continue;
    const r = item as Json;
    const name = str(r.name);
    const value = num(obj(r.scalar).value);
    if (value === null) continue;
    if (name === 'cpus' || name === 'mem' || name === 'disk' || name === 'gpus') out[name] += value;
  }
  return out;
}

/** Adds `b` into `a` times `sign`. */
export function addScalars(a: Scalars, b: Scalars, sign = 1): void {
  a.cpus += sign * b.cpus;
  a.mem += sign * b.mem;
  a.disk += sign * b.disk;
  a.gpus += sign * b.gpus;
}
