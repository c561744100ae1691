/**
 * faultline's operator calls on a live master: without --allow-chaos,
 * FAULTLINE_INJECT_FAULT answers 403 and FAULTLINE_GET_INFO says why; with it,
 * kill-agent makes the agent process SIGKILL itself and kill-task SIGKILLs a
 * task's process group (the task then fails), each listed in the info's faults.
 */
import assert from 'node:assert/strict';
import { after, it } from 'node:test';
import { checkpointedTaskPids, getJson, groupAlive, LiveDaemons, until } from '../../helpers/live-daemons.js';
import { LiveService } from '../../helpers/live-service.js';

const daemons = new LiveDaemons();
let service: LiveService | null = null;
after(async () => {
  service?.stop();
  await daemons.stopAll();
});

interface Info {
  faultline_get_info: { chaos_allowed: boolean; chaos_reason: string; agents_serve_files: boolean; faults: Array<{ kind: string; target: string }> };
}

const call = async (port: number, body: unknown): Promise<Response> =>
  fetch(`http://127.0.0.1:${port}/api/v1`, { method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' }, body: JSON.stringify(body) });

it('refuses chaos without --allow-chaos and says why', async () => {
  const master = await daemons.master();
  const info = (await (await call(master.port, { type: 'FAULTLINE_GET_INFO' })).json()) as Info;
  assert.equal(info.faultline_get_info.chaos_allowed, false);
  assert.match(info.faultline_get_info.chaos_reason, /--allow-chaos/);
  const inject = await call(master.port, { type: 'FAULTLINE_INJECT_FAULT', faultline_inject_fault: { fault: { kind: 'kill-agent', node: 'x' } } });
  assert.equal(inject.status, 403);
});

it('kills a task and an agent process for real with --allow-chaos', async () => {
  const master = await daemons.master(['--allow-chaos']);
  const agent = await daemons.agent(master.address);
  const svc = new LiveService({ master: master.address, instances: 1, maxPerAgent: 1, command: 'exec /bin/sleep 600' });
  service = svc;
  svc.start();
  await until('a task running', () => svc.running().length === 1, 30_000);
  const [pid] = checkpointedTaskPids(agent.workDir);
  assert.ok(pid !== undefined);
  daemons.noteTasks();
  const task = svc.running()[0];
  assert.ok(task);
  const frameworkId = ((await getJson(master.port, '/master/state')) as { frameworks: Array<{ id: string }> }).frameworks[0]?.id;
  const killTask = await call(master.port, { type: 'FAULTLINE_INJECT_FAULT', faultline_inject_fault: { fault: { kind: 'kill-task', taskId: task.taskId, frameworkId } } });
  assert.equal(killTask.status, 200, await killTask.clone().text());
  await until('the task failed', () => svc.tasks.get(task.taskId)?.state === 'TASK_FAILED', 20_000);
  await until('its process group gone', () => !groupAlive(pid), 10_000);

  const killAgent = await call(master.port, { type: 'FAULTLINE_INJECT_FAULT', faultline_inject_fault: { fault: { kind: 'kill-agent', node: agent.node } } });
  assert.equal(killAgent.status, 200, await killAgent.clone().text());
  assert.equal(await agent.daemon.exited, 'SIGKILL');
  const info = (await (await call(master.port, { type: 'FAULTLINE_GET_INFO' })).json()) as Info;
  assert.equal(info.faultline_get_info.chaos_allowed, true);
  assert.equal(info.faultline_get_info.agents_serve_files, true);
  assert.deepEqual(info.faultline_get_info.faults.map((f) => f.kind), ['kill-task', 'kill-agent']);
});
