import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { noServiceOverlap } from '../../../src/chaos/checkers/index.js';
import { check, ctxOf, isolatedAndReplaced, referenceCtx, referenceStory, webOfTwo } from './scenarios.js';
import { res } from '../../helpers/resources.js';

describe('no-service-overlap', () => {
  it('passes the reference story: the replacement overlaps the original only inside its unreachable window', () => {
    const result = check(noServiceOverlap(), referenceStory().records, referenceCtx());
    assert.equal(result.verdict, 'pass', result.detail);
    assert.match(result.detail, /web peaked at 3\/2; 1 unreachable window/);
  });

  it('fails when the surplus is never killed after the agent comes back (neverKillSurplus)', () => {
    const s = isolatedAndReplaced().at(8_000).fault({ kind: 'heal' }).at(8_200).reregister('agent-1').at(20_000);
    const result = check(noServiceOverlap(), s.records, referenceCtx());
    assert.equal(result.verdict, 'fail');
    // Reregistered at 8,200 ms; the grace is 2 allocation intervals + one kill retry interval (5 s) + 1 s slack.
    assert.match(result.detail, /web had 3 active tasks at 16200 ms \(when the 8000 ms grace after reregistration ran out\), more than 2/);
  });

  it('passes a surplus killed within the grace, fails one killed after it', () => {
    const within = isolatedAndReplaced().at(8_200).reregister('agent-1').at(16_100).status('web.3', 'TASK_KILLED');
    assert.equal(check(noServiceOverlap(), within.records).verdict, 'pass');
    const late = isolatedAndReplaced().at(8_200).reregister('agent-1').at(16_300).status('web.3', 'TASK_KILLED');
    const result = check(noServiceOverlap(), late.records);
    assert.equal(result.verdict, 'fail');
    assert.match(result.detail, /at 16200 ms \(when the 8000 ms grace/);
  });

  it('holds a window open while a lossy link is in force (a kill of the surplus may be lost), then runs the grace from the heal plus one reconciliation interval', () => {
    const lossy = isolatedAndReplaced()
      .at(7_000)
      .fault({ kind: 'link', from: [], to: [], oneWay: false, spec: { loss: 0.2 } })
      .at(8_200)
      .reregister('agent-1')
      .at(15_000)
      .fault({ kind: 'heal' });
    const killedLate = lossy.at(22_900).status('web.3', 'TASK_KILLED');
    assert.equal(check(noServiceOverlap(), killedLate.records).verdict, 'pass', 'killed within the grace after the heal');
    const never = isolatedAndReplaced()
      .at(7_000)
      .fault({ kind: 'link', from: [], to: [], oneWay: false, spec: { loss: 0.2 } })
      .at(8_200)
      .reregister('agent-1')
      .at(15_000)
      .fault({ kind: 'heal' })
      .at(60_000);
    const result = check(noServiceOverlap(), never.records, ctxOf({ livenessStartMs: 8_000, endMs: 60_000 }));
    assert.equal(result.verdict, 'fail');
    // Healed at 15 s, + 30 s (the scheduler's reconciliation interval: the master's re-send may have been lost) + 8 s grace.
    assert.match(result.detail, /at 53000 ms \(when the 8000 ms grace/);
  });

  it('after a master failover, the grace runs from the framework’s resubscription, not from the agent’s', () => {
    const s = isolatedAndReplaced().at(8_000).elect('master-2').at(8_200).reregister('agent-1');
    s.at(12_000).emit({ type: 'framework.resubscribed', frameworkId: s.frameworkId('web'), name: 'web', node: 'scheduler-web', epoch: s.currentEpoch() });
    assert.equal(check(noServiceOverlap(), s.at(19_900).status('web.3', 'TASK_KILLED').records).verdict, 'pass', 'killed within the grace after it resubscribed');
    const never = isolatedAndReplaced().at(8_000).elect('master-2').at(8_200).reregister('agent-1');
    never.at(12_000).emit({ type: 'framework.resubscribed', frameworkId: never.frameworkId('web'), name: 'web', node: 'scheduler-web', epoch: never.currentEpoch() });
    const result = check(noServiceOverlap(), never.at(60_000).records, ctxOf({ livenessStartMs: 8_000, endMs: 60_000 }));
    assert.equal(result.verdict, 'fail');
    assert.match(result.detail, /at 50000 ms/);
  });

  it('fails when a replacement starts before the master gave the original up', () => {
    const s = webOfTwo().at(3_000).launch('web', 'web.3', 'agent-3').run('web.3');
    const result = check(noServiceOverlap(), s.records);
    assert.equal(result.verdict, 'fail');
    assert.match(result.detail, /web had 3 active tasks at 3000 ms, more than 2 outside unreachable windows \(web.1@agent-1 \(m1-S1\), web.2@agent-2/);
  });

  it('fails when one task id is active on two agents', () => {
    const s = webOfTwo().at(3_000);
    s.emit({ type: 'task.status', taskId: 'web.1', frameworkId: s.frameworkId('web'), agentId: 'm1-S3', host: 'agent-3', state: 'TASK_RUNNING', reason: null, uuid: 'dup' });
    const result = check(noServiceOverlap(), s.records);
    assert.equal(result.verdict, 'fail');
    assert.match(result.detail, /web.1 active on agent-1 \(m1-S1\) and agent-3 \(m1-S3\) at 3000 ms/);
  });

  it('counts tasks of a killed host as dead: a replacement after a host crash is no overlap', () => {
    const s = webOfTwo().at(2_000).killHost('agent-1').at(2_100).launch('web', 'web.3', 'agent-3').run('web.3');
    assert.equal(check(noServiceOverlap(), s.records).verdict, 'pass');
  });

  it('counts tasks of a restarted agent process again once the same agent id reregisters', () => {
    const s = webOfTwo().at(2_000).fault({ kind: 'restart-agent', node: 'agent-1' });
    s.emit({ type: 'node.stopped', node: 'agent-1', role: 'agent', reason: 'restarted' }).emit({ type: 'node.started', node: 'agent-1', role: 'agent' });
    // A scheduler that took the restart for a loss and launched a third task, no unreachable in sight:
    s.at(2_050).launch('web', 'web.3', 'agent-3').run('web.3');
    assert.equal(check(noServiceOverlap(), s.records).verdict, 'pass', 'web.1 is not counted while its agent is down');
    s.at(2_500).reregister('agent-1');
    const result = check(noServiceOverlap(), s.records);
    assert.equal(result.verdict, 'fail', 'web.1 survived the process restart: now there are three');
    assert.match(result.detail, /web had 3 active tasks at 2500 ms/);
  });

  it('does not revive a rebooted host’s old tasks: they died with the host', () => {
    const s = webOfTwo().at(2_000).killHost('agent-1').at(2_100).launch('web', 'web.3', 'agent-3').run('web.3');
    s.at(3_000).emit({ type: 'node.started', node: 'agent-1', role: 'agent' }).registerAgent('agent-1');
    // Even a stray reregistration of the old id (a confused master) cannot bring web.1 back to life.
    s.emit({ type: 'agent.reregistered', agentId: 'm1-S1', host: 'agent-1', resources: res('cpus:4;mem:4096'), epoch: 1 });
    assert.equal(check(noServiceOverlap(), s.records).verdict, 'pass');
  });

  it('does not count a dead process’s tasks on a reregistration it sent before it died (held by a clog, released later)', () => {
    const s = webOfTwo().at(2_000).killHost('agent-1').at(2_100).launch('web', 'web.3', 'agent-3').run('web.3');
    // The process is down; its old reregistration comes through late. web.1 is still dead.
    s.at(2_400).reregister('agent-1');
    assert.equal(check(noServiceOverlap(), s.records).verdict, 'pass');
    // Once the process runs again and reregisters the same id, its tasks count (a process restart).
    s.at(3_000).emit({ type: 'node.started', node: 'agent-1', role: 'agent' }).reregister('agent-1');
    assert.equal(check(noServiceOverlap(), s.records).verdict, 'fail', 'alive again: three web tasks');
  });

  it('opens a window when the scheduler is told a task is unreachable without an agent.unreachable (a mark that landed in the registry as its master was deposed)', () => {
    const s = webOfTwo();
    // A new master answers a reconciliation from the registry: web.1 on agent-1 is unreachable. No agent.unreachable record.
    s.at(5_000).emit({ type: 'status.delivered', frameworkId: s.frameworkId('web'), taskId: 'web.1', state: 'TASK_UNREACHABLE', reason: 'REASON_RECONCILIATION', uuid: null, epoch: 1 });
    s.at(5_400).launch('web', 'web.3', 'agent-3').at(5_600).run('web.3');
    s.at(8_200).reregister('agent-1');
    s.at(8_300).status('web.3', 'TASK_KILLED');
    const result = check(noServiceOverlap(), s.at(20_000).records, referenceCtx());
    assert.equal(result.verdict, 'pass', result.detail);
    // Still a violation when the surplus outlives the grace after the agent came back.
    const late = webOfTwo();
    late.at(5_000).emit({ type: 'status.delivered', frameworkId: late.frameworkId('web'), taskId: 'web.1', state: 'TASK_UNREACHABLE', reason: 'REASON_RECONCILIATION', uuid: null, epoch: 1 });
    late.at(5_400).launch('web', 'web.3', 'agent-3').at(5_600).run('web.3').at(8_200).reregister('agent-1');
    assert.equal(check(noServiceOverlap(), late.at(20_000).records, referenceCtx()).verdict, 'fail');
  });

  it('judges each service against its own N', () => {
    const s = webOfTwo().at(3_000).launch('web', 'web.3', 'agent-3').run('web.3');
    assert.equal(check(noServiceOverlap(), s.records, ctxOf({ services: [{ name: 'web', instances: 3 }] })).verdict, 'pass');
    assert.equal(check(noServiceOverlap(), s.records, ctxOf({ services: [{ name: 'api', instances: 1 }] })).verdict, 'pass', 'web is not a service here');
  });
});

describe('no-service-overlap findings', () => {
  it('say when and which records: the activations of the surplus tasks', () => {
    const s = isolatedAndReplaced().at(8_000).fault({ kind: 'heal' }).at(8_200).reregister('agent-1').at(20_000);
    const result = check(noServiceOverlap(), s.records, referenceCtx());
    const finding = result.findings?.[0];
    assert.ok(finding, 'a located finding');
    assert.equal(Math.round(finding.atMs), 16_200);
    assert.ok(finding.seqs.length >= 3, 'the records that made each of the 3 tasks active');
    for (const seq of finding.seqs) assert.equal(s.records.find((r) => r.seq === seq)?.type === 'task.status' || s.records.find((r) => r.seq === seq)?.type === 'agent.reregistered', true);
  });
});
