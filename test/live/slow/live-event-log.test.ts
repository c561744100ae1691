/**
 * The daemons' event logs (--event-log, --node-id): a live master and one
 * agent called agent-1 run whizbang through `faultline execute`. The master's
 * log holds the framework's and the task's events, the agent's log the core
 * agent's own (node agent-1), /master/state reports the agent's hostname as
 * agent-1, and the two logs merged by time (EventLogTail + EventMerger, as a
 * live runner reads them) put every TASK_RUNNING of the task before its
 * TASK_FINISHED, the agent's ground truth before the master's view of it and
 * the master's before the scheduler's delivery. (The task sleeps 1 s: a task
 * that ends at once may reach the master as RUNNING with latest state
 * FINISHED, and the master's own view then skips RUNNING, as Mesos's does.)
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import type { ClusterEvent } from '../../../src/core/events.js';
import { EventLogTail, EventMerger, type EventLogEntry } from '../../../src/live/history/index.js';
import { getJson, LiveDaemons, until } from '../../helpers/live-daemons.js';

interface StateJson {
  slaves: Array<{ id: string; hostname: string; port: number }>;
}

const daemons = new LiveDaemons();
const masterLog = join(daemons.dir, 'master.events.jsonl');
const agentLog = join(daemons.dir, 'agent-1.events.jsonl');
let master: Awaited<ReturnType<LiveDaemons['master']>>;
let agent: Awaited<ReturnType<LiveDaemons['agent']>>;
const tails: EventLogTail[] = [];

before(async () => {
  master = await daemons.master(['--event-log', masterLog]);
  agent = await daemons.agent(master.address, { nodeId: 'agent-1', extra: ['--event-log', agentLog] });
  await until('agent-1 registered', async () => ((await getJson(master.port, '/master/state')) as StateJson).slaves.length === 1, 20_000, () => master.daemon.output() + agent.daemon.output());
});
after(async () => {
  await Promise.all(tails.map((t) => t.stop()));
  await daemons.stopAll();
});

/** Follows one log into `into`; the tail is stopped in the after hook. */
function follow(path: string, into: EventLogEntry[]): EventLogTail {
  const tail = new EventLogTail({ path, onEntry: (entry) => into.push(entry) });
  tails.push(tail);
  return tail;
}

const isTask = (e: ClusterEvent, state: string): boolean => (e.type === 'task.status' || e.type === 'task.updated') && e.taskId === 'whizbang' && e.state === state;
const show = (entries: readonly EventLogEntry[]): string => entries.map((e) => `${e.atEpochMs.toFixed(3)} ${e.node} ${JSON.stringify(e.event)}`).join('\n');

it('writes each daemon\'s events to its log, named by node id, and the merged logs order the task\'s states', async () => {
  assert.match(agent.daemon.output(), /faultline agent agent-1 serving on/);
  const state = (await getJson(master.port, '/master/state')) as StateJson;
  assert.deepEqual(state.slaves.map((s) => [s.hostname, s.port]), [['agent-1', agent.port]], 'the hostname the master reports is the --node-id');

  const execute = await daemons.start(['execute', `--master=${master.address}`, '--name=whizbang', '--command=echo hi; /bin/sleep 1'], null);
  assert.equal(await execute.exited, 0, execute.output());

  const fromMaster: EventLogEntry[] = [];
  const fromAgent: EventLogEntry[] = [];
  const masterTail = follow(masterLog, fromMaster);
  const agentTail = follow(agentLog, fromAgent);
  const bothFinished = async (): Promise<boolean> => {
    await Promise.all([masterTail.poll(), agentTail.poll()]);
    return fromMaster.some((e) => isTask(e.event, 'TASK_FINISHED')) && fromAgent.some((e) => isTask(e.event, 'TASK_FINISHED'));
  };
  await until('TASK_FINISHED in both logs', bothFinished, 20_000, () => `master:\n${show(fromMaster)}\nagent:\n${show(fromAgent)}`);
  assert.equal(masterTail.malformed + agentTail.malformed, 0);

  // The master's log: its own start, the agent's registration under its node id, the framework and the task.
  const masterTypes = new Set(fromMaster.map((e) => e.event.type));
  for (const type of ['node.started', 'agent.registered', 'framework.subscribed', 'offer.created', 'offer.accepted', 'task.launched', 'task.updated'] as const) {
    assert.ok(masterTypes.has(type), `no ${type} in the master's log:\n${show(fromMaster)}`);
  }
  assert.ok(fromMaster.some((e) => e.node === 'master-1' && e.event.type === 'node.started' && e.event.role === 'master'), 'the master records its own start');
  assert.ok(fromMaster.some((e) => e.event.type === 'agent.registered' && e.event.host === 'agent-1'));
  assert.ok(fromMaster.some((e) => isTask(e.event, 'TASK_RUNNING') && e.event.type === 'task.updated'), show(fromMaster));
  assert.ok(fromMaster.every((e) => e.node === 'master-1' || /^http-fw-/.test(e.node)), `nodes: ${[...new Set(fromMaster.map((e) => e.node))].join(', ')}`);

  // The agent's log: only the core agent's events, all from agent-1.
  assert.ok(fromAgent.length > 0);
  assert.deepEqual([...new Set(fromAgent.map((e) => e.node))], ['agent-1']);
  assert.ok(fromAgent.some((e) => e.event.type === 'agent.accepted' && e.event.host === 'agent-1' && e.event.command === 'master.run_task'), show(fromAgent));
  assert.ok(fromAgent.some((e) => e.event.type === 'task.status' && e.event.host === 'agent-1' && isTask(e.event, 'TASK_RUNNING')), show(fromAgent));
  assert.ok(fromAgent.every((e) => !e.event.type.startsWith('node.')), 'the agent writes no lifecycle events of its own');
  for (const entries of [fromMaster, fromAgent]) {
    for (let i = 1; i < entries.length; i += 1) assert.ok((entries[i - 1]?.atEpochMs ?? 0) <= (entries[i]?.atEpochMs ?? 0), 'one process\'s times never go back');
  }

  // Merged by time, as a runner does: every RUNNING of the task before every FINISHED, ground truth first.
  const merger = new EventMerger({ sources: ['master', 'agent-1'] });
  for (const e of fromMaster) merger.push('master', e);
  for (const e of fromAgent) merger.push('agent-1', e);
  const merged = merger.drainAll();
  assert.equal(merged.length, fromMaster.length + fromAgent.length);
  assert.equal(merger.late, 0);
  const position = (source: 'task.status' | 'task.updated', state: string): number => merged.findIndex((e) => e.event.type === source && isTask(e.event, state));
  const delivered = (state: string): number => merged.findIndex((e) => e.event.type === 'status.delivered' && e.event.taskId === 'whizbang' && e.event.state === state);
  // The agent's status, the master's view, the scheduler's delivery (the proxy in the master's process), for each state.
  const order = [
    position('task.status', 'TASK_RUNNING'),
    position('task.updated', 'TASK_RUNNING'),
    delivered('TASK_RUNNING'),
    position('task.status', 'TASK_FINISHED'),
    position('task.updated', 'TASK_FINISHED'),
    delivered('TASK_FINISHED'),
  ];
  assert.ok(order.every((i) => i >= 0), `missing a state: ${order.join(', ')}`);
  assert.deepEqual([...order].sort((a, b) => a - b), order, `the merged history:\n${show(merged.filter((e) => isTask(e.event, 'TASK_RUNNING') || isTask(e.event, 'TASK_FINISHED')))}`);
});
