/**
 * `zk://HOST:PORT[,HOST:PORT...]/PATH`, the form Mesos's `--zk` and
 * `--master` take, parsed into a client connect string and the znode path the
 * masters meet under. Bad input is one line with a code (USAGE).
 */
import { err, ok, type Result } from '../../core/errors.js';

/** faultline's election path when the URL names none: its own, never Mesos's `/mesos`. */
export const DEFAULT_ZK_PATH = '/faultline';

/** ZooKeeper's client port when a server names none. */
export const DEFAULT_ZK_PORT = 2181;

/** One ZooKeeper server. */
export interface ZkServer {
  /** A host name or IPv4 address. */
  readonly host: string;
  readonly port: number;
}

/** A parsed `zk://` URL. */
export interface ZkUrl {
  readonly servers: readonly ZkServer[];
  /** `host:port,host:port`, what the ZooKeeper client connects to. */
  readonly connectString: string;
  /** The znode under which masters join (`/faultline`), absolute, no trailing slash. */
  readonly path: string;
}

/** Whether a `--master` value is a ZooKeeper URL rather than HOST:PORT. */
export function isZkUrl(text: string): boolean {
  return text.trim().toLowerCase().startsWith('zk://');
}

function parseServer(text: string, url: string, where: string): Result<ZkServer> {
  // node-zookeeper-client splits servers at ':', so an IPv6 address cannot be reached: refuse it here, clearly.
  if (text.startsWith('[') || text.split(':').length > 2) return err('USAGE', `"${url}": "${text}": IPv6 ZooKeeper servers are not supported (use HOST:PORT)`, where);
  const [host = '', portText] = text.split(':');
  if (!/^[A-Za-z0-9._-]+$/.test(host)) return err('USAGE', `"${url}": "${text}" has no valid host`, where);
  if (portText === undefined) return ok({ host, port: DEFAULT_ZK_PORT });
  const port = /^\d{1,5}$/.test(portText) ? Number(portText) : NaN;
  if (!(port >= 1 && port <= 65535)) return err('USAGE', `"${url}": port "${portText}" is not a number from 1 to 65535`, where);
  return ok({ host, port });
}

function parsePath(text: string, url: string, where: string): Result<string> {
  if (text === '' || text === '/') return ok(DEFAULT_ZK_PATH);
  const trimmed = text.endsWith('/') ? text.slice(0, -1) : text;
  for (const segment of trimmed.slice(1).split('/')) {
    if (segment === '') return err('USAGE', `"${url}": the path "${text}" has an empty segment`, where);
    if (segment === '.' || segment === '..') return err('USAGE', `"${url}": the path "${text}" may not contain "${segment}"`, where);
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u001f\u007f]/.test(segment)) return err('USAGE', `"${url}": the path has a control character`, where);
  }
  if (trimmed === '/zookeeper' || trimmed.startsWith('/zookeeper/')) return err('USAGE', `"${url}": /zookeeper is ZooKeeper's own tree`, where);
  return ok(trimmed);
}

/** Parses `zk://HOST:PORT[,HOST:PORT...][/PATH]`; the path defaults to `/faultline`. */
export function parseZkUrl(text: string, where = '--zk'): Result<ZkUrl> {
  const url = text.trim();
  if (url === '') return err('USAGE', 'the ZooKeeper URL is empty (expected zk://HOST:PORT/PATH)', where);
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(url);
  if (scheme === null || scheme[1]?.toLowerCase() !== 'zk') {
    return err('USAGE', `"${url}" is not a ZooKeeper URL (expected zk://HOST:PORT[,HOST:PORT]/PATH)`, where);
  }
  const rest = url.slice(scheme[0].length);
  const slash = rest.indexOf('/');
  const authority = slash < 0 ? rest : rest.slice(0, slash);
  const pathText = slash < 0 ? '' : rest.slice(slash);
  if (authority.includes('@')) return err('USAGE', `"${url}": credentials in zk:// URLs are not supported`, where);
  if (pathText.includes('?') || pathText.includes('#')) return err('USAGE', `"${url}": a ZooKeeper URL takes no query or fragment`, where);
  if (authority === '') return err('USAGE', `"${url}" names no ZooKeeper server`, where);
  const servers: ZkServer[] = [];
  for (const part of authority.split(',')) {
    if (part === '') return err('USAGE', `"${url}" has an empty server in its list`, where);
    const server = parseServer(part, url, where);
    if (!server.ok) return server;
    servers.push(server.value);
  }
  const path = parsePath(pathText, url, where);
  if (!path.ok) return path;
  const connectString = servers.map((s) => `${s.host}:${s.port}`).join(',');
  return ok({ servers, connectString, path: path.value });
}
