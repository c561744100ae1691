/**
 * The cluster layer without any simulator: a ClusterCore over a fake node
 * control that only records what it is asked, and a history log on a fake
 * clock. Each fault kind asks the runtime for exactly its operations, and
 * the history shows the fault first and the lifecycle events around it.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Actor, ActorFactory } from '../../src/core/actor.js';
import type { NodeRole } from '../../src/core/events.js';
import { FAULT_KINDS } from '../../src/core/fault-kinds.js';
import type { Fault, FaultKind, LinkFaultSpec, NodeGroup } from '../../src/core/faults.js';
import type { NodeId, TaskId } from '../../src/core/ids.js';
import { FAST_TIMING } from '../../src/core/timing.js';
import { ClusterCore, HistoryLog, uniformAgents, type NodeControl, type NodeStatus } from '../../src/cluster/index.js';

/** Node control that records every call and keeps statuses, running no actor. */
class FakeNodeControl implements NodeControl {
  readonly calls: string[] = [];
  readonly nodes = new Map<NodeId, { role: NodeRole; status: NodeStatus; factory: ActorFactory }>();
  readonly tasks = new Map<TaskId, NodeId>([['web.000001', 'agent-1']]);
  coordinator = true;

  add(node: NodeId, role: NodeRole, factory: ActorFactory): void {
    this.nodes.set(node, { role, status: 'stopped', factory });
  }
  role(node: NodeId): NodeRole | undefined {
    return this.nodes.get(node)?.role;
  }
  status(node: NodeId): NodeStatus | undefined {
    return this.nodes.get(node)?.status;
  }
  nodesWithRole(role: NodeRole): NodeId[] {
    return [...this.nodes].filter(([, n]) => n.role === role).map(([id]) => id);
  }
  private set(node: NodeId, status: NodeStatus, call: string): void {
    const n = this.nodes.get(node);
    assert.ok(n, `unknown node ${node}`);
    n.status = status;
    this.calls.push(`${call} ${node}`);
  }
  start(node: NodeId): void {
    this.set(node, 'running', 'start');
  }
  stop(node: NodeId): void {
    this.set(node, 'stopped', 'stop');
  }
  pause(node: NodeId): void {
    this.set(node, 'paused', 'pause');
  }
  resume(node: NodeId): void {
    this.set(node, 'running', 'resume');
  }
  cut(groups: readonly NodeGroup[], oneWay: boolean): void {
    this.calls.push(`cut ${groups.map((g) => g.join(',')).join('|')}${oneWay ? ' one-way' : ''}`);
  }
  healLinks(): void {
    this.calls.push('heal-links');
  }
  degrade(from: NodeGroup, to: NodeGroup, oneWay: boolean, spec: LinkFaultSpec): void {
    this.calls.push(`degrade ${from.join(',')}->${to.join(',')}${oneWay ? ' one-way' : ''} ${JSON.stringify(spec)}`);
  }
  clog(nodes: NodeGroup): void {
    this.calls.push(`clog ${nodes.join(',')}`);
  }
  unclog(nodes: NodeGroup): void {
    this.calls.push(`unclog ${nodes.join(',')}`);
  }
  swizzleClog(nodes: NodeGroup, stepMs: number): void {
    this.calls.push(`swizzle ${nodes.join(',')} ${stepMs}`);
  }
  taskHost(taskId: TaskId): NodeId | undefined {
    return this.tasks.get(taskId);
  }
  killTask(taskId: TaskId): boolean {
    this.calls.push(`kill-task ${taskId}`);
    return true;
  }
  crashHostTasks(host: NodeId): void {
    this.calls.push(`crash-tasks ${host}`);
  }
  reattachTasks(host: NodeId): void {
    this.calls.push(`reattach ${host}`);
  }
  expireSessions(master: NodeId): boolean {
    if (this.coordinator) this.calls.push(`expire ${master}`);
    return this.coordinator;
  }
}

const idle: Actor = { start() {}, receive() {}, timer() {} };

function build(masters = 3) {
  const control = new FakeNodeControl();
  control.coordinator = masters > 1;
  let nowMs = 0;
  const log = new HistoryLog({ now: () => nowMs });
  const core = new ClusterCore(
    {
      seed: 's',
      timing: FAST_TIMING,
      masters,
      agents: uniformAgents(2),
      frameworks: () => [{ node: 'scheduler-web', name: 'web', kind: 'service', newDisk: () => ({}), build: () => idle }],
    },
    { control, log, executorFor: () => ({ launch() {}, kill() {} }), coordinatorActor: true },
  );
  control.calls.length = 0;
  nowMs = 1_000;
  return { control, log, core };
}

/** One fault of each kind, with the calls it must make. */
const CASES: { readonly [K in FaultKind]: { fault: Extract<Fault, { kind: K }>; calls: string[]; events: string[] } } = {
  'kill-agent': { fault: { kind: 'kill-agent', node: 'agent-1' }, calls: ['stop agent-1', 'crash-tasks agent-1'], events: ['node.stopped agent-1 killed'] },
  'restart-agent': { fault: { kind: 'restart-agent', node: 'agent-1' }, calls: ['stop agent-1', 'start agent-1', 'reattach agent-1'], events: ['node.stopped agent-1 restarted', 'node.started agent-1'] },
  'pause-agent': { fault: { kind: 'pause-agent', node: 'agent-2' }, calls: ['pause agent-2'], events: ['node.paused agent-2'] },
  'resume-agent': { fault: { kind: 'resume-agent', node: 'agent-2' }, calls: [], events: [] },
  partition: { fault: { kind: 'partition', groups: [['agent-1'], ['master-1', 'master-2']], oneWay: true }, calls: ['cut agent-1|master-1,master-2 one-way'], events: [] },
  heal: { fault: { kind: 'heal' }, calls: ['heal-links'], events: [] },
  link: { fault: { kind: 'link', from: ['agent-1'], to: [], oneWay: false, spec: { loss: 0.5 } }, calls: ['degrade agent-1-> {"loss":0.5}'], events: [] },
  clog: { fault: { kind: 'clog', nodes: ['agent-1', 'agent-2'] }, calls: ['clog agent-1,agent-2'], events: [] },
  unclog: { fault: { kind: 'unclog', nodes: ['agent-1'] }, calls: ['unclog agent-1'], events: [] },
  'swizzle-clog': { fault: { kind: 'swizzle-clog', nodes: ['agent-1', 'agent-2'], stepMs: 500 }, calls: ['swizzle agent-1,agent-2 500'], events: [] },
  'kill-master': { fault: { kind: 'kill-master', node: 'master-2' }, calls: ['stop master-2'], events: ['node.stopped master-2 killed'] },
  'restart-master': { fault: { kind: 'restart-master', node: 'master-2' }, calls: ['stop master-2', 'start master-2'], events: ['node.stopped master-2 restarted', 'node.started master-2'] },
  'pause-master': { fault: { kind: 'pause-master', node: 'master-3' }, calls: ['pause master-3'], events: ['node.paused master-3'] },
  'resume-master': { fault: { kind: 'resume-master', node: 'master-3' }, calls: [], events: [] },
  failover: { fault: { kind: 'failover', node: 'master-1' }, calls: ['expire master-1'], events: [] },
  'kill-task': { fault: { kind: 'kill-task', taskId: 'web.000001', frameworkId: 'fw-0000' }, calls: ['kill-task web.000001'], events: [] },
  'crash-framework': { fault: { kind: 'crash-framework', node: 'scheduler-web' }, calls: ['stop scheduler-web'], events: ['node.stopped scheduler-web crashed'] },
  'restart-framework': { fault: { kind: 'restart-framework', node: 'scheduler-web' }, calls: ['stop scheduler-web', 'start scheduler-web'], events: ['node.stopped scheduler-web restarted', 'node.started scheduler-web'] },
};

function eventLines(records: ReturnType<HistoryLog['history']>): string[] {
  return records.map((r) => (r.type === 'node.stopped' ? `${r.type} ${r.node} ${r.reason}` : 'node' in r ? `${r.type} ${String(r.node)}` : r.type));
}

describe('ClusterCore over a fake node control', () => {
  it('builds the spec: coordinator, masters, agents, frameworks, started in that order after cluster.started', () => {
    const control = new FakeNodeControl();
    const log = new HistoryLog({ now: () => 0 });
    new ClusterCore({ seed: 's', timing: FAST_TIMING, masters: 3, agents: uniformAgents(2), frameworks: () => [] }, { control, log, executorFor: () => ({ launch() {}, kill() {} }), coordinatorActor: true });
    assert.deepEqual(control.calls, ['start coordinator', 'start master-1', 'start master-2', 'start master-3', 'start agent-1', 'start agent-2']);
    assert.deepEqual(eventLines(log.history()).slice(0, 2), ['cluster.started', 'node.started coordinator']);
  });

  it('a cluster on ZooKeeper (no coordinator actor) adds no coordinator node', () => {
    const control = new FakeNodeControl();
    const log = new HistoryLog({ now: () => 0 });
    new ClusterCore({ seed: 's', timing: FAST_TIMING, masters: 3, agents: uniformAgents(1) }, { control, log, executorFor: () => ({ launch() {}, kill() {} }), coordinatorActor: false });
    assert.equal(control.role('coordinator'), undefined);
    assert.deepEqual(control.nodesWithRole('master'), ['master-1', 'master-2', 'master-3']);
  });

  it('covers every fault kind of the table', () => {
    assert.deepEqual(Object.keys(CASES).sort(), [...FAULT_KINDS].sort());
  });

  for (const kind of FAULT_KINDS) {
    it(`${kind}: asks node control for exactly its operations, after recording the fault`, () => {
      const { control, log, core } = build();
      const { fault, calls, events } = CASES[kind];
      // resume-* only act on a paused node: first pause it, then look at what the resume asks.
      if (kind === 'resume-agent' || kind === 'resume-master') {
        control.pause((fault as { node: NodeId }).node);
        control.calls.length = 0;
        calls.push(`resume ${(fault as { node: NodeId }).node}`);
        events.push(`node.resumed ${(fault as { node: NodeId }).node}`);
      }
      const before = log.history().length;
      const result = core.inject(fault);
      assert.ok(result.ok, result.ok ? '' : result.error.message);
      assert.deepEqual(control.calls, calls);
      const added = log.history().slice(before);
      assert.equal(added[0]?.type, 'fault.injected');
      assert.equal(added[0]?.atMs, 1_000);
      assert.deepEqual(eventLines(added.slice(1)), events);
    });
  }

  it('a killed agent restarts as a reboot (no process stop, its disk wiped), not as a process restart', () => {
    const { control, core } = build();
    assert.ok(core.inject({ kind: 'kill-agent', node: 'agent-1' }).ok);
    control.calls.length = 0;
    assert.ok(core.inject({ kind: 'restart-agent', node: 'agent-1' }).ok);
    assert.deepEqual(control.calls, ['start agent-1', 'reattach agent-1']);
  });

  it('failover of a lone master restarts it', () => {
    const { control, core } = build(1);
    assert.ok(core.inject({ kind: 'failover', node: 'master-1' }).ok);
    assert.deepEqual(control.calls, ['stop master-1', 'start master-1']);
  });

  it('refuses unknown targets with a typed error and records nothing', () => {
    const { control, log, core } = build();
    const before = log.history().length;
    for (const fault of [{ kind: 'kill-agent', node: 'master-1' }, { kind: 'failover', node: 'agent-1' }, { kind: 'kill-task', taskId: 'nope', frameworkId: 'f' }, { kind: 'clog', nodes: ['ghost'] }] as const) {
      const result = core.inject(fault);
      assert.ok(!result.ok && result.error.code === 'UNKNOWN_TARGET', JSON.stringify(fault));
    }
    assert.equal(log.history().length, before);
    assert.deepEqual(control.calls, []);
  });

  it('adds a framework node at run time, once', () => {
    const { control, core } = build();
    const spec = { node: 'http-fw-1', name: 'ext', kind: 'external', newDisk: () => ({}), build: () => idle };
    assert.ok(core.addFrameworkNode(spec).ok);
    assert.deepEqual(control.calls, ['start http-fw-1']);
    assert.ok(core.frameworks().includes('http-fw-1'));
    assert.ok(core.networkNodes().includes('http-fw-1'));
    assert.equal(core.addFrameworkNode(spec).ok, false);
  });
});
