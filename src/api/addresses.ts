/**
 * Where the served nodes are on the real network: each master's HTTP port,
 * and the address an agent publishes in offers (`url`) and state (`pid`).
 * Masters' MasterInfo.ip is the IPv4 address as a uint32 in network byte order
 * read as a little-endian number (127.0.0.1 is 16777343), as Mesos fills it.
 */
import type { NodeId } from '../core/ids.js';

/** A host, IPv4 address and port. */
export interface Address {
  readonly hostname: string;
  readonly ip: string;
  readonly port: number;
}

/** The addresses of the served nodes. */
export interface Addresses {
  /** The HTTP address of a master node, or null if it is not served. */
  master(node: NodeId): Address | null;
  /** The address an agent host publishes. */
  agent(host: NodeId): Address;
}

/** Mesos's `MasterInfo.ip`: the address's four bytes in network order, read as a little-endian uint32. */
export function ipAsUint32(ip: string): number {
  const parts = ip.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) return 0;
  const [a, b, c, d] = parts as [number, number, number, number];
  return (a + b * 0x100 + c * 0x1_0000 + d * 0x100_0000) >>> 0;
}

/** The libprocess pid of a master: `master@ip:port`. */
export function masterPid(address: Address): string {
  return `master@${address.ip}:${address.port}`;
}

/** The libprocess pid of an agent: `slave(1)@ip:port`. */
export function agentPid(address: Address): string {
  return `slave(1)@${address.ip}:${address.port}`;
}

/** The Mesos version faultline's master claims to speak. */
export const MESOS_VERSION = '1.11.0';

/** MasterInfo (mesos.proto) of a master with a known id. */
export function masterInfoOf(masterId: string, address: Address) {
  return {
    id: masterId,
    ip: ipAsUint32(address.ip),
    port: address.port,
    pid: masterPid(address),
    hostname: address.hostname,
    version: MESOS_VERSION,
    address: { hostname: address.hostname, ip: address.ip, port: address.port },
  };
}

/** Addresses for a cluster served on one IP: masters in `order` on consecutive ports from `firstPort`; agents on port 5051 of the same IP. */
export function consecutiveAddresses(options: { readonly ip: string; readonly hostname?: string; readonly firstPort: number; readonly masters: readonly NodeId[]; readonly agentPort?: number }): Addresses {
  const ports = new Map<NodeId, number>(options.masters.map((node, i) => [node, options.firstPort + i]));
  const hostname = options.hostname ?? options.ip;
  return {
    master: (node) => {
      const port = ports.get(node);
      return port === undefined ? null : { hostname, ip: options.ip, port };
    },
    agent: (host) => ({ hostname: host, ip: options.ip, port: options.agentPort ?? 5051 }),
  };
}
