/**
 * A network lab for a live cluster: where its nodes run and how network
 * faults reach them. Two mechanisms (README.md):
 *
 * - **iptables**: a network namespace of its own (`flt-<pid>-<n>`, `lo` up),
 *   every node on its own 127.0.0.x inside it, and faults as DROP rules in the
 *   lab's chain FLT (jumped to from INPUT). Needs root and a working iptables
 *   in a namespace, which opening probes.
 * - **transport**: no namespace; nodes bind 127.0.0.x on the host's loopback
 *   and network faults are applied in faultline's transport (the runner's
 *   business: `drop` answers UNSUPPORTED).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { err, ok, type Result } from '../../core/errors.js';
import { createAddressAllocator } from './addresses.js';
import { execFileRunner, type CommandRunner } from './command-runner.js';
import { isValidNamespaceName, labNamespaceName } from './names.js';
import { namespacePids, removeNamespace, removeNamespaceSync } from './namespace-ops.js';
import { registerLab, unregisterLab, type RegisteredLab } from './registry.js';
import { dropRestoreInput, healCommand, restoreArgs, setupCommands, validateDrop } from './rules.js';
import { labTools } from './tools.js';
import type { HostPort } from './delay-proxy.js';
import { FORWARDER_SOURCE } from './portal-forwarder.js';
import { openPortal, startForwarder, type Portal } from './portal.js';

/** Which mechanism carries the lab's network faults. */
export type NetLabMode = 'iptables' | 'transport';

/** What `openNetLab` is asked for: `auto` probes, `iptables` insists (UNSUPPORTED otherwise), `transport` never tries. */
export type NetLabRequest = 'auto' | NetLabMode;

/** Options for `openNetLab`. */
export interface OpenNetLabOptions {
  /** Default `auto`. */
  readonly mode?: NetLabRequest;
  /** The namespace's name; default `flt-<pid>-<n>` (what `sweepStaleLabs` recognises). */
  readonly name?: string;
  /** Runs `ip` and `iptables`; default execFile with a timeout. Tests inject a fake. */
  readonly exec?: CommandRunner;
  /** Whether this process may create namespaces; default: its uid is 0. Tests set it. */
  readonly runningAsRoot?: boolean;
}

/** Options for `drop`. */
export interface DropOptions {
  /** Only from → to; otherwise to → from as well. */
  readonly oneWay: boolean;
  /** In (0, 1]: drop each packet with this probability (a lossy link); absent: every packet. */
  readonly probability?: number;
}

/** A lab: its mechanism, its addresses, how to start processes in it, its faults and its cleanup. */
export interface NetLab {
  readonly mode: NetLabMode;
  /** One line for the run report: which mechanism and why. */
  readonly why: string;
  /** The namespace (iptables mode), or null. */
  readonly namespace: string | null;
  /** 127.0.0.10, .11, ...: unique in this lab. */
  allocateAddress(): string;
  /** The command line that runs `command` in the lab: `ip netns exec NAME command ...`, or unchanged in transport mode. */
  wrap(command: string, args: readonly string[]): { command: string; args: string[] };
  /** DROPs packets from each `from` to each `to` (and back unless oneWay). Transport mode: UNSUPPORTED. */
  drop(from: readonly string[], to: readonly string[], options: DropOptions): Promise<Result<true>>;
  /** Removes every rule this lab added (a no-op in transport mode). */
  heal(): Promise<Result<true>>;
  /**
   * A port on the host's 127.0.0.1 that leads to `target` inside the lab, for the runner's own
   * connections (a master's HTTP API): the runner stays in the host's namespace. Transport mode:
   * the target itself. Closed with the lab.
   */
  portal(target: HostPort): Promise<Result<Portal>>;
  /** The processes in the namespace now (`ip netns pids`); none in transport mode. */
  pids(): Promise<number[]>;
  /** SIGKILLs every process in the namespace and deletes it. Idempotent; never throws. */
  close(): Promise<void>;
}

const TRANSPORT_FALLBACK = "network faults are applied in faultline's transport";

let labsOpened = 0;

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** A lab with no namespace: addresses on the host's loopback, faults in the transport. */
function transportLab(why: string): NetLab {
  const addresses = createAddressAllocator();
  return {
    mode: 'transport',
    why,
    namespace: null,
    allocateAddress: () => addresses.next(),
    wrap: (command, args) => ({ command, args: [...args] }),
    drop: async () => err('UNSUPPORTED', `transport mode (${why}): drop packets in the transport, not with iptables`),
    heal: async () => ok(true),
    portal: async (target) => ok({ host: target.host, port: target.port, close: async () => {} }),
    pids: async () => [],
    close: async () => {},
  };
}

/** Brings up `lo` in a namespace just created and creates the chain; the failing step's error otherwise. */
async function setUpNamespace(exec: CommandRunner, name: string): Promise<Result<true>> {
  const { ip, iptables, iptablesRestore } = labTools();
  const steps: Array<[string, string[], string | undefined]> = [
    [ip, ['-n', name, 'link', 'set', 'lo', 'up'], undefined],
    ...setupCommands().map((args): [string, string[], undefined] => [ip, ['netns', 'exec', name, iptables, ...args], undefined]),
    // iptables-restore carries every drop; an empty transaction proves it works here before a fault needs it.
    [ip, ['netns', 'exec', name, iptablesRestore, ...restoreArgs()], '*filter\nCOMMIT\n'],
  ];
  for (const [command, args, input] of steps) {
    const done = await exec(command, args, input === undefined ? {} : { input });
    if (!done.ok) return done;
  }
  return ok(true);
}

function iptablesLab(exec: CommandRunner, name: string): NetLab & RegisteredLab {
  const { ip, iptables, iptablesRestore } = labTools();
  const addresses = createAddressAllocator();
  let closing: Promise<void> | null = null;
  // Rule changes apply in call order: a heal issued after a drop must not overtake it.
  let rulesQueue: Promise<unknown> = Promise.resolve();
  const inOrder = <T>(work: () => Promise<T>): Promise<T> => {
    const run = rulesQueue.then(work, work);
    rulesQueue = run.catch(() => {});
    return run;
  };
  const closedError = (): Result<true> => err('UNSUPPORTED', `the network lab ${name} is closed`);
  // Portals share one forwarder in the namespace, started with the first portal.
  const portals = new Set<Portal>();
  let portalDir: string | null = null;
  let forwarder: Promise<Result<string>> | null = null;
  const forwarderSocket = (): Promise<Result<string>> => {
    forwarder ??= (async () => {
      portalDir = mkdtempSync(join(tmpdir(), 'flt-portal-'));
      const socketPath = join(portalDir, 'forwarder.sock');
      const started = await startForwarder(lab.wrap(process.execPath, ['-e', FORWARDER_SOURCE, socketPath]));
      return started.ok ? ok(socketPath) : started;
    })();
    return forwarder;
  };
  const removePortals = async (): Promise<void> => {
    await Promise.all([...portals].map((portal) => portal.close()));
    portals.clear();
    if (portalDir !== null) rmSync(portalDir, { recursive: true, force: true });
  };

  const lab: NetLab & RegisteredLab = {
    mode: 'iptables',
    why: `iptables: nodes on 127.0.0.x in network namespace ${name}, partitions and lossy links are DROP rules there`,
    namespace: name,
    allocateAddress: () => addresses.next(),
    wrap: (command, args) => ({ command: ip, args: ['netns', 'exec', name, command, ...args] }),
    drop: (from, to, options) =>
      inOrder(async () => {
        if (closing !== null) return closedError();
        const spec = { from, to, oneWay: options.oneWay, ...(options.probability === undefined ? {} : { probability: options.probability }) };
        const valid = validateDrop(spec);
        if (!valid.ok) return valid;
        const input = dropRestoreInput(spec);
        if (input === null) return ok(true);
        const applied = await exec(ip, ['netns', 'exec', name, iptablesRestore, ...restoreArgs()], { input });
        return applied.ok ? ok(true) : applied;
      }),
    heal: () =>
      inOrder(async () => {
        if (closing !== null) return closedError();
        const flushed = await exec(ip, ['netns', 'exec', name, iptables, ...healCommand()]);
        return flushed.ok ? ok(true) : flushed;
      }),
    portal: async (target) => {
      if (closing !== null) return err('UNSUPPORTED', `the network lab ${name} is closed`);
      const socketPath = await forwarderSocket();
      if (!socketPath.ok) {
        forwarder = null; // the next portal tries again
        return socketPath;
      }
      const opened = await openPortal({ socketPath: socketPath.value, target });
      if (opened.ok) portals.add(opened.value);
      return opened;
    },
    pids: async () => (closing !== null ? [] : namespacePids(exec, name)),
    close: () => {
      closing ??= (async () => {
        try {
          await removePortals();
          await removeNamespace(exec, name);
        } catch {
          // never throws: whatever is left, the next run's sweepStaleLabs removes
        } finally {
          unregisterLab(lab);
        }
      })();
      return closing;
    },
    closeSync: () => {
      if (closing !== null) return;
      closing = Promise.resolve();
      unregisterLab(lab);
      removeNamespaceSync(name);
      try {
        if (portalDir !== null) rmSync(portalDir, { recursive: true, force: true });
      } catch {
        // an exit hook does what it can
      }
    },
  };
  return lab;
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
 * same rules and heal; closing is the supervisor's, which deletes the
 * namespace with everything in it when the runner ends, however it ends.
 */
export function attachNetLab(name: string, exec: CommandRunner = execFileRunner): NetLab {
  const lab = iptablesLab(exec, name);
  return { ...lab, close: async () => {} };
}
