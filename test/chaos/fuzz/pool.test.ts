import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultBaseScenario, FuzzPoolError, WorkerPool } from '../../../src/chaos/fuzz/index.js';
import { fuzzWorkerUrl } from '../../../src/cli/sim-runtime.js';
import type { Scenario } from '../../../src/chaos/scenario/index.js';

const base = defaultBaseScenario();
const fake = new URL('./fixtures/fake-worker.ts', import.meta.url);
const scenario = (seed: number, name = 'fuzz'): Scenario => ({ ...base, name, seed: String(seed) });

describe('WorkerPool', () => {
  it('the CLI names its fuzz worker, as TypeScript under tsx', () => {
    assert.match(fuzzWorkerUrl().href, /\/src\/cli\/fuzz-worker\.ts$/);
  });

  it('spreads jobs over its threads and answers each job with its own result', async () => {
    const pool = new WorkerPool({ workers: 2, workerUrl: fake, bugs: { web: { ignoreUnreachable: true } } });
    try {
      const summaries = await Promise.all(Array.from({ length: 12 }, (_, i) => pool.run(scenario(i + 1))));
      assert.deepEqual(summaries.map((s) => s.historyHash.split('@')[0]), Array.from({ length: 12 }, (_, i) => String(i + 1)));
      const threads = new Set(summaries.map((s) => s.historyHash.split('@')[1]));
      assert.equal(threads.size, 2, 'both workers ran jobs');
      assert.equal(summaries[0]?.detail, JSON.stringify({ web: { ignoreUnreachable: true } }), 'workers get the bugs');
    } finally {
      await pool.close();
    }
  });

  it('fails the job of a worker that dies, replaces the worker, and goes on', async () => {
    const pool = new WorkerPool({ workers: 1, workerUrl: fake });
    try {
      const before = await pool.run(scenario(1));
      await assert.rejects(pool.run(scenario(2, 'crash')), /exited with code 3/);
      const after = await pool.run(scenario(3));
      assert.equal(after.historyHash.split('@')[0], '3');
      assert.notEqual(after.historyHash.split('@')[1], before.historyHash.split('@')[1], 'a new thread');
      await assert.rejects(pool.run(scenario(4, 'throw')), /cannot run seed 4/);
    } finally {
      await pool.close();
    }
  });

  it('gives up at once with FuzzPoolError when no worker can start', async () => {
    const pool = new WorkerPool({ workers: 2, workerUrl: new URL('./fixtures/broken-worker.ts', import.meta.url) });
    try {
      const first = pool.run(scenario(1));
      const second = pool.run(scenario(2));
      await assert.rejects(first, (error: unknown) => error instanceof FuzzPoolError && /could not start: .*this worker cannot start/.test(error.message));
      await assert.rejects(second, FuzzPoolError);
      await assert.rejects(pool.run(scenario(3)), FuzzPoolError);
    } finally {
      await pool.close();
    }
  });

  it('rejects runs after close', async () => {
    const pool = new WorkerPool({ workers: 1, workerUrl: fake });
    await pool.close();
    await assert.rejects(pool.run(scenario(1)), /closed/);
  });
});
