/**
 * Validation of user-supplied workloads: services, batch jobs and execute
 * commands, with defaults filled in from the timing profile. Every error names
 * its field (`services[0].resources.cpus: "x" is not a number`).
 */
import { err, ok, type Result } from '../../core/errors.js';
import { MESOS_TIMING, type Timing } from '../../core/timing.js';
import { batchJobOf, type BatchJob } from '../batch/job.js';
import { DEFAULT_TASK_RESOURCES, MAX_INSTANCES } from '../defaults.js';
import { executeCommandOf, type ExecuteCommand } from '../execute/execute.js';
import { KILL_SELECTIONS, defaultUnreachableStrategy, serviceAppOf, type KillSelection, type ServiceApp, type UnreachableStrategy } from '../service/app.js';
import {
  booleanField,
  durationField,
  durationValue,
  numberField,
  objectAt,
  optionalDurationField,
  probabilityField,
  resourcesField,
  show,
  stringField,
  type Fields,
} from './fields.js';

/** App, job and command names: they become task id prefixes (`web.000001`) and node ids (`scheduler-web`). */
export const NAME_PATTERN = /^[a-z0-9]([a-z0-9_-]{0,61}[a-z0-9])?$/;
const NAME_TEXT = 'a name of lowercase letters, digits, - and _ (at most 63, starting and ending with a letter or digit)';

const SERVICE_FIELDS = [
  'name',
  'instances',
  'resources',
  'command',
  'role',
  'partitionAware',
  'failoverTimeoutMs',
  'unreachableStrategy',
  'killSelection',
  'taskLaunchTimeoutMs',
  'durationMs',
  'failureProbability',
] as const;

/** Reads fields in order, stopping at the first error. */
type Reader<T> = () => Result<T>;
function all<T extends Record<string, unknown>>(readers: { [K in keyof T]: Reader<T[K]> }): Result<T> {
  const out: Partial<T> = {};
  for (const key of Object.keys(readers) as Array<keyof T>) {
    const result = readers[key]();
    if (!result.ok) return result;
    out[key] = result.value;
  }
  return ok(out as T);
}

function nameField(fields: Fields, where: string): Result<string> {
  return stringField(fields, 'name', where, { pattern: NAME_PATTERN, patternText: NAME_TEXT });
}

function roleField(fields: Fields, where: string): Result<string> {
  return stringField(fields, 'role', where, { fallback: '*', pattern: /^(\*|[A-Za-z0-9_][A-Za-z0-9_.-]*)$/, patternText: 'a role name or *' });
}

/** Validates one service app; defaults come from `timing` (the mesos profile when omitted). */
export function validateServiceApp(input: unknown, where: string, timing: Timing = MESOS_TIMING): Result<ServiceApp> {
  const fields = objectAt(input, where, SERVICE_FIELDS);
  if (!fields.ok) return fields;
  const f = fields.value;
  const base = serviceAppOf({ name: '', instances: 0 }, timing);
  const read = all({
    name: () => nameField(f, where),
    instances: () => numberField(f, 'instances', where, { min: 0, max: MAX_INSTANCES, integer: true }),
    resources: () => resourcesField(f, 'resources', where, DEFAULT_TASK_RESOURCES),
    command: () => stringField(f, 'command', where, { fallback: base.command }),
    role: () => roleField(f, where),
    partitionAware: () => booleanField(f, 'partitionAware', where, base.partitionAware),
    failoverTimeoutMs: () => durationField(f, 'failoverTimeoutMs', where, base.failoverTimeoutMs),
    unreachableStrategy: () => unreachableStrategyField(f, where, timing),
    killSelection: () => killSelectionField(f, where),
    taskLaunchTimeoutMs: () => durationField(f, 'taskLaunchTimeoutMs', where, base.taskLaunchTimeoutMs),
    durationMs: () => optionalDurationField(f, 'durationMs', where),
    failureProbability: () => probabilityField(f, 'failureProbability', where, 0),
  });
  if (!read.ok) return read;
  if (read.value.taskLaunchTimeoutMs <= 0) return err('SPEC_INVALID', 'must be more than 0', `${where}.taskLaunchTimeoutMs`);
  return ok(read.value);
}

function unreachableStrategyField(fields: Fields, where: string, timing: Timing): Result<UnreachableStrategy> {
  const value = fields['unreachableStrategy'];
  const at = `${where}.unreachableStrategy`;
  if (value === undefined) return ok(defaultUnreachableStrategy(timing));
  if (value === 'disabled') return ok('disabled');
  if (typeof value === 'string') return err('SPEC_INVALID', `${show(value)} is not "disabled" or {inactiveAfterMs, expungeAfterMs}`, at);
  const strategy = objectAt(value, at, ['inactiveAfterMs', 'expungeAfterMs']);
  if (!strategy.ok) return strategy;
  const defaults = defaultUnreachableStrategy(timing);
  if (defaults === 'disabled') return ok(defaults);
  const inactive = strategy.value['inactiveAfterMs'] === undefined ? ok(defaults.inactiveAfterMs) : durationValue(strategy.value['inactiveAfterMs'], `${at}.inactiveAfterMs`);
  if (!inactive.ok) return inactive;
  const expunge = strategy.value['expungeAfterMs'] === undefined ? ok(Math.max(defaults.expungeAfterMs, inactive.value)) : durationValue(strategy.value['expungeAfterMs'], `${at}.expungeAfterMs`);
  if (!expunge.ok) return expunge;
  // Marathon: expungeAfterSeconds must be at least inactiveAfterSeconds.
  if (expunge.value < inactive.value) return err('SPEC_INVALID', `${expunge.value} is less than inactiveAfterMs (${inactive.value})`, `${at}.expungeAfterMs`);
  return ok({ inactiveAfterMs: inactive.value, expungeAfterMs: expunge.value });
}

function killSelectionField(fields: Fields, where: string): Result<KillSelection> {
  const value = fields['killSelection'];
  if (value === undefined) return ok('YoungestFirst');
  const found = KILL_SELECTIONS.find((k) => k === value);
  return found === undefined ? err('SPEC_INVALID', `${show(value)} is not one of ${KILL_SELECTIONS.join(', ')}`, `${where}.killSelection`) : ok(found);
}

const BATCH_FIELDS = [
  'name',
  'tasks',
  'resources',
  'command',
  'role',
  'durationMs',
  'failureProbability',
  'maxRetries',
  'parallelism',
  'partitionAware',
  'failoverTimeoutMs',
  'taskLaunchTimeoutMs',
] as const;

/** Validates one batch job; defaults come from `timing` (the mesos profile when omitted). */
export function validateBatchJob(input: unknown, where: string, timing: Timing = MESOS_TIMING): Result<BatchJob> {
  const fields = objectAt(input, where, BATCH_FIELDS);
  if (!fields.ok) return fields;
  const f = fields.value;
  const base = batchJobOf({ name: '', tasks: 0 }, timing);
  const read = all({
    name: () => nameField(f, where),
    tasks: () => numberField(f, 'tasks', where, { min: 0, max: MAX_INSTANCES, integer: true }),
    resources: () => resourcesField(f, 'resources', where, base.resources),
    role: () => roleField(f, where),
    durationMs: () => durationField(f, 'durationMs', where, base.durationMs),
    failureProbability: () => probabilityField(f, 'failureProbability', where, 0),
    maxRetries: () => numberField(f, 'maxRetries', where, { fallback: base.maxRetries, min: 0, max: 1000, integer: true }),
    parallelism: () => (f.parallelism === undefined || f.parallelism === null ? ok(null) : numberField(f, 'parallelism', where, { min: 1, max: MAX_INSTANCES, integer: true })),
    partitionAware: () => booleanField(f, 'partitionAware', where, true),
    failoverTimeoutMs: () => durationField(f, 'failoverTimeoutMs', where, base.failoverTimeoutMs ?? 0),
    taskLaunchTimeoutMs: () => durationField(f, 'taskLaunchTimeoutMs', where, base.taskLaunchTimeoutMs ?? 0),
  });
  if (!read.ok) return read;
  const command = stringField(f, 'command', where, { fallback: batchJobOf({ name: '', tasks: 0, durationMs: read.value.durationMs }, timing).command });
  if (!command.ok) return command;
  return ok({ ...read.value, command: command.value });
}

const EXECUTE_FIELDS = [
  'name',
  'command',
  'resources',
  'role',
  'durationMs',
  'failureProbability',
  'partitionAware',
  'failoverTimeoutMs',
  'taskLaunchTimeoutMs',
] as const;

/** Validates one execute command; defaults come from `timing` (the mesos profile when omitted). */
export function validateExecuteCommand(input: unknown, where: string, timing: Timing = MESOS_TIMING): Result<ExecuteCommand> {
  const fields = objectAt(input, where, EXECUTE_FIELDS);
  if (!fields.ok) return fields;
  const f = fields.value;
  const base = executeCommandOf({ name: '', command: '' }, timing);
  return all({
    name: () => nameField(f, where),
    command: () => stringField(f, 'command', where),
    resources: () => resourcesField(f, 'resources', where, base.resources),
    role: () => roleField(f, where),
    durationMs: () => optionalDurationField(f, 'durationMs', where),
    failureProbability: () => probabilityField(f, 'failureProbability', where, 0),
    partitionAware: () => booleanField(f, 'partitionAware', where, true),
    failoverTimeoutMs: () => durationField(f, 'failoverTimeoutMs', where, base.failoverTimeoutMs ?? 0),
    taskLaunchTimeoutMs: () => durationField(f, 'taskLaunchTimeoutMs', where, base.taskLaunchTimeoutMs ?? 0),
  });
}

/** A whole workload, as validated: every framework name unique. */
export interface ValidWorkload {
  readonly services: ServiceApp[];
  readonly batch: BatchJob[];
  readonly execute: ExecuteCommand[];
}

/** Validates `{services?, batch?, execute?}`; names must be unique across all three (one framework each). */
export function validateWorkload(input: unknown, where: string, timing: Timing = MESOS_TIMING): Result<ValidWorkload> {
  const fields = objectAt(input ?? {}, where, ['services', 'batch', 'execute']);
  if (!fields.ok) return fields;
  const prefix = where === '' ? '' : `${where}.`;
  const services = listOf(fields.value['services'], `${prefix}services`, (item, at) => validateServiceApp(item, at, timing));
  if (!services.ok) return services;
  const batch = listOf(fields.value['batch'], `${prefix}batch`, (item, at) => validateBatchJob(item, at, timing));
  if (!batch.ok) return batch;
  const execute = listOf(fields.value['execute'], `${prefix}execute`, (item, at) => validateExecuteCommand(item, at, timing));
  if (!execute.ok) return execute;
  const seen = new Map<string, string>();
  const named: Array<[string, readonly { readonly name: string }[]]> = [
    [`${prefix}services`, services.value],
    [`${prefix}batch`, batch.value],
    [`${prefix}execute`, execute.value],
  ];
  for (const [list, items] of named) {
    for (let i = 0; i < items.length; i += 1) {
      const name = (items[i] as { readonly name: string }).name;
      const at = `${list}[${i}]`;
      const first = seen.get(name);
      if (first !== undefined) return err('SPEC_INVALID', `"${name}" is already the name of ${first}`, `${at}.name`);
      seen.set(name, at);
    }
  }
  return ok({ services: services.value, batch: batch.value, execute: execute.value });
}

function listOf<T>(value: unknown, where: string, validate: (item: unknown, at: string) => Result<T>): Result<T[]> {
  if (value === undefined || value === null) return ok([]);
  if (!Array.isArray(value)) return err('SPEC_INVALID', `${show(value)} is not a list`, where);
  const out: T[] = [];
  for (let i = 0; i < value.length; i += 1) {
    const item = validate(value[i], `${where}[${i}]`);
    if (!item.ok) return item;
    out.push(item.value);
  }
  return ok(out);
}
