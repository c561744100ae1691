/**
 * OperatorSession against the served API of a simulated 3-master cluster: a
 * standby's 307 keeps its Location in the response frame, the leader's
 * SUBSCRIBE streams event frames, and a closed session gets no more records.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { WebSocket } from 'ws';
import { servedWorldOf } from '../../../src/cli/served-cluster.js';
import { serveMesosApi, type ServedApi } from '../../../src/live/http/server.js';
import { OperatorSession } from '../../../src/live/transport/operator-role.js';
import { decodeOperatorFrame, type OperatorMasterFrame } from '../../../src/live/transport/protocol.js';
import type { SimCluster } from '../../../src/sim/cluster.js';
import { testCluster } from '../../helpers/cluster.js';
import { postJson } from '../../helpers/mesos-http.js';

/** The socket an OperatorSession writes to, recording the decoded frames. */
function fakeSocket(): { socket: WebSocket; frames: OperatorMasterFrame[]; closes: number[] } {
  const frames: OperatorMasterFrame[] = [];
  const closes: number[] = [];
  const socket = {
    OPEN: 1,
    readyState: 1,
    send(data: string | Buffer) {
      const decoded = decodeOperatorFrame(Buffer.from(data));
      assert.ok(decoded.ok, decoded.ok ? '' : decoded.error.message);
      frames.push(decoded.value);
    },
    close(code: number) {
      closes.push(code);
    },
  };
  return { socket: socket as unknown as WebSocket, frames, closes };
}

describe('OperatorSession on a served cluster of 3 masters', () => {
  let cluster: SimCluster;
  let api: ServedApi;
  const portOf = (node: string): number => api.masters.find((m) => m.node === node)?.address.port ?? 0;
  before(async () => {
    cluster = testCluster({ agents: 2, masters: 3, services: [{ name: 'web', instances: 2 }] });
    cluster.runFor(5_000);
    api = await serveMesosApi({ world: servedWorldOf(cluster), host: '127.0.0.1', port: 0, heartbeatIntervalMs: 60_000 });
  });
  after(async () => {
    await api?.close();
  });

  it('a standby answers 307 and the frame carries the Location the HTTP answer has', async () => {
    const leader = cluster.leader();
    const standby = cluster.masters().find((m) => m !== leader);
    assert.ok(standby !== undefined && leader !== null);
    const service = api.operatorCalls(standby);
    assert.ok(service !== null);
    const { socket, frames } = fakeSocket();
    new OperatorSession(socket, service).call('1', { type: 'GET_STATE' });
    const overHttp = await postJson(portOf(standby), '/api/v1', { type: 'GET_STATE' });
    assert.equal(overHttp.status, 307);
    assert.deepEqual(frames, [{ v: 1, type: 'response', id: '1', status: 307, body: overHttp.body, location: `//127.0.0.1:${portOf(leader)}/api/v1` }]);
    assert.equal(overHttp.headers.location, `//127.0.0.1:${portOf(leader)}/api/v1`);
    assert.equal(api.operatorCalls('no-such-master'), null);
  });

  it("the leader's SUBSCRIBE: a 200 response, SUBSCRIBED, events as records come; none after the session closes", () => {
    const leader = cluster.leader();
    assert.ok(leader !== null);
    const service = api.operatorCalls(leader);
    assert.ok(service !== null);
    const { socket, frames } = fakeSocket();
    const session = new OperatorSession(socket, service);
    session.call('s', { type: 'SUBSCRIBE' });
    assert.deepEqual(frames[0], { v: 1, type: 'response', id: 's', status: 200, body: '' });
    const subscribed = frames[1];
    assert.ok(subscribed?.type === 'event' && subscribed.id === 's' && subscribed.event.type === 'SUBSCRIBED');
    const agents = [...cluster.state().agents.values()].map((a) => a.host);
    // An agent that comes back reregisters: AGENT_ADDED.
    const bounce = (node: string): void => {
      assert.ok(cluster.inject({ kind: 'kill-agent', node }).ok);
      cluster.runFor(5_000);
      assert.ok(cluster.inject({ kind: 'restart-agent', node }).ok);
      cluster.runFor(30_000);
    };
    bounce(agents[0] ?? '');
    const seen = frames.length;
    assert.ok(seen > 2, 'records after SUBSCRIBED arrive as event frames');
    assert.ok(frames.slice(2).every((f) => f.type === 'event' && f.id === 's'));
    assert.ok(frames.some((f) => f.type === 'event' && f.event.type === 'AGENT_ADDED'));
    session.close();
    bounce(agents[1] ?? '');
    assert.equal(frames.length, seen, 'a closed session is unsubscribed');
  });
});
