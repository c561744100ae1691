import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import type { RunSummary } from '../../src/chaos/fuzz/index.js';
import type { Verdict } from '../../src/chaos/runner/index.js';
import type { Scenario } from '../../src/chaos/scenario/index.js';
import { fuzzCommand, type FuzzFlags } from '../../src/cli/commands/fuzz.js';
import { loadReplay } from '../../src/cli/commands/replay.js';
import type { CliIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { fakeExecutor } from '../helpers/fuzz-executor.js';

interface Captured {
  readonly io: CliIo;
  out(): string;
  err(): string;
}

function capture(options: { tty?: boolean; env?: NodeJS.ProcessEnv } = {}): Captured {
  let out = '';
  let err = '';
  const stdout = Object.assign(new PassThrough(), { isTTY: options.tty ?? false, columns: 100 });
  const stderr = new PassThrough();
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  return { io: { stdout, stderr, stdin: new PassThrough(), env: options.env ?? { CI: 'true' } }, out: () => out, err: () => err };
}

/** Judges scenarios by their fault steps instead of simulating: seeds that kill agent-3 fail liveness. */
function agent3Fails(scenario: Scenario): Verdict | Partial<RunSummary> {
  return JSON.stringify(scenario.method).includes('"agent-3"') ? { verdict: 'liveness', detail: 'web: 3 of 4 running' } : 'pass';
}

let dir = '';
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'faultline-fuzz-cli-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

function flags(overrides: Partial<FuzzFlags> = {}): FuzzFlags {
  return { seeds: 20, start: 1, faults: 'kill-agent', json: false, out: join(dir, 'out'), duration: '10m', maxFailures: 0, strict: false, shrink: true, ...overrides };
}

describe('faultline fuzz: usage errors exit 64 with one line', () => {
  const cases: Array<[string, string[], RegExp]> = [
    ['a misspelt fault kind', ['--faults', 'kill-agnet'], /^faultline: --faults: unknown fault kind "kill-agnet", did you mean "kill-agent"\?/],
    ['an undo kind', ['--faults', 'partition,heal'], /^faultline: --faults: "heal" is not drawn on its own: it follows partition/],
    ['no seeds', ['--seeds', '0'], /^faultline: --seeds: must be a whole number from 1 to 100000, got 0/],
    ['a fractional seed count', ['--seeds', '2.5'], /^faultline: --seeds: /],
    ['a start that is not a number', ['--start', 'abc'], /^faultline: --start: must be a whole number, got "abc"/],
    ['a bad duration', ['--duration', 'soon'], /^faultline: --duration: "soon" is not a duration/],
    ['a too short method', ['--duration', '10ms'], /^faultline: --duration: the method must last at least 1s/],
    ['negative workers', ['--workers', '-1'], /^faultline: --workers: /],
    ['a missing base file', ['--base', '/nonexistent/base.yaml'], /^faultline: \/nonexistent\/base\.yaml: cannot read the scenario file/],
  ];
  for (const [name, args, message] of cases) {
    it(name, async () => {
      const c = capture();
      const code = await main(['fuzz', ...args], c.io);
      assert.equal(code, 64);
      assert.match(c.err(), message);
      assert.equal(c.err().trim().split('\n').length, 1, c.err());
      assert.equal(c.out(), '');
    });
  }

  it('a broken base file names file:line:column', async () => {
    const file = join(dir, 'broken.yaml');
    await writeFile(file, 'name: x\nmethod: []\ncluster:\n  agnets: 3\n');
    const c = capture();
    assert.equal(await main(['fuzz', '--base', file], c.io), 64);
    assert.match(c.err(), new RegExp(`^faultline: ${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:4:3: unknown key "agnets"`));
  });
});

describe('faultline fuzz: output', () => {
  it('--help explains inconclusive seeds, shrinking and the exit codes', async () => {
    const c = capture();
    assert.equal(await main(['fuzz', '--help'], c.io), 0);
    const help = c.out();
    for (const text of ['--seeds', '--start', '--base', '--faults', '--json', '--out', 'Inconclusive seeds', 'not failures', '--strict', 'fuzz-<seed>.yaml', 'faultline run', '1 safety, 2 liveness, 3 inconclusive']) {
      assert.ok(help.includes(text), `help mentions ${text}`);
    }
  });

  it('plain lines when not a terminal: header, each failure with its commands, the summary', async () => {
    const c = capture({ tty: true, env: { CI: 'true' } });
    const code = await fuzzCommand(flags(), c.io, { executor: () => fakeExecutor(agent3Fails) });
    const out = c.out();
    assert.equal(code, 2);
    assert.ok(!out.includes('\r'), 'nothing redrawn in CI');
    assert.match(out, /^fuzz: seeds 1\.\.20 \(20\) · 2 worker\(s\) · base: default \(3 master\(s\), 10 agent\(s\), 3 app\(s\)\) · faults: kill-agent · method 10m\n/);
    assert.match(out, /^fuzz 20\/20 seeds · [\d.]+ seeds\/s · \d+ failing/m);
    const failed = [...out.matchAll(/^FAIL seed (\d+) \(liveness\): web: 3 of 4 running$/gm)].map((m) => Number(m[1]));
    assert.ok(failed.length > 0);
    for (const seed of failed) {
      assert.ok(out.includes(`  reproduce: faultline fuzz --seeds 1 --start ${seed} --faults kill-agent\n`));
      const file = join(dir, 'out', `fuzz-${seed}.yaml`);
      assert.ok(out.includes(`  replay:    faultline run ${file}\n`));
      assert.ok(out.includes(`  open:      faultline replay ${file} --violation 1\n`), 'the TUI at its first finding');
      // The format loads for a replay (this fake executor's failure does not happen in the real simulator).
      const opened = await loadReplay(file);
      assert.ok(opened.ok, opened.ok ? '' : opened.error.message);
      assert.match(await readFile(file, 'utf8'), new RegExp(`^name: fuzz-${seed}\n`));
    }
    assert.match(out, new RegExp(`^20 seed\\(s\\) in .*: ${20 - failed.length} passed, ${failed.length} failed \\(${failed.length} liveness\\), 0 inconclusive$`, 'm'));
    assert.match(out, /^determinism: 1 seed\(s\) re-run, 1 gave the same history hash$/m);
  });

  it('a live status line on a terminal, redrawn in place and cleared at the end', async () => {
    const c = capture({ tty: true, env: {} });
    await fuzzCommand(flags({ seeds: 6 }), c.io, { executor: () => fakeExecutor(agent3Fails) });
    const out = c.out();
    assert.ok(out.includes('\r\x1b[2Kfuzz 6/6 seeds'), 'the status line is redrawn');
    const tail = out.slice(out.lastIndexOf('\r\x1b[2K') + 5);
    assert.match(tail, /^6 seed\(s\) in /, 'the summary replaces the status line');
  });

  it('--json prints only the summary object on stdout', async () => {
    const c = capture();
    const code = await fuzzCommand(flags({ json: true }), c.io, { executor: () => fakeExecutor(agent3Fails) });
    const summary = JSON.parse(c.out()) as Record<string, unknown> & { failures: Array<Record<string, unknown>> };
    for (const key of ['seeds', 'passed', 'failed', 'inconclusive', 'determinismChecks', 'failures', 'seedsPerMin', 'wallMs']) assert.ok(key in summary, key);
    assert.equal(summary.seeds, 20);
    assert.equal(summary.exitCode, code);
    assert.ok(summary.failures.length > 0);
    for (const failure of summary.failures) {
      for (const key of ['seed', 'verdict', 'reproduce', 'shrunkFile', 'faultsBefore', 'faultsAfter']) assert.ok(key in failure, key);
      assert.equal(failure.faultsAfter, 1);
    }
    assert.equal(c.err(), '');
  });

  it('Ctrl-C stops starting seeds, still prints the summary and exits 130', async () => {
    let runs = 0;
    const executor = fakeExecutor(() => {
      runs += 1;
      if (runs === 3) process.emit('SIGINT');
      return 'pass';
    });
    const c = capture();
    const code = await fuzzCommand(flags({ seeds: 100 }), c.io, { executor: () => executor });
    assert.equal(code, 130, 'interrupted, as shells report Ctrl-C');
    assert.match(c.out(), /^stopping: no new seeds/m);
    assert.match(c.out(), /stopped after \d+ of 100$/m);
    assert.equal(process.listenerCount('SIGINT'), 0, 'the handler is removed');
  });

  it('runs for real in this thread (--workers 0) and exits with the worst verdict', async () => {
    const c = capture();
    const code = await main(['fuzz', '--seeds', '3', '--start', '40', '--workers', '0', '--faults', 'kill-agent', '--duration', '1m', '--json', '--out', join(dir, 'real')], c.io);
    const summary = JSON.parse(c.out()) as { seeds: number; passed: number; failed: number; inconclusive: number; exitCode: number };
    assert.equal(summary.seeds, 3);
    assert.equal(summary.passed + summary.failed + summary.inconclusive, 3);
    assert.equal(code, summary.exitCode);
    assert.ok([0, 1, 2, 3].includes(code), `exit ${code}: a verdict, not a usage or internal error`);
  });
});
