/**
 * `faultline execute` run in-process through the CLI against the scripted fake
 * Mesos master: mesos-execute's output lines, calls and exit codes.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import os from 'node:os';
import { Writable } from 'node:stream';
import { PassThrough } from 'node:stream';
import { runCli } from '../helpers/io.js';
import { main } from '../../src/cli/main.js';
import {
  closedPort,
  launchedTasks,
  offersEvent,
  startBlackHole,
  startFakeMaster,
  updateEvent,
  type FakeMasterOptions,
  type FakeMesosMaster,
  type ReceivedCall,
} from '../helpers/fake-mesos-master.js';

type Step = { state: string; source?: string; message?: string; reason?: string };

/**
 * A master that offers a too-small offer (O1 on S0) and a big one (O2 on S1), and after the
 * ACCEPT sends `onLaunch`'s updates; after a KILL, `onKill`'s.
 */
function executeScript(script: { onLaunch: Step[]; onKill?: Step[] }): FakeMasterOptions & { master?: FakeMesosMaster } {
  const holder: FakeMasterOptions & { master?: FakeMesosMaster } = {
    onSubscribed: (stream) => {
      const m = holder.master as FakeMesosMaster;
      stream.send(offersEvent(m.masterId, stream.frameworkId, [
        { id: '1', agent: '0', cpus: 0.5, mem: 64 },
        { id: '2', agent: '1', cpus: 4, mem: 7812 },
      ]));
    },
    onCall: (call, stream) => {
      if (stream === undefined) return;
      const agentId = `${(holder.master as FakeMesosMaster).masterId}-S1`;
      const steps = call.type === 'ACCEPT' ? script.onLaunch : call.type === 'KILL' ? (script.onKill ?? []) : [];
      const task = call.type === 'ACCEPT' ? launchedTasks(call)[0]?.task_id.value : (call.kill as { task_id: { value: string } } | undefined)?.task_id.value;
      for (const step of steps) stream.send(updateEvent({ taskId: task ?? '?', agentId, ...step }));
    },
  };
  return holder;
}

async function scriptedMaster(script: { onLaunch: Step[]; onKill?: Step[] }, extra: FakeMasterOptions = {}): Promise<FakeMesosMaster> {
  const options = executeScript(script);
  const master = await startFakeMaster({ ...options, ...extra });
  options.master = master;
  return master;
}

const FINISHED_FLOW: Step[] = [
  { state: 'TASK_STARTING', source: 'SOURCE_EXECUTOR' },
  { state: 'TASK_RUNNING', source: 'SOURCE_EXECUTOR' },
  { state: 'TASK_FINISHED', source: 'SOURCE_EXECUTOR', message: 'Command exited with status 0' },
];

function callsOf(master: FakeMesosMaster, type: string): ReceivedCall[] {
  return master.calls.filter((c) => c.type === type);
}

describe('faultline execute against a fake Mesos master', () => {
  it('runs the whizbang task to TASK_FINISHED, printing what mesos-execute prints, and exits 0', { timeout: 20_000 }, async (t) => {
    const master = await scriptedMaster({ onLaunch: FINISHED_FLOW });
    t.after(() => master.close());
    const r = await runCli('execute', `--master=${master.address}`, '--name=whizbang', '--command=/bin/sleep 10');
    const frameworkId = `${master.masterId}-0000`;
    assert.equal(r.err, '');
    assert.equal(
      r.out,
      [
        `Subscribed with ID ${frameworkId}`,
        `Submitted task 'whizbang' to agent '${master.masterId}-S1'`,
        "Received status update TASK_STARTING for task 'whizbang'",
        '  source: SOURCE_EXECUTOR',
        "Received status update TASK_RUNNING for task 'whizbang'",
        '  source: SOURCE_EXECUTOR',
        "Received status update TASK_FINISHED for task 'whizbang'",
        "  message: 'Command exited with status 0'",
        '  source: SOURCE_EXECUTOR',
        '',
      ].join('\n'),
    );
    assert.equal(r.code, 0);
    assert.deepEqual(master.rejections, [], 'every request was valid (Content-Type, Mesos-Stream-Id, framework id, uuids)');

    const subscribe = master.subscribes[0] as unknown as { subscribe: { framework_info: Record<string, unknown> } };
    const info = subscribe.subscribe.framework_info;
    assert.equal(info.user, os.userInfo().username);
    assert.equal(info.name, 'mesos-execute instance');
    assert.equal(info.role, '*');
    assert.deepEqual(
      (info.capabilities as Array<{ type: string }>).map((c) => c.type).sort(),
      ['PARTITION_AWARE', 'RESERVATION_REFINEMENT', 'REVOCABLE_RESOURCES', 'TASK_KILLING_STATE'],
    );

    const [accept] = callsOf(master, 'ACCEPT');
    assert.ok(accept);
    assert.deepEqual((accept.accept as { offer_ids: unknown[] }).offer_ids, [{ value: `${master.masterId}-O2` }]);
    const [task] = launchedTasks(accept);
    assert.deepEqual(task, {
      name: 'whizbang',
      task_id: { value: 'whizbang' },
      agent_id: { value: `${master.masterId}-S1` },
      resources: [
        { name: 'cpus', type: 'SCALAR', scalar: { value: 1 } },
        { name: 'mem', type: 'SCALAR', scalar: { value: 128 } },
      ],
      command: { shell: true, value: '/bin/sleep 10' },
    });
    const [decline] = callsOf(master, 'DECLINE');
    assert.deepEqual((decline?.decline as { offer_ids: unknown[] }).offer_ids, [{ value: `${master.masterId}-O1` }], 'the small offer is declined');
    await master.waitForCall((c) => c.type === 'SUPPRESS');
    assert.ok(master.calls.findIndex((c) => c.type === 'SUPPRESS') > master.calls.findIndex((c) => c.type === 'DECLINE'), 'SUPPRESS follows DECLINE');

    const acks = callsOf(master, 'ACKNOWLEDGE').map((c) => c.acknowledge as { task_id: { value: string }; agent_id: { value: string }; uuid: string });
    assert.equal(acks.length, 3, 'each of the three updates is acknowledged');
    for (const ack of acks) {
      assert.equal(ack.task_id.value, 'whizbang');
      assert.equal(ack.agent_id.value, `${master.masterId}-S1`);
    }
  });

  it('takes --flag value as well as --flag=value, and --no-partition_aware and --role', { timeout: 20_000 }, async (t) => {
    const master = await scriptedMaster({ onLaunch: FINISHED_FLOW });
    t.after(() => master.close());
    const r = await runCli('execute', '--master', master.address, '--name', 'spaced', '--command', 'echo hi', '--resources', 'cpus:0.5;mem:32', '--no-partition_aware', '--role', 'analytics');
    assert.equal(r.code, 0, r.err);
    const info = (master.subscribes[0] as unknown as { subscribe: { framework_info: { role: string; capabilities: Array<{ type: string }> } } }).subscribe.framework_info;
    assert.equal(info.role, 'analytics');
    assert.ok(!info.capabilities.some((c) => c.type === 'PARTITION_AWARE'));
    // cpus:0.5;mem:32 fits the first offer (cpus 0.5, mem 64), so that one is accepted.
    const [accept] = callsOf(master, 'ACCEPT');
    assert.deepEqual((accept?.accept as { offer_ids: unknown[] }).offer_ids, [{ value: `${master.masterId}-O1` }]);
    assert.equal(launchedTasks(accept as ReceivedCall)[0]?.command?.value, 'echo hi');
  });

  it('kills the task --kill_after TASK_RUNNING and prints the kill line', { timeout: 20_000 }, async (t) => {
    const master = await scriptedMaster({
      onLaunch: [{ state: 'TASK_RUNNING', source: 'SOURCE_EXECUTOR' }],
      onKill: [
        { state: 'TASK_KILLING', source: 'SOURCE_EXECUTOR' },
        { state: 'TASK_KILLED', source: 'SOURCE_EXECUTOR', message: 'Command terminated with signal Terminated' },
      ],
    });
    t.after(() => master.close());
    const r = await runCli('execute', `--master=${master.address}`, '--name=sleeper', '--command=sleep 1000', '--kill_after=200ms');
    assert.equal(r.code, 0, r.err);
    const agent = `${master.masterId}-S1`;
    assert.deepEqual(r.out.split('\n').slice(2), [
      "Received status update TASK_RUNNING for task 'sleeper'",
      '  source: SOURCE_EXECUTOR',
      `Asked to kill task 'sleeper' on agent '${agent}'`,
      "Received status update TASK_KILLING for task 'sleeper'",
      '  source: SOURCE_EXECUTOR',
      "Received status update TASK_KILLED for task 'sleeper'",
      "  message: 'Command terminated with signal Terminated'",
      '  source: SOURCE_EXECUTOR',
      '',
    ]);
    const [kill] = callsOf(master, 'KILL');
    assert.deepEqual(kill?.kill, { task_id: { value: 'sleeper' }, agent_id: { value: agent } });
  });

  it('exits 0 on TASK_FAILED too (as mesos-execute), printing the reason', { timeout: 20_000 }, async (t) => {
    const master = await scriptedMaster({
      onLaunch: [{ state: 'TASK_FAILED', source: 'SOURCE_EXECUTOR', message: 'Command exited with status 1', reason: 'REASON_COMMAND_EXECUTOR_FAILED' }],
    });
    t.after(() => master.close());
    const r = await runCli('execute', `--master=${master.address}`, '--name=f', '--command=false');
    assert.equal(r.code, 0);
    assert.ok(r.out.endsWith("Received status update TASK_FAILED for task 'f'\n  message: 'Command exited with status 1'\n  source: SOURCE_EXECUTOR\n  reason: REASON_COMMAND_EXECUTOR_FAILED\n"), r.out);
  });

  it('exits 1 on an ERROR event, with mesos-execute\'s line', { timeout: 20_000 }, async (t) => {
    const master = await startFakeMaster({ onSubscribed: (stream) => stream.send({ type: 'ERROR', error: { message: 'Framework has been removed' } }) });
    t.after(() => master.close());
    const r = await runCli('execute', `--master=${master.address}`, '--name=e', '--command=true');
    assert.equal(r.code, 1);
    assert.equal(r.err, 'Received an ERROR event: Framework has been removed\n');
  });

  it('follows a 307 with a protocol-relative Location to the leader', { timeout: 20_000 }, async (t) => {
    const leader = await scriptedMaster({ onLaunch: FINISHED_FLOW });
    t.after(() => leader.close());
    const standby = await startFakeMaster({ answerSubscribe: () => ({ kind: 'redirect', location: `//127.0.0.1:${leader.port}/api/v1/scheduler` }) });
    t.after(() => standby.close());
    const r = await runCli('execute', `--master=${standby.address}`, '--name=whizbang', '--command=/bin/sleep 10');
    assert.equal(r.code, 0, r.err);
    assert.equal(standby.subscribes.length, 1);
    assert.equal(standby.calls.length, 0, 'no call goes to the standby');
    assert.ok(r.out.includes("Received status update TASK_FINISHED for task 'whizbang'"));
    assert.equal(callsOf(leader, 'ACCEPT').length, 1);
  });

  it('retries a 503 (no leader yet) and then subscribes', { timeout: 20_000 }, async (t) => {
    const master = await scriptedMaster({ onLaunch: FINISHED_FLOW }, { answerSubscribe: (n) => (n === 1 ? { kind: 'unavailable' } : { kind: 'accept' }) });
    t.after(() => master.close());
    const r = await runCli('execute', `--master=${master.address}`, '--name=w', '--command=true');
    assert.equal(r.code, 0, r.err);
    assert.equal(master.subscribes.length, 2);
    assert.equal(master.streams.length, 1);
  });

  it('exits 1 with one line when nothing listens on the master port', { timeout: 20_000 }, async () => {
    const port = await closedPort();
    const r = await runCli('execute', `--master=127.0.0.1:${port}`, '--name=w', '--command=true', '--timeout=500ms');
    assert.equal(r.code, 1);
    assert.equal(r.out, '');
    assert.match(r.err, new RegExp(`^faultline execute: could not subscribe to the master at 127\\.0\\.0\\.1:${port} within 0\\.5s: .*ECONNREFUSED.*\\n$`));
  });

  it('exits 1 with one line when the master accepts connections and never answers', { timeout: 20_000 }, async (t) => {
    const hole = await startBlackHole();
    t.after(() => hole.close());
    const r = await runCli('execute', `--master=${hole.address}`, '--name=w', '--command=true', '--timeout=500ms');
    assert.equal(r.code, 1);
    assert.equal(r.out, '');
    assert.equal(r.err, `faultline execute: could not subscribe to the master at ${hole.address} within 0.5s: no answer to SUBSCRIBE from ${hole.address}\n`);
  });

  it('exits 1 with one line when the master answers SUBSCRIBE and never sends SUBSCRIBED', { timeout: 20_000 }, async (t) => {
    const master = await startFakeMaster({ answerSubscribe: () => ({ kind: 'mute' }) });
    t.after(() => master.close());
    const r = await runCli('execute', `--master=${master.address}`, '--name=w', '--command=true', '--timeout=500ms');
    assert.equal(r.code, 1);
    assert.equal(r.err, `faultline execute: could not subscribe to the master at ${master.address} within 0.5s: no SUBSCRIBED event from ${master.address}\n`);
  });

  const badFlags: { name: string; argv: string[]; line: RegExp }[] = [
    { name: 'no --master', argv: ['--name=w', '--command=true'], line: /Flag 'master' is required/ },
    { name: 'no --name', argv: ['--master=127.0.0.1:5050', '--command=true'], line: /Missing required option --name/ },
    { name: 'no --command', argv: ['--master=127.0.0.1:5050', '--name=w'], line: /Missing required option --command/ },
    { name: 'an unknown flag', argv: ['--master=127.0.0.1:5050', '--name=w', '--command=true', '--bogus=1'], line: /unknown flag '--bogus'/ },
    { name: 'a stray argument', argv: ['--master=127.0.0.1:5050', '--name=w', '--command=true', 'stray'], line: /unexpected argument 'stray'/ },
    { name: 'bad --resources', argv: ['--master=127.0.0.1:5050', '--name=w', '--command=true', '--resources=cpus:lots'], line: /--resources\.cpus: "lots" is not a number/ },
    { name: 'a bad --kill_after', argv: ['--master=127.0.0.1:5050', '--name=w', '--command=true', '--kill_after=soon'], line: /--kill_after: "soon" is not a duration/ },
    { name: 'a zero --timeout', argv: ['--master=127.0.0.1:5050', '--name=w', '--command=true', '--timeout=0s'], line: /--timeout: the timeout must be above 0/ },
    { name: 'a zk:// master with credentials', argv: ['--master=zk://u:p@127.0.0.1:2181/mesos', '--name=w', '--command=true'], line: /credentials in zk:\/\/ URLs are not supported/ },
    { name: 'a master without a port', argv: ['--master=127.0.0.1', '--name=w', '--command=true'], line: /has no port/ },
  ];
  for (const { name, argv, line } of badFlags) {
    it(`exits 1 (mesos-execute's code) with one line for ${name}`, async () => {
      const r = await runCli('execute', ...argv);
      assert.equal(r.code, 1);
      assert.equal(r.out, '');
      assert.match(r.err, line);
      assert.equal(r.err.split('\n').length, 2, `one line: ${r.err}`);
    });
  }

  it('accepts mesos-execute\'s duration spelling (--kill_after=10secs)', async () => {
    const { parseExecuteDuration } = await import('../../src/cli/commands/execute.js');
    const cases: Array<[string, number]> = [['10secs', 10_000], ['2mins', 120_000], ['1hrs', 3_600_000], ['500ms', 500], ['1m30s', 90_000], ['1.5secs', 1500]];
    for (const [text, ms] of cases) {
      const parsed = parseExecuteDuration(text, '--kill_after');
      assert.ok(parsed.ok, text);
      assert.equal(parsed.value, ms, text);
    }
  });

  it('ends quietly with exit 0 when stdout is closed (EPIPE)', { timeout: 20_000 }, async (t) => {
    const master = await startFakeMaster(); // subscribes, then offers nothing: only a closed stdout can end the run
    t.after(() => master.close());
    const stdout = Object.assign(
      new Writable({
        write(_chunk, _encoding, callback) {
          callback(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
        },
      }),
      { isTTY: false, columns: 100 },
    );
    const stderr = new PassThrough();
    let err = '';
    stderr.on('data', (c: Buffer) => (err += c.toString()));
    const stdin = Object.assign(new PassThrough(), { isTTY: false });
    stdin.end();
    const code = await main(['execute', `--master=${master.address}`, '--name=w', '--command=true'], { stdout, stderr, stdin, env: {} });
    assert.equal(code, 0);
    assert.equal(err, '');
  });
});

describe('faultline --help', () => {
  it('lists execute', async () => {
    const r = await runCli('--help');
    assert.match(r.out, /faultline execute +Run one task on a Mesos-compatible master/);
  });

  it('execute --help says where faultline is stricter than mesos-execute', async () => {
    const r = await runCli('execute', '--help');
    assert.equal(r.code, 0);
    assert.match(r.out, /Stricter than mesos-execute/);
    assert.match(r.out, /--kill_after/);
  });
});

describe('execute building blocks', () => {
  it('prints healthy?, as mesos-execute, after message, source and reason', async () => {
    const { statusLines } = await import('../../src/cli/commands/execute.js');
    assert.deepEqual(statusLines({ task_id: { value: 't' }, state: 'TASK_RUNNING', source: 'SOURCE_EXECUTOR', healthy: false, reason: 'REASON_TASK_HEALTH_CHECK_STATUS_UPDATED', message: 'unhealthy' }), [
      "Received status update TASK_RUNNING for task 't'",
      "  message: 'unhealthy'",
      '  source: SOURCE_EXECUTOR',
      '  reason: REASON_TASK_HEALTH_CHECK_STATUS_UPDATED',
      '  healthy?: 0',
    ]);
  });

  it('resubscribes with its framework id, at the top and in framework_info', async () => {
    const { executeSubscribeCall, validateExecuteFlags } = await import('../../src/cli/commands/execute.js');
    const flags = validateExecuteFlags({ master: '127.0.0.1:5050', name: 'n', command: 'true', unknown: [], positionals: [] });
    assert.ok(flags.ok);
    const call = executeSubscribeCall(flags.value, 'alice', 'fw-1') as unknown as { framework_id?: { value: string }; subscribe: { framework_info: { id?: { value: string }; user: string } } };
    assert.deepEqual(call.framework_id, { value: 'fw-1' });
    assert.deepEqual(call.subscribe.framework_info.id, { value: 'fw-1' });
    assert.equal(call.subscribe.framework_info.user, 'alice');
    const first = executeSubscribeCall(flags.value, 'alice', undefined) as unknown as { framework_id?: unknown; subscribe: { framework_info: { id?: unknown } } };
    assert.equal(first.framework_id, undefined);
    assert.equal(first.subscribe.framework_info.id, undefined);
  });
});
