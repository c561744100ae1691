/**
 * The host's side of a lab's forwarder (portal-forwarder.ts): starting it in
 * the namespace, portals into the lab and listeners out of it.
 *
 * A portal is a TCP port on the host's loopback that leads to an address inside
 * the lab, so the runner (which stays in the host's namespace) can call a
 * master's HTTP API or connect a framework. Each connection to it opens one to
 * the forwarder's Unix socket, names the target in a header line and then
 * pipes both ways.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createConnection, createServer, type Socket } from 'node:net';
import { createInterface } from 'node:readline';
import { err, ok, type Result } from '../../core/errors.js';
import { portalHeader, type PortalTarget } from './portal-forwarder.js';

/** A host-side port leading into the lab. */
export interface Portal {
  /** Where to connect on the host (127.0.0.1), or the target itself in transport mode. */
  readonly host: string;
  readonly port: number;
  /** Stops listening and closes its connections; idempotent. */
  close(): Promise<void>;
}

/** The forwarder running in a lab's namespace. */
export interface Forwarder {
  /** Its Unix socket (portals connect here). */
  readonly socketPath: string;
  /** Listens on `host:port` inside the lab and pipes each connection to the Unix socket `path`; the port it got. */
  listen(options: { host: string; port: number; path: string }): Promise<Result<{ listenId: number; port: number }>>;
  /** Stops one listener. */
  unlisten(listenId: number): Promise<void>;
}

/** The forwarder would not start or answer in this long. */
const FORWARDER_TIMEOUT_MS = 10_000;

type Answer = Record<string, unknown>;

/** Starts the forwarder with `wrapped` (ip netns exec NAME node -e ... SOCKET); resolves once it listens. */
export function startForwarder(wrapped: { command: string; args: string[] }, socketPath: string): Promise<Result<Forwarder>> {
  return new Promise((resolve) => {
    const child: ChildProcess = spawn(wrapped.command, wrapped.args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const waiting = new Map<number, (answer: Answer) => void>();
    let nextId = 0;
    let stderr = '';
    let settled = false;
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdin?.on('error', () => {});
    const fail = (why: string): void => {
      for (const answer of waiting.values()) answer({ error: `the forwarder ${why}` });
      waiting.clear();
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      resolve(err('COMMAND', `the lab's forwarder ${why}${stderr.trim() === '' ? '' : `: ${stderr.trim().split('\n')[0]}`}`));
    };
    const timer = setTimeout(() => fail(`did not start in ${FORWARDER_TIMEOUT_MS} ms`), FORWARDER_TIMEOUT_MS);
    child.once('error', (error) => fail(`cannot start (${error.message})`));
    child.once('exit', (code, signal) => fail(`exited (${signal ?? `exit ${code}`})`));

    const request = (command: Answer): Promise<Answer> =>
      new Promise((answer) => {
        if (child.exitCode !== null || child.signalCode !== null) {
          answer({ error: 'the forwarder is gone' });
          return;
        }
        const id = nextId++;
        const timeout = setTimeout(() => {
          waiting.delete(id);
          answer({ error: `the forwarder did not answer in ${FORWARDER_TIMEOUT_MS} ms` });
        }, FORWARDER_TIMEOUT_MS);
        timeout.unref();
        waiting.set(id, (a) => {
          clearTimeout(timeout);
          answer(a);
        });
        child.stdin?.write(`${JSON.stringify({ ...command, id })}\n`);
      });

    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      let message: Answer;
      try {
        message = JSON.parse(line) as Answer;
      } catch {
        return;
      }
      if (message.ready === true && !settled) {
        settled = true;
        clearTimeout(timer);
        // The lab kills it on close; meanwhile it must not keep the runner's event loop alive.
        child.unref();
        for (const stream of [child.stdin, child.stdout, child.stderr]) (stream as (Socket & { unref?: () => void }) | null)?.unref?.();
        resolve(
          ok({
            socketPath,
            async listen(options) {
              const answer = await request({ op: 'listen', ...options });
              if (typeof answer.error === 'string') return err('IO', `the lab's forwarder cannot listen on ${options.host}:${options.port}: ${answer.error}`);
              return ok({ listenId: Number(answer.id), port: Number(answer.port) });
            },
            async unlisten(listenId) {
              await request({ op: 'unlisten', listenId });
            },
          }),
        );
        return;
      }
      const id = Number(message.id);
      const answer = waiting.get(id);
      waiting.delete(id);
      answer?.(message);
    });
  });
}

/** Listens on `listenHost`:0 and leads each connection through the forwarder's socket to `target`. */
export function openPortal(options: { socketPath: string; target: PortalTarget; listenHost?: string }): Promise<Result<Portal>> {
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
