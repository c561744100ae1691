/**
 * Resources on the wire: the v1 array form (`[{name, type:"SCALAR",
 * scalar:{value}}, {name:"ports", type:"RANGES", ranges:{range:[...]}}]`,
 * mesos.proto `Resource`) both ways, and the flat object of the legacy state
 * endpoints (`{"cpus":1,"gpus":0,"mem":128,"disk":0,"ports":"[31000-32000]"}`,
 * `src/common/http.cpp`).
 */
import { fixed, normalisePorts, SCALAR_NAMES, type PortRange, type Resources } from '../core/resources.js';
import { ApiFailure } from './errors.js';
import { optEnum, optNumber, optObject, repeatedObjects, reqString, type JsonObject } from './json-read.js';

const VALUE_TYPES = ['SCALAR', 'RANGES', 'SET', 'TEXT'] as const;

/** Parses a repeated Resource into core Resources; names the core does not model (custom resources) are skipped. */
export function resourcesFromV1(list: readonly JsonObject[], path: string): Resources {
  const out = { cpus: 0, mem: 0, disk: 0, gpus: 0 };
  const ports: PortRange[] = [];
  list.forEach((item, i) => {
    const where = `${path}[${i}]`;
    const name = reqString(item, 'name', where);
    const type = optEnum(item, 'type', where, VALUE_TYPES);
    if ((SCALAR_NAMES as readonly string[]).includes(name)) {
      if (type !== undefined && type !== 'SCALAR') throw new ApiFailure(400, `Invalid resource: ${where}: ${name} must be SCALAR`);
      const value = optNumber(optObject(item, 'scalar', where) ?? {}, 'value', `${where}.scalar`) ?? 0;
      if (value < 0) throw new ApiFailure(400, `Invalid resource: ${where}: ${name} is negative`);
      out[name as (typeof SCALAR_NAMES)[number]] += value;
    } else if (name === 'ports') {
      if (type !== undefined && type !== 'RANGES') throw new ApiFailure(400, `Invalid resource: ${where}: ports must be RANGES`);
      const ranges = optObject(item, 'ranges', where) ?? {};
      repeatedObjects(ranges, 'range', `${where}.ranges`).forEach((range, j) => {
        const at = `${where}.ranges.range[${j}]`;
        const begin = optNumber(range, 'begin', at);
        const end = optNumber(range, 'end', at);
        if (begin === undefined || end === undefined) throw new ApiFailure(400, `Missing required fields: ${at}.begin/end`);
        if (!Number.isInteger(begin) || !Number.isInteger(end) || begin < 0 || end < begin) throw new ApiFailure(400, `Invalid resource: ${at}: bad range`);
        ports.push({ begin, end });
      });
    }
  });
  return { cpus: fixed(out.cpus), mem: fixed(out.mem), disk: fixed(out.disk), gpus: fixed(out.gpus), ports: normalisePorts(ports) };
}

/** One v1 Resource. */
export type V1Resource =
  | { name: string; type: 'SCALAR'; scalar: { value: number }; role: string; allocation_info?: { role: string } }
  | { name: 'ports'; type: 'RANGES'; ranges: { range: Array<{ begin: number; end: number }> }; role: string; allocation_info?: { role: string } };

/** Core Resources as a v1 array (zero scalars and empty ports left out); `allocationRole` adds allocation_info. */
export function resourcesToV1(r: Resources, allocationRole?: string): V1Resource[] {
  const out: V1Resource[] = [];
  const extra = allocationRole === undefined ? {} : { allocation_info: { role: allocationRole } };
  for (const name of SCALAR_NAMES) {
    const value = r[name];
    if (value > 0) out.push({ name, type: 'SCALAR', scalar: { value }, role: '*', ...extra });
  }
  if (r.ports.length > 0) out.push({ name: 'ports', type: 'RANGES', ranges: { range: r.ports.map((p) => ({ begin: p.begin, end: p.end })) }, role: '*', ...extra });
  return out;
}

/** Ranges as Mesos stringifies them: `[31000-32000, 33000-33010]`. */
export function rangesText(ports: readonly PortRange[]): string {
  return `[${ports.map((p) => `${p.begin}-${p.end}`).join(', ')}]`;
}

/** The flat resources object of `/master/state`. */
export interface FlatResources {
  cpus: number;
  gpus: number;
  mem: number;
  disk: number;
  ports?: string;
}

/** Core Resources as the legacy flat object. */
export function resourcesToFlat(r: Resources): FlatResources {
  const flat: FlatResources = { cpus: r.cpus, gpus: r.gpus, mem: r.mem, disk: r.disk };
  if (r.ports.length > 0) flat.ports = rangesText(r.ports);
  return flat;
}
