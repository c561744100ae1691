/**
 * Between core `Resources` and v1 Resource lists. An offer's resources are
 * summed whatever their role or reservation, as mesos-execute does
 * (`offered.toUnreserved().contains(required)`); set resources are ignored.
 */
import { resources as makeResources, type PortRange, type Resources } from '../../core/resources.js';
import type { V1Resource } from './v1.js';

/** The v1 list for a task's resources: non-zero scalars, then ports. */
export function toV1Resources(r: Resources): V1Resource[] {
  const list: V1Resource[] = [];
  for (const name of ['cpus', 'mem', 'disk', 'gpus'] as const) {
    if (r[name] > 0) list.push({ name, type: 'SCALAR', scalar: { value: r[name] } });
  }
  if (r.ports.length > 0) list.push({ name: 'ports', type: 'RANGES', ranges: { range: r.ports.map((p) => ({ begin: p.begin, end: p.end })) } });
  return list;
}

/** Sums a v1 list (an offer's) into core resources; unknown names and malformed entries are skipped. */
export function fromV1Resources(list: readonly V1Resource[] | undefined): Resources {
  const sum = { cpus: 0, mem: 0, disk: 0, gpus: 0 };
  const ports: PortRange[] = [];
  for (const r of list ?? []) {
    if (r.type === 'SCALAR' && (r.name === 'cpus' || r.name === 'mem' || r.name === 'disk' || r.name === 'gpus')) {
      const value = r.scalar?.value;
      if (typeof value === 'number' && Number.isFinite(value) && value > 0) sum[r.name] += value;
    } else if (r.type === 'RANGES' && r.name === 'ports') {
      for (const range of r.ranges?.range ?? []) {
        if (Number.isInteger(range.begin) && Number.isInteger(range.end) && range.begin <= range.end) ports.push({ begin: range.begin, end: range.end });
      }
    }
  }
  return makeResources({ ...sum, ports });
}
