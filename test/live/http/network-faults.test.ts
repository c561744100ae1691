import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FAST_TIMING } from '../../../src/core/timing.js';
import { testCluster } from '../../helpers/cluster.js';
import { eventually, serveTestCluster, subscribe, type ServedTestCluster } from '../../helpers/mesos-http.js';

describe('an HTTP framework is a node on the simulated network', () => {
  let served: ServedTestCluster;
  before(async () => {
    served = await serveTestCluster(testCluster({ agents: 1, masters: 1, timing: { ...FAST_TIMING, heartbeatIntervalMs: 300 } }), { speed: 2 });
  });
  after(async () => served.close());

  it('a partition between its node and the master silences the stream, and the master disconnects it after 3 heartbeat intervals', async () => {
    const stream = await subscribe(served.port('master-1'), '/api/v1/scheduler', { type: 'SUBSCRIBE', subscribe: { framework_info: { user: 'u', name: 'cut-off', failover_timeout: 30 } } });
    try {
      const subscribed = await stream.waitFor((e) => e.type === 'SUBSCRIBED');
      const frameworkId = (subscribed.subscribed as { framework_id: { value: string } }).framework_id.value;
      const node = served.cluster.state().frameworks.get(frameworkId)?.node as string;
      assert.match(node, /^http-fw-\d+$/);
      assert.equal(served.cluster.runtime.role(node), 'scheduler');
      await stream.waitFor((e) => e.type === 'HEARTBEAT');
      assert.ok(served.cluster.inject({ kind: 'partition', groups: [[node], ['master-1']], oneWay: false }).ok);
      const from = stream.events.length;
      await eventually(() => served.cluster.state().frameworks.get(frameworkId)?.state === 'disconnected', 5_000, 'the master to disconnect it');
      const view = served.cluster.state().frameworks.get(frameworkId);
      assert.match(view?.disconnectReason ?? '', /3 heartbeat intervals/);
      // Nothing crossed the partition: no heartbeat (or anything) reached the stream meanwhile.
      assert.deepEqual(stream.events.slice(from + 1).map((e) => e.type), []);
      assert.equal(stream.ended(), false, 'the connection itself stays up: only the simulated network is cut');
    } finally {
      stream.close();
    }
  });
});
