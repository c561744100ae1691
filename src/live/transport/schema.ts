/**
 * Small validators for the transport's frames: a schema is a function that
 * returns null for a valid value or the first problem (`path: what`). Written
 * here rather than with a library because the wire has a dozen shapes and a
 * validator must never throw, whatever arrives.
 */

/** Null when valid, else the problem. */
export type Schema = (value: unknown, path: string) => string | null;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A string of at most `maxLength` characters. */
export const str =
  (maxLength = 4096): Schema =>
  (v, path) =>
    typeof v !== 'string' ? `${path}: not a string` : v.length > maxLength ? `${path}: longer than ${maxLength}` : null;

/** A finite number. */
export const num: Schema = (v, path) => (typeof v === 'number' && Number.isFinite(v) ? null : `${path}: not a finite number`);

/** A non-negative integer. */
export const count: Schema = (v, path) => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? null : `${path}: not a non-negative integer`);

export const bool: Schema = (v, path) => (typeof v === 'boolean' ? null : `${path}: not a boolean`);

/** One of the given strings. */
export const oneOf =
  (values: readonly string[]): Schema =>
  (v, path) =>
    typeof v === 'string' && values.includes(v) ? null : `${path}: not one of the known values`;

/** An array of at most `maxItems`, each valid. */
export const arr =
  (item: Schema, maxItems = 100_000): Schema =>
  (v, path) => {
    if (!Array.isArray(v)) return `${path}: not an array`;
    if (v.length > maxItems) return `${path}: more than ${maxItems} items`;
    for (let i = 0; i < v.length; i += 1) {
      const problem = item(v[i], '');
      if (problem !== null) return `${path}[${i}]${problem}`;
    }
    return null;
  };

/** A string-to-string record. */
export const stringRecord: Schema = (v, path) => {
  if (!isObject(v)) return `${path}: not an object`;
  for (const [key, value] of Object.entries(v)) if (typeof value !== 'string') return `${path}.${key}: not a string`;
  return null;
};

/** Marks an object field optional (absent or undefined is fine). */
export interface Optional {
  readonly optional: Schema;
}
export const opt = (schema: Schema): Optional => ({ optional: schema });

/** An object with these fields (unknown fields are ignored, as Mesos's JSON does). */
export const obj = (fields: Readonly<Record<string, Schema | Optional>>): Schema => {
  // The field list is built once: every frame of the busiest path (status updates, acks) passes here.
  const entries = Object.entries(fields).map(([key, field]) => ({ key, schema: typeof field === 'function' ? field : field.optional, optional: typeof field !== 'function' }));
  return (v, path) => {
    if (!isObject(v)) return `${path}: not an object`;
    for (const { key, schema, optional } of entries) {
      const value = Object.hasOwn(v, key) ? v[key] : undefined;
      if (optional && value === undefined) continue;
      // Children get an empty path and the problem is prefixed here: no path string is built for a valid frame.
      const problem = schema(value, '');
      if (problem !== null) return `${path}.${key}${problem}`;
    }
    return null;
  };
};

/** A tagged union: `type` picks the schema. */
export const tagged =
  (tag: string, byType: Readonly<Record<string, Schema>>): Schema =>
  (v, path) => {
    if (!isObject(v)) return `${path}: not an object`;
    const type = v[tag];
    if (typeof type !== 'string' || !Object.hasOwn(byType, type)) return `${path}.${tag}: unknown ${tag} ${JSON.stringify(type)?.slice(0, 60) ?? 'undefined'}`;
    return (byType[type] as Schema)(v, path);
  };
