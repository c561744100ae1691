/** `faultline master` and `faultline agent`: bad flags are one line and exit 64; both are in the help. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { EXIT } from '../../src/core/exit-codes.js';
import { runCli } from '../helpers/io.js';

const scratch = mkdtempSync(join(tmpdir(), 'faultline-daemon-flags-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
const noSuchLog = join(scratch, 'missing-dir', 'events.jsonl');

describe('faultline master / agent flags', () => {
  it('lists both commands in the help', async () => {
    const { code, out } = await runCli('--help');
    assert.equal(code, EXIT.pass);
    assert.match(out, /faultline master/);
    assert.match(out, /faultline agent/);
  });

  for (const [what, argv, pattern] of [
    ['a bad --listen', ['master', '--listen', 'nowhere:x'], /--listen/],
    ['a bad --heartbeat-interval', ['master', '--heartbeat-interval', 'soon'], /--heartbeat-interval/],
    ['a missing secret file', ['master', '--secret-file', '/nonexistent/secret'], /--secret-file: cannot read/],
    ['a bad --timing', ['master', '--timing', 'slow'], /timing/],
    ['a --zk that is not zk://', ['master', '--zk', 'http://127.0.0.1:2181/x'], /--zk: /],
    ['a --zk with credentials', ['master', '--zk', 'zk://u:p@127.0.0.1:2181/x'], /--zk: .*credentials in zk:\/\/ URLs are not supported/],
    ['a zero --zk-session-timeout', ['master', '--zk', 'zk://127.0.0.1:2181/x', '--zk-session-timeout', '0s'], /--zk-session-timeout: must be above 0/],
    ['a bad --zk-session-timeout', ['master', '--zk', 'zk://127.0.0.1:2181/x', '--zk-session-timeout', 'soon'], /--zk-session-timeout/],
    ['an agent --master zk:// with credentials', ['agent', '--master', 'zk://u:p@127.0.0.1:2181/x'], /--master: .*credentials/],
    ['no --master', ['agent'], /--master: is required/],
    ['a bad --master', ['agent', '--master', 'x'], /--master/],
    ['bad --resources', ['agent', '--master', '127.0.0.1:5050', '--resources', 'cpus:many'], /--resources/],
    ['bad --attributes', ['agent', '--master', '127.0.0.1:5050', '--attributes', 'rack'], /--attributes/],
    ['a --node-id with a space', ['master', '--node-id', 'master 1'], /--node-id: "master 1" is not a node id/],
    ['an empty --node-id', ['master', '--node-id', ''], /--node-id: "" is not a node id/],
    ['a --node-id of 65 characters', ['master', '--node-id', 'm'.repeat(65)], /--node-id: .* is not a node id/],
    ['an agent --node-id with a slash', ['agent', '--master', '127.0.0.1:5050', '--node-id', 'agent/1'], /--node-id: "agent\/1" is not a node id/],
    ['a master --event-log it cannot open', ['master', '--listen', '127.0.0.1:0', '--work-dir', join(scratch, 'master'), '--event-log', noSuchLog], /^faultline: --event-log: cannot open .* for appending: ENOENT\n$/],
    ['an agent --event-log it cannot open', ['agent', '--master', '127.0.0.1:5050', '--listen', '127.0.0.1:0', '--work-dir', join(scratch, 'agent'), '--event-log', noSuchLog], /^faultline: --event-log: cannot open .* for appending: ENOENT\n$/],
  ] as const) {
    it(`refuses ${what} with one line and exit 64`, async () => {
      const { code, err } = await runCli(...argv);
      assert.equal(code, EXIT.usage);
      assert.match(err, pattern);
      assert.ok(!/\n\s+at /.test(err), 'no stack trace');
    });
  }
});
