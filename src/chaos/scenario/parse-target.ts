/**
 * Reading target specs: `agent-3`, `random`, `leader`, `minority`, `all`,
 * `{running: web}`, `{of: web}`, `{id: one}` (an id that happens to be a
 * keyword) and lists. Which forms are allowed depends on the role the target
 * plays (an agent fault takes one agent; a clog takes a set of nodes), and ids
 * are checked against the nodes and apps the file defines.
 */
import { isMap, isScalar, isSeq, type Node as YamlNode, type YAMLMap } from 'yaml';
import { assertNever } from '../../core/errors.js';
import { describe, Fields, readName, readString, type Source } from './source.js';
import { didYouMean, listSome } from './suggest.js';
import type { TargetKind, TargetSpec } from './types.js';

/** What a target is for; decides which forms are allowed. */
export type TargetUse = 'agent' | 'master' | 'framework' | 'task' | 'nodes' | 'isolate' | 'group' | 'item';

/** The names the file defines, for checking ids. */
export interface Known {
  /** Master node ids: master-1..n. */
  readonly masters: ReadonlySet<string>;
  /** Agent hosts. */
  readonly hosts: ReadonlySet<string>;
  /** App names of the workload. */
  readonly apps: ReadonlySet<string>;
}

/** Words that are targets, not ids. */
export const TARGET_KEYWORDS = ['one', 'random', 'leader', 'minority', 'majority', 'all'] as const;
type Keyword = (typeof TARGET_KEYWORDS)[number];

const ALLOWED: Readonly<Record<TargetUse, readonly TargetKind[]>> = {
  agent: ['id', 'one', 'random', 'running'],
  master: ['id', 'leader', 'one', 'random'],
  framework: ['id', 'one', 'random'],
  task: ['id', 'one', 'random', 'of'],
  nodes: ['id', 'leader', 'one', 'random', 'running', 'minority', 'majority', 'all', 'list'],
  isolate: ['id', 'leader', 'one', 'random', 'running', 'minority', 'majority', 'list'],
  group: ['id', 'leader', 'running', 'minority', 'majority', 'list'],
  item: ['id', 'leader', 'running'],
};

const FORMS: Readonly<Record<TargetUse, string>> = {
  agent: 'an agent host or id, one, random, or {running: app}',
  master: 'a master (master-1, ...), leader, one or random',
  framework: 'an app name or framework id, one or random',
  task: 'a task id, one, random, or {of: app}',
  nodes: 'node ids, leader, one, random, minority, majority, all, {running: app}, or a list of these',
  isolate: 'a node id, leader, one, random, minority, majority, {running: app}, or a list',
  group: 'a node id, leader, minority, majority, {running: app}, or a list of node ids',
  item: 'a node id, leader, or {running: app}',
};

/** Keys of the mapping forms of a target. */
export const TARGET_KEYS = ['running', 'of', 'id'] as const;

const AGENT_ID = /-S\d+$/;
const FRAMEWORK_ID = /-\d{4,}$/;

/** Reads a target for a use; records a problem and gives undefined when it is not one. */
export function readTarget(src: Source, node: YamlNode | null | undefined, use: TargetUse, known: Known, context: string): TargetSpec | undefined {
  const allowed = ALLOWED[use];
  if (isSeq(node)) {
    if (!allowed.includes('list')) return src.semantic(node, `${context} takes one target, not a list (${FORMS[use]})`);
    if (node.items.length === 0) return src.schema(node, `${context}: the list of nodes is empty`);
    const items: TargetSpec[] = [];
    for (const item of node.items) {
      const spec = readTarget(src, src.deref(item as YamlNode | null), 'item', known, context);
      if (spec !== undefined) items.push(spec);
    }
    return items.length === node.items.length ? { kind: 'list', items } : undefined;
  }
  if (isMap(node)) return readTargetMap(src, node, use, known, context);
  if (!isScalar(node) || (typeof node.value !== 'string' && typeof node.value !== 'number')) {
    return src.schema(node, `${context} needs a target (${FORMS[use]}), got ${describe(node)}`);
  }
  const word = String(node.value);
  if ((TARGET_KEYWORDS as readonly string[]).includes(word)) {
    const kind = word as Keyword;
    if (!allowed.includes(kind)) return src.semantic(node, `${context} cannot target "${word}"; use ${FORMS[use]}`);
    return { kind };
  }
  return checkId(src, node, word, use, known);
}

function readTargetMap(src: Source, node: YAMLMap, use: TargetUse, known: Known, context: string): TargetSpec | undefined {
  const allowed = ALLOWED[use];
  const keys = TARGET_KEYS.filter((key) => key === 'id' || allowed.includes(key));
  const fields = new Fields(src, node, `the target of ${context}`, keys);
  const names = fields.names();
  if (names.length !== 1) {
    if (names.length > 1) return src.schema(node, `the target of ${context} has one key: ${keys.join(' or ')}`);
    return undefined; // the unknown key was recorded
  }
  const key = names[0] as (typeof TARGET_KEYS)[number];
  const value = fields.get(key)?.value ?? null;
  if (key === 'id') {
    const id = readString(src, value, `the id of ${context}`, true);
    return id === undefined ? undefined : checkId(src, value, id, use, known);
  }
  const app = readName(src, value, 'app');
  if (app === undefined) return undefined;
  if (!known.apps.has(app)) return src.semantic(value, unknownApp(app, known));
  return key === 'running' ? { kind: 'running', app } : { kind: 'of', app };
}

/** `unknown app "x", did you mean "y"?` with the known apps. */
export function unknownApp(app: string, known: Known): string {
  if (known.apps.size === 0) return `unknown app "${app}": the workload defines no apps`;
  return `unknown app "${app}"${didYouMean(app, known.apps) || ` (apps: ${listSome([...known.apps])})`}`;
}

function checkId(src: Source, node: YamlNode | null, id: string, use: TargetUse, known: Known): TargetSpec | undefined {
  const spec: TargetSpec = { kind: 'id', id };
  const isSchedulerOfApp = id.startsWith('scheduler-') && known.apps.has(id.slice('scheduler-'.length));
  switch (use) {
    case 'task':
      return spec;
    case 'agent':
      if (known.hosts.has(id) || AGENT_ID.test(id)) return spec;
      return unknownId(src, node, id, 'agent', [...known.hosts], use);
    case 'master':
      if (known.masters.has(id)) return spec;
      return unknownId(src, node, id, 'master', [...known.masters], use);
    case 'framework':
      if (known.apps.has(id) || isSchedulerOfApp || FRAMEWORK_ID.test(id)) return spec;
      return unknownId(src, node, id, 'app or framework', [...known.apps], use);
    case 'nodes':
    case 'isolate':
    case 'group':
    case 'item':
      if (known.masters.has(id) || known.hosts.has(id) || AGENT_ID.test(id) || isSchedulerOfApp || id === 'coordinator') return spec;
      return unknownId(src, node, id, 'node', [...known.masters, ...known.hosts], use);
    default:
      return assertNever(use, 'target use');
  }
}

function unknownId(src: Source, node: YamlNode | null, id: string, what: string, candidates: string[], use: TargetUse): undefined {
  const keywordHint = didYouMean(id, ALLOWED[use].filter((k) => (TARGET_KEYWORDS as readonly string[]).includes(k)));
  const list = candidates.length === 0 ? ` (there are no ${what}s)` : ` (${what}s: ${listSome(candidates)})`;
  return src.semantic(node, `unknown ${what} "${id}"${keywordHint || list}`);
}
