/**
 * The lab's command runner on real processes (no root: it runs node): output
 * and stdin, and each failure as COMMAND naming the command line: an exit
 * status with stderr's first line, a missing program, a timeout.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileRunner } from '../../../src/live/lab/index.js';

const node = process.execPath;

describe('execFileRunner', () => {
  it('returns stdout and passes stdin', async () => {
    const ran = await execFileRunner(node, ['-e', 'process.stdin.pipe(process.stdout)'], { input: 'rules\n' });
    assert.deepEqual(ran, { ok: true, value: { stdout: 'rules\n', stderr: '' } });
  });

  it('a failing exit is COMMAND with the command line, the status and stderr', async () => {
    const ran = await execFileRunner(node, ['-e', 'console.error("\\nbad rule here\\nmore"); process.exit(2)']);
    assert.equal(ran.ok, false);
    if (!ran.ok) {
      assert.equal(ran.error.code, 'COMMAND');
      assert.ok(ran.error.message.startsWith(`${node} -e `), ran.error.message);
      assert.match(ran.error.message, /: exit 2: bad rule here$/);
    }
  });

  it('a missing program says not found', async () => {
    const ran = await execFileRunner('/nonexistent/faultline-no-such-tool', ['x']);
    assert.deepEqual(ran, { ok: false, error: { code: 'COMMAND', message: '/nonexistent/faultline-no-such-tool x: not found' } });
  });

  it('a command that hangs is killed and says it timed out', async () => {
    const ran = await execFileRunner(node, ['-e', 'setInterval(() => {}, 1000)'], { timeoutMs: 300 });
    assert.equal(ran.ok, false);
    if (!ran.ok) assert.match(ran.error.message, /timed out after 300 ms$/);
  });
});
