import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { legalTaskTransitions, offersNeverOversubscribe, oneLeaderPerEpoch, updatesDeliveredInOrder } from '../../../src/chaos/checkers/index.js';
import { story } from '../../core/projection/story.js';
import { check, referenceStory, webOfTwo } from './scenarios.js';
import { res } from '../../helpers/resources.js';

describe('offers-never-oversubscribe', () => {
  it('passes the reference story', () => {
    const result = check(offersNeverOversubscribe(), referenceStory().records);
    assert.equal(result.verdict, 'pass', result.detail);
    assert.equal(result.kind, 'safety');
  });

  it('forgets a task the agent does not re-report to a new leader (its launch was lost in flight), keeps those it does', () => {
    const s = webOfTwo().at(3_000).launch('web', 'web.9', 'agent-1'); // never reaches the agent
    s.at(4_000).elect('master-2');
    const agentId = s.agentId('agent-1');
    s.at(5_000).emit({ type: 'agent.reregistered', agentId, host: 'agent-1', resources: res('cpus:4;mem:4096;ports:[31000-32000]'), epoch: s.currentEpoch() });
    s.emit({ type: 'task.updated', taskId: 'web.1', frameworkId: s.frameworkId('web'), agentId, state: 'TASK_RUNNING', reason: 'REASON_AGENT_REREGISTERED', source: 'SOURCE_MASTER', message: null });
    // The new master offers what is free by its account: everything but web.1's share.
    s.at(6_000).offer('web', 'agent-1', 'cpus:3;mem:3072');
    assert.equal(check(offersNeverOversubscribe(), s.records).verdict, 'pass');
    // Without the new leader, web.9 would still hold its share and the same offer would be too much.
    const same = webOfTwo().at(3_000).launch('web', 'web.9', 'agent-1').at(6_000).offer('web', 'agent-1', 'cpus:3;mem:3072');
    assert.equal(check(offersNeverOversubscribe(), same.records).verdict, 'fail');
  });

  it('fails when an agent is offered what its running task already holds', () => {
    // agent-1 has cpus:4 and web.1 holds 1: offering all 4 again is one too many.
    const s = webOfTwo().at(3_000).offer('web', 'agent-1', 'cpus:4;mem:1024');
    const result = check(offersNeverOversubscribe(), s.records);
    assert.equal(result.verdict, 'fail');
    assert.match(result.detail, /m1-S1 at 3000 ms: .*cpus 5 > 4/);
  });

  it('fails when two outstanding offers hold the same port', () => {
    const s = webOfTwo().at(3_000).offer('web', 'agent-3', 'cpus:1;mem:64;ports:[31000-31010]').offer('web', 'agent-3', 'cpus:1;mem:64;ports:[31005]');
    const result = check(offersNeverOversubscribe(), s.records);
    assert.equal(result.verdict, 'fail');
    assert.match(result.detail, /port 31005 held twice/);
  });

  it('fails on an offer for an agent the master marked unreachable', () => {
    const s = webOfTwo().at(5_000).unreachable('agent-1').at(6_000).offer('web', 'agent-1', 'cpus:1;mem:64');
    const result = check(offersNeverOversubscribe(), s.records);
    assert.equal(result.verdict, 'fail');
    assert.match(result.detail, /offer m1-O\d+ at 6000 ms is on m1-S1, which is not registered/);
  });

  it('does not mind an accept whose task is launched before the offer is marked accepted (same instant)', () => {
    const s = webOfTwo().at(3_000);
    const frameworkId = s.frameworkId('web');
    let offerId = '';
    s.offer('web', 'agent-3', 'cpus:4;mem:4096', (id) => (offerId = id));
    s.emit({ type: 'task.launched', taskId: 'web.9', frameworkId, agentId: 'm1-S3', name: 'web', resources: res('cpus:4;mem:4096'), labels: {}, epoch: 1 });
    s.emit({ type: 'offer.accepted', offerId, frameworkId, taskIds: ['web.9'] });
    assert.equal(check(offersNeverOversubscribe(), s.records).verdict, 'pass');
    // The same two events a millisecond apart really do hold the agent twice over.
    const apart = webOfTwo().at(3_000);
    apart.offer('web', 'agent-3', 'cpus:4;mem:4096', (id) => (offerId = id));
    apart.emit({ type: 'task.launched', taskId: 'web.9', frameworkId, agentId: 'm1-S3', name: 'web', resources: res('cpus:4;mem:4096'), labels: {}, epoch: 1 });
    apart.after(1).emit({ type: 'offer.accepted', offerId, frameworkId, taskIds: ['web.9'] });
    assert.equal(check(offersNeverOversubscribe(), apart.records).verdict, 'fail');
  });

  it('forgets the offers of a deposed leader: the new leader may offer the same resources', () => {
    const s = webOfTwo().at(3_000).offer('web', 'agent-3', 'cpus:4;mem:4096');
    s.at(4_000).emit({ type: 'node.stopped', node: 'master-1', role: 'master', reason: 'killed' }).elect('master-2');
    s.at(5_000).emit({ type: 'agent.reregistered', agentId: 'm1-S3', host: 'agent-3', resources: res('cpus:4;mem:4096;ports:[31000-32000]'), epoch: 2 });
    s.offer('web', 'agent-3', 'cpus:4;mem:4096');
    assert.equal(check(offersNeverOversubscribe(), s.records).verdict, 'pass');
  });
});

describe('legal-task-transitions', () => {
  it('passes the reference story (UNREACHABLE and back to RUNNING is legal)', () => {
    const result = check(legalTaskTransitions(), referenceStory().records);
    assert.equal(result.verdict, 'pass', result.detail);
  });

  it('fails when the master reports a finished task running again', () => {
    const s = webOfTwo().at(3_000).status('web.1', 'TASK_FINISHED');
    s.emit({ type: 'task.updated', taskId: 'web.1', frameworkId: s.frameworkId('web'), agentId: 'm1-S1', state: 'TASK_RUNNING', reason: null, source: 'SOURCE_MASTER', message: null });
    const result = check(legalTaskTransitions(), s.records);
    assert.equal(result.verdict, 'fail');
    assert.match(result.detail, /web.1 TASK_FINISHED -> TASK_RUNNING at 3000 ms \(master\)/);
  });

  it('fails when an agent sends a task back from RUNNING to STARTING', () => {
    const s = webOfTwo().at(3_000).status('web.2', 'TASK_STARTING');
    const result = check(legalTaskTransitions(), s.records);
    assert.equal(result.verdict, 'fail');
    assert.match(result.detail, /web.2 TASK_RUNNING -> TASK_STARTING/);
  });

  it('does not treat a reconciliation answer as a transition', () => {
    const s = webOfTwo().at(3_000).status('web.1', 'TASK_FINISHED');
    const reason = 'REASON_RECONCILIATION';
    s.emit({ type: 'task.updated', taskId: 'web.1', frameworkId: s.frameworkId('web'), agentId: 'm1-S1', state: 'TASK_GONE', reason, source: 'SOURCE_MASTER', message: null });
    assert.equal(check(legalTaskTransitions(), s.records).verdict, 'pass');
  });
});

describe('updates-delivered-in-order', () => {
  it('passes the reference story, ignoring master-generated updates without uuid', () => {
    const result = check(updatesDeliveredInOrder(), referenceStory().records);
    assert.equal(result.verdict, 'pass', result.detail);
  });

  it('passes a duplicate delivery of an update the agent resent', () => {
    const s = webOfTwo().at(3_000).status('web.1', 'TASK_FINISHED');
    const last = s.records.findLast((r) => r.type === 'status.delivered');
    assert.ok(last?.type === 'status.delivered');
    // The ack was lost: the agent resent FINISHED and the scheduler got it again.
    s.after(10_000).emit({ type: 'status.delivered', frameworkId: last.frameworkId, taskId: last.taskId, state: last.state, reason: last.reason, uuid: last.uuid, epoch: last.epoch });
    assert.equal(check(updatesDeliveredInOrder(), s.records).verdict, 'pass');
  });

  /** web.1 gets two agent updates, k1 (KILLING) then k2 (KILLED), built by hand so the order can be broken. */
  function twoUpdates() {
    const s = webOfTwo().at(3_000);
    const frameworkId = s.frameworkId('web');
    const status = (uuid: string, state: 'TASK_KILLING' | 'TASK_KILLED') =>
      s.emit({ type: 'task.status', taskId: 'web.1', frameworkId, agentId: 'm1-S1', host: 'agent-1', state, reason: null, uuid });
    const deliver = (uuid: string, state: 'TASK_KILLING' | 'TASK_KILLED') => s.emit({ type: 'status.delivered', frameworkId, taskId: 'web.1', state, reason: null, uuid, epoch: 1 });
    const ack = (uuid: string) => s.emit({ type: 'status.acknowledged', frameworkId, taskId: 'web.1', uuid });
    const dropped = (uuid: string) => s.emit({ type: 'status.ack_received', agentId: 'm1-S1', taskId: 'web.1', uuid });
    status('k1', 'TASK_KILLING');
    status('k2', 'TASK_KILLED');
    return { s, deliver, ack, dropped };
  }

  it('fails when a later update reaches the scheduler before an earlier one', () => {
    const { s, deliver, ack } = twoUpdates();
    deliver('k2', 'TASK_KILLED');
    ack('k2');
    const result = check(updatesDeliveredInOrder(), s.records);
    assert.equal(result.verdict, 'fail');
    assert.match(result.detail, /web.1: update k2 \(TASK_KILLED\) delivered at 3000 ms before the earlier k1/);
  });

  it('fails when the scheduler acknowledges an update it never got', () => {
    const { s, ack } = twoUpdates();
    ack('k1');
    const result = check(updatesDeliveredInOrder(), s.records);
    assert.equal(result.verdict, 'fail');
    assert.match(result.detail, /update k1 acknowledged at 3000 ms before it was delivered/);
  });

  it('fails when the agent drops an update nobody acknowledged', () => {
    const { s, deliver, dropped } = twoUpdates();
    deliver('k1', 'TASK_KILLING');
    dropped('k1');
    const result = check(updatesDeliveredInOrder(), s.records);
    assert.equal(result.verdict, 'fail');
    assert.match(result.detail, /agent m1-S1 dropped update k1 .* before the scheduler acknowledged it/);
  });

  it('fails when the scheduler gets an update no agent generated', () => {
    const { s, deliver } = twoUpdates();
    deliver('zz', 'TASK_KILLED');
    const result = check(updatesDeliveredInOrder(), s.records);
    assert.equal(result.verdict, 'fail');
    assert.match(result.detail, /update zz .* was never generated by an agent/);
  });

  it('passes the same stream delivered, acked and dropped in order', () => {
    const { s, deliver, ack, dropped } = twoUpdates();
    deliver('k1', 'TASK_KILLING');
    ack('k1');
    dropped('k1');
    deliver('k2', 'TASK_KILLED');
    ack('k2');
    dropped('k2');
    assert.equal(check(updatesDeliveredInOrder(), s.records).verdict, 'pass');
  });
});

describe('one-leader-per-epoch', () => {
  it('allows a lone master to lead its epoch again after a restart, but not a second master', () => {
    const s = story().at(0).emit({ type: 'master.elected', node: 'master-1', masterId: 'a', epoch: 1 });
    s.at(1_000).emit({ type: 'node.stopped', node: 'master-1', role: 'master', reason: 'killed' });
    s.at(2_000).emit({ type: 'node.started', node: 'master-1', role: 'master' }).emit({ type: 'master.elected', node: 'master-1', masterId: 'b', epoch: 1 });
    const result = check(oneLeaderPerEpoch(), s.records);
    assert.equal(result.verdict, 'pass', result.detail);
    assert.match(result.detail, /1 re-election\(s\) of a restarted lone master in its epoch/);
    s.at(3_000).emit({ type: 'master.elected', node: 'master-2', masterId: 'c', epoch: 1 });
    assert.equal(check(oneLeaderPerEpoch(), s.records).verdict, 'fail');
  });


  const table: Array<[string, Array<[string, number]>, 'pass' | 'fail', RegExp]> = [
    ['rising epochs', [['master-1', 1], ['master-2', 2], ['master-1', 3]], 'pass', /3 election\(s\), epochs rising to 3/],
    ['two leaders in one epoch', [['master-1', 1], ['master-2', 1]], 'fail', /epoch 1 has two leaders: master-1 and master-2/],
    ['an epoch going back', [['master-1', 1], ['master-2', 3], ['master-3', 2]], 'fail', /master-3 elected at \d+ ms with epoch 2, not above 3/],
    ['the same leader announcing the same epoch twice', [['master-1', 1], ['master-1', 1]], 'fail', /not above 1/],
  ];
  for (const [what, elections, verdict, detail] of table) {
    it(`${verdict}s ${what}`, () => {
      const s = story();
      for (const [node, epoch] of elections) s.after(1_000).emit({ type: 'master.elected', node, masterId: `m-${node}`, epoch });
      const result = check(oneLeaderPerEpoch(), s.records);
      assert.equal(result.verdict, verdict, result.detail);
      assert.match(result.detail, detail);
    });
  }
});
