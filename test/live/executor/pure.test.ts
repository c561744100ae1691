/**
 * The executor's pure parts, table-driven: Mesos's wording for how a command
 * ended, the shell's `$?` read as a wait status, /proc/<pid>/stat parsing,
 * the exit_status file, sandbox names that cannot escape, the task's
 * environment.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { TaskId } from '../../../src/core/ids.js';
import { resources } from '../../../src/core/resources.js';
import { parseProcStat } from '../../../src/live/executor/proc.js';
import { sandboxName } from '../../../src/live/executor/process-executor.js';
import { MAX_PORT_VARIABLES, taskEnvironment, taskPorts } from '../../../src/live/executor/task-env.js';
import { commandMessage, describeSignal, terminalStatus, waitStatusFromShell } from '../../../src/live/executor/wait-status.js';
import { parseExitStatus } from '../../../src/live/executor/wrapper.js';
import { taskInfo } from './harness.js';

describe('Mesos\'s words for how a command ended', () => {
  const cases: Array<[number, boolean, string, string]> = [
    [0, false, 'TASK_FINISHED', 'Command exited with status 0'],
    [3, false, 'TASK_FAILED', 'Command exited with status 3'],
    [143, false, 'TASK_FAILED', 'Command terminated with signal Terminated'],
    [143, true, 'TASK_KILLED', 'Command terminated with signal Terminated'],
    [137, true, 'TASK_KILLED', 'Command terminated with signal Killed'],
    [139, false, 'TASK_FAILED', 'Command terminated with signal Segmentation fault'],
    [0, true, 'TASK_KILLED', 'Command exited with status 0'],
    [128, false, 'TASK_FAILED', 'Command exited with status 128'],
    [255, false, 'TASK_FAILED', 'Command exited with status 255'],
  ];
  for (const [status, killed, state, message] of cases) {
    it(`$?=${status}${killed ? ' after kill()' : ''}: ${state} "${message}"`, () => {
      assert.deepEqual(terminalStatus(waitStatusFromShell(status), killed), { state, message });
    });
  }
  it('signal names Node gives map to strsignal\'s text; unknown ones say so', () => {
    assert.equal(commandMessage({ kind: 'signaled', signal: 'SIGINT' }), 'Command terminated with signal Interrupt');
    assert.equal(describeSignal('SIGRTMIN'), 'Unknown signal SIGRTMIN');
  });
});

describe('/proc/<pid>/stat', () => {
  it('reads state, pgrp and start time, even with spaces and parentheses in the name', () => {
    const fields = Array.from({ length: 50 }, (_, i) => String(i + 3));
    fields[0] = 'S';
    fields[2] = '4242';
    fields[19] = '987654';
    assert.deepEqual(parseProcStat(`123 (my (odd) name) ${fields.join(' ')}\n`), { state: 'S', pgrp: 4242, startTicks: 987654 });
    assert.equal(parseProcStat('garbage'), null);
  });
});

describe('the exit_status file', () => {
  it('holds the shell\'s $? or is not trusted', () => {
    assert.equal(parseExitStatus('0\n'), 0);
    assert.equal(parseExitStatus('143\n'), 143);
    for (const bad of ['', 'x', '256', '-1', '1 2']) assert.equal(parseExitStatus(bad), null, bad);
  });
});

describe('sandbox names', () => {
  it('keep plain ids and encode what could leave sandboxes/', () => {
    assert.equal(sandboxName('web.1-abc_2' as TaskId), 'web.1-abc_2');
    assert.equal(sandboxName('a/b' as TaskId), 'a%2Fb');
    assert.equal(sandboxName('..' as TaskId), '%2E%2E');
    assert.equal(sandboxName('.' as TaskId), '%2E');
    assert.ok(!sandboxName('../../etc' as TaskId).includes('/'));
  });
});

describe('the task\'s environment', () => {
  it('ports in range order, PORT is the first, the base and extra env kept, MESOS_* set last', () => {
    const task = { ...taskInfo('t1', 'true'), resources: resources({ ports: [{ begin: 5, end: 6 }, { begin: 1, end: 1 }] }) };
    const env = taskEnvironment({ task, sandbox: '/s', base: { HOME: '/root', UNSET: undefined, MESOS_TASK_ID: 'spoof' }, extra: { X: '1' } });
    assert.deepEqual(env, { HOME: '/root', X: '1', MESOS_SANDBOX: '/s', MESOS_DIRECTORY: '/s', MESOS_TASK_ID: 't1', PORT0: '1', PORT1: '5', PORT2: '6', PORT: '1', PORTS: '1,5,6' });
  });
  it('no ports: no PORT variables; a huge range is cut at MAX_PORT_VARIABLES', () => {
    const env = taskEnvironment({ task: taskInfo('t2', 'true'), sandbox: '/s', base: {} });
    assert.equal(env.PORT, undefined);
    assert.equal(env.PORTS, undefined);
    assert.equal(taskPorts([{ begin: 1, end: 100_000 }]).length, MAX_PORT_VARIABLES);
  });
});
