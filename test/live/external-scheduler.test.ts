/**
 * The external test scheduler (test/fixtures/external-scheduler.mjs), run as a
 * child process as a scenario file would start it, against the fake master.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import {
  launchedTasks,
  offersEvent,
  startFakeMaster,
  updateEvent,
  type FakeMesosMaster,
  type FakeStream,
  type ReceivedCall,
} from '../helpers/fake-mesos-master.js';

const FIXTURE = fileURLToPath(new URL('../fixtures/external-scheduler.mjs', import.meta.url));

interface Running {
  readonly child: ChildProcess;
  output(): string;
}

function startScheduler(t: { after: (fn: () => unknown) => void }, env: Record<string, string>): Running {
  const child = spawn(process.execPath, [FIXTURE], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
  t.after(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await once(child, 'exit');
    }
  });
  return { child, output: () => out };
}

/** A master that answers each LAUNCH with TASK_RUNNING for every task in it. */
async function runningMaster(extra: Parameters<typeof startFakeMaster>[0] = {}): Promise<FakeMesosMaster> {
  const master: FakeMesosMaster = await startFakeMaster({
    ...extra,
    onCall: (call, stream) => {
      if (call.type !== 'ACCEPT' || stream === undefined) return;
      for (const task of launchedTasks(call)) stream.send(updateEvent({ taskId: task.task_id.value, agentId: task.agent_id.value, state: 'TASK_RUNNING', source: 'SOURCE_EXECUTOR' }));
    },
  });
  return master;
}

function launches(master: FakeMesosMaster): ReturnType<typeof launchedTasks> {
  return master.calls.filter((c) => c.type === 'ACCEPT').flatMap(launchedTasks);
}

async function until(what: string, probe: () => boolean, output: () => string, timeoutMs = 10_000): Promise<void> {
  const start = Date.now();
  while (!probe()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}; scheduler said:\n${output()}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

function offer(master: FakeMesosMaster, stream: FakeStream, id: string): void {
  stream.send(offersEvent(master.masterId, stream.frameworkId, [{ id, agent: '1', cpus: 4, mem: 7812 }]));
}

/** Starts the scheduler, offers once, and waits for its three tasks to be RUNNING and acknowledged. */
async function threeRunning(t: { after: (fn: () => unknown) => void }, env: Record<string, string> = {}): Promise<{ master: FakeMesosMaster; stream: FakeStream; s: Running }> {
  const master = await runningMaster();
  t.after(() => master.close());
  const s = startScheduler(t, { FAULTLINE_MASTER: master.address, FRAMEWORK_NAME: 'web', ...env });
  const stream = await master.waitForStreams(1, 10_000);
  offer(master, stream, '1');
  await until('3 acknowledgements', () => master.calls.filter((c) => c.type === 'ACKNOWLEDGE').length === 3, s.output);
  return { master, stream, s };
}

describe('the external test scheduler', () => {
  it('subscribes PARTITION_AWARE under $FRAMEWORK_NAME and keeps $INSTANCES tasks running', { timeout: 30_000 }, async (t) => {
    const { master } = await threeRunning(t);
    const info = (master.subscribes[0] as unknown as { subscribe: { framework_info: { name: string; capabilities: Array<{ type: string }> } } }).subscribe.framework_info;
    assert.equal(info.name, 'web');
    assert.deepEqual(info.capabilities, [{ type: 'PARTITION_AWARE' }]);
    const tasks = launches(master);
    assert.equal(tasks.length, 3);
    assert.equal(new Set(tasks.map((task) => task.task_id.value)).size, 3, 'distinct task ids');
    for (const task of tasks) assert.deepEqual(task.command, { shell: true, value: 'sleep 3600' });
    assert.deepEqual(master.rejections, []);
  });

  it('relaunches a task reported TASK_UNREACHABLE, and kills it as surplus when it comes back RUNNING', { timeout: 30_000 }, async (t) => {
    const { master, stream, s } = await threeRunning(t);
    const lost = launches(master)[0] as ReturnType<typeof launchedTasks>[number];
    stream.send(updateEvent({ taskId: lost.task_id.value, agentId: lost.agent_id.value, state: 'TASK_UNREACHABLE', source: 'SOURCE_MASTER', reason: 'REASON_AGENT_UNREACHABLE' }));
    await until('the UNREACHABLE acknowledgement', () => master.calls.filter((c) => c.type === 'ACKNOWLEDGE').length === 4, s.output);
    offer(master, stream, '2');
    await until('a fourth launch', () => launches(master).length === 4, s.output);
    const replacement = launches(master)[3];
    assert.notEqual(replacement?.task_id.value, lost.task_id.value);
    // The agent comes back: the old task is RUNNING again and is now one too many.
    stream.send(updateEvent({ taskId: lost.task_id.value, agentId: lost.agent_id.value, state: 'TASK_RUNNING', source: 'SOURCE_MASTER', reason: 'REASON_AGENT_REREGISTERED' }));
    const kill = await master.waitForCall((c: ReceivedCall) => c.type === 'KILL', 10_000);
    assert.deepEqual((kill.kill as { task_id: unknown }).task_id, lost.task_id);
  });

  it('relaunches after TASK_FAILED and TASK_LOST as well', { timeout: 30_000 }, async (t) => {
    const { master, stream, s } = await threeRunning(t);
    const [a, b] = launches(master);
    assert.ok(a && b);
    stream.send(updateEvent({ taskId: a.task_id.value, agentId: a.agent_id.value, state: 'TASK_FAILED', source: 'SOURCE_EXECUTOR' }));
    stream.send(updateEvent({ taskId: b.task_id.value, agentId: b.agent_id.value, state: 'TASK_LOST', source: 'SOURCE_MASTER' }));
    await until('both acknowledgements', () => master.calls.filter((c) => c.type === 'ACKNOWLEDGE').length === 5, s.output);
    offer(master, stream, '2');
    await until('two replacements', () => launches(master).length === 5, s.output);
  });

  it('with IGNORE_UNREACHABLE=1 ignores TASK_UNREACHABLE: no replacement, the offer is declined', { timeout: 30_000 }, async (t) => {
    const { master, stream, s } = await threeRunning(t, { IGNORE_UNREACHABLE: '1' });
    const lost = launches(master)[0] as ReturnType<typeof launchedTasks>[number];
    stream.send(updateEvent({ taskId: lost.task_id.value, agentId: lost.agent_id.value, state: 'TASK_UNREACHABLE', source: 'SOURCE_MASTER' }));
    offer(master, stream, '2');
    const decline = await master.waitForCall((c) => c.type === 'DECLINE', 10_000);
    assert.deepEqual((decline.decline as { offer_ids: unknown[] }).offer_ids, [{ value: `${master.masterId}-O2` }]);
    assert.equal(launches(master).length, 3, 'no replacement');
    assert.equal(master.calls.filter((c) => c.type === 'ACKNOWLEDGE').length, 4, 'the ignored update is still acknowledged');
    assert.match(s.output(), /ignoring TASK_UNREACHABLE/);
  });

  it('follows a 307 to the leader', { timeout: 30_000 }, async (t) => {
    const leader = await runningMaster();
    t.after(() => leader.close());
    const standby = await startFakeMaster({ answerSubscribe: () => ({ kind: 'redirect', location: `//127.0.0.1:${leader.port}/api/v1/scheduler` }) });
    t.after(() => standby.close());
    const s = startScheduler(t, { FAULTLINE_MASTER: standby.address, INSTANCES: '1' });
    const stream = await leader.waitForStreams(1, 10_000);
    offer(leader, stream, '1');
    await until('one launch on the leader', () => launches(leader).length === 1, s.output);
    assert.equal(standby.streams.length, 0);
  });

  it('resubscribes as the same framework when the stream ends, and reconciles', { timeout: 30_000 }, async (t) => {
    const master = await runningMaster();
    t.after(() => master.close());
    const s = startScheduler(t, { FAULTLINE_MASTER: master.address, INSTANCES: '1' });
    const first = await master.waitForStreams(1, 10_000);
    first.end();
    await master.waitForStreams(2, 10_000);
    const second = master.subscribes[1] as ReceivedCall;
    assert.equal(second.framework_id?.value, first.frameworkId);
    await master.waitForCall((c) => c.type === 'RECONCILE', 10_000);
    assert.match(s.output(), /resubscribing/);
  });

  it('exits 0 on SIGTERM', { timeout: 30_000 }, async (t) => {
    const master = await runningMaster();
    t.after(() => master.close());
    const s = startScheduler(t, { FAULTLINE_MASTER: master.address });
    await master.waitForStreams(1, 10_000);
    s.child.kill('SIGTERM');
    const [code] = (await once(s.child, 'exit')) as [number | null];
    assert.equal(code, 0);
  });

  it('refuses a missing $FAULTLINE_MASTER with one line and exit 2', { timeout: 30_000 }, async (t) => {
    const s = startScheduler(t, {});
    const [code] = (await once(s.child, 'exit')) as [number | null];
    assert.equal(code, 2);
    assert.match(s.output(), /^external-scheduler: FAULTLINE_MASTER must be host:port, got ""\n$/);
  });
});
