/**
 * Issue 13, "Must show" 2: a service of 4 on 2 live agents; SIGKILL one
 * agent process: its tasks are reported unreachable and replaced on the other
 * agent; restart it: it recovers its still-running tasks, reregisters, and the
 * surplus is killed, leaving no process behind (checked by process group).
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { checkpointedTaskPids, freePort, groupAlive, LiveDaemons, until } from '../../helpers/live-daemons.js';
import { LiveService } from '../../helpers/live-service.js';

const daemons = new LiveDaemons();
let service: LiveService | null = null;
after(async () => {
  service?.stop();
  await daemons.stopAll();
});

let master: Awaited<ReturnType<LiveDaemons['master']>>;
before(async () => {
  master = await daemons.master();
});

it('replaces the tasks of a SIGKILLed agent and kills the surplus when it comes back', async () => {
  const portA = await freePort();
  const a = await daemons.agent(master.address, { port: portA });
  await daemons.agent(master.address);
  const svc = new LiveService({ master: master.address, instances: 4, maxPerAgent: 2, command: 'exec /bin/sleep 600' });
  service = svc;
  svc.start();
  const explain = (): string => `${JSON.stringify([...svc.tasks.values()])}\nmaster:\n${master.daemon.output()}`;
  await until('4 tasks running, 2 per agent', () => svc.running().length === 4 && [...svc.activeByAgent().values()].every((ids) => ids.length === 2), 30_000, explain);

  const pidsOnA = checkpointedTaskPids(a.workDir);
  assert.equal(pidsOnA.length, 2, 'agent A checkpointed its two task processes');
  daemons.noteTasks();

  a.daemon.child.kill('SIGKILL');
  await a.daemon.exited;
  svc.maxPerAgent = 4;
  // The agent's own process is gone; its tasks (own process groups) keep running, as with a killed Mesos agent.
  await until('the killed agent\'s tasks reported unreachable', () => [...svc.tasks.values()].filter((t) => t.state === 'TASK_UNREACHABLE').length === 2, 30_000, explain);
  await until('4 tasks running on the other agent', () => svc.running().length === 4, 30_000, explain);
  const unreachable = [...svc.tasks.values()].filter((t) => t.state === 'TASK_UNREACHABLE').map((t) => t.taskId);
  const deadAgent = svc.tasks.get(unreachable[0] ?? '')?.agentId;
  assert.ok(svc.running().every((t) => t.agentId !== deadAgent), 'every running task is on the surviving agent');

  await daemons.agent(master.address, { port: portA });
  await until('the surplus reported running again and killed', () => svc.killed.size === 2 && [...svc.killed].every((id) => svc.tasks.get(id)?.state === 'TASK_KILLED'), 40_000, explain);
  assert.deepEqual([...svc.killed].sort(), [...unreachable].sort(), 'the surplus killed is the returning agent\'s pair');
  assert.equal(svc.running().length, 4);
  await until('no process of a killed task left', () => pidsOnA.every((pid) => !groupAlive(pid)), 10_000, () => pidsOnA.join(','));
});
