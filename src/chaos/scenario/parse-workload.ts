/**
 * Reading `workload`: services (Marathon-style apps), batch jobs and
 * mesos-execute commands. Field names follow Marathon where it has one
 * (`instances`, `unreachableStrategy`, `killSelection`).
 */
import type { Node as YamlNode } from 'yaml';
import { contains, formatResources, isEmpty, type Resources } from '../../core/resources.js';
import type { Timing } from '../../core/timing.js';
import { readResourcesField } from './parse-cluster.js';
import { asList, asMap, Fields, readBool, readDuration, readEnum, readInt, readName, readNumber, readString, scalarValue, type Source } from './source.js';
import type { AgentSpec, BatchSpec, ExecuteSpec, KillSelection, ServiceSpec, UnreachableStrategy, WorkloadSpec } from './types.js';

/** Per-task resources when an app does not say (Marathon's defaults). */
export const DEFAULT_APP_RESOURCES = 'cpus:1;mem:128';
/** A service's command when it does not say. */
export const DEFAULT_SERVICE_COMMAND = 'sleep infinity';
/** Marathon's failover_timeout: one week. */
export const DEFAULT_FAILOVER_TIMEOUT_MS = 7 * 24 * 3_600_000;
/** A batch task's simulated run time when it does not say. */
export const DEFAULT_BATCH_DURATION_MS = 10_000;
/** Retries per batch task when it does not say. */
export const DEFAULT_MAX_RETRIES = 3;

const SERVICE_KEYS = ['name', 'instances', 'resources', 'partitionAware', 'unreachableStrategy', 'killSelection', 'role', 'command', 'failoverTimeout'];
const BATCH_KEYS = ['name', 'tasks', 'resources', 'duration', 'failureProbability', 'maxRetries'];
const EXECUTE_KEYS = ['name', 'command', 'resources', 'duration'];
const KILL_SELECTIONS: readonly KillSelection[] = ['YoungestFirst', 'OldestFirst'];
/** Spellings from Marathon's JSON and other tools. */
const APP_ALIASES = { id: 'name', cpus: 'resources', mem: 'resources', count: 'instances', cmd: 'command' };

/** Reads `workload`; app names are checked to be unique and each app to fit on some agent. */
export function readWorkload(src: Source, node: YamlNode | null | undefined, timing: Timing, agents: readonly AgentSpec[]): WorkloadSpec {
  if (node === undefined) return { services: [], batch: [], execute: [] };
  const map = asMap(src, node, 'workload');
  if (map === undefined) return { services: [], batch: [], execute: [] };
  const fields = new Fields(src, map, 'workload', ['services', 'batch', 'execute'], { apps: 'services', jobs: 'batch', service: 'services' });
  const names = new Set<string>();
  const app = <T extends { readonly resources: Resources }>(key: string, read: (fields: Fields, name: string, at: YamlNode) => T | undefined, keys: readonly string[]): T[] => {
    const field = fields.get(key);
    if (field === undefined) return [];
    const out: T[] = [];
    for (const item of asList(src, field.value, key) ?? []) {
      const itemMap = asMap(src, item, `an entry of ${key}`);
      if (itemMap === undefined) continue;
      const entry = new Fields(src, itemMap, `${key} entry`, keys, APP_ALIASES);
      const nameField = entry.required('name', 'name: web');
      const name = nameField === undefined ? undefined : readName(src, nameField.value, 'name');
      if (name === undefined) continue;
      if (names.has(name)) src.semantic(nameField?.value, `app name "${name}" is used twice (names are unique across services, batch and execute)`);
      names.add(name);
      const value = read(entry, name, itemMap);
      if (value === undefined) continue;
      // An app no agent can hold would wait for offers forever: say so now, not after a timeout.
      if (agents.length > 0 && !agents.some((agent) => contains(agent.resources, value.resources))) {
        src.semantic(entry.get('resources')?.value ?? itemMap, `app "${name}" needs ${formatResources(value.resources)} per task, more than any agent has`);
      }
      out.push(value);
    }
    return out;
  };
  const services = app('services', (f, name, at) => readService(src, f, name, at, timing), SERVICE_KEYS);
  const batch = app('batch', (f, name, at) => readBatch(src, f, name, at), BATCH_KEYS);
  const execute = app('execute', (f, name, at) => readExecute(src, f, name, at), EXECUTE_KEYS);
  return { services, batch, execute };
}

function readService(src: Source, f: Fields, name: string, at: YamlNode, timing: Timing): ServiceSpec | undefined {
  const instancesField = f.get('instances');
  const instances = instancesField === undefined ? 1 : readInt(src, instancesField.value, 'instances', 0, 100_000);
  const resources = appResources(src, f);
  const aware = f.get('partitionAware');
  const partitionAware = aware === undefined ? true : readBool(src, aware.value, 'partitionAware');
  const strategyField = f.get('unreachableStrategy');
  const unreachableStrategy = strategyField === undefined ? null : readStrategy(src, strategyField.value, timing);
  const killField = f.get('killSelection');
  const killSelection = killField === undefined ? 'YoungestFirst' : readEnum(src, killField.value, 'killSelection', KILL_SELECTIONS);
  const roleField = f.get('role');
  const role = roleField === undefined ? '*' : readString(src, roleField.value, 'role');
  const commandField = f.get('command');
  const command = commandField === undefined ? DEFAULT_SERVICE_COMMAND : readString(src, commandField.value, 'command');
  const failoverField = f.get('failoverTimeout');
  const failoverTimeoutMs = failoverField === undefined ? DEFAULT_FAILOVER_TIMEOUT_MS : readDuration(src, failoverField.value, 'failoverTimeout');
  if (
    instances === undefined ||
    resources === undefined ||
    partitionAware === undefined ||
    unreachableStrategy === undefined ||
    killSelection === undefined ||
    role === undefined ||
    command === undefined ||
    failoverTimeoutMs === undefined
  ) {
    return undefined;
  }
  return { name, instances, resources, partitionAware, unreachableStrategy, killSelection, role, command, failoverTimeoutMs, loc: src.locOf(at) };
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
  const seconds = (key: string, fallbackMs: number): number | undefined => {
    const field = fields.get(key);
    if (field === undefined) return fallbackMs;
    const value = readNumber(src, field.value, key, 0, 1e9);
    return value === undefined ? undefined : Math.round(value * 1000);
  };
  const inactiveAfterMs = seconds('inactiveAfterSeconds', timing.inactiveAfterMs);
  const expungeAfterMs = seconds('expungeAfterSeconds', timing.expungeAfterMs);
  if (inactiveAfterMs === undefined || expungeAfterMs === undefined) return undefined;
  if (expungeAfterMs < inactiveAfterMs) {
    // Marathon refuses this too: the original would be expunged before its replacement starts.
    return src.semantic(fields.get('expungeAfterSeconds')?.value ?? map, `expungeAfterSeconds (${expungeAfterMs / 1000}) must be at least inactiveAfterSeconds (${inactiveAfterMs / 1000})`);
  }
  return { inactiveAfterMs, expungeAfterMs };
}

function readBatch(src: Source, f: Fields, name: string, at: YamlNode): BatchSpec | undefined {
  const tasksField = f.get('tasks');
  const tasks = tasksField === undefined ? 1 : readInt(src, tasksField.value, 'tasks', 0, 1_000_000);
  const resources = appResources(src, f);
  const durationField = f.get('duration');
  const durationMs = durationField === undefined ? DEFAULT_BATCH_DURATION_MS : readDuration(src, durationField.value, 'duration');
  const failureField = f.get('failureProbability');
  const failureProbability = failureField === undefined ? 0 : readNumber(src, failureField.value, 'failureProbability', 0, 1);
  const retriesField = f.get('maxRetries');
  const maxRetries = retriesField === undefined ? DEFAULT_MAX_RETRIES : readInt(src, retriesField.value, 'maxRetries', 0, 1_000);
  if (tasks === undefined || resources === undefined || durationMs === undefined || failureProbability === undefined || maxRetries === undefined) return undefined;
  return { name, tasks, resources, durationMs, failureProbability, maxRetries, loc: src.locOf(at) };
}

function readExecute(src: Source, f: Fields, name: string, at: YamlNode): ExecuteSpec | undefined {
  const commandField = f.required('command', 'command: "echo hello"');
  const command = commandField === undefined ? undefined : readString(src, commandField.value, 'command');
  const resources = appResources(src, f);
  const durationField = f.get('duration');
  const durationMs = durationField === undefined ? null : readDuration(src, durationField.value, 'duration');
  if (command === undefined || resources === undefined || durationMs === undefined) return undefined;
  return { name, command, resources, durationMs, loc: src.locOf(at) };
}

/** An app's per-task resources: must not be empty (the master refuses such a task). */
function appResources(src: Source, f: Fields): Resources | undefined {
  const field = f.get('resources');
  const before = src.issues.length;
  const resources = readResourcesField(src, field?.value, DEFAULT_APP_RESOURCES);
  if (src.issues.length > before) return undefined;
  if (isEmpty(resources)) return src.semantic(field?.value, 'a task needs some resources, e.g. "cpus:0.5;mem:64"');
  return resources;
}
