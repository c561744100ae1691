/**
 * The fuzzer has teeth: with a service scheduler that ignores TASK_UNREACHABLE
 * it finds a failing seed within 200 seeds, shrinks the schedule to at most 2
 * faults, and `faultline run` on the written file reproduces the failure, while
 * the same file passes with the healthy scheduler.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { inProcessExecutor } from '../../../src/chaos/fuzz/index.js';
import { runScenario } from '../../../src/cli/sim-runtime.js';
import { fuzzWithBug, replay } from './broken-helpers.js';

describe('fuzz against a scheduler that ignores TASK_UNREACHABLE', () => {
  it('ignoreUnreachable: found within 200 seeds, shrunk to at most 2 faults, and the file reproduces it', async () => {
    const bugs = { web: { ignoreUnreachable: true } };
    const { summary, cleanup } = await fuzzWithBug(inProcessExecutor(runScenario, { bugs }));
    after(cleanup);
    const failure = summary.failures[0];
    assert.ok(failure, 'a failing seed was found');
    assert.ok(failure.seed >= 1 && failure.seed <= 200);
    assert.equal(failure.verdict, 'liveness');
    assert.equal(summary.exitCode, 2);
    assert.match(failure.detail, /web/);
    assert.ok(failure.faultsAfter !== null && failure.faultsAfter >= 1 && failure.faultsAfter <= 2, `${failure.faultsBefore} -> ${failure.faultsAfter} faults`);
    assert.equal(failure.reproduces, true);
    assert.equal(failure.reproduce, `faultline fuzz --seeds 1 --start ${failure.seed} --faults kill-agent,pause-agent --duration 2m`);
    const file = failure.shrunkFile;
    assert.ok(file !== null);
    assert.equal(failure.replay, `faultline run ${file}`);

    const broken = await replay(file, bugs);
    assert.equal(broken.exitCode, 2, 'faultline run exits 2 (liveness) on the shrunk file');
    assert.equal(broken.verdict, 'liveness');
    assert.equal(broken.faults, failure.faultsAfter);
    const healthy = await replay(file);
    assert.equal(healthy.exitCode, 0, 'the healthy scheduler passes the same schedule: the bug is what failed');
    assert.equal((await replay(file, bugs)).historyHash, broken.historyHash, 'the file replays to the same history');
  });
});
