import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { captureIo, runCli } from '../helpers/io.js';
import { runCommand } from '../../src/cli/commands/run.js';

const SCENARIOS = join(import.meta.dirname, '../../scenarios');

interface JsonVerdicts {
  verdict: string;
  exitCode: number;
  historyHash: string;
  checks: Array<{ name: string; verdict: string; detail: string }>;
}

/** Runs a scenario with --history and returns its JSON report. */
async function runWithHistory(scenario: string, history: string, bugs?: Record<string, { neverKillSurplus?: boolean; ignoreUnreachable?: boolean }>): Promise<JsonVerdicts & { code: number }> {
  const c = captureIo();
  const code = await runCommand({ scenarios: [join(SCENARIOS, scenario)], json: true, quiet: false, history }, c.io, bugs ? { bugs } : {});
  return { ...(JSON.parse(c.stdout()) as JsonVerdicts), code };
}

/** The run's verdicts of the history checkers (the runner's own phase checks cannot be re-run offline). */
function historyChecks(report: JsonVerdicts, names: readonly string[]): Array<[string, string, string]> {
  return report.checks.filter((c) => names.includes(c.name)).map((c) => [c.name, c.verdict, c.detail]);
}

describe('faultline check', () => {
  let dir = '';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'faultline-check-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('gives the same verdicts and details as the run, from the sidecar', async () => {
    const history = join(dir, 'loss.jsonl');
    const run = await runWithHistory('agent-loss.yaml', history);
    const r = await runCli('check', history, '--json');
    const checked = JSON.parse(r.out) as JsonVerdicts & { expectations: string; hashMatchesRun: boolean };
    assert.equal(r.code, 0, r.err);
    assert.equal(checked.historyHash, run.historyHash);
    assert.equal(checked.hashMatchesRun, true);
    assert.equal(checked.expectations, `${history}.meta.json`);
    const names = checked.checks.map((c) => c.name);
    assert.equal(names.length, 13, "every history checker, the five new ones included");
    assert.deepEqual(historyChecks(run, names), checked.checks.map((c) => [c.name, c.verdict, c.detail]));
  });

  it('finds the same safety violation offline as the run did (a scheduler that never kills the surplus), exit 1', async () => {
    const history = join(dir, 'surplus.jsonl');
    const run = await runWithHistory('partition-heal.yaml', history, { web: { neverKillSurplus: true } });
    assert.equal(run.code, 1);
    const r = await runCli('check', history);
    assert.equal(r.code, 1);
    assert.match(r.out, /\n {2}FAIL +no-service-overlap +1 overlap\(s\): web had 8 active tasks/);
    assert.match(r.out, /\npartition-heal: safety violation \(exit 1, seed 1\)\n$/);
    const json = JSON.parse((await runCli('check', history, '--json')).out) as JsonVerdicts;
    const names = json.checks.map((c) => c.name);
    assert.deepEqual(historyChecks(run, names), json.checks.map((c) => [c.name, c.verdict, c.detail]));
  });

  it('without a sidecar reads the expectations from the history and reaches the same verdicts', async () => {
    const history = join(dir, 'bare.jsonl');
    const run = await runWithHistory('partition-heal.yaml', history, { web: { neverKillSurplus: true } });
    renameSync(`${history}.meta.json`, join(dir, 'moved.meta.json'));
    const r = await runCli('check', history, '--json');
    const checked = JSON.parse(r.out) as JsonVerdicts & { expectations: string };
    assert.equal(checked.expectations, 'inferred from the history (no sidecar)');
    assert.equal(r.code, 1);
    const verdicts = (rows: Array<[string, string, string]>) => rows.map(([name, verdict]) => [name, verdict]);
    assert.deepEqual(
      verdicts(historyChecks(run, checked.checks.map((c) => c.name))),
      checked.checks.map((c) => [c.name, c.verdict]),
    );
    const text = await runCli('check', history);
    assert.match(text.out, /\nexpectations inferred from the history \(no sidecar\): fast timing; web x6; liveness from \d+ ms; end \d+ ms\n/);
  });

  it('a malformed line is a one-line error naming file:line, exit 64', async () => {
    const history = join(dir, 'broken.jsonl');
    await runWithHistory('kill-task.yaml', history);
    const lines = readFileSync(history, 'utf8').split('\n');
    lines[4] = '{"seq": 4, "atMs": oops}';
    writeFileSync(history, lines.join('\n'));
    const r = await runCli('check', history);
    assert.equal(r.code, 64);
    assert.equal(r.out, '');
    assert.match(r.err, new RegExp(`^faultline: ${history.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:5: not JSON: [^\\n]*\\n$`));
  });

  it('a malformed sidecar and a missing file are one-line errors, exit 64', async () => {
    const history = join(dir, 'meta.jsonl');
    await runWithHistory('kill-task.yaml', history);
    writeFileSync(`${history}.meta.json`, '{"kind": "something else"}');
    const bad = await runCli('check', history);
    assert.equal(bad.code, 64);
    assert.match(bad.err, /^faultline: .*meta.jsonl.meta.json: not a faultline history sidecar/);
    const missing = await runCli('check', join(dir, 'nope.jsonl'));
    assert.equal(missing.code, 64);
    assert.match(missing.err, /^faultline: .*nope.jsonl: cannot read: /);
  });
});
