/**
 * A workload (services, batch jobs, execute commands) turned into the scheduler
 * nodes a runtime builds: one framework per app, since partition awareness and
 * roles are per framework in Mesos. This is the schedulers' public entry point:
 * the simulator, the chaos runner and the CLI import from here.
 */
import type { Actor, ActorContext } from '../core/actor.js';
import type { LeaderSource } from '../core/detector.js';
import type { NodeId } from '../core/ids.js';
import type { TaskStatus } from '../core/messages.js';
import type { Timing } from '../core/timing.js';
import { createBatchScheduler } from './batch/batch.js';
import type { BatchJob } from './batch/job.js';
import { asSchedulerDisk, newSchedulerDisk } from './disk.js';
import { createExecuteScheduler, type ExecuteCommand } from './execute/execute.js';
import type { ServiceApp, ServiceBugs } from './service/app.js';
import { createServiceScheduler } from './service/service.js';

export { newSchedulerDisk, type SchedulerDisk } from './disk.js';
export { serviceAppOf, type ServiceApp, type ServiceBugs, type UnreachableStrategy, type KillSelection } from './service/app.js';
export { batchJobOf, type BatchJob, type BatchProgress } from './batch/job.js';
export { executeCommandOf, type ExecuteCommand, type ExecuteActor, type ExecuteState } from './execute/execute.js';
export { asServiceActor, createServiceScheduler, type ServiceActor, type ServiceStatus } from './service/service.js';
export { asBatchActor, createBatchScheduler, type BatchActor } from './batch/batch.js';
export { asExecuteActor, createExecuteScheduler } from './execute/execute.js';

/** Everything the built-in frameworks run. */
export interface WorkloadSpec {
  readonly services: readonly ServiceApp[];
  readonly batch: readonly BatchJob[];
  readonly execute: readonly ExecuteCommand[];
}

/** The kinds of built-in framework. */
export type FrameworkKind = 'service' | 'batch' | 'execute';

/** A scheduler process the runtime builds: its node, a fresh disk, and the actor over a (kept) disk. */
export interface FrameworkNode {
  /** `scheduler-<name>`. */
  readonly node: NodeId;
  readonly name: string;
  readonly kind: FrameworkKind;
  /** A fresh checkpoint; the runtime keeps it across restarts of this scheduler. */
  newDisk(): unknown;
  /** Builds the actor (again after a restart) over the disk from `newDisk()`. */
  build(ctx: ActorContext, disk: unknown): Actor;
}

/** Options of `frameworkNodesOf`. */
export interface FrameworkNodesOptions {
  readonly timing: Timing;
  readonly leader: LeaderSource;
  /** Deliberate bugs per service name, for the checkers' own tests. */
  readonly bugs?: Readonly<Record<string, ServiceBugs>>;
  /** Called with every status update of an execute command's task (mesos-execute prints them). */
  readonly onExecuteUpdate?: (name: string, status: TaskStatus) => void;
}

/** The scheduler node of a framework name. */
export function schedulerNodeOf(name: string): NodeId {
  return `scheduler-${name}`;
}

/** One FrameworkNode per service, batch job and execute command, in that order. */
export function frameworkNodesOf(workload: WorkloadSpec, options: FrameworkNodesOptions): FrameworkNode[] {
  const { timing, leader } = options;
  const nodes: FrameworkNode[] = [];
  for (const app of workload.services) {
    const bugs = options.bugs?.[app.name];
    nodes.push({
      node: schedulerNodeOf(app.name),
      name: app.name,
      kind: 'service',
      newDisk: newSchedulerDisk,
      build: (ctx, disk) => createServiceScheduler(ctx, { app, timing, leader, disk: asSchedulerDisk(disk), ...(bugs ? { bugs } : {}) }),
    });
  }
  for (const job of workload.batch) {
    nodes.push({
      node: schedulerNodeOf(job.name),
      name: job.name,
      kind: 'batch',
      newDisk: newSchedulerDisk,
      build: (ctx, disk) => createBatchScheduler(ctx, { job, timing, leader, disk: asSchedulerDisk(disk) }),
    });
  }
  for (const command of workload.execute) {
    nodes.push({
      node: schedulerNodeOf(command.name),
      name: command.name,
      kind: 'execute',
      newDisk: newSchedulerDisk,
      build: (ctx, disk) => {
        const onUpdate = options.onExecuteUpdate;
        return createExecuteScheduler(ctx, { command, timing, leader, disk: asSchedulerDisk(disk), ...(onUpdate ? { onUpdate: (status) => onUpdate(command.name, status) } : {}) });
      },
    });
  }
  return nodes;
}
