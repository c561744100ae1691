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

describe('faultline check refuses a history it cannot judge', () => {
  let dir = '';
  let history = '';
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'faultline-check-damaged-'));
    history = join(dir, 'kill.jsonl');
    const c = captureIo();
    await runCommand({ scenarios: [join(SCENARIOS, 'kill-task.yaml')], json: true, quiet: false, history }, c.io);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('an empty history is an input error (64), not a pass', async () => {
    const empty = join(dir, 'empty.jsonl');
    writeFileSync(empty, '');
    const r = await runCli('check', empty);
    assert.equal(r.code, 64);
    assert.equal(r.err, `faultline: ${empty}: the history is empty: nothing to check (was it written by faultline run --history?)\n`);
  });

  it('a history with one line deleted is a damaged file (64), not a safety violation', async () => {
    const lines = readFileSync(history, 'utf8').split('\n');
    const cut = join(dir, 'cut.jsonl');
    writeFileSync(cut, [...lines.slice(0, 40), ...lines.slice(41)].join('\n'));
    const r = await runCli('check', cut);
    assert.equal(r.code, 64, r.out);
    assert.match(r.err, new RegExp(`^faultline: ${cut.replace(/[.]/g, '\\.')}:41: damaged history: seq jumps from 39 to 41 \\(1 line missing\\)\\n$`));
  });

  it('a history whose head is cut is a damaged file', async () => {
    const lines = readFileSync(history, 'utf8').split('\n');
    const headless = join(dir, 'headless.jsonl');
    writeFileSync(headless, lines.slice(1).join('\n'));
    const r = await runCli('check', headless);
    assert.equal(r.code, 64);
    assert.match(r.err, /:1: damaged history: it starts with \S+ \(seq 1\), not cluster\.started: its head is missing\n$/);
  });

  it('a history written by another faultline version is judged with a warning saying so', async () => {
    const meta = JSON.parse(readFileSync(`${history}.meta.json`, 'utf8')) as Record<string, unknown>;
    assert.equal(meta.faultline, (await import('../../src/cli/version.js')).version, 'the sidecar records the version');
    const old = join(dir, 'old.jsonl');
    writeFileSync(old, readFileSync(history));
    writeFileSync(`${old}.meta.json`, JSON.stringify({ ...meta, faultline: '0.0.1' }));
    const r = await runCli('check', old);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^warning: the history was written by faultline 0\.0\.1; this is faultline \S+: the checkers may judge it differently$/m);
  });
});
