/**
 * Helpers for scheduler unit tests: a master's side of the conversation
 * (subscribed, offers, updates) delivered into a FakeContext.
 */
import type { Actor } from '../../src/core/actor.js';
import type { AgentId, FrameworkId, TaskId } from '../../src/core/ids.js';
import type { Message, Offer, TaskStatus } from '../../src/core/messages.js';
import type { TaskReason, TaskState } from '../../src/core/task-state.js';
import { FakeContext, type MessageOf } from '../helpers/fake-context.js';
import { res } from '../helpers/resources.js';

/** The master every test talks to. */
export const MASTER = 'master-1';
/** The framework id the fake master mints. */
export const FRAMEWORK: FrameworkId = 'M1-0000';


/** A context bound to an actor built on it, started. */
export function started<A extends Actor>(build: (ctx: FakeContext) => A, node = 'scheduler-web'): { ctx: FakeContext; actor: A } {
  const ctx = new FakeContext(node);
  const actor = build(ctx);
  ctx.actor = actor;
  actor.start();
  return { ctx, actor };
}

/** Answers the SUBSCRIBE. */
export function subscribe(ctx: FakeContext, options: { frameworkId?: FrameworkId; epoch?: number; heartbeatIntervalMs?: number; from?: string } = {}): void {
  ctx.deliver(options.from ?? MASTER, {
    type: 'master.subscribed',
    epoch: options.epoch ?? 1,
    masterId: 'M1',
    frameworkId: options.frameworkId ?? FRAMEWORK,
    heartbeatIntervalMs: options.heartbeatIntervalMs ?? 1_000,
  });
}

let offerCounter = 0;
/** An offer of `resources` on `agent` (agent id `A-<agent>`). */
export function offer(agent: string, resources = 'cpus:4;mem:8192'): Offer {
  offerCounter += 1;
  return { offerId: `M1-O${offerCounter}`, frameworkId: FRAMEWORK, agentId: agentIdOf(agent), host: agent, role: '*', resources: res(resources), attributes: {} };
}

/** The agent id of a host in these tests. */
export function agentIdOf(host: string): AgentId {
  return `M1-S-${host}`;
}

/** Delivers offers. */
export function sendOffers(ctx: FakeContext, ...offers: Offer[]): void {
  ctx.deliver(MASTER, { type: 'master.offers', epoch: 1, offers });
}

/** A task status. */
export function statusOf(taskId: TaskId, state: TaskState, extra: { reason?: TaskReason; uuid?: string; agentId?: AgentId; unreachableTimeMs?: number; message?: string } = {}): TaskStatus {
  return {
    taskId,
    frameworkId: FRAMEWORK,
    agentId: extra.agentId ?? agentIdOf('agent-1'),
    state,
    source: extra.uuid === undefined ? 'SOURCE_MASTER' : 'SOURCE_EXECUTOR',
    timestampMs: 0,
    ...(extra.reason === undefined ? {} : { reason: extra.reason }),
    ...(extra.uuid === undefined ? {} : { uuid: extra.uuid }),
    ...(extra.unreachableTimeMs === undefined ? {} : { unreachableTimeMs: extra.unreachableTimeMs }),
    ...(extra.message === undefined ? {} : { message: extra.message }),
  };
}

/** Delivers one status update. */
export function sendUpdate(ctx: FakeContext, status: TaskStatus, epoch = 1): void {
  ctx.deliver(MASTER, { type: 'master.update', epoch, status });
}

/** The tasks launched by the ACCEPTs sent so far (not forgotten), with their agent. */
export function launched(ctx: FakeContext): Array<{ taskId: TaskId; agentId: AgentId; offerId: string }> {
  const out: Array<{ taskId: TaskId; agentId: AgentId; offerId: string }> = [];
  for (const { message } of ctx.sentOfType('scheduler.accept')) {
    for (const op of message.operations) for (const t of op.tasks) out.push({ taskId: t.taskId, agentId: t.agentId, offerId: message.offerIds[0] ?? '' });
  }
  return out;
}

/** Sent messages of a type since the last `ctx.takeSent()`. */
export function sent<T extends Message['type']>(ctx: FakeContext, type: T): Array<MessageOf<T>> {
  return ctx.sentOfType(type).map((s) => s.message);
}

/** The notes emitted so far. */
export function notes(ctx: FakeContext): string[] {
  return ctx.eventsOfType('scheduler.note').map((e) => e.note);
}

/** Runs every launched task to TASK_RUNNING (agent updates with uuids). */
export function runAll(ctx: FakeContext): void {
  for (const t of launched(ctx)) sendUpdate(ctx, statusOf(t.taskId, 'TASK_RUNNING', { uuid: `u-${t.taskId}`, agentId: t.agentId }));
}
