/**
 * Which scenarios `faultline run --live` can run, decided before anything
 * starts: a fault that real processes and this kernel cannot carry out is a
 * refusal with its reason and location, never a run that quietly does
 * something else. Pure, and the same whichever way the run applies network
 * faults (iptables in a namespace of its own, or the masters' transport when
 * not root): both cut, drop, duplicate and delay.
 */
import { assertNever } from '../../core/errors.js';
import { formatLoc, type FaultStep, type Scenario, type Step } from '../scenario/index.js';

/** Why a scenario cannot run live: one line each, with the step's location. */
export function liveRefusals(scenario: Scenario): string[] {
  const reasons: string[] = [];
  if (scenario.frameworks.length > 0) reasons.push(`external frameworks (${scenario.frameworks.map((f) => f.name).join(', ')}) are not started by a live run yet`);
  const overrides = Object.keys(scenario.timing.overrides);
  if (overrides.length > 0) reasons.push(`timing overrides (${overrides.join(', ')}) are not passed to the daemons: a live run has the ${scenario.timing.profile} profile's timing only`);
  if (scenario.cluster.network !== null) reasons.push('cluster.network sets a latency on every link from the start: a live run delays links only as a fault (link: {delay: ...})');
  const visit = (steps: readonly Step[]): void => {
    for (const step of steps) {
      if (step.kind === 'fault') {
        const why = faultRefusal(step.fault);
        if (why !== null) reasons.push(`${why} (${formatLoc(step.loc)})`);
      } else if (step.kind === 'parallel' || step.kind === 'repeat') {
        visit(step.steps);
      }
    }
  };
  visit(scenario.method);
  visit(scenario.rollbacks);
  return reasons;
}

/** Why one fault cannot be carried out live, or null when it can. */
export function faultRefusal(fault: FaultStep): string | null {
  switch (fault.kind) {
    case 'kill-agent':
    case 'restart-agent':
    case 'pause-agent':
    case 'resume-agent':
    case 'kill-master':
    case 'restart-master':
    case 'pause-master':
    case 'resume-master':
    case 'failover':
    case 'crash-framework':
    case 'restart-framework':
    case 'kill-task':
    case 'heal':
      return null;
    case 'partition':
      return null;
    case 'link':
      // Loss is iptables' (or the transport's); delay, jitter and duplication the masters' transport's.
      return null;
    case 'clog':
    case 'unclog':
    case 'swizzle-clog':
      return `${fault.kind}: holding messages and releasing them later has no real counterpart (iptables drops, and TCP retransmits on its own schedule)`;
    default:
      return assertNever(fault);
  }
}
