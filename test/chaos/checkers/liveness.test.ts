import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { lostTasksReplaced, rescheduleBoundMs, servicesConverge } from '../../../src/chaos/checkers/index.js';
import { check, ctxOf, isolatedAndReplaced, referenceCtx, referenceStory, webOfTwo } from './scenarios.js';

describe('lost-tasks-replaced', () => {
  it('uses inactiveAfter + 2 allocation intervals + slack as the bound', () => {
    const ctx = ctxOf();
    const web = ctx.services[0];
    assert.ok(web);
    assert.equal(rescheduleBoundMs(web, ctx), 0 + 2 * 1_000 + 1_000);
    assert.equal(rescheduleBoundMs({ ...web, inactiveAfterMs: 60_000 }, { ...ctx, rescheduleSlackMs: 250 }), 62_250);
  });

  it('passes the reference story and reports the worst case', () => {
    const result = check(lostTasksReplaced(), referenceStory().records, referenceCtx());
    assert.equal(result.verdict, 'pass', result.detail);
    assert.equal(result.kind, 'liveness');
    assert.match(result.detail, /1 of 1 lost task\(s\) made good in time; worst: web.1 \(web\) lost on m1-S1 at 5000 ms, replaced by web.3 after 600 ms \(bound 3000 ms\)/);
  });

  it('fails when a lost task is never replaced (ignoreUnreachable)', () => {
    const s = webOfTwo().at(2_000).killHost('agent-1').at(5_000).unreachable('agent-1').at(20_000);
    const result = check(lostTasksReplaced(), s.records, ctxOf({ endMs: 20_000 }));
    assert.equal(result.verdict, 'fail');
    assert.match(result.detail, /web.1 \(web\) lost on m1-S1 at 5000 ms was never replaced \(bound 3000 ms, run ended at 20000 ms\)/);
  });

  it('fails when the replacement runs after the bound', () => {
    const s = webOfTwo().at(5_000).unreachable('agent-1').at(7_000).launch('web', 'web.3', 'agent-3').at(8_001).run('web.3');
    const result = check(lostTasksReplaced(), s.records);
    assert.equal(result.verdict, 'fail');
    assert.match(result.detail, /replaced by web.3 after 3001 ms, over the 3000 ms bound/);
  });

  it('judges a loss from the end of an impaired period: a clog, no leader, or its framework disconnected', () => {
    const clogged = webOfTwo().at(4_000).fault({ kind: 'clog', nodes: ['agent-3'] }).at(5_000).unreachable('agent-1').at(7_000).launch('web', 'web.3', 'agent-3');
    clogged.at(9_000).fault({ kind: 'unclog', nodes: ['agent-3'] }).at(9_500).run('web.3');
    const result = check(lostTasksReplaced(), clogged.records);
    assert.equal(result.verdict, 'pass', result.detail);
    assert.match(result.detail, /judged from 9000 ms, after an impaired period/);
    // The same late replacement with no impairment fails.
    const plain = webOfTwo().at(5_000).unreachable('agent-1').at(7_000).launch('web', 'web.3', 'agent-3').at(9_500).run('web.3');
    assert.equal(check(lostTasksReplaced(), plain.records).verdict, 'fail');
    // Another framework's disconnection excuses nothing.
    const other = webOfTwo().at(4_000);
    other.emit({ type: 'framework.disconnected', frameworkId: 'someone-else', reason: 'test', epoch: 1 });
    other.at(5_000).unreachable('agent-1').at(7_000).launch('web', 'web.3', 'agent-3').at(9_500).run('web.3');
    assert.equal(check(lostTasksReplaced(), other.records).verdict, 'fail');
  });

  it('measures from the agent.unreachable event, not from the later task update', () => {
    const s = webOfTwo().at(5_000);
    s.emit({ type: 'agent.unreachable', agentId: 'm1-S1', host: 'agent-1', epoch: 1 });
    const reason = 'REASON_AGENT_REMOVED';
    s.at(5_100).emit({ type: 'task.updated', taskId: 'web.1', frameworkId: 'm1-0000', agentId: 'm1-S1', state: 'TASK_UNREACHABLE', reason, source: 'SOURCE_MASTER', message: null });
    s.at(7_000).launch('web', 'web.3', 'agent-3').at(8_050).run('web.3');
    const result = check(lostTasksReplaced(), s.records);
    assert.equal(result.verdict, 'fail', '3,050 ms after the agent event, though only 2,950 after the task update');
    assert.match(result.detail, /lost on m1-S1 at 5000 ms replaced by web.3 after 3050 ms/);
  });

  it('passes a replacement exactly at the bound', () => {
    const s = webOfTwo().at(5_000).unreachable('agent-1').at(7_000).launch('web', 'web.3', 'agent-3').at(8_000).run('web.3');
    assert.equal(check(lostTasksReplaced(), s.records).verdict, 'pass');
  });

  it('is inconclusive when the run ended before the bound of an unreplaced loss', () => {
    const s = webOfTwo().at(5_000).unreachable('agent-1');
    const result = check(lostTasksReplaced(), s.records, ctxOf({ endMs: 6_000 }));
    assert.equal(result.verdict, 'inconclusive');
  });

  it('counts the original coming back before inactiveAfter as made good', () => {
    const s = webOfTwo().at(5_000).unreachable('agent-1').at(20_000).reregister('agent-1');
    const ctx = ctxOf({ services: [{ name: 'web', instances: 2, inactiveAfterMs: 60_000 }], endMs: 30_000 });
    const result = check(lostTasksReplaced(), s.records, ctx);
    assert.equal(result.verdict, 'pass', result.detail);
    assert.match(result.detail, /came back after 15000 ms/);
  });

  it('does not let one replacement make good two losses', () => {
    const s = webOfTwo().at(5_000).unreachable('agent-1').unreachable('agent-2').at(5_500).launch('web', 'web.3', 'agent-3').run('web.3');
    const result = check(lostTasksReplaced(), s.at(20_000).records, ctxOf({ endMs: 20_000 }));
    assert.equal(result.verdict, 'fail');
    assert.match(result.detail, /1 of 2 lost task\(s\) not replaced in time: web.2 .* was never replaced/);
  });

  it('does not count a task launched before the loss as its replacement', () => {
    // web.3 was already staging (scaling up) when agent-1 went: it replaces nothing.
    const s = webOfTwo().at(4_000).launch('web', 'web.3', 'agent-3').at(5_000).unreachable('agent-1').at(5_500).run('web.3');
    const result = check(lostTasksReplaced(), s.at(20_000).records, ctxOf({ services: [{ name: 'web', instances: 3 }], endMs: 20_000 }));
    assert.equal(result.verdict, 'fail');
  });

  it('excuses a loss whose replacement was launched in time but lost before running (swizzle-clog)', () => {
    // agent-1 goes at 5 s; web.3 launched on agent-3 at 5.5 s, but agent-3 goes too before it runs;
    // agent-1 is back at 9 s: web.1 back after 4 s, over the bound, yet the scheduler did its part.
    const s = webOfTwo().at(5_000).unreachable('agent-1').at(5_500).launch('web', 'web.3', 'agent-3');
    s.at(7_000).unreachable('agent-3').at(9_000).reregister('agent-1');
    const result = check(lostTasksReplaced(), s.at(20_000).records, ctxOf({ endMs: 20_000 }));
    assert.equal(result.verdict, 'pass', result.detail);
    assert.match(result.detail, /1 excused: web.1 \(replacement web.3 launched in time, lost before running\)/);
    // web.3's own loss is made good: with web.1 back the service has its 2 RUNNING again.
    assert.match(result.detail, /web.3 \(web\) lost on m1-S3 at 7000 ms, the service was back at its N RUNNING after 2000 ms/);
  });

  it('judges the excuse on what happened, not the final state: a replacement lost while staging that came back staging still excuses', () => {
    const s = webOfTwo().at(5_000).unreachable('agent-1').at(5_500).launch('web', 'web.3', 'agent-3');
    // agent-3 goes before web.3 runs, then comes back with it still STAGING (its final state is live).
    s.at(7_000).unreachable('agent-3').at(8_000).reregister('agent-3').at(9_000).reregister('agent-1');
    const result = check(lostTasksReplaced(), s.at(20_000).records, ctxOf({ endMs: 20_000 }));
    assert.equal(result.verdict, 'pass', result.detail);
    assert.match(result.detail, /excused: web.1 \(replacement web.3 launched in time, lost before running\)/);
  });

  it('counts the tasks of every agent host that died and rebooted as lost (not "no service task was lost")', () => {
    const s = webOfTwo().at(2_000).killHost('agent-1').killHost('agent-2');
    s.at(3_000).emit({ type: 'node.started', node: 'agent-1', role: 'agent' }).registerAgent('agent-1');
    s.emit({ type: 'node.started', node: 'agent-2', role: 'agent' }).registerAgent('agent-2');
    const result = check(lostTasksReplaced(), s.at(20_000).records, ctxOf({ endMs: 20_000 }));
    assert.equal(result.verdict, 'fail', result.detail);
    assert.match(result.detail, /2 of 2 lost task\(s\) not replaced in time: web.1 \(web\) lost on m1-S1 at 3000 ms was never replaced/);
  });

  it('a host that reboots while the leader has only recovered its agent: the loss is judged from the reregister timeout, when the master can first know it (fuzz seed 2410)', () => {
    const run = (replacedAtMs: number) => {
      const s = webOfTwo();
      const oldAgent = s.agentId('agent-1');
      s.at(2_000).killHost('agent-1');
      s.at(3_000).elect('master-2').reregister('agent-2').reregister('agent-3');
      s.emit({ type: 'framework.resubscribed', frameworkId: s.frameworkId('web'), name: 'web', node: 'scheduler-web', epoch: s.currentEpoch() });
      // Registered anew under the new leader: a master matches it to no recovered agent (Mesos: by address, registered ones only).
      s.at(4_000).emit({ type: 'node.started', node: 'agent-1', role: 'agent' }).registerAgent('agent-1');
      // The agentReregisterTimeout (10 s, fast) after the failover: the old agent is marked unreachable.
      s.at(13_000).emit({ type: 'agent.unreachable', agentId: oldAgent, host: 'agent-1', epoch: s.currentEpoch() });
      s.at(replacedAtMs - 100).launch('web', 'web.3', 'agent-3').at(replacedAtMs).run('web.3');
      return check(lostTasksReplaced(), s.at(40_000).records, ctxOf({ endMs: 40_000 }));
    };
    const inTime = run(13_600);
    assert.equal(inTime.verdict, 'pass', inTime.detail);
    assert.match(inTime.detail, /judged from 13000 ms, when the master timed out the agent it had only recovered/);
    assert.equal(run(16_500).verdict, 'fail', 'the 3 s bound still holds from then');
  });

  it('a loss judged after an impaired period (a one-way partition) allows the agent to notice and reregister: detection + the longest registration backoff more (fuzz seed 153)', () => {
    const run = (backMs: number) => {
      const s = webOfTwo().at(2_000).fault({ kind: 'partition', groups: [['master-1'], ['agent-1', 'agent-2', 'agent-3', 'scheduler-web']], oneWay: true });
      s.at(5_000).unreachable('agent-1').at(8_000).fault({ kind: 'heal' }).at(8_000 + backMs).reregister('agent-1');
      return check(lostTasksReplaced(), s.at(40_000).records, ctxOf({ livenessStartMs: 8_000, endMs: 40_000 }));
    };
    assert.equal(run(7_700).verdict, 'pass', run(7_700).detail);
    assert.equal(run(13_900).verdict, 'pass');
    // 3 s bound + 3 s detection + 5 s registration backoff + 3 heartbeats (fast profile) = 14 s after the heal.
    assert.equal(run(14_100).verdict, 'fail');
  });

  it('does not excuse a replacement launched after the bound', () => {
    const s = webOfTwo().at(5_000).unreachable('agent-1').at(8_500).launch('web', 'web.3', 'agent-3');
    s.at(9_000).unreachable('agent-3').at(9_500).reregister('agent-1');
    const result = check(lostTasksReplaced(), s.at(20_000).records, ctxOf({ endMs: 20_000 }));
    assert.equal(result.verdict, 'fail');
    assert.match(result.detail, /web.1 \(web\) lost on m1-S1 at 5000 ms came back after 4500 ms, over the 3000 ms bound/);
  });

  it('counts a loss made good when the service is already at N (a surplus was lost)', () => {
    // Three RUNNING for an N of 2 (a surplus not yet killed); losing one leaves nothing missing.
    const s = webOfTwo().at(2_000).launch('web', 'web.3', 'agent-3').run('web.3').at(5_000).unreachable('agent-3');
    const result = check(lostTasksReplaced(), s.at(20_000).records, ctxOf({ endMs: 20_000 }));
    assert.equal(result.verdict, 'pass', result.detail);
    assert.match(result.detail, /the service was back at its N RUNNING after 0 ms/);
  });

  it('does not judge services whose replacement is disabled', () => {
    const s = webOfTwo().at(5_000).unreachable('agent-1').at(20_000);
    const ctx = ctxOf({ services: [{ name: 'web', instances: 2, inactiveAfterMs: Infinity }], endMs: 20_000 });
    const result = check(lostTasksReplaced(), s.records, ctx);
    assert.equal(result.verdict, 'pass');
    assert.match(result.detail, /1 loss\(es\) of services with replacement disabled not judged/);
  });

  it('sees losses of non-partition-aware frameworks (TASK_LOST) too', () => {
    const s = isolatedAndReplaced();
    const lost = s.records.filter((r) => r.type === 'task.updated' && r.state === 'TASK_UNREACHABLE').length;
    assert.equal(lost, 1);
    const result = check(lostTasksReplaced(), s.records);
    assert.equal(result.verdict, 'pass');
    const b = webOfTwo();
    b.subscribe('batch', { partitionAware: false }).at(1_500).launch('batch', 'b.1', 'agent-1').run('b.1').at(5_000).unreachable('agent-1');
    const onlyBatch = check(lostTasksReplaced(), b.at(20_000).records, ctxOf({ services: [{ name: 'batch', instances: 1, partitionAware: false }], endMs: 20_000 }));
    assert.equal(onlyBatch.verdict, 'fail');
    assert.match(onlyBatch.detail, /b.1 \(batch\) lost on m1-S1/);
  });
});

describe('services-converge', () => {
  it('passes the reference story, saying when it converged after the heal', () => {
    const result = check(servicesConverge(), referenceStory().records, referenceCtx());
    assert.equal(result.verdict, 'pass', result.detail);
    assert.match(result.detail, /web 2\/2 RUNNING at \+300 ms/);
  });

  it('counts tasks of a host that crashed and came back as a new agent as dead, even across a failover', () => {
    // web.1 ran on agent-1; the host dies, a new master never hears of web.1, web.3 replaces it, the host reboots.
    const s = webOfTwo().at(2_000).killHost('agent-1').at(3_000).elect('master-2');
    s.at(3_100).launch('web', 'web.3', 'agent-3').run('web.3');
    s.at(9_000).fault({ kind: 'heal' }).at(9_100).registerAgent('agent-1').at(20_000);
    const result = check(servicesConverge(), s.records, ctxOf({ livenessStartMs: 9_000, endMs: 20_000 }));
    assert.equal(result.verdict, 'pass', result.detail);
  });

  it('is not required without a liveness phase', () => {
    const result = check(servicesConverge(), webOfTwo().at(5_000).unreachable('agent-1').records, ctxOf({ livenessStartMs: null }));
    assert.equal(result.verdict, 'pass');
    assert.match(result.detail, /no liveness phase/);
  });

  it('fails with the reason when a replacement is stuck in STAGING and no offers came since the heal', () => {
    const s = webOfTwo().at(2_000).killHost('agent-1').at(5_000).unreachable('agent-1').at(5_500).launch('web', 'web.3', 'agent-3');
    const result = check(servicesConverge(), s.at(20_000).records, ctxOf({ livenessStartMs: 8_000 }));
    assert.equal(result.verdict, 'fail');
    assert.match(result.detail, /web: 1 of 2 RUNNING at the end \(no offers since the heal, 1 UNREACHABLE, 1 STAGING\)/);
  });

  it('fails naming the surplus when both the original and the replacement keep running', () => {
    const s = isolatedAndReplaced().at(8_000).fault({ kind: 'heal' }).at(8_200).reregister('agent-1');
    const result = check(servicesConverge(), s.at(20_000).records, referenceCtx());
    assert.equal(result.verdict, 'fail');
    assert.match(result.detail, /web: 3 of 2 RUNNING at the end \(the surplus was never killed\)/);
  });

  it('names a missing leader and a disconnected framework', () => {
    const s = webOfTwo().at(3_000).emit({ type: 'framework.disconnected', frameworkId: 'm1-0000', reason: 'test', epoch: 1 });
    s.at(4_000).emit({ type: 'node.stopped', node: 'master-1', role: 'master', reason: 'killed' }).status('web.2', 'TASK_FAILED');
    const result = check(servicesConverge(), s.records, ctxOf({ livenessStartMs: 2_000 }));
    assert.equal(result.verdict, 'fail');
    assert.match(result.detail, /\(no leading master at the end\)/);
    assert.match(result.detail, /framework m1-0000 disconnected, no leading master/);
  });

  it('fails a cluster left without a leader even though its tasks still run', () => {
    const s = webOfTwo().at(3_000).emit({ type: 'master.deposed', node: 'master-1', epoch: 1, reason: 'registry write failed' });
    const result = check(servicesConverge(), s.at(20_000).records, ctxOf({ livenessStartMs: 8_000 }));
    assert.equal(result.verdict, 'fail');
    assert.match(result.detail, /^no leading master at the end \(web 2\/2 RUNNING/);
  });

  it('fails a service whose framework never subscribed', () => {
    const result = check(servicesConverge(), webOfTwo().records, ctxOf({ services: [{ name: 'api', instances: 1 }], livenessStartMs: 0 }));
    assert.equal(result.verdict, 'fail');
    assert.match(result.detail, /api: its framework never subscribed/);
  });
});
