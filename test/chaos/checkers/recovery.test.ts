import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { percentile, recoveryMetrics, summariseRecovery, type RecoveryMetric } from '../../../src/chaos/checkers/index.js';
import { ctxOf, referenceStory, webOfTwo } from './scenarios.js';

describe('recoveryMetrics', () => {
  it('measures the reference story: partition detected after 3 s, the service whole again 3.6 s after it', () => {
    const metrics = recoveryMetrics(referenceStory().records, ctxOf());
    assert.deepEqual(metrics, [
      { fault: 'partition [agent-1] | [master-1,agent-2,agent-3,scheduler-web]', atMs: 2_000, detectedMs: 3_000, rescheduledMs: 3_600 },
      { fault: 'heal', atMs: 8_000, detectedMs: null, rescheduledMs: null },
    ]);
  });

  it('waits for every task the fault cost: two agents killed, the second replaced later', () => {
    const s = webOfTwo();
    s.at(2_000).killHost('agent-1').killHost('agent-2');
    s.at(5_000).unreachable('agent-1').unreachable('agent-2');
    s.at(5_500).launch('web', 'web.3', 'agent-3').run('web.3');
    s.at(7_000).launch('web', 'web.4', 'agent-3').run('web.4');
    const metrics = recoveryMetrics(s.records, ctxOf());
    assert.deepEqual(
      metrics.map((m) => [m.fault, m.detectedMs, m.rescheduledMs]),
      [
        ['kill-agent agent-1', 3_000, 3_500],
        ['kill-agent agent-2', 3_000, 5_000],
      ],
    );
  });

  it('the same host failing again: each fault is measured from itself, not from the first (24 s reported, 1.2 s real)', () => {
    const s = webOfTwo().at(2_000).killHost('agent-1').at(5_000).unreachable('agent-1');
    s.at(5_500).launch('web', 'web.3', 'agent-3').run('web.3');
    s.at(6_000).fault({ kind: 'restart-agent', node: 'agent-1' }).emit({ type: 'node.started', node: 'agent-1', role: 'agent' }).registerAgent('agent-1');
    s.at(7_000).launch('web', 'web.4', 'agent-1').run('web.4');
    s.at(20_000).fault({ kind: 'partition', groups: [['agent-1'], ['master-1', 'agent-2', 'agent-3', 'scheduler-web']], oneWay: false });
    s.at(24_000).unreachable('agent-1').at(25_200).launch('web', 'web.5', 'agent-2').run('web.5');
    const metrics = recoveryMetrics(s.records, ctxOf({ services: [{ name: 'web', instances: 3 }] }));
    assert.deepEqual(
      metrics.map((m) => [m.fault, m.detectedMs, m.rescheduledMs]),
      [
        ['kill-agent agent-1', 3_000, 3_500],
        ['restart-agent agent-1', null, null],
        ['partition [agent-1] | [master-1,agent-2,agent-3,scheduler-web]', 4_000, 5_200],
      ],
    );
  });

  it('leaves rescheduled null while a lost task is never replaced', () => {
    const s = webOfTwo().at(2_000).killHost('agent-1').at(5_000).unreachable('agent-1');
    assert.deepEqual(recoveryMetrics(s.records, ctxOf()), [{ fault: 'kill-agent agent-1', atMs: 2_000, detectedMs: 3_000, rescheduledMs: null }]);
  });

  it('leaves rescheduled null when only some of the tasks a fault cost came back', () => {
    const s = webOfTwo().at(2_000).fault({ kind: 'partition', groups: [['agent-1', 'agent-2'], ['master-1', 'agent-3']], oneWay: false });
    s.at(5_000).unreachable('agent-1').unreachable('agent-2').at(5_500).launch('web', 'web.3', 'agent-3').run('web.3');
    assert.deepEqual(recoveryMetrics(s.records, ctxOf()), [
      { fault: 'partition [agent-1,agent-2] | [master-1,agent-3]', atMs: 2_000, detectedMs: 3_000, rescheduledMs: null },
    ]);
  });

  it('counts a fault that cost only a surplus task as recovered at once', () => {
    const s = webOfTwo().at(1_500).launch('web', 'web.3', 'agent-3').run('web.3');
    s.at(2_000).killHost('agent-3').at(5_000).unreachable('agent-3');
    assert.deepEqual(recoveryMetrics(s.records, ctxOf()), [{ fault: 'kill-agent agent-3', atMs: 2_000, detectedMs: 3_000, rescheduledMs: 3_000 }]);
  });

  it('times a killed task to its end and its replacement', () => {
    const s = webOfTwo().at(2_000).fault({ kind: 'kill-task', taskId: 'web.2', frameworkId: 'm1-0000' });
    s.at(2_040).status('web.2', 'TASK_KILLED').at(3_100).launch('web', 'web.3', 'agent-3').at(3_300).run('web.3');
    assert.deepEqual(recoveryMetrics(s.records, ctxOf()), [{ fault: 'kill-task web.2', atMs: 2_000, detectedMs: 40, rescheduledMs: 1_300 }]);
  });

  it('times a failover to the new leader; no task had to move', () => {
    const s = webOfTwo().at(2_000).fault({ kind: 'kill-master', node: 'master-1' }).emit({ type: 'node.stopped', node: 'master-1', role: 'master', reason: 'killed' });
    s.at(4_500).elect('master-2');
    assert.deepEqual(recoveryMetrics(s.records, ctxOf()), [{ fault: 'kill-master master-1', atMs: 2_000, detectedMs: 2_500, rescheduledMs: null }]);
  });

  it('ignores tasks of frameworks that are not services of the run', () => {
    const s = webOfTwo().at(2_000).killHost('agent-1').at(5_000).unreachable('agent-1');
    assert.deepEqual(recoveryMetrics(s.records, ctxOf({ services: [{ name: 'api', instances: 1 }] }))[0]?.rescheduledMs, null);
  });
});

describe('summariseRecovery', () => {
  const m = (detectedMs: number | null, rescheduledMs: number | null): RecoveryMetric => ({ fault: 'f', atMs: 0, detectedMs, rescheduledMs });

  it('takes the nearest-rank median and the maximum, skipping nulls', () => {
    assert.deepEqual(summariseRecovery([m(3_000, 3_600), m(1_000, null), m(2_000, 5_000), m(null, 4_000)]), {
      p50DetectedMs: 2_000,
      maxDetectedMs: 3_000,
      p50RescheduledMs: 4_000,
      maxRescheduledMs: 5_000,
    });
  });

  it('gives nulls when nothing recovered', () => {
    assert.deepEqual(summariseRecovery([m(null, null)]), { p50DetectedMs: null, maxDetectedMs: null, p50RescheduledMs: null, maxRescheduledMs: null });
    assert.deepEqual(summariseRecovery([]), { p50DetectedMs: null, maxDetectedMs: null, p50RescheduledMs: null, maxRescheduledMs: null });
  });

  const table: Array<[number[], number, number | null]> = [
    [[], 0.5, null],
    [[7], 0.5, 7],
    [[4, 1, 3, 2], 0.5, 2],
    [[5, 1, 4, 2, 3], 0.5, 3],
    [[5, 1, 4, 2, 3], 1, 5],
    [[10, 20, 30, 40, 50, 60, 70, 80, 90, 100], 0.9, 90],
  ];
  for (const [values, q, want] of table) {
    it(`percentile(${JSON.stringify(values)}, ${q}) = ${want}`, () => assert.equal(percentile(values, q), want));
  }
});
