/**
 * Recovery after an agent process restart, with real processes: executor A
 * starts tasks and closes without killing them (as a crashed agent process
 * would leave them); executor B on the same work directory adopts those still
 * running (TASK_RUNNING re-reported, kill works), reports those that ended
 * meanwhile from the exit_status file the wrapper left, says "Executor
 * terminated" when nothing tells how a task ended, never signals a pid that
 * now names another process, and rejects a corrupt executor.json with a
 * typed error naming the file.
 */
import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TaskId } from '../../../src/core/ids.js';
import { CheckpointError } from '../../../src/live/executor/checkpoint.js';
import { readProcStat } from '../../../src/live/executor/proc.js';
import { ExecutorHarness, groupSignalFails, taskInfo, waitFor } from './harness.js';

let h: ExecutorHarness;
beforeEach(() => {
  h = new ExecutorHarness();
});
afterEach(async () => {
  await h.cleanup();
});

/** Writes an executor.json by hand. */
function writeCheckpoint(workDir: string, tasks: readonly object[]): void {
  writeFileSync(join(workDir, 'executor.json'), JSON.stringify({ version: 1, tasks }));
}

describe('process executor: recovery', () => {
  it('B adopts the tasks A left running: TASK_RUNNING re-reported, then kill and close work on them', async () => {
    const a = h.executor();
    a.launch(taskInfo('s1', 'sleep 30'));
    a.launch(taskInfo('s2', 'sleep 30'));
    const pgid1 = await h.pgidOf(a, 's1');
    const pgid2 = await h.pgidOf(a, 's2');
    await h.reported('s1', 'TASK_RUNNING');
    await h.reported('s2', 'TASK_RUNNING');
    await a.close({ killTasks: false });
    assert.equal(groupSignalFails(pgid1), false, 'A left s1 running');

    const from = h.reports.length;
    const b = h.executor();
    await b.recover();
    await h.reported('s1', 'TASK_RUNNING', from);
    await h.reported('s2', 'TASK_RUNNING', from);
    assert.deepEqual(b.tasks().map((t) => [t.taskId, t.pid, t.state]).sort(), [['s1', pgid1, 'TASK_RUNNING'], ['s2', pgid2, 'TASK_RUNNING']]);

    b.kill('s1' as TaskId);
    const killed = await h.reported('s1', 'TASK_KILLED', from);
    assert.equal(killed.message, 'Command terminated with signal Terminated');
    await waitFor(() => groupSignalFails(pgid1), 's1 gone');

    await b.close({ killTasks: true });
    assert.equal(h.last('s2')?.state, 'TASK_KILLED');
    await waitFor(() => groupSignalFails(pgid2), 's2 gone');
  });

  it('an adopted task that ignores SIGTERM is SIGKILLed after the grace period: KILLED "... signal Killed"', async () => {
    const marker = join(h.workDir, 'trap-set');
    const a = h.executor();
    a.launch(taskInfo('stubborn', `trap '' TERM; touch ${marker}; sleep 30`));
    const pgid = await h.pgidOf(a, 'stubborn');
    await waitFor(() => existsSync(marker), 'the trap is set');
    await a.close({ killTasks: false });
    const b = h.executor({ killGracePeriodMs: 150 });
    await b.recover();
    b.kill('stubborn' as TaskId);
    assert.equal((await h.reported('stubborn', 'TASK_KILLED')).message, 'Command terminated with signal Killed');
    await waitFor(() => groupSignalFails(pgid), 'group gone');
  });

  it('a task that ended while no executor watched is reported from its exit_status: FINISHED, FAILED', async () => {
    const go = join(h.workDir, 'go');
    const a = h.executor();
    a.launch(taskInfo('done', `while [ ! -e ${go} ]; do sleep 0.02; done; echo bye`));
    a.launch(taskInfo('bad', `while [ ! -e ${go} ]; do sleep 0.02; done; exit 7`));
    const pgids = [await h.pgidOf(a, 'done'), await h.pgidOf(a, 'bad')];
    await h.reported('done', 'TASK_RUNNING');
    await a.close({ killTasks: false });
    writeFileSync(go, '');
    for (const pgid of pgids) await waitFor(() => groupSignalFails(pgid), `group ${pgid} ended`);
    const from = h.reports.length;
    const b = h.executor();
    await b.recover();
    assert.equal((await h.reported('done', 'TASK_FINISHED', from)).message, 'Command exited with status 0');
    assert.equal((await h.reported('bad', 'TASK_FAILED', from)).message, 'Command exited with status 7');
    assert.deepEqual(h.reports.slice(from).map((r) => r.state).sort(), ['TASK_FAILED', 'TASK_FINISHED'], 'no TASK_RUNNING for ended tasks');
  });

  it('ended tasks are re-reported by the next recovery (the agent ignores what it knows)', async () => {
    const a = h.executor();
    a.launch(taskInfo('once', 'exit 0'));
    await h.reported('once', 'TASK_FINISHED');
    await a.close({ killTasks: false });
    const from = h.reports.length;
    const b = h.executor();
    await b.recover();
    assert.equal((await h.reported('once', 'TASK_FINISHED', from)).message, 'Command exited with status 0');
  });

  it('a task whose process is gone with no exit status: FAILED "Executor terminated"', async () => {
    const gone = spawnSync('/bin/sh', ['-c', 'echo $$']);
    const pid = Number(gone.stdout.toString().trim());
    const sandbox = join(h.workDir, 'sandboxes', 'lost');
    mkdirSync(sandbox, { recursive: true });
    writeCheckpoint(h.workDir, [{ taskId: 'lost', pid, startTicks: null, sandbox, startedAtMs: 0, killRequested: false, final: null }]);
    const b = h.executor();
    await b.recover();
    const failed = await h.reported('lost', 'TASK_FAILED');
    assert.equal(failed.message, 'Executor terminated');
  });

  it('a checkpointed pid that now names another process (another start time) is not adopted nor signalled', async () => {
    const stat = readProcStat(process.pid);
    assert.ok(stat !== null, 'this test needs /proc');
    const sandbox = join(h.workDir, 'sandboxes', 'reused');
    mkdirSync(sandbox, { recursive: true });
    // Our own pid with a wrong start time: were it signalled, this test process would die.
    writeCheckpoint(h.workDir, [{ taskId: 'reused', pid: process.pid, startTicks: stat.startTicks + 1, sandbox, startedAtMs: 0, killRequested: true, final: null }]);
    const b = h.executor();
    await b.recover();
    // A kill was asked, but nothing of ours was signalled: nobody knows how it ended.
    const ended = await h.reported('reused', 'TASK_KILLED');
    assert.equal(ended.message, 'Executor terminated');
    assert.deepEqual(h.states('reused'), ['TASK_KILLED'], 'never re-reported RUNNING');
  });

  it('a corrupt executor.json: recover() rejects with a CheckpointError naming the file', async () => {
    for (const text of ['{not json', '[]', '{"version":2,"tasks":[]}', '{"version":1,"tasks":[{"taskId":"x","pid":"12"}]}']) {
      writeFileSync(join(h.workDir, 'executor.json'), text);
      const b = h.executor();
      await assert.rejects(b.recover(), (error: unknown) => {
        assert.ok(error instanceof CheckpointError);
        assert.equal(error.code, 'CHECKPOINT_CORRUPT');
        assert.equal(error.path, join(h.workDir, 'executor.json'));
        assert.ok(error.message.startsWith(`${join(h.workDir, 'executor.json')}: corrupt checkpoint: `), error.message);
        return true;
      });
    }
  });

  it('no executor.json: nothing to recover', async () => {
    const b = h.executor();
    await b.recover();
    assert.deepEqual(b.tasks(), []);
    assert.deepEqual(h.reports, []);
  });
});
