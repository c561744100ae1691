/**
 * Exact running sums of scalar resources, in thousandths (Mesos fixed point)
 * as integers: a long run of adds and removes never drifts. Mutable on purpose:
 * the projection adds and removes per event without allocating.
 */
import type { PortRange, Resources } from '../resources.js';

const MILLI = 1000;
const NO_PORTS: readonly PortRange[] = Object.freeze([]);

/** A mutable sum of cpus, mem, disk and gpus. */
export class Tally {
  cpus = 0;
  mem = 0;
  disk = 0;
  gpus = 0;

  /** Adds (sign 1) or removes (sign -1) a bundle's scalars. */
  add(r: Resources, sign: 1 | -1 = 1): void {
    this.cpus += sign * Math.round(r.cpus * MILLI);
    this.mem += sign * Math.round(r.mem * MILLI);
    this.disk += sign * Math.round(r.disk * MILLI);
    this.gpus += sign * Math.round(r.gpus * MILLI);
  }

  /** Adds (or removes) another tally. */
  addTally(t: Tally, sign: 1 | -1 = 1): void {
    this.cpus += sign * t.cpus;
    this.mem += sign * t.mem;
    this.disk += sign * t.disk;
    this.gpus += sign * t.gpus;
  }

  /** The sum as Resources, with the given port ranges (none by default). */
  toResources(ports: readonly PortRange[] = NO_PORTS): Resources {
    // Clamped at 0: a history that releases more than it held must not show negatives.
    return {
      cpus: Math.max(0, this.cpus) / MILLI,
      mem: Math.max(0, this.mem) / MILLI,
      disk: Math.max(0, this.disk) / MILLI,
      gpus: Math.max(0, this.gpus) / MILLI,
      ports,
    };
  }
}
