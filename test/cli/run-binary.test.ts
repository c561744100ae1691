/**
 * The built launcher end to end (npm test builds first): the JUnit writer's
 * CommonJS interop and the exit code only show under Node's own ESM loader.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '../..');
const built = existsSync(join(ROOT, 'dist/cli/main.js'));

it('bin/faultline run exits with the verdict and writes JUnit', { skip: built ? false : 'not built (npm run build)' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-bin-'));
  try {
    const junit = join(dir, 'out.xml');
    const result = spawnSync(process.execPath, ['bin/faultline', 'run', 'scenarios/kill-task.yaml', '--quiet', '--junit', junit], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, CI: 'true' } });
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout, 'kill-task: pass (exit 0, seed 1)\n');
    assert.ok((readFileSync(junit, 'utf8').match(/<testcase /g)?.length ?? 0) >= 10);
    const broken = spawnSync(process.execPath, ['bin/faultline', 'run', 'test/fixtures/scenarios/broken/unknown-top-key.yaml'], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(broken.status, 64);
    assert.equal(broken.stderr, 'faultline: test/fixtures/scenarios/broken/unknown-top-key.yaml:3:1: unknown key "metod" in the scenario, did you mean "method"?\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

it('bin/faultline runs the esbuild bundle when there is one, dist/cli when not', { skip: existsSync(join(ROOT, 'dist/bundle/main.js')) ? false : 'not bundled (npm run build)' }, () => {
  const withBundle = spawnSync(process.execPath, ['bin/faultline', 'run', 'scenarios/kill-task.yaml', '--quiet'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, CI: 'true' } });
  assert.equal(withBundle.stdout, 'kill-task: pass (exit 0, seed 1)\n', withBundle.stderr);
  // A package with only tsc's output: the launcher copied beside a dist/ without bundle/.
  const dir = mkdtempSync(join(tmpdir(), 'faultline-nobundle-'));
  try {
    mkdirSync(join(dir, 'bin'));
    mkdirSync(join(dir, 'dist'));
    copyFileSync(join(ROOT, 'bin/faultline'), join(dir, 'bin/faultline'));
    symlinkSync(join(ROOT, 'dist/cli'), join(dir, 'dist/cli'));
    for (const name of ['core', 'cluster', 'sim', 'chaos', 'schedulers', 'api', 'live', 'tui']) symlinkSync(join(ROOT, 'dist', name), join(dir, 'dist', name));
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
    writeFileSync(join(dir, 'package.json'), '{"type":"module"}\n');
    const fallback = spawnSync(process.execPath, [join(dir, 'bin/faultline'), 'run', join(ROOT, 'scenarios/kill-task.yaml'), '--quiet'], { cwd: dir, encoding: 'utf8', env: { ...process.env, CI: 'true' } });
    assert.equal(fallback.stdout, 'kill-task: pass (exit 0, seed 1)\n', fallback.stderr);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
