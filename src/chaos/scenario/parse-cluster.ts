/**
 * Reading `timing` and `cluster`.
 *
 *   timing: {profile: fast, agentPingTimeout: 2s, maxAgentPingTimeouts: 5}
 *   cluster:
 *     masters: 3
 *     agents: {count: 5, resources: "cpus:4;mem:8192", attributes: {rack: r1}}
 *     network: {latency: {min: 1ms, max: 5ms}}
 */
import { isMap, isScalar, isSeq, type Node as YamlNode } from 'yaml';
import type { Attributes } from '../../core/messages.js';
import { parseResources, type Resources } from '../../core/resources.js';
import { MESOS_TIMING, TIMING_PROFILES, type Timing, type TimingOverrides, type TimingProfileName } from '../../core/timing.js';
import { TARGET_KEYWORDS } from './parse-target.js';
import { asList, asMap, describe, Fields, readDuration, readEnum, readInt, readName, readNumber, scalarValue, type Source } from './source.js';
import type { AgentSpec, ClusterSpec, NetworkSpec, TimingSpec } from './types.js';

/** Masters when the file does not say. */
export const DEFAULT_MASTERS = 3;
/** Agents when the file does not say. */
export const DEFAULT_AGENT_COUNT = 3;
/** Resources of an agent when the file does not say. */
export const DEFAULT_AGENT_RESOURCES = 'cpus:4;mem:8192;disk:10000;ports:[31000-32000]';
/** The profile when the file does not say: chaos runs want short timeouts. */
export const DEFAULT_PROFILE: TimingProfileName = 'fast';
/** More agents than this is a typo, not a test (the core aims at 50,000). */
const MAX_AGENTS = 100_000;

const PROFILES: readonly TimingProfileName[] = ['fast', 'mesos'];
/** Timing fields with a duration value drop their `Ms` suffix in the file: `agentPingTimeout: 2s`. */
const TIMING_FIELDS = Object.keys(MESOS_TIMING).filter((key): key is keyof TimingOverrides => key !== 'profile');
/** Intervals that loop in the runtime: zero would spin forever. */
const POSITIVE_TIMING: ReadonlySet<string> = new Set([
  'allocationIntervalMs',
  'agentPingTimeoutMs',
  'heartbeatIntervalMs',
  'statusUpdateRetryMinMs',
  'statusUpdateRetryMaxMs',
  'sessionTimeoutMs',
  'reconcileIntervalMs',
  'agentReregisterTimeoutMs',
]);

/** The file key of a Timing field: `agentPingTimeoutMs` -> `agentPingTimeout`. */
export function timingKeyOf(field: keyof TimingOverrides): string {
  return field.endsWith('Ms') ? field.slice(0, -2) : field;
}

/** Reads `timing` (a profile name, or a mapping of profile and overrides). */
export function readTiming(src: Source, node: YamlNode | null | undefined): TimingSpec {
  if (node === undefined) return { profile: DEFAULT_PROFILE, overrides: {} };
  if (isScalar(node)) return { profile: readEnum(src, node, 'timing profile', PROFILES) ?? DEFAULT_PROFILE, overrides: {} };
  const map = asMap(src, node, 'timing');
  if (map === undefined) return { profile: DEFAULT_PROFILE, overrides: {} };
  const fields = new Fields(src, map, 'timing', ['profile', ...TIMING_FIELDS.map(timingKeyOf)]);
  const profileField = fields.get('profile');
  const profile = profileField === undefined ? DEFAULT_PROFILE : (readEnum(src, profileField.value, 'timing profile', PROFILES) ?? DEFAULT_PROFILE);
  const overrides: Partial<Record<keyof TimingOverrides, number>> = {};
  for (const field of TIMING_FIELDS) {
    const key = timingKeyOf(field);
    const entry = fields.get(key);
    if (entry === undefined) continue;
    let value: number | undefined;
    if (field.endsWith('Ms')) value = readDuration(src, entry.value, key, POSITIVE_TIMING.has(field));
    else if (field === 'maxAgentPingTimeouts') value = readInt(src, entry.value, key, 1, 1_000);
    else value = readNumber(src, entry.value, key, 0, 1);
    if (value !== undefined) overrides[field] = value;
  }
  return { profile, overrides };
}

/** Reads `cluster`. */
export function readCluster(src: Source, node: YamlNode | null | undefined): ClusterSpec {
  const map = node === undefined ? undefined : asMap(src, node, 'cluster');
  const fields = map === undefined ? undefined : new Fields(src, map, 'cluster', ['masters', 'agents', 'network']);
  const mastersField = fields?.get('masters');
  const masters = mastersField === undefined ? DEFAULT_MASTERS : (readInt(src, mastersField.value, 'masters', 1, 99) ?? DEFAULT_MASTERS);
  const agentsField = fields?.get('agents');
  const agents = agentsField === undefined ? agentsOfCount(src, DEFAULT_AGENT_COUNT, null) : readAgents(src, agentsField.value);
  const networkField = fields?.get('network');
  const network = networkField === undefined ? null : readNetwork(src, networkField.value);
  checkHosts(src, agents, masters);
  return { masters, agents: agents.map(({ spec }) => spec), network };
}

interface ReadAgent {
  readonly spec: AgentSpec;
  /** The host node, for problems about the host name. */
  readonly at: YamlNode | null;
}

function readAgents(src: Source, node: YamlNode | null): ReadAgent[] {
  if (isScalar(node) && typeof node.value === 'number') return agentsOfCount(src, readInt(src, node, 'agents', 0, MAX_AGENTS) ?? 0, node);
  if (isSeq(node)) {
    const items = asList(src, node, 'agents') ?? [];
    return items.flatMap((item, index) => {
      const agent = readAgentEntry(src, item, index);
      return agent === undefined ? [] : [agent];
    });
  }
  const map = asMap(src, node, 'agents (a count, {count, resources, attributes}, or a list of {host, resources, attributes})');
  if (map === undefined) return [];
  const fields = new Fields(src, map, 'agents', ['count', 'resources', 'attributes'], { host: 'count' });
  const countField = fields.required('count', 'count: 5');
  const count = countField === undefined ? 0 : (readInt(src, countField.value, 'count', 0, MAX_AGENTS) ?? 0);
  const resources = readResourcesField(src, fields.get('resources')?.value, DEFAULT_AGENT_RESOURCES);
  const attributes = readAttributes(src, fields.get('attributes')?.value);
  const loc = src.locOf(map);
  return Array.from({ length: count }, (_, i) => ({ spec: { host: `agent-${i + 1}`, resources, attributes, loc }, at: map }));
}

function agentsOfCount(src: Source, count: number, at: YamlNode | null): ReadAgent[] {
  const resources = readResourcesField(src, undefined, DEFAULT_AGENT_RESOURCES);
  const loc = src.locOf(at);
  return Array.from({ length: count }, (_, i) => ({ spec: { host: `agent-${i + 1}`, resources, attributes: {}, loc }, at }));
}

function readAgentEntry(src: Source, node: YamlNode | null, index: number): ReadAgent | undefined {
  const map = asMap(src, node, 'an agent');
  if (map === undefined) return undefined;
  const fields = new Fields(src, map, 'an agent', ['host', 'resources', 'attributes'], { hostname: 'host', name: 'host' });
  const hostField = fields.get('host');
  const host = hostField === undefined ? `agent-${index + 1}` : readName(src, hostField.value, 'host');
  const resources = readResourcesField(src, fields.get('resources')?.value, DEFAULT_AGENT_RESOURCES);
  const attributes = readAttributes(src, fields.get('attributes')?.value);
  if (host === undefined) return undefined;
  return { spec: { host, resources, attributes, loc: src.locOf(map) }, at: hostField?.value ?? map };
}

/** Host names must be unique and must not look like other nodes or target words. */
function checkHosts(src: Source, agents: readonly ReadAgent[], masters: number): void {
  const seen = new Set<string>();
  for (const { spec, at } of agents) {
    const host = spec.host;
    if (seen.has(host)) src.semantic(at, `agent host "${host}" is given twice`);
    else if (/^master-\d+$/.test(host) && Number(host.slice(7)) <= masters) src.semantic(at, `agent host "${host}" is the name of a master`);
    else if (host === 'coordinator' || host.startsWith('scheduler-')) src.semantic(at, `agent host "${host}" is reserved for ${host === 'coordinator' ? 'the coordinator' : 'schedulers'}`);
    else if ((TARGET_KEYWORDS as readonly string[]).includes(host)) src.semantic(at, `agent host "${host}" is a target word; pick another name`);
    seen.add(host);
  }
}

/** Reads a Mesos resource string (`cpus:4;mem:8192;ports:[31000-32000]`); problems point at the string. */
export function readResourcesField(src: Source, node: YamlNode | null | undefined, fallback: string): Resources {
  const fromFallback = parseResources(fallback);
  const empty: Resources = fromFallback.ok ? fromFallback.value : { cpus: 0, mem: 0, disk: 0, gpus: 0, ports: [] };
  if (node === undefined) return empty;
  const text = scalarValue(node);
  if (typeof text !== 'string') {
    src.schema(node, `resources must be a Mesos resource string like "cpus:1;mem:128", got ${describe(node)}`);
    return empty;
  }
  const parsed = parseResources(text, 'resources');
  if (parsed.ok) return parsed.value;
  src.schema(node, `${parsed.error.where ?? 'resources'}: ${parsed.error.message}`);
  return empty;
}

function readAttributes(src: Source, node: YamlNode | null | undefined): Attributes {
  if (node === undefined) return {};
  const map = asMap(src, node, 'attributes');
  if (map === undefined) return {};
  const out: Record<string, string> = {};
  for (const pair of map.items) {
    const key = readName(src, pair.key as YamlNode | null, 'an attribute name');
    const valueNode = src.deref(pair.value as YamlNode | null);
    const value = scalarValue(valueNode);
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      src.schema(valueNode ?? (pair.key as YamlNode), `attribute values must be text or numbers, got ${describe(valueNode)}`);
      continue;
    }
    if (key !== undefined) out[key] = String(value);
  }
  return out;
}

function readNetwork(src: Source, node: YamlNode | null): NetworkSpec | null {
  const map = asMap(src, node, 'network');
  if (map === undefined) return null;
  const fields = new Fields(src, map, 'network', ['latency']);
  const latency = fields.required('latency', 'latency: {min: 1ms, max: 5ms}');
  if (latency === undefined) return null;
  if (!isMap(latency.value)) {
    const ms = readDuration(src, latency.value, 'latency');
    return ms === undefined ? null : { latencyMinMs: ms, latencyMaxMs: ms };
  }
  const range = new Fields(src, latency.value, 'latency', ['min', 'max']);
  const minField = range.required('min', 'min: 1ms');
  const maxField = range.required('max', 'max: 5ms');
  const min = minField === undefined ? undefined : readDuration(src, minField.value, 'min');
  const max = maxField === undefined ? undefined : readDuration(src, maxField.value, 'max');
  if (min === undefined || max === undefined) return null;
  if (max < min) return src.semantic(maxField?.value, `latency max (${max}ms) is below min (${min}ms)`) ?? null;
  return { latencyMinMs: min, latencyMaxMs: max };
}

/** The Timing a TimingSpec stands for (overrides already validated by `readTiming`). */
export function timingOfSpec(spec: TimingSpec): Timing {
  return { ...TIMING_PROFILES[spec.profile], ...spec.overrides };
}
