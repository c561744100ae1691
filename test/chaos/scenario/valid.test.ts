import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Step } from '../../../src/chaos/scenario/index.js';
import { fixturePath, validFixture, withoutLocs } from './fixtures.js';
import { res } from '../../helpers/resources.js';


const DEFAULT_AGENT = res('cpus:4;mem:8192;disk:10000;ports:[31000-32000]');

test('a minimal file gets every default', () => {
  const s = validFixture('minimal.yaml');
  assert.deepEqual(withoutLocs(s), {
    name: 'minimal',
    description: '',
    seed: '1',
    timing: { profile: 'fast', overrides: {} },
    cluster: {
      masters: 3,
      agents: ['agent-1', 'agent-2', 'agent-3'].map((host) => ({ host, resources: DEFAULT_AGENT, attributes: {} })),
      network: null,
    },
    workload: { services: [], batch: [], execute: [] },
    frameworks: [],
    steady: { withinMs: 60_000, checks: [] },
    method: [{ kind: 'fault', fault: { kind: 'heal' } }],
    rollbacks: [],
    liveness: { deadlineMs: 60_000, checks: [] },
  });
  const step = s.method[0];
  assert.deepEqual(step?.loc, { file: fixturePath('valid', 'minimal.yaml'), line: 4, column: 5 });
});

test('agent-loss: services, steady state, until, rollbacks and liveness', () => {
  const s = validFixture('agent-loss.yaml');
  assert.equal(s.seed, '42');
  assert.equal(s.cluster.agents.length, 4);
  assert.deepEqual(s.cluster.agents[3]?.attributes, { rack: 'r1' });
  assert.deepEqual(withoutLocs(s.workload.services), [
    {
      name: 'web',
      resources: res('cpus:0.5;mem:256'),
      role: '*',
      partitionAware: true,
      failoverTimeoutMs: 604_800_000,
      taskLaunchTimeoutMs: null,
      instances: 6,
      unreachableStrategy: { inactiveAfterMs: 0, expungeAfterMs: 30_000 },
      killSelection: 'YoungestFirst',
      command: 'sleep infinity',
      durationMs: null,
      failureProbability: 0,
    },
  ]);
  assert.deepEqual(withoutLocs(s.steady.checks), [{ condition: { kind: 'app-tasks', app: 'web', state: 'TASK_RUNNING', op: '==', value: 6 } }]);
  assert.deepEqual(withoutLocs(s.method), [
    { kind: 'fault', fault: { kind: 'kill-agent', agent: { kind: 'running', app: 'web' } } },
    {
      kind: 'until',
      condition: {
        kind: 'and',
        conditions: [
          { kind: 'app-tasks', app: 'web', state: 'TASK_RUNNING', op: '==', value: 6 },
          { kind: 'agents', state: 'unreachable', op: '==', value: 1 },
        ],
      },
      withinMs: 30_000,
    },
    { kind: 'fault', fault: { kind: 'restart-agent', agent: { kind: 'id', id: 'agent-1' } } },
  ]);
  assert.deepEqual(s.method.map((step) => step.loc.line), [17, 18, 20]);
  assert.deepEqual(withoutLocs(s.rollbacks), [{ kind: 'fault', fault: { kind: 'heal' } }]);
  assert.equal(s.liveness.deadlineMs, 90_000);
  assert.deepEqual(
    s.liveness.checks.map((c) => [c.condition.kind, c.loc.line]),
    [
      ['agents', 26],
      ['app-tasks', 27],
    ],
  );
});

test('every-step: each fault, target form and control step parses to its plain form', () => {
  const s = validFixture('every-step.yaml');
  assert.equal(s.seed, 'chaos-1');
  assert.equal(s.cluster.masters, 5);
  assert.equal(s.cluster.agents.length, 6);
  const id = (x: string) => ({ kind: 'id', id: x });
  const fault = (f: object) => ({ kind: 'fault', fault: f });
  const expected: unknown[] = [
    fault({ kind: 'kill-agent', agent: { kind: 'random' } }),
    fault({ kind: 'restart-agent', agent: id('agent-2') }),
    fault({ kind: 'pause-agent', agent: { kind: 'running', app: 'web' } }),
    fault({ kind: 'resume-agent', agent: { kind: 'one' } }),
    fault({ kind: 'kill-master', master: { kind: 'leader' } }),
    fault({ kind: 'restart-master', master: id('master-2') }),
    fault({ kind: 'pause-master', master: { kind: 'leader' } }),
    fault({ kind: 'resume-master', master: { kind: 'random' } }),
    fault({ kind: 'failover', master: { kind: 'leader' } }),
    fault({ kind: 'kill-task', task: { kind: 'of', app: 'web' } }),
    fault({ kind: 'kill-task', task: id('web.7') }),
    fault({ kind: 'crash-framework', framework: id('web') }),
    fault({ kind: 'restart-framework', framework: id('scheduler-web') }),
    fault({ kind: 'partition', partition: { kind: 'majority-minority', leader: 'any' }, oneWay: false }),
    fault({ kind: 'partition', partition: { kind: 'majority-minority', leader: 'minority' }, oneWay: true }),
    fault({ kind: 'partition', partition: { kind: 'isolate', node: { kind: 'leader' } }, oneWay: false }),
    fault({ kind: 'partition', partition: { kind: 'isolate', node: { kind: 'running', app: 'crunch' } }, oneWay: false }),
    fault({
      kind: 'partition',
      partition: {
        kind: 'groups',
        groups: [
          { kind: 'list', items: [id('master-1'), id('agent-1')] },
          { kind: 'list', items: [id('master-2'), id('master-3'), id('agent-2')] },
        ],
      },
      oneWay: false,
    }),
    fault({
      kind: 'partition',
      partition: { kind: 'groups', groups: [{ kind: 'list', items: [id('agent-1'), id('agent-2')] }, { kind: 'list', items: [id('agent-3')] }] },
      oneWay: false,
    }),
    fault({ kind: 'heal' }),
    fault({
      kind: 'link',
      from: id('agent-1'),
      to: { kind: 'list', items: [{ kind: 'leader' }, id('master-2')] },
      oneWay: true,
      spec: { delayMs: 200, jitterMs: 50, loss: 0.1, duplicate: 0.05 },
    }),
    fault({ kind: 'link', from: { kind: 'all' }, to: { kind: 'all' }, oneWay: false, spec: { loss: 0.2 } }),
    fault({ kind: 'clog', nodes: { kind: 'list', items: [id('agent-3'), id('agent-4')] } }),
    fault({ kind: 'unclog', nodes: { kind: 'all' } }),
    fault({ kind: 'swizzle-clog', nodes: { kind: 'minority' }, stepMs: 500 }),
    fault({ kind: 'swizzle-clog', nodes: { kind: 'all' }, stepMs: 1000 }),
    fault({ kind: 'kill-task', task: id('one') }),
    { kind: 'wait', ms: 90_000 },
    { kind: 'until', condition: { kind: 'leader-epoch', op: '>=', value: 2 }, withinMs: 120_000 },
    { kind: 'parallel', steps: [fault({ kind: 'kill-agent', agent: id('agent-5') }), { kind: 'wait', ms: 0 }] },
    {
      kind: 'repeat',
      times: 3,
      steps: [fault({ kind: 'pause-agent', agent: id('agent-6') }), { kind: 'wait', ms: 500 }, fault({ kind: 'resume-agent', agent: id('agent-6') })],
    },
  ];
  assert.deepEqual(withoutLocs(s.method), expected);
  const kinds = new Set<string>();
  const visit = (steps: readonly Step[]): void => {
    for (const step of steps) {
      if (step.kind === 'fault') kinds.add(step.fault.kind);
      if (step.kind === 'parallel' || step.kind === 'repeat') visit(step.steps);
    }
  };
  visit(s.method);
  assert.equal(kinds.size, 18, 'all eighteen fault kinds appear');
});

test('cluster-list: agent list, mesos overrides, network, and every app field', () => {
  const s = validFixture('cluster-list.yaml');
  assert.deepEqual(s.timing, {
    profile: 'mesos',
    overrides: { agentPingTimeoutMs: 5000, maxAgentPingTimeouts: 2, recoveryAgentRemovalLimit: 0.5, inactiveAfterMs: 0 },
  });
  assert.deepEqual(withoutLocs(s.cluster), {
    masters: 1,
    agents: [
      { host: 'rack1-a', resources: res('cpus:8;mem:16384;disk:100000;ports:[31000-31999]'), attributes: { rack: 'r1', zone: '1' } },
      { host: 'rack2-a', resources: res('cpus:2;mem:4096'), attributes: {} },
    ],
    network: { latencyMinMs: 1, latencyMaxMs: 10 },
  });
  assert.deepEqual(withoutLocs(s.workload), {
    services: [
      {
        name: 'api',
        resources: res('cpus:1;mem:512'),
        role: 'prod',
        partitionAware: false,
        failoverTimeoutMs: 3_600_000,
        taskLaunchTimeoutMs: 120_000,
        instances: 2,
        unreachableStrategy: 'disabled',
        killSelection: 'OldestFirst',
        command: './api --port $PORT0',
        durationMs: 600_000,
        failureProbability: 0.01,
      },
      {
        name: 'cache',
        resources: res('cpus:1;mem:128'),
        role: '*',
        partitionAware: true,
        failoverTimeoutMs: 604_800_000,
        taskLaunchTimeoutMs: null,
        instances: 1,
        // inactiveAfter given; expunge from the mesos profile (600 s) but never below inactiveAfter.
        unreachableStrategy: { inactiveAfterMs: 900_000, expungeAfterMs: 900_000 },
        killSelection: 'YoungestFirst',
        command: 'sleep infinity',
        durationMs: null,
        failureProbability: 0,
      },
    ],
    batch: [
      {
        name: 'etl',
        resources: res('cpus:0.5;mem:256'),
        role: '*',
        partitionAware: true,
        failoverTimeoutMs: 604_800_000,
        taskLaunchTimeoutMs: null,
        tasks: 10,
        command: './etl',
        durationMs: 45_000,
        failureProbability: 0.2,
        maxRetries: 5,
        parallelism: null,
      },
    ],
    execute: [
      {
        name: 'hello',
        resources: res('cpus:1;mem:128'),
        role: '*',
        partitionAware: true,
        failoverTimeoutMs: 604_800_000,
        taskLaunchTimeoutMs: null,
        command: 'echo hello',
        durationMs: 2000,
        failureProbability: 0,
      },
    ],
  });
  assert.equal(s.steady.withinMs, 120_000);
  assert.deepEqual(withoutLocs(s.steady.checks), [{ condition: { kind: 'framework', app: 'api', state: 'connected' } }]);
  assert.equal(s.liveness.deadlineMs, 1_800_000);
  assert.deepEqual(s.workload.services[1]?.loc, { file: fixturePath('valid', 'cluster-list.yaml'), line: 33, column: 7 });
});

test('the mesos profile without a deadline gets a liveness deadline beyond its 10 min reregister timeout', async () => {
  const { parseScenario } = await import('../../../src/chaos/scenario/index.js');
  const r = parseScenario('name: slow\ntiming: mesos\nmethod: [heal]\n', 's.yaml');
  assert.ok(r.ok);
  assert.ok(r.value.liveness.deadlineMs > 600_000);
});
