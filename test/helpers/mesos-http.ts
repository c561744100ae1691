/**
 * Test peers for the Mesos HTTP API: plain requests, and a streaming
 * subscription whose records are decoded by `@dcos/recordio` (an independent
 * decoder, not faultline's). Plus a simulated cluster served on free ports and
 * paced to the wall clock, closed by `close()`.
 */
import { request, type IncomingHttpHeaders } from 'node:http';
import { createRequire } from 'node:module';
import type { ServedApi } from '../../src/live/http/server.js';
import { serveMesosApi } from '../../src/live/http/server.js';
import { Pacer, realWallClock } from '../../src/cli/pacer.js';
import { servedWorldOf } from '../../src/cli/served-cluster.js';
import type { SimCluster } from '../../src/sim/cluster.js';

const require = createRequire(import.meta.url);
const recordio = require('@dcos/recordio') as { read(input: string): [string[], string] };

/** An HTTP answer. */
export interface Answer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** Sends one request and reads the whole answer. */
export function send(port: number, options: { method?: string; path: string; headers?: Record<string, string>; body?: string | Buffer }): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: options.method ?? 'POST', path: options.path, headers: options.headers ?? {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

/** POSTs JSON to a path with `Content-Type: application/json` and extra headers. */
export function postJson(port: number, path: string, body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  return send(port, { path, headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });
}

/** A subscription stream as a client sees it. */
export interface Subscription {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  /** Every decoded record, parsed. */
  readonly events: Array<Record<string, unknown> & { type: string }>;
  /** Raw chunks as they arrived (to check one record per write). */
  readonly chunks: string[];
  /** Whether the server ended the stream. */
  ended(): boolean;
  /** Resolves with the first event (from index `from`) matching `pred`, or rejects after `timeoutMs`. */
  waitFor(pred: (e: Record<string, unknown> & { type: string }) => boolean, timeoutMs?: number, from?: number): Promise<Record<string, unknown> & { type: string }>;
  /** Resolves when the server ends the stream. */
  waitEnded(timeoutMs?: number): Promise<void>;
  /** Calls `fn` with every event from now on (and those already received). */
  onEvent(fn: (e: Record<string, unknown> & { type: string }) => void): void;
  /** Closes the connection from the client side. */
  close(): void;
}

/** Opens a streaming SUBSCRIBE (scheduler or operator). */
export function subscribe(port: number, path: string, body: unknown, headers: Record<string, string> = {}): Promise<Subscription> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: 'POST', path, headers: { 'Content-Type': 'application/json', ...headers } }, (res) => {
      const events: Subscription['events'] = [];
      const chunks: string[] = [];
      let rest = '';
      let ended = false;
      const waiters = new Set<() => void>();
      const handlers: Array<(e: Record<string, unknown> & { type: string }) => void> = [];
      const wake = (): void => {
        for (const w of [...waiters]) w();
      };
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        chunks.push(chunk);
        const [records, left] = recordio.read(rest + chunk);
        rest = left;
        for (const r of records) {
          const event = JSON.parse(r) as Record<string, unknown> & { type: string };
          events.push(event);
          for (const h of handlers) h(event);
        }
        wake();
      });
      const onEnd = (): void => {
        ended = true;
        wake();
      };
      res.on('end', onEnd);
      res.on('close', onEnd);
      res.on('error', onEnd);
      resolve({
        status: res.statusCode ?? 0,
        headers: res.headers,
        events,
        chunks,
        ended: () => ended,
        waitFor(pred, timeoutMs = 10_000, from = 0) {
          return new Promise((ok, fail) => {
            const check = (): boolean => {
              const found = events.slice(from).find(pred);
              if (found) {
                waiters.delete(check as () => void);
                clearTimeout(timer);
                ok(found);
                return true;
              }
              if (ended) {
                waiters.delete(check as () => void);
                clearTimeout(timer);
                fail(new Error(`stream ended without the event; got ${events.map((e) => e.type).join(',')}`));
                return true;
              }
              return false;
            };
            const timer = setTimeout(() => {
              waiters.delete(check as () => void);
              fail(new Error(`timed out; got ${events.map((e) => e.type).join(',')}`));
            }, timeoutMs);
            if (!check()) waiters.add(check as () => void);
          });
        },
        waitEnded(timeoutMs = 10_000) {
          return new Promise((ok, fail) => {
            if (ended) return ok();
            const timer = setTimeout(() => fail(new Error('stream did not end')), timeoutMs);
            const check = (): void => {
              if (!ended) return;
              waiters.delete(check);
              clearTimeout(timer);
              ok();
            };
            waiters.add(check);
          });
        },
        onEvent(fn) {
          for (const e of events) fn(e);
          handlers.push(fn);
        },
        close: () => {
          req.destroy();
          res.destroy();
        },
      });
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

/** A served simulated cluster paced to the wall clock at `speed`. */
export interface ServedTestCluster {
  readonly cluster: SimCluster;
  readonly api: ServedApi;
  /** Each master's port, by node. */
  port(node: string): number;
  /** Freezes or unfreezes virtual time. */
  setPaused(paused: boolean): void;
  /** The leader's port (throws when there is none). */
  leaderPort(): number;
  close(): Promise<void>;
}

/** Serves `cluster` on free ports of 127.0.0.1 and paces it. */
export async function serveTestCluster(cluster: SimCluster, options: { speed?: number; heartbeatIntervalMs?: number } = {}): Promise<ServedTestCluster> {
  const api = await serveMesosApi({ world: servedWorldOf(cluster), host: '127.0.0.1', port: 0, heartbeatIntervalMs: options.heartbeatIntervalMs ?? 1_000 });
  const pacer = new Pacer(cluster, { clock: realWallClock, speed: options.speed ?? 1, tickMs: 10 });
  pacer.start();
  const port = (node: string): number => {
    const m = api.masters.find((x) => x.node === node);
    if (!m) throw new Error(`no master ${node}`);
    return m.address.port;
  };
  return {
    cluster,
    api,
    port,
    setPaused: (paused) => pacer.setPaused(paused),
    leaderPort: () => {
      const leader = cluster.leader();
      if (leader === null) throw new Error('no leader');
      return port(leader);
    },
    close: async () => {
      pacer.stop();
      await api.close();
    },
  };
}

/** Resolves when `cond` holds (polled every 20 ms), or rejects after `timeoutMs`. */
export async function eventually(cond: () => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
