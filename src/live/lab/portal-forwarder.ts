/**
 * The forwarder a lab runs inside its namespace. The runner lives in the
 * host's network namespace and cannot reach 127.0.0.x inside the lab, nor can
 * the lab's nodes reach the runner; a filesystem Unix socket can be reached
 * from both (network namespaces do not separate the file system). So:
 *
 * - **into the lab** (portals): it listens on a Unix socket, reads a one-line
 *   header `HOST PORT [LOCAL]` from each connection, connects to HOST:PORT
 *   inside the lab (from the source address LOCAL when given) and pipes the
 *   rest both ways;
 * - **out of the lab** (delayed links): on a command on its stdin it listens
 *   on a TCP address inside the lab and pipes each connection to a Unix socket
 *   the runner listens on (its delay proxy).
 *
 * Commands are JSON lines on stdin, answers JSON lines on stdout with the
 * command's id. It is plain CommonJS run with `node -e`, so it works the same
 * under tsx, from dist/ and from the bundle: no file of the project has to be
 * found at run time.
 */

/** Where inside the lab a portal connection goes, and from which source address. */
export interface PortalTarget {
  readonly host: string;
  readonly port: number;
  /** The source address of the connection inside the lab, so the lab's DROP rules see the real pair. */
  readonly localAddress?: string;
}

/** The header a portal connection starts with. */
export function portalHeader(target: PortalTarget): string {
  return `${target.host} ${target.port}${target.localAddress === undefined ? '' : ` ${target.localAddress}`}\n`;
}

/** A header line: `IPv4 PORT [IPv4]`; the forwarder embeds this same pattern. */
export const PORTAL_HEADER_PATTERN = String.raw`^(\d{1,3}(?:\.\d{1,3}){3}) (\d{1,5})(?: (\d{1,3}(?:\.\d{1,3}){3}))?$`;

/** The target a header line names, or null when it is not `IPv4 PORT [IPv4]`. The forwarder parses with the same pattern. */
export function parsePortalHeader(line: string): PortalTarget | null {
  const match = new RegExp(PORTAL_HEADER_PATTERN).exec(line);
  if (match === null) return null;
  const port = Number(match[2]);
  if (!(port >= 1 && port <= 65535)) return null;
  return match[3] === undefined ? { host: match[1] as string, port } : { host: match[1] as string, port, localAddress: match[3] };
}

/** The longest header the forwarder waits for before dropping a connection. */
const MAX_HEADER_BYTES = 80;

/** `node -e FORWARDER_SOURCE SOCKET_PATH`. */
export const FORWARDER_SOURCE = `
'use strict';
const net = require('node:net');
const fs = require('node:fs');
const readline = require('node:readline');
const socketPath = process.argv[1];
const HEADER = new RegExp(${JSON.stringify(PORTAL_HEADER_PATTERN)});
const say = (message) => process.stdout.write(JSON.stringify(message) + '\\n');
const join = (a, b) => {
  a.on('error', () => b.destroy());
  b.on('error', () => a.destroy());
  a.on('close', () => b.destroy());
  b.on('close', () => a.destroy());
  a.pipe(b);
  b.pipe(a);
};
try { fs.unlinkSync(socketPath); } catch {}
const portals = net.createServer((client) => {
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
    const match = HEADER.exec(buffered.subarray(0, end).toString());
    if (match === null) { client.destroy(); return; }
    const rest = buffered.subarray(end + 1);
    const options = { host: match[1], port: Number(match[2]) };
    if (match[3] !== undefined) options.localAddress = match[3];
    const upstream = net.createConnection(options);
    if (rest.length > 0) upstream.write(rest);
    join(client, upstream);
    client.resume();
  };
  client.on('data', onData);
});
const listeners = new Map();
const commands = {
  listen: (command, done) => {
    const server = net.createServer((inside) => join(inside, net.createConnection({ path: command.path })));
    server.once('error', (error) => done({ error: error.message }));
    server.listen(command.port, command.host, () => {
      listeners.set(command.id, server);
      done({ port: server.address().port });
    });
  },
  unlisten: (command, done) => {
    const server = listeners.get(command.listenId);
    listeners.delete(command.listenId);
    if (server === undefined) done({});
    else server.close(() => done({}));
  },
};
readline.createInterface({ input: process.stdin }).on('line', (line) => {
  let command;
  try { command = JSON.parse(line); } catch { return; }
  const run = commands[command.op];
  if (run === undefined) say({ id: command.id, error: 'unknown op ' + command.op });
  else run(command, (answer) => say({ id: command.id, ...answer }));
});
process.stdin.on('end', () => process.exit(0));
portals.listen(socketPath, () => say({ ready: true }));
`;
