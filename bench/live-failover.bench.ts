/**
 * The live master failover figure (issue 14); details in live-failover-workload.ts.
 */
import { measureLiveFailover } from './live-failover-workload.js';
import type { Bench } from './types.js';

/** The session timeout of the fast profile's masters here (`--zk-session-timeout`): it bounds the election (BENCHMARKS.md says why). */
const SESSION_TIMEOUT_MS = 2_000;

/** The live failover figure. */
export const benches: Bench[] = [
  {
    name: 'live-failover-s',
    unit: 's',
    anchor: 'Mesos paper (NSDI 2011): 4-8 s to fail over; here 3 masters, 50 agent processes, --zk-session-timeout 2s',
    anchorValue: 4,
    goal: '<= 4 s',
    goalCheck: (value) => value <= 4,
    run: () => measureLiveFailover({ agents: 50, runs: 5, sessionTimeoutMs: SESSION_TIMEOUT_MS }),
  },
];
