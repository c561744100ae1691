/**
 * Issue 13, "Must show" 1: a live master and two live agents as processes;
 * `faultline execute` runs whizbang to TASK_FINISHED and exits 0; the
 * master's state lists the framework and the finished task; the task's
 * sandbox stdout holds what it printed, also through the agent's /files/read.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { after, before, it } from 'node:test';
import { sandboxPath } from '../../../src/live/executor/process-executor.js';
import { getJson, LiveDaemons, until } from '../../helpers/live-daemons.js';

interface StateJson {
  slaves: Array<{ id: string; hostname: string; port: number }>;
  frameworks: Array<{ name: string; tasks: Array<{ id: string; state: string; slave_id: string }>; completed_tasks: Array<{ id: string; state: string; slave_id: string }> }>;
  completed_frameworks: Array<{ name: string; tasks: Array<{ id: string; state: string; slave_id: string }>; completed_tasks: Array<{ id: string; state: string; slave_id: string }> }>;
}

const daemons = new LiveDaemons();
let master: Awaited<ReturnType<LiveDaemons['master']>>;
let agents: Array<Awaited<ReturnType<LiveDaemons['agent']>>>;

before(async () => {
  master = await daemons.master();
  agents = [await daemons.agent(master.address), await daemons.agent(master.address)];
  await until('both agents registered', async () => ((await getJson(master.port, '/master/state')) as StateJson).slaves.length === 2, 20_000, () => master.daemon.output());
});
after(() => daemons.stopAll());

it('runs whizbang through faultline execute on a live cluster, with its output in the sandbox', async () => {
  const execute = await daemons.start(['execute', `--master=${master.address}`, '--name=whizbang', '--command=echo whizbang says hi; /bin/sleep 1'], null);
  const code = await execute.exited;
  assert.equal(code, 0, execute.output());
  assert.match(execute.output(), /TASK_RUNNING/);
  assert.match(execute.output(), /TASK_FINISHED/);

  const state = (await getJson(master.port, '/master/state')) as StateJson;
  const frameworks = [...state.frameworks, ...state.completed_frameworks];
  const framework = frameworks.find((f) => f.name === 'mesos-execute instance');
  assert.ok(framework, `no mesos-execute framework in ${JSON.stringify(frameworks.map((f) => f.name))}`);
  const task = [...framework.tasks, ...framework.completed_tasks].find((t) => t.id === 'whizbang');
  assert.ok(task, 'whizbang is not listed');
  assert.equal(task.state, 'TASK_FINISHED');

  const slave = state.slaves.find((s) => s.id === task.slave_id);
  assert.ok(slave, `no agent ${task.slave_id}`);
  const agent = agents.find((a) => a.port === slave.port);
  assert.ok(agent, `no agent process on port ${slave.port}`);
  const stdout = `${sandboxPath(agent.workDir, 'whizbang')}/stdout`;
  assert.ok(existsSync(stdout), `${stdout} is missing`);
  assert.match(readFileSync(stdout, 'utf8'), /whizbang says hi/);

  // The same output through the agent's own HTTP API.
  const read = (await getJson(agent.port, `/files/read?path=${encodeURIComponent(stdout)}&offset=0`)) as { data: string };
  assert.match(read.data, /whizbang says hi/);
  const agentState = (await getJson(agent.port, '/slave(1)/state')) as { id: string };
  assert.equal(agentState.id, task.slave_id);
});
