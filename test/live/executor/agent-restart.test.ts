/**
 * An agent process SIGKILLed while its tasks run (no close, no goodbye): the
 * tasks keep running, and a new executor on the same work directory adopts
 * them and reports TASK_RUNNING again; one that ends afterwards is reported
 * from its exit_status by polling (the new process is not its parent).
 * Every process group and the stand-in agent are killed in the finally.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TaskId } from '../../../src/core/ids.js';
import { processAlive } from '../../../src/live/executor/proc.js';
import { ExecutorHarness, groupSignalFails, waitFor } from './harness.js';

describe('process executor: the agent process dies', () => {
  it('its tasks outlive it; the next executor adopts them, reports RUNNING, sees the exit, and kills', async () => {
    const h = new ExecutorHarness();
    const go = join(h.workDir, 'go');
    const agent = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'fixtures', 'agent-process.ts'), h.workDir, 'long=sleep 30', `ends=while [ ! -e ${go} ]; do sleep 0.02; done; exit 4`], { stdio: ['ignore', 'pipe', 'inherit'] });
    const pgids: number[] = [];
    try {
      let out = '';
      agent.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      await waitFor(() => (out.match(/^RUNNING /gm) ?? []).length === 2, 'both tasks running in the stand-in agent', 20_000);
      for (const [, , pid] of out.matchAll(/^RUNNING (\S+) (\d+)$/gm)) pgids.push(Number(pid));
      agent.kill('SIGKILL');
      await waitFor(() => agent.exitCode !== null || agent.signalCode !== null, 'the stand-in agent is dead');
      for (const pgid of pgids) assert.ok(processAlive(pgid, null), `task ${pgid} outlived its agent`);

      const b = h.executor();
      await b.recover();
      await h.reported('long', 'TASK_RUNNING');
      await h.reported('ends', 'TASK_RUNNING');
      writeFileSync(go, '');
      assert.equal((await h.reported('ends', 'TASK_FAILED')).message, 'Command exited with status 4');
      b.kill('long' as TaskId);
      assert.equal((await h.reported('long', 'TASK_KILLED')).message, 'Command terminated with signal Terminated');
      for (const pgid of pgids) await waitFor(() => groupSignalFails(pgid), `group ${pgid} gone`);
    } finally {
      agent.kill('SIGKILL');
      for (const pgid of pgids) {
        try {
          process.kill(-pgid, 'SIGKILL');
        } catch {
          // gone
        }
      }
      await h.cleanup();
    }
  });
});
