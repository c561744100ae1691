import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { faultsBite } from '../../../src/chaos/checkers/index.js';
import type { Fault } from '../../../src/core/faults.js';
import type { Story } from '../../core/projection/story.js';
import { check, referenceStory, webOfTwo } from './scenarios.js';

/** A fault injected at 2 s into webOfTwo, then what followed (or nothing). */
interface Case {
  readonly fault: Fault;
  readonly bites: (s: Story) => void;
  readonly bitBy: RegExp;
  /** What happens instead when it does not bite (default: nothing at all). */
  readonly fizzles?: (s: Story) => void;
}

const CASES: Record<string, Case> = {
  'kill-agent': {
    fault: { kind: 'kill-agent', node: 'agent-1' },
    bites: (s) => s.at(5_000).unreachable('agent-1'),
    bitBy: /agent.unreachable m1-S1 on agent-1/,
    fizzles: (s) => s.at(5_000).unreachable('agent-2'),
  },
  'kill-agent, found unreachable by a new leader (its marking never announced: the leader that wrote it was deposed first, fuzz seed 516)': {
    fault: { kind: 'kill-agent', node: 'agent-1' },
    bites: (s) =>
      s
        .at(5_000)
        .elect('master-2')
        .emit({ type: 'master.recovered', node: 'master-2', epoch: s.currentEpoch(), agentsInRegistry: 3, unreachableAgentIds: [s.agentId('agent-1')] }),
    bitBy: /master-2 recovered m1-S1 on agent-1 as unreachable/,
    fizzles: (s) =>
      s
        .at(5_000)
        .elect('master-2')
        .emit({ type: 'master.recovered', node: 'master-2', epoch: s.currentEpoch(), agentsInRegistry: 3, unreachableAgentIds: [s.agentId('agent-2')] }),
  },
  'pause-agent': {
    fault: { kind: 'pause-agent', node: 'agent-2' },
    bites: (s) => s.at(5_000).unreachable('agent-2'),
    bitBy: /agent.unreachable m1-S2/,
    // Resumed before the master noticed: nothing happened.
    fizzles: (s) => s.at(2_500).fault({ kind: 'resume-agent', node: 'agent-2' }).at(6_000).unreachable('agent-2'),
  },
  'restart-agent': {
    fault: { kind: 'restart-agent', node: 'agent-1' },
    bites: (s) => s.at(2_300).reregister('agent-1'),
    bitBy: /agent.reregistered m1-S1/,
  },
  'kill-master (the leader)': {
    fault: { kind: 'kill-master', node: 'master-1' },
    bites: (s) => s.at(4_000).elect('master-2'),
    bitBy: /master-2 elected with epoch 2/,
  },
  'kill-master of a lone master, restarted': {
    fault: { kind: 'kill-master', node: 'master-1' },
    bites: (s) =>
      s
        .emit({ type: 'node.stopped', node: 'master-1', role: 'master', reason: 'killed' })
        .at(4_000)
        .emit({ type: 'node.started', node: 'master-1', role: 'master' })
        .emit({ type: 'master.elected', node: 'master-1', masterId: 'm9', epoch: 1 }),
    bitBy: /master-1 elected again after a restart \(epoch 1\)/,
    // Elected with the same epoch but never stopped: that is no failover.
    fizzles: (s) => s.at(4_000).emit({ type: 'master.elected', node: 'master-1', masterId: 'm9', epoch: 1 }),
  },
  failover: {
    fault: { kind: 'failover', node: 'master-1' },
    bites: (s) => s.at(3_000).elect('master-1'),
    bitBy: /master-1 elected with epoch 2/,
  },
  'pause-master (the leader)': {
    fault: { kind: 'pause-master', node: 'master-1' },
    bites: (s) => s.at(9_000).reregister('agent-1'),
    bitBy: /agent.reregistered after the pause/,
  },
  'partition isolating an agent': {
    fault: { kind: 'partition', groups: [['agent-1'], ['master-1', 'agent-2', 'agent-3']], oneWay: false },
    bites: (s) => s.at(5_000).unreachable('agent-1'),
    bitBy: /agent.unreachable m1-S1/,
    // An agent on the leader's side going away is not this partition's doing.
    fizzles: (s) => s.at(5_000).unreachable('agent-2'),
  },
  'partition isolating a scheduler': {
    fault: { kind: 'partition', groups: [['scheduler-web'], ['master-1']], oneWay: true },
    bites: (s) => s.at(5_000).emit({ type: 'framework.disconnected', frameworkId: 'm1-0000', reason: 'test', epoch: 1 }),
    bitBy: /framework.disconnected m1-0000/,
  },
  'link loss': {
    fault: { kind: 'link', from: ['agent-1'], to: ['master-1'], oneWay: false, spec: { loss: 0.2 } },
    bites: (s) => s.at(2_100).emit({ type: 'message.dropped', from: 'master-1', to: 'agent-1', message: 'master.ping', cause: 'loss' }),
    bitBy: /master.ping master-1->agent-1 dropped/,
    // A drop on another link does not count.
    fizzles: (s) => s.at(2_100).emit({ type: 'message.dropped', from: 'master-1', to: 'agent-2', message: 'master.ping', cause: 'loss' }),
  },
  'link loss and duplication': {
    fault: { kind: 'link', from: [], to: [], oneWay: false, spec: { loss: 0.1, duplicate: 0.1 } },
    bites: (s) =>
      s
        .at(2_100)
        .emit({ type: 'message.dropped', from: 'master-1', to: 'agent-1', message: 'master.ping', cause: 'loss' })
        .emit({ type: 'message.duplicated', from: 'agent-2', to: 'master-1', message: 'agent.pong' }),
    bitBy: /dropped, agent.pong agent-2->master-1 duplicated/,
    // Only one of the two effects showed.
    fizzles: (s) => s.at(2_100).emit({ type: 'message.dropped', from: 'master-1', to: 'agent-1', message: 'master.ping', cause: 'loss' }),
  },
  'clog of an agent host (a retried update delivered twice)': {
    fault: { kind: 'clog', nodes: ['agent-2'] },
    bites: (s) => {
      s.at(2_100).status('web.2', 'TASK_FINISHED');
      const d = s.records.findLast((r) => r.type === 'status.delivered');
      assert.ok(d?.type === 'status.delivered');
      s.at(3_200).emit({ type: 'status.delivered', frameworkId: d.frameworkId, taskId: d.taskId, state: d.state, reason: d.reason, uuid: d.uuid, epoch: d.epoch });
    },
    bitBy: /delivered twice \(a retry\)/,
    // The same duplicate on a path with no clogged node proves nothing.
    fizzles: (s) => {
      s.at(2_100).status('web.1', 'TASK_FINISHED');
      const d = s.records.findLast((r) => r.type === 'status.delivered');
      assert.ok(d?.type === 'status.delivered');
      s.at(3_200).emit({ type: 'status.delivered', frameworkId: d.frameworkId, taskId: d.taskId, state: d.state, reason: d.reason, uuid: d.uuid, epoch: d.epoch });
    },
  },
  'swizzle-clog (an agent marked unreachable)': {
    fault: { kind: 'swizzle-clog', nodes: ['agent-1', 'agent-3'], stepMs: 500 },
    bites: (s) => s.at(6_000).unreachable('agent-3'),
    bitBy: /agent.unreachable m1-S3/,
  },
  'kill-task': {
    fault: { kind: 'kill-task', taskId: 'web.2', frameworkId: 'm1-0000' },
    bites: (s) => s.at(2_050).status('web.2', 'TASK_KILLED'),
    bitBy: /web.2 TASK_KILLED/,
    fizzles: (s) => s.at(2_050).status('web.1', 'TASK_KILLED'),
  },
  'crash-framework': {
    fault: { kind: 'crash-framework', node: 'scheduler-web' },
    bites: (s) => s.at(5_000).emit({ type: 'framework.disconnected', frameworkId: 'm1-0000', reason: 'test', epoch: 1 }),
    bitBy: /framework.disconnected m1-0000/,
  },
  'restart-framework': {
    fault: { kind: 'restart-framework', node: 'scheduler-web' },
    bites: (s) => s.at(2_100).emit({ type: 'framework.resubscribed', frameworkId: 'm1-0000', name: 'web', node: 'scheduler-web', epoch: 1 }),
    bitBy: /framework.resubscribed m1-0000/,
  },
};

describe('faults-bite', () => {
  for (const [name, c] of Object.entries(CASES)) {
    it(`${name}: passes when it bites, inconclusive when it does not`, () => {
      const bitten = webOfTwo().at(2_000).fault(c.fault);
      c.bites(bitten);
      const yes = check(faultsBite(), bitten.records);
      assert.equal(yes.verdict, 'pass', yes.detail);
      assert.equal(yes.kind, 'sometimes');
      assert.match(yes.detail, c.bitBy);

      const fizzled = webOfTwo().at(2_000).fault(c.fault);
      c.fizzles?.(fizzled);
      const no = check(faultsBite(), fizzled.records);
      assert.equal(no.verdict, 'inconclusive', no.detail);
      assert.match(no.detail, /1 of \d+ fault\(s\) never bit: .* never bit \(no /);
    });
  }

  it('does not count signals from before the injection', () => {
    const s = webOfTwo().at(1_500).unreachable('agent-1').at(2_000).fault({ kind: 'kill-agent', node: 'agent-1' });
    assert.equal(check(faultsBite(), s.records).verdict, 'inconclusive');
  });

  it('a new leader re-listing an agent already announced unreachable before the kill is no proof', () => {
    const s = webOfTwo().at(1_500).unreachable('agent-1').at(2_000).fault({ kind: 'kill-agent', node: 'agent-1' });
    s.at(5_000).elect('master-2').emit({ type: 'master.recovered', node: 'master-2', epoch: s.currentEpoch(), agentsInRegistry: 3, unreachableAgentIds: [s.agentId('agent-1')] });
    assert.equal(check(faultsBite(), s.records).verdict, 'inconclusive');
  });

  it('passes restorative faults, a killed standby and a delay-only link without proof, saying so', () => {
    const s = webOfTwo();
    s.at(2_000).fault({ kind: 'heal' }).fault({ kind: 'unclog', nodes: ['agent-1'] }).fault({ kind: 'resume-agent', node: 'agent-1' });
    s.fault({ kind: 'kill-master', node: 'master-3' }).fault({ kind: 'link', from: ['agent-1'], to: [], oneWay: false, spec: { delayMs: 200 } });
    const result = check(faultsBite(), s.records);
    assert.equal(result.verdict, 'pass');
    assert.match(result.detail, /heal at 2000 ms: passed unproven, it restores the cluster/);
    assert.match(result.detail, /kill-master master-3 at 2000 ms: passed unproven, master-3 was not the leader/);
    assert.match(result.detail, /delay and jitter leave no trace in the history/);
  });

  it('notes when a failover targeted a master that was not the leader', () => {
    const s = webOfTwo().at(2_000).fault({ kind: 'failover', node: 'master-2' });
    const result = check(faultsBite(), s.records);
    assert.equal(result.verdict, 'inconclusive');
    assert.match(result.detail, /\[master-2 was not the leader \(master-1\)\]/);
  });

  it('passes the reference story and a run without faults', () => {
    assert.equal(check(faultsBite(), referenceStory().records).verdict, 'pass');
    const none = check(faultsBite(), webOfTwo().records);
    assert.equal(none.verdict, 'pass');
    assert.match(none.detail, /no faults were injected/);
  });

  it('stops crediting a fault once it is undone: a partition healed before detection did not bite', () => {
    const s = webOfTwo().at(2_000).fault({ kind: 'partition', groups: [['agent-1'], ['master-1']], oneWay: false });
    s.at(2_500).fault({ kind: 'heal' }).at(9_000).unreachable('agent-1');
    const result = check(faultsBite(), s.records);
    assert.equal(result.verdict, 'inconclusive');
    assert.match(result.detail, /^1 of 2 fault\(s\) never bit: partition \[agent-1\] \| \[master-1\] at 2000 ms: never bit/);
  });

  it('two partitions in force together: the first still bites when its agent is lost after the second began', () => {
    const s = webOfTwo().at(2_000).fault({ kind: 'partition', groups: [['agent-1'], ['master-1', 'agent-2', 'agent-3', 'scheduler-web']], oneWay: false });
    s.at(3_000).fault({ kind: 'partition', groups: [['scheduler-web'], ['master-1']], oneWay: false });
    s.at(5_000).unreachable('agent-1').at(6_000).emit({ type: 'framework.disconnected', frameworkId: s.frameworkId('web'), reason: 'heartbeats stopped', epoch: 1 });
    const result = check(faultsBite(), s.records);
    assert.equal(result.verdict, 'pass', result.detail);
    assert.match(result.detail, /partition \[agent-1\] .* at 2000 ms: bit at \+3000 ms \(agent\.unreachable/);
  });
});
