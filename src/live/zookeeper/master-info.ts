/**
 * The data of an election znode, as Mesos writes it: `PATH/json.info_<seq>`
 * holds `JSON(MasterInfo)`. faultline's masters write the same shape (with
 * `id` = the master's node id), so Mesos detectors, the Mesos CLI and
 * mesos-dns can read a faultline election, and faultline's detector reads a
 * real Mesos one. Pure: no client here.
 */
import { err, ok, type Result } from '../../core/errors.js';

/** The label Mesos gives masters' election nodes (`json.info_0000000017`). */
export const MEMBER_PREFIX = 'json.info_';

/** Mesos's MasterInfo as JSON (the fields every reader uses). */
export interface MasterInfo {
  readonly address: { readonly hostname: string; readonly ip: string; readonly port: number };
  readonly hostname: string;
  /** Mesos: a UUID-like master id. faultline: the master's node id (`master-2`), how a leader is named. */
  readonly id: string;
  /** The IPv4 address in network byte order read as a host uint32: 127.0.0.1 is 16777343. */
  readonly ip: number;
  /** libprocess pid, `master@IP:PORT`. */
  readonly pid: string;
  readonly port: number;
  readonly version: string;
}

/** Where a master says it is: what a master passes to be written into its MasterInfo. */
export interface MasterAddress {
  /** Dotted IPv4 the master's HTTP API listens on. */
  readonly ip: string;
  readonly port: number;
  /** Defaults to the ip. */
  readonly hostname?: string;
}

/** What a reader takes from an election node: who leads and where. */
export interface LeaderInfo {
  /** MasterInfo `id`, or null when the data has none. */
  readonly id: string | null;
  /** The leader's HTTP address: `address.ip`/`address.port`, else the pid's. */
  readonly host: string;
  readonly port: number;
}

/** `a.b.c.d` as Mesos's `ip` field: network byte order read as a little-endian host uint32. */
export function ipv4ToMesosUint32(ip: string): number | null {
  const parts = ip.split('.');
  if (parts.length !== 4) return null;
  let value = 0;
  for (let i = 3; i >= 0; i -= 1) {
    const text = parts[i] ?? '';
    if (!/^\d{1,3}$/.test(text) || Number(text) > 255) return null;
    value = value * 256 + Number(text);
  }
  return value;
}

/** Builds the MasterInfo a master joins with. */
export function masterInfoOf(id: string, address: MasterAddress, version: string): Result<MasterInfo> {
  const ip = ipv4ToMesosUint32(address.ip);
  if (ip === null) return err('USAGE', `"${address.ip}" is not a dotted IPv4 address (MasterInfo.ip needs one)`, 'master address');
  if (!Number.isInteger(address.port) || address.port < 1 || address.port > 65535) return err('USAGE', `port ${address.port} is not from 1 to 65535`, 'master address');
  const hostname = address.hostname ?? address.ip;
  return ok({
    address: { hostname, ip: address.ip, port: address.port },
    hostname,
    id,
    ip,
    pid: `master@${address.ip}:${address.port}`,
    port: address.port,
    version,
  });
}

/** The sequence of an election child (`json.info_0000000017` -> 17), or null for anything else (`log_replicas`). */
export function memberSequence(child: string): number | null {
  if (!child.startsWith(MEMBER_PREFIX)) return null;
  const digits = child.slice(MEMBER_PREFIX.length);
  return /^\d{1,10}$/.test(digits) ? Number(digits) : null;
}

/** The leading child: the smallest sequence among `json.info_<digits>` children, with its sequence. */
export function leadingMember(children: readonly string[]): { readonly child: string; readonly sequence: number } | null {
  let best: { child: string; sequence: number } | null = null;
  for (const child of children) {
    const sequence = memberSequence(child);
    if (sequence !== null && (best === null || sequence < best.sequence)) best = { child, sequence };
  }
  return best;
}

function record(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

function validPort(value: unknown): number | null {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 65535 ? value : null;
}

/** Reads an election node's data: MasterInfo JSON (`address`, else `pid`). Null when it says nowhere. */
export function parseLeaderInfo(data: string): LeaderInfo | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    return null;
  }
  const info = record(parsed);
  if (info === null) return null;
  const id = typeof info.id === 'string' && info.id !== '' ? info.id : null;
  const address = record(info.address);
  const addressPort = validPort(address?.port);
  if (address && typeof address.ip === 'string' && address.ip !== '' && addressPort !== null) return { id, host: address.ip, port: addressPort };
  const pid = typeof info.pid === 'string' ? /^[^@]+@([^:]+):(\d{1,5})$/.exec(info.pid) : null;
  const pidPort = validPort(Number(pid?.[2]));
  if (pid && pidPort !== null) return { id, host: pid[1] ?? '', port: pidPort };
  return null;
}

/** The core's epoch of an election node's ZooKeeper sequence (ZooKeeper counts from 0, the core's coordinator from 1). */
export function epochOfSequence(sequence: number): number {
  return sequence + 1;
}

/** The ZooKeeper sequence of a core epoch. */
export function sequenceOfEpoch(epoch: number): number {
  return epoch - 1;
}
