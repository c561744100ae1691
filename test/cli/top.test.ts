/**
 * `faultline top` in-process: the one-line refusals (zk://, no terminal), a
 * master that cannot be reached (exit 69, no stack trace), and `--once --json`
 * over the recorded Mesos operator stream.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import { EXIT } from '../../src/core/exit-codes.js';
import { runCli } from '../helpers/io.js';
import { startMesosOperatorFixture, type MesosOperatorFixture } from '../helpers/mesos-operator-fixture.js';

/** A port nothing listens on: bound, then closed. */
async function freePort(): Promise<number> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('faultline top', () => {
  let fixture: MesosOperatorFixture;
  before(async () => {
    fixture = await startMesosOperatorFixture();
  });
  after(async () => {
    await fixture?.close();
  });

  it('refuses a zk:// URL it cannot use in one line (exit 64)', async () => {
    const r = await runCli('top', '--master', 'zk://u:p@zk1:2181/mesos');
    assert.equal(r.code, EXIT.usage);
    assert.match(r.err, /^faultline: --master: "zk:\/\/u:p@zk1:2181\/mesos": credentials in zk:\/\/ URLs are not supported\n$/);
  });

  it('says in one line that a master cannot be reached, exit 69, no stack trace', async () => {
    const port = await freePort();
    const r = await runCli('top', '--master', `127.0.0.1:${port}`);
    assert.equal(r.code, EXIT.unavailable);
    assert.equal(r.code, 69);
    assert.match(r.err, new RegExp(`^faultline: top: cannot reach the master at 127\\.0\\.0\\.1:${port}: connect ECONNREFUSED[^\\n]*\\n$`));
    assert.doesNotMatch(r.err, /\n\s+at /);
  });

  it('without a terminal: the one-line refusal of faultline up (exit 64)', async () => {
    const r = await runCli('top', '--master', `127.0.0.1:${fixture.port}`);
    assert.equal(r.code, EXIT.usage);
    assert.match(r.err, /^faultline: stdout is not a terminal, so the TUI does not draw\. For one JSON snapshot: faultline top --master 127\.0\.0\.1:\d+ --once --json\n$/);
  });

  it('--once --json prints the model of a Mesos master, read-only with the reason', async () => {
    const r = await runCli('top', '--master', `http://127.0.0.1:${fixture.port}`, '--once', '--json');
    assert.equal(r.code, EXIT.pass, r.err);
    const json = JSON.parse(r.out) as { readonly: string; agents: Array<{ host: string; state: string }>; tasks: Array<{ taskId: string; state: string }>; frameworks: Array<{ name: string }> };
    assert.match(json.readonly, /a Mesos master/);
    assert.deepEqual(json.agents.map((a) => a.host).sort(), fixture.hosts.slice().sort());
    assert.deepEqual(json.tasks.map((t) => [t.taskId, t.state]), [['nginx.1a2b', 'TASK_RUNNING']]);
    assert.deepEqual(json.frameworks.map((f) => f.name), ['marathon']);
  });

  it('--once prints one summary line', async () => {
    const r = await runCli('top', '--master', `127.0.0.1:${fixture.port}`, '--once');
    assert.equal(r.code, EXIT.pass, r.err);
    assert.match(r.out, /^127\.0\.0\.1:\d+ · leader mesos-master-1\.example:5050 · 2 agents · 1 frameworks · 1 tasks · read-only: a Mesos master/);
  });

  it('is in --help, with exit code 69', async () => {
    const r = await runCli('--help');
    assert.match(r.out, /faultline top +Open the TUI on a live master/);
    assert.match(r.out, /69 master unavailable/);
  });
});
