/**
 * Issue 13, "Must show" 3: an agent process restarted (SIGTERM, then started
 * again on the same port and work dir) while its tasks run: the tasks keep
 * running (same process groups), the master still lists them RUNNING after the
 * agent reregistered, and the restarted agent still controls them (a KILL
 * from the framework ends them, leaving no process).
 */
import assert from 'node:assert/strict';
import { after, it } from 'node:test';
import { checkpointedTaskPids, freePort, getJson, groupAlive, LiveDaemons, until } from '../../helpers/live-daemons.js';
import { LiveService } from '../../helpers/live-service.js';

const daemons = new LiveDaemons();
let service: LiveService | null = null;
after(async () => {
  service?.stop();
  await daemons.stopAll();
});

interface StateJson {
  frameworks: Array<{ name: string; tasks: Array<{ id: string; state: string }> }>;
}

it('keeps the tasks of a restarted agent process running and reports them again', async () => {
  const master = await daemons.master();
  const port = await freePort();
  const first = await daemons.agent(master.address, { port });
  const svc = new LiveService({ master: master.address, instances: 2, maxPerAgent: 2, command: 'exec /bin/sleep 600' });
  service = svc;
  svc.start();
  const explain = (): string => `${JSON.stringify([...svc.tasks.values()])}\n${master.daemon.output()}`;
  await until('2 tasks running', () => svc.running().length === 2, 30_000, explain);
  const pids = checkpointedTaskPids(first.workDir);
  assert.equal(pids.length, 2);
  daemons.noteTasks();

  first.daemon.child.kill('SIGTERM');
  assert.equal(await first.daemon.exited, 143, 'SIGTERM stops the agent with 143');
  assert.ok(pids.every(groupAlive), 'the tasks outlive the stopped agent');

  const second = await daemons.agent(master.address, { port });
  assert.match(second.daemon.output(), new RegExp(`127\\.0\\.0\\.1:${port}`));
  await until(
    'the master lists both tasks RUNNING after the restart',
    async () => {
      const state = (await getJson(master.port, '/master/state')) as StateJson;
      const tasks = state.frameworks.find((f) => f.name === 'live-service')?.tasks ?? [];
      return tasks.length === 2 && tasks.every((t) => t.state === 'TASK_RUNNING');
    },
    20_000,
    explain,
  );
  assert.ok(pids.every(groupAlive), 'the same processes run');
  assert.deepEqual(checkpointedTaskPids(second.workDir).sort(), [...pids].sort(), 'the restarted agent adopted them');

  svc.maxPerAgent = 0;
  svc.killAll();
  await until('both tasks killed', () => [...svc.tasks.values()].every((t) => t.state === 'TASK_KILLED'), 20_000, explain);
  await until('no task process left', () => pids.every((pid) => !groupAlive(pid)), 10_000);
});
