/**
 * A fuzz schedule as a scenario: the base scenario with its method replaced by
 * the faults, waits between them, and a final wait to the end of the method,
 * so a shrunk schedule keeps the original's timeline. The same function builds
 * what a worker runs, what the shrinker tries and what is written to a file,
 * so the file replays exactly what failed.
 */
import { stringify } from 'yaml';
import type { Loc, Scenario, Step } from '../scenario/index.js';
import { stepYaml } from '../scenario/index.js';
import type { FuzzFault } from './types.js';

/** Where fuzz steps say they come from (there is no file until one is written). */
const FUZZ_LOC: Loc = { file: '<fuzz>', line: 1, column: 1 };

/** What a fuzz scenario is made of. */
export interface FuzzScenarioSpec {
  readonly base: Scenario;
  readonly seed: string;
  readonly faults: readonly FuzzFault[];
  readonly methodMs: number;
  /** Default `fuzz-<seed>`. */
  readonly name?: string;
  /** Default: the base's. */
  readonly description?: string;
}

/** The scenario that runs `faults` on the base's cluster with the fuzz seed. */
export function scheduleScenario(spec: FuzzScenarioSpec): Scenario {
  const ordered = spec.faults.map((fault, index) => ({ fault, index })).sort((a, b) => a.fault.atMs - b.fault.atMs || a.index - b.index);
  const method: Step[] = [];
  let nowMs = 0;
  for (const { fault } of ordered) {
    if (fault.atMs > nowMs) method.push({ kind: 'wait', ms: fault.atMs - nowMs, loc: FUZZ_LOC });
    nowMs = Math.max(nowMs, fault.atMs);
    method.push({ kind: 'fault', fault: fault.step, loc: FUZZ_LOC });
  }
  if (spec.methodMs > nowMs) method.push({ kind: 'wait', ms: spec.methodMs - nowMs, loc: FUZZ_LOC });
  return {
    ...spec.base,
    name: spec.name ?? `fuzz-${spec.seed}`,
    description: spec.description ?? spec.base.description,
    seed: spec.seed,
    method,
  };
}

/** One fault as a line of its file form: `kill-agent: agent-3`, `partition: {isolate: leader}`. */
export function describeFuzzFault(fault: FuzzFault): string {
  const text = stringify(stepYaml({ kind: 'fault', fault: fault.step, loc: FUZZ_LOC }), { collectionStyle: 'flow', lineWidth: 0, flowCollectionPadding: false }).trim();
  return text.startsWith('{') && text.endsWith('}') ? text.slice(1, -1) : text;
}
