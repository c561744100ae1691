import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { agentUpdatesDelivered, batchRunsOnce, noStaleEpoch, offersHonourFilters, registryWriteFirst } from '../../../src/chaos/checkers/index.js';
import { story } from '../../core/projection/story.js';
import { res } from '../../helpers/resources.js';
import { check, ctxOf, referenceCtx, referenceStory, webOfTwo } from './scenarios.js';

/** Healed at 8 s, ended at 20 s: long enough after the heal for every pending update to arrive. */
const HEALED = ctxOf({ livenessStartMs: 8_000, endMs: 20_000 });

describe('agent-updates-delivered', () => {
  it('passes the reference story: every agent update reached its framework', () => {
    const result = check(agentUpdatesDelivered(), referenceStory().records, referenceCtx());
    assert.equal(result.verdict, 'pass', result.detail);
  });

  it('planted bug: a terminal update dropped for good (never delivered after the heal) fails the run', () => {
    // agent-1 reregisters after the heal (it resends every pending update then), yet the update never arrives.
    const s = webOfTwo().at(3_000).status('web.1', 'TASK_FINISHED', { deliver: false }).at(9_000).reregister('agent-1').at(20_000);
    const result = check(agentUpdatesDelivered(), s.records, HEALED);
    assert.equal(result.verdict, 'fail');
    assert.match(result.detail, /web\.1: TASK_FINISHED .* produced on agent-1 at 3000 ms never reached its framework/);
    // The finding points at the record that produced the update (replay jumps there).
    const [finding] = result.findings ?? [];
    assert.ok(finding);
    const pointed = finding.seqs.map((seq) => s.records.find((r) => r.seq === seq));
    assert.equal(pointed.length, 1);
    assert.equal(pointed[0]?.type, 'task.status');
    assert.equal(pointed[0]?.atMs, 3_000);
  });

  it('an update delivered late, after the heal, passes; one of a host that rebooted or a removed framework is excused', () => {
    const late = webOfTwo().at(3_000).status('web.1', 'TASK_FINISHED', { deliver: false });
    const last = late.records.at(-2);
    assert.ok(last && last.type === 'task.status');
    late.at(9_000).emit({ type: 'status.delivered', frameworkId: last.frameworkId, taskId: 'web.1', state: 'TASK_FINISHED', reason: null, uuid: last.uuid, epoch: 1 });
    assert.equal(check(agentUpdatesDelivered(), late.records, HEALED).verdict, 'pass');
    const rebooted = webOfTwo().at(3_000).status('web.1', 'TASK_FINISHED', { deliver: false }).killHost('agent-1').at(4_000);
    rebooted.emit({ type: 'node.started', node: 'agent-1', role: 'agent' }).registerAgent('agent-1');
    assert.equal(check(agentUpdatesDelivered(), rebooted.records, HEALED).verdict, 'pass');
    const removed = webOfTwo().at(3_000).status('web.1', 'TASK_FINISHED', { deliver: false });
    removed.emit({ type: 'framework.removed', frameworkId: removed.frameworkId('web'), reason: 'teardown', epoch: 1 });
    assert.equal(check(agentUpdatesDelivered(), removed.records, HEALED).verdict, 'pass');
  });

  it('does not judge a run that ended before a pending update could arrive, nor one without a liveness phase', () => {
    const s = webOfTwo().at(3_000).status('web.1', 'TASK_FINISHED', { deliver: false });
    // The agent never reregistered: it resends on its own backoff, up to statusUpdateRetryMaxMs (60 s in the fast profile).
    assert.equal(check(agentUpdatesDelivered(), s.records, HEALED).verdict, 'pass');
    assert.equal(check(agentUpdatesDelivered(), s.records, ctxOf({ livenessStartMs: 8_000, endMs: 70_000 })).verdict, 'fail');
    // Reregistered after the heal, but its framework has not subscribed with the new leader yet: nothing is forwarded to it.
    const failedOver = webOfTwo().at(3_000).status('web.1', 'TASK_FINISHED', { deliver: false }).at(8_500).elect('master-2').at(9_000).reregister('agent-1');
    assert.equal(check(agentUpdatesDelivered(), failedOver.records, HEALED).verdict, 'pass');
    assert.equal(check(agentUpdatesDelivered(), s.records, ctxOf({ livenessStartMs: 8_000, endMs: 9_000 })).verdict, 'pass');
    assert.equal(check(agentUpdatesDelivered(), s.records, ctxOf({ livenessStartMs: null, endMs: 20_000 })).verdict, 'pass');
  });
});

describe('no-stale-epoch', () => {
  it('passes acts at the newest epoch across a failover', () => {
    const s = webOfTwo().at(3_000).elect('master-2').subscribe('batch').launch('batch', 'b.1', 'agent-3');
    const result = check(noStaleEpoch(), s.records);
    assert.equal(result.verdict, 'pass', result.detail);
  });

  it('planted bug: a deposed leader that keeps launching (task.launched at the old epoch) fails the run', () => {
    const s = webOfTwo().at(3_000).elect('master-2');
    s.emit({ type: 'task.launched', taskId: 'web.9', frameworkId: s.frameworkId('web'), agentId: s.agentId('agent-3'), name: 'web', resources: res('cpus:1;mem:128'), labels: {}, epoch: 1 });
    const result = check(noStaleEpoch(), s.records);
    assert.equal(result.verdict, 'fail');
    assert.match(result.detail, /a master of epoch 1 acted \(task\.launched\) at 3000 ms after epoch 2 was elected/);
  });

  it('planted bug: a scheduler that accepts a message of an older epoch than one it accepted fails the run', () => {
    const s = webOfTwo().at(3_000).elect('master-2');
    const frameworkId = s.frameworkId('web');
    s.emit({ type: 'status.delivered', frameworkId, taskId: 'web.1', state: 'TASK_RUNNING', reason: 'REASON_RECONCILIATION', uuid: null, epoch: 2 });
    s.after(100).emit({ type: 'status.delivered', frameworkId, taskId: 'web.1', state: 'TASK_KILLED', reason: null, uuid: null, epoch: 1 });
    const result = check(noStaleEpoch(), s.records);
    assert.equal(result.verdict, 'fail');
    assert.match(result.detail, /accepted web\.1 TASK_KILLED from epoch 1 .* after a message of epoch 2/);
  });
  it('planted bug: an agent that accepts a command of an older epoch than one it accepted fails the run; a restarted agent process starts afresh', () => {
    const planted = (restartBetween: boolean) => {
      const s = webOfTwo().at(3_000).elect('master-2');
      s.emit({ type: 'agent.accepted', host: 'agent-3', command: 'master.kill_task', epoch: 2 });
      if (restartBetween) s.after(50).emit({ type: 'node.stopped', node: 'agent-3', role: 'agent', reason: 'restarted' }).emit({ type: 'node.started', node: 'agent-3', role: 'agent' });
      s.after(100).emit({ type: 'agent.accepted', host: 'agent-3', command: 'master.run_task', epoch: 1 });
      return check(noStaleEpoch(), s.records);
    };
    const stale = planted(false);
    assert.equal(stale.verdict, 'fail');
    assert.match(stale.detail, /agent agent-3 accepted master\.run_task from epoch 1 at 3100 ms, after a command of epoch 2/);
    assert.equal(planted(true).verdict, 'pass', 'a fresh process has seen no epoch yet (what it runs is then the master\'s act, judged apart)');
  });
});

describe('registry-write-first', () => {
  it('passes the reference story: every announcement follows its commit', () => {
    const result = check(registryWriteFirst(), referenceStory().records, referenceCtx());
    assert.equal(result.verdict, 'pass', result.detail);
  });

  it('planted bug: an agent announced unreachable before the registry committed it fails the run', () => {
    const s = webOfTwo().at(3_000);
    s.emit({ type: 'agent.unreachable', agentId: s.agentId('agent-1'), host: 'agent-1', epoch: 1 });
    const result = check(registryWriteFirst(), s.records);
    assert.equal(result.verdict, 'fail');
    assert.match(result.detail, /announced unreachable at 3000 ms with no registry commit of mark_unreachable/);
  });

  it('planted bug: an agent admitted, or back from unreachable, without a commit fails the run', () => {
    const admitted = story().start();
    admitted.emit({ type: 'agent.registered', agentId: 'm1-S9', host: 'agent-9', resources: res('cpus:1;mem:128'), attributes: {}, epoch: 1 });
    assert.equal(check(registryWriteFirst(), admitted.records).verdict, 'fail');
    const back = webOfTwo().at(3_000).unreachable('agent-1').at(4_000);
    back.emit({ type: 'agent.reregistered', agentId: back.agentId('agent-1'), host: 'agent-1', resources: res('cpus:4;mem:4096'), epoch: 1 });
    assert.match(check(registryWriteFirst(), back.records).detail, /announced reachable again at 4000 ms/);
  });
});

describe('offers-honour-filters', () => {
  it('passes offers made after a decline filter expired and after a REVIVE', () => {
    const s = webOfTwo().at(3_000);
    const frameworkId = s.frameworkId('web');
    const agentId = s.agentId('agent-3');
    s.offer('web', 'agent-3', 'cpus:4;mem:4096', (offerId) => s.emit({ type: 'offer.declined', offerId, frameworkId, refuseMs: 5_000 }));
    s.emit({ type: 'offer.filtered', frameworkId, agentId, resources: res('cpus:4;mem:4096'), refuseMs: 5_000 });
    s.at(8_000).offer('web', 'agent-3', 'cpus:4;mem:4096');
    const result = check(offersHonourFilters(), s.records);
    assert.equal(result.verdict, 'pass', result.detail);
  });

  it('planted bug: an offer inside a live refuse filter fails the run; a REVIVE lifts the filter', () => {
    const planted = (revive: boolean) => {
      const s = webOfTwo().at(3_000);
      const frameworkId = s.frameworkId('web');
      s.emit({ type: 'offer.filtered', frameworkId, agentId: s.agentId('agent-3'), resources: res('cpus:4;mem:4096'), refuseMs: 5_000 });
      if (revive) s.at(4_000).emit({ type: 'framework.revived', frameworkId, epoch: 1 });
      s.at(5_000).offer('web', 'agent-3', 'cpus:2;mem:1024');
      return check(offersHonourFilters(), s.records);
    };
    const broken = planted(false);
    assert.equal(broken.verdict, 'fail');
    assert.match(broken.detail, /breaks its filter from 3000 ms until 8000 ms/);
    assert.equal(planted(true).verdict, 'pass');
  });

  it('planted bug: an offer to a suppressed framework fails the run', () => {
    const s = webOfTwo().at(3_000);
    s.emit({ type: 'framework.suppressed', frameworkId: s.frameworkId('web'), epoch: 1 });
    s.at(4_000).offer('web', 'agent-3', 'cpus:4;mem:4096');
    assert.match(check(offersHonourFilters(), s.records).detail, /while it is suppressed/);
  });

  it('planted bug: an offer left outstanding after its agent was marked unreachable fails the run; rescinded at once passes', () => {
    const run = (rescind: boolean) => {
      const s = webOfTwo().at(3_000);
      let offered = '';
      s.offer('web', 'agent-1', 'cpus:2;mem:1024', (id) => (offered = id));
      s.at(4_000).unreachable('agent-1');
      if (rescind) s.emit({ type: 'offer.rescinded', offerId: offered, frameworkId: s.frameworkId('web'), reason: 'agent unreachable' });
      s.at(5_000);
      return check(offersHonourFilters(), s.records);
    };
    assert.equal(run(true).verdict, 'pass');
    assert.match(run(false).detail, /still outstanding .* after its agent was lost at 4000 ms/);
  });
});

describe('batch-runs-once', () => {
  /** Job `etl` of two slots, each run once and finished. */
  function healthyJob() {
    const s = story().start().subscribe('etl').at(1_000);
    s.launch('etl', 'etl.1', 'agent-1', 'cpus:1;mem:128', { labels: { slot: '0' } }).launch('etl', 'etl.2', 'agent-2', 'cpus:1;mem:128', { labels: { slot: '1' } });
    s.after(20).run('etl.1', 'etl.2').at(3_000).status('etl.1', 'TASK_FINISHED').status('etl.2', 'TASK_FINISHED');
    return s;
  }

  it('passes a job whose tasks each ran and finished once', () => {
    const result = check(batchRunsOnce(), healthyJob().records);
    assert.equal(result.verdict, 'pass', result.detail);
  });

  it('passes a relaunch beside an attempt on an unreachable agent, even if both finish', () => {
    const s = story().start().subscribe('etl').at(1_000).launch('etl', 'etl.1', 'agent-1', 'cpus:1;mem:128', { labels: { slot: '0' } }).after(20).run('etl.1');
    s.at(2_000).fault({ kind: 'partition', groups: [['agent-1'], ['master-1']], oneWay: false }).at(5_000).unreachable('agent-1');
    s.at(5_100).launch('etl', 'etl.2', 'agent-2', 'cpus:1;mem:128', { labels: { slot: '0' } }).after(20).run('etl.2');
    s.at(6_000).status('etl.1', 'TASK_FINISHED', { deliver: false }).at(7_000).status('etl.2', 'TASK_FINISHED');
    const result = check(batchRunsOnce(), s.records, ctxOf({ endMs: 9_000 }));
    assert.equal(result.verdict, 'pass', result.detail);
  });

  it('planted bug: work relaunched while it still runs (reconciled without agent ids) runs twice and fails the run', () => {
    const s = story().start().subscribe('etl').at(1_000).launch('etl', 'etl.1', 'agent-1', 'cpus:1;mem:128', { labels: { slot: '0' } }).after(20).run('etl.1');
    s.at(2_000).elect('master-2').at(2_500).launch('etl', 'etl.2', 'agent-2', 'cpus:1;mem:128', { labels: { slot: '0' } }).after(20).run('etl.2');
    s.at(4_000).status('etl.1', 'TASK_FINISHED').status('etl.2', 'TASK_FINISHED');
    const result = check(batchRunsOnce(), s.records);
    assert.equal(result.verdict, 'fail');
    assert.match(result.detail, /etl#0 ran 2 copies at once \(etl\.1, etl\.2\)/);
    assert.match(result.detail, /etl#0 finished twice: etl\.1, then etl\.2 at 4000 ms/);
    // Each finding points at its records: the two copies' launches, then their two finishes.
    const kinds = (result.findings ?? []).map((f) => f.seqs.map((seq) => { const r = s.records.find((x) => x.seq === seq); return r ? `${r.type}:${'taskId' in r ? r.taskId : ''}` : 'missing'; }));
    assert.deepEqual(kinds, [['task.launched:etl.1', 'task.launched:etl.2'], ['task.status:etl.1', 'task.status:etl.2']]);
  });
});
