/**
 * `faultline execute` (the mesos-execute clone, a real v1 HTTP client) against
 * a served simulated cluster of 3 masters, pointed at a standby: it follows
 * the 307, prints every update, and exits 0 when `sleep 10` finishes.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FAST_TIMING } from '../../../src/core/timing.js';
import { testCluster } from '../../helpers/cluster.js';
import { runCli } from '../../helpers/io.js';
import { eventually, serveTestCluster, type ServedTestCluster } from '../../helpers/mesos-http.js';

describe('faultline execute against faultline', { timeout: 60_000 }, () => {
  let served: ServedTestCluster;
  before(async () => {
    // x5: the task's 10 simulated seconds take 2 wall seconds.
    served = await serveTestCluster(testCluster({ agents: 2, masters: 3, timing: { ...FAST_TIMING, heartbeatIntervalMs: 1_000 } }), { speed: 5 });
    await eventually(() => served.cluster.leader() !== null && served.cluster.state().agents.size === 2, 15_000, 'a leader and 2 agents');
  });
  after(async () => served.close());

  it('whizbang: subscribed, submitted, RUNNING then FINISHED, exit 0', async () => {
    const standby = served.cluster.masters().find((m) => m !== served.cluster.leader()) as string;
    const { code, out, err } = await runCli('execute', `--master=127.0.0.1:${served.port(standby)}`, '--name=whizbang', '--command=/bin/sleep 10');
    assert.equal(code, 0, `${out}\n${err}`);
    assert.match(out, /Subscribed with ID /);
    assert.match(out, /Submitted task 'whizbang' to agent '/);
    assert.match(out, /Received status update TASK_RUNNING for task 'whizbang'/);
    assert.match(out, /Received status update TASK_FINISHED for task 'whizbang'/);
    assert.ok(served.cluster.history().some((r) => r.type === 'status.acknowledged' && r.taskId === 'whizbang'), 'it acknowledged over HTTP');
  });
});
