/**
 * What "converged" means after the heal, and why not when it is not: a leader
 * elected, every agent host's newest agent registered, every service's
 * framework connected with exactly N tasks RUNNING, every agent and scheduler
 * the heal restarted registered again, and the scenario's own liveness
 * conditions. The runner requires all of it to hold for a stable window.
 * The reasons read like an operator's notes: `no leader`, `no offers for 12 s`,
 * `web: 8 of 10 running, 2 stuck in STAGING`, `agent agent-3 unreachable`.
 */
import type { FrameworkId, NodeId } from '../../core/ids.js';
import type { ClusterState } from '../../core/state.js';
import type { TaskState } from '../../core/task-state.js';
import type { ServiceExpectation } from '../checkers/index.js';
import { evaluate, findFramework, formatCondition, formatLoc, hostsOf, type AppNames, type Check } from '../scenario/index.js';

/** What the convergence test needs besides the state. */
export interface ConvergenceSpec {
  readonly services: readonly ServiceExpectation[];
  readonly hosts: readonly NodeId[];
  readonly names: AppNames;
  /** The scenario's own liveness conditions. */
  readonly checks: readonly Check[];
  /** Scheduler nodes the heal restarted: each must subscribe again. */
  readonly restartedSchedulers: readonly NodeId[];
  /** Whether a scheduler node subscribed (or resubscribed) since the heal. */
  readonly subscribedSinceHeal: (node: NodeId) => boolean;
  /** Agent hosts the heal restarted or resumed: each must register (or reregister) again. */
  readonly restartedAgents: readonly NodeId[];
  /** Whether an agent host registered (or reregistered) since the heal. */
  readonly registeredSinceHeal: (host: NodeId) => boolean;
  /** When the last offer was made, or null. */
  readonly lastOfferAtMs: () => number | null;
  /** A service short of tasks with no offer for this long is reported as starved of offers. */
  readonly offerSilenceMs: number;
}

/** Task states worth naming when a service is short. */
const STUCK: readonly TaskState[] = ['TASK_STAGING', 'TASK_STARTING', 'TASK_KILLING', 'TASK_UNREACHABLE', 'TASK_LOST', 'TASK_UNKNOWN'];

/** What a RUNNING task on an agent that no longer stands for its host counts as (named in the reasons). */
const ON_A_LOST_AGENT = 'on a lost agent';

/**
 * Task counts per framework and state. A RUNNING task counts as running only
 * while its agent is registered and is its host's newest agent: one left on an
 * agent whose host has registered anew (it rebooted; a master that took over
 * may not have removed the old agent yet) is not running anywhere, whatever
 * the last word about it was.
 */
function tasksByFramework(state: ClusterState): Map<FrameworkId, Map<TaskState | typeof ON_A_LOST_AGENT, number>> {
  const out = new Map<FrameworkId, Map<TaskState | typeof ON_A_LOST_AGENT, number>>();
  const hosts = hostsOf(state);
  for (const task of state.tasks.values()) {
    let counts = out.get(task.frameworkId);
    if (counts === undefined) {
      counts = new Map();
      out.set(task.frameworkId, counts);
    }
    const agent = state.agents.get(task.agentId);
    const stale = task.state === 'TASK_RUNNING' && (agent === undefined || agent.state !== 'registered' || hosts.get(agent.host)?.agentId !== agent.agentId);
    const key = stale ? ON_A_LOST_AGENT : task.state;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return out;
}

/** Every reason the cluster has not converged (empty: it has). */
export function convergenceReasons(state: ClusterState, spec: ConvergenceSpec): string[] {
  const reasons: string[] = [];
  if (state.leader === null) reasons.push('no leader');
  const hosts = hostsOf(state);
  for (const host of spec.hosts) {
    const agent = hosts.get(host);
    if (agent === undefined) reasons.push(`agent ${host} never registered`);
    else if (agent.state !== 'registered') reasons.push(`agent ${host} ${agent.state}`);
  }
  const counts = tasksByFramework(state);
  let short = false;
  for (const service of spec.services) {
    const framework = findFramework(state, service.name, spec.names);
    if (framework === undefined) {
      reasons.push(`${service.name}: its framework is not subscribed`);
      short = true;
      continue;
    }
    if (framework.state !== 'active') reasons.push(`${service.name}: framework ${framework.state}`);
    const byState = counts.get(framework.frameworkId);
    const running = byState?.get('TASK_RUNNING') ?? 0;
    if (running === service.instances) continue;
    const stuck = STUCK.filter((s) => (byState?.get(s) ?? 0) > 0).map((s) => `${byState?.get(s) ?? 0} stuck in ${s.replace('TASK_', '')}`);
    const lost = byState?.get(ON_A_LOST_AGENT) ?? 0;
    if (lost > 0) stuck.push(`${lost} RUNNING ${ON_A_LOST_AGENT}`);
    const surplus = running > service.instances ? ' (the surplus was not killed)' : '';
    if (running < service.instances) short = true;
    reasons.push(`${service.name}: ${running} of ${service.instances} running${stuck.length > 0 ? `, ${stuck.join(', ')}` : ''}${surplus}`);
  }
  if (short) {
    const lastOfferAtMs = spec.lastOfferAtMs();
    if (lastOfferAtMs === null) reasons.push('no offers were ever made');
    else if (state.nowMs - lastOfferAtMs >= spec.offerSilenceMs) reasons.push(`no offers for ${Math.round((state.nowMs - lastOfferAtMs) / 1000)} s`);
  }
  for (const host of spec.restartedAgents) if (!spec.registeredSinceHeal(host)) reasons.push(`agent ${host} has not registered again since the heal`);
  for (const node of spec.restartedSchedulers) if (!spec.subscribedSinceHeal(node)) reasons.push(`${node} has not subscribed again since the heal`);
  for (const check of spec.checks) {
    const result = evaluate(check.condition, state, spec.names);
    if (!result.holds) reasons.push(`${formatCondition(check.condition)} does not hold (${result.actual}) (${formatLoc(check.loc)})`);
  }
  return reasons;
}
