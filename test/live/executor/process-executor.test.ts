/**
 * The process executor with real processes: Mesos's states and messages for
 * an exit 0, an exit 3, a signal and a kill (SIGTERM, then SIGKILL after the
 * grace period for a task that ignores SIGTERM), no process left behind (its
 * group answers ESRCH), the sandbox's stdout and stderr, the task's ports in
 * its environment. Every group a test starts is SIGKILLed in afterEach.
 */
import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TaskId } from '../../../src/core/ids.js';
import { ExecutorHarness, groupSignalFails, taskInfo, waitFor } from './harness.js';

let h: ExecutorHarness;
beforeEach(() => {
  h = new ExecutorHarness();
});
afterEach(async () => {
  await h.cleanup();
});

describe('process executor: how a task ends', () => {
  it('exit 0: STARTING, RUNNING, FINISHED "Command exited with status 0", the output in the sandbox stdout', async () => {
    const executor = h.executor();
    executor.launch(taskInfo('ok', 'echo hello; echo oops >&2'));
    const finished = await h.reported('ok', 'TASK_FINISHED');
    assert.equal(finished.message, 'Command exited with status 0');
    assert.deepEqual(h.states('ok'), ['TASK_STARTING', 'TASK_RUNNING', 'TASK_FINISHED']);
    const sandbox = executor.sandboxOf('ok' as TaskId);
    assert.ok(sandbox !== null);
    assert.equal(sandbox, join(h.workDir, 'sandboxes', 'ok'));
    assert.equal(readFileSync(join(sandbox, 'stdout'), 'utf8'), 'hello\n');
    assert.equal(readFileSync(join(sandbox, 'stderr'), 'utf8'), 'oops\n');
    assert.equal(executor.tasks().find((t) => t.taskId === 'ok')?.state, 'TASK_FINISHED');
  });

  it('exit 3: FAILED "Command exited with status 3"', async () => {
    const executor = h.executor();
    executor.launch(taskInfo('three', 'exit 3'));
    const failed = await h.reported('three', 'TASK_FAILED');
    assert.equal(failed.message, 'Command exited with status 3');
    assert.deepEqual(h.states('three'), ['TASK_STARTING', 'TASK_RUNNING', 'TASK_FAILED']);
  });

  it('a signal it did not get from kill(): FAILED with glibc\'s name for it, as Mesos says', async () => {
    const executor = h.executor();
    executor.launch(taskInfo('usr1', 'kill -USR1 $$'));
    const failed = await h.reported('usr1', 'TASK_FAILED');
    assert.equal(failed.message, 'Command terminated with signal User defined signal 1');
  });

  it('a command the shell cannot find: FAILED with status 127', async () => {
    const executor = h.executor();
    executor.launch(taskInfo('missing', '/no/such/program-faultline'));
    assert.equal((await h.reported('missing', 'TASK_FAILED')).message, 'Command exited with status 127');
  });

  it('a command Node cannot even spawn (a NUL byte): FAILED "Failed to launch command", no crash', async () => {
    const executor = h.executor();
    executor.launch(taskInfo('nul', 'echo a\u0000b'));
    const failed = await h.reported('nul', 'TASK_FAILED');
    assert.match(failed.message ?? '', /^Failed to launch command: /);
    assert.deepEqual(h.states('nul'), ['TASK_STARTING', 'TASK_FAILED']);
  });

  it('a duplicated launch starts one process', async () => {
    const executor = h.executor();
    executor.launch(taskInfo('dup', 'echo once'));
    executor.launch(taskInfo('dup', 'echo twice'));
    await h.reported('dup', 'TASK_FINISHED');
    assert.equal(readFileSync(join(executor.sandboxOf('dup' as TaskId) ?? '', 'stdout'), 'utf8'), 'once\n');
    assert.deepEqual(h.states('dup'), ['TASK_STARTING', 'TASK_RUNNING', 'TASK_FINISHED']);
  });

  it('a task id with a slash stays inside sandboxes/', async () => {
    const executor = h.executor();
    executor.launch(taskInfo('../evil/x', 'pwd'));
    await h.reported('../evil/x', 'TASK_FINISHED');
    const sandbox = executor.sandboxOf('../evil/x' as TaskId) ?? '';
    assert.ok(sandbox.startsWith(join(h.workDir, 'sandboxes') + '/'), sandbox);
    assert.equal(readFileSync(join(sandbox, 'stdout'), 'utf8').trim(), sandbox);
  });
});

describe('process executor: kill', () => {
  it('SIGTERM: KILLED "Command terminated with signal Terminated", and the group is gone', async () => {
    const executor = h.executor();
    executor.launch(taskInfo('sleepy', 'sleep 30 & sleep 30; wait'));
    await h.reported('sleepy', 'TASK_RUNNING');
    const pgid = await h.pgidOf(executor, 'sleepy');
    executor.kill('sleepy' as TaskId);
    const killed = await h.reported('sleepy', 'TASK_KILLED');
    assert.equal(killed.message, 'Command terminated with signal Terminated');
    await waitFor(() => groupSignalFails(pgid), `group ${pgid} gone`);
    assert.deepEqual(h.states('sleepy'), ['TASK_STARTING', 'TASK_RUNNING', 'TASK_KILLED']);
  });

  it('a task that ignores SIGTERM: SIGKILL after the grace period, KILLED "... signal Killed", no process left', async () => {
    const executor = h.executor({ killGracePeriodMs: 150 });
    const marker = join(h.workDir, 'trap-set');
    executor.launch(taskInfo('stubborn', `trap '' TERM; touch ${marker}; sleep 30`));
    const pgid = await h.pgidOf(executor, 'stubborn');
    await waitFor(() => existsSync(marker), 'the trap is set');
    executor.kill('stubborn' as TaskId);
    const killed = await h.reported('stubborn', 'TASK_KILLED');
    assert.equal(killed.message, 'Command terminated with signal Killed');
    await waitFor(() => groupSignalFails(pgid), `group ${pgid} gone`);
  });

  it('kill of an unknown or ended task is a no-op; a second kill does not restart the grace period', async () => {
    const executor = h.executor();
    executor.kill('nobody' as TaskId);
    executor.launch(taskInfo('quick', 'true'));
    await h.reported('quick', 'TASK_FINISHED');
    executor.kill('quick' as TaskId);
    executor.launch(taskInfo('twice', 'sleep 30'));
    await h.reported('twice', 'TASK_RUNNING');
    executor.kill('twice' as TaskId);
    executor.kill('twice' as TaskId);
    await h.reported('twice', 'TASK_KILLED');
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(h.states('quick'), ['TASK_STARTING', 'TASK_RUNNING', 'TASK_FINISHED']);
    assert.deepEqual(h.states('twice'), ['TASK_STARTING', 'TASK_RUNNING', 'TASK_KILLED']);
    assert.deepEqual(h.states('nobody'), []);
  });

  it('a kill right after launch (before the process exists) still kills it', async () => {
    const executor = h.executor();
    executor.launch(taskInfo('early', 'sleep 30'));
    executor.kill('early' as TaskId);
    await h.reported('early', 'TASK_KILLED');
    const pgid = await h.pgidOf(executor, 'early');
    await waitFor(() => groupSignalFails(pgid), `group ${pgid} gone`);
  });

  it('close({killTasks: true}) kills every task and waits for them', async () => {
    const executor = h.executor();
    executor.launch(taskInfo('a', 'sleep 30'));
    executor.launch(taskInfo('b', 'sleep 30'));
    const pgids = [await h.pgidOf(executor, 'a'), await h.pgidOf(executor, 'b')];
    await executor.close({ killTasks: true });
    assert.equal(h.last('a')?.state, 'TASK_KILLED');
    assert.equal(h.last('b')?.state, 'TASK_KILLED');
    for (const pgid of pgids) await waitFor(() => groupSignalFails(pgid), `group ${pgid} gone`);
  });
});

describe('process executor: environment', () => {
  it('the task\'s ports as PORT0.., PORTS and PORT; MESOS_SANDBOX and MESOS_TASK_ID; extra env', async () => {
    const executor = h.executor({ env: { EXTRA: 'yes' } });
    executor.launch(taskInfo('ports', 'echo "$PORT0 $PORT1 $PORT2 $PORT|$PORTS|$MESOS_TASK_ID|$MESOS_SANDBOX|$EXTRA"', [{ begin: 31000, end: 31001 }, { begin: 31005, end: 31005 }]));
    await h.reported('ports', 'TASK_FINISHED');
    const sandbox = executor.sandboxOf('ports' as TaskId) ?? '';
    assert.equal(readFileSync(join(sandbox, 'stdout'), 'utf8'), `31000 31001 31005 31000|31000,31001,31005|ports|${sandbox}|yes\n`);
  });

  it('the sandbox is the cwd and stdout appends', async () => {
    const executor = h.executor();
    executor.launch(taskInfo('cwd', 'pwd'));
    await h.reported('cwd', 'TASK_FINISHED');
    const sandbox = executor.sandboxOf('cwd' as TaskId) ?? '';
    assert.equal(readFileSync(join(sandbox, 'stdout'), 'utf8'), `${sandbox}\n`);
  });
});
