/**
 * `--listen HOST:PORT` (and `--heartbeat-interval`) as typed values: an IPv4
 * address or `localhost`, and a port from 0 (any free port per master) to 65535.
 */
import { parseDuration } from '../core/duration.js';
import { err, ok, type Result } from '../core/errors.js';

/** Where the first master listens. */
export interface ListenAddress {
  readonly host: string;
  readonly port: number;
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;

/** Parses `HOST:PORT`, `:PORT` or `PORT` (host 127.0.0.1). */
export function parseListen(text: string, masters: number): Result<ListenAddress> {
  const where = '--listen';
  const colon = text.lastIndexOf(':');
  const hostText = colon < 0 ? '' : text.slice(0, colon);
  const portText = colon < 0 ? text : text.slice(colon + 1);
  const host = hostText === '' ? '127.0.0.1' : hostText === 'localhost' ? '127.0.0.1' : hostText;
  if (!IPV4.test(host)) return err('USAGE', `"${text}" is not HOST:PORT with an IPv4 host (e.g. 127.0.0.1:5050)`, where);
  if (!/^\d+$/.test(portText)) return err('USAGE', `"${text}" has no port number (e.g. 127.0.0.1:5050)`, where);
  const port = Number(portText);
  if (port > 65535) return err('USAGE', `port ${port} is above 65535`, where);
  if (port !== 0 && port + masters - 1 > 65535) return err('USAGE', `${masters} masters need ports ${port}-${port + masters - 1}, past 65535`, where);
  return ok({ host, port });
}

/** Parses `--heartbeat-interval` (a duration above 0). */
export function parseHeartbeatInterval(text: string): Result<number> {
  const parsed = parseDuration(text, '--heartbeat-interval');
  if (!parsed.ok) return parsed;
  if (parsed.value <= 0) return err('USAGE', 'must be above 0', '--heartbeat-interval');
  return parsed;
}
