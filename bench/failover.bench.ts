/**
 * Failure recovery figures (BENCHMARKS.md, issues 2 and 3):
 *
 * - `reschedule-after-detect-ms`: simulated ms from an agent being marked
 *   unreachable to every one of its service tasks RUNNING elsewhere (fast
 *   profile, inactiveAfter 0), the maximum over several seeds and victims.
 * - `failover-40k-sim-s` / `failover-40k-wall-s`: 3 masters, 40,000 agents,
 *   400,000 tasks in steady state; the leader is killed; simulated and wall
 *   seconds from the kill until every agent host has reregistered with the new
 *   leader (details in failover-workload.ts).
 */
import { measureFailover } from './failover-workload.js';
import { measureReschedule } from './reschedule-workload.js';
import { SIM_GC_FLAGS } from './sim-workload.js';
import type { Bench } from './types.js';

/** Failover at 40k agents, as in the Mesos 1.5 measurement. */
const FAILOVER_40K = { agents: 40_000, tasks: 400_000, services: 40 } as const;

/** The recovery figures. */
export const benches: Bench[] = [
  {
    name: 'reschedule-after-detect-ms',
    unit: 'ms',
    anchor: 'Mesos: 75 s detect; Kubernetes ~350 s',
    goal: '<= 2,000 ms (2 allocation intervals)',
    goalCheck: (value) => value <= 2_000,
    run: () => measureReschedule({ seeds: ['r1', 'r2', 'r3', 'r4', 'r5'], victimsPerSeed: 3 }).maxMs,
  },
  {
    name: 'failover-40k-sim-s',
    unit: 's',
    anchor: 'Mesos 1.5: ~19 s (1.3: ~106 s)',
    anchorValue: 19,
    goal: '<= 10 s simulated',
    goalCheck: (value) => value <= 10,
    nodeFlags: SIM_GC_FLAGS,
    run: () => measureFailover(FAILOVER_40K).simS,
  },
  {
    name: 'failover-40k-wall-s',
    unit: 's',
    anchor: 'Mesos 1.5: ~19 s (1.3: ~106 s)',
    anchorValue: 19,
    goal: '<= 10 s wall',
    goalCheck: (value) => value <= 10,
    nodeFlags: SIM_GC_FLAGS,
    run: () => measureFailover(FAILOVER_40K).wallS,
  },
];
