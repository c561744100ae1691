/**
 * Reading a YAML document with positions. Every reader records a problem
 * against the exact node it is about and returns undefined, so one walk finds
 * every problem; `firstIssue` then reports the one that matters (YAML before
 * shape before meaning, then earliest in the file). Errors never throw.
 */
import { isAlias, isMap, isScalar, isSeq, type Document, type LineCounter, type Node as YamlNode, type Scalar, type YAMLMap } from 'yaml';
import type { ErrorCode, FaultlineError } from '../../core/errors.js';
import { formatDuration, parseDuration } from './duration.js';

/** The longest duration a file may give (a timeout such as a framework's failover timeout). */
export const MAX_DURATION_MS = 30 * 86_400_000;
/** The longest stretch of simulated time one step may wait (wait, until ... within, steady within, liveness deadline). */
export const MAX_WAIT_MS = 86_400_000;
import { didYouMean } from './suggest.js';
import type { Loc } from './types.js';

/** One problem found in the file. */
export interface Issue {
  readonly code: ErrorCode;
  readonly offset: number;
  readonly message: string;
}

const PHASE: Partial<Record<ErrorCode, number>> = { SCENARIO_YAML: 0, SCENARIO_SCHEMA: 1, SCENARIO_SEMANTIC: 2 };

/** The file being read: its text, positions, aliases and the issues found so far. */
export class Source {
  readonly issues: Issue[] = [];

  constructor(
    readonly file: string,
    readonly text: string,
    private readonly lines: LineCounter,
    private readonly doc: Document | null,
  ) {}

  /** The location of a character offset. */
  locAt(offset: number): Loc {
    const pos = this.lines.linePos(Math.max(0, Math.min(offset, this.text.length)));
    return { file: this.file, line: pos.line, column: pos.col };
  }

  /** The location where a node starts. */
  locOf(node: YamlNode | null | undefined, fallback = 0): Loc {
    return this.locAt(offsetOf(node, fallback));
  }

  /** Records a wrong-shape problem (wrong type, unknown key, bad value). */
  schema(at: YamlNode | number | null | undefined, message: string): undefined {
    this.issues.push({ code: 'SCENARIO_SCHEMA', offset: typeof at === 'number' ? at : offsetOf(at, 0), message });
    return undefined;
  }

  /** Records a wrong-meaning problem (unknown app, bad target for the fault, ...). */
  semantic(at: YamlNode | number | null | undefined, message: string): undefined {
    this.issues.push({ code: 'SCENARIO_SEMANTIC', offset: typeof at === 'number' ? at : offsetOf(at, 0), message });
    return undefined;
  }

  /** Records an invalid-YAML problem. */
  yaml(offset: number, message: string): void {
    this.issues.push({ code: 'SCENARIO_YAML', offset, message });
  }

  /** Follows an alias to its anchored node (an unknown alias is recorded and stays, so later problems point at it too). */
  deref(node: YamlNode | null | undefined): YamlNode | null | undefined {
    if (!isAlias(node)) return node;
    const target = this.doc === null ? undefined : node.resolve(this.doc);
    if (target === undefined) {
      this.schema(node, `unknown alias *${node.source} (no &${node.source} anchor before it)`);
      return node;
    }
    return target;
  }

  /** The issue to report: YAML, then schema, then semantic; earliest first. */
  firstIssue(): FaultlineError | null {
    let best: Issue | null = null;
    for (const issue of this.issues) {
      if (best === null || rank(issue) < rank(best) || (rank(issue) === rank(best) && issue.offset < best.offset)) best = issue;
    }
    if (best === null) return null;
    const loc = this.locAt(best.offset);
    return { code: best.code, message: best.message, where: `${loc.file}:${loc.line}:${loc.column}` };
  }
}

function rank(issue: Issue): number {
  return PHASE[issue.code] ?? 3;
}

/** Where a node starts (its first character). */
export function offsetOf(node: YamlNode | null | undefined, fallback: number): number {
  return node?.range?.[0] ?? fallback;
}

/** How a value reads in a message: `"abc"`, `12`, `a list`, `a mapping`, `nothing`. */
export function describe(node: YamlNode | null | undefined): string {
  if (node === null || node === undefined) return 'nothing';
  if (isMap(node)) return 'a mapping';
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) {
    const value = node.value;
    if (value === null || value === undefined) return 'nothing';
    if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
    return String(value);
  }
  return 'an alias';
}

/** A key of a mapping and its value node. */
export interface Field {
  readonly key: Scalar;
  readonly value: YamlNode | null;
}

/** Alternative spellings people bring from other tools: key -> the name we use. */
export type KeyAliases = Readonly<Record<string, string>>;

/**
 * The fields of a mapping, with unknown keys recorded (with a suggestion) and
 * absent required keys recorded at `at` (the mapping, or the key that holds it).
 */
export class Fields {
  private readonly byName = new Map<string, Field>();
  /** Unknown keys seen (already recorded); "missing key" problems stay quiet then, as the typo is the likelier story. */
  unknownKeys = 0;

  constructor(
    private readonly src: Source,
    readonly map: YAMLMap,
    readonly what: string,
    allowed: readonly string[],
    aliases: KeyAliases = {},
  ) {
    for (const pair of map.items) {
      const keyNode = pair.key;
      if (!isScalar(keyNode) || (typeof keyNode.value !== 'string' && typeof keyNode.value !== 'number')) {
        src.schema(isScalar(keyNode) ? keyNode : (keyNode as YamlNode | null), `keys of ${what} must be names`);
        continue;
      }
      const name = String(keyNode.value);
      if (!allowed.includes(name)) {
        this.unknownKeys += 1;
        const alias = aliases[name];
        const hint = alias !== undefined ? `, did you mean "${alias}"?` : didYouMean(name, allowed);
        src.schema(keyNode, `unknown key "${name}" in ${what}${hint || ` (expected ${allowed.join(', ')})`}`);
        continue;
      }
      this.byName.set(name, { key: keyNode, value: src.deref(pair.value as YamlNode | null) ?? null });
    }
  }

  /** Whether the key is present. */
  has(name: string): boolean {
    return this.byName.has(name);
  }

  /** The field, or undefined when absent. */
  get(name: string): Field | undefined {
    return this.byName.get(name);
  }

  /** The field; when absent, records "missing key" at the mapping (unless an unknown key may be its typo). */
  required(name: string, example: string): Field | undefined {
    const field = this.byName.get(name);
    if (field === undefined) this.missing(`${this.what} needs "${name}", e.g. ${example}`);
    return field;
  }

  /** Records a problem about something absent from the mapping, unless an unknown key was already reported. */
  missing(message: string): undefined {
    if (this.unknownKeys === 0) this.src.schema(this.map, message);
    return undefined;
  }

  /** Present names, in file order. */
  names(): string[] {
    return [...this.byName.keys()];
  }
}

/** The node as a mapping, or a recorded problem. */
export function asMap(src: Source, node: YamlNode | null | undefined, what: string): YAMLMap | undefined {
  const resolved = src.deref(node);
  if (isMap(resolved)) return resolved;
  return src.schema(resolved, `${what} must be a mapping of keys, got ${describe(resolved)}`);
}

/** The node's items as a list, or a recorded problem. */
export function asList(src: Source, node: YamlNode | null | undefined, what: string): Array<YamlNode | null> | undefined {
  const resolved = src.deref(node);
  if (isSeq(resolved)) return resolved.items.map((item) => src.deref(item as YamlNode | null) ?? null);
  return src.schema(resolved, `${what} must be a list, got ${describe(resolved)}`);
}

/** The scalar's value, or undefined for any other node. */
export function scalarValue(node: YamlNode | null | undefined): unknown {
  return isScalar(node) ? node.value : undefined;
}

/** A non-empty string (numbers are taken as their text when `numbersToo`). */
export function readString(src: Source, node: YamlNode | null | undefined, what: string, numbersToo = false): string | undefined {
  const value = scalarValue(node);
  if (typeof value === 'string' && value.trim() !== '') return value;
  if (numbersToo && typeof value === 'number' && Number.isFinite(value)) return String(value);
  return src.schema(node, `${what} must be text, got ${describe(node)}`);
}

/** A name usable as an app, host or attribute: letters, digits, `.`, `_`, `-`. */
export function readName(src: Source, node: YamlNode | null | undefined, what: string): string | undefined {
  const name = readString(src, node, what, true);
  if (name === undefined) return undefined;
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) return src.schema(node, `${what} "${name}" may hold only letters, digits, ".", "_" and "-"`);
  return name;
}

/** A whole number in [min, max]. */
export function readInt(src: Source, node: YamlNode | null | undefined, what: string, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  const value = scalarValue(node);
  if (typeof value !== 'number' || !Number.isInteger(value)) return src.schema(node, `${what} must be a whole number, got ${describe(node)}`);
  if (value < min) return src.schema(node, `${what} must be at least ${min}, got ${value}`);
  if (value > max) return src.schema(node, `${what} must be at most ${max}, got ${value}`);
  return value;
}

/** A number in [min, max]. */
export function readNumber(src: Source, node: YamlNode | null | undefined, what: string, min: number, max: number): number | undefined {
  const value = scalarValue(node);
  if (typeof value !== 'number' || !Number.isFinite(value)) return src.schema(node, `${what} must be a number, got ${describe(node)}`);
  if (value < min || value > max) return src.schema(node, `${what} must be between ${min} and ${max}, got ${value}`);
  return value;
}

/** true or false. */
export function readBool(src: Source, node: YamlNode | null | undefined, what: string): boolean | undefined {
  const value = scalarValue(node);
  if (typeof value === 'boolean') return value;
  return src.schema(node, `${what} must be true or false, got ${describe(node)}`);
}

/** One of a fixed set of words (with a suggestion when it is a typo). */
export function readEnum<T extends string>(src: Source, node: YamlNode | null | undefined, what: string, values: readonly T[]): T | undefined {
  const value = scalarValue(node);
  if (typeof value === 'string' && (values as readonly string[]).includes(value)) return value as T;
  const hint = typeof value === 'string' ? didYouMean(value, values) : '';
  return src.schema(node, `${what} must be one of ${values.join(', ')}, got ${describe(node)}${hint}`);
}

/** A human duration (`30s`, `500ms`, `1m30s`, or 0) in milliseconds; `positive` refuses 0. */
export function readDuration(src: Source, node: YamlNode | null | undefined, what: string, positive = false, maxMs = MAX_DURATION_MS): number | undefined {
  const value = scalarValue(node);
  if (typeof value !== 'string' && typeof value !== 'number') return src.schema(node, `${what} must be a duration like 30s, got ${describe(node)}`);
  const parsed = parseDuration(String(value));
  if (!parsed.ok) return src.schema(node, `${what}: ${parsed.error.message}`);
  if (positive && parsed.value === 0) return src.schema(node, `${what} must be more than 0, got ${describe(node)}`);
  if (parsed.value > maxMs) return src.schema(node, `${what} must be at most ${formatDuration(maxMs)}, got ${describe(node)}`);
  return parsed.value;
}
