/**
 * A service scheduler under a FakeContext, subscribed to a fake master, with
 * helpers to deploy it and let time pass while the master keeps heartbeating.
 */
import assert from 'node:assert/strict';
import { FAST_TIMING, type Timing } from '../../src/core/timing.js';
import { newSchedulerDisk, type SchedulerDisk } from '../../src/schedulers/disk.js';
import { serviceAppOf, type ServiceApp, type ServiceBugs } from '../../src/schedulers/service/app.js';
import { createServiceScheduler, type ServiceActor } from '../../src/schedulers/service/service.js';
import type { FakeContext } from '../helpers/fake-context.js';
import { MASTER, launched, offer, runAll, sendOffers, started, subscribe } from './helpers.js';
import { res } from '../helpers/resources.js';

/** A subscribed service. */
export interface ServiceHarness {
  readonly ctx: FakeContext;
  readonly actor: ServiceActor;
  readonly disk: SchedulerDisk;
  readonly app: ServiceApp;
}

/** Builds, starts and subscribes a service `web` (3 x cpus:1;mem:128 unless overridden). */
export function service(overrides: Partial<ServiceApp> = {}, options: { bugs?: ServiceBugs; disk?: SchedulerDisk; timing?: Timing } = {}): ServiceHarness {
  const timing = options.timing ?? FAST_TIMING;
  const app = serviceAppOf({ name: 'web', instances: 3, resources: res('cpus:1;mem:128'), ...overrides }, timing);
  const disk = options.disk ?? newSchedulerDisk();
  const { ctx, actor } = started((c) =>
    createServiceScheduler(c, { app, timing, leader: { kind: 'static', master: MASTER }, disk, ...(options.bugs ? { bugs: options.bugs } : {}) }),
  );
  subscribe(ctx);
  return { ctx, actor, disk, app };
}

/** Deploys the 3 instances: 2 on agent-1, 1 on agent-2, all RUNNING; then forgets what was sent. */
export function deployed(overrides: Partial<ServiceApp> = {}, options: { bugs?: ServiceBugs } = {}): ServiceHarness & { tasks: string[] } {
  const h = service(overrides, options);
  sendOffers(h.ctx, offer('agent-1', 'cpus:2;mem:1024'), offer('agent-2', 'cpus:2;mem:1024'));
  runAll(h.ctx);
  const tasks = launched(h.ctx).map((t) => t.taskId);
  assert.equal(tasks.length, h.app.instances);
  assert.equal(h.actor.status().running, h.app.instances);
  h.ctx.takeSent();
  return { ...h, tasks };
}

/** Lets `ms` pass with the master heartbeating every 500 ms (so the subscription holds). */
export function pass(ctx: FakeContext, ms: number): void {
  let left = ms;
  while (left > 0) {
    const step = Math.min(500, left);
    ctx.deliver(MASTER, { type: 'master.heartbeat', epoch: 1 });
    ctx.advance(step);
    left -= step;
  }
}
