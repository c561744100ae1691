/**
 * Where the scheduler API is: the `--master=HOST:PORT` text and the
 * `Location` of a 307 (protocol-relative `//host:port/path` as Mesos sends it,
 * or absolute `http://…`, or a bare path).
 */
import { err, ok, type Result } from '../../core/errors.js';

/** The v1 scheduler API's path on a master (libmesos uses the `/master` prefixed one; both are served). */
export const SCHEDULER_API_PATH = '/api/v1/scheduler';

/** One master's scheduler endpoint. */
export interface MasterEndpoint {
  /** A host name or IP (an IPv6 address without brackets). */
  readonly host: string;
  readonly port: number;
  readonly path: string;
  /** An Authorization header value sent with every request (HTTP Basic with a faultline master's secret). */
  readonly authorization?: string;
}

/** `host:port` for messages (`[::1]:5050` for IPv6). */
export function formatEndpoint(endpoint: MasterEndpoint): string {
  return `${endpoint.host.includes(':') ? `[${endpoint.host}]` : endpoint.host}:${endpoint.port}`;
}

function fromUrl(url: URL, where: string, text: string, requirePort: boolean): Result<MasterEndpoint> {
  if (url.protocol !== 'http:') return err('USAGE', `"${text}" is not an http master address (https and zk:// are not supported)`, where);
  if (url.hostname === '') return err('USAGE', `"${text}" has no host`, where);
  if (url.port === '' && requirePort) return err('USAGE', `"${text}" has no port (expected HOST:PORT)`, where);
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  const path = url.pathname === '/' || url.pathname === '' ? SCHEDULER_API_PATH : url.pathname;
  return ok({ host, port: url.port === '' ? 80 : Number(url.port), path: `${path}${url.search}` });
}

/** Parses `HOST:PORT` (or `http://HOST:PORT[/path]`) into the master's scheduler endpoint. */
export function parseMasterAddress(text: string, where = '--master'): Result<MasterEndpoint> {
  const trimmed = text.trim();
  if (trimmed === '') return err('USAGE', 'the master address is empty (expected HOST:PORT)', where);
  if (trimmed.startsWith('zk://')) return err('USAGE', `"${trimmed}": ZooKeeper master detection is not supported; give the leader as HOST:PORT`, where);
  let url: URL;
  try {
    url = new URL(trimmed.includes('://') ? trimmed : `http://${trimmed}`);
  } catch {
    return err('USAGE', `"${trimmed}" is not HOST:PORT`, where);
  }
  return fromUrl(url, where, trimmed, true);
}

/**
 * Where a 307 sends the client: Mesos answers `Location: //leader:5050/api/v1/scheduler`
 * (protocol-relative); absolute `http://` URLs and bare paths work too.
 */
export function resolveRedirect(from: MasterEndpoint, location: string): Result<MasterEndpoint> {
  const base = `http://${formatEndpoint(from)}${from.path}`;
  let url: URL;
  try {
    url = new URL(location.trim(), base);
  } catch {
    return err('PROTOCOL', `a redirect to "${location}" is not a URL`, 'Location');
  }
  return fromUrl(url, 'Location', location, false);
}
