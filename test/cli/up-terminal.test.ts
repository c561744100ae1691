/**
 * `faultline up` draws only on a terminal that can take it: stdout and stdin
 * both TTYs, TERM not dumb. Otherwise one line saying why and exit 64, never a
 * frame drawn and exit 0 without a word.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { main } from '../../src/cli/main.js';

function io(options: { stdinTty: boolean; env: NodeJS.ProcessEnv }) {
  let out = '';
  let err = '';
  const stdout = Object.assign(new PassThrough(), { isTTY: true, columns: 100, rows: 30 });
  const stderr = new PassThrough();
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const stdin = Object.assign(new PassThrough(), { isTTY: options.stdinTty });
  return { io: { stdout, stderr, stdin, env: options.env }, out: () => out, err: () => err };
}

for (const [what, stdinTty, env, says] of [
  ['stdin not a terminal', false, { TERM: 'xterm-256color' }, /^faultline: stdin is not a terminal \(no keys would reach it\), so the TUI does not draw\./],
  ['TERM=dumb', true, { TERM: 'dumb' }, /^faultline: TERM=dumb cannot move the cursor, so the TUI does not draw\./],
] as const) {
  it(`up with ${what}: one line, exit 64, nothing drawn`, async () => {
    const c = io({ stdinTty, env });
    const code = await main(['up', '--seed', '4'], c.io);
    assert.equal(code, 64);
    assert.match(c.err(), says);
    assert.equal(c.err().trim().split('\n').length, 1);
    assert.equal(c.out(), '', 'no frame, no alternate screen');
  });
}
