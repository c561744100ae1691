/**
 * `faultline replay` in the TUI: a history with a planted overlap (the web
 * scheduler never kills its surplus) opens at its finding with --violation 1,
 * where the Tasks view shows the originals and their replacements all
 * running; `]` and `[` move between faults; the finding pane jumps to its
 * events; a bad file is one file:line line and exit 64.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { render } from 'ink-testing-library';
import { App } from '../../src/tui/app.js';
import { createTuiSession } from '../../src/tui/session.js';
import { runCommand } from '../../src/cli/commands/run.js';
import { loadReplay, replayCommand, type LoadedReplay } from '../../src/cli/commands/replay.js';
import { createReplayFeed, type ReplayFeed } from '../../src/cli/replay-feed.js';
import { settle } from './harness.js';

const SCENARIOS = join(import.meta.dirname, '..', '..', 'scenarios');

function capture(): { io: { stdout: PassThrough; stderr: PassThrough; stdin: PassThrough; env: NodeJS.ProcessEnv }; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  return { io: { stdout, stderr, stdin: new PassThrough(), env: {} }, out: () => out, err: () => err };
}

function mount(loaded: LoadedReplay, position = 0): { feed: ReplayFeed; frame: () => string; press: (keys: string) => Promise<void>; session: ReturnType<typeof createTuiSession>; unmount: () => void } {
  const feed = createReplayFeed({ records: loaded.records, info: loaded.info, seed: loaded.seed, timingProfile: loaded.timingProfile, position });
  const session = createTuiSession({ feed, readonly: true, noColor: true, size: { columns: 100, rows: 40 }, refreshMs: 0 });
  const r = render(<App session={session} onQuit={() => undefined} />);
  return {
    feed,
    session,
    frame: () => r.lastFrame() ?? '',
    press: async (keys) => {
      r.stdin.write(keys);
      await settle();
    },
    unmount: () => {
      r.unmount();
      session.dispose();
      feed.stop();
    },
  };
}

describe('faultline replay', () => {
  let dir = '';
  let history = '';
  let loaded: LoadedReplay;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'faultline-replay-'));
    history = join(dir, 'overlap.jsonl');
    const c = capture();
    const code = await runCommand({ scenarios: [join(SCENARIOS, 'partition-heal.yaml')], json: false, quiet: true, history }, c.io, { bugs: { web: { neverKillSurplus: true } } });
    assert.equal(code, 1, 'the planted overlap is a safety violation');
    const result = await loadReplay(history);
    assert.ok(result.ok, result.ok ? '' : result.error.message);
    loaded = result.value;
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('--violation 1 opens at the overlap: the finding pane names the checker, and the Tasks view shows both copies running', async () => {
    const c = capture();
    assert.equal(await replayCommand({ file: history, violation: 1, color: false }, c.io), 0);
    const first = loaded.info.findings[0];
    assert.ok(first);
    assert.equal(first.checker, 'no-service-overlap');
    assert.match(c.out(), new RegExp(`opens at record #${first.position} \\(finding 1\\)`));

    const t = mount(loaded, first.position);
    try {
      t.session.controller.openFinding(0);
      await settle();
      assert.match(t.frame(), /Finding 1\/\d+: no-service-overlap/);
      assert.match(t.frame(), new RegExp(`t 00:${Math.floor(first.atMs / 1000)} PAUSED`), 'the header at the moment it broke, between two records');
      assert.match(t.frame(), /checker\s+no-service-overlap \(safety\)/);
      assert.match(t.frame(), /> #\d+\s+\S+\s+task\.status web\.\d+ TASK_STARTING/, 'its events, the first selected');
      await t.press('\x1b');
      await t.press('4');
      const frame = t.frame();
      // The originals (back from the partition) and their replacements: every task the finding names runs.
      const named = first.events.map((e) => /task\.status (web\.\d+)/.exec(e.label)?.[1]).filter((t): t is string => t !== undefined);
      assert.ok(named.length >= 8, 'the 8 tasks of a service of 6');
      for (const task of named) assert.match(frame, new RegExp(`${task.replace('.', '\\.')}\\s+web\\s+web\\s+\\S+\\s+RUNNING`), `${task} running`);
    } finally {
      t.unmount();
    }
  });

  it('] and [ move between faults; . and , one event; g and G the ends', async () => {
    const t = mount(loaded);
    try {
      const faults = loaded.info.faults;
      assert.ok(faults.length >= 2, 'partition-heal has a partition and a heal');
      await t.press(']');
      assert.equal(t.feed.replay.position(), faults[0]?.position);
      assert.match(t.frame(), /fault 1\/\d+: /);
      await t.press(']');
      assert.equal(t.feed.replay.position(), faults[1]?.position);
      await t.press('[');
      assert.equal(t.feed.replay.position(), faults[0]?.position);
      await t.press('.');
      assert.equal(t.feed.replay.position(), (faults[0]?.position ?? 0) + 1);
      await t.press(',,');
      assert.equal(t.feed.replay.position(), (faults[0]?.position ?? 0) - 1);
      await t.press('G');
      assert.equal(t.feed.replay.position(), loaded.info.total);
      assert.match(t.frame(), new RegExp(`#${loaded.info.total}/${loaded.info.total}`));
      await t.press('g');
      assert.equal(t.feed.replay.position(), 0);
    } finally {
      t.unmount();
    }
  });

  it('} opens the next finding; enter on one of its events jumps to it; t jumps to a time', async () => {
    const t = mount(loaded);
    try {
      await t.press('}');
      const first = loaded.info.findings[0];
      assert.equal(t.feed.replay.position(), first?.position);
      await t.press('j');
      await t.press('\r');
      assert.equal(t.feed.replay.position(), first?.events[1]?.position, 'at the second event');
      await t.press('\x1b');
      await t.press('t');
      await t.press('20s\r');
      const atMs = t.feed.snapshot().nowMs;
      assert.ok(atMs <= 20_000 && atMs > 15_000, `near 20 s (${atMs})`);
    } finally {
      t.unmount();
    }
  });

  it('a scenario file is run first: the same history as run --history of it', async () => {
    const fromFile = await loadReplay(join(SCENARIOS, 'partition-heal.yaml'));
    assert.ok(fromFile.ok);
    // Without the planted bug: a clean run of the same scenario and seed.
    const clean = join(dir, 'clean.jsonl');
    assert.equal(await runCommand({ scenarios: [join(SCENARIOS, 'partition-heal.yaml')], json: false, quiet: true, history: clean }, capture().io), 0);
    const fromHistory = await loadReplay(clean);
    assert.ok(fromHistory.ok);
    assert.deepEqual(fromFile.value.records, fromHistory.value.records);
    assert.equal(fromFile.value.info.findings.length, 0);
    // The runner's own phases, the same from the run and from the sidecar run --history wrote.
    assert.deepEqual(fromFile.value.info.phases.map((p) => p.phase), ['steady', 'method', 'rollbacks', 'liveness']);
    assert.deepEqual(fromHistory.value.info.phases, fromFile.value.info.phases);
    assert.equal(fromHistory.value.info.phasesKnown, true);
  });

  it('the timeline bar shows the rollbacks where they ran: their heal is R, the bar names the phase; ? has the legend', async () => {
    const { info } = loaded;
    const rollbacks = info.phases.find((p) => p.phase === 'rollbacks');
    assert.ok(rollbacks, 'partition-heal has a rollbacks step (heal)');
    const method = info.phases.find((p) => p.phase === 'method');
    assert.ok(method && method.toPosition === rollbacks.fromPosition, 'the rollbacks start where the method ends');
    const heal = info.faults.find((f) => f.phase === 'rollbacks');
    assert.ok(heal && heal.position === rollbacks.fromPosition + 1, "the rollbacks' first record is their heal");
    assert.deepEqual(info.faults.map((f) => f.phase), ['method', 'method', 'rollbacks', 'liveness']);
    const c = capture();
    assert.equal(await replayCommand({ file: history, color: false }, c.io), 0);
    assert.match(c.out(), new RegExp(`phases: steady \\S+ #\\d+, method \\S+ #\\d+, rollbacks \\S+ #${rollbacks.fromPosition}, liveness`), 'without a terminal too');
    const t = mount(loaded);
    try {
      await t.press(']]');
      const barOf = (): string => t.frame().split('\n').find((l) => /^\[.*\] \d+:\d+\//.test(l)) ?? '';
      assert.match(barOf(), / method\s*$/);
      await t.press(']');
      assert.equal(t.feed.replay.position(), heal.position);
      assert.match(barOf(), / rollbacks$/);
      await t.press(']');
      assert.match(barOf(), / liveness\s*$/);
      // Away from the position marker, the R sits in the cell of the rollbacks' time.
      await t.press('g');
      const cells = /^\[([^\]]*)\]/.exec(barOf())?.[1] ?? '';
      const cell = Math.min(cells.length - 1, Math.floor(((heal.atMs - info.startMs) / (info.endMs - info.startMs)) * cells.length));
      assert.equal(cells[cell], 'R', cells);
      assert.equal([...cells].filter((c) => c === 'R').length, 1);
      await t.press('?');
      assert.match(t.frame(), /~ rollbacks {2}\. liveness {2}F fault {2}R rollback fault/);
    } finally {
      t.unmount();
    }
  });

  it('an older sidecar without phases still loads: the phases are guessed (no rollbacks) and the bar says so', async () => {
    const old = join(dir, 'old.jsonl');
    copyFileSync(history, old);
    const meta = JSON.parse(readFileSync(`${history}.meta.json`, 'utf8')) as Record<string, unknown>;
    assert.ok(Array.isArray(meta.phases), 'today run --history writes the phases');
    delete meta.phases;
    writeFileSync(`${old}.meta.json`, JSON.stringify(meta));
    const result = await loadReplay(old);
    assert.ok(result.ok, result.ok ? '' : result.error.message);
    const { info } = result.value;
    assert.equal(info.phasesKnown, false);
    assert.deepEqual(info.phases.map((p) => p.phase), ['steady', 'method', 'liveness']);
    assert.equal(info.faults.some((f) => f.phase === 'rollbacks'), false);
    assert.deepEqual(info.findings, loaded.info.findings, 'the same findings: the context is the same');
    const t = mount(result.value);
    try {
      await t.press(']');
      assert.match(t.frame(), / method\?/);
    } finally {
      t.unmount();
    }
    // Phases that are there but malformed are a bad sidecar, as any other field.
    writeFileSync(`${old}.meta.json`, JSON.stringify({ ...meta, phases: [{ phase: 'lunch', atMs: 0, position: 0 }] }));
    const bad = await loadReplay(old);
    assert.ok(!bad.ok);
    assert.match(bad.error.message, /not a faultline history sidecar/);
  });

  it('a bad line is one file:line error and exit 64; an unknown finding number is a usage error', async () => {
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, '{"seq":0,"atMs":0,"type":"cluster.started","seed":"1","timing":"fast","masters":[],"agents":[]}\nnot json\n');
    const c = capture();
    assert.equal(await replayCommand({ file: bad, color: false }, c.io), 64);
    assert.match(c.err(), /^faultline: \S+bad\.jsonl:2: not JSON/);
    assert.equal(c.err().trim().split('\n').length, 1);
    const d = capture();
    assert.equal(await replayCommand({ file: history, violation: 99, color: false }, d.io), 64);
    assert.match(d.err(), /--violation: the run has \d+ finding/);
  });
});
