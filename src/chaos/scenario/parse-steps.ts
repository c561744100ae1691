/**
 * Reading `method` and `rollbacks`: a list of steps, each one action.
 *
 *   - kill-agent: {running: web}       - wait: 30s
 *   - heal                             - until: service web running == 3
 *   - partition: {isolate: leader}       within: 60s
 *   - parallel: [...]                  - repeat: {times: 3, steps: [...]}
 */
import { isMap, isScalar, isSeq, type Node as YamlNode, type Scalar } from 'yaml';
import { TASK_STATES } from '../../core/task-state.js';
import { parseCondition, shortState } from './condition.js';
import { readFaultStep, FAULT_KINDS } from './parse-fault.js';
import type { Known } from './parse-target.js';
import { asList, describe, Fields, MAX_WAIT_MS, readDuration, readInt, scalarValue, type Source } from './source.js';
import { didYouMean } from './suggest.js';
import type { Condition, FaultStep, Step } from './types.js';

/** Step actions other than faults. */
const CONTROL = ['wait', 'until', 'parallel', 'repeat'] as const;
/** Every action a step may start with. */
export const STEP_ACTIONS: readonly string[] = [...FAULT_KINDS, ...CONTROL];

/** Reads a list of steps (`method`, `rollbacks`, or the body of parallel/repeat). */
export function readSteps(src: Source, node: YamlNode | null | undefined, what: string, known: Known): Step[] {
  const items = asList(src, node, what);
  if (items === undefined) return [];
  const steps: Step[] = [];
  for (const item of items) {
    const step = readStep(src, item, known);
    if (step !== undefined) steps.push(step);
  }
  return steps;
}

function readStep(src: Source, node: YamlNode | null, known: Known): Step | undefined {
  const loc = src.locOf(node);
  if (isScalar(node) && typeof node.value === 'string') {
    const action = node.value;
    if ((FAULT_KINDS as readonly string[]).includes(action)) return faultStep(readFaultStep(src, action as FaultStep['kind'], null, node, known), loc);
    if ((CONTROL as readonly string[]).includes(action)) return src.schema(node, `${action} needs a value, e.g. ${controlExample(action)}`);
    return src.schema(node, unknownStep(action));
  }
  if (!isMap(node)) {
    return src.schema(node, `a step is an action like "kill-agent: random", "wait: 30s" or "heal", got ${describe(node)}`);
  }
  // The action is found first so that other keys can be judged against it.
  const actionName = node.items.map((pair) => scalarValue(pair.key as YamlNode | null)).find((name) => typeof name === 'string' && STEP_ACTIONS.includes(name));
  let action: { name: string; key: Scalar; value: YamlNode | null } | undefined;
  let within: YamlNode | null | undefined;
  let strayKeys = 0;
  for (const pair of node.items) {
    const key = pair.key as YamlNode | null;
    const name = scalarValue(key);
    if (!isScalar(key) || typeof name !== 'string') {
      src.schema(key, 'a step key must be an action name');
      strayKeys += 1;
      continue;
    }
    const value = src.deref(pair.value as YamlNode | null) ?? null;
    if (STEP_ACTIONS.includes(name)) {
      if (action !== undefined) {
        src.schema(key, `one action per step: "${action.name}" and "${name}" need a "-" each`);
        continue;
      }
      action = { name, key, value };
    } else if (name === 'within') {
      within = value;
    } else {
      strayKeys += 1;
      src.schema(key, typeof actionName === 'string' ? unknownStepKey(name, actionName) : unknownStep(name));
    }
  }
  if (action === undefined) {
    if (strayKeys > 0) return undefined; // already reported
    if (within !== undefined) return src.schema(node, 'within belongs to an until step: "until: <condition>" with "within: 60s"');
    return src.schema(node, 'an empty step: write an action like "kill-agent: random", "wait: 30s" or "heal"');
  }
  if (within !== undefined && action.name !== 'until') return src.schema(node, `within belongs to an until step, not ${action.name}`);
  return readAction(src, action, within, strayKeys, loc, known);
}

function readAction(
  src: Source,
  action: { name: string; key: Scalar; value: YamlNode | null },
  within: YamlNode | null | undefined,
  strayKeys: number,
  loc: Step['loc'],
  known: Known,
): Step | undefined {
  const { name, key, value } = action;
  switch (name) {
    case 'wait': {
      const ms = readDuration(src, value, 'wait', false, MAX_WAIT_MS);
      return ms === undefined ? undefined : { kind: 'wait', ms, loc };
    }
    case 'until': {
      const condition = readConditionNode(src, value, known, 'until');
      // A misspelt "within" was already reported; do not also call it missing.
      if (within === undefined) return strayKeys > 0 ? undefined : src.schema(key, 'until needs a deadline: add "within: 60s" to the step');
      const withinMs = readDuration(src, within, 'within', true, MAX_WAIT_MS);
      return condition === undefined || withinMs === undefined ? undefined : { kind: 'until', condition, withinMs, loc };
    }
    case 'parallel': {
      if (!isSeq(value)) return src.schema(value ?? key, `parallel must be a list of steps, got ${describe(value)}`);
      const steps = readSteps(src, value, 'parallel', known);
      if (value.items.length === 0) return src.schema(value, 'parallel needs at least one step');
      return steps.length === value.items.length ? { kind: 'parallel', steps, loc } : undefined;
    }
    case 'repeat':
      return readRepeat(src, key, value, loc, known);
    default:
      return faultStep(readFaultStep(src, name as FaultStep['kind'], value, key, known), loc);
  }
}

function readRepeat(src: Source, key: Scalar, value: YamlNode | null, loc: Step['loc'], known: Known): Step | undefined {
  if (!isMap(value)) return src.schema(value ?? key, `repeat must be a mapping {times, steps}, got ${describe(value)}`);
  const fields = new Fields(src, value, 'repeat', ['times', 'steps']);
  const timesField = fields.required('times', 'times: 3');
  const stepsField = fields.required('steps', 'steps: [kill-agent: random, wait: 10s]');
  const times = timesField === undefined ? undefined : readInt(src, timesField.value, 'times', 1, 10_000);
  if (stepsField === undefined) return undefined;
  const body = stepsField.value;
  const steps = readSteps(src, body, 'repeat steps', known);
  if (isSeq(body) && body.items.length === 0) return src.schema(body, 'repeat needs at least one step');
  if (times === undefined || !isSeq(body) || steps.length !== body.items.length) return undefined;
  return { kind: 'repeat', times, steps, loc };
}

function faultStep(fault: FaultStep | undefined, loc: Step['loc']): Step | undefined {
  return fault === undefined ? undefined : { kind: 'fault', fault, loc };
}

function controlExample(action: string): string {
  switch (action) {
    case 'wait':
      return '"wait: 30s"';
    case 'until':
      return '"until: service web running == 3" with "within: 60s"';
    case 'parallel':
      return '"parallel: [kill-agent: random, kill-master: leader]"';
    default:
      return '"repeat: {times: 3, steps: [...]}"';
  }
}

function unknownStep(name: string): string {
  const hint = didYouMean(name, STEP_ACTIONS);
  return `unknown step "${name}"${hint || ' (a step is a fault such as kill-agent or partition, or wait, until, parallel, repeat)'}`;
}

function unknownStepKey(name: string, action: string): string {
  const hint = didYouMean(name, action === 'until' ? ['within', ...STEP_ACTIONS] : STEP_ACTIONS);
  return `unknown key "${name}" in the ${action} step${hint || (action === 'until' ? ' (an until step has only within besides the condition)' : ` (parameters of ${action} go under it)`)}`;
}

/**
 * Reads a condition string; a syntax error is a schema problem and an unknown
 * app a semantic one, both at the column of the bad word inside the string.
 */
export function readConditionNode(src: Source, node: YamlNode | null | undefined, known: Known, what: string): Condition | undefined {
  if (isMap(node) && node.items.length === 1 && isScalar(node.items[0]?.key) && node.items[0].key.value === 'expect') {
    return readExpect(src, src.deref(node.items[0].value as YamlNode | null), known);
  }
  const text = scalarValue(node);
  if (typeof text !== 'string') return src.schema(node, `${what} must be a condition like "service web running == 3", got ${describe(node)}`);
  const syntax = parseCondition(text);
  if (!syntax.ok) return src.schema(conditionOffset(src, node, text, syntax.offset), `bad condition: ${syntax.message}`);
  const checked = parseCondition(text, { apps: known.apps });
  if (!checked.ok) return src.semantic(conditionOffset(src, node, text, checked.offset), `bad condition: ${checked.message}`);
  return checked.condition;
}

/** The file offset of a character of a scalar's value (exact for one-line plain and quoted scalars). */
function conditionOffset(src: Source, node: YamlNode | null | undefined, text: string, offset: number): number {
  const start = node?.range?.[0] ?? 0;
  for (const skip of [0, 1]) {
    if (src.text.slice(start + skip, start + skip + text.length) === text) return start + skip + offset;
  }
  return start; // a folded or escaped scalar: point at its start
}

/**
 * `expect: {framework: ext, running: 3}`: the framework (built-in app or
 * external, by name) has exactly that many tasks in each state named; the
 * same as `service ext running == 3`, in the form a framework author writes.
 */
function readExpect(src: Source, node: YamlNode | null | undefined, known: Known): Condition | undefined {
  if (!isMap(node)) return src.schema(node, `expect takes a mapping like {framework: ext, running: 3}, got ${describe(node)}`);
  const states = TASK_STATES.map(shortState);
  const fields = new Fields(src, node, 'expect', ['framework', ...states]);
  const frameworkField = fields.required('framework', 'expect: {framework: ext, running: 3}');
  if (frameworkField === undefined) return undefined;
  const app = scalarValue(frameworkField.value);
  if (typeof app !== 'string' || !known.apps.has(app)) {
    return src.semantic(frameworkField.value, `expect: unknown framework ${JSON.stringify(app)}${typeof app === 'string' ? didYouMean(app, [...known.apps]) : ''} (frameworks: ${[...known.apps].join(', ') || 'none'})`);
  }
  const conditions: Condition[] = [];
  for (const name of fields.names()) {
    if (name === 'framework') continue;
    const value = readInt(src, fields.get(name)?.value, `expect ${name}`, 0);
    const state = TASK_STATES[states.indexOf(name)];
    if (value === undefined || state === undefined) return undefined;
    conditions.push({ kind: 'app-tasks', app, state, op: '==', value });
  }
  if (conditions.length === 0) return fields.missing('expect needs a task state and a count, e.g. {framework: ext, running: 3}');
  return conditions.length === 1 ? conditions[0] : { kind: 'and', conditions };
}
