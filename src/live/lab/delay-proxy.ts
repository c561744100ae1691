/**
 * A small TCP proxy for one link, for delay and jitter: this kernel has no
 * netem (live-runtime.md section 8), so a slow link is a userspace hop, as
 * toxiproxy does it. Each chunk read from either side is written to the other
 * after its own drawn delay, never before the chunk before it in the same
 * direction (delay-schedule.ts). A direction with more than 1 MiB waiting
 * pauses its source, so a fast sender cannot fill the runner's memory.
 *
 * `cutOff(true)` is a partition where iptables is not available: existing
 * connections are closed, nothing waiting is delivered, and new connections
 * are closed as soon as they are accepted, until `cutOff(false)`.
 */
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { err, ok, type Result } from '../../core/errors.js';
import { createDelaySchedule, DEFAULT_HIGH_WATER_BYTES, type DelaySchedule } from './delay-schedule.js';

/** A TCP endpoint. */
export interface HostPort {
  readonly host: string;
  readonly port: number;
}

/** Draws one chunk's delay in milliseconds (constant, or with jitter). */
export type DelayDraw = () => number;

/** What `startDelayProxy` takes. */
export interface DelayProxyOptions {
  /** Where the proxy listens; port 0 picks a free one (read it back from `port`). */
  readonly listen: HostPort;
  /** Where each accepted connection is forwarded. */
  readonly target: HostPort;
  readonly delayMs: DelayDraw;
  /** Pause a direction's source above this many waiting bytes; default 1 MiB. */
  readonly highWaterBytes?: number;
}

/** A running proxy. */
export interface DelayProxy {
  readonly host: string;
  /** The port it listens on (the real one when asked for 0). */
  readonly port: number;
  /** Replaces the delay drawn for every chunk read from now on. */
  setDelay(delayMs: DelayDraw): void;
  /** On: close every connection, deliver nothing waiting, close new ones at once. Off: forward again. */
  cutOff(on: boolean): void;
  /** Live connections (pairs of sockets), for tests and reports. */
  connectionCount(): number;
  /** Stops listening and tears down every connection; idempotent. */
  close(): Promise<void>;
}

interface Direction {
  readonly from: Socket;
  readonly to: Socket;
  readonly schedule: DelaySchedule<Buffer>;
  timer: NodeJS.Timeout | null;
  /** The source ended: end the destination once everything waiting is written. */
  ended: boolean;
  /** The destination's buffer is full: the source waits for 'drain' as well as for the schedule. */
  draining: boolean;
}

interface Link {
  readonly client: Socket;
  readonly upstream: Socket;
  readonly directions: readonly [Direction, Direction];
}

/** Starts a proxy from `listen` to `target`: IO when it cannot listen. */
export function startDelayProxy(options: DelayProxyOptions): Promise<Result<DelayProxy>> {
  let draw = options.delayMs;
  let cut = false;
  let closed: Promise<void> | null = null;
  const links = new Set<Link>();
  const highWaterBytes = options.highWaterBytes ?? DEFAULT_HIGH_WATER_BYTES;

  const destroyLink = (link: Link): void => {
    if (!links.delete(link)) return;
    for (const direction of link.directions) {
      if (direction.timer !== null) clearTimeout(direction.timer);
      direction.timer = null;
      direction.schedule.clear();
    }
    link.client.destroy();
    link.upstream.destroy();
  };

  const updateFlow = (direction: Direction): void => {
    if (direction.schedule.paused() || direction.draining) direction.from.pause();
    else direction.from.resume();
  };

  const deliver = (link: Link, direction: Direction): void => {
    direction.timer = null;
    if (!links.has(link)) return;
    const { due } = direction.schedule.take(performance.now());
    for (const chunk of due) {
      if (!direction.to.write(chunk)) direction.draining = true;
    }
    if (direction.ended && direction.schedule.nextDueMs() === null) direction.to.end();
    arm(link, direction);
    updateFlow(direction);
  };

  const arm = (link: Link, direction: Direction): void => {
    const dueMs = direction.schedule.nextDueMs();
    if (dueMs === null || direction.timer !== null) return;
    // A timer can fire a fraction of a millisecond early; deliver() takes only what is due and re-arms.
    direction.timer = setTimeout(() => deliver(link, direction), Math.max(0, Math.ceil(dueMs - performance.now())));
  };

  const wire = (link: Link, direction: Direction): void => {
    direction.from.on('data', (chunk: Buffer) => {
      direction.schedule.push(chunk, performance.now(), draw());
      arm(link, direction);
      updateFlow(direction);
    });
    direction.from.on('end', () => {
      direction.ended = true;
      if (direction.schedule.nextDueMs() === null && direction.timer === null) direction.to.end();
    });
    direction.to.on('drain', () => {
      direction.draining = false;
      updateFlow(direction);
    });
  };

  const accept = (client: Socket): void => {
    if (cut || closed !== null) {
      client.destroy();
      return;
    }
    const upstream = createConnection({ host: options.target.host, port: options.target.port, allowHalfOpen: true });
    const direction = (from: Socket, to: Socket): Direction => ({ from, to, schedule: createDelaySchedule<Buffer>({ highWaterBytes }), timer: null, ended: false, draining: false });
    const link: Link = { client, upstream, directions: [direction(client, upstream), direction(upstream, client)] };
    links.add(link);
    for (const d of link.directions) wire(link, d);
    // A failing side (a reset, a refused upstream) ends the whole link at once, as a reset would;
    // a side that closes cleanly has sent its FIN, and what it sent before is still delivered.
    let cleanCloses = 0;
    for (const socket of [client, upstream]) {
      socket.on('error', () => destroyLink(link));
      socket.on('close', (hadError: boolean) => {
        cleanCloses += 1;
        if (hadError || cleanCloses === 2) destroyLink(link);
      });
    }
  };

  const server: Server = createServer({ allowHalfOpen: true }, accept);
  return new Promise((resolve) => {
    server.once('error', (error) => resolve(err('IO', `delay proxy cannot listen on ${options.listen.host}:${options.listen.port}: ${error.message}`)));
    server.listen({ host: options.listen.host, port: options.listen.port }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : options.listen.port;
      server.on('error', () => {});
      resolve(
        ok({
          host: options.listen.host,
          port,
          setDelay(delayMs) {
            draw = delayMs;
          },
          cutOff(on) {
            cut = on;
            if (on) for (const link of [...links]) destroyLink(link);
          },
          connectionCount() {
            return links.size;
          },
          close() {
            closed ??= new Promise<void>((done) => {
              for (const link of [...links]) destroyLink(link);
              server.close(() => done());
            });
            return closed;
          },
        }),
      );
    });
  });
}
