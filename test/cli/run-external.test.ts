/**
 * `faultline run` with an external framework (test/fixtures/external-scheduler.mjs,
 * a real process speaking the v1 HTTP API to the served simulated cluster,
 * paced to the wall clock): it keeps its tasks through an agent loss and the
 * run passes; broken on purpose (it ignores TASK_UNREACHABLE) the run fails
 * with exit 2.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../helpers/io.js';

describe('faultline run with an external framework', { timeout: 120_000 }, () => {
  it('a scheduler that replaces its lost task passes (exit 0)', async () => {
    const { code, out, err } = await runCli('run', 'test/fixtures/scenarios/external/agent-loss.yaml');
    assert.equal(code, 0, `${out}\n${err}`);
    assert.match(out, /external-agent-loss: pass \(exit 0/);
    assert.match(out, /updates-delivered-in-order\s+\d+ agent updates delivered in order, \d+ acknowledgements after delivery/);
  });

  it('a scheduler that ignores TASK_UNREACHABLE fails (exit 2)', async () => {
    const { code, out, err } = await runCli('run', 'test/fixtures/scenarios/external/ignores-unreachable.yaml');
    assert.equal(code, 2, `${out}\n${err}`);
    assert.match(out, /until service ext running == 3 did not hold within 20s/);
  });
});
