/**
 * Every bundled scenario passes, every fault in it bites, and a second run
 * gives the same history hash. The checkers have teeth through the runner and
 * the CLI: a broken service scheduler makes the matching scenario fail with
 * the right verdict and exit code.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { parseScenarioFile } from '../../src/chaos/scenario/index.js';
import { runScenario } from '../../src/cli/sim-runtime.js';
import { runCommand } from '../../src/cli/commands/run.js';

const DIR = join(import.meta.dirname, '../../scenarios');
const FILES = readdirSync(DIR)
  .filter((f) => f.endsWith('.yaml'))
  .sort();

const REQUIRED = [
  'agent-loss.yaml',
  'partition-heal.yaml',
  'master-failover.yaml',
  'leader-isolated.yaml',
  'flapping-agent.yaml',
  'lossy-network.yaml',
  'framework-failover.yaml',
  'rolling-restart.yaml',
  'swizzle-clog.yaml',
  'kill-task.yaml',
];

/**
 * The history hash of each bundled scenario at its own seed. A refactor must
 * leave them as they are (issue 9); a deliberate change of behaviour updates
 * them with FAULTLINE_UPDATE_HASHES=1 npm test -- test/scenarios/bundled.test.ts
 * and says why in its commit.
 */
const HASHES_FILE = join(import.meta.dirname, '../fixtures/bundled-hashes.json');
const HASHES = JSON.parse(readFileSync(HASHES_FILE, 'utf8')) as Record<string, string>;
const updateHashes = process.env['FAULTLINE_UPDATE_HASHES'] === '1';

describe('bundled scenarios', () => {
  if (updateHashes) after(() => writeFileSync(HASHES_FILE, `${JSON.stringify(HASHES, null, 2)}\n`));

  it('has at least the ten required files, each listed in the README', () => {
    for (const file of REQUIRED) assert.ok(FILES.includes(file), `missing ${file}`);
    const readme = readFileSync(join(DIR, 'README.md'), 'utf8');
    assert.match(readme, /src\/chaos\/scenario\/FORMAT\.md/);
    for (const file of FILES) assert.ok(readme.includes(`[${file}](${file})`), `README does not list ${file}`);
  });

  for (const file of FILES) {
    it(`${file} passes, every fault bites, and the same seed gives the same hash`, async () => {
      const path = join(DIR, file);
      const parsed = await parseScenarioFile(path);
      assert.ok(parsed.ok, parsed.ok ? '' : `${parsed.error.where}: ${parsed.error.message}`);
      const scenario = parsed.value;
      assert.equal(`${scenario.name}.yaml`, file, 'the name matches the file');
      assert.ok(scenario.description.length > 40, 'it says what it proves');
      const first = await runScenario(scenario, path, { keepHistory: false });
      const failing = first.checks.filter((c) => c.verdict !== 'pass').map((c) => `${c.name}: ${c.verdict}: ${c.detail}`);
      assert.equal(first.verdict, 'pass', failing.join('\n'));
      assert.deepEqual(first.stepFailures, []);
      const methodFaults = first.faults.filter((f) => f.phase === 'method');
      assert.ok(methodFaults.length > 0, 'the method injects faults');
      const bite = first.checks.find((c) => c.name === 'faults-bite');
      assert.equal(bite?.verdict, 'pass', bite?.detail);
      assert.doesNotMatch(bite?.detail ?? '', /never bit/);
      assert.ok(first.wallMs < 5_000, `keeps CI fast: ${first.wallMs} ms`);
      const second = await runScenario(scenario, path, { keepHistory: false });
      assert.equal(second.historyHash, first.historyHash);
      assert.equal(second.simulatedMs, first.simulatedMs);
      if (updateHashes) HASHES[file] = first.historyHash;
      else assert.equal(first.historyHash, HASHES[file], `${file}: the history changed; if on purpose, update ${HASHES_FILE} (see above)`);
    });
  }
});

describe('the checkers have teeth through faultline run', () => {
  async function run(file: string, bugs: Record<string, { ignoreUnreachable?: boolean; neverKillSurplus?: boolean }>) {
    let out = '';
    const stdout = new PassThrough();
    stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const io = { stdout, stderr: new PassThrough(), stdin: new PassThrough(), env: {} };
    const code = await runCommand({ scenarios: [join(DIR, file)], json: true, quiet: false }, io, { bugs });
    return { code, report: JSON.parse(out) as { verdict: string; checks: Array<{ name: string; verdict: string; kind: string | null; detail: string }> } };
  }

  it('agent-loss with a scheduler that ignores TASK_UNREACHABLE fails with liveness (exit 2): the lost tasks are not replaced in time', async () => {
    const { code, report } = await run('agent-loss.yaml', { web: { ignoreUnreachable: true } });
    assert.equal(code, 2);
    assert.equal(report.verdict, 'liveness');
    const failed = report.checks.filter((c) => c.verdict === 'fail');
    assert.ok(failed.every((c) => c.kind !== 'safety'), 'no safety failure');
    assert.ok(failed.some((c) => c.name === 'lost-tasks-replaced'), failed.map((c) => c.name).join(', '));
    assert.match(failed.find((c) => c.name === 'method')?.detail ?? '', /until service web running == 6 did not hold within 10s/);
  });

  it('partition-heal with a scheduler that never kills the surplus fails with safety (exit 1): a task of web runs twice after the heal', async () => {
    const { code, report } = await run('partition-heal.yaml', { web: { neverKillSurplus: true } });
    assert.equal(code, 1);
    assert.equal(report.verdict, 'safety');
    const overlap = report.checks.find((c) => c.name === 'no-service-overlap');
    assert.equal(overlap?.verdict, 'fail');
    assert.equal(overlap?.kind, 'safety');
    assert.match(report.checks.find((c) => c.name === 'convergence')?.detail ?? '', /web: 8 of 6 running \(the surplus was not killed\)/);
  });
});
