/**
 * The Mesos HTTP API of a served cluster: one Node `http` server per master,
 * on consecutive ports from the one given (or each on a free port with port 0).
 * Routes: the scheduler API, the operator API, `/master/state` (also `/state`,
 * `/master/state.json`, `?jsonp=`), `/master/redirect`, `/master/health`,
 * `/metrics/snapshot`. Optionally (the live master): a WebSocket upgrade hook,
 * agents' real HTTP addresses, and HTTP Basic with a secret on the scheduler
 * and operator APIs (401 without it). A stopped master refuses (its connections are reset); a
 * master that stops leading ends its streams. Nothing a client sends can crash
 * it: every failure is one line with its status.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { basicAuthHolds } from '../transport/auth.js';
import type { Address, Addresses } from '../../api/addresses.js';
import { gateCall, redirectEndpoint, redirectToLeader, routeOf, type LeadershipView } from '../../api/gate.js';
import { masterMetrics } from '../../api/metrics.js';
import { JsonChunks, StateJsonCache } from '../../api/json-cache.js';
import { isJsonpCallback } from '../../api/state-json.js';
import { masterStateChunks } from '../../api/state-text.js';
import type { HistoryRecord } from '../../core/events.js';
import type { NodeId } from '../../core/ids.js';
import { parseFaultlineCall } from '../../api/faultline-call.js';
import { FaultlineEndpoint, type ChaosHook } from './faultline-endpoint.js';
import { OperatorEndpoint, type OperatorCallAnswer, type OperatorSink } from './operator-endpoint.js';
import { errorAnswer, readBody, sendAnswer, sendError, sendJson, sendJsonChunks } from './respond.js';
import { SchedulerEndpoint } from './scheduler-endpoint.js';
import { DEFAULT_WEB_DIR, isWebAsset, sendWebAsset } from './web-assets.js';
import type { ServedWorld } from './world.js';

/** Options of the served API. */
export interface ServeOptions {
  readonly world: ServedWorld;
  /** The IP to listen on (127.0.0.1 unless told otherwise). */
  readonly host: string;
  /** The first master's port; the others follow. 0: every master on a free port. */
  readonly port: number;
  /** Operator stream HEARTBEAT interval (scheduler heartbeats come from the master's timing). */
  readonly heartbeatIntervalMs: number;
  /** Hostname published in Location headers and MasterInfo (default: the host). */
  readonly hostname?: string;
  /** Fault injection for FAULTLINE_INJECT_FAULT (src/api/faultline-call.ts); absent or null: chaos is off (403). */
  readonly chaos?: ChaosHook | null;
  /** The built browser view served at `GET /` (default: the package's dist/web). */
  readonly webDir?: string;
  /** Takes a WebSocket upgrade (the live transport); false or absent: the upgrade is refused. */
  readonly onUpgrade?: (req: IncomingMessage, socket: Duplex, head: Buffer) => boolean;
  /** Where an agent host serves HTTP (default: the host name on the served IP, port 5051). */
  readonly agentAddress?: (host: NodeId) => Address | null;
  /** With a secret, scheduler and operator calls need HTTP Basic with it as the password (401 otherwise). */
  readonly httpSecret?: string | null;
  /** Whether the agents serve `/files/read` (live agent processes; default false, as simulated agents serve nothing). */
  readonly agentsServeFiles?: boolean;
  /**
   * Where the leader's API is when it is not a master of this server (a live
   * master in ZooKeeper HA: the leader is another process). Null: none known
   * (503). Absent: only this server's masters can lead.
   */
  readonly remoteLeader?: (self: NodeId) => Address | null;
}

/** The running servers. */
export interface ServedApi {
  /** Each master's address, in master order. */
  readonly masters: ReadonlyArray<{ readonly node: NodeId; readonly address: Address }>;
  readonly addresses: Addresses;
  readonly scheduler: SchedulerEndpoint;
  /** A master's operator calls for a client that is not HTTP (same answers as `POST /api/v1`); null for a node that is not a master here. */
  operatorCalls(node: NodeId): OperatorCalls | null;
  /** Closes every stream and server. */
  close(): Promise<void>;
}

/**
 * One master's operator API as functions: a call's JSON body in, its answer
 * out (status, content type and body bytes exactly as `POST /api/v1` answers),
 * or 'subscribe' for a SUBSCRIBE, whose records subscribe() streams.
 */
export interface OperatorCalls {
  answer(body: string): OperatorCallAnswer;
  /** SUBSCRIBED into the sink at once, then one record per event until unsubscribed or ended. */
  subscribe(sink: OperatorSink): () => void;
}

interface MasterServer {
  readonly node: NodeId;
  readonly server: Server;
  readonly operator: OperatorEndpoint;
  address: Address;
}

function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => reject(error);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** Starts one server per master; rejects (after closing what it opened) if a port cannot be bound. */
export async function serveMesosApi(options: ServeOptions): Promise<ServedApi> {
  const { world } = options;
  const hostname = options.hostname ?? options.host;
  const servers: MasterServer[] = [];
  const byNode = new Map<NodeId, MasterServer>();
  const startedAt = new Map<NodeId, number>();
  const addresses: Addresses = {
    master: (node) => byNode.get(node)?.address ?? null,
    agent: (host) => options.agentAddress?.(host) ?? { hostname: host, ip: options.host, port: 5051 },
  };
  const scheduler = new SchedulerEndpoint({ world, addresses: () => addresses });
  const cache = new StateJsonCache();
  const faultline = new FaultlineEndpoint(world, options.chaos ?? null, options.agentsServeFiles ?? false);

  const leadership = (self: NodeId): LeadershipView => {
    if (leader === self) return { leading: true, leader: null };
    if (options.remoteLeader !== undefined) return { leading: false, leader: options.remoteLeader(self) };
    return { leading: false, leader: leader === null ? null : addresses.master(leader) };
  };

  /** An operator call's body past the HTTP gates: faultline's extension, else the Mesos operator API. */
  const answerOperatorCall = (m: MasterServer, body: string): OperatorCallAnswer => {
    const extension = parseFaultlineCall(body);
    if (extension === null) return m.operator.answer(body);
    if (!extension.ok) return { kind: 'answer', answer: errorAnswer(extension.error) };
    return { kind: 'answer', answer: faultline.answer(extension.value) };
  };

  /** The same calls for a client that is not HTTP (the WebSocket operator role): leadership is its only gate. */
  const operatorCalls = (node: NodeId): OperatorCalls | null => {
    const m = byNode.get(node);
    if (m === undefined) return null;
    return {
      answer: (body) => {
        if (!world.masterRunning(m.node)) return { kind: 'answer', answer: errorAnswer({ status: 503, message: 'This master is not running' }) };
        const view = leadership(m.node);
        if (!view.leading) {
          const redirect = redirectToLeader(view, '/api/v1');
          if (!redirect.ok) return { kind: 'answer', answer: errorAnswer(redirect.error) };
        }
        return answerOperatorCall(m, body);
      },
      subscribe: (sink) => m.operator.subscribe(sink),
    };
  };

  const handle = async (m: MasterServer, req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (!world.masterRunning(m.node)) {
      req.socket.destroy(); // the process is gone: connection reset
      return;
    }
    const routed = routeOf(req.url ?? '/');
    if (isWebAsset(req.method ?? 'GET', routed.path)) return sendWebAsset(options.webDir ?? DEFAULT_WEB_DIR, req.method ?? 'GET', routed.path, res);
    const pathAndQuery = `${routed.path}${routed.search}`;
    switch (routed.route) {
      case 'scheduler':
      case 'operator': {
        const secret = options.httpSecret ?? null;
        if (secret !== null && !basicAuthHolds(secret, req.headers.authorization)) {
          req.resume();
          res.setHeader('WWW-Authenticate', 'Basic realm="faultline"');
          return sendError(res, { status: 401, message: 'Unauthorized: this master needs HTTP Basic with its secret' });
        }
        const gated = gateCall({ method: req.method ?? 'GET', headers: req.headers, pathAndQuery }, leadership(m.node));
        if (!gated.ok) {
          req.resume();
          return sendError(res, gated.error);
        }
        const body = await readBody(req);
        if (!body.ok) return sendError(res, body.error);
        // The world may have moved while the body arrived.
        if (!world.masterRunning(m.node)) return void req.socket.destroy();
        if (routed.route === 'scheduler') scheduler.handle(m.node, req, res, body.body);
        else {
          const answered = answerOperatorCall(m, body.body);
          if (answered.kind === 'answer') sendAnswer(res, answered.answer);
          else m.operator.stream(req, res);
        }
        return;
      }
      case 'state': {
        const callback = routed.query.get('jsonp');
        if (callback !== null && !isJsonpCallback(callback)) return sendError(res, { status: 400, message: 'Invalid jsonp callback name' });
        const json = masterStateChunks({ state: world.state(), addresses, self: m.node, startedAtMs: startedAt.get(m.node) ?? 0 }, cache);
        if (callback === null) return sendJsonChunks(res, json.finish());
        return sendJsonChunks(res, new JsonChunks().text(`${callback}(`).add(json).text(');').finish(), 200, 'text/javascript');
      }
      case 'redirect': {
        const answer = redirectEndpoint(leadership(m.node), m.address);
        if (answer.status === 503) return sendError(res, answer);
        res.writeHead(307, { Location: answer.location, 'Content-Length': 0 });
        res.end();
        return;
      }
      case 'health':
        res.writeHead(200, { 'Content-Length': 0 });
        res.end();
        return;
      case 'metrics':
        return sendJson(res, masterMetrics(world.state(), m.node, startedAt.get(m.node) ?? 0));
      case 'not_found':
        return sendError(res, { status: 404, message: `No such endpoint: ${routed.path}` });
    }
  };

  const closeAll = async (): Promise<void> => {
    unsubscribe();
    scheduler.closeAll();
    for (const m of servers) m.operator.closeAll();
    await Promise.all(
      servers.map(
        (m) =>
          new Promise<void>((resolve) => {
            m.server.close(() => resolve());
            m.server.closeAllConnections();
          }),
      ),
    );
  };

  /**
   * Masters that stopped leading but still run, whose scheduler streams stay
   * open (silent) until another master is elected. A Mesos master aborts at
   * once; its clients then find the leader with a detector. A client that
   * only retries where it was (mesos-framework resubscribes once, at once,
   * to the same address) needs that retry to meet a 307, not a 503.
   */
  const deposed = new Set<NodeId>();
  /** The leader as the history tells it, kept here so a call costs no projection snapshot. */
  let leader: NodeId | null = world.state().leader?.node ?? null;
  const onRecord = (record: HistoryRecord): void => {
    for (const m of servers) m.operator.onRecord(record);
    scheduler.onRecord(record);
    faultline.onRecord(record);
    if (record.type === 'master.elected') leader = record.node;
    else if ((record.type === 'master.deposed' || record.type === 'node.stopped') && record.node === leader) leader = null;
    switch (record.type) {
      case 'node.started':
        if (byNode.has(record.node)) startedAt.set(record.node, record.atMs);
        return;
      case 'node.stopped':
        // The process is gone: its connections drop now.
        if (!byNode.has(record.node)) return;
        deposed.delete(record.node);
        scheduler.closeStreamsOf(record.node);
        byNode.get(record.node)?.operator.closeAll();
        return;
      case 'master.deposed':
        if (!byNode.has(record.node)) return;
        deposed.add(record.node);
        byNode.get(record.node)?.operator.closeAll();
        return;
      case 'master.elected':
        // Also when the deposed master itself leads again: it kept nothing of its old term.
        for (const node of deposed) scheduler.closeStreamsOf(node);
        deposed.clear();
        return;
      default:
        return;
    }
  };
  const unsubscribe = world.onRecord(onRecord);

  try {
    for (const [i, node] of world.masters().entries()) {
      const operator = new OperatorEndpoint({ world, self: node, addresses: () => addresses, startedAtMs: () => startedAt.get(node) ?? 0, heartbeatIntervalMs: options.heartbeatIntervalMs, cache });
      const m: MasterServer = { node, server: createServer(), operator, address: { hostname, ip: options.host, port: 0 } };
      m.server.on('request', (req: IncomingMessage, res: ServerResponse) => {
        handle(m, req, res).catch((error: unknown) => sendError(res, { status: 500, message: `internal error: ${error instanceof Error ? error.message : String(error)}` }));
      });
      m.server.on('clientError', (_error, socket) => socket.destroy());
      m.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
        if (!world.masterRunning(m.node) || options.onUpgrade?.(req, socket, head) !== true) socket.destroy();
      });
      servers.push(m);
      byNode.set(node, m);
      const port = await listen(m.server, options.host, options.port === 0 ? 0 : options.port + i);
      m.address = { hostname, ip: options.host, port };
    }
  } catch (error) {
    await closeAll();
    throw error;
  }
  return { masters: servers.map((m) => ({ node: m.node, address: m.address })), addresses, scheduler, operatorCalls, close: closeAll };
}
