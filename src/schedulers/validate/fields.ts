/**
 * Readers for user-supplied fields (scenario files, flags, the TUI): each returns
 * a typed error that names the field, like `services[0].resources.cpus: "x" is
 * not a number`. Unknown fields are errors too, so a typo never passes silently.
 */
import { parseDuration } from '../../core/duration.js';
import { err, ok, type Result } from '../../core/errors.js';
import { parseResources, resources, SCALAR_NAMES, type Resources } from '../../core/resources.js';

/** A plain object from user input. */
export type Fields = Readonly<Record<string, unknown>>;

/** Shows a bad value in a message: strings quoted, others as JSON. */
export function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** The input as an object whose keys are all in `allowed`. */
export function objectAt(input: unknown, where: string, allowed: readonly string[]): Result<Fields> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return err('SPEC_INVALID', `${show(input)} is not an object`, where);
  for (const key of Object.keys(input)) {
    if (!allowed.includes(key)) return err('SPEC_INVALID', `unknown field (expected one of ${allowed.join(', ')})`, `${where}.${key}`);
  }
  return ok(input as Fields);
}

/** A required or defaulted string field; `pattern` with its human description. */
export function stringField(
  fields: Fields,
  key: string,
  where: string,
  options: { readonly fallback?: string; readonly pattern?: RegExp; readonly patternText?: string } = {},
): Result<string> {
  const value = fields[key];
  if (value === undefined) return options.fallback === undefined ? err('SPEC_INVALID', 'is required', `${where}.${key}`) : ok(options.fallback);
  if (typeof value !== 'string') return err('SPEC_INVALID', `${show(value)} is not a string`, `${where}.${key}`);
  if (options.pattern && !options.pattern.test(value)) return err('SPEC_INVALID', `${show(value)} is not ${options.patternText ?? `like ${options.pattern.source}`}`, `${where}.${key}`);
  return ok(value);
}

/** A number field within [min, max]; whole numbers only with `integer`. */
export function numberField(
  fields: Fields,
  key: string,
  where: string,
  options: { readonly fallback?: number; readonly min?: number; readonly max?: number; readonly integer?: boolean },
): Result<number> {
  const value = fields[key];
  const at = `${where}.${key}`;
  if (value === undefined) return options.fallback === undefined ? err('SPEC_INVALID', 'is required', at) : ok(options.fallback);
  return numberValue(value, at, options);
}

function numberValue(value: unknown, at: string, options: { readonly min?: number; readonly max?: number; readonly integer?: boolean }): Result<number> {
  if (typeof value !== 'number' || !Number.isFinite(value)) return err('SPEC_INVALID', `${show(value)} is not a number`, at);
  if (options.integer && !Number.isInteger(value)) return err('SPEC_INVALID', `${value} is not a whole number`, at);
  if (options.min !== undefined && value < options.min) return err('SPEC_INVALID', `${value} is below ${options.min}`, at);
  if (options.max !== undefined && value > options.max) return err('SPEC_INVALID', `${value} is above ${options.max}`, at);
  return ok(value);
}

/** A probability in [0, 1]. */
export function probabilityField(fields: Fields, key: string, where: string, fallback: number): Result<number> {
  return numberField(fields, key, where, { fallback, min: 0, max: 1 });
}

/** A boolean field. */
export function booleanField(fields: Fields, key: string, where: string, fallback: boolean): Result<boolean> {
  const value = fields[key];
  if (value === undefined) return ok(fallback);
  if (typeof value !== 'boolean') return err('SPEC_INVALID', `${show(value)} is not true or false`, `${where}.${key}`);
  return ok(value);
}

/** A duration in ms: a number of milliseconds or text like `30s`, `5m`, `1m30s`. */
export function durationValue(value: unknown, at: string): Result<number> {
  if (typeof value === 'number') return numberValue(value, at, { min: 0 });
  if (typeof value !== 'string') return err('SPEC_INVALID', `${show(value)} is not a duration (milliseconds, or text like 30s, 5m)`, at);
  const parsed = parseDuration(value, at);
  return parsed.ok ? parsed : err('SPEC_INVALID', parsed.error.message, at);
}

/** A duration field with a default. */
export function durationField(fields: Fields, key: string, where: string, fallback: number): Result<number> {
  const value = fields[key];
  return value === undefined ? ok(fallback) : durationValue(value, `${where}.${key}`);
}

/** A duration field that may also be null (run until killed). */
export function optionalDurationField(fields: Fields, key: string, where: string): Result<number | null> {
  const value = fields[key];
  return value === undefined || value === null ? ok(null) : durationValue(value, `${where}.${key}`);
}

/**
 * Resources as Mesos text (`cpus:0.5;mem:256;ports:[31000-31001]`) or an object
 * (`{cpus: 0.5, mem: 256}`); errors name the resource (`...resources.cpus`).
 */
export function resourcesField(fields: Fields, key: string, where: string, fallback: Resources): Result<Resources> {
  const value = fields[key];
  const at = `${where}.${key}`;
  if (value === undefined) return ok(fallback);
  const parsed = typeof value === 'string' ? parseResources(value, at) : resourcesObject(value, at);
  if (!parsed.ok) return parsed;
  const r = parsed.value;
  if (r.cpus === 0 && r.mem === 0 && r.disk === 0 && r.gpus === 0) return err('RESOURCE_INVALID', 'a task needs some cpus, mem, disk or gpus', at);
  return parsed;
}

function resourcesObject(value: unknown, at: string): Result<Resources> {
  const fields = objectAt(value, at, [...SCALAR_NAMES, 'ports']);
  if (!fields.ok) return fields;
  const out: { -readonly [K in (typeof SCALAR_NAMES)[number]]?: number } = {};
  for (const name of SCALAR_NAMES) {
    const v = fields.value[name];
    if (v === undefined) continue;
    if (typeof v !== 'number' || !Number.isFinite(v)) return err('RESOURCE_PARSE', `${show(v)} is not a number`, `${at}.${name}`);
    if (v < 0) return err('RESOURCE_INVALID', `${v} is negative`, `${at}.${name}`);
    out[name] = v;
  }
  const ports = fields.value['ports'];
  if (ports === undefined) return ok(resources(out));
  if (typeof ports === 'string') {
    const text = parseResources(`ports:${ports}`, at);
    return text.ok ? ok(resources({ ...out, ports: text.value.ports })) : text;
  }
  return err('RESOURCE_PARSE', `${show(ports)} is not a port range list like "[31000-31005]"`, `${at}.ports`);
}
