/**
 * Shared set-up for the agent tests: a recording TaskExecutor, task and
 * framework builders, and an agent bound to a FakeContext with its disk.
 */
import type { Actor, TaskExecutor } from '../../../src/core/actor.js';
import { createAgent } from '../../../src/core/agent/index.js';
import { newAgentDisk, type AgentDisk } from '../../../src/core/agent/disk.js';
import type { LeaderSource } from '../../../src/core/detector.js';
import type { FrameworkId, TaskId } from '../../../src/core/ids.js';
import type { ExecutorMessage, FrameworkRef, TaskInfo } from '../../../src/core/messages.js';
import { resources } from '../../../src/core/resources.js';
import { MESOS_TIMING, type Timing } from '../../../src/core/timing.js';
import { FakeContext, type MessageOf } from '../../helpers/fake-context.js';

export const HOST = 'agent-1';
export const MASTER = 'master-1';
export const AGENT_ID = 'm1-S0';

/** Records what the agent asked of its executor. */
export class FakeExecutor implements TaskExecutor {
  launched: TaskInfo[] = [];
  killed: TaskId[] = [];
  launch(task: TaskInfo): void {
    this.launched.push(task);
  }
  kill(taskId: TaskId): void {
    this.killed.push(taskId);
  }
}

/** A framework reference. */
export function framework(frameworkId: FrameworkId = 'm1-0000', partitionAware = true): FrameworkRef {
  return { frameworkId, name: `fw-${frameworkId}`, schedulerNode: `scheduler-${frameworkId}`, partitionAware };
}

/** A task for this agent. */
export function taskInfo(taskId: TaskId): TaskInfo {
  return { taskId, name: 'web', agentId: AGENT_ID, resources: resources({ cpus: 0.5, mem: 128 }), command: 'sleep 1000' };
}

/** An agent under test. */
export interface Harness {
  readonly ctx: FakeContext;
  readonly executor: FakeExecutor;
  readonly disk: AgentDisk;
  readonly agent: Actor;
}

/** Options for `makeAgent`. */
export interface HarnessOptions {
  readonly timing?: Timing;
  readonly disk?: AgentDisk;
  readonly leader?: LeaderSource;
  readonly ctx?: FakeContext;
  /** Call start() (default true). */
  readonly start?: boolean;
}

/** Builds (and starts) an agent on HOST with the mesos timing and a static leader. */
export function makeAgent(options: HarnessOptions = {}): Harness {
  const ctx = options.ctx ?? new FakeContext(HOST, 7);
  const executor = new FakeExecutor();
  const disk = options.disk ?? newAgentDisk();
  const agent = createAgent(ctx, {
    resources: resources({ cpus: 4, mem: 8192 }),
    attributes: { rack: 'r1' },
    timing: options.timing ?? MESOS_TIMING,
    leader: options.leader ?? { kind: 'static', master: MASTER },
    executor,
    disk,
  });
  ctx.actor = agent;
  if (options.start ?? true) agent.start();
  return { ctx, executor, disk, agent };
}

/** Runs the clock until the agent's first (re)registration message goes out; returns it. */
export function awaitRegistration(h: Harness): MessageOf<'agent.register'> | MessageOf<'agent.reregister'> {
  const { ctx } = h;
  for (let i = 0; i < 10_000; i += 1) {
    const found = ctx.sent.find((s) => s.message.type === 'agent.register' || s.message.type === 'agent.reregister');
    if (found) return found.message as MessageOf<'agent.register'> | MessageOf<'agent.reregister'>;
    ctx.advance(100);
  }
  throw new Error('the agent never registered');
}

/** Registers the agent with MASTER (epoch 1) and forgets what it sent so far. */
export function register(h: Harness, epoch = 1): void {
  const first = awaitRegistration(h);
  const type = first.type === 'agent.register' ? 'master.agent_registered' : 'master.agent_reregistered';
  h.ctx.deliver(MASTER, { type, epoch, masterId: 'm1', agentId: AGENT_ID });
  h.ctx.takeSent();
}

/** A started, registered agent. */
export function registeredAgent(options: HarnessOptions = {}): Harness {
  const h = makeAgent(options);
  register(h);
  return h;
}

/** The master launches a task on the agent. */
export function runTask(h: Harness, taskId: TaskId, fw: FrameworkRef = framework(), epoch = 1): void {
  h.ctx.deliver(MASTER, { type: 'master.run_task', epoch, framework: fw, task: taskInfo(taskId) });
}

/** The executor reports a state (locally, from the agent's own node). */
export function report(h: Harness, taskId: TaskId, state: ExecutorMessage['state']): void {
  h.ctx.deliver(HOST, { type: 'executor.status', taskId, state });
}

/** The master relays a scheduler's acknowledgement. */
export function ack(h: Harness, taskId: TaskId, uuid: string, frameworkId: FrameworkId = 'm1-0000', epoch = 1): void {
  h.ctx.deliver(MASTER, { type: 'master.status_update_ack', epoch, frameworkId, taskId, uuid });
}

/** The status updates the agent sent so far (not forgotten). */
export function statusUpdates(h: Harness): Array<MessageOf<'agent.status_update'>> {
  return h.ctx.sentOfType('agent.status_update').map((s) => s.message);
}

/** The uuid of a sent update (always set on agent updates). */
export function uuidOf(update: MessageOf<'agent.status_update'>): string {
  const uuid = update.update.status.uuid;
  if (uuid === undefined) throw new Error('an agent update without a uuid');
  return uuid;
}
