/**
 * `scenarioFromFaults`: a timed list of concrete faults (what the user did in
 * the TUI, or a fuzz schedule being shrunk) as a scenario whose method is the
 * faults with waits between them. Targets become ids, so a replay hits the
 * same nodes.
 */
import { assertNever } from '../../core/errors.js';
import type { Fault, NodeGroup } from '../../core/faults.js';
import { DEFAULT_STEADY_WITHIN_MS, defaultLivenessDeadlineMs } from './parse.js';
import type { ClusterSpec, FaultStep, LivenessSpec, Loc, Scenario, SteadySpec, Step, TargetSpec, TimingSpec, WorkloadSpec } from './types.js';

/** A fault and when it was injected, in ms since the start of the method. */
export interface TimedFault {
  readonly atMs: number;
  readonly fault: Fault;
}

/** What a scenario built from faults is made of. */
export interface FaultSchedule {
  readonly name: string;
  readonly description?: string;
  readonly seed: string;
  readonly timing: TimingSpec;
  readonly cluster: ClusterSpec;
  readonly workload: WorkloadSpec;
  /** Default: none. */
  readonly frameworks?: Scenario['frameworks'];
  readonly faults: readonly TimedFault[];
  /** Default: no checks. */
  readonly steady?: SteadySpec;
  /** Default: none. */
  readonly rollbacks?: readonly Step[];
  /** Default: the profile's deadline, no extra checks. */
  readonly liveness?: LivenessSpec;
}

/** Where generated steps say they come from (there is no file yet). */
const GENERATED: Loc = { file: '<faults>', line: 1, column: 1 };

/** Builds a scenario whose method replays the faults at their times (stable for equal times). */
export function scenarioFromFaults(schedule: FaultSchedule): Scenario {
  const ordered = schedule.faults.map((timed, index) => ({ ...timed, index })).sort((a, b) => a.atMs - b.atMs || a.index - b.index);
  const method: Step[] = [];
  let nowMs = 0;
  for (const { atMs, fault } of ordered) {
    const at = Math.max(0, Math.round(atMs));
    if (at > nowMs) method.push({ kind: 'wait', ms: at - nowMs, loc: GENERATED });
    nowMs = Math.max(nowMs, at);
    method.push({ kind: 'fault', fault: faultStepOf(fault), loc: GENERATED });
  }
  return {
    name: schedule.name,
    description: schedule.description ?? '',
    seed: schedule.seed,
    timing: schedule.timing,
    cluster: schedule.cluster,
    workload: schedule.workload,
    frameworks: schedule.frameworks ?? [],
    steady: schedule.steady ?? { withinMs: DEFAULT_STEADY_WITHIN_MS, checks: [] },
    method,
    rollbacks: schedule.rollbacks ?? [],
    liveness: schedule.liveness ?? { deadlineMs: defaultLivenessDeadlineMs(schedule.timing), checks: [] },
  };
}

function id(node: string): TargetSpec {
  return { kind: 'id', id: node };
}

/** An empty list means every node (the link fault's spelling); otherwise the ids. */
function group(nodes: NodeGroup): TargetSpec {
  return nodes.length === 0 ? { kind: 'all' } : { kind: 'list', items: nodes.map(id) };
}

/** The step that injects exactly this fault again. */
export function faultStepOf(fault: Fault): FaultStep {
  switch (fault.kind) {
    case 'kill-agent':
    case 'restart-agent':
    case 'pause-agent':
    case 'resume-agent':
      return { kind: fault.kind, agent: id(fault.node) };
    case 'kill-master':
    case 'restart-master':
    case 'pause-master':
    case 'resume-master':
    case 'failover':
      return { kind: fault.kind, master: id(fault.node) };
    case 'crash-framework':
    case 'restart-framework':
      return { kind: fault.kind, framework: id(fault.node) };
    case 'kill-task':
      // Task ids are unique cluster-wide, so the framework is found again from the task.
      return { kind: 'kill-task', task: id(fault.taskId) };
    case 'partition':
      return { kind: 'partition', partition: { kind: 'groups', groups: fault.groups.map(group) }, oneWay: fault.oneWay };
    case 'heal':
      return { kind: 'heal' };
    case 'link':
      return { kind: 'link', from: group(fault.from), to: group(fault.to), oneWay: fault.oneWay, spec: { ...fault.spec } };
    case 'clog':
    case 'unclog':
      return { kind: fault.kind, nodes: group(fault.nodes) };
    case 'swizzle-clog':
      return { kind: 'swizzle-clog', nodes: group(fault.nodes), stepMs: fault.stepMs };
    default:
      return assertNever(fault, 'fault');
  }
}
