/**
 * A scripted fake Mesos master for client tests: a small `http` server on
 * 127.0.0.1 (port 0) that speaks the v1 scheduler wire format of
 * live-runtime.md section 1 exactly (exact Content-Type, Mesos-Stream-Id as a
 * canonical UUID and checked on every call, one RecordIO record per write,
 * 202 with an empty body, Base64 16-byte status uuids, 307 with a
 * protocol-relative Location, 503). The test scripts the events: the fake
 * sends SUBSCRIBED and, when asked, heartbeats; everything else comes from
 * the `onSubscribed` and `onCall` hooks.
 *
 * Its RecordIO framing is written out by hand, not with src/api/recordio.ts,
 * so the fake does not share code with the client it tests.
 */
import http from 'node:http';
import net from 'node:net';
import { randomBytes, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';

/** A decoded call as the fake received it. */
export interface ReceivedCall {
  readonly type: string;
  readonly framework_id?: { value: string };
  readonly [key: string]: unknown;
}

/** A rejected request, so tests can assert the client made none. */
export interface Rejection {
  readonly status: number;
  readonly reason: string;
}

/** One SUBSCRIBE stream the fake holds open. */
export interface FakeStream {
  readonly streamId: string;
  readonly frameworkId: string;
  readonly subscribe: ReceivedCall;
  /** Writes one event as one RecordIO record in one write. */
  send(event: object): void;
  /** Ends the stream cleanly. */
  end(): void;
  readonly closed: boolean;
}

/** What the fake answers a SUBSCRIBE with. */
export type SubscribeAnswer =
  | { kind: 'accept' }
  | { kind: 'redirect'; location: string }
  | { kind: 'unavailable' }
  /** 200 and the headers, then nothing at all (no SUBSCRIBED). */
  | { kind: 'mute' };

/** Scripting hooks and knobs. */
export interface FakeMasterOptions {
  /** Decides each SUBSCRIBE; default accept. Called with the attempt's 1-based number. */
  readonly answerSubscribe?: (attempt: number) => SubscribeAnswer;
  /** `heartbeat_interval_seconds` in SUBSCRIBED. Default 15. */
  readonly heartbeatIntervalSeconds?: number;
  /** When set, the fake writes HEARTBEAT on every open stream this often. */
  readonly heartbeatEveryMs?: number;
  /** After SUBSCRIBED went out on a new stream. */
  readonly onSubscribed?: (stream: FakeStream) => void;
  /** After a valid non-SUBSCRIBE call was answered 202. */
  readonly onCall?: (call: ReceivedCall, stream: FakeStream | undefined) => void;
}

const PATHS = new Set(['/api/v1/scheduler', '/master/api/v1/scheduler']);

/** A running fake master. */
export interface FakeMesosMaster {
  /** `127.0.0.1:PORT`. */
  readonly address: string;
  readonly port: number;
  readonly masterId: string;
  /** Every SUBSCRIBE body, in order (including redirected and refused ones). */
  readonly subscribes: ReceivedCall[];
  /** Every accepted non-SUBSCRIBE call, in order. */
  readonly calls: ReceivedCall[];
  readonly rejections: Rejection[];
  readonly streams: FakeStream[];
  /** Resolves with the first call (already received or future) that matches; rejects after `timeoutMs`. */
  waitForCall(match: (call: ReceivedCall) => boolean, timeoutMs?: number): Promise<ReceivedCall>;
  /** Resolves once `n` streams have been opened. */
  waitForStreams(n: number, timeoutMs?: number): Promise<FakeStream>;
  close(): Promise<void>;
}

/** Starts a fake master on 127.0.0.1, port 0. */
export async function startFakeMaster(options: FakeMasterOptions = {}): Promise<FakeMesosMaster> {
  const masterId = randomUUID();
  const subscribes: ReceivedCall[] = [];
  const calls: ReceivedCall[] = [];
  const rejections: Rejection[] = [];
  const streams: FakeStream[] = [];
  const current = new Map<string, FakeStream>(); // framework id -> its current stream
  const waiters: Array<() => void> = [];
  let frameworks = 0;
  const notify = (): void => {
    for (const w of waiters.splice(0)) w();
  };

  const server = http.createServer((req, res) => {
    const reject = (status: number, reason: string): void => {
      rejections.push({ status, reason });
      res.writeHead(status, { 'Content-Type': 'text/plain' });
      res.end(reason);
    };
    if (req.method !== 'POST') return reject(405, 'Expecting a POST request');
    if (!PATHS.has(req.url ?? '')) return reject(404, `no route ${req.url}`);
    const contentType = req.headers['content-type'];
    if (contentType === undefined) return reject(400, "Expecting 'Content-Type' to be present");
    if (contentType !== 'application/json') return reject(415, `Expecting 'Content-Type' of application/json, got '${contentType}'`);
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (text += chunk));
    req.on('end', () => {
      let call: ReceivedCall;
      try {
        call = JSON.parse(text) as ReceivedCall;
      } catch {
        return reject(400, 'Failed to parse body into JSON');
      }
      if (typeof call.type !== 'string') return reject(400, 'Missing required fields: type');
      const streamIdHeader = req.headers['mesos-stream-id'];
      if (call.type === 'SUBSCRIBE') {
        subscribes.push(call);
        if (streamIdHeader !== undefined) return reject(400, 'Subscribe calls should not include the Mesos-Stream-Id header');
        const accept = req.headers.accept;
        if (accept !== undefined && accept !== 'application/json' && accept !== '*/*') return reject(406, `Expecting 'Accept' to allow application/json, got '${accept}'`);
        const answer = options.answerSubscribe?.(subscribes.length) ?? { kind: 'accept' };
        switch (answer.kind) {
          case 'redirect':
            res.writeHead(307, { Location: answer.location });
            res.end();
            notify();
            return;
          case 'unavailable':
            res.writeHead(503, { 'Content-Type': 'text/plain' });
            res.end('No leader elected');
            notify();
            return;
          case 'mute':
            res.writeHead(200, { 'Content-Type': 'application/json', 'Mesos-Stream-Id': randomUUID() });
            res.flushHeaders();
            notify();
            return;
          case 'accept':
            openStream(call, res);
            return;
        }
      }
      const frameworkId = call.framework_id?.value;
      if (frameworkId === undefined) return reject(400, "Expecting 'framework_id' to be present");
      const stream = current.get(frameworkId);
      if (stream === undefined) return reject(400, 'Framework cannot be found');
      if (streamIdHeader === undefined) return reject(400, "All non-subscribe calls should include the 'Mesos-Stream-Id' header");
      if (streamIdHeader !== stream.streamId) return reject(400, `The stream ID '${String(streamIdHeader)}' included in this request didn't match the stream ID currently associated with framework ID ${frameworkId}`);
      if (call.type === 'ACKNOWLEDGE') {
        const uuid = (call as { acknowledge?: { uuid?: unknown } }).acknowledge?.uuid;
        if (typeof uuid !== 'string' || Buffer.from(uuid, 'base64').length !== 16) return reject(400, 'Failed to validate scheduler::Call: Not a valid UUID');
      }
      calls.push(call);
      res.writeHead(202);
      res.end();
      notify();
      options.onCall?.(call, stream.closed ? undefined : stream);
    });
  });

  function openStream(call: ReceivedCall, res: http.ServerResponse): void {
    const info = (call as { subscribe?: { framework_info?: { id?: { value?: string } } } }).subscribe?.framework_info;
    const frameworkId = info?.id?.value ?? call.framework_id?.value ?? `${masterId}-${String(frameworks++).padStart(4, '0')}`;
    const streamId = randomUUID();
    let closed = false;
    let heartbeat: NodeJS.Timeout | undefined;
    const stream: FakeStream = {
      streamId,
      frameworkId,
      subscribe: call,
      send(event) {
        if (closed) return;
        const json = JSON.stringify(event);
        res.write(`${Buffer.byteLength(json)}\n${json}`);
      },
      end() {
        if (closed) return;
        closed = true;
        if (heartbeat) clearInterval(heartbeat);
        res.end();
      },
      get closed() {
        return closed;
      },
    };
    res.on('close', () => {
      closed = true;
      if (heartbeat) clearInterval(heartbeat);
    });
    const previous = current.get(frameworkId);
    if (previous && !previous.closed) {
      previous.send({ type: 'ERROR', error: { message: 'Framework failed over' } });
      previous.end();
    }
    current.set(frameworkId, stream);
    streams.push(stream);
    res.writeHead(200, { 'Content-Type': 'application/json', 'Mesos-Stream-Id': streamId });
    stream.send({
      type: 'SUBSCRIBED',
      subscribed: {
        framework_id: { value: frameworkId },
        heartbeat_interval_seconds: options.heartbeatIntervalSeconds ?? 15,
        master_info: { id: masterId, ip: 16777343, port: address().port, pid: `master@127.0.0.1:${address().port}`, hostname: '127.0.0.1', version: '1.11.0', address: { hostname: '127.0.0.1', ip: '127.0.0.1', port: address().port } },
      },
    });
    if (options.heartbeatEveryMs !== undefined) heartbeat = setInterval(() => stream.send({ type: 'HEARTBEAT' }), options.heartbeatEveryMs);
    notify();
    options.onSubscribed?.(stream);
  }

  const sockets = new Set<net.Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = (): AddressInfo => server.address() as AddressInfo;
  const port = address().port;

  function waitUntil<T>(probe: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const found = probe();
        if (found === undefined) return false;
        clearTimeout(timer);
        resolve(found);
        return true;
      };
      const timer = setTimeout(() => reject(new Error(`fake master: timed out waiting for ${what}`)), timeoutMs);
      const loop = (): void => {
        if (!check()) waiters.push(loop);
      };
      loop();
    });
  }

  return {
    address: `127.0.0.1:${port}`,
    port,
    masterId,
    subscribes,
    calls,
    rejections,
    streams,
    waitForCall: (match, timeoutMs = 5000) => waitUntil(() => calls.find(match), timeoutMs, 'a call'),
    waitForStreams: (n, timeoutMs = 5000) => waitUntil(() => (streams.length >= n ? streams[n - 1] : undefined), timeoutMs, `${n} streams`),
    close: async () => {
      for (const s of streams) s.end();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A Base64 status uuid: 16 random bytes, as Mesos sends. */
export function statusUuid(): string {
  return randomBytes(16).toString('base64');
}

/** An OFFERS event with one offer per entry, in the proto shape (`offers.offers`, `url.address`). */
export function offersEvent(masterId: string, frameworkId: string, offers: Array<{ id: string; agent: string; cpus: number; mem: number }>): object {
  return {
    type: 'OFFERS',
    offers: {
      offers: offers.map((o) => ({
        id: { value: `${masterId}-O${o.id}` },
        framework_id: { value: frameworkId },
        agent_id: { value: `${masterId}-S${o.agent}` },
        hostname: `agent-${o.agent}`,
        url: { scheme: 'http', address: { hostname: `agent-${o.agent}`, ip: '127.0.0.2', port: 5051 }, path: '/slave(1)' },
        resources: [
          { name: 'cpus', type: 'SCALAR', scalar: { value: o.cpus }, role: '*', allocation_info: { role: '*' } },
          { name: 'mem', type: 'SCALAR', scalar: { value: o.mem }, role: '*', allocation_info: { role: '*' } },
        ],
        allocation_info: { role: '*' },
      })),
    },
  };
}

/** An UPDATE event for one task, with a fresh uuid unless `uuid: null`. */
export function updateEvent(status: { taskId: string; agentId: string; state: string; source?: string; message?: string; reason?: string; uuid?: string | null }): object {
  const body: Record<string, unknown> = {
    task_id: { value: status.taskId },
    state: status.state,
    agent_id: { value: status.agentId },
    timestamp: 1764650000.123,
  };
  if (status.source !== undefined) body.source = status.source;
  if (status.message !== undefined) body.message = status.message;
  if (status.reason !== undefined) body.reason = status.reason;
  if (status.uuid !== null) body.uuid = status.uuid ?? statusUuid();
  return { type: 'UPDATE', update: { status: body } };
}

/** The LAUNCH task infos of an ACCEPT call. */
export function launchedTasks(call: ReceivedCall): Array<{ name: string; task_id: { value: string }; agent_id: { value: string }; resources: unknown[]; command?: { shell?: boolean; value?: string } }> {
  const accept = call.accept as { operations?: Array<{ type: string; launch?: { task_infos?: unknown[] } }> } | undefined;
  return (accept?.operations ?? []).flatMap((op) => (op.type === 'LAUNCH' ? (op.launch?.task_infos ?? []) : [])) as ReturnType<typeof launchedTasks>;
}

/** A port on 127.0.0.1 with nothing listening (a refused connection). */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A TCP server that accepts connections and never answers: a hung master. */
export async function startBlackHole(): Promise<{ address: string; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on('error', () => undefined);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    address: `127.0.0.1:${port}`,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
