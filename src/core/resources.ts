/**
 * Resources: the scalars cpus, mem (MB), disk (MB), gpus and port ranges.
 * Scalars use Mesos's fixed point (three decimals) so 0.1 + 0.2 stays 0.3 and
 * a long run of allocations and releases never drifts.
 */
import { err, ok, type Result } from './errors.js';

/** An inclusive range of ports, `[31000-32000]`. */
export interface PortRange {
  readonly begin: number;
  readonly end: number;
}

/** A bundle of resources. Port ranges are sorted, disjoint and non-adjacent. */
export interface Resources {
  readonly cpus: number;
  readonly mem: number;
  readonly disk: number;
  readonly gpus: number;
  readonly ports: readonly PortRange[];
}

/** The scalar names, in display order. */
export const SCALAR_NAMES = ['cpus', 'mem', 'disk', 'gpus'] as const;
/** One of the scalar resource names. */
export type ScalarName = (typeof SCALAR_NAMES)[number];

/** Nothing at all. */
export const EMPTY_RESOURCES: Resources = Object.freeze({ cpus: 0, mem: 0, disk: 0, gpus: 0, ports: Object.freeze([]) as readonly PortRange[] });

const FIXED = 1000;
/** Rounds to Mesos's three-decimal fixed point. */
export function fixed(value: number): number {
  return Math.round(value * FIXED) / FIXED;
}

/** Builds resources from a partial bundle (missing scalars are 0, ports normalised). */
export function resources(partial: Partial<Resources> = {}): Resources {
  return {
    cpus: fixed(partial.cpus ?? 0),
    mem: fixed(partial.mem ?? 0),
    disk: fixed(partial.disk ?? 0),
    gpus: fixed(partial.gpus ?? 0),
    ports: normalisePorts(partial.ports ?? []),
  };
}

/** Sorts and merges overlapping or adjacent ranges. */
export function normalisePorts(ranges: readonly PortRange[]): PortRange[] {
  if (ranges.length === 0) return [];
  const sorted = [...ranges].sort((a, b) => a.begin - b.begin);
  const out: PortRange[] = [];
  for (const range of sorted) {
    const last = out[out.length - 1];
    if (last && range.begin <= last.end + 1) out[out.length - 1] = { begin: last.begin, end: Math.max(last.end, range.end) };
    else out.push({ begin: range.begin, end: range.end });
  }
  return out;
}

/** a + b. */
export function add(a: Resources, b: Resources): Resources {
  return {
    cpus: fixed(a.cpus + b.cpus),
    mem: fixed(a.mem + b.mem),
    disk: fixed(a.disk + b.disk),
    gpus: fixed(a.gpus + b.gpus),
    ports: a.ports.length === 0 ? b.ports : b.ports.length === 0 ? a.ports : normalisePorts([...a.ports, ...b.ports]),
  };
}

/** a - b; the caller checks `contains(a, b)` first (scalars clamp at 0, ports are removed where present). */
export function subtract(a: Resources, b: Resources): Resources {
  return {
    cpus: Math.max(0, fixed(a.cpus - b.cpus)),
    mem: Math.max(0, fixed(a.mem - b.mem)),
    disk: Math.max(0, fixed(a.disk - b.disk)),
    gpus: Math.max(0, fixed(a.gpus - b.gpus)),
    ports: b.ports.length === 0 ? a.ports : subtractPorts(a.ports, b.ports),
  };
}

function subtractPorts(from: readonly PortRange[], remove: readonly PortRange[]): PortRange[] {
  let out: PortRange[] = [...from];
  for (const r of remove) {
    const next: PortRange[] = [];
    for (const f of out) {
      if (r.end < f.begin || r.begin > f.end) {
        next.push(f);
        continue;
      }
      if (r.begin > f.begin) next.push({ begin: f.begin, end: r.begin - 1 });
      if (r.end < f.end) next.push({ begin: r.end + 1, end: f.end });
    }
    out = next;
  }
  return out;
}

/** Whether every port of `inner` lies in `outer`. */
export function portsContain(outer: readonly PortRange[], inner: readonly PortRange[]): boolean {
  for (const r of inner) {
    if (!outer.some((o) => o.begin <= r.begin && r.end <= o.end)) return false;
  }
  return true;
}

/** Whether `a` holds all of `b` (the check before subtracting or launching). */
export function contains(a: Resources, b: Resources): boolean {
  return (
    a.cpus >= b.cpus && a.mem >= b.mem && a.disk >= b.disk && a.gpus >= b.gpus && (b.ports.length === 0 || portsContain(a.ports, b.ports))
  );
}

/** Alias of `contains` that reads well at a launch site: does `need` fit in `free`? */
export function fits(need: Resources, free: Resources): boolean {
  return contains(free, need);
}

/** Whether the bundle holds nothing. */
export function isEmpty(r: Resources): boolean {
  return r.cpus === 0 && r.mem === 0 && r.disk === 0 && r.gpus === 0 && r.ports.length === 0;
}

/** Structural equality. */
export function equals(a: Resources, b: Resources): boolean {
  return contains(a, b) && contains(b, a);
}

/** `cpus:4;mem:8192;disk:0;ports:[31000-32000]` (zero scalars other than cpus and mem are left out). */
export function formatResources(r: Resources): string {
  const parts = [`cpus:${r.cpus}`, `mem:${r.mem}`];
  if (r.disk > 0) parts.push(`disk:${r.disk}`);
  if (r.gpus > 0) parts.push(`gpus:${r.gpus}`);
  if (r.ports.length > 0) parts.push(`ports:[${r.ports.map((p) => (p.begin === p.end ? `${p.begin}` : `${p.begin}-${p.end}`)).join(',')}]`);
  return parts.join(';');
}

/**
 * Parses Mesos's `--resources` text: `cpus:4;mem:8192;disk:1000;ports:[31000-32000,33000-33100]`.
 * Errors name the field: `resources.cpus: "x" is not a number`.
 */
export function parseResources(text: string, where = 'resources'): Result<Resources> {
  const out: { cpus: number; mem: number; disk: number; gpus: number; ports: PortRange[] } = { cpus: 0, mem: 0, disk: 0, gpus: 0, ports: [] };
  const seen = new Set<string>();
  const trimmed = text.trim();
  if (trimmed === '') return err('RESOURCE_PARSE', 'empty resource string', where);
  for (const rawPart of trimmed.split(';')) {
    const part = rawPart.trim();
    if (part === '') continue;
    const colon = part.indexOf(':');
    if (colon <= 0) return err('RESOURCE_PARSE', `"${part}" is not name:value`, where);
    const name = part.slice(0, colon).trim();
    const value = part.slice(colon + 1).trim();
    const field = `${where}.${name}`;
    if (seen.has(name)) return err('RESOURCE_PARSE', `"${name}" is given twice`, field);
    seen.add(name);
    if (name === 'ports') {
      const ports = parsePortRanges(value, field);
      if (!ports.ok) return ports;
      out.ports = ports.value;
      continue;
    }
    if (!(SCALAR_NAMES as readonly string[]).includes(name)) {
      return err('RESOURCE_PARSE', `unknown resource "${name}" (expected one of ${[...SCALAR_NAMES, 'ports'].join(', ')})`, field);
    }
    const amount = Number(value);
    if (value === '' || !Number.isFinite(amount)) return err('RESOURCE_PARSE', `"${value}" is not a number`, field);
    if (amount < 0) return err('RESOURCE_INVALID', `${amount} is negative`, field);
    out[name as ScalarName] = fixed(amount);
  }
  return ok(resources(out));
}

/** Parses `[31000-32000,33000]`. */
export function parsePortRanges(value: string, where = 'ports'): Result<PortRange[]> {
  const match = /^\[(.*)\]$/.exec(value.trim());
  if (!match) return err('RESOURCE_PARSE', `"${value}" is not a port range list like [31000-32000]`, where);
  const body = (match[1] ?? '').trim();
  if (body === '') return ok([]);
  const ranges: PortRange[] = [];
  for (const item of body.split(',')) {
    const m = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(item);
    if (!m) return err('RESOURCE_PARSE', `"${item.trim()}" is not a port or port range`, where);
    const begin = Number(m[1]);
    const end = m[2] === undefined ? begin : Number(m[2]);
    if (begin > end) return err('RESOURCE_INVALID', `range ${begin}-${end} ends before it begins`, where);
    if (end > 65535) return err('RESOURCE_INVALID', `port ${end} is above 65535`, where);
    if (ranges.some((r) => !(end < r.begin || begin > r.end))) return err('RESOURCE_INVALID', `range ${begin}-${end} overlaps another`, where);
    ranges.push({ begin, end });
  }
  return ok(normalisePorts(ranges));
}
