/**
 * The command lines of a live run's daemons: the same `faultline master` and
 * `faultline agent` a user starts by hand, with the run's node ids, addresses,
 * work directories and event logs. Pure, so what a run starts is tested
 * without starting it.
 */
import type { NodeId } from '../../core/ids.js';
import type { Attributes } from '../../core/messages.js';
import { formatResources, type Resources } from '../../core/resources.js';
import type { TimingProfileName } from '../../core/timing.js';

/** Where a daemon listens. */
export interface DaemonAddress {
  readonly ip: string;
  readonly port: number;
}

/** What every daemon of a run shares. */
export interface DaemonCommon {
  readonly node: NodeId;
  readonly listen: DaemonAddress;
  readonly workDir: string;
  readonly eventLog: string;
  readonly timing: TimingProfileName;
}

/** `faultline master` for node `node`; `zk` is the election's zk:// URL when the run has several masters. */
export function masterArgv(options: DaemonCommon & { readonly zk: string | null; readonly zkSessionTimeoutMs: number }): string[] {
  const argv = ['master', '--node-id', options.node, '--listen', hostPort(options.listen), '--work-dir', options.workDir, '--event-log', options.eventLog, '--timing', options.timing, '--allow-chaos'];
  if (options.zk !== null) argv.push('--zk', options.zk, '--zk-session-timeout', `${options.zkSessionTimeoutMs}ms`);
  return argv;
}

/** `faultline agent` for host `node`, following `master` (HOST:PORT or zk://). */
export function agentArgv(options: DaemonCommon & { readonly master: string; readonly resources: Resources; readonly attributes: Attributes }): string[] {
  const argv = ['agent', '--node-id', options.node, '--master', options.master, '--listen', hostPort(options.listen), '--work-dir', options.workDir, '--event-log', options.eventLog, '--timing', options.timing, '--resources', formatResources(options.resources)];
  const attributes = Object.entries(options.attributes).map(([k, v]) => `${k}:${v}`).join(';');
  if (attributes !== '') argv.push('--attributes', attributes);
  return argv;
}

/** HOST:PORT. */
export function hostPort(address: DaemonAddress): string {
  return `${address.ip}:${address.port}`;
}
