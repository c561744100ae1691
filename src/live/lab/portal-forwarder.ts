/**
 * The forwarder a lab runs inside its namespace for portals (portal.ts). The
 * runner lives in the host's network namespace and cannot reach 127.0.0.x
 * inside the lab; a filesystem Unix socket can be reached from both (network
 * namespaces do not separate the file system). The forwarder listens on one,
 * reads a one-line header `HOST PORT` from each connection, connects to that
 * address inside the lab, and pipes the rest both ways.
 *
 * It is plain CommonJS run with `node -e`, so it works the same under tsx, from
 * dist/ and from the bundle: no file of the project has to be found at run time.
 */

/** The header a portal connection starts with: where inside the lab to connect. */
export function portalHeader(target: { host: string; port: number }): string {
  return `${target.host} ${target.port}\n`;
}

/** The target a header names, or null when it is not `IPv4 PORT`. Mirrors the forwarder's own parse. */
export function parsePortalHeader(line: string): { host: string; port: number } | null {
  const match = /^(\d{1,3}(?:\.\d{1,3}){3}) (\d{1,5})$/.exec(line);
  if (match === null) return null;
  const port = Number(match[2]);
  return port >= 1 && port <= 65535 ? { host: match[1] as string, port } : null;
}

/** What the forwarder prints on stdout once it listens. */
export const FORWARDER_READY = 'ready';

/** The longest header the forwarder waits for before dropping a connection. */
const MAX_HEADER_BYTES = 64;

/** `node -e FORWARDER_SOURCE SOCKET_PATH`. */
export const FORWARDER_SOURCE = `
'use strict';
const net = require('node:net');
const fs = require('node:fs');
const socketPath = process.argv[1];
try { fs.unlinkSync(socketPath); } catch {}
const server = net.createServer((client) => {
  client.on('error', () => {});
  let buffered = Buffer.alloc(0);
  const onData = (chunk) => {
    buffered = Buffer.concat([buffered, chunk]);
    const end = buffered.indexOf(10);
    if (end < 0) {
      if (buffered.length > ${MAX_HEADER_BYTES}) client.destroy();
      return;
    }
    client.off('data', onData);
    client.pause();
    const match = /^(\\d{1,3}(?:\\.\\d{1,3}){3}) (\\d{1,5})$/.exec(buffered.subarray(0, end).toString());
    if (match === null) { client.destroy(); return; }
    const rest = buffered.subarray(end + 1);
    const upstream = net.createConnection({ host: match[1], port: Number(match[2]) });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.on('close', () => upstream.destroy());
    if (rest.length > 0) upstream.write(rest);
    client.pipe(upstream);
    upstream.pipe(client);
    client.resume();
  };
  client.on('data', onData);
});
server.listen(socketPath, () => process.stdout.write('${FORWARDER_READY}\\n'));
`;
