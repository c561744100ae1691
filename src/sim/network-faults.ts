/**
 * Network faults applied to a runtime, including FoundationDB's swizzle-clog:
 * clog the nodes one by one, then unclog them in a random order.
 */
import type { Fault } from '../core/faults.js';
import type { SimRuntime } from './runtime.js';

/** The network fault kinds. */
export type NetworkFault = Extract<Fault, { kind: 'partition' | 'heal' | 'link' | 'clog' | 'unclog' | 'swizzle-clog' }>;

/** Applies a network fault now (swizzle-clog schedules its later steps). */
export function applyNetworkFault(rt: SimRuntime, fault: NetworkFault): void {
  const net = rt.network;
  switch (fault.kind) {
    case 'partition':
      net.partition(fault.groups, fault.oneWay);
      return;
    case 'heal':
      rt.resend(net.heal());
      return;
    case 'link':
      net.link(fault.from, fault.to, fault.oneWay, fault.spec);
      return;
    case 'clog':
      net.clog(fault.nodes);
      return;
    case 'unclog':
      rt.resend(net.unclog(fault.nodes));
      return;
    case 'swizzle-clog': {
      const prng = rt.streams.get('faults:swizzle');
      const order = prng.shuffle(fault.nodes);
      const release = prng.shuffle(fault.nodes);
      order.forEach((node, i) => rt.schedule(i * fault.stepMs, () => net.clog([node])));
      release.forEach((node, i) => rt.schedule((order.length + i) * fault.stepMs, () => rt.resend(net.unclog([node]))));
      return;
    }
  }
}
