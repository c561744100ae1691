/**
 * A client's end of the transport (an agent process, or a scheduler hosted
 * next to a runner): one WebSocket to the master's /faultline/v1, answered
 * challenge, hello as its node and role, then core messages. When the
 * connection drops (or never opens) it reconnects with exponential backoff
 * and jitter; what the client sends meanwhile is dropped, as the core actors
 * retry themselves (an agent its registration and unacknowledged updates, a
 * scheduler driver its subscription).
 */
import type { Socket } from 'node:net';
import WebSocket from 'ws';
import type { NodeId } from '../../core/ids.js';
import { proofOf } from './auth.js';
import { TurnCork } from './turn-cork.js';
import { bufferOf, refuseFrame } from './frame-io.js';
import { decodeMasterFrame, encodeFrame, encodeMessageFrame, MAX_RECEIVE_BYTES, TRANSPORT_PATH, type ClientRole, type RoleMessages } from './protocol.js';

/** What only an agent says and does: where it serves HTTP, and the chaos frames it obeys. */
export interface AgentRoleOptions {
  /** Where this agent serves HTTP (told to the master for offers' URLs and /files). */
  readonly listen: { readonly ip: string; readonly port: number };
  /** The hostname the master reports for this agent (default: the listen ip). */
  readonly hostname?: string;
  /** The master (chaos) asks this process to SIGKILL itself. */
  readonly onKill: () => void;
  /** The master (chaos) asks to kill one task's process. */
  readonly onKillTask: (taskId: string) => void;
}

/** How a client transport is built. */
export type ClientTransportOptions<R extends ClientRole> = {
  /** The master, HOST:PORT (the first one: `setMaster` moves it). */
  readonly master: string;
  readonly node: NodeId;
  readonly role: R;
  readonly secret: string | null;
  /** A validated message from the master; `from` is the node id its welcome named. */
  readonly onMessage: (from: NodeId, message: RoleMessages[R]['in']) => void;
  /** The master welcomed this connection (`master`: its node id); again after every reconnect. */
  readonly onWelcome?: (master: NodeId) => void;
  /** The welcomed connection closed (the client reconnects by itself). */
  readonly onLost?: () => void;
  /** One line about the connection (connected, refused, lost). */
  readonly log?: (line: string) => void;
  /**
   * The local address the connection leaves from. A live run gives every
   * process its own 127.0.0.x, and an iptables partition matches on it: the
   * kernel would otherwise pick 127.0.0.1 for every connection.
   */
  readonly localAddress?: string;
  readonly minBackoffMs?: number;
  readonly maxBackoffMs?: number;
} & (R extends 'agent' ? AgentRoleOptions : unknown);

/** A reconnecting client connection to the master. */
export class ClientTransport<R extends ClientRole> {
  private socket: WebSocket | null = null;
  /** The TCP socket under `socket` once upgraded, corked per turn. */
  private raw: Socket | null = null;
  private readonly turnCork = new TurnCork();
  /** The master's node id from the current connection's welcome; null while not welcomed. */
  private welcomedBy: NodeId | null = null;
  private closed = false;
  private backoffMs: number;
  private retry: ReturnType<typeof setTimeout> | null = null;

  /** HOST:PORT connected to now; `setMaster` moves it (a new leader detected in ZooKeeper). */
  private master: string;

  constructor(private readonly options: ClientTransportOptions<R>) {
    this.backoffMs = options.minBackoffMs ?? 100;
    this.master = options.master;
  }

  /** Where the transport connects now. */
  masterAddress(): string {
    return this.master;
  }

  /** The master's node id as the current connection's welcome named it; null while not connected. */
  masterNode(): NodeId | null {
    return this.welcomedBy;
  }

  /** Connects to another master (the new leader) at once, dropping the current connection. */
  setMaster(master: string): void {
    if (master === this.master || this.closed) return;
    this.options.log?.(`the leading master moved from ${this.master} to ${master}`);
    this.master = master;
    if (this.retry !== null) clearTimeout(this.retry);
    this.retry = null;
    this.backoffMs = this.options.minBackoffMs ?? 100;
    const old = this.socket;
    this.socket = null;
    this.lose();
    old?.terminate();
    this.connect();
  }

  /** Connects (and keeps reconnecting until closed). */
  start(): void {
    this.connect();
  }

  /** Whether the master welcomed this connection. */
  connected(): boolean {
    return this.welcomedBy !== null;
  }

  /** Resolves once welcomed, or after `timeoutMs` (whichever is first). */
  async waitConnected(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (this.welcomedBy === null && !this.closed && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    return this.welcomedBy !== null;
  }

  /** Sends a core message to the master (dropped while not connected). */
  send(message: RoleMessages[R]['out']): void {
    if (this.welcomedBy === null || this.socket === null || this.socket.readyState !== WebSocket.OPEN) return;
    if (this.raw !== null) this.turnCork.cork(this.raw);
    this.socket.send(encodeMessageFrame(message));
  }

  /** Closes for good. */
  close(): void {
    this.closed = true;
    if (this.retry !== null) clearTimeout(this.retry);
    this.socket?.terminate();
    this.socket = null;
    this.lose();
  }

  /** Leaves the welcomed state, telling the owner once. */
  private lose(): void {
    if (this.welcomedBy === null) return;
    this.welcomedBy = null;
    this.options.onLost?.();
  }

  private hello(nonce: string): string {
    const { node, secret } = this.options;
    const proof = secret === null ? {} : { proof: proofOf(secret, nonce, node) };
    const agent = this.agentOptions();
    if (agent === null) return encodeFrame({ type: 'hello', node, role: 'scheduler', ...proof });
    return encodeFrame({ type: 'hello', node, role: 'agent', listen: agent.listen, ...(agent.hostname === undefined ? {} : { hostname: agent.hostname }), ...proof });
  }

  private agentOptions(): AgentRoleOptions | null {
    return this.options.role === 'agent' ? (this.options as unknown as AgentRoleOptions) : null;
  }

  private connect(): void {
    if (this.closed) return;
    const ws = new WebSocket(`ws://${this.master}${TRANSPORT_PATH}`, { maxPayload: MAX_RECEIVE_BYTES, perMessageDeflate: false, handshakeTimeout: 5000, ...(this.options.localAddress === undefined ? {} : { localAddress: this.options.localAddress }) });
    this.socket = ws;
    this.raw = null;
    ws.on('upgrade', (res) => {
      if (this.socket === ws) this.raw = res.socket;
    });
    ws.on('error', () => undefined);
    ws.on('close', (code) => {
      if (this.socket !== ws) return;
      if (this.welcomedBy !== null) this.options.log?.(`lost the master at ${this.master}${code === 1009 ? ' (a frame above the size limit)' : ''}; reconnecting`);
      this.socket = null;
      this.lose();
      this.scheduleReconnect();
    });
    ws.on('message', (data, isBinary) => {
      if (isBinary || this.socket !== ws) return;
      const decoded = decodeMasterFrame(bufferOf(data), this.options.role);
      if (!decoded.ok) {
        refuseFrame(ws, decoded.error.message);
        return;
      }
      const frame = decoded.value;
      switch (frame.type) {
        case 'challenge':
          ws.send(this.hello(frame.nonce));
          return;
        case 'welcome':
          this.welcomedBy = frame.master;
          this.backoffMs = this.options.minBackoffMs ?? 100;
          this.options.log?.(`connected to the master at ${this.master}`);
          this.options.onWelcome?.(frame.master);
          return;
        case 'message':
          // Before the welcome there is no master to hear from.
          if (this.welcomedBy !== null) this.options.onMessage(this.welcomedBy, frame.message as RoleMessages[R]['in']);
          return;
        case 'kill':
          this.agentOptions()?.onKill();
          return;
        case 'kill_task':
          this.agentOptions()?.onKillTask(frame.taskId);
          return;
        case 'error':
          this.options.log?.(`the master refused: ${frame.code}: ${frame.message}`);
          return;
        default: {
          const never: never = frame;
          return never;
        }
      }
    });
  }

  private scheduleReconnect(): void {
    if (this.closed) return;
    const delayMs = this.backoffMs * (0.5 + Math.random() / 2);
    this.backoffMs = Math.min(this.backoffMs * 2, this.options.maxBackoffMs ?? 5000);
    this.retry = setTimeout(() => {
      this.retry = null;
      this.connect();
    }, delayMs);
  }
}
