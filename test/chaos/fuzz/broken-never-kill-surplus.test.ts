/**
 * The fuzzer has teeth on worker threads too: with a service scheduler that
 * never kills the surplus after a heal, it finds a safety failure within 200
 * seeds, shrinks it to at most 2 faults, and the written file reproduces it.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { WorkerPool } from '../../../src/chaos/fuzz/index.js';
import { fuzzWorkerUrl } from '../../../src/cli/sim-runtime.js';
import { fuzzWithBug, replay } from './broken-helpers.js';

describe('fuzz against a scheduler that never kills the surplus', () => {
  it('neverKillSurplus on worker threads: a safety failure, shrunk to at most 2 faults, reproduced by the file', async () => {
    const bugs = { web: { neverKillSurplus: true } };
    // Paused agents come back (the heal resumes them) and that is what this bug mishandles.
    const { summary, cleanup } = await fuzzWithBug(new WorkerPool({ workers: 2, workerUrl: fuzzWorkerUrl(), bugs }), ['pause-agent']);
    after(cleanup);
    const failure = summary.failures[0];
    assert.ok(failure, 'a failing seed was found');
    assert.ok(failure.seed <= 200);
    assert.equal(failure.verdict, 'safety');
    assert.equal(summary.exitCode, 1);
    assert.ok(failure.faultsAfter !== null && failure.faultsAfter <= 2, `${failure.faultsBefore} -> ${failure.faultsAfter} faults`);
    assert.equal(failure.reproduces, true);
    assert.ok(failure.shrunkFile !== null);
    assert.equal((await replay(failure.shrunkFile, bugs)).exitCode, 1, 'faultline run exits 1 (safety) on the shrunk file');
    assert.equal((await replay(failure.shrunkFile)).exitCode, 0);
  });
});
