/**
 * Every non-TUI command piped into `head -1`, as scripts do: the closed pipe
 * ends the command quietly (exit 0, or 141 as a shell reports SIGPIPE), never
 * an EPIPE stack trace and exit 1. The built launcher end to end (npm test builds first).
 */
import { after, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '../..');
const built = existsSync(join(ROOT, 'dist/cli/main.js'));
const dir = mkdtempSync(join(tmpdir(), 'faultline-pipe-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `faultline <args> | head -1` in bash; returns faultline's exit code, its stderr and head's output. */
function pipeToHead(args: readonly string[]): { code: number; stderr: string; out: string } {
  const quoted = args.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const errFile = join(dir, 'stderr.txt');
  const script = `node bin/faultline ${quoted} 2>'${errFile}' | head -1; echo "rc=\${PIPESTATUS[0]}"; cat '${errFile}' >&2`;
  const result = spawnSync('bash', ['-c', script], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, CI: 'true' } });
  const lines = result.stdout.trimEnd().split('\n');
  const rc = /^rc=(\d+)$/.exec(lines.pop() ?? '');
  assert.ok(rc, `no exit code in ${result.stdout}`);
  return { code: Number(rc[1]), stderr: result.stderr, out: lines.join('\n') };
}

const history = join(dir, 'run.jsonl');
const COMMANDS: ReadonlyArray<readonly string[]> = [
  ['--help'],
  ['--version'],
  ['sim', '--duration', '30s', '--seed', '1'],
  ['sim', '--duration', '30s', '--seed', '1', '--json'],
  ['run', 'scenarios/kill-task.yaml', 'scenarios/agent-loss.yaml', '--history', history],
  ['run', 'scenarios/kill-task.yaml', '--json'],
  ['check', join(dir, 'run.kill-task.jsonl')],
  ['fuzz', '--seeds', '3', '--start', '1', '--workers', '0', '--duration', '5s', '--out', join(dir, 'fuzz')],
  ['up', '--once', '--duration', '5s', '--seed', '1'],
  ['up', '--once', '--json', '--duration', '5s', '--seed', '1'],
];

for (const args of COMMANDS) {
  it(`faultline ${args.join(' ')} | head -1: no stack trace, exit 0 or 141`, { skip: built ? false : 'not built (npm run build)' }, () => {
    const { code, stderr, out } = pipeToHead(args);
    assert.ok(code === 0 || code === 141, `exit ${code}; stderr:\n${stderr}`);
    assert.doesNotMatch(stderr, /EPIPE|\n\s+at |Error:/, 'no stack trace');
    assert.notEqual(out, '', 'head got its line');
  });
}
