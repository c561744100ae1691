/**
 * The master's end of the transport: a WebSocket server on the master's HTTP
 * port (path /faultline/v1, no server of its own). Each connection is
 * challenged, says hello as one agent node, then exchanges core messages. A
 * frame that does not decode (src/live/transport/protocol.ts) gets an error
 * frame and the connection is closed; nothing from the wire reaches the master
 * actor unvalidated, and nothing on the wire can throw out of here. Chaos acts
 * here too: an isolated node's frames are dropped both ways until healed.
 * Operator clients connect here too (hello with role "operator"): their calls
 * are answered by the `operator` service (src/live/transport/operator-role.ts).
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket, type RawData } from 'ws';
import type { NodeId } from '../../core/ids.js';
import type { AgentMessage, Message } from '../../core/messages.js';
import { newNonce, proofHolds } from './auth.js';
import { OperatorSession, type OperatorService } from './operator-role.js';
import { decodeClientFrame, encodeFrame, MAX_FRAME_BYTES, problemOf, TRANSPORT_PATH } from './protocol.js';

/** How the master transport is built. */
export interface MasterTransportOptions {
  /** The master's node id (the sender of every message it passes on). */
  readonly master: NodeId;
  /** The shared secret; null: no challenge is checked. */
  readonly secret: string | null;
  /** A validated message from an agent node. */
  readonly onMessage: (from: NodeId, message: AgentMessage) => void;
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
  readonly nonce: string;
  node: NodeId | null;
  /** Set by an operator hello (then node stays null: an operator is no node of the cluster). */
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
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES, perMessageDeflate: false, clientTracking: true });
  private readonly byNode = new Map<NodeId, Connection>();
  private readonly endpoints = new Map<NodeId, AgentEndpoint>();
  private readonly isolated = new Set<NodeId>();
  readonly counters: TransportCounters = { refused: 0, framesIn: 0, framesOut: 0, bytesIn: 0, bytesOut: 0 };

  constructor(private readonly options: MasterTransportOptions) {
    this.wss.on('error', () => undefined);
  }

  /** Takes an HTTP upgrade for the transport's path; false when the path is not ours (the caller refuses it). */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const path = (req.url ?? '').split('?')[0];
    if (path !== TRANSPORT_PATH) return false;
    socket.on('error', () => undefined);
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws));
    return true;
  }

  /** Sends a core message to an agent node (dropped if it is not connected or isolated). */
  send(to: NodeId, message: Message): void {
    if (this.isolated.has(to)) return;
    this.sendFrame(to, { type: 'message', message } as Parameters<typeof encodeFrame>[0]);
  }

  /** Tells an agent process to SIGKILL itself; false if it is not connected. */
  kill(node: NodeId): boolean {
    return this.sendFrame(node, { type: 'kill' });
  }

  /** Tells an agent process to kill one task's process; false if it is not connected. */
  killTask(node: NodeId, taskId: string): boolean {
    return this.sendFrame(node, { type: 'kill_task', taskId });
  }

  /** Drops the node's frames both ways until healed. */
  isolate(node: NodeId): void {
    this.isolated.add(node);
  }

  /** Ends every isolation; returns the nodes healed. */
  healAll(): NodeId[] {
    const healed = [...this.isolated];
    this.isolated.clear();
    return healed;
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
    for (const ws of this.wss.clients) ws.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private sendFrame(to: NodeId, frame: Parameters<typeof encodeFrame>[0]): boolean {
    const connection = this.byNode.get(to);
    if (connection === undefined || connection.socket.readyState !== connection.socket.OPEN) return false;
    const text = encodeFrame(frame);
    this.counters.framesOut += 1;
    this.counters.bytesOut += text.length;
    connection.socket.send(text);
    return true;
  }

  private accept(ws: WebSocket): void {
    const connection: Connection = { socket: ws, nonce: newNonce(), node: null, operator: null };
    const helloTimer = setTimeout(() => this.refuse(connection, 'unexpected', 'no hello in time'), this.options.helloTimeoutMs ?? 10_000);
    helloTimer.unref();
    ws.on('error', () => ws.terminate());
    ws.on('close', () => {
      clearTimeout(helloTimer);
      connection.operator?.close();
      if (connection.node !== null && this.byNode.get(connection.node) === connection) this.byNode.delete(connection.node);
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
    if (connection.node !== null && this.isolated.has(connection.node)) return;
    if (isBinary) return this.refuse(connection, 'malformed', 'binary frames are not accepted');
    const buffer = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
    this.counters.framesIn += 1;
    this.counters.bytesIn += buffer.length;
    const decoded = decodeClientFrame(buffer);
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
        if (frame.node === this.options.master) return this.refuse(connection, 'unexpected', 'node id taken by the master');
        clearTimeout(helloTimer);
        const previous = this.byNode.get(frame.node);
        // A restarted agent process replaces its old connection (which may not have noticed yet).
        if (previous !== undefined) previous.socket.terminate();
        connection.node = frame.node;
        this.byNode.set(frame.node, connection);
        this.endpoints.set(frame.node, { ip: frame.listen.ip, port: frame.listen.port, hostname: frame.hostname ?? frame.listen.ip });
        connection.socket.send(encodeFrame({ type: 'welcome', master: this.options.master }));
        return;
      }
      case 'message': {
        if (connection.operator !== null) return this.refuse(connection, 'unexpected', 'an operator connection sends calls, not core messages');
        if (connection.node === null) return this.refuse(connection, 'unexpected', 'message before hello');
        const message = frame.message;
        if ((message.type === 'agent.register' || message.type === 'agent.reregister') && message.host !== connection.node) {
          return this.refuse(connection, 'unexpected', `host ${message.host} is not this connection's node ${connection.node}`);
        }
        this.options.onMessage(connection.node, message);
        return;
      }
      case 'call':
        if (connection.operator === null) return this.refuse(connection, 'unexpected', connection.node === null ? 'call before hello' : 'calls come from operator connections only');
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
