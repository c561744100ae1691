/**
 * The transport mechanism: no namespace. Nodes bind their 127.0.0.x on the
 * host's loopback (all of 127/8 is local there), network faults are applied
 * in faultline's transport (so `drop` is UNSUPPORTED), and a delayed link is
 * the in-process delay proxy on an address of its own.
 */
import { err, ok } from '../../core/errors.js';
import { createAddressAllocator, isIpv4 } from './addresses.js';
import { startDelayProxy, type DelayProxy } from './delay-proxy.js';
import { linkOf } from './delay-link.js';
import { registerLab, unregisterLab, type RegisteredLab } from './registry.js';
import type { NetLab } from './types.js';

/** A lab with no namespace; `why` is the run report's line. */
export function transportLab(why: string): NetLab {
  const addresses = createAddressAllocator();
  const links = new Set<DelayProxy>();
  // Registered like an iptables lab so closeAllLabs closes its links too; at exit they die with the process.
  const lab: NetLab & RegisteredLab = {
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
      unregisterLab(lab);
      await Promise.all([...links].map((link) => link.close()));
      links.clear();
    },
    closeSync: () => unregisterLab(lab),
  };
  registerLab(lab);
  return lab;
}
