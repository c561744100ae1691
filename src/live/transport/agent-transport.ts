/**
 * The agent's end of the transport: one WebSocket to the master's
 * /faultline/v1, answered challenge, hello as its node, then core messages.
 * When the connection drops (or never opens) it reconnects with exponential
 * backoff and jitter; what the agent sends meanwhile is dropped, as the core
 * agent retries registration and resends unacknowledged updates itself.
 */
import WebSocket from 'ws';
import type { NodeId } from '../../core/ids.js';
import type { MasterToAgentMessage, Message } from '../../core/messages.js';
import { proofOf } from './auth.js';
import { decodeMasterFrame, encodeFrame, MAX_FRAME_BYTES, problemOf, TRANSPORT_PATH } from './protocol.js';

/** How the agent transport is built. */
export interface AgentTransportOptions {
  /** The master, HOST:PORT (the first one: `setMaster` moves it). */
  readonly master: string;
  readonly node: NodeId;
  /** Where this agent serves HTTP (told to the master for offers' URLs and /files). */
  readonly listen: { readonly ip: string; readonly port: number };
  /** The hostname the master reports for this agent (default: the listen ip). */
  readonly hostname?: string;
  readonly secret: string | null;
  readonly onMessage: (message: MasterToAgentMessage) => void;
  /** The master (chaos) asks this process to SIGKILL itself. */
  readonly onKill: () => void;
  /** The master (chaos) asks to kill one task's process. */
  readonly onKillTask: (taskId: string) => void;
  /** One line about the connection (connected, refused, lost). */
  readonly log?: (line: string) => void;
  readonly minBackoffMs?: number;
  readonly maxBackoffMs?: number;
}

/** A reconnecting client connection to the master. */
export class AgentTransport {
  private socket: WebSocket | null = null;
  private welcomed = false;
  private closed = false;
  private backoffMs: number;
  private retry: ReturnType<typeof setTimeout> | null = null;

  /** HOST:PORT connected to now; `setMaster` moves it (a new leader detected in ZooKeeper). */
  private master: string;

  constructor(private readonly options: AgentTransportOptions) {
    this.backoffMs = options.minBackoffMs ?? 100;
    this.master = options.master;
  }

  /** Where the transport connects now. */
  masterAddress(): string {
    return this.master;
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
    this.welcomed = false;
    old?.terminate();
    this.connect();
  }

  /** Connects (and keeps reconnecting until closed). */
  start(): void {
    this.connect();
  }

  /** Whether the master welcomed this connection. */
  connected(): boolean {
    return this.welcomed;
  }

  /** Resolves once welcomed, or after `timeoutMs` (whichever is first). */
  async waitConnected(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!this.welcomed && !this.closed && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    return this.welcomed;
  }

  /** Sends a core message to the master (dropped while not connected). */
  send(message: Message): void {
    if (!this.welcomed || this.socket === null || this.socket.readyState !== WebSocket.OPEN) return;
    this.socket.send(encodeFrame({ type: 'message', message } as Parameters<typeof encodeFrame>[0]));
  }

  /** Closes for good. */
  close(): void {
    this.closed = true;
    if (this.retry !== null) clearTimeout(this.retry);
    this.socket?.terminate();
    this.socket = null;
  }

  private connect(): void {
    if (this.closed) return;
    const ws = new WebSocket(`ws://${this.master}${TRANSPORT_PATH}`, { maxPayload: MAX_FRAME_BYTES, perMessageDeflate: false, handshakeTimeout: 5000 });
    this.socket = ws;
    this.welcomed = false;
    ws.on('error', () => undefined);
    ws.on('close', () => {
      if (this.socket !== ws) return;
      if (this.welcomed) this.options.log?.(`lost the master at ${this.master}; reconnecting`);
      this.welcomed = false;
      this.socket = null;
      this.scheduleReconnect();
    });
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      const decoded = decodeMasterFrame(Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data));
      if (!decoded.ok) {
        const problem = problemOf(decoded.error.message);
        ws.send(encodeFrame({ type: 'error', code: problem.code, message: problem.message }));
        ws.close(1008, problem.code);
        return;
      }
      const frame = decoded.value;
      switch (frame.type) {
        case 'challenge': {
          const proof = this.options.secret === null ? undefined : proofOf(this.options.secret, frame.nonce, this.options.node);
          ws.send(encodeFrame({ type: 'hello', node: this.options.node, role: 'agent', listen: this.options.listen, ...(this.options.hostname === undefined ? {} : { hostname: this.options.hostname }), ...(proof === undefined ? {} : { proof }) }));
          return;
        }
        case 'welcome':
          this.welcomed = true;
          this.backoffMs = this.options.minBackoffMs ?? 100;
          this.options.log?.(`connected to the master at ${this.master}`);
          return;
        case 'message':
          this.options.onMessage(frame.message);
          return;
        case 'kill':
          this.options.onKill();
          return;
        case 'kill_task':
          this.options.onKillTask(frame.taskId);
          return;
        case 'error':
          this.options.log?.(`the master refused: ${frame.code}: ${frame.message}`);
          return;
        case 'response':
        case 'event':
          // Operator frames: an agent makes no calls, so it ignores them.
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
