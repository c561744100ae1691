/**
 * Reading `workload`: services (Marathon-style apps), batch jobs and
 * mesos-execute commands, one framework each. Field names follow Marathon
 * where it has one (`instances`, `unreachableStrategy`, `killSelection`); the
 * defaults are the built-in schedulers' own (schedulers/defaults.ts).
 */
import type { Node as YamlNode, YAMLMap } from 'yaml';
import { contains, formatResources, isEmpty, type Resources } from '../../core/resources.js';
import type { Timing } from '../../core/timing.js';
import {
  DEFAULT_BATCH_DURATION_MS,
  DEFAULT_FAILOVER_TIMEOUT_MS,
  DEFAULT_MAX_RETRIES,
  DEFAULT_ROLE,
  DEFAULT_SERVICE_COMMAND,
  MAX_INSTANCES,
} from '../../schedulers/defaults.js';
import { readResourcesField } from './parse-cluster.js';
import { asList, asMap, Fields, readBool, readDuration, readEnum, readInt, readName, readNumber, readString, scalarValue, type Source } from './source.js';
import type { AgentSpec, AppCommon, BatchSpec, ExecuteSpec, KillSelection, ServiceSpec, UnreachableStrategy, WorkloadSpec } from './types.js';

/** Per-task resources when an app does not say (Marathon's and mesos-execute's). */
export const DEFAULT_APP_RESOURCES = 'cpus:1;mem:128';
export { DEFAULT_BATCH_DURATION_MS, DEFAULT_FAILOVER_TIMEOUT_MS, DEFAULT_MAX_RETRIES, DEFAULT_SERVICE_COMMAND };

const COMMON_KEYS = ['name', 'resources', 'role', 'partitionAware', 'failoverTimeout', 'taskLaunchTimeout'];
const SERVICE_KEYS = [...COMMON_KEYS, 'instances', 'unreachableStrategy', 'killSelection', 'command', 'duration', 'failureProbability'];
const BATCH_KEYS = [...COMMON_KEYS, 'tasks', 'command', 'duration', 'failureProbability', 'maxRetries', 'parallelism'];
const EXECUTE_KEYS = [...COMMON_KEYS, 'command', 'duration', 'failureProbability'];
const KILL_SELECTIONS: readonly KillSelection[] = ['YoungestFirst', 'OldestFirst'];
/** Spellings from Marathon's JSON and other tools. */
const APP_ALIASES = { id: 'name', cpus: 'resources', mem: 'resources', count: 'instances', cmd: 'command' };

type Reader<T> = (f: Fields, common: AppCommon) => T | undefined;

/** Reads `workload`; app names must be unique and each app must fit on some agent. */
export function readWorkload(src: Source, node: YamlNode | null | undefined, timing: Timing, agents: readonly AgentSpec[]): WorkloadSpec {
  if (node === undefined) return { services: [], batch: [], execute: [] };
  const map = asMap(src, node, 'workload');
  if (map === undefined) return { services: [], batch: [], execute: [] };
  const fields = new Fields(src, map, 'workload', ['services', 'batch', 'execute'], { apps: 'services', jobs: 'batch', service: 'services' });
  const names = new Set<string>();
  const apps = <T>(key: string, keys: readonly string[], read: Reader<T>): T[] => {
    const field = fields.get(key);
    if (field === undefined) return [];
    const out: T[] = [];
    for (const item of asList(src, field.value, key) ?? []) {
      const itemMap = asMap(src, item, `an entry of ${key}`);
      if (itemMap === undefined) continue;
      const entry = new Fields(src, itemMap, `${key} entry`, keys, APP_ALIASES);
      const common = readCommon(src, entry, itemMap, names, agents);
      const value = common === undefined ? undefined : read(entry, common);
      if (value !== undefined) out.push(value);
    }
    return out;
  };
  const services = apps('services', SERVICE_KEYS, (f, common) => readService(src, f, common, timing));
  const batch = apps('batch', BATCH_KEYS, (f, common) => readBatch(src, f, common));
  const execute = apps('execute', EXECUTE_KEYS, (f, common) => readExecute(src, f, common));
  return { services, batch, execute };
}

/** An optional field: its default when absent, the reader's answer (undefined = recorded problem) when present. */
function opt<T>(f: Fields, key: string, fallback: T, read: (node: YamlNode | null) => T | undefined): T | undefined {
  const field = f.get(key);
  return field === undefined ? fallback : read(field.value);
}

function readCommon(src: Source, f: Fields, at: YAMLMap, names: Set<string>, agents: readonly AgentSpec[]): AppCommon | undefined {
  const nameField = f.required('name', 'name: web');
  const name = nameField === undefined ? undefined : readName(src, nameField.value, 'name');
  if (name !== undefined && names.has(name)) src.semantic(nameField?.value, `app name "${name}" is used twice (names are unique across services, batch and execute)`);
  if (name !== undefined) names.add(name);
  const resources = appResources(src, f, at, agents, name);
  const role = opt(f, 'role', DEFAULT_ROLE, (n) => readString(src, n, 'role'));
  const partitionAware = opt(f, 'partitionAware', true, (n) => readBool(src, n, 'partitionAware'));
  const failoverTimeoutMs = opt(f, 'failoverTimeout', DEFAULT_FAILOVER_TIMEOUT_MS, (n) => readDuration(src, n, 'failoverTimeout'));
  const taskLaunchTimeoutMs = opt<number | null>(f, 'taskLaunchTimeout', null, (n) => readDuration(src, n, 'taskLaunchTimeout', true));
  if (name === undefined || resources === undefined || role === undefined || partitionAware === undefined) return undefined;
  if (failoverTimeoutMs === undefined || taskLaunchTimeoutMs === undefined) return undefined;
  return { name, resources, role, partitionAware, failoverTimeoutMs, taskLaunchTimeoutMs, loc: src.locOf(at) };
}

function readService(src: Source, f: Fields, common: AppCommon, timing: Timing): ServiceSpec | undefined {
  const instances = opt(f, 'instances', 1, (n) => readInt(src, n, 'instances', 0, MAX_INSTANCES));
  const unreachableStrategy = opt<UnreachableStrategy | 'disabled' | null>(f, 'unreachableStrategy', null, (n) => readStrategy(src, n, timing));
  const killSelection = opt<KillSelection>(f, 'killSelection', 'YoungestFirst', (n) => readEnum(src, n, 'killSelection', KILL_SELECTIONS));
  const command = opt(f, 'command', DEFAULT_SERVICE_COMMAND, (n) => readString(src, n, 'command'));
  const durationMs = opt<number | null>(f, 'duration', null, (n) => readDuration(src, n, 'duration', true));
  const failureProbability = opt(f, 'failureProbability', 0, (n) => readNumber(src, n, 'failureProbability', 0, 1));
  if (instances === undefined || unreachableStrategy === undefined || killSelection === undefined || command === undefined) return undefined;
  if (durationMs === undefined || failureProbability === undefined) return undefined;
  return { ...common, instances, unreachableStrategy, killSelection, command, durationMs, failureProbability };
}

/** `disabled`, or Marathon's {inactiveAfterSeconds, expungeAfterSeconds}; a missing half comes from the timing profile. */
function readStrategy(src: Source, node: YamlNode | null, timing: Timing): UnreachableStrategy | 'disabled' | undefined {
  if (scalarValue(node) === 'disabled') return 'disabled';
  const map = asMap(src, node, 'unreachableStrategy ("disabled" or {inactiveAfterSeconds, expungeAfterSeconds})');
  if (map === undefined) return undefined;
  const fields = new Fields(src, map, 'unreachableStrategy', ['inactiveAfterSeconds', 'expungeAfterSeconds'], {
    inactiveAfter: 'inactiveAfterSeconds',
    expungeAfter: 'expungeAfterSeconds',
  });
  const seconds = (key: string, fallbackMs: number): number | undefined =>
    opt(fields, key, fallbackMs, (n) => {
      const value = readNumber(src, n, key, 0, 1e9);
      return value === undefined ? undefined : Math.round(value * 1000);
    });
  const inactiveAfterMs = seconds('inactiveAfterSeconds', timing.inactiveAfterMs);
  const expungeAfterMs = seconds('expungeAfterSeconds', Math.max(timing.expungeAfterMs, inactiveAfterMs ?? 0));
  if (inactiveAfterMs === undefined || expungeAfterMs === undefined) return undefined;
  if (expungeAfterMs < inactiveAfterMs) {
    // Marathon refuses this too: the original would be expunged before its replacement starts.
    return src.semantic(
      fields.get('expungeAfterSeconds')?.value ?? map,
      `expungeAfterSeconds (${expungeAfterMs / 1000}) must be at least inactiveAfterSeconds (${inactiveAfterMs / 1000})`,
    );
  }
  return { inactiveAfterMs, expungeAfterMs };
}

function readBatch(src: Source, f: Fields, common: AppCommon): BatchSpec | undefined {
  const tasks = opt(f, 'tasks', 1, (n) => readInt(src, n, 'tasks', 0, MAX_INSTANCES));
  const command = opt<string | null>(f, 'command', null, (n) => readString(src, n, 'command'));
  const durationMs = opt(f, 'duration', DEFAULT_BATCH_DURATION_MS, (n) => readDuration(src, n, 'duration'));
  const failureProbability = opt(f, 'failureProbability', 0, (n) => readNumber(src, n, 'failureProbability', 0, 1));
  const maxRetries = opt(f, 'maxRetries', DEFAULT_MAX_RETRIES, (n) => readInt(src, n, 'maxRetries', 0, 1_000));
  const parallelism = opt<number | null>(f, 'parallelism', null, (n) => readInt(src, n, 'parallelism', 1, MAX_INSTANCES));
  if (tasks === undefined || command === undefined || durationMs === undefined || failureProbability === undefined || maxRetries === undefined || parallelism === undefined) return undefined;
  return { ...common, tasks, command, durationMs, failureProbability, maxRetries, parallelism };
}

function readExecute(src: Source, f: Fields, common: AppCommon): ExecuteSpec | undefined {
  const commandField = f.required('command', 'command: "echo hello"');
  const command = commandField === undefined ? undefined : readString(src, commandField.value, 'command');
  const durationMs = opt<number | null>(f, 'duration', null, (n) => readDuration(src, n, 'duration', true));
  const failureProbability = opt(f, 'failureProbability', 0, (n) => readNumber(src, n, 'failureProbability', 0, 1));
  if (command === undefined || durationMs === undefined || failureProbability === undefined) return undefined;
  return { ...common, command, durationMs, failureProbability };
}

/** An app's per-task resources: not empty (the master refuses such a task) and small enough for some agent. */
function appResources(src: Source, f: Fields, at: YAMLMap, agents: readonly AgentSpec[], name: string | undefined): Resources | undefined {
  const field = f.get('resources');
  const before = src.issues.length;
  const resources = readResourcesField(src, field?.value, DEFAULT_APP_RESOURCES);
  if (src.issues.length > before) return undefined;
  if (isEmpty(resources)) return src.semantic(field?.value, 'a task needs some resources, e.g. "cpus:0.5;mem:64"');
  // An app no agent can hold would wait for offers forever: say so now, not after a timeout.
  if (agents.length > 0 && !agents.some((agent) => contains(agent.resources, resources))) {
    return src.semantic(field?.value ?? at, `app "${name ?? '?'}" needs ${formatResources(resources)} per task, more than any agent has`);
  }
  return resources;
}
