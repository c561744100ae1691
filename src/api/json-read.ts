/**
 * Reads protobuf-JSON the way stout does (`stout/protobuf.hpp`): `null` is an
 * unset field, unknown keys are ignored, enums are names (a number is an
 * error), a missing required field is an error. Every error is a 400 naming
 * the field's path.
 */
import { ApiFailure } from './errors.js';

/** A JSON object as parsed. */
export type JsonObject = { readonly [key: string]: unknown };

function bad(path: string, what: string): never {
  throw new ApiFailure(400, `Failed to convert JSON into Call protobuf: ${path}: ${what}`);
}

/** Whether `value` is a plain JSON object. */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The field, or undefined when absent or null. */
export function field(obj: JsonObject, key: string): unknown {
  const value = obj[key];
  return value === null ? undefined : value;
}

/** An optional sub-message. */
export function optObject(obj: JsonObject, key: string, path: string): JsonObject | undefined {
  const value = field(obj, key);
  if (value === undefined) return undefined;
  if (!isObject(value)) bad(`${path}.${key}`, 'expected an object');
  return value;
}

/** A required sub-message. */
export function reqObject(obj: JsonObject, key: string, path: string): JsonObject {
  const value = optObject(obj, key, path);
  if (value === undefined) throw new ApiFailure(400, `Missing required fields: ${path}.${key}`);
  return value;
}

/** An optional string. */
export function optString(obj: JsonObject, key: string, path: string): string | undefined {
  const value = field(obj, key);
  if (value === undefined) return undefined;
  if (typeof value !== 'string') bad(`${path}.${key}`, 'expected a string');
  return value;
}

/** A required string. */
export function reqString(obj: JsonObject, key: string, path: string): string {
  const value = optString(obj, key, path);
  if (value === undefined) throw new ApiFailure(400, `Missing required fields: ${path}.${key}`);
  return value;
}

/** An optional number (a finite JSON number; stout also takes numeric strings for int64). */
export function optNumber(obj: JsonObject, key: string, path: string): number | undefined {
  const value = field(obj, key);
  if (value === undefined) return undefined;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  if (typeof value !== 'number' || !Number.isFinite(value)) bad(`${path}.${key}`, 'expected a number');
  return value;
}

/** An optional boolean. */
export function optBoolean(obj: JsonObject, key: string, path: string): boolean | undefined {
  const value = field(obj, key);
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') bad(`${path}.${key}`, 'expected a boolean');
  return value;
}

/** A repeated field (absent or null = empty). */
export function repeated(obj: JsonObject, key: string, path: string): readonly unknown[] {
  const value = field(obj, key);
  if (value === undefined) return [];
  if (!Array.isArray(value)) bad(`${path}.${key}`, 'expected an array');
  return value;
}

/** A repeated sub-message. */
export function repeatedObjects(obj: JsonObject, key: string, path: string): readonly JsonObject[] {
  return repeated(obj, key, path).map((item, i) => {
    if (!isObject(item)) bad(`${path}.${key}[${i}]`, 'expected an object');
    return item;
  });
}

/** A repeated string. */
export function repeatedStrings(obj: JsonObject, key: string, path: string): readonly string[] {
  return repeated(obj, key, path).map((item, i) => {
    if (typeof item !== 'string') bad(`${path}.${key}[${i}]`, 'expected a string');
    return item;
  });
}

/** An enum by name: a number, or a name not in `names`, is an error. */
export function optEnum<T extends string>(obj: JsonObject, key: string, path: string, names: readonly T[]): T | undefined {
  const value = field(obj, key);
  if (value === undefined) return undefined;
  if (typeof value !== 'string') bad(`${path}.${key}`, 'enum values are names, not numbers');
  if (!(names as readonly string[]).includes(value)) bad(`${path}.${key}`, `unknown enum value "${value}"`);
  return value as T;
}

/** A required `{value: string}` id message (FrameworkID, AgentID, TaskID, OfferID). */
export function reqId(obj: JsonObject, key: string, path: string): string {
  return reqString(reqObject(obj, key, path), 'value', `${path}.${key}`);
}

/** An optional `{value}` id. */
export function optId(obj: JsonObject, key: string, path: string): string | undefined {
  const id = optObject(obj, key, path);
  return id === undefined ? undefined : reqString(id, 'value', `${path}.${key}`);
}

/** A repeated `{value}` id. */
export function repeatedIds(obj: JsonObject, key: string, path: string): readonly string[] {
  return repeatedObjects(obj, key, path).map((id, i) => reqString(id, 'value', `${path}.${key}[${i}]`));
}
