/**
 * `parseScenario(text, file)`: YAML text to a validated Scenario, or one error
 * naming `file:line:column` and the reason. Never throws.
 */
import { readFile, stat } from 'node:fs/promises';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type Node as YamlNode, type YAMLError, type YAMLMap } from 'yaml';
import { err, ok, type Result } from '../../core/errors.js';
import { readCluster, readTiming, timingOfSpec } from './parse-cluster.js';
import { readConditionNode, readSteps } from './parse-steps.js';
import type { Known } from './parse-target.js';
import { readFrameworks } from './parse-frameworks.js';
import { readWorkload } from './parse-workload.js';
import { asList, describe, Fields, MAX_WAIT_MS, readDuration, readString, Source } from './source.js';
import type { Check, LivenessSpec, Scenario, SteadySpec, TimingSpec } from './types.js';

/** The top-level keys, in the order the serializer writes them. */
export const TOP_KEYS = ['name', 'description', 'seed', 'timing', 'cluster', 'workload', 'frameworks', 'steady', 'method', 'rollbacks', 'liveness'] as const;
/** ChaosToolkit and Jepsen spellings, suggested when used. */
const TOP_ALIASES = {
  title: 'name',
  'steady-state-hypothesis': 'steady',
  'steady-state': 'steady',
  steady_state: 'steady',
  rollback: 'rollbacks',
  steps: 'method',
  nemesis: 'method',
  configuration: 'cluster',
};
/** The seed when the file does not say (a run is reproducible either way). */
export const DEFAULT_SEED = '1';
/** How long the cluster may take to reach the steady state when the file does not say. */
export const DEFAULT_STEADY_WITHIN_MS = 60_000;

/** The liveness deadline when the file does not say: fast converges in seconds; mesos needs the 10 min reregister timeout. */
export function defaultLivenessDeadlineMs(timing: TimingSpec): number {
  return timing.profile === 'mesos' ? 20 * 60_000 : 60_000;
}

/** The largest scenario file read (the bundled ones are a few KB): a bigger one is refused before parsing. */
export const MAX_SCENARIO_BYTES = 1024 * 1024;
/** How many alias expansions a file may make (the yaml package's own guard against alias bombs). */
export const MAX_ALIAS_COUNT = 100;

/** Reads and parses a scenario file; an unreadable file is an IO error, one over MAX_SCENARIO_BYTES a usage error. */
export async function parseScenarioFile(path: string): Promise<Result<Scenario>> {
  let text: string;
  try {
    const size = (await stat(path)).size;
    if (size > MAX_SCENARIO_BYTES) return tooLarge(path, size);
    text = await readFile(path, 'utf8');
  } catch (cause) {
    const code = (cause as { code?: unknown }).code;
    return err('IO', `cannot read the scenario file${typeof code === 'string' ? ` (${code})` : ''}`, path);
  }
  return parseScenario(text, path);
}

/** Parses scenario text; `file` names it in every error (`file:line:column`). */
export function parseScenario(text: string, file: string): Result<Scenario> {
  if (text.length > MAX_SCENARIO_BYTES) return tooLarge(file, text.length);
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const src = new Source(file, text, lines, doc);
  for (const error of doc.errors) src.yaml(error.pos[0], yamlMessage(error, text));
  if (doc.errors.length === 0) checkAliases(doc, src);
  const yamlProblem = src.firstIssue();
  if (yamlProblem !== null) return { ok: false, error: yamlProblem };
  const root = doc.contents as YamlNode | null;
  if (root === null || (isScalar(root) && (root.value === null || root.value === ''))) {
    src.schema(0, 'the file is empty: a scenario needs at least "name" and "method"');
  } else if (!isMap(root)) {
    src.schema(root, `a scenario is a mapping of keys (name, cluster, workload, method, ...), got ${isSeq(root) ? 'a list' : describe(root)}`);
  } else {
    const scenario = readScenario(src, root);
    const problem = src.firstIssue();
    return problem === null ? ok(scenario) : { ok: false, error: problem };
  }
  const problem = src.firstIssue();
  return problem === null ? err('SCENARIO_SCHEMA', 'unreadable scenario', `${file}:1:1`) : { ok: false, error: problem };
}

function tooLarge(file: string, size: number): Result<Scenario> {
  return err('SCENARIO_SCHEMA', `the file is ${Math.ceil(size / 1024)} KB: a scenario file may be at most ${MAX_SCENARIO_BYTES / 1024} KB`, `${file}:1:1`);
}

/** Refuses an alias bomb before the walk follows its aliases (which would take exponential time). */
function checkAliases(doc: Document, src: Source): void {
  try {
    doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    // Other failures here (an alias with no anchor) are reported by the walk, at their node.
    if (!/alias count/i.test((error as Error).message)) return;
    let at = 0;
    visit(doc, {
      Alias(_key, node) {
        at = node.range?.[0] ?? 0;
        return visit.BREAK;
      },
    });
    src.yaml(at, `the aliases here expand too much (more than ${MAX_ALIAS_COUNT} expansions): write the values out`);
  }
}

function readScenario(src: Source, root: YAMLMap): Scenario {
  const fields = new Fields(src, root, 'the scenario', TOP_KEYS, TOP_ALIASES);
  const nameField = fields.required('name', 'name: agent-loss');
  const name = (nameField === undefined ? undefined : readString(src, nameField.value, 'name', true)) ?? '';
  const descriptionField = fields.get('description');
  const description = descriptionField === undefined || isEmptyScalar(descriptionField.value) ? '' : (readString(src, descriptionField.value, 'description') ?? '');
  const seed = readSeed(src, fields.get('seed')?.value);
  const timing = readTiming(src, fields.get('timing')?.value);
  const cluster = readCluster(src, fields.get('cluster')?.value);
  const workload = readWorkload(src, fields.get('workload')?.value, timingOfSpec(timing), cluster.agents);
  const appNames = new Set([...workload.services, ...workload.batch, ...workload.execute].map((app) => app.name));
  const frameworks = readFrameworks(src, fields.get('frameworks')?.value, appNames);
  const known: Known = {
    masters: new Set(Array.from({ length: cluster.masters }, (_, i) => `master-${i + 1}`)),
    hosts: new Set(cluster.agents.map((agent) => agent.host)),
    apps: new Set([...appNames, ...frameworks.map((f) => f.name)]),
  };
  const steady = readSteady(src, fields.get('steady')?.value, known);
  const methodField = fields.required('method', 'method: [kill-agent: random]');
  const method = methodField === undefined ? [] : readSteps(src, methodField.value, 'method', known);
  const rollbacksField = fields.get('rollbacks');
  const rollbacks = rollbacksField === undefined || isEmptyScalar(rollbacksField.value) ? [] : readSteps(src, rollbacksField.value, 'rollbacks', known);
  const liveness = readLiveness(src, fields.get('liveness')?.value, known, timing);
  return { name, description, seed, timing, cluster, workload, frameworks, steady, method, rollbacks, liveness };
}

function isEmptyScalar(node: YamlNode | null): boolean {
  return node === null || (isScalar(node) && node.value === null);
}

function readSeed(src: Source, node: YamlNode | null | undefined): string {
  if (node === undefined) return DEFAULT_SEED;
  const value = isScalar(node) ? node.value : undefined;
  if (typeof value === 'number') {
    if (Number.isSafeInteger(value) && value >= 0) return String(value);
    return src.schema(node, `seed must be a whole number or text, got ${value}`) ?? DEFAULT_SEED;
  }
  return readString(src, node, 'seed') ?? DEFAULT_SEED;
}

function readChecks(src: Source, node: YamlNode | null | undefined, what: string, known: Known): Check[] {
  if (node === undefined || isEmptyScalar(node ?? null)) return [];
  const items = asList(src, node, what) ?? [];
  const checks: Check[] = [];
  for (const item of items) {
    const condition = readConditionNode(src, item, known, `a condition of ${what}`);
    if (condition !== undefined) checks.push({ condition, loc: src.locOf(item) });
  }
  return checks;
}

/** `steady: [conditions]` or `steady: {within: 2m, conditions: [...]}`. */
function readSteady(src: Source, node: YamlNode | null | undefined, known: Known): SteadySpec {
  if (node === undefined || !isMap(node)) return { withinMs: DEFAULT_STEADY_WITHIN_MS, checks: readChecks(src, node, 'steady', known) };
  const fields = new Fields(src, node, 'steady', ['within', 'conditions'], { checks: 'conditions', probes: 'conditions' });
  const withinField = fields.get('within');
  const withinMs = withinField === undefined ? DEFAULT_STEADY_WITHIN_MS : (readDuration(src, withinField.value, 'within', true, MAX_WAIT_MS) ?? DEFAULT_STEADY_WITHIN_MS);
  return { withinMs, checks: readChecks(src, fields.get('conditions')?.value, 'steady', known) };
}

/** `liveness: {deadline: 60s, conditions: [...]}` or just `liveness: 60s`. */
function readLiveness(src: Source, node: YamlNode | null | undefined, known: Known, timing: TimingSpec): LivenessSpec {
  const fallback = defaultLivenessDeadlineMs(timing);
  if (node === undefined || isEmptyScalar(node ?? null)) return { deadlineMs: fallback, checks: [] };
  if (!isMap(node)) return { deadlineMs: readDuration(src, node, 'liveness deadline', true, MAX_WAIT_MS) ?? fallback, checks: [] };
  const fields = new Fields(src, node, 'liveness', ['deadline', 'conditions'], { within: 'deadline', timeout: 'deadline', checks: 'conditions' });
  const deadlineField = fields.get('deadline');
  const deadlineMs = deadlineField === undefined ? fallback : (readDuration(src, deadlineField.value, 'deadline', true, MAX_WAIT_MS) ?? fallback);
  return { deadlineMs, checks: readChecks(src, fields.get('conditions')?.value, 'liveness', known) };
}

/** The YAML library's message, made one line and worded for a scenario author. */
function yamlMessage(error: YAMLError, text: string): string {
  switch (error.code) {
    case 'DUPLICATE_KEY': {
      const key = /^[^\s:]+|^"[^"]*"|^'[^']*'/.exec(text.slice(error.pos[0]))?.[0] ?? '';
      return `duplicate key ${key.startsWith('"') || key.startsWith("'") ? key : `"${key}"`}: each key may appear once in a mapping`;
    }
    case 'MULTIPLE_DOCS':
      return 'a scenario file holds one YAML document; remove the second "---"';
    case 'TAB_AS_INDENT':
      return 'invalid YAML: indent with spaces, not tabs';
    default: {
      const first = (error.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+.*$/, '').trim();
      return `invalid YAML: ${first.charAt(0).toLowerCase()}${first.slice(1)}`;
    }
  }
}
