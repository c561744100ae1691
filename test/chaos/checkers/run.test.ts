import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { allCheckers, runCheckers } from '../../../src/chaos/checkers/index.js';
import { isolatedAndReplaced, referenceCtx, referenceStory } from './scenarios.js';

describe('runCheckers', () => {
  it('runs every checker, safety first, and the reference story passes them all', () => {
    const results = runCheckers(referenceStory().records, referenceCtx());
    assert.deepEqual(
      results.map((r) => [r.name, r.kind, r.verdict]),
      [
        ['offers-never-oversubscribe', 'safety', 'pass'],
        ['no-service-overlap', 'safety', 'pass'],
        ['legal-task-transitions', 'safety', 'pass'],
        ['updates-delivered-in-order', 'safety', 'pass'],
        ['one-leader-per-epoch', 'safety', 'pass'],
        ['no-stale-epoch', 'safety', 'pass'],
        ['registry-write-first', 'safety', 'pass'],
        ['offers-honour-filters', 'safety', 'pass'],
        ['batch-runs-once', 'safety', 'pass'],
        ['lost-tasks-replaced', 'liveness', 'pass'],
        ['services-converge', 'liveness', 'pass'],
        ['agent-updates-delivered', 'liveness', 'pass'],
        ['faults-bite', 'sometimes', 'pass'],
      ],
    );
    for (const r of results) assert.ok(r.detail.length > 0, `${r.name} explains itself`);
  });

  it('gives fresh checkers each time (no state leaks between runs)', () => {
    const [a, b] = [allCheckers(), allCheckers()];
    assert.equal(a.length, b.length);
    for (let i = 0; i < a.length; i += 1) assert.notEqual(a[i], b[i]);
    const bad = isolatedAndReplaced().at(8_200).reregister('agent-1').at(20_000);
    assert.equal(runCheckers(bad.records, referenceCtx()).find((r) => r.name === 'no-service-overlap')?.verdict, 'fail');
    assert.equal(runCheckers(referenceStory().records, referenceCtx()).find((r) => r.name === 'no-service-overlap')?.verdict, 'pass');
  });

  it('flags a surplus never killed as a safety failure and a liveness failure, not the others', () => {
    const s = isolatedAndReplaced().at(8_000).fault({ kind: 'heal' }).at(8_200).reregister('agent-1').at(20_000);
    const failed = runCheckers(s.records, referenceCtx())
      .filter((r) => r.verdict !== 'pass')
      .map((r) => `${r.name}:${r.verdict}`);
    assert.deepEqual(failed, ['no-service-overlap:fail', 'services-converge:fail']);
  });
});
