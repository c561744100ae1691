/**
 * Workload shorthands of the command line: `--services web=10,api=5`.
 */
import { err, ok, type Result } from '../core/errors.js';

/** One `name=instances` pair. */
export interface ServiceShorthand {
  readonly name: string;
  readonly instances: number;
}

/** Parses `web=10,api=5` (also given as repeated flags). */
export function parseServiceFlags(values: readonly string[], flag = '--services'): Result<ServiceShorthand[]> {
  const out: ServiceShorthand[] = [];
  for (const value of values) {
    for (const part of value.split(',')) {
      const item = part.trim();
      if (item === '') continue;
      const m = /^([A-Za-z][\w.-]*)=(\d+)$/.exec(item);
      if (!m) return err('USAGE', `"${item}" is not name=instances (example: web=10)`, flag);
      const name = m[1] as string;
      if (out.some((s) => s.name === name)) return err('USAGE', `service "${name}" is given twice`, flag);
      out.push({ name, instances: Number(m[2]) });
    }
  }
  return ok(out);
}
