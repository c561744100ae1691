/**
 * Exact running sums of scalar resources for the projection's totals. Sums are
 * kept in thousandths (Mesos fixed point) as integers, so a long run of adds and
 * removes never drifts. Port ranges are not summed: ranges of different agents
 * overlap (every agent offers 31000-32000), so a union would be meaningless.
 */
import type { Resources } from '../resources.js';

const MILLI = 1000;
const NO_PORTS: Resources['ports'] = Object.freeze([]);

/** A mutable scalar sum (cpus, mem, disk, gpus) in thousandths. */
export class ScalarTally {
  private cpus = 0;
  private mem = 0;
  private disk = 0;
  private gpus = 0;

  /** Adds (sign 1) or removes (sign -1) a bundle's scalars. */
  add(r: Resources, sign: 1 | -1 = 1): void {
    this.cpus += sign * Math.round(r.cpus * MILLI);
    this.mem += sign * Math.round(r.mem * MILLI);
    this.disk += sign * Math.round(r.disk * MILLI);
    this.gpus += sign * Math.round(r.gpus * MILLI);
  }

  /** The sum as a Resources value (no ports). */
  toResources(): Resources {
    return { cpus: this.cpus / MILLI, mem: this.mem / MILLI, disk: this.disk / MILLI, gpus: this.gpus / MILLI, ports: NO_PORTS };
  }
}

/** a + b on scalars only (for sums across agents, where ports mean nothing). */
export function addScalars(a: Resources, b: Resources): Resources {
  return {
    cpus: (Math.round(a.cpus * MILLI) + Math.round(b.cpus * MILLI)) / MILLI,
    mem: (Math.round(a.mem * MILLI) + Math.round(b.mem * MILLI)) / MILLI,
    disk: (Math.round(a.disk * MILLI) + Math.round(b.disk * MILLI)) / MILLI,
    gpus: (Math.round(a.gpus * MILLI) + Math.round(b.gpus * MILLI)) / MILLI,
    ports: NO_PORTS,
  };
}

/** a - b on scalars only, clamped at 0. */
export function subtractScalars(a: Resources, b: Resources): Resources {
  return {
    cpus: Math.max(0, Math.round(a.cpus * MILLI) - Math.round(b.cpus * MILLI)) / MILLI,
    mem: Math.max(0, Math.round(a.mem * MILLI) - Math.round(b.mem * MILLI)) / MILLI,
    disk: Math.max(0, Math.round(a.disk * MILLI) - Math.round(b.disk * MILLI)) / MILLI,
    gpus: Math.max(0, Math.round(a.gpus * MILLI) - Math.round(b.gpus * MILLI)) / MILLI,
    ports: NO_PORTS,
  };
}
