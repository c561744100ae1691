/**
 * The scenario's workload as the built-in schedulers take it (schedulers/workload.ts).
 * The field names already match; the schedulers' own `*Of` helpers fill what the
 * file left to them (null here: the timing profile's unreachableStrategy, the
 * default task launch timeout, the batch command).
 */
import type { Timing } from '../../core/timing.js';
import { batchJobOf, executeCommandOf, serviceAppOf, type WorkloadSpec as SchedulerWorkload } from '../../schedulers/workload.js';
import type { WorkloadSpec } from './types.js';

/** Maps the parsed workload to the schedulers' WorkloadSpec for the given timing. */
export function schedulerWorkloadOf(workload: WorkloadSpec, timing: Timing): SchedulerWorkload {
  return {
    services: workload.services.map((s) =>
      serviceAppOf(
        {
          name: s.name,
          instances: s.instances,
          resources: s.resources,
          command: s.command,
          role: s.role,
          partitionAware: s.partitionAware,
          failoverTimeoutMs: s.failoverTimeoutMs,
          killSelection: s.killSelection,
          durationMs: s.durationMs,
          failureProbability: s.failureProbability,
          ...(s.unreachableStrategy === null ? {} : { unreachableStrategy: s.unreachableStrategy }),
          ...(s.taskLaunchTimeoutMs === null ? {} : { taskLaunchTimeoutMs: s.taskLaunchTimeoutMs }),
        },
        timing,
      ),
    ),
    batch: workload.batch.map((b) =>
      batchJobOf(
        {
          name: b.name,
          tasks: b.tasks,
          resources: b.resources,
          role: b.role,
          durationMs: b.durationMs,
          failureProbability: b.failureProbability,
          maxRetries: b.maxRetries,
          parallelism: b.parallelism,
          partitionAware: b.partitionAware,
          failoverTimeoutMs: b.failoverTimeoutMs,
          ...(b.command === null ? {} : { command: b.command }),
          ...(b.taskLaunchTimeoutMs === null ? {} : { taskLaunchTimeoutMs: b.taskLaunchTimeoutMs }),
        },
        timing,
      ),
    ),
    execute: workload.execute.map((e) =>
      executeCommandOf(
        {
          name: e.name,
          command: e.command,
          resources: e.resources,
          role: e.role,
          durationMs: e.durationMs,
          failureProbability: e.failureProbability,
          partitionAware: e.partitionAware,
          failoverTimeoutMs: e.failoverTimeoutMs,
          ...(e.taskLaunchTimeoutMs === null ? {} : { taskLaunchTimeoutMs: e.taskLaunchTimeoutMs }),
        },
        timing,
      ),
    ),
  };
}
