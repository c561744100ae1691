/**
 * Expected failures are values, not exceptions: every typed error carries a code
 * from this one list. Bugs are assertions (see `assert`).
 */

/** Every error code faultline returns, in one place. */
export const ERROR_CODES = [
  // core
  'RESOURCE_PARSE', // a resource string that does not parse
  'RESOURCE_INVALID', // a negative or non-finite amount, an overlapping port range
  'TASK_INVALID', // a task spec with a missing or wrong field
  'SPEC_INVALID', // a cluster or framework spec with a missing or wrong field
  'UNKNOWN_TARGET', // a fault names a node, agent, task or framework that does not exist
  'FAULT_INVALID', // a fault that cannot apply (heal with nothing to heal is fine; this is e.g. a bad probability)
  // chaos / cli
  'SCENARIO_YAML', // the scenario file is not valid YAML
  'SCENARIO_SCHEMA', // valid YAML, wrong shape
  'SCENARIO_SEMANTIC', // right shape, wrong meaning (unknown app, bad target)
  'USAGE', // a bad command-line flag or argument
  'IO', // a file that cannot be read or written
  'PROTOCOL', // a malformed network frame
  // live
  'CHECKPOINT_CORRUPT', // a checkpoint file in a work directory that cannot be read back
  'UNSUPPORTED', // this runtime or machine cannot do it (not root, no iptables, a fault with no real counterpart): the caller falls back or refuses
  'UNAVAILABLE', // a system tool a live run needs is missing (ZooKeeper)
  'COMMAND', // an external command (ip, iptables) that failed or timed out; the message names it
] as const;

/** One of ERROR_CODES. */
export type ErrorCode = (typeof ERROR_CODES)[number];

/** An expected failure: a code, a one-line message, and where (a field path or file:line:col). */
export interface FaultlineError {
  readonly code: ErrorCode;
  readonly message: string;
  /** The field (`resources.cpus`) or location (`agent-loss.yaml:12:5`) the error is about. */
  readonly where?: string;
}

/** A value or a typed error. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: FaultlineError };

/** Wraps a value as a success. */
export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

/** Builds a typed failure. */
export function err<T = never>(code: ErrorCode, message: string, where?: string): Result<T> {
  return { ok: false, error: where === undefined ? { code, message } : { code, message, where } };
}

/** Crashes on a broken invariant: a bug, never bad input. */
export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`assertion failed: ${message}`);
}

/** Exhaustiveness check for `switch` over tagged unions. */
export function assertNever(value: never, what = 'value'): never {
  throw new Error(`unexpected ${what}: ${JSON.stringify(value)}`);
}
