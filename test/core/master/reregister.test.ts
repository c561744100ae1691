import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createInMemoryRegistry } from '../../../src/core/master/index.js';
import { add, resources } from '../../../src/core/resources.js';
import { AGENT_RESOURCES, DeferredRegistry, Harness, TASK_RESOURCES, clusterWithRunningTasks, frameworkRefOf, reportOf, taskInfo } from './harness.js';

const PINGS = { agentPingTimeoutMs: 1_000, maxAgentPingTimeouts: 3 } as const;

/** The standard cluster with its agent marked unreachable. */
function partitioned() {
  const setup = clusterWithRunningTasks({ timing: PINGS });
  setup.h.ctx.advance(3_000);
  assert.equal(setup.h.ctx.eventsOfType('agent.unreachable').length, 1);
  setup.h.clear();
  return setup;
}

test('reregister after heal: reachable again, tasks re-added with their resources, latest states re-sent with REASON_AGENT_REREGISTERED, nothing killed', () => {
  const { h, agentId, pa, legacy } = partitioned();
  const reports = [reportOf(pa, taskInfo('pa-1', agentId), 'TASK_RUNNING'), reportOf(legacy, taskInfo('legacy-1', agentId), 'TASK_RUNNING')];
  h.reregister('agent-1', agentId, reports, [frameworkRefOf(h, pa), frameworkRefOf(h, legacy)]);

  assert.deepEqual(h.ctx.sentOfType('master.agent_reregistered').map((s) => [s.to, s.message]), [
    ['agent-1', { type: 'master.agent_reregistered', epoch: 1, masterId: h.masterId, agentId }],
  ]);
  assert.deepEqual(h.ctx.eventsOfType('agent.reregistered'), [{ type: 'agent.reregistered', agentId, host: 'agent-1', resources: AGENT_RESOURCES, epoch: 1 }]);
  for (const [node, frameworkId, taskId] of [
    ['scheduler-pa', pa, 'pa-1'],
    ['scheduler-legacy', legacy, 'legacy-1'],
  ] as const) {
    assert.deepEqual(h.updatesTo(node), [
      { taskId, frameworkId, agentId, state: 'TASK_RUNNING', reason: 'REASON_AGENT_REREGISTERED', source: 'SOURCE_MASTER', timestampMs: h.ctx.nowMs },
    ]);
    assert.deepEqual(h.ctx.eventsOfType('task.updated').filter((e) => e.taskId === taskId), [
      { type: 'task.updated', taskId, frameworkId, agentId, state: 'TASK_RUNNING', reason: 'REASON_AGENT_REREGISTERED', source: 'SOURCE_MASTER', message: null },
    ]);
    assert.equal(h.master.inspect().tasks.get(taskId)?.state, 'TASK_RUNNING');
  }
  assert.deepEqual(h.allocator.argsOf('addAgent'), [
    [
      agentId,
      AGENT_RESOURCES,
      new Map([
        [pa, TASK_RESOURCES],
        [legacy, TASK_RESOURCES],
      ]),
    ],
  ]);
  assert.equal(h.ctx.sentOfType('master.kill_task').length, 0);
  assert.equal(h.ctx.sentOfType('master.shutdown_framework').length, 0);
  assert.equal(h.master.inspect().agents.get(agentId)?.state, 'registered');
  assert.deepEqual(h.ctx.sentOfType('master.ping').map((s) => s.to), ['agent-1'], 'pings resume');
});

test('reregister after heal is written to the registry first', () => {
  const registry = new DeferredRegistry(createInMemoryRegistry());
  const h = new Harness({ registry, timing: PINGS });
  h.ctx.deliver('agent-1', { type: 'agent.register', host: 'agent-1', resources: AGENT_RESOURCES, attributes: {} });
  registry.release();
  const agentId = `${h.masterId}-S0`;
  h.ctx.advance(3_000);
  registry.release(); // mark unreachable
  h.clear();
  h.reregister('agent-1', agentId, []);
  h.reregister('agent-1', agentId, []); // a retry while the write is in flight
  assert.equal(registry.pending.length, 1);
  assert.deepEqual(h.ctx.sent, []);
  registry.release();
  assert.equal(h.ctx.sentOfType('master.agent_reregistered').length, 1);
  assert.equal(registry.agent(agentId)?.state, 'admitted');
});

for (const { partitionAware, dropped, mesosTest } of [
  { partitionAware: true, dropped: 'TASK_DROPPED', mesosTest: 'MasterSlaveReconciliationTest.ReconcileDroppedTask' },
  { partitionAware: false, dropped: 'TASK_LOST', mesosTest: 'MasterSlaveReconciliationTest.ReconcileLostTask' },
] as const) {
  test(`${mesosTest}: tasks the agent no longer reports are reconciled through the agent, which reports them ${dropped} with a uuid`, () => {
    const h = new Harness({ timing: PINGS });
    const agentId = h.registerAgent('agent-1');
    const fw = h.subscribe('scheduler-a', { partitionAware });
    h.launch('scheduler-a', fw, agentId, ['staged', 'ran']);
    h.statusUpdate('agent-1', agentId, fw, 'ran', 'TASK_RUNNING');
    h.ctx.advance(4_000); // unreachable
    h.clear();
    h.reregister('agent-1', agentId, [], [frameworkRefOf(h, fw)]);
    assert.deepEqual(h.updatesTo('scheduler-a'), [], 'the master generates no update for them');
    assert.deepEqual(h.ctx.sentOfType('master.agent_reregistered').map((s) => s.message.reconciliations), [[{ frameworkId: fw, partitionAware, taskIds: ['staged', 'ran'] }]]);
    assert.deepEqual([...h.master.inspect().tasks.keys()], ['staged', 'ran'], 'kept until the agent answers');
    assert.deepEqual(h.allocator.argsOf('addAgent'), [[agentId, AGENT_RESOURCES, new Map([[fw, add(TASK_RESOURCES, TASK_RESOURCES)]])]], 'their resources stay taken meanwhile (they may yet run there)');
    // The agent's answers: reliable updates, SOURCE_AGENT, REASON_RECONCILIATION; forwarded, then acknowledged.
    for (const taskId of ['staged', 'ran']) {
      const uuid = `u-${taskId}-dropped`;
      const status = { taskId, frameworkId: fw, agentId, state: dropped, reason: 'REASON_RECONCILIATION', source: 'SOURCE_AGENT', uuid, timestampMs: h.ctx.nowMs } as const;
      h.ctx.deliver('agent-1', { type: 'agent.status_update', agentId, update: { frameworkId: fw, status, latestState: dropped } });
      h.ctx.deliver('scheduler-a', { type: 'scheduler.acknowledge', frameworkId: fw, agentId, taskId, uuid });
    }
    assert.deepEqual(
      h.updatesTo('scheduler-a').map((s) => [s.taskId, s.state, s.reason, s.source, s.uuid !== undefined]),
      [
        ['staged', dropped, 'REASON_RECONCILIATION', 'SOURCE_AGENT', true],
        ['ran', dropped, 'REASON_RECONCILIATION', 'SOURCE_AGENT', true],
      ],
    );
    assert.equal(h.master.inspect().tasks.size, 0);
    assert.deepEqual(h.master.inspect().frameworks.get(fw)?.completedTaskIds, ['staged', 'ran']);
    assert.deepEqual(h.allocator.argsOf('recoverResources').map((a) => a[2]), [TASK_RESOURCES, TASK_RESOURCES], 'given back as the agent answers');
  });
}

test('reconnect of a registered agent: a STAGING task it does not report is reconciled through the agent, a task the master did not know is adopted', () => {
  const h = new Harness();
  const agentId = h.registerAgent('agent-1');
  const fw = h.subscribe('scheduler-a');
  h.launch('scheduler-a', fw, agentId, ['staged', 'known']);
  h.statusUpdate('agent-1', agentId, fw, 'known', 'TASK_RUNNING');
  h.clear();
  const stranger = taskInfo('stranger', agentId, { resources: resources({ cpus: 0.5, mem: 64 }) });
  h.reregister('agent-1', agentId, [reportOf(fw, taskInfo('known', agentId), 'TASK_RUNNING'), reportOf(fw, stranger, 'TASK_RUNNING')], [frameworkRefOf(h, fw)]);
  assert.deepEqual(h.updatesTo('scheduler-a'), [], 'no re-send on a mere reconnect');
  assert.deepEqual(h.ctx.sentOfType('master.agent_reregistered').map((s) => s.message.reconciliations), [[{ frameworkId: fw, partitionAware: true, taskIds: ['staged'] }]]);
  assert.equal(h.master.inspect().tasks.get('stranger')?.state, 'TASK_RUNNING');
  assert.equal(h.master.inspect().tasks.get('known')?.state, 'TASK_RUNNING');
  assert.deepEqual(h.allocator.argsOf('addUsed'), [[fw, agentId, stranger.resources]]);
  assert.equal(h.allocator.argsOf('addAgent').length, 0, 'it never left the allocator');
  assert.equal(h.ctx.eventsOfType('agent.reregistered').length, 1);
  assert.equal(h.ctx.sentOfType('master.agent_reregistered').length, 1);
});

test('reregister from an agent marked gone: master.shutdown_agent, nothing admitted', () => {
  const registry = createInMemoryRegistry({ agents: [{ agentId: 'old-S3', host: 'agent-3', state: 'gone', sinceMs: 5 }], nextAgentNumber: 4 });
  const h = new Harness({ registry });
  h.clear();
  h.reregister('agent-3', 'old-S3', []);
  assert.deepEqual(h.ctx.sent, [{ to: 'agent-3', message: { type: 'master.shutdown_agent', epoch: 1, reason: 'agent old-S3 was marked gone' } }]);
  assert.deepEqual(h.ctx.events, []);
  assert.equal(h.master.inspect().agents.size, 0);
});

test('a new leader lists the agents its registry holds as unreachable in master.recovered (one may have been marked by a leader deposed before it saw the commit)', () => {
  const registry = createInMemoryRegistry({
    agents: [
      { agentId: 'old-S0', host: 'agent-1', state: 'admitted', sinceMs: null },
      { agentId: 'old-S1', host: 'agent-2', state: 'unreachable', sinceMs: 42 },
      { agentId: 'old-S2', host: 'agent-3', state: 'gone', sinceMs: 43 },
    ],
    nextAgentNumber: 3,
  });
  const h = new Harness({ registry });
  assert.deepEqual(h.ctx.eventsOfType('master.recovered'), [{ type: 'master.recovered', node: 'master-1', epoch: 1, agentsInRegistry: 2, unreachableAgentIds: ['old-S1'] }]);
});

test('after a failover: a recovered agent reregisters without a registry write; its frameworks are recovered until they subscribe', () => {
  const registry = new DeferredRegistry(createInMemoryRegistry({ agents: [{ agentId: 'old-S0', host: 'agent-1', state: 'admitted', sinceMs: null }], nextAgentNumber: 1 }));
  const h = new Harness({ registry });
  assert.deepEqual([...h.master.inspect().recoveredAgents], [['old-S0', 'agent-1']]);
  assert.deepEqual(h.ctx.eventsOfType('master.recovered'), [{ type: 'master.recovered', node: 'master-1', epoch: 1, agentsInRegistry: 1, unreachableAgentIds: [] }]);
  const info = taskInfo('t1', 'old-S0');
  h.reregister('agent-1', 'old-S0', [reportOf('old-0000', info, 'TASK_RUNNING')], [
    { frameworkId: 'old-0000', name: 'web', schedulerNode: 'scheduler-web', partitionAware: true },
  ]);
  assert.equal(registry.pending.length, 0);
  const view = h.master.inspect();
  assert.equal(view.recoveredAgents.size, 0);
  assert.equal(view.agents.get('old-S0')?.state, 'registered');
  assert.equal(view.frameworks.get('old-0000')?.state, 'recovered');
  assert.equal(view.tasks.get('t1')?.state, 'TASK_RUNNING');
  assert.deepEqual(h.allocator.argsOf('addAgent'), [['old-S0', AGENT_RESOURCES, new Map([['old-0000', TASK_RESOURCES]])]]);
  assert.equal(h.updatesTo('scheduler-web').length, 0, 'the recovered framework is not connected');
  // The scheduler comes back under its id: it takes the recovered framework over and joins the allocator with its roles.
  const fw = h.subscribe('scheduler-web', { frameworkId: 'old-0000', roles: ['web'] });
  assert.equal(fw, 'old-0000');
  assert.equal(h.ctx.eventsOfType('framework.resubscribed').length, 1);
  assert.deepEqual(h.allocator.argsOf('addFramework'), [['old-0000', ['web']]]);
  assert.equal(h.master.inspect().frameworks.get('old-0000')?.state, 'active');
  // New agents do not collide with the registry's numbering.
  h.ctx.deliver('agent-2', { type: 'agent.register', host: 'agent-2', resources: AGENT_RESOURCES, attributes: {} });
  registry.release();
  assert.equal(h.ctx.sentOfType('master.agent_registered')[0]?.message.agentId, `${h.masterId}-S1`);
  assert.equal(registry.agent(`${h.masterId}-S1`)?.state, 'admitted');
});

test('an agent the registry does not know (garbage-collected) is admitted again under its id', () => {
  const registry = new DeferredRegistry(createInMemoryRegistry());
  const h = new Harness({ registry });
  h.reregister('agent-5', 'ancient-S9', []);
  assert.equal(registry.pending.length, 1);
  registry.release();
  assert.equal(registry.agent('ancient-S9')?.state, 'admitted');
  assert.equal(registry.agent('ancient-S9')?.host, 'agent-5');
  assert.equal(h.master.inspect().agents.get('ancient-S9')?.state, 'registered');
  assert.equal(h.ctx.sentOfType('master.agent_reregistered').length, 1);
});

test('reregister with tasks of a removed framework: the agent is told to shut that framework down; its tasks are not adopted', () => {
  const { h, agentId, pa, legacy } = partitioned();
  h.ctx.deliver('scheduler-legacy', { type: 'scheduler.teardown', frameworkId: legacy });
  h.clear();
  h.reregister(
    'agent-1',
    agentId,
    [reportOf(pa, taskInfo('pa-1', agentId), 'TASK_RUNNING'), reportOf(legacy, taskInfo('legacy-1', agentId), 'TASK_RUNNING')],
    [frameworkRefOf(h, pa), { frameworkId: legacy, name: 'x', schedulerNode: 'scheduler-legacy', partitionAware: false }],
  );
  assert.deepEqual(h.ctx.sentOfType('master.shutdown_framework').map((s) => [s.to, s.message.frameworkId]), [['agent-1', legacy]]);
  assert.equal(h.master.inspect().tasks.has('legacy-1'), false);
  assert.deepEqual(h.allocator.argsOf('addAgent'), [[agentId, AGENT_RESOURCES, new Map([[pa, TASK_RESOURCES]])]]);
});

test('a reported terminal task is recorded but holds no resources', () => {
  const { h, agentId, pa, legacy } = partitioned();
  h.reregister(
    'agent-1',
    agentId,
    [reportOf(pa, taskInfo('pa-1', agentId), 'TASK_FINISHED'), reportOf(legacy, taskInfo('legacy-1', agentId), 'TASK_RUNNING')],
    [frameworkRefOf(h, pa), frameworkRefOf(h, legacy)],
  );
  assert.deepEqual(h.updatesTo('scheduler-pa').map((s) => [s.state, s.reason]), [['TASK_FINISHED', 'REASON_AGENT_REREGISTERED']]);
  assert.equal(h.master.inspect().tasks.get('pa-1')?.holdsResources, false);
  assert.deepEqual(h.allocator.argsOf('addAgent')[0]?.[2], new Map([[legacy, add(TASK_RESOURCES, resources())]]));
});

test('a dropped task the agent runs anyway (a late launch) stays dropped in the table and is killed', () => {
  const h = new Harness();
  const agentId = h.registerAgent('agent-1');
  const fw = h.subscribe('scheduler-a');
  h.launch('scheduler-a', fw, agentId, ['staged']);
  h.reregister('agent-1', agentId, [], [frameworkRefOf(h, fw)]);
  const dropped = h.statusUpdate('agent-1', agentId, fw, 'staged', 'TASK_DROPPED');
  h.ctx.deliver('scheduler-a', { type: 'scheduler.acknowledge', frameworkId: fw, agentId, taskId: 'staged', uuid: dropped.uuid ?? '' });
  assert.equal(h.master.inspect().tasks.get('staged'), undefined, 'completed');
  h.clear();
  h.statusUpdate('agent-1', agentId, fw, 'staged', 'TASK_STARTING');
  assert.ok(h.ctx.sentOfType('master.kill_task').some((s) => s.to === 'agent-1' && s.message.taskId === 'staged'), 'killed on the agent');
  assert.ok(!h.ctx.eventsOfType('task.updated').some((e) => e.taskId === 'staged' && e.state === 'TASK_STARTING'), 'no illegal DROPPED -> STARTING in the table');
});
