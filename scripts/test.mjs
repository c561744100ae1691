#!/usr/bin/env node
// The README's test command: build, typecheck, lint, then every test file under
// test/ with node:test (TypeScript through tsx). Ends with `N passed, N failed`.
// A failed build, typecheck or lint counts as one failed check each.
// Usage: npm test [-- test/path/or/dir ...]
// Directories named `slow` (real daemons, tens of seconds each) are skipped when
// found while recursing; name one to run it: `npm run test:live` runs test/live/slow.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync, readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { tmpdir } from 'node:os';

const root = resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const skipChecks = args.includes('--no-checks');
const targets = args.filter((a) => !a.startsWith('--'));
let passed = 0;
let failed = 0;

function step(name, command, commandArgs) {
  process.stdout.write(`\n== ${name}\n`);
  const result = spawnSync(command, commandArgs, { cwd: root, stdio: 'inherit', env: process.env });
  if (result.status === 0) {
    passed += 1;
  } else {
    failed += 1;
    process.stdout.write(`== ${name} FAILED (exit ${result.status ?? result.signal})\n`);
  }
}

function testFiles(path) {
  const stat = statSync(path);
  if (stat.isFile()) return /\.test\.tsx?$/.test(path) ? [path] : [];
  return readdirSync(path)
    .sort()
    .flatMap((name) => (name === 'fixtures' || name === 'helpers' || name === 'slow' ? [] : testFiles(join(path, name))));
}

const bin = (name) => join(root, 'node_modules', '.bin', name);
if (!skipChecks) {
  step('build', bin('tsc'), ['-p', 'tsconfig.build.json']);
  step('build web', process.execPath, ['scripts/build-web.mjs']);
  step('bundle the CLI', process.execPath, ['scripts/build-cli.mjs']);
  step('typecheck', bin('tsc'), ['-p', 'tsconfig.json', '--noEmit']);
  step('typecheck web', bin('tsc'), ['-p', 'tsconfig.web.json']);
  step('lint', bin('eslint'), ['--max-warnings', '0', 'src', 'test', 'scripts', 'bench']);
}

const files = (targets.length > 0 ? targets : ['test']).flatMap((t) => testFiles(resolve(root, t)));
const countsDir = mkdtempSync(join(tmpdir(), 'faultline-test-'));
const countsFile = join(countsDir, 'counts.json');
process.stdout.write(`\n== tests (${files.length} files)\n`);
const run = spawnSync(
  process.execPath,
  [
    '--import', 'tsx',
    '--test',
    '--test-concurrency=2',
    '--test-reporter=spec', '--test-reporter-destination=stdout',
    '--test-reporter=./scripts/count-reporter.mjs', '--test-reporter-destination=stderr',
    ...files,
  ],
  { cwd: root, stdio: 'inherit', env: { ...process.env, FAULTLINE_TEST_COUNTS: countsFile, NODE_ENV: 'test' } },
);
try {
  const counts = JSON.parse(readFileSync(countsFile, 'utf8'));
  passed += counts.passed;
  failed += counts.failed;
} catch {
  failed += 1;
  process.stdout.write('== the test runner wrote no counts\n');
}
if (run.status !== 0 && failed === 0) failed += 1;
rmSync(countsDir, { recursive: true, force: true });
process.stdout.write(`\n${passed} passed, ${failed} failed\n`);
process.exit(failed === 0 ? 0 : 1);
