/**
 * A network lab for a live cluster: where its nodes run and how network
 * faults reach them. Two mechanisms (README.md; iptables-lab.ts and transport-lab.ts):
 *
 * - **iptables**: a network namespace of its own (`flt-<pid>-<n>`, `lo` up),
 *   every node on its own 127.0.0.x inside it, and faults as DROP rules in the
 *   lab's chain FLT (jumped to from INPUT). Needs root and a working iptables
 *   in a namespace, which opening probes.
 * - **transport**: no namespace; nodes bind 127.0.0.x on the host's loopback
 *   and network faults are applied in faultline's transport (the runner's
 *   business: `drop` answers UNSUPPORTED).
 */
import { err, ok, type Result } from '../../core/errors.js';
import { execFileRunner, type CommandRunner } from './command-runner.js';
import { iptablesLab, setUpNamespace } from './iptables-lab.js';
import { isValidNamespaceName, labNamespaceName } from './names.js';
import { registerLab, unregisterLab } from './registry.js';
import { labTools } from './tools.js';
import { transportLab } from './transport-lab.js';
import type { NetLab, OpenNetLabOptions } from './types.js';

export type { DelayLink, DelayLinkOptions, DropOptions, NetLab, NetLabMode, NetLabRequest, OpenNetLabOptions } from './types.js';

const TRANSPORT_FALLBACK = "network faults are applied in faultline's transport";

let labsOpened = 0;

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/**
 * Opens a lab. `auto` (the default) uses iptables when this process is root
 * and `ip` and `iptables` work in a fresh namespace, else the transport with a
 * one-line why. Fails only on a bad name (USAGE) or when `iptables` was
 * insisted on and is not available (UNSUPPORTED).
 */
export async function openNetLab(options: OpenNetLabOptions = {}): Promise<Result<NetLab>> {
  const request = options.mode ?? 'auto';
  const n = labsOpened;
  labsOpened += 1;
  const name = options.name ?? labNamespaceName(process.pid, n);
  if (!isValidNamespaceName(name)) return err('USAGE', `"${name}" is not a usable namespace name (letters, digits, "-_.", at most 32)`);
  if (request === 'transport') return ok(transportLab(`transport mode asked for: ${TRANSPORT_FALLBACK}`));

  const unavailable = (reason: string): Result<NetLab> =>
    request === 'iptables' ? err('UNSUPPORTED', `iptables mode is not available: ${reason}`) : ok(transportLab(`${reason}: ${TRANSPORT_FALLBACK}`));
  if (!(options.runningAsRoot ?? isRoot())) return unavailable('not root');

  const exec = options.exec ?? execFileRunner;
  const lab = iptablesLab(exec, name);
  // Registered before the namespace exists, so a signal during the probe removes it too; but a
  // namespace that `ip netns add` refused (it exists: someone else's) is never ours to delete.
  registerLab(lab);
  const added = await exec(labTools().ip, ['netns', 'add', name]);
  if (!added.ok) {
    unregisterLab(lab);
    return unavailable(`cannot create a network namespace (${added.error.message})`);
  }
  const setUp = await setUpNamespace(exec, name);
  if (!setUp.ok) {
    await lab.close();
    return unavailable(`no namespace with iptables (${setUp.error.message})`);
  }
  return ok(lab);
}

/**
 * The lab a supervising process opened, seen from a process it started inside
 * the namespace (`faultline run --live` as root runs its runner there): the
 * same addresses, wrap, rules and heal, portals and delayed links; its close
 * removes only its own portals and links. The namespace and everything in it
 * are the supervisor's to remove (its close, its exit hook, or the next
 * run's sweepStaleLabs).
 */
export function attachNetLab(name: string, exec: CommandRunner = execFileRunner): NetLab {
  return iptablesLab(exec, name, { ownsNamespace: false });
}
