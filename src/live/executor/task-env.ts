/**
 * A task's environment: the agent's own, the executor's extras, then what
 * Mesos's command executor and Marathon give a task: MESOS_SANDBOX,
 * MESOS_TASK_ID, and its ports as PORT0, PORT1.., PORTS (comma-separated) and
 * PORT (the first), read from the task's port ranges.
 */
import type { TaskInfo } from '../../core/messages.js';
import type { PortRange } from '../../core/resources.js';

/** More ports than this in one task's ranges are not spelled out one by one (a whole range offered by mistake). */
export const MAX_PORT_VARIABLES = 1000;

/** The ports of a task's ranges, in order (at most MAX_PORT_VARIABLES). */
export function taskPorts(ranges: readonly PortRange[]): number[] {
  const ports: number[] = [];
  for (const range of ranges) {
    for (let port = range.begin; port <= range.end && ports.length < MAX_PORT_VARIABLES; port += 1) ports.push(port);
  }
  return ports;
}

/** The environment the task's process gets. */
export function taskEnvironment(options: {
  readonly task: TaskInfo;
  readonly sandbox: string;
  readonly base: Readonly<Record<string, string | undefined>>;
  readonly extra?: Readonly<Record<string, string>>;
}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(options.base)) if (value !== undefined) env[key] = value;
  Object.assign(env, options.extra ?? {});
  env.MESOS_SANDBOX = options.sandbox;
  env.MESOS_DIRECTORY = options.sandbox;
  env.MESOS_TASK_ID = options.task.taskId;
  const ports = taskPorts(options.task.resources.ports);
  ports.forEach((port, i) => {
    env[`PORT${i}`] = String(port);
  });
  if (ports.length > 0) {
    env.PORT = String(ports[0]);
    env.PORTS = ports.join(',');
  }
  return env;
}
