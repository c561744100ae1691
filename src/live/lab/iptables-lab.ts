/**
 * The iptables mechanism: a network namespace of the lab's own with `lo` up,
 * nodes on 127.0.0.x inside it, faults as DROP rules in the chain FLT (jumped
 * to from INPUT), and one forwarder process in the namespace for portals
 * (the runner's way in) and delayed links (a node's way through the runner's
 * delay proxy). Closing kills everything in the namespace and deletes it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { err, ok, type Result } from '../../core/errors.js';
import { createAddressAllocator, isIpv4 } from './addresses.js';
import type { CommandRunner } from './command-runner.js';
import { startLinkProxy } from './delay-proxy.js';
import { linkOf } from './delay-link.js';
import { namespacePids, removeNamespace, removeNamespaceSync } from './namespace-ops.js';
import { FORWARDER_SOURCE, portalHeader } from './portal-forwarder.js';
import { openPortal, startForwarder, type Forwarder, type Portal } from './portal.js';
import { unregisterLab, type RegisteredLab } from './registry.js';
import { dropRestoreInput, healCommand, restoreArgs, setupCommands, validateDrop } from './rules.js';
import { labTools } from './tools.js';
import type { DelayLink, NetLab } from './types.js';

/** Brings up `lo` in a namespace just created and creates the chain; the failing step's error otherwise. */
export async function setUpNamespace(exec: CommandRunner, name: string): Promise<Result<true>> {
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

/**
 * The lab over the namespace `name` (created by the caller, set up with setUpNamespace).
 * `ownsNamespace: false` is a process inside a namespace another process opened (attachNetLab):
 * its close removes its own portals and links, never the namespace or what runs in it.
 */
export function iptablesLab(exec: CommandRunner, name: string, options: { ownsNamespace: boolean } = { ownsNamespace: true }): NetLab & RegisteredLab {
  const { ip, iptables, iptablesRestore } = labTools();
  const addresses = createAddressAllocator();
  let closing: Promise<void> | null = null;
  let closed = false;
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
          if (options.ownsNamespace) await removeNamespace(exec, name);
        } catch {
          // never throws: whatever is left, the next run's sweepStaleLabs removes
        } finally {
          closed = true;
          unregisterLab(lab);
        }
      })();
      return closing;
    },
    closeSync: () => {
      // An async close that started (on a signal) but has not finished when the process exits
      // will never finish: its work is done again here, synchronously.
      if (closed) return;
      closed = true;
      closing ??= Promise.resolve();
      unregisterLab(lab);
      if (options.ownsNamespace) removeNamespaceSync(name);
      try {
        if (socketDir !== null) rmSync(socketDir, { recursive: true, force: true });
      } catch {
        // an exit hook does what it can
      }
    },
  };
  return lab;
}
