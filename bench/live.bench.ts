/**
 * The live daemons' figures (issue 13); details in live-workload.ts.
 */
import { measureBytesPerAgent, measureReschedule, measureWsUpdates } from './live-workload.js';
import type { Bench } from './types.js';

/** The live figures. */
export const benches: Bench[] = [
  {
    name: 'ws-updates-per-s',
    unit: 'updates/s',
    anchor: 'acked TASK_RUNNING updates/s: 8 agents over WebSocket -> live master -> a scheduler node over WebSocket acking each',
    goal: '>= 50,000/s',
    goalCheck: (value) => value >= 50_000,
    run: () => measureWsUpdates({ agents: 8, warmupMs: 5_000, windowMs: 10_000, framework: 'ws' }),
  },
  {
    name: 'ws-updates-http-fw-per-s',
    unit: 'updates/s',
    anchor: 'the same with a v1 HTTP framework (one POST ACKNOWLEDGE, one 202 answer, per update)',
    goal: 'none (the HTTP call per ack is measured by api-updates-per-s)',
    run: () => measureWsUpdates({ agents: 8, warmupMs: 5_000, windowMs: 10_000, framework: 'http' }),
  },
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
