/**
 * The master's end of the transport: a WebSocket server on the master's HTTP
 * port (path /faultline/v1, no server of its own). Each connection is
 * challenged, says hello as one agent or scheduler node, then exchanges core
 * messages of its role. A frame that does not decode
 * (src/live/transport/protocol.ts) gets an error frame and the connection is
 * closed; nothing from the wire reaches the master actor unvalidated, and
 * nothing on the wire can throw out of here. Chaos acts here too: an isolated
 * node's frames are dropped both ways until healed (agents and schedulers);
 * kill and kill_task go to agents only.
 *
 * A scheduler's connection is its subscription, as a v1 HTTP framework's
 * stream is: when it closes, each framework the master subscribed on it is
 * told `scheduler.disconnected` (its failover timeout starts now).
 *
 * Operator clients connect here too (hello with role "operator"): their calls
 * are answered by the `operator` service (src/live/transport/operator-role.ts).
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket, type RawData } from 'ws';
import type { NodeId } from '../../core/ids.js';
import type { AgentMessage, Message, SchedulerMessage } from '../../core/messages.js';
import { newNonce, proofHolds } from './auth.js';
import { LinkImpairments } from './link-impairments.js';
import { TurnCork } from './turn-cork.js';
import { OperatorSession, type OperatorService } from './operator-role.js';
import { bufferOf } from './frame-io.js';
import { decodeClientFrame, encodeFrame, MAX_RECEIVE_BYTES, messageFramesOf, problemOf, TRANSPORT_PATH, type ClientRole } from './protocol.js';

/** How the master transport is built. */
export interface MasterTransportOptions {
  /** The master's node id (the sender of every message it passes on). */
  readonly master: NodeId;
  /** The shared secret; null: no challenge is checked. */
  readonly secret: string | null;
  /** A validated message from an agent or scheduler node (an agent's only agent messages, a scheduler's only scheduler messages). */
  readonly onMessage: (from: NodeId, message: AgentMessage | SchedulerMessage) => void;
  /** Node ids this process runs itself (its HTTP frameworks' proxies): a client may not take one. */
  readonly isLocalNode?: (node: NodeId) => boolean;
  /** A message a link fault lost or duplicated (the master records it, as the simulator does). */
  readonly onImpaired?: (impaired: { readonly effect: 'lost' | 'duplicated'; readonly from: NodeId; readonly to: NodeId; readonly message: Message['type'] }) => void;
  /** A hello must arrive within this long (default 10 s). */
  readonly helloTimeoutMs?: number;
  /** The master's operator API for operator connections; absent or null: an operator hello is refused. */
  readonly operator?: () => OperatorService | null;
}

/** Where a connected agent serves its HTTP API. */
export interface AgentEndpoint {
  readonly ip: string;
  readonly port: number;
  /** The hostname the agent gave (`--node-id`), else its ip. */
  readonly hostname: string;
}

interface Connection {
  readonly socket: WebSocket;
  /** The upgraded TCP socket under `socket`, corked per turn. */
  readonly raw: Duplex;
  readonly nonce: string;
  node: NodeId | null;
  role: ClientRole | null;
  /** A scheduler's frameworks the master subscribed on this connection (told `scheduler.disconnected` when it closes); null until one (an agent's stays null: no set per agent). */
  frameworks: Set<string> | null;
  /** Set by an operator hello (node and role stay null: an operator is no node of the cluster). */
  operator: OperatorSession | null;
}

/** Why a connection was refused, counted for tests and metrics. */
export interface TransportCounters {
  refused: number;
  framesIn: number;
  framesOut: number;
  bytesIn: number;
  bytesOut: number;
}

/** The master's WebSocket endpoint. */
export class MasterTransport {
  // maxPayload a margin above MAX_FRAME_BYTES: a frame in the margin reaches the decoder and gets a too_large error frame.
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: MAX_RECEIVE_BYTES, perMessageDeflate: false, clientTracking: true });
  private readonly byNode = new Map<NodeId, Connection>();
  private readonly endpoints = new Map<NodeId, AgentEndpoint>();
  /** Chaos on the links to clients: cuts (a partition), loss, duplication, delay and jitter, per direction. */
  readonly links = new LinkImpairments();
  private readonly turnCork = new TurnCork();
  readonly counters: TransportCounters = { refused: 0, framesIn: 0, framesOut: 0, bytesIn: 0, bytesOut: 0 };

  constructor(private readonly options: MasterTransportOptions) {
    this.wss.on('error', () => undefined);
  }

  /** Takes an HTTP upgrade for the transport's path; false when the path is not ours (the caller refuses it). */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const path = (req.url ?? '').split('?')[0];
    if (path !== TRANSPORT_PATH) return false;
    socket.on('error', () => undefined);
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, socket));
    return true;
  }

  /** Sends a core message to an agent or scheduler node (dropped if it is not connected or isolated). */
  send(to: NodeId, message: Message): void {
    this.links.pass(
      to,
      'out',
      () => {
        const connection = this.byNode.get(to);
        if (connection === undefined) return;
        if (connection.role === 'scheduler' && message.type === 'master.subscribed') (connection.frameworks ??= new Set()).add(message.frameworkId);
        for (const text of messageFramesOf(message as Parameters<typeof messageFramesOf>[0])) this.sendText(to, text);
      },
      (effect) => this.options.onImpaired?.({ effect, from: this.options.master, to, message: message.type }),
    );
  }

  /** Tells an agent process to SIGKILL itself; false if no agent of that node is connected. */
  kill(node: NodeId): boolean {
    return this.roleOf(node) === 'agent' && this.sendFrame(node, { type: 'kill' });
  }

  /** Tells an agent process to kill one task's process; false if no agent of that node is connected. */
  killTask(node: NodeId, taskId: string): boolean {
    return this.roleOf(node) === 'agent' && this.sendFrame(node, { type: 'kill_task', taskId });
  }

  /** The role of a connected node; null when it is not connected. */
  roleOf(node: NodeId): ClientRole | null {
    return this.byNode.get(node)?.role ?? null;
  }

  /** Drops the node's frames both ways until healed. */
  isolate(node: NodeId): void {
    this.links.impair(node, 'in', { cut: true });
    this.links.impair(node, 'out', { cut: true });
  }

  /** Ends every isolation and link fault; returns the nodes healed. */
  healAll(): NodeId[] {
    return this.links.clear();
  }

  /** The nodes connected now. */
  connected(): NodeId[] {
    return [...this.byNode.keys()];
  }

  /** Where an agent node said it serves HTTP (kept after it disconnects). */
  endpointOf(node: NodeId): AgentEndpoint | null {
    return this.endpoints.get(node) ?? null;
  }

  /** Closes every connection. */
  async close(): Promise<void> {
    this.links.close();
    for (const ws of this.wss.clients) ws.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private sendFrame(to: NodeId, frame: Parameters<typeof encodeFrame>[0]): boolean {
    return this.sendText(to, encodeFrame(frame));
  }

  private sendText(to: NodeId, text: string): boolean {
    const connection = this.byNode.get(to);
    if (connection === undefined || connection.socket.readyState !== connection.socket.OPEN) return false;
    this.counters.framesOut += 1;
    this.counters.bytesOut += text.length;
    this.turnCork.cork(connection.raw);
    connection.socket.send(text);
    return true;
  }

  private accept(ws: WebSocket, raw: Duplex): void {
    const connection: Connection = { socket: ws, raw, nonce: newNonce(), node: null, role: null, frameworks: null, operator: null };
    const helloTimer = setTimeout(() => this.refuse(connection, 'unexpected', 'no hello in time'), this.options.helloTimeoutMs ?? 10_000);
    helloTimer.unref();
    ws.on('error', () => ws.terminate());
    ws.on('close', () => {
      clearTimeout(helloTimer);
      connection.operator?.close();
      const node = connection.node;
      if (node === null || this.byNode.get(node) !== connection) return;
      this.byNode.delete(node);
      // An isolated node's close is not seen, as no frame of it is.
      if (this.links.isCut(node, 'in')) return;
      for (const frameworkId of connection.frameworks ?? []) this.options.onMessage(node, { type: 'scheduler.disconnected', frameworkId, reason: 'the WebSocket connection closed' });
    });
    ws.on('message', (data: RawData, isBinary: boolean) => {
      try {
        this.onFrame(connection, data, isBinary, helloTimer);
      } catch (error) {
        // A bug in a handler must not take the master down with it: the sender is cut off instead.
        this.refuse(connection, 'unexpected', `internal error: ${error instanceof Error ? error.message : String(error)}`);
      }
    });
    ws.send(encodeFrame({ type: 'challenge', nonce: connection.nonce }));
  }

  private onFrame(connection: Connection, data: RawData, isBinary: boolean, helloTimer: ReturnType<typeof setTimeout>): void {
    if (connection.node !== null && this.links.isCut(connection.node, 'in')) return;
    if (isBinary) return this.refuse(connection, 'malformed', 'binary frames are not accepted');
    const buffer = bufferOf(data);
    this.counters.framesIn += 1;
    this.counters.bytesIn += buffer.length;
    const decoded = decodeClientFrame(buffer, connection.operator === null ? connection.role : 'operator');
    if (!decoded.ok) {
      const problem = problemOf(decoded.error.message);
      return this.refuse(connection, problem.code, problem.message);
    }
    const frame = decoded.value;
    switch (frame.type) {
      case 'hello': {
        if (connection.node !== null || connection.operator !== null) return this.refuse(connection, 'unexpected', 'hello twice');
        const { secret } = this.options;
        if (secret !== null && !proofHolds(secret, connection.nonce, frame.node, frame.proof)) return this.refuse(connection, 'unauthorized', 'wrong or missing secret');
        if (frame.role === 'operator') {
          const service = this.options.operator?.() ?? null;
          if (service === null) return this.refuse(connection, 'unexpected', 'this master takes no operator connections');
          clearTimeout(helloTimer);
          connection.operator = new OperatorSession(connection.socket, service);
          connection.socket.send(encodeFrame({ type: 'welcome', master: this.options.master }));
          return;
        }
        if (frame.node === this.options.master || this.options.isLocalNode?.(frame.node) === true) return this.refuse(connection, 'unexpected', 'node id taken by the master process');
        const previous = this.byNode.get(frame.node);
        if (previous !== undefined && previous.role !== frame.role) return this.refuse(connection, 'unexpected', `node id taken by a connected ${previous.role ?? 'client'}`);
        clearTimeout(helloTimer);
        // A restarted agent or scheduler process replaces its old connection (which may not have noticed yet).
        if (previous !== undefined) previous.socket.terminate();
        connection.node = frame.node;
        connection.role = frame.role;
        this.byNode.set(frame.node, connection);
        if (frame.role === 'agent') this.endpoints.set(frame.node, { ip: frame.listen.ip, port: frame.listen.port, hostname: frame.hostname ?? frame.listen.ip });
        connection.socket.send(encodeFrame({ type: 'welcome', master: this.options.master }));
        return;
      }
      case 'message': {
        if (connection.node === null) return this.refuse(connection, 'unexpected', 'message before hello');
        const message = frame.message;
        // The frame was checked against the schema of the connection's role: an agent sends agent messages only, a scheduler scheduler messages.
        if ((message.type === 'agent.register' || message.type === 'agent.reregister') && message.host !== connection.node) {
          return this.refuse(connection, 'unexpected', `host ${message.host} is not this connection's node ${connection.node}`);
        }
        const from = connection.node;
        this.links.pass(
          from,
          'in',
          () => this.options.onMessage(from, message),
          (effect) => this.options.onImpaired?.({ effect, from, to: this.options.master, message: message.type }),
        );
        return;
      }
      case 'call':
        // The frame was checked against the connection's role: only an operator's, or one before any hello, is a call.
        if (connection.operator === null) return this.refuse(connection, 'unexpected', 'call before hello');
        connection.operator.call(frame.id, frame.call);
        return;
      case 'error':
        connection.socket.close(1000);
        return;
      default: {
        const never: never = frame;
        return this.refuse(connection, 'unexpected', `unexpected frame ${String(never)}`);
      }
    }
  }

  private refuse(connection: Connection, code: string, message: string): void {
    this.counters.refused += 1;
    const { socket } = connection;
    if (socket.readyState === socket.OPEN) {
      socket.send(encodeFrame({ type: 'error', code, message }));
      socket.close(1008, code);
    }
    // A peer that ignores the close handshake is cut off.
    setTimeout(() => socket.terminate(), 1000).unref();
  }
}
