import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { captureIo, runCli } from '../helpers/io.js';
import { runCommand, historyPathsOf, EXIT_INTERRUPTED, type RunFlags } from '../../src/cli/commands/run.js';

const BROKEN = join(import.meta.dirname, '../fixtures/scenarios/broken');
const SCENARIOS = join(import.meta.dirname, '../../scenarios');

/** Broken files, where the error must point, and a piece of what it says (the parser's own tests check the messages in full). */
const broken: ReadonlyArray<{ file: string; at: string; says: string }> = [
  { file: 'bad-yaml.yaml', at: '4:1', says: 'invalid YAML' },
  { file: 'unknown-top-key.yaml', at: '3:1', says: 'unknown key "metod" in the scenario, did you mean "method"?' },
  { file: 'unknown-nested-key.yaml', at: '5:3', says: 'did you mean "agents"?' },
  { file: 'wrong-type.yaml', at: '4:12', says: 'masters must be a whole number' },
  { file: 'unknown-fault.yaml', at: '5:5', says: 'unknown step "kill-agnet"' },
  { file: 'bad-target.yaml', at: '6:17', says: 'unknown agent "agent-9"' },
  { file: 'wrong-target-kind.yaml', at: '4:17', says: 'kill-agent cannot target "leader"' },
  { file: 'missing-deadline.yaml', at: '5:5', says: 'until needs a deadline' },
  { file: 'bad-duration.yaml', at: '4:11', says: 'is not a duration' },
  { file: 'bad-condition.yaml', at: '6:17', says: 'unknown task state "runing"' },
  { file: 'negative-count.yaml', at: '6:18', says: 'instances must be at least 0' },
  { file: 'duplicate-key.yaml', at: '5:1', says: 'duplicate key "name"' },
  { file: 'empty.yaml', at: '1:1', says: 'the file is empty' },
  { file: 'tabs.yaml', at: '4:1', says: 'indent with spaces, not tabs' },
  { file: 'bad-probability.yaml', at: '4:45', says: 'loss must be between 0 and 1' },
  { file: 'too-big-app.yaml', at: '6:51', says: 'more than any agent has' },
];

describe('faultline run: broken scenario files', () => {
  for (const b of broken) {
    it(`${b.file}: one line with its location on stderr, exit 64`, async () => {
      const path = join(BROKEN, b.file);
      const r = await runCli('run', path);
      assert.equal(r.code, 64);
      assert.equal(r.out, '');
      const lines = r.err.split('\n').filter((l) => l !== '');
      assert.equal(lines.length, 1, r.err);
      assert.ok(lines[0]?.startsWith(`faultline: ${path}:${b.at}: `), lines[0]);
      assert.ok(lines[0]?.includes(b.says), lines[0]);
      assert.doesNotMatch(r.err, /\n\s+at /, 'no stack trace');
    });
  }

  it('refuses the whole run before running anything when one of several files is broken', async () => {
    const r = await runCli('run', join(SCENARIOS, 'kill-task.yaml'), join(BROKEN, 'unknown-top-key.yaml'));
    assert.equal(r.code, 64);
    assert.equal(r.out, '', 'kill-task was not run');
  });

  it('a missing file is a one-line error, exit 64', async () => {
    const r = await runCli('run', 'no/such/file.yaml');
    assert.equal(r.code, 64);
    assert.equal(r.err, 'faultline: no/such/file.yaml: cannot read the scenario file (ENOENT)\n');
  });
});

describe('faultline run: reports and outputs', () => {
  let dir = '';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'faultline-run-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('prints the text report with the seed and the hash, and exits 0 on a pass', async () => {
    const r = await runCli('run', join(SCENARIOS, 'kill-task.yaml'), '--seed', '3');
    assert.equal(r.code, 0, r.out + r.err);
    assert.match(r.out, /^scenario kill-task · seed 3 · /);
    assert.match(r.out, /\nhistory [0-9a-f]{64}\n/);
    assert.match(r.out, /\ntimeline\n/);
    assert.match(r.out, /\nchecks\n/);
    assert.match(r.out, /\nrecovery \(/);
    assert.match(r.out, /\nkill-task: pass \(exit 0, seed 3\)\n$/);
  });

  it('--json prints one object for one scenario and an array for several, with every field', async () => {
    const one = await runCli('run', join(SCENARIOS, 'kill-task.yaml'), '--json');
    const report = JSON.parse(one.out) as Record<string, unknown>;
    assert.equal(one.code, 0);
    for (const key of ['scenario', 'seed', 'verdict', 'historyHash', 'simulatedMs', 'wallMs', 'checks', 'faults', 'recovery', 'interrupted', 'exitCode', 'convergence', 'reproduce']) {
      assert.ok(key in report, `missing ${key}`);
    }
    assert.equal(report.verdict, 'pass');
    assert.equal(report.interrupted, false);
    const checks = report.checks as Array<Record<string, unknown>>;
    assert.ok(checks.length >= 8 && checks.every((c) => typeof c.name === 'string' && typeof c.verdict === 'string' && typeof c.detail === 'string'));
    const faults = report.faults as Array<Record<string, unknown>>;
    assert.ok(faults.every((f) => typeof f.atMs === 'number' && typeof f.kind === 'string' && typeof f.target === 'string'));
    const recovery = report.recovery as Array<Record<string, unknown>>;
    assert.ok(recovery.length > 0 && recovery.every((m) => 'fault' in m && 'detectedMs' in m && 'rescheduledMs' in m));

    const two = await runCli('run', join(SCENARIOS, 'kill-task.yaml'), join(SCENARIOS, 'master-failover.yaml'), '--json');
    const reports = JSON.parse(two.out) as Array<{ scenario: string }>;
    assert.deepEqual(
      reports.map((x) => x.scenario),
      ['kill-task', 'master-failover'],
    );
  });

  it('--quiet prints one verdict line per scenario; the exit code is the worst verdict', async () => {
    const r = await runCli('run', join(SCENARIOS, 'kill-task.yaml'), join(SCENARIOS, 'master-failover.yaml'), '--quiet');
    assert.equal(r.out, 'kill-task: pass (exit 0, seed 1)\nmaster-failover: pass (exit 0, seed 1)\n2 passed, 0 failed, 0 inconclusive\n');
    assert.equal(r.code, 0);
    const c = captureIo();
    const flags: RunFlags = { scenarios: [join(SCENARIOS, 'kill-task.yaml'), join(SCENARIOS, 'agent-loss.yaml')], json: false, quiet: true };
    const code = await runCommand(flags, c.io, { bugs: { web: { ignoreUnreachable: true } } });
    assert.equal(code, 2, c.stdout());
    assert.match(c.stdout(), /^kill-task: pass \(exit 0, seed 1\)\nagent-loss: liveness failure \(exit 2, seed 1\)\n1 passed, 1 failed \(1 liveness\), 0 inconclusive\n$/);
    // The failed run, and only it, says how to step through it in the TUI.
    assert.equal(c.stderr(), `faultline: agent-loss failed; step through it from its first finding: faultline replay ${join(SCENARIOS, 'agent-loss.yaml')} --seed 1 --violation 1\n`);
  });

  it('--junit writes one test case per check; --history writes the JSONL and its sidecar', async () => {
    const junit = join(dir, 'out.xml');
    const history = join(dir, 'run.jsonl');
    const r = await runCli('run', join(SCENARIOS, 'agent-loss.yaml'), '--json', '--junit', junit, '--history', history);
    assert.equal(r.code, 0);
    const report = JSON.parse(r.out) as { checks: unknown[]; historyHash: string };
    const xml = readFileSync(junit, 'utf8');
    assert.equal(xml.match(/<testcase /g)?.length, report.checks.length);
    const lines = readFileSync(history, 'utf8').trimEnd().split('\n');
    assert.equal(JSON.parse(lines[0] ?? '{}').type, 'cluster.started');
    const meta = JSON.parse(readFileSync(`${history}.meta.json`, 'utf8')) as { historyHash: string; context: { services: unknown[] } };
    assert.equal(meta.historyHash, report.historyHash);
    assert.deepEqual(meta.context.services, [{ name: 'web', instances: 6, inactiveAfterMs: 0, partitionAware: true }]);
  });

  it('with several scenarios writes one history per scenario, named after it', async () => {
    assert.deepEqual(historyPathsOf('out/h.jsonl', ['a', 'b', 'a']), ['out/h.a.jsonl', 'out/h.b.jsonl', 'out/h.a-2.jsonl']);
    assert.deepEqual(historyPathsOf('h', ['a', 'b']), ['h.a', 'h.b']);
    assert.deepEqual(historyPathsOf('h.jsonl', ['a']), ['h.jsonl']);
    const base = join(dir, 'many.jsonl');
    const r = await runCli('run', join(SCENARIOS, 'kill-task.yaml'), join(SCENARIOS, 'master-failover.yaml'), '--quiet', '--history', base);
    assert.equal(r.code, 0);
    assert.ok(existsSync(join(dir, 'many.kill-task.jsonl')) && existsSync(join(dir, 'many.master-failover.jsonl')));
    assert.ok(existsSync(join(dir, 'many.kill-task.jsonl.meta.json')));
  });

  it('an unwritable --junit path is a one-line error, exit 64', async () => {
    const r = await runCli('run', join(SCENARIOS, 'kill-task.yaml'), '--quiet', '--junit', join(dir, 'no/such/dir/out.xml'));
    assert.equal(r.code, 64);
    assert.match(r.err, /^faultline: .*no\/such\/dir\/out.xml: cannot write: /);
  });
});

describe('faultline run: Ctrl-C', () => {
  let dir = '';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'faultline-sigint-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const LONG = `name: long
cluster: {masters: 1, agents: 3}
workload:
  services: [{name: web, instances: 3}]
steady: [service web running == 3]
method:
  - partition: {isolate: {running: web}}
  - wait: 1h
rollbacks:
  - wait: 2s
  - heal
`;

  it('the first SIGINT stops the method, runs the rollbacks, writes the reports marked interrupted, exits 130, and removes its handler', async () => {
    const file = join(dir, 'long.yaml');
    writeFileSync(file, LONG);
    const junit = join(dir, 'long.xml');
    const listeners = process.listenerCount('SIGINT');
    let yields = 0;
    const c = captureIo();
    const code = await runCommand({ scenarios: [file], json: true, quiet: false, junit }, c.io, {
      yieldControl: () => {
        yields += 1;
        // Mid-run, with the real handler `run` installed on the process.
        if (yields === 20) {
          assert.equal(process.listenerCount('SIGINT'), listeners + 1, 'run listens for SIGINT while it runs');
          process.emit('SIGINT');
        }
        return Promise.resolve();
      },
    });
    assert.equal(code, EXIT_INTERRUPTED);
    assert.equal(process.listenerCount('SIGINT'), listeners, 'the handler is gone after the run');
    assert.match(c.stderr(), /interrupted: running the rollbacks/);
    const report = JSON.parse(c.stdout()) as { interrupted: boolean; faults: Array<{ kind: string; phase: string }>; simulatedMs: number };
    assert.equal(report.interrupted, true);
    assert.deepEqual(
      report.faults.map((f) => `${f.kind}/${f.phase}`),
      ['partition/method', 'heal/rollbacks'],
    );
    assert.ok(report.simulatedMs < 600_000, 'stopped long before the hour');
    assert.match(readFileSync(junit, 'utf8'), /<property name="interrupted" value="true"\/>/);
  });

  it('the text report says it was interrupted; later scenarios are not started', async () => {
    const file = join(dir, 'long2.yaml');
    writeFileSync(file, LONG);
    let fire: (() => void) | null = null;
    let yields = 0;
    const c = captureIo();
    const code = await runCommand({ scenarios: [file, join(SCENARIOS, 'kill-task.yaml')], json: false, quiet: false }, c.io, {
      onInterrupt: (handler) => {
        fire = handler;
        return () => {
          fire = null;
        };
      },
      yieldControl: () => {
        yields += 1;
        if (yields === 10) fire?.();
        return Promise.resolve();
      },
    });
    assert.equal(code, 130);
    assert.equal(fire, null, 'unsubscribed');
    assert.match(c.stdout(), /INTERRUPTED \(rollbacks ran\)/);
    assert.match(c.stdout(), /\nlong: interrupted at [\d.]+ s \(seed 1\); checks so far: /);
    assert.match(c.stdout(), /reproduce: faultline run .*long2.yaml --seed 1/);
    assert.doesNotMatch(c.stdout(), /scenario kill-task/);
  });
});

describe('faultline run of several scenarios ends with a summary line', () => {
  it('counts passed, failed and inconclusive, in --quiet and in full', async () => {
    const files = [join(SCENARIOS, 'kill-task.yaml'), join(SCENARIOS, 'agent-loss.yaml')];
    const quiet = await runCli('run', ...files, '--quiet');
    assert.equal(quiet.code, 0, quiet.err);
    assert.equal(quiet.out.trimEnd().split('\n').at(-1), '2 passed, 0 failed, 0 inconclusive');
    const full = await runCli('run', ...files);
    assert.match(full.out, /\n\n2 passed, 0 failed, 0 inconclusive\n$/);
    const one = await runCli('run', files[0] ?? '', '--quiet');
    assert.equal(one.out, 'kill-task: pass (exit 0, seed 1)\n', 'one scenario: the verdict line is the summary');
  });
});
