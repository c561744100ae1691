import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { jsonReport, junitReport, textReport, verdictLine } from '../../../src/chaos/report/index.js';
import type { RunResult } from '../../../src/chaos/runner/index.js';
import { FAST_TIMING } from '../../../src/core/timing.js';

/** A run as the runner returns it: a host killed, detected and made good, then the heal. */
function resultOf(overrides: Partial<RunResult> = {}): RunResult {
  return {
    scenario: 'agent-loss',
    file: 'scenarios/agent-loss.yaml',
    seed: '7',
    verdict: 'pass',
    exitCode: 0,
    interrupted: false,
    historyHash: 'ab'.repeat(32),
    simulatedMs: 9_400.25,
    wallMs: 85,
    checks: [
      { name: 'steady-before', kind: 'liveness', verdict: 'pass', detail: 'held after 1.2 s' },
      { name: 'no-service-overlap', kind: 'safety', verdict: 'pass', detail: 'no task on two agents' },
      { name: 'faults-bite', kind: 'sometimes', verdict: 'pass', detail: 'all 3 fault(s) bit' },
    ],
    faults: [
      { atMs: 1_200, kind: 'kill-agent', target: 'agent-3', fault: { kind: 'kill-agent', node: 'agent-3' }, phase: 'method' },
      { atMs: 6_200, kind: 'heal', target: 'all', fault: { kind: 'heal' }, phase: 'liveness' },
      { atMs: 6_200, kind: 'restart-agent', target: 'agent-3', fault: { kind: 'restart-agent', node: 'agent-3' }, phase: 'liveness' },
    ],
    recovery: [
      { fault: 'kill-agent agent-3', atMs: 1_200, detectedMs: 3_846.4, rescheduledMs: 4_980.2 },
      { fault: 'heal', atMs: 6_200, detectedMs: null, rescheduledMs: null },
      { fault: 'restart-agent agent-3', atMs: 6_200, detectedMs: null, rescheduledMs: null },
    ],
    recoverySummary: { p50DetectedMs: 3_846.4, maxDetectedMs: 3_846.4, p50RescheduledMs: 4_980.2, maxRescheduledMs: 4_980.2 },
    convergence: { converged: true, convergedAfterMs: 200.4, reasons: [] },
    stepFailures: [],
    history: [],
    reproduce: 'faultline run scenarios/agent-loss.yaml --seed 7',
    methodStartMs: 1_200,
    livenessStartMs: 6_200,
    checkContext: { timing: FAST_TIMING, services: [{ name: 'web', instances: 6, inactiveAfterMs: 0, partitionAware: true }], livenessStartMs: 6_200, endMs: 9_400.25 },
    ...overrides,
  };
}

const failed = (): RunResult =>
  resultOf({
    verdict: 'liveness',
    exitCode: 2,
    checks: [
      { name: 'method', kind: 'liveness', verdict: 'fail', detail: 'until service web running == 6 did not hold within 10s (was 4) (a.yaml:9:5)' },
      { name: 'no-service-overlap', kind: 'safety', verdict: 'pass', detail: 'fine' },
      { name: 'lost-tasks-replaced', kind: 'liveness', verdict: 'inconclusive', detail: '1 lost task(s) still unreplaced' },
    ],
    convergence: { converged: false, convergedAfterMs: null, reasons: ['no leader', 'web: 4 of 6 running, 2 stuck in STAGING'] },
  });

describe('text report', () => {
  it('has the header with seed and hash, a timeline with detections and recoveries, every check, the metrics and the verdict line', () => {
    const text = textReport(resultOf(), { description: 'Kill an agent.' });
    const lines = text.split('\n');
    assert.equal(lines[0], 'scenario agent-loss · seed 7 · scenarios/agent-loss.yaml');
    assert.equal(lines[1], '  Kill an agent.');
    assert.equal(lines[2], `history ${'ab'.repeat(32)}`);
    for (const line of [
      '  1.2 s  method starts',
      '  1.2 s  kill-agent agent-3',
      '  5.0 s    detected: kill-agent agent-3 (+3.8 s)',
      '  6.2 s    recovered: every task it cost running again (+5.0 s)',
      '  6.2 s  heal all [liveness]',
      '  6.2 s  restart-agent agent-3 [liveness]',
      '  6.4 s  converged (+0.2 s after the heal)',
      '  9.4 s  end',
      '  pass         no-service-overlap  no task on two agents',
      '  kill-agent agent-3  at 1.2 s  detect 3.8 s  reschedule 5.0 s',
      '  detect p50 3.8 s, max 3.8 s · reschedule p50 5.0 s, max 5.0 s',
    ]) {
      assert.ok(lines.includes(line), `missing line ${JSON.stringify(line)} in\n${text}`);
    }
    const timeline = lines.slice(lines.indexOf('timeline') + 1, lines.indexOf('checks') - 1);
    const times = timeline.map((l) => Number(l.trim().split(' ')[0]));
    assert.deepEqual(times, [...times].sort((a, b) => a - b), 'the timeline is in time order');
    assert.ok(!lines.some((l) => l.startsWith('  heal all  at')), 'restorative faults have no recovery line');
    assert.equal(lines.at(-1), 'agent-loss: pass (exit 0, seed 7)');
    assert.ok(!text.includes('reproduce:'), 'a pass needs no reproducer');
  });

  it('on failure marks the checks, lists why it did not converge and ends with the reproduce command', () => {
    const text = textReport(failed());
    assert.match(text, /\n {2}FAIL +method +until service web running == 6/);
    assert.match(text, /\n {2}INCONCLUSIVE lost-tasks-replaced +1 lost task/);
    assert.match(text, /not converged:\n {2}- no leader\n {2}- web: 4 of 6 running, 2 stuck in STAGING/);
    assert.ok(text.endsWith('agent-loss: liveness failure (exit 2, seed 7)\nreproduce: faultline run scenarios/agent-loss.yaml --seed 7'), text);
  });

  it('marks an interrupted run in the header and the verdict line', () => {
    const result = resultOf({ interrupted: true, verdict: 'inconclusive', exitCode: 3 });
    assert.match(textReport(result), /INTERRUPTED \(rollbacks ran\)/);
    assert.equal(verdictLine(result), 'agent-loss: interrupted at 9.4 s (seed 7); checks so far: inconclusive');
  });
});

describe('JSON report', () => {
  it('a live run says so, with how its network faults were applied and its notes', () => {
    const report = jsonReport({ ...failed(), live: { network: 'iptables: nodes on 127.0.0.x in network namespace flt-1-0', notes: ['clog agent-1: not applied live'], dir: '/tmp/x' } });
    assert.equal(report.runtime, 'live');
    assert.deepEqual(report.live, { network: 'iptables: nodes on 127.0.0.x in network namespace flt-1-0', notes: ['clog agent-1: not applied live'], dir: '/tmp/x' });
    const text = textReport({ ...failed(), live: { network: 'iptables: in flt-1-0', notes: ['a note'], dir: null } });
    assert.match(text, /live on real processes/);
    assert.match(text, /network faults: iptables: in flt-1-0\n {2}note: a note/);
  });

  it('has every field of JsonReport, in whole milliseconds, without the history', () => {
    const report = jsonReport(failed());
    assert.deepEqual(Object.keys(report).sort(), [
      'checks',
      'convergence',
      'exitCode',
      'faults',
      'file',
      'historyHash',
      'interrupted',
      'livenessStartMs',
      'methodStartMs',
      'recovery',
      'recoverySummary',
      'reproduce',
      'runtime',
      'scenario',
      'seed',
      'simulatedMs',
      'stepFailures',
      'verdict',
      'wallMs',
    ]);
    assert.equal(report.runtime, 'simulation');
    assert.equal(report.simulatedMs, 9_400);
    assert.deepEqual(report.checks[0], { name: 'method', kind: 'liveness', verdict: 'fail', detail: 'until service web running == 6 did not hold within 10s (was 4) (a.yaml:9:5)', findings: [] });
    assert.deepEqual(report.faults[0], { atMs: 1_200, kind: 'kill-agent', target: 'agent-3', phase: 'method', fault: { kind: 'kill-agent', node: 'agent-3' } });
    assert.deepEqual(report.recovery[0], { fault: 'kill-agent agent-3', atMs: 1_200, detectedMs: 3_846, rescheduledMs: 4_980 });
    assert.equal(report.convergence?.converged, false);
    assert.deepEqual(JSON.parse(JSON.stringify(report)), report, 'plain data');
  });
});

describe('JUnit report', () => {
  it('has one suite per scenario and one test case per check; failures for fail, skipped for inconclusive; seed and hash as properties', () => {
    const xml = junitReport([resultOf(), failed()]);
    assert.equal(xml.match(/<testsuite /g)?.length, 2);
    assert.equal(xml.match(/<testcase /g)?.length, 6);
    assert.match(xml, /<testsuites name="faultline" tests="6" failures="1" errors="0" skipped="1">/);
    assert.match(xml, /<testcase classname="faultline.agent-loss" name="method" file="scenarios\/agent-loss.yaml">\s*<failure message="until service web running == 6 did not hold within 10s \(was 4\) \(a.yaml:9:5\)" type="liveness"\/>/);
    assert.match(xml, /name="lost-tasks-replaced"[^>]*>\s*<skipped\/>/);
    assert.match(xml, /<property name="seed" value="7"\/>/);
    assert.match(xml, new RegExp(`<property name="historyHash" value="${'ab'.repeat(32)}"/>`));
  });
});

describe('the text report timeline: elections, launch-timeout kills, replacements; labels cut', () => {
  it('lists the milestones at their times among the faults', () => {
    const text = textReport(
      resultOf({
        milestones: [
          { atMs: 0, kind: 'election', text: 'leader elected: master-2 (epoch 1)' },
          { atMs: 5_100, kind: 'replacement', text: 'web: launched web.000007 on m-S1 (agent-1) replacing web.000003' },
          { atMs: 5_200, kind: 'launch-timeout', text: 'web: killing web.000009 on m-S2: not running after 5m (launch timeout)' },
        ],
      }),
    );
    const timeline = text.slice(text.indexOf('timeline'), text.indexOf('checks'));
    assert.match(timeline, /0\.0 s {4}leader elected: master-2 \(epoch 1\)\n/);
    assert.match(timeline, /5\.1 s {4}web: launched web\.000007 on m-S1 \(agent-1\) replacing web\.000003\n/);
    assert.match(timeline, /5\.2 s {4}web: killing web\.000009 on m-S2: not running after 5m \(launch timeout\)\n/);
    assert.ok(timeline.indexOf('kill-agent agent-3') < timeline.indexOf('replacing'), 'in time order');
  });

  it('cuts the label of a long partition', () => {
    const target = Array.from({ length: 40 }, (_, i) => `agent-${i + 1}`).join(',');
    const text = textReport(resultOf({ faults: [{ atMs: 1_200, kind: 'partition', target, fault: { kind: 'heal' }, phase: 'method' }], recovery: [] }));
    for (const line of text.split('\n')) assert.ok(line.length <= 120, `short line: ${line.length} chars: ${line.slice(0, 60)}...`);
    assert.match(text, /1\.2 s {2}partition agent-1,agent-2,.*\.\.\.\n/);
  });
});

describe('milestonesOf', () => {
  it('reads elections, launch-timeout kills and replacements from the history, bounded per kind', async () => {
    const { milestonesOf, MILESTONES_PER_KIND } = await import('../../../src/chaos/runner/milestones.js');
    const note = (seq: number, text: string) => ({ seq, atMs: seq, type: 'scheduler.note' as const, frameworkId: null, node: 'web-scheduler', app: 'web', note: text });
    const history = [
      { seq: 0, atMs: 0, type: 'master.elected' as const, node: 'master-1', masterId: 'm1', epoch: 1 },
      note(1, 'web.000001 not running after 5m: killing it'),
      note(2, '6/6 running'),
      ...Array.from({ length: MILESTONES_PER_KIND + 3 }, (_, i) => note(3 + i, `launched web.${i} on a-S1 (agent-1) replacing web.x${i}`)),
    ];
    const milestones = milestonesOf(history);
    assert.deepEqual(
      milestones.filter((m) => m.kind !== 'replacement').map((m) => m.text),
      ['leader elected: master-1 (epoch 1)', 'web: web.000001 not running after 5m: killing it'],
    );
    const replacements = milestones.filter((m) => m.kind === 'replacement');
    assert.equal(replacements.length, MILESTONES_PER_KIND + 1);
    assert.equal(replacements.at(-1)?.text, '... and 3 more replacements');
  });
});
