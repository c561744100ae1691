/**
 * A portal: a TCP port on the host's loopback that leads to an address inside
 * a lab's namespace, so the runner (which stays in the host's namespace) can
 * call a master's HTTP API or connect a framework. Each connection to the
 * portal opens one to the lab's forwarder (portal-forwarder.ts) over its Unix
 * socket, names the target in a header line and then pipes both ways.
 * Portals carry the runner's own traffic: the lab's DROP rules apply to it
 * only as traffic from the forwarder (127.0.0.1 inside the lab).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createConnection, createServer, type Socket } from 'node:net';
import { createInterface } from 'node:readline';
import { err, ok, type Result } from '../../core/errors.js';
import type { HostPort } from './delay-proxy.js';
import { FORWARDER_READY, portalHeader } from './portal-forwarder.js';

/** A host-side port leading into the lab. */
export interface Portal {
  /** Where to connect on the host (127.0.0.1), or the target itself in transport mode. */
  readonly host: string;
  readonly port: number;
  /** Stops listening and closes its connections; idempotent. */
  close(): Promise<void>;
}

/** The forwarder inside the namespace would not start or answer in this long. */
const FORWARDER_START_TIMEOUT_MS = 10_000;

/** Starts the forwarder with `wrapped` (ip netns exec NAME node -e ...); resolves once it listens on `socketPath`. */
export function startForwarder(wrapped: { command: string; args: string[] }): Promise<Result<ChildProcess>> {
  return new Promise((resolve) => {
    const child = spawn(wrapped.command, wrapped.args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const fail = (why: string): void => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      resolve(err('COMMAND', `the lab's portal forwarder ${why}${stderr.trim() === '' ? '' : `: ${stderr.trim().split('\n')[0]}`}`));
    };
    const timer = setTimeout(() => fail(`did not start in ${FORWARDER_START_TIMEOUT_MS} ms`), FORWARDER_START_TIMEOUT_MS);
    child.once('error', (error) => fail(`cannot start (${error.message})`));
    child.once('exit', (code, signal) => fail(`exited (${signal ?? `exit ${code}`})`));
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).once('line', (line) => {
      if (line.trim() !== FORWARDER_READY) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      // The lab kills it on close; it must not keep the runner's event loop alive meanwhile.
      child.unref();
      child.stdout?.destroy();
      (child.stderr as (Socket & { unref?: () => void }) | null)?.unref?.();
      resolve(ok(child));
    });
  });
}

/** Listens on `listenHost`:0 and leads each connection through the forwarder's socket to `target`. */
export function openPortal(options: { socketPath: string; target: HostPort; listenHost?: string }): Promise<Result<Portal>> {
  const listenHost = options.listenHost ?? '127.0.0.1';
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const inner = createConnection({ path: options.socketPath });
    sockets.add(client);
    sockets.add(inner);
    const end = (): void => {
      client.destroy();
      inner.destroy();
      sockets.delete(client);
      sockets.delete(inner);
    };
    for (const socket of [client, inner]) {
      socket.on('error', end);
      socket.on('close', end);
    }
    inner.write(portalHeader(options.target));
    client.pipe(inner);
    inner.pipe(client);
  });
  let closing: Promise<void> | null = null;
  return new Promise((resolve) => {
    server.once('error', (error) => resolve(err('IO', `portal cannot listen on ${listenHost}: ${error.message}`)));
    server.listen(0, listenHost, () => {
      server.on('error', () => {});
      const address = server.address();
      resolve(
        ok({
          host: listenHost,
          port: typeof address === 'object' && address !== null ? address.port : 0,
          close() {
            closing ??= new Promise<void>((done) => {
              for (const socket of sockets) socket.destroy();
              sockets.clear();
              server.close(() => done());
            });
            return closing;
          },
        }),
      );
    });
  });
}
