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
import { startDelayProxy, startLinkProxy, type DelayDraw, type DelayProxy, type HostPort } from './delay-proxy.js';
import { FORWARDER_SOURCE, portalHeader } from './portal-forwarder.js';
import { openPortal, startForwarder, type Forwarder, type Portal } from './portal.js';
import { isIpv4 } from './addresses.js';

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

/** What `delayLink` takes: the node that connects, where it would connect, and each chunk's delay. */
export interface DelayLinkOptions {
  /** The connecting node's address: the proxy's upstream connection leaves from it, so drops between `from` and `to` still apply. */
  readonly from: string;
  readonly to: HostPort;
  readonly delayMs: DelayDraw;
}

/** A delayed link: the `from` node connects to `host:port` instead of `to`. */
export interface DelayLink {
  /** An address of its own in the lab (allocated like a node's). */
  readonly host: string;
  readonly port: number;
  /** Replaces the delay for chunks read from now on. */
  setDelay(delayMs: DelayDraw): void;
  /** A partition in the proxy: closes its connections and new ones until lifted. */
  cutOff(on: boolean): void;
  /** Stops it; idempotent. Closed with the lab. */
  close(): Promise<void>;
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
  /**
   * A delay proxy between two nodes of the lab (this kernel has no netem): it listens inside the
   * lab and forwards to `to` from `from`'s address, each chunk after its drawn delay, order kept.
   * Give the `from` node the link's host:port in place of `to`'s.
   */
  delayLink(options: DelayLinkOptions): Promise<Result<DelayLink>>;
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

function linkOf(proxy: DelayProxy, host: string, port: number, close: () => Promise<void>): DelayLink {
  let closing: Promise<void> | null = null;
  return {
    host,
    port,
    setDelay: (delayMs) => proxy.setDelay(delayMs),
    cutOff: (on) => proxy.cutOff(on),
    close: () => (closing ??= close()),
  };
}

/** A lab with no namespace: addresses on the host's loopback, faults in the transport. */
function transportLab(why: string): NetLab {
  const addresses = createAddressAllocator();
  const links = new Set<DelayProxy>();
  return {
    mode: 'transport',
    why,
    namespace: null,
    allocateAddress: () => addresses.next(),
    wrap: (command, args) => ({ command, args: [...args] }),
    drop: async () => err('UNSUPPORTED', `transport mode (${why}): drop packets in the transport, not with iptables`),
    heal: async () => ok(true),
    portal: async (target) => ok({ host: target.host, port: target.port, close: async () => {} }),
    delayLink: async ({ from, to, delayMs }) => {
      if (!isIpv4(from)) return err('FAULT_INVALID', `"${from}" is not an IPv4 address`);
      const started = await startDelayProxy({ listen: { host: addresses.next(), port: 0 }, target: { ...to, localAddress: from }, delayMs });
      if (!started.ok) return started;
      links.add(started.value);
      return ok(linkOf(started.value, started.value.host, started.value.port, async () => {
        links.delete(started.value);
        await started.value.close();
      }));
    },
    pids: async () => [],
    close: async () => {
      await Promise.all([...links].map((link) => link.close()));
      links.clear();
    },
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
  // Portals and delayed links share one forwarder in the namespace, started when first needed;
  // their Unix sockets live in one directory of the lab's own.
  const portals = new Set<Portal | DelayLink>();
  let socketDir: string | null = null;
  let socketsMade = 0;
  let forwarder: Promise<Result<Forwarder>> | null = null;
  const newSocketPath = (what: string): string => {
    socketDir ??= mkdtempSync(join(tmpdir(), 'flt-lab-'));
    socketsMade += 1;
    return join(socketDir, `${what}-${socketsMade}.sock`);
  };
  const forwarderReady = async (): Promise<Result<Forwarder>> => {
    forwarder ??= (() => {
      const socketPath = newSocketPath('forwarder');
      return startForwarder(lab.wrap(process.execPath, ['-e', FORWARDER_SOURCE, socketPath]), socketPath);
    })();
    const started = await forwarder;
    if (!started.ok) forwarder = null; // the next call tries again
    return started;
  };
  const removePortals = async (): Promise<void> => {
    await Promise.all([...portals].map((portal) => portal.close()));
    portals.clear();
    if (socketDir !== null) rmSync(socketDir, { recursive: true, force: true });
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
      const ready = await forwarderReady();
      if (!ready.ok) return ready;
      const opened = await openPortal({ socketPath: ready.value.socketPath, target });
      if (opened.ok) portals.add(opened.value);
      return opened;
    },
    delayLink: async ({ from, to, delayMs }) => {
      if (closing !== null) return err('UNSUPPORTED', `the network lab ${name} is closed`);
      if (!isIpv4(from) || !isIpv4(to.host)) return err('FAULT_INVALID', `a delayed link joins IPv4 addresses, not ${from} and ${to.host}`);
      const ready = await forwarderReady();
      if (!ready.ok) return ready;
      const fwd = ready.value;
      // lab node (from) → forwarder listener in the lab → Unix socket → this proxy (the delay)
      // → the forwarder's socket → to, from `from`'s address inside the lab.
      const path = newSocketPath('link');
      const proxy = await startLinkProxy({ listen: { path }, target: { path: fwd.socketPath, header: portalHeader({ host: to.host, port: to.port, localAddress: from }) }, delayMs });
      if (!proxy.ok) return proxy;
      const host = addresses.next();
      const listened = await fwd.listen({ host, port: 0, path });
      if (!listened.ok) {
        await proxy.value.close();
        return listened;
      }
      const link = linkOf(proxy.value, host, listened.value.port, async () => {
        portals.delete(link);
        await fwd.unlisten(listened.value.listenId);
        await proxy.value.close();
      });
      portals.add(link);
      return ok(link);
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
        if (socketDir !== null) rmSync(socketDir, { recursive: true, force: true });
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
