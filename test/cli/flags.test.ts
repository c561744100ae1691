/**
 * Flag errors: one clear line naming the flag and what it allows, exit 64,
 * for every command; and the limits that keep hostile values from hanging
 * or exhausting memory.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EXIT, exitCodesHelpLine } from '../../src/core/exit-codes.js';
import { runCli } from '../helpers/io.js';

const CASES: ReadonlyArray<readonly [string, readonly string[], RegExp]> = [
  ['a choice not offered', ['sim', '--timing', 'slow'], /^faultline: --timing: "slow" is not one of fast, mesos\n/],
  ['a negative duration', ['sim', '--duration', '-5s'], /^faultline: --duration: must not be negative, got "-5s"/],
  ['a duration of days', ['sim', '--duration', '100000d'], /^faultline: --duration: must be at most 24h, got "100000d"\n$/],
  ['a negative count', ['sim', '--agents', '-3'], /^faultline: --agents: must be a whole number from 1 to 100000, got -3\n$/],
  ['no agents for sim, as for up', ['sim', '--agents', '0'], /^faultline: --agents: must be a whole number from 1 to 100000, got 0\n$/],
  ['no agents for up', ['up', '--once', '--agents', '0'], /^faultline: --agents: must be a whole number from 1 to 100000, got 0\n$/],
  ['a billion agents', ['sim', '--agents', '1e9'], /^faultline: --agents: must be a whole number from 1 to 100000, got 1000000000\n$/],
  ['a flag with no value at the end', ['run', 'scenarios/kill-task.yaml', '--seed'], /^faultline: --seed: needs a value\n/],
  ['a flag with no value before another flag', ['sim', '--timing', '--json'], /^faultline: --timing: needs a value\n/],
  ['an empty seed', ['run', 'scenarios/kill-task.yaml', '--seed', ''], /^faultline: --seed: needs a value/],
  ['a missing scenario with --once', ['up', '--once', '--scenario', 'missing.yaml'], /^faultline: missing\.yaml: cannot read the scenario file \(ENOENT\)\n$/],
  ['a valid scenario with --once', ['up', '--once', '--scenario', 'scenarios/kill-task.yaml'], /^faultline: --scenario: runs inside the TUI, not with --once; for a headless run: faultline run scenarios\/kill-task\.yaml\n$/],
  ['a billion fuzz seeds', ['fuzz', '--seeds', '1000000000'], /^faultline: --seeds: must be a whole number from 1 to 100000, got 1000000000\n$/],
  ['--net without --live', ['run', 'scenarios/kill-task.yaml', '--net', 'transport'], /^faultline: --net: only with --live/],
  ['a live run of a scenario with no real counterpart', ['run', '--live', '--net', 'transport', 'scenarios/swizzle-clog.yaml'], /^faultline: scenarios\/swizzle-clog\.yaml: cannot run live: swizzle-clog: /],
  ['more workers than cores', ['fuzz', '--seeds', '2', '--workers', '100000'], /^faultline: --workers: must be a whole number from 0 to \d+, got 100000 \(0 runs in this thread; at most one per core\)\n$/],
];

describe('flag errors: one line naming the flag, exit 64', () => {
  for (const [what, argv, expected] of CASES) {
    it(what, async () => {
      const { code, out, err } = await runCli(...argv);
      assert.equal(code, EXIT.usage, `exit 64 for ${argv.join(' ')}; stderr: ${err}`);
      assert.match(err, expected);
      assert.equal(out, '');
    });
  }
});

describe('exit codes', () => {
  it('the top-level help lists every code from the one table, 130 and 141 among them', async () => {
    const { code, out } = await runCli('--help');
    assert.equal(code, 0);
    assert.ok(out.replace(/\s+/g, ' ').includes(exitCodesHelpLine()), out);
    assert.match(exitCodesHelpLine(), /130 interrupted/);
    assert.match(exitCodesHelpLine(), /141 output pipe closed/);
  });
});
