/**
 * Test harness for the master: a FakeContext, a recording fake allocator whose
 * grants the test decides, and helpers that play agents and schedulers.
 */
import type { Allocation, Allocator } from '../../../src/core/allocator/types.js';
import type { AgentId, FrameworkId, NodeId, OfferId, TaskId } from '../../../src/core/ids.js';
import { createMaster } from '../../../src/core/master/index.js';
import type { MasterActor, MasterOptions, Registry } from '../../../src/core/master/index.js';
import type { AgentTaskReport, FrameworkRef, Offer, TaskInfo, TaskStatus } from '../../../src/core/messages.js';
import { EMPTY_RESOURCES, resources, type Resources } from '../../../src/core/resources.js';
import type { TaskState } from '../../../src/core/task-state.js';
import { timingOf, type Timing, type TimingOverrides } from '../../../src/core/timing.js';
import { FakeContext } from '../../helpers/fake-context.js';

/** The master's node id in every test. */
export const MASTER: NodeId = 'master-1';

/** One call the master made on the allocator. */
export interface AllocatorCall {
  readonly method: keyof Allocator;
  readonly args: readonly unknown[];
}

/** Records every call; `allocate` hands out the grants the test queued. */
export class FakeAllocator implements Allocator {
  calls: AllocatorCall[] = [];
  grants: Allocation[] = [];

  private record(method: keyof Allocator, args: readonly unknown[]): void {
    this.calls.push({ method, args });
  }
  addAgent(...args: Parameters<Allocator['addAgent']>): void {
    this.record('addAgent', args);
  }
  removeAgent(...args: Parameters<Allocator['removeAgent']>): void {
    this.record('removeAgent', args);
  }
  addFramework(...args: Parameters<Allocator['addFramework']>): void {
    this.record('addFramework', args);
  }
  removeFramework(...args: Parameters<Allocator['removeFramework']>): void {
    this.record('removeFramework', args);
  }
  deactivateFramework(...args: Parameters<Allocator['deactivateFramework']>): void {
    this.record('deactivateFramework', args);
  }
  activateFramework(...args: Parameters<Allocator['activateFramework']>): void {
    this.record('activateFramework', args);
  }
  suppress(...args: Parameters<Allocator['suppress']>): void {
    this.record('suppress', args);
  }
  revive(...args: Parameters<Allocator['revive']>): void {
    this.record('revive', args);
  }
  recoverResources(...args: Parameters<Allocator['recoverResources']>): void {
    this.record('recoverResources', args);
  }
  addUsed(...args: Parameters<Allocator['addUsed']>): void {
    this.record('addUsed', args);
  }
  setWeight(...args: Parameters<Allocator['setWeight']>): void {
    this.record('setWeight', args);
  }
  allocate(nowMs: number): Allocation[] {
    this.record('allocate', [nowMs]);
    const out = this.grants;
    this.grants = [];
    return out;
  }
  dominantShare(): number {
    return 0;
  }
  total(): Resources {
    return EMPTY_RESOURCES;
  }

  /** Arguments of every call of one method. */
  argsOf<M extends keyof Allocator>(method: M): Array<Parameters<Allocator[M]>> {
    return this.calls.filter((c) => c.method === method).map((c) => c.args as Parameters<Allocator[M]>);
  }
}

/**
 * Test timing: allocation every 1 s; pings and heartbeats so far apart that
 * nothing times out unless a test asks for it through overrides.
 */
export function testTiming(overrides: TimingOverrides = {}): Timing {
  const result = timingOf('fast', {
    allocationIntervalMs: 1_000,
    agentPingTimeoutMs: 1_000_000,
    maxAgentPingTimeouts: 3,
    heartbeatIntervalMs: 1_000_000,
    defaultRefuseMs: 5_000,
    ...overrides,
  });
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

/** Options for a harness. */
export interface HarnessOptions {
  readonly timing?: TimingOverrides;
  readonly registry?: Registry;
  readonly leadership?: MasterOptions['leadership'];
  readonly weights?: Record<string, number>;
  readonly maxCompletedTasksPerFramework?: number;
  readonly maxCompletedFrameworks?: number;
  /** Default true: call start(). */
  readonly start?: boolean;
}

/** What a scheduler subscribes with in tests. */
export interface SubscribeOptions {
  readonly partitionAware?: boolean;
  readonly failoverTimeoutMs?: number;
  readonly frameworkId?: FrameworkId;
  readonly roles?: readonly string[];
  readonly name?: string;
}

/** Default agent resources. */
export const AGENT_RESOURCES = resources({ cpus: 4, mem: 4096, disk: 1000 });
/** Default task resources. */
export const TASK_RESOURCES = resources({ cpus: 1, mem: 128 });

/** A master under test with helpers that act as agents and schedulers. */
export class Harness {
  readonly ctx: FakeContext;
  readonly allocator = new FakeAllocator();
  readonly master: MasterActor;
  readonly timing: Timing;

  constructor(options: HarnessOptions = {}) {
    this.ctx = new FakeContext(MASTER, 7);
    this.timing = testTiming(options.timing);
    this.master = createMaster(this.ctx, {
      timing: this.timing,
      allocator: this.allocator,
      ...(options.registry ? { registry: options.registry } : {}),
      ...(options.leadership ? { leadership: options.leadership } : {}),
      ...(options.weights ? { weights: options.weights } : {}),
      ...(options.maxCompletedTasksPerFramework ? { maxCompletedTasksPerFramework: options.maxCompletedTasksPerFramework } : {}),
      ...(options.maxCompletedFrameworks ? { maxCompletedFrameworks: options.maxCompletedFrameworks } : {}),
    });
    this.ctx.actor = this.master;
    if (options.start ?? true) this.master.start();
  }

  get masterId(): string {
    const id = this.master.inspect().masterId;
    if (id === null) throw new Error('master has no id yet');
    return id;
  }

  /** Registers an agent on `host`; returns its id. */
  registerAgent(host: NodeId, total: Resources = AGENT_RESOURCES): AgentId {
    this.ctx.deliver(host, { type: 'agent.register', host, resources: total, attributes: {} });
    const reply = this.ctx.sentOfType('master.agent_registered').filter((s) => s.to === host).at(-1);
    if (!reply) throw new Error(`no registration for ${host}`);
    return reply.message.agentId;
  }

  /** Subscribes a scheduler from `node`; returns the framework id. */
  subscribe(node: NodeId, options: SubscribeOptions = {}): FrameworkId {
    this.ctx.deliver(node, {
      type: 'scheduler.subscribe',
      framework: {
        ...(options.frameworkId === undefined ? {} : { frameworkId: options.frameworkId }),
        name: options.name ?? node,
        roles: options.roles ?? ['*'],
        capabilities: { partitionAware: options.partitionAware ?? true },
        failoverTimeoutMs: options.failoverTimeoutMs ?? 60_000,
      },
    });
    const reply = this.ctx.sentOfType('master.subscribed').filter((s) => s.to === node).at(-1);
    if (!reply) throw new Error(`no subscription for ${node}`);
    return reply.message.frameworkId;
  }

  /** Queues one grant, runs the next allocation cycle, returns the offer made. */
  offer(frameworkId: FrameworkId, agentId: AgentId, granted: Resources = AGENT_RESOURCES): Offer {
    this.allocator.grants.push({ frameworkId, agentId, role: '*', resources: granted });
    this.nextCycle();
    const offer = [...this.master.inspect().offers.values()].filter((o) => o.frameworkId === frameworkId && o.agentId === agentId).at(-1);
    if (!offer) throw new Error('no offer made');
    return offer;
  }

  /** Advances to the next allocation cycle; first every agent answers its ping and every scheduler heartbeats, so nothing lapses. */
  nextCycle(): void {
    const view = this.master.inspect();
    for (const agent of view.agents.values()) {
      if (agent.state === 'registered') this.ctx.deliver(agent.host, { type: 'agent.pong', agentId: agent.agentId, epoch: view.epoch });
    }
    for (const f of view.frameworks.values()) {
      if (f.state === 'active') this.ctx.deliver(f.node, { type: 'scheduler.heartbeat', frameworkId: f.frameworkId });
    }
    const left = this.timing.allocationIntervalMs - (this.ctx.nowMs % this.timing.allocationIntervalMs);
    this.ctx.advance(left);
  }

  /** Sends ACCEPT with one LAUNCH. */
  accept(node: NodeId, frameworkId: FrameworkId, offerIds: readonly OfferId[], tasks: readonly TaskInfo[], refuseMs?: number): void {
    this.ctx.deliver(node, {
      type: 'scheduler.accept',
      frameworkId,
      offerIds,
      operations: [{ type: 'LAUNCH', tasks }],
      ...(refuseMs === undefined ? {} : { refuseMs }),
    });
  }

  /** Launches one task per id on a fresh offer of the agent; returns nothing (read the tables). */
  launch(node: NodeId, frameworkId: FrameworkId, agentId: AgentId, taskIds: readonly TaskId[]): void {
    const offer = this.offer(frameworkId, agentId);
    this.accept(node, frameworkId, [offer.offerId], taskIds.map((id) => taskInfo(id, agentId)));
  }

  /** An agent-generated status update (uuid `u-<task>-<state>` unless given). */
  statusUpdate(
    host: NodeId,
    agentId: AgentId,
    frameworkId: FrameworkId,
    taskId: TaskId,
    state: TaskState,
    extra: { readonly latestState?: TaskState; readonly uuid?: string | null } = {},
  ): TaskStatus {
    const uuid = extra.uuid === undefined ? `u-${taskId}-${state}` : extra.uuid;
    const status: TaskStatus = {
      taskId,
      frameworkId,
      agentId,
      state,
      source: 'SOURCE_EXECUTOR',
      ...(uuid === null ? {} : { uuid }),
      timestampMs: this.ctx.nowMs,
    };
    this.ctx.deliver(host, { type: 'agent.status_update', agentId, update: { frameworkId, status, latestState: extra.latestState ?? state } });
    return status;
  }

  /** The agent reregisters with these task reports. */
  reregister(host: NodeId, agentId: AgentId, tasks: readonly AgentTaskReport[], frameworks: readonly FrameworkRef[] = [], total: Resources = AGENT_RESOURCES): void {
    this.ctx.deliver(host, { type: 'agent.reregister', agentId, host, resources: total, attributes: {}, tasks, frameworks });
  }

  /** Statuses sent to a scheduler node in `master.update`, in order. */
  updatesTo(node: NodeId): TaskStatus[] {
    return this.ctx.sentOfType('master.update').filter((s) => s.to === node).map((s) => s.message.status);
  }

  /** Forgets recorded messages and events (to assert on what follows). */
  clear(): void {
    this.ctx.sent = [];
    this.ctx.events = [];
    this.allocator.calls = [];
  }
}

/** A valid task for an agent. */
export function taskInfo(taskId: TaskId, agentId: AgentId, overrides: Partial<TaskInfo> = {}): TaskInfo {
  return { taskId, name: `app-${taskId}`, agentId, resources: TASK_RESOURCES, command: 'sleep 1000', ...overrides };
}

/** The FrameworkRef an agent would report. */
export function frameworkRefOf(h: Harness, frameworkId: FrameworkId): FrameworkRef {
  const f = h.master.inspect().frameworks.get(frameworkId);
  if (!f) throw new Error(`unknown framework ${frameworkId}`);
  return { frameworkId, name: f.name, schedulerNode: f.node, partitionAware: f.partitionAware };
}

/** A task report for reregistration. */
export function reportOf(frameworkId: FrameworkId, info: TaskInfo, state: TaskState): AgentTaskReport {
  return { task: info, frameworkId, state };
}

/**
 * A cluster with one agent (`agent-1`) and two frameworks: `scheduler-pa`
 * (partition-aware) and `scheduler-legacy` (not), each with one RUNNING task
 * (`pa-1`, `legacy-1`) whose RUNNING update was acknowledged.
 */
export function clusterWithRunningTasks(options: HarnessOptions = {}): {
  h: Harness;
  agentId: AgentId;
  pa: FrameworkId;
  legacy: FrameworkId;
} {
  const h = new Harness(options);
  const agentId = h.registerAgent('agent-1');
  const pa = h.subscribe('scheduler-pa', { partitionAware: true });
  const legacy = h.subscribe('scheduler-legacy', { partitionAware: false });
  h.launch('scheduler-pa', pa, agentId, ['pa-1']);
  h.launch('scheduler-legacy', legacy, agentId, ['legacy-1']);
  for (const [fw, taskId, node] of [
    [pa, 'pa-1', 'scheduler-pa'],
    [legacy, 'legacy-1', 'scheduler-legacy'],
  ] as const) {
    const status = h.statusUpdate('agent-1', agentId, fw, taskId, 'TASK_RUNNING');
    h.ctx.deliver(node, { type: 'scheduler.acknowledge', frameworkId: fw, agentId, taskId, uuid: status.uuid ?? '' });
  }
  h.clear();
  return { h, agentId, pa, legacy };
}

/** A registry whose writes wait until the test releases them (a coordinator that has not answered yet). */
export class DeferredRegistry implements Registry {
  readonly pending: Array<() => void> = [];
  constructor(private readonly inner: Registry) {}
  recover(done: Parameters<Registry['recover']>[0]): void {
    this.inner.recover(done);
  }
  agent(agentId: AgentId): ReturnType<Registry['agent']> {
    return this.inner.agent(agentId);
  }
  write(ops: Parameters<Registry['write']>[0], done: Parameters<Registry['write']>[1]): void {
    this.pending.push(() => this.inner.write(ops, done));
  }
  /** Completes the oldest pending write. */
  release(): void {
    const next = this.pending.shift();
    if (!next) throw new Error('no pending registry write');
    next();
  }
}
