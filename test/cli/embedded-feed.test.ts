import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { clusterOfScenario, embeddedScenario } from '../../src/cli/embedded-cluster.js';
import { createEmbeddedFeed } from '../../src/cli/embedded-feed.js';
import { main } from '../../src/cli/main.js';
import type { WallClock } from '../../src/cli/pacer.js';
import { captureIo } from '../helpers/io.js';

const root = resolve(import.meta.dirname, '..', '..');

/** A wall clock that jumps forward whenever the feed sleeps, so paced runs finish at once. */
function fastClock() {
  let now = 0;
  const clock: WallClock = { nowMs: () => now, every: () => () => {} };
  const sleep = async (ms: number) => {
    now += ms;
    await new Promise((r) => setImmediate(r));
  };
  return { clock, sleep, advance: (ms: number) => (now += ms) };
}

function feedOf(seed = '9') {
  const scenario = embeddedScenario({ agents: 8, masters: 3, seed, timing: 'fast' });
  assert.ok(scenario.ok);
  const cluster = clusterOfScenario(scenario.value, seed);
  assert.ok(cluster.ok);
  const wall = fastClock();
  const feed = createEmbeddedFeed({ cluster: cluster.value, scenario: scenario.value, seed, clock: wall.clock, speed: 1, sleep: wall.sleep });
  return { feed, cluster: cluster.value, wall };
}

test('a scenario runs inside the TUI feed: steps, checks and the final verdict; its cluster is shown', async () => {
  const { feed } = feedOf();
  const started = feed.runScenario(join(root, 'scenarios', 'agent-loss.yaml'));
  assert.ok(started.ok, started.ok ? '' : started.error.message);
  const run = started.value;
  assert.ok(feed.running());
  assert.equal(feed.runScenario(join(root, 'scenarios', 'agent-loss.yaml')).ok, false, 'one run at a time');
  for (let i = 0; i < 20_000 && run.snapshot().verdict === null; i += 1) await new Promise((r) => setImmediate(r));
  const snap = run.snapshot();
  assert.equal(snap.verdict, 'pass', snap.verdictDetail ?? '');
  assert.equal(snap.phase, 'done');
  assert.ok(snap.steps.length > 0 && snap.steps.every((s) => s.state === 'done'), JSON.stringify(snap.steps));
  assert.ok(snap.checks.length > 0 && snap.checks.every((c) => c.verdict !== 'pending'));
  assert.ok(feed.events(-1, 100).some((r) => r.type === 'fault.injected' && r.fault.kind === 'kill-agent'), 'the run’s history is what the Events view reads');
  assert.equal(feed.running(), false);
  feed.stop();
});

test('bad scenario files give a typed error, not a run', () => {
  const { feed } = feedOf();
  const missing = feed.runScenario('/nonexistent/x.yaml');
  assert.ok(!missing.ok && missing.error.code === 'IO');
  const broken = feed.runScenario(join(root, 'test', 'fixtures', 'scenarios', 'broken', 'bad-yaml.yaml'));
  assert.ok(!broken.ok && broken.error.code.startsWith('SCENARIO_'));
  feed.stop();
});

test('w writes the faults injected so far as a scenario that faultline run replays', async () => {
  const { feed, cluster } = feedOf('12');
  await cluster.advanceTo(cluster.now() + 20_000);
  const victim = cluster.agents()[0] ?? 'agent-1';
  assert.ok(feed.inject({ kind: 'kill-agent', node: victim }).ok);
  await cluster.advanceTo(cluster.now() + 5_000);
  assert.ok(feed.inject({ kind: 'restart-agent', node: victim }).ok);
  const dir = mkdtempSync(join(tmpdir(), 'faultline-w-'));
  try {
    const file = join(dir, 'explored.yaml');
    const written = feed.writeScenario(file);
    assert.ok(written.ok);
    assert.match(written.value, /wrote 2 faults/);
    const io = captureIo();
    const code = await main(['run', file, '--quiet'], io.io);
    assert.equal(code, 0, io.stderr() + io.stdout());
  } finally {
    rmSync(dir, { recursive: true, force: true });
    feed.stop();
  }
});

test('w never overwrites: the default name is numbered, a named file that exists is refused; the message gives the path', async () => {
  const { feed, cluster } = feedOf('13');
  await cluster.advanceTo(cluster.now() + 5_000);
  const dir = mkdtempSync(join(tmpdir(), 'faultline-w2-'));
  try {
    const file = join(dir, 'faultline-session-13.yaml');
    const first = feed.writeScenario(file, { unique: true });
    assert.ok(first.ok);
    assert.ok(feed.inject({ kind: 'kill-agent', node: cluster.agents()[0] ?? 'agent-1' }).ok);
    const second = feed.writeScenario(file, { unique: true });
    assert.ok(second.ok);
    assert.equal(second.value, `wrote 1 fault to ${join(dir, 'faultline-session-13-2.yaml')} (replay: faultline run ${join(dir, 'faultline-session-13-2.yaml')})`);
    assert.doesNotMatch(readFileSync(file, 'utf8'), /kill-agent/, 'the first file is as it was');
    assert.match(readFileSync(join(dir, 'faultline-session-13-2.yaml'), 'utf8'), /kill-agent/);
    const named = feed.writeScenario(file);
    assert.ok(!named.ok);
    assert.equal(named.error.where, file);
    assert.match(named.error.message, /^exists: not overwritten/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    feed.stop();
  }
});

test('after :run, w writes what was explored: the run’s cluster and faults, under the scenario’s name and seed', async () => {
  const { feed } = feedOf('14');
  const started = feed.runScenario(join(root, 'scenarios', 'agent-loss.yaml'));
  assert.ok(started.ok);
  assert.equal(feed.generation, 1, 'the run replaced the cluster');
  assert.equal(feed.seed, '1', 'the run’s seed');
  for (let i = 0; i < 20_000 && started.value.snapshot().verdict === null; i += 1) await new Promise((r) => setImmediate(r));
  const dir = mkdtempSync(join(tmpdir(), 'faultline-w3-'));
  try {
    const file = join(dir, 'after-run.yaml');
    const written = feed.writeScenario(file);
    assert.ok(written.ok, written.ok ? '' : written.error.message);
    assert.doesNotMatch(written.value, /wrote 0 faults/);
    const text = readFileSync(file, 'utf8');
    assert.match(text, /^name: agent-loss-explored\n/);
    assert.match(text, /kill-agent/);
    assert.match(text, /seed: "?1"?\n/);
    const io = captureIo();
    assert.equal(await main(['run', file, '--quiet'], io.io), 0, io.stderr() + io.stdout());
  } finally {
    rmSync(dir, { recursive: true, force: true });
    feed.stop();
  }
});

test('l: the simulated executor’s output of a task, from its history: launch, running, a kill', async () => {
  const { feed, cluster } = feedOf('15');
  await cluster.advanceTo(cluster.now() + 20_000);
  const task = [...cluster.state().tasks.values()].find((t) => t.name === 'web' && t.state === 'TASK_RUNNING');
  assert.ok(task, 'a running web task');
  assert.ok(feed.inject({ kind: 'kill-task', taskId: task.taskId, frameworkId: task.frameworkId }).ok);
  await cluster.advanceTo(cluster.now() + 2_000);
  const output = feed.taskOutput?.(task.taskId);
  assert.ok(output);
  assert.match(output.source, /simulated executor/);
  assert.match(output.stdout[0] ?? '', new RegExp(`^\\[\\d+\\.\\d{3}s\\] launching web task ${task.taskId.replace(/\./g, '\\.')} on \\S+ with cpus 0\\.5 mem 256$`));
  assert.ok(output.stdout.some((l) => /executor on agent-\d+: RUNNING: command started$/.test(l)), output.stdout.join('\n'));
  assert.ok(output.stderr.some((l) => /received a kill \(fault: kill-task /.test(l)), output.stderr.join('\n'));
  assert.ok(output.stderr.some((l) => /executor on agent-\d+: KILLED/.test(l)), output.stderr.join('\n'));
  assert.deepEqual(feed.taskOutput?.('no-such-task'), { source: output.source, stdout: [], stderr: [] });
  feed.stop();
});
