/**
 * The live daemons' figures (issue 13); details in live-workload.ts.
 * `ws-updates-per-s` is not measured yet.
 */
import { measureBytesPerAgent, measureReschedule } from './live-workload.js';
import type { Bench } from './types.js';

/** The live figures. */
export const benches: Bench[] = [
  {
    name: 'ws-bytes-per-agent',
    unit: 'bytes',
    anchor: 'master live memory (heap used + external after a forced full GC, median of 5) per connected agent, 1,000 agents, 1 s pings',
    goal: '<= 15 KB per agent',
    goalCheck: (value) => value <= 15_000,
    run: () => measureBytesPerAgent({ agents: 1_000, settleMs: 10_000 }),
  },
  {
    name: 'live-reschedule-ms',
    unit: 'ms',
    anchor: 'fast profile: detection 3-4 s (1 s x 3 pings, by the phase of the kill) + 2 allocation intervals (2 s)',
    anchorValue: 5_000,
    goal: '<= 5,000 ms (detection + 2 allocation intervals)',
    goalCheck: (value) => value <= 5_000,
    run: () => measureReschedule(),
  },
];
