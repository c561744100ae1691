/**
 * Scalar bookkeeping for the allocator in thousandths (Mesos's fixed point as
 * integers): sums of millions of grants and releases stay exact, and the hot
 * loop adds numbers instead of building `Resources` objects.
 */
import { normalisePorts, type PortRange, type Resources } from '../resources.js';

/** cpus, mem, disk, gpus in thousandths of a unit; mutable in place. */
export interface Milli {
  cpus: number;
  mem: number;
  disk: number;
  gpus: number;
}

/** Resources held or free: scalars in thousandths plus port ranges. */
export interface Bundle extends Milli {
  ports: readonly PortRange[];
}

const SCALE = 1000;

/** No ports; shared because port arrays here are never mutated, only replaced. */
export const NO_PORTS: readonly PortRange[] = Object.freeze([]) as readonly PortRange[];

/** A zeroed scalar quantity. */
export function emptyMilli(): Milli {
  return { cpus: 0, mem: 0, disk: 0, gpus: 0 };
}

/** Converts resources to a bundle in thousandths. */
export function bundleOf(r: Resources): Bundle {
  return { cpus: Math.round(r.cpus * SCALE), mem: Math.round(r.mem * SCALE), disk: Math.round(r.disk * SCALE), gpus: Math.round(r.gpus * SCALE), ports: r.ports };
}

/** Converts a bundle back to resources (the same doubles `fixed()` would give). */
export function resourcesOf(b: Bundle): Resources {
  return { cpus: b.cpus / SCALE, mem: b.mem / SCALE, disk: b.disk / SCALE, gpus: b.gpus / SCALE, ports: b.ports };
}

/** into += x (scalars only). */
export function addMilli(into: Milli, x: Milli): void {
  into.cpus += x.cpus;
  into.mem += x.mem;
  into.disk += x.disk;
  into.gpus += x.gpus;
}

/** into -= x (scalars only; the caller guarantees x <= into). */
export function subtractMilli(into: Milli, x: Milli): void {
  into.cpus -= x.cpus;
  into.mem -= x.mem;
  into.disk -= x.disk;
  into.gpus -= x.gpus;
}

/** Whether all scalars are zero. */
export function isZeroMilli(m: Milli): boolean {
  return m.cpus === 0 && m.mem === 0 && m.disk === 0 && m.gpus === 0;
}

/** Dominant share of `used` in `total` (DRF): the largest used/total over the scalars present. */
export function shareOf(used: Milli, total: Milli): number {
  let share = 0;
  if (total.cpus > 0) share = Math.max(share, used.cpus / total.cpus);
  if (total.mem > 0) share = Math.max(share, used.mem / total.mem);
  if (total.disk > 0) share = Math.max(share, used.disk / total.disk);
  if (total.gpus > 0) share = Math.max(share, used.gpus / total.gpus);
  return share;
}

/** Whether two normalised range lists are the same (the common case: an offer's ports come back whole). */
function samePorts(a: readonly PortRange[], b: readonly PortRange[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i += 1) {
    const x = a[i] as PortRange;
    const y = b[i] as PortRange;
    if (x.begin !== y.begin || x.end !== y.end) return false;
  }
  return true;
}

/** a ∪ b, normalised. */
export function unionPorts(a: readonly PortRange[], b: readonly PortRange[]): readonly PortRange[] {
  if (b.length === 0) return a;
  if (a.length === 0) return b;
  return normalisePorts([...a, ...b]);
}

/** a minus b (both normalised): one merge-like sweep. */
export function minusPorts(a: readonly PortRange[], b: readonly PortRange[]): readonly PortRange[] {
  if (a.length === 0 || b.length === 0) return a;
  if (samePorts(a, b)) return NO_PORTS;
  const out: PortRange[] = [];
  let j = 0;
  for (const range of a) {
    let begin = range.begin;
    const end = range.end;
    while (j < b.length && (b[j] as PortRange).end < begin) j += 1;
    for (let k = j; k < b.length && begin <= end; k += 1) {
      const cut = b[k] as PortRange;
      if (cut.begin > end) break;
      if (cut.begin > begin) out.push({ begin, end: cut.begin - 1 });
      begin = Math.max(begin, cut.end + 1);
    }
    if (begin <= end) out.push(begin === range.begin ? range : { begin, end });
  }
  return out;
}

/** a ∩ b (both normalised). */
export function intersectPorts(a: readonly PortRange[], b: readonly PortRange[]): readonly PortRange[] {
  if (a.length === 0 || b.length === 0) return NO_PORTS;
  if (samePorts(a, b)) return a;
  const out: PortRange[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] as PortRange;
    const y = b[j] as PortRange;
    const begin = Math.max(x.begin, y.begin);
    const end = Math.min(x.end, y.end);
    if (begin <= end) out.push({ begin, end });
    if (x.end < y.end) i += 1;
    else j += 1;
  }
  return out;
}
