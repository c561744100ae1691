/**
 * main.ts loads a command's code only when that command runs: launching the
 * TUI must not load the runner, the fuzzer or the reports (they were half of
 * the time to the first frame), and no command loads another's code.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_METHOD_MS } from '../../src/chaos/fuzz/index.js';
import { formatDuration } from '../../src/chaos/scenario/index.js';
import { DEFAULT_METHOD_TEXT } from '../../src/cli/commands/fuzz-cli.js';
import { modulesLoadedBy } from '../helpers/loaded-modules.js';

/** The project files loaded by running `main(argv)` with captured streams in a fresh process. */
function loadedByMain(argv: readonly string[]): string[] {
  return modulesLoadedBy(`
    import { PassThrough } from 'node:stream';
    const { main } = await import('./src/cli/main.ts');
    const sink = () => Object.assign(new PassThrough(), { isTTY: false, columns: 100 });
    const stdin = sink();
    stdin.end();
    const code = await main(${JSON.stringify(argv)}, { stdout: sink(), stderr: sink(), stdin, env: {} });
    if (code === 0) process.stderr.write('DONE\\n');
  `).filter((file) => file.startsWith('src/'));
}

test('faultline --version loads the command declarations and none of their code', () => {
  const loaded = loadedByMain(['--version']);
  assert.ok(loaded.includes('src/cli/main.ts'), `the hook sees the CLI: ${loaded.join(' ')}`);
  assert.ok(loaded.includes('src/cli/commands/run-cli.ts'));
  for (const command of ['up', 'sim', 'run', 'check', 'fuzz', 'execute']) assert.ok(!loaded.includes(`src/cli/commands/${command}.ts`), `${command}.ts not loaded`);
  assert.deepEqual(
    loaded.filter((file) => /^src\/(chaos\/(runner|report|checkers|history)|sim|tui|live)\//.test(file) || file === 'src/chaos/scenario/index.ts' || file === 'src/chaos/fuzz/index.ts'),
    [],
  );
});

test('faultline up --once loads the simulator but not the TUI, the reports or the fuzzer', () => {
  const loaded = loadedByMain(['up', '--once', '--duration', '1s', '--seed', '3']);
  assert.ok(loaded.includes('src/cli/commands/up.ts'));
  assert.ok(loaded.includes('src/sim/cluster.ts'));
  assert.deepEqual(
    loaded.filter((file) => /^src\/(tui|chaos\/report)\//.test(file) || file === 'src/chaos/fuzz/index.ts' || /commands\/(sim|run|check|fuzz)\.ts$/.test(file)),
    [],
  );
});

test("fuzz's --duration default is the fuzzer's own", () => {
  assert.equal(DEFAULT_METHOD_TEXT, formatDuration(DEFAULT_METHOD_MS));
});
