/**
 * Reading one fault step: the fault's name is the step's key, its value the
 * target (shorthand) or a mapping of parameters.
 *
 *   kill-agent: random                 kill-agent: {agent: {running: web}}
 *   partition: majority-minority       partition: {split: majority-minority, leader: minority}
 *   partition: {isolate: leader, mode: one-way}
 *   link: {from: agent-1, to: leader, delay: 200ms, loss: 0.1}
 */
import { isMap, isScalar, isSeq, type Node as YamlNode, type YAMLMap } from 'yaml';
import { assertNever } from '../../core/errors.js';
import { FAULT_KINDS as FAULT_KIND_NAMES } from '../../core/fault-kinds.js';
import type { LinkFaultSpec } from '../../core/faults.js';
import { readTarget, TARGET_KEYS, type Known, type TargetUse } from './parse-target.js';
import { describe, Fields, readDuration, readEnum, readNumber, scalarValue, type Source } from './source.js';
import type { FaultStep, LeaderSide, MasterFaultKind, PartitionSpec, TargetSpec } from './types.js';

/** Every fault a step may name: the kinds of the one table (core/fault-kinds.ts). */
export const FAULT_KINDS: readonly FaultStep['kind'][] = FAULT_KIND_NAMES;

/** Master faults that aim at the leader when no master is named. */
const LEADER_BY_DEFAULT: readonly MasterFaultKind[] = ['kill-master', 'pause-master', 'failover'];
/** Swizzle-clog's default pace (FoundationDB clogs one connection after another). */
export const DEFAULT_SWIZZLE_STEP_MS = 1_000;
const ALL: TargetSpec = { kind: 'all' };

/** Reads the fault named by `kind` from its value (null when written as a bare name: `- heal`). */
export function readFaultStep(src: Source, kind: FaultStep['kind'], value: YamlNode | null, at: YamlNode, known: Known): FaultStep | undefined {
  switch (kind) {
    case 'kill-agent':
    case 'restart-agent':
    case 'pause-agent':
    case 'resume-agent': {
      const agent = oneTarget(src, { kind, value, at, known, param: 'agent', use: 'agent', example: `${kind}: random` });
      return agent === undefined ? undefined : { kind, agent };
    }
    case 'kill-master':
    case 'restart-master':
    case 'pause-master':
    case 'resume-master':
    case 'failover': {
      const fallback: TargetSpec | undefined = LEADER_BY_DEFAULT.includes(kind) ? { kind: 'leader' } : undefined;
      const master = oneTarget(src, { kind, value, at, known, param: 'master', use: 'master', example: `${kind}: master-1`, fallback });
      return master === undefined ? undefined : { kind, master };
    }
    case 'crash-framework':
    case 'restart-framework': {
      const framework = oneTarget(src, { kind, value, at, known, param: 'framework', use: 'framework', example: `${kind}: web` });
      return framework === undefined ? undefined : { kind, framework };
    }
    case 'kill-task': {
      const task = oneTarget(src, { kind, value, at, known, param: 'task', use: 'task', example: 'kill-task: {of: web}' });
      return task === undefined ? undefined : { kind, task };
    }
    case 'heal':
      if (value !== null && !(isScalar(value) && value.value === null)) return src.schema(value, `heal takes no parameters, got ${describe(value)}`);
      return { kind };
    case 'clog':
    case 'unclog': {
      const fallback = kind === 'unclog' ? ALL : undefined;
      const nodes = oneTarget(src, { kind, value, at, known, param: 'nodes', use: 'nodes', example: `${kind}: [agent-1, agent-2]`, fallback });
      return nodes === undefined ? undefined : { kind, nodes };
    }
    case 'swizzle-clog':
      return readSwizzle(src, value, at, known);
    case 'partition':
      return readPartition(src, value, at, known);
    case 'link':
      return readLink(src, value, at, known);
    default:
      return assertNever(kind, 'fault kind');
  }
}

interface OneTarget {
  readonly kind: FaultStep['kind'];
  readonly value: YamlNode | null;
  readonly at: YamlNode;
  readonly known: Known;
  readonly param: string;
  readonly use: TargetUse;
  readonly example: string;
  readonly fallback?: TargetSpec | undefined;
}

/** The value is the target itself (`kill-agent: random`, `kill-agent: {running: web}`) or `{<param>: target}`. */
function oneTarget(src: Source, o: OneTarget): TargetSpec | undefined {
  const { value, param } = o;
  if (isEmpty(value)) {
    if (o.fallback !== undefined) return o.fallback;
    return src.schema(value ?? o.at, `${o.kind} needs ${articled(param)}, e.g. "${o.example}"`);
  }
  if (isMap(value) && !isTargetMap(value)) {
    const fields = new Fields(src, value, o.kind, [param]);
    const field = fields.get(param);
    if (field === undefined) {
      if (o.fallback !== undefined && value.items.length === 0) return o.fallback;
      return fields.missing(`${o.kind} needs "${param}", e.g. "${o.example}"`);
    }
    return readTarget(src, field.value, o.use, o.known, o.kind);
  }
  return readTarget(src, value, o.use, o.known, o.kind);
}

function isEmpty(value: YamlNode | null): boolean {
  return value === null || (isScalar(value) && (value.value === null || value.value === ''));
}

function articled(word: string): string {
  return /^[aeiou]/.test(word) ? `an ${word}` : `a ${word}`;
}

/** A mapping written as a target (`{running: web}`) rather than as parameters. */
function isTargetMap(map: YAMLMap): boolean {
  return map.items.some((pair) => (TARGET_KEYS as readonly unknown[]).includes(scalarValue(pair.key as YamlNode)));
}

function readSwizzle(src: Source, value: YamlNode | null, at: YamlNode, known: Known): FaultStep | undefined {
  if (!isMap(value) || isTargetMap(value)) {
    const nodes = oneTarget(src, { kind: 'swizzle-clog', value, at, known, param: 'nodes', use: 'nodes', example: 'swizzle-clog: all', fallback: ALL });
    return nodes === undefined ? undefined : { kind: 'swizzle-clog', nodes, stepMs: DEFAULT_SWIZZLE_STEP_MS };
  }
  const fields = new Fields(src, value, 'swizzle-clog', ['nodes', 'step']);
  const nodesField = fields.get('nodes');
  const nodes = nodesField === undefined ? ALL : readTarget(src, nodesField.value, 'nodes', known, 'swizzle-clog');
  const stepField = fields.get('step');
  const stepMs = stepField === undefined ? DEFAULT_SWIZZLE_STEP_MS : readDuration(src, stepField.value, 'step', true);
  return nodes === undefined || stepMs === undefined ? undefined : { kind: 'swizzle-clog', nodes, stepMs };
}

const PARTITION_KEYS = ['isolate', 'groups', 'split', 'leader', 'mode'] as const;
const HOW = ['isolate', 'groups', 'split'] as const;
const LEADER_SIDES: readonly LeaderSide[] = ['minority', 'majority', 'any'];
const MODES = ['symmetric', 'one-way'] as const;
const PARTITION_EXAMPLE = '"partition: {isolate: leader}", "partition: majority-minority" or "partition: {groups: [[master-1], [master-2, master-3]]}"';

function readPartition(src: Source, value: YamlNode | null, at: YamlNode, known: Known): FaultStep | undefined {
  if (isEmpty(value)) return src.schema(value ?? at, `partition needs to know how to split, e.g. ${PARTITION_EXAMPLE}`);
  if (isSeq(value)) {
    const partition = readGroups(src, value, known);
    return partition === undefined ? undefined : { kind: 'partition', partition, oneWay: false };
  }
  if (!isMap(value) || isTargetMap(value)) {
    if (scalarValue(value) === 'majority-minority') return { kind: 'partition', partition: { kind: 'majority-minority', leader: 'any' }, oneWay: false };
    const node = readTarget(src, value, 'isolate', known, 'partition');
    return node === undefined ? undefined : { kind: 'partition', partition: { kind: 'isolate', node }, oneWay: false };
  }
  const fields = new Fields(src, value, 'partition', PARTITION_KEYS);
  const how = HOW.filter((name) => fields.has(name));
  const second = how[1];
  if (second !== undefined) return src.schema(fields.get(second)?.key, `partition takes one of isolate, groups or split, not both ${how[0]} and ${second}`);
  const modeField = fields.get('mode');
  const mode = modeField === undefined ? 'symmetric' : readEnum(src, modeField.value, 'mode', MODES);
  const leaderField = fields.get('leader');
  if (leaderField !== undefined && how[0] !== 'split') return src.schema(leaderField.key, 'leader applies to "split: majority-minority" only');
  let partition: PartitionSpec | undefined;
  switch (how[0]) {
    case undefined:
      return fields.missing(`partition needs isolate, groups or split, e.g. ${PARTITION_EXAMPLE}`);
    case 'isolate': {
      const node = readTarget(src, fields.get('isolate')?.value, 'isolate', known, 'partition');
      partition = node === undefined ? undefined : { kind: 'isolate', node };
      break;
    }
    case 'groups':
      partition = readGroups(src, fields.get('groups')?.value ?? null, known);
      break;
    case 'split': {
      const split = readEnum(src, fields.get('split')?.value, 'split', ['majority-minority']);
      const leader = leaderField === undefined ? 'any' : readEnum(src, leaderField.value, 'leader', LEADER_SIDES);
      partition = split === undefined || leader === undefined ? undefined : { kind: 'majority-minority', leader };
      break;
    }
    default:
      return assertNever(how[0], 'partition form');
  }
  return partition === undefined || mode === undefined ? undefined : { kind: 'partition', partition, oneWay: mode === 'one-way' };
}

function readGroups(src: Source, node: YamlNode | null, known: Known): PartitionSpec | undefined {
  if (!isSeq(node)) return src.schema(node, `groups must be a list of node groups, got ${describe(node)}`);
  if (node.items.length < 2) return src.schema(node, `a partition needs at least two groups, got ${node.items.length}`);
  const groups: TargetSpec[] = [];
  for (const item of node.items) {
    const group = readTarget(src, src.deref(item as YamlNode | null), 'group', known, 'a partition group');
    if (group !== undefined) groups.push(group);
  }
  return groups.length === node.items.length ? { kind: 'groups', groups } : undefined;
}

const LINK_KEYS = ['from', 'to', 'delay', 'jitter', 'loss', 'duplicate', 'mode'] as const;

function readLink(src: Source, value: YamlNode | null, at: YamlNode, known: Known): FaultStep | undefined {
  const example = '"link: {from: agent-1, to: leader, delay: 200ms, loss: 0.1}"';
  if (!isMap(value)) return src.schema(value ?? at, `link needs parameters, e.g. ${example}`);
  const fields = new Fields(src, value, 'link', LINK_KEYS);
  const side = (name: 'from' | 'to'): TargetSpec | undefined => {
    const field = fields.get(name);
    return field === undefined ? ALL : readTarget(src, field.value, 'nodes', known, `link ${name}`);
  };
  const from = side('from');
  const to = side('to');
  const modeField = fields.get('mode');
  const mode = modeField === undefined ? 'symmetric' : readEnum(src, modeField.value, 'mode', MODES);
  const spec: { -readonly [K in keyof LinkFaultSpec]: LinkFaultSpec[K] } = {};
  let bad = false;
  const read = (name: (typeof LINK_KEYS)[number], reader: (node: YamlNode | null) => number | undefined, set: (value: number) => void): void => {
    const field = fields.get(name);
    if (field === undefined) return;
    const parsed = reader(field.value);
    if (parsed === undefined) bad = true;
    else set(parsed);
  };
  read('delay', (node) => readDuration(src, node, 'delay'), (v) => (spec.delayMs = v));
  read('jitter', (node) => readDuration(src, node, 'jitter'), (v) => (spec.jitterMs = v));
  read('loss', (node) => readNumber(src, node, 'loss', 0, 1), (v) => (spec.loss = v));
  read('duplicate', (node) => readNumber(src, node, 'duplicate', 0, 1), (v) => (spec.duplicate = v));
  if (!['delay', 'jitter', 'loss', 'duplicate'].some((name) => fields.has(name))) {
    return fields.missing(`link needs at least one of delay, jitter, loss or duplicate, e.g. ${example}`);
  }
  if (bad || from === undefined || to === undefined || mode === undefined) return undefined;
  return { kind: 'link', from, to, oneWay: mode === 'one-way', spec };
}
