/**
 * Which scenarios `faultline run --live` can run, decided before anything
 * starts: a fault that real processes and this kernel cannot carry out is a
 * refusal with its reason and location, never a run that quietly does
 * something else. Pure: the live runtime says what its network can do
 * (`iptables` in a namespace of its own, or faultline's transport when not
 * root), this module reads the scenario.
 */
import { assertNever } from '../../core/errors.js';
import { formatLoc, type FaultStep, type Scenario, type Step } from '../scenario/index.js';

/** How a live run applies network faults. */
export type LiveNetMode = 'iptables' | 'transport';

/** What the live runtime can do, as the refusal check needs it. */
export interface LiveCapabilities {
  readonly netMode: LiveNetMode;
}

/** Why a scenario cannot run live: one line each, with the step's location. */
export function liveRefusals(scenario: Scenario, capabilities: LiveCapabilities): string[] {
  const reasons: string[] = [];
  if (scenario.frameworks.length > 0) reasons.push(`external frameworks (${scenario.frameworks.map((f) => f.name).join(', ')}) are not started by a live run yet`);
  if (scenario.cluster.network !== null) reasons.push('cluster.network sets a latency on every link: a live run has no per-link delay proxy on every link yet');
  const visit = (steps: readonly Step[]): void => {
    for (const step of steps) {
      if (step.kind === 'fault') {
        const why = faultRefusal(step.fault, capabilities);
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
export function faultRefusal(fault: FaultStep, capabilities: LiveCapabilities): string | null {
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
      if (capabilities.netMode === 'transport' && fault.oneWay) return 'partition: a one-way partition needs iptables (run as root): the transport cuts connections both ways';
      return null;
    case 'link': {
      const { delayMs, jitterMs, duplicate } = fault.spec;
      if ((delayMs ?? 0) > 0 || (jitterMs ?? 0) > 0) return 'link: delay and jitter need netem, which this kernel lacks, or a per-link proxy, which a live run does not wire yet';
      if ((duplicate ?? 0) > 0) return 'link: TCP delivers a duplicated packet once, so duplication cannot be made real';
      if (capabilities.netMode === 'transport') return 'link: a lossy link needs iptables (run as root)';
      return null;
    }
    case 'clog':
    case 'unclog':
    case 'swizzle-clog':
      return `${fault.kind}: holding messages and releasing them later has no real counterpart (iptables drops, and TCP retransmits on its own schedule)`;
    default:
      return assertNever(fault);
  }
}
