/**
 * The Mesos HTTP API figures (DESIGN.md section 8, issue 12); details in
 * api-workload.ts.
 */
import { measureState, measureUpdates } from './api-workload.js';
import type { Bench } from './types.js';

/** The API figures. */
export const benches: Bench[] = [
  {
    name: 'api-updates-per-s',
    unit: 'updates/s',
    anchor: 'one v1 framework acknowledging every UPDATE over HTTP',
    goal: '>= 20,000 updates/s',
    goalCheck: (value) => value >= 20_000,
    run: () => measureUpdates({ agents: 200, warmupMs: 3_000, measureMs: 10_000 }),
  },
  {
    name: 'api-state-ms',
    unit: 'ms',
    anchor: 'Mesos 1.7: ~3 s for /master/state of a large cluster',
    anchorValue: 3_000,
    goal: '<= 100 ms (/master/state + GET_STATE at 5,000 agents, 50,000 tasks)',
    goalCheck: (value) => value <= 100,
    run: () => measureState({ agents: 5_000, tasks: 50_000, rounds: 5 }),
  },
];
