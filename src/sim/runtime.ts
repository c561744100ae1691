/**
 * The simulated runtime: runs actors against one event queue and a virtual
 * clock that moves only when the queue advances. Delivers messages through the
 * simulated network, fires timers, pauses and resumes processes (SIGSTOP: their
 * inbox and timers wait), kills and restarts them (fresh memory, same random
 * stream), and appends what actors emit to the one history log. It records no
 * lifecycle events itself: the cluster layer (src/cluster/lifecycle.ts) does,
 * the same way for every runtime.
 */
import type { Actor, ActorContext, ActorFactory } from '../core/actor.js';
import { assert, assertNever } from '../core/errors.js';
import type { ClusterEvent, HistoryRecord, NodeRole } from '../core/events.js';
import { HistoryLog, type RecordListener } from '../cluster/history-log.js';
import type { NodeStatus } from '../cluster/node-control.js';
import type { NodeId } from '../core/ids.js';
import type { Message } from '../core/messages.js';
import { EventQueue } from './queue.js';
import { DEFAULT_NETWORK, SimNetwork, type HeldMessage, type NetworkOptions } from './network.js';
import { PrngStreams, type Prng } from '../core/prng.js';

type QueueItem =
  | {
      readonly kind: 'deliver';
      readonly from: NodeId;
      readonly to: NodeId;
      readonly message: Message;
      /** The receiver's incarnation when it was sent: a restarted receiver never gets it. */
      readonly incarnation: number;
      /** The sender and its incarnation when it was sent (null: not a node of this runtime): see senderAlive. */
      readonly sender: SimNode | null;
      readonly senderIncarnation: number;
    }
  | { readonly kind: 'timer'; readonly node: NodeId; readonly key: string; readonly token: number; readonly incarnation: number }
  | { readonly kind: 'call'; readonly fn: () => void };

type NodeItem = Exclude<QueueItem, { kind: 'call' }>;

/**
 * Dead timer entries (re-armed or cancelled timers, timers of stopped nodes)
 * stay in the queue until they come up. Once there are at least this many and
 * they are at least half the queue, the queue is compacted: an agent re-arms
 * its ping timeout on every ping and a service cancels a launch timeout per
 * task, so a big cluster's queue is otherwise mostly dead entries.
 */
const COMPACT_MIN_DEAD = 4_096;

/**
 * Health-check messages delivered at the instant they are sent when their
 * link is clear and idle (SimNetwork.clearAndIdle). A healthy LAN's 1-5 ms is
 * three orders of magnitude below any ping timeout, so the latency changes no
 * decision, while queueing them was two thirds of a big cluster's steady-state
 * work. On a link under any fault they travel like every other message: loss,
 * delay, partitions and clogs still hit pings and pongs.
 */
function isHeartbeat(message: Message): boolean {
  return message.type === 'master.ping' || message.type === 'agent.pong';
}

/**
 * Whether the sender of a delivery still runs as the incarnation that sent it. A message that has
 * arrived at a paused receiver (its inbox) is past this check: it is the receiver's now.
 */
function senderAlive(item: Extract<QueueItem, { kind: 'deliver' }>): boolean {
  const sender = item.sender;
  return sender === null || (sender.status !== 'stopped' && sender.incarnation === item.senderIncarnation);
}

/** A timer's token while its own handler runs (tokens start at 1). */
const FIRED = 0;

export type { NodeStatus } from '../cluster/node-control.js';
export type { RecordListener } from '../cluster/history-log.js';

/** A node as the runtime keeps it. */
export interface SimNode {
  readonly id: NodeId;
  readonly role: NodeRole;
  readonly factory: ActorFactory;
  actor: Actor | null;
  status: NodeStatus;
  incarnation: number;
  readonly timers: Map<string, number>;
  pending: NodeItem[];
}

/**
 * The context of one incarnation of a node. A class rather than a literal of
 * closures: an actor's every call then touches this one small object and
 * shared prototype methods, not a handful of per-node function objects; with
 * thousands of agents those were cache misses on every ping (BENCHMARKS.md).
 * Calls from a stopped incarnation do nothing.
 */
class NodeContext implements ActorContext {
  readonly self: NodeId;

  constructor(
    private readonly runtime: SimRuntime,
    private readonly node: SimNode,
    private readonly incarnation: number,
    private readonly stream: Prng,
  ) {
    this.self = node.id;
  }

  now(): number {
    return this.runtime.now();
  }

  send(to: NodeId, message: Message): void {
    if (this.alive()) this.runtime.sendFrom(this.node.id, to, message);
  }

  setTimer(key: string, delayMs: number): void {
    if (this.alive()) this.runtime.setTimerOf(this.node, key, delayMs);
  }

  cancelTimer(key: string): void {
    if (this.alive()) this.runtime.cancelTimerOf(this.node, key);
  }

  random(): number {
    return this.stream.next();
  }

  emit(event: ClusterEvent): void {
    if (this.alive()) this.runtime.emit(event);
  }

  private alive(): boolean {
    return this.node.incarnation === this.incarnation && this.node.status !== 'stopped';
  }
}

/** Options of a runtime. */
export interface RuntimeOptions {
  readonly seed: string;
  readonly network?: NetworkOptions;
  /** Keep at most this many history records in memory (null: all; 0: none, listeners only). */
  readonly historyLimit?: number | null;
}

/** The simulated runtime. */
export class SimRuntime {
  readonly streams: PrngStreams;
  readonly network: SimNetwork<Message>;
  private readonly queue = new EventQueue<QueueItem>();
  /**
   * Deliveries due now, handled in order right after the item being handled
   * (see isHeartbeat): parallel arrays reused from round to round, as a health
   * check round puts one ping and one pong per agent through them.
   */
  private readonly immediateFrom: NodeId[] = [];
  private readonly immediateTo: SimNode[] = [];
  private readonly immediateMessage: Message[] = [];
  private readonly immediateIncarnation: number[] = [];
  private immediateCount = 0;
  private readonly nodes = new Map<NodeId, SimNode>();
  /** The one history: actors' events and the network's message faults, stamped with virtual time. */
  readonly log: HistoryLog;
  private clockMs = 0;
  private timerToken = 0;
  private processed = 0;
  /** Timer entries in the queue that will be ignored when they come up (an estimate, exact after a compaction). */
  private deadTimers = 0;

  constructor(options: RuntimeOptions) {
    this.streams = new PrngStreams(options.seed);
    this.network = new SimNetwork<Message>(options.network ?? DEFAULT_NETWORK, this.streams.get('network'));
    this.log = new HistoryLog({ now: () => this.clockMs, limit: options.historyLimit ?? null });
  }

  /** Virtual time in ms. */
  now(): number {
    return this.clockMs;
  }

  /** Queue items processed so far (for speed figures). */
  get processedCount(): number {
    return this.processed;
  }

  /** Registers a node, stopped (`start` runs it). */
  register(id: NodeId, role: NodeRole, factory: ActorFactory): void {
    assert(!this.nodes.has(id), `node ${id} added twice`);
    this.nodes.set(id, { id, role, factory, actor: null, status: 'stopped', incarnation: 0, timers: new Map(), pending: [] });
  }

  /** Registers a node and starts it. */
  addNode(id: NodeId, role: NodeRole, factory: ActorFactory): void {
    this.register(id, role, factory);
    this.start(id);
  }

  /** Whether the node exists. */
  has(id: NodeId): boolean {
    return this.nodes.has(id);
  }

  /** The node's status, or undefined if unknown. */
  status(id: NodeId): NodeStatus | undefined {
    return this.nodes.get(id)?.status;
  }

  /** The node's role, or undefined if unknown. */
  role(id: NodeId): NodeRole | undefined {
    return this.nodes.get(id)?.role;
  }

  /** The live actor of a running or paused node (for inspection in tests and facades). */
  actor(id: NodeId): Actor | null {
    return this.nodes.get(id)?.actor ?? null;
  }

  /** Node ids with a role, in the order they were added. */
  nodesWithRole(role: NodeRole): NodeId[] {
    const out: NodeId[] = [];
    for (const node of this.nodes.values()) if (node.role === role) out.push(node.id);
    return out;
  }

  /** Starts a stopped node with fresh memory (its random stream continues). */
  start(id: NodeId): void {
    const node = this.mustGet(id);
    if (node.status !== 'stopped') return;
    node.incarnation += 1;
    node.status = 'running';
    this.deadTimers += node.timers.size;
    node.timers.clear();
    node.pending = [];
    node.actor = node.factory(this.contextFor(node));
    node.actor.start();
    this.drainImmediate();
  }

  /**
   * Kills a node: its memory, timers and inbox are gone; messages to it are dropped. So are the
   * messages it sent that have not arrived yet, held by a clog or in flight (a killed process's
   * unsent socket buffers die with it, and its connections with them): a registration held for
   * minutes must not reach the master after its sender is dead, let alone after it came back as
   * another incarnation (fuzz seed 516). Messages a clog holds for it die too: they were for
   * connections that no longer exist.
   */
  stop(id: NodeId): void {
    const node = this.mustGet(id);
    if (node.status === 'stopped') return;
    node.status = 'stopped';
    node.actor = null;
    this.deadTimers += node.timers.size;
    node.timers.clear();
    node.pending = [];
    this.network.dropHeldOf(id);
  }

  /** Pauses a running node (SIGSTOP): deliveries and timers wait until it resumes. */
  pause(id: NodeId): void {
    const node = this.mustGet(id);
    if (node.status !== 'running') return;
    node.status = 'paused';
  }

  /** Resumes a paused node: everything that waited is handled now, in order. */
  resume(id: NodeId): void {
    const node = this.mustGet(id);
    if (node.status !== 'paused') return;
    node.status = 'running';
    const pending = node.pending;
    node.pending = [];
    for (const item of pending) {
      if (node.status !== 'running') {
        node.pending.push(item);
        continue;
      }
      this.handle(node, item);
    }
    this.drainImmediate();
  }

  /** Delivers a message to a node from itself, bypassing the network (executor -> agent). */
  deliverLocal(to: NodeId, message: Message, delayMs = 0): void {
    const node = this.nodes.get(to);
    if (!node || node.status === 'stopped') return;
    this.queue.push(this.clockMs + delayMs, { kind: 'deliver', from: to, to, message, incarnation: node.incarnation, sender: node, senderIncarnation: node.incarnation });
  }

  /** Runs `fn` at now + delayMs (runtime-internal work: executors, swizzle-clog). */
  schedule(delayMs: number, fn: () => void): void {
    this.queue.push(this.clockMs + Math.max(0, delayMs), { kind: 'call', fn });
  }

  /** Appends an event to the history. */
  emit(event: ClusterEvent): void {
    this.log.emit(event);
  }

  /** Subscribes to history records; returns the unsubscribe function. */
  onRecord(listener: RecordListener): () => void {
    return this.log.onRecord(listener);
  }

  /** The retained history (all of it unless a limit was set). */
  history(): readonly HistoryRecord[] {
    return this.log.history();
  }

  /** Sends messages released by an unclog or heal, in their original order. */
  resend(held: ReadonlyArray<HeldMessage<Message>>): void {
    for (const h of held) this.sendFrom(h.from, h.to, h.message);
    this.drainImmediate();
  }

  /** Time of the next queued item (Infinity when idle). */
  nextTimeMs(): number {
    return this.queue.peekTime();
  }

  /** Processes one queued item; false when the queue is empty. */
  step(): boolean {
    if (this.deadTimers >= COMPACT_MIN_DEAD && this.deadTimers * 2 >= this.queue.size) this.compactQueue();
    const item = this.queue.popItem();
    if (item === undefined) return false;
    if (this.queue.poppedAtMs > this.clockMs) this.clockMs = this.queue.poppedAtMs;
    this.processed += 1;
    if (item.kind === 'call') {
      item.fn();
      this.drainImmediate();
      return true;
    }
    const node = this.nodes.get(item.kind === 'deliver' ? item.to : item.node);
    if (!node || node.status === 'stopped' || node.incarnation !== item.incarnation) {
      if (item.kind === 'timer' && this.deadTimers > 0) this.deadTimers -= 1;
      return true;
    }
    if (item.kind === 'deliver' && !senderAlive(item)) return true; // it died with its sender (see stop)
    if (node.status === 'paused') {
      node.pending.push(item);
      return true;
    }
    this.handle(node, item);
    this.drainImmediate();
    return true;
  }

  /** Handles the deliveries due now, including those they cause, in the order they were sent. */
  private drainImmediate(): void {
    if (this.immediateCount === 0) return;
    const { immediateFrom, immediateTo, immediateMessage, immediateIncarnation } = this;
    for (let i = 0; i < this.immediateCount; i += 1) {
      const node = immediateTo[i] as SimNode;
      const message = immediateMessage[i] as Message;
      this.processed += 1;
      // Only a running node's deliveries are made immediate, and nothing stops or pauses a node while actors run.
      if (node.status === 'running' && node.incarnation === immediateIncarnation[i]) node.actor?.receive(immediateFrom[i] as NodeId, message);
    }
    immediateMessage.fill(undefined as unknown as Message, 0, this.immediateCount); // no reference kept to delivered messages
    this.immediateCount = 0;
  }

  /** Processes everything due up to `timeMs`, then sets the clock to `timeMs`. */
  runUntil(timeMs: number): void {
    while (this.queue.peekTime() <= timeMs) this.step();
    if (timeMs > this.clockMs) this.clockMs = timeMs;
  }

  /** Drops dead timer entries from the queue; the live ones keep their order (same history, same hash). */
  private compactQueue(): void {
    this.queue.compact((item) => {
      if (item.kind !== 'timer') return true;
      const node = this.nodes.get(item.node);
      return node !== undefined && node.status !== 'stopped' && node.incarnation === item.incarnation && node.timers.get(item.key) === item.token;
    });
    // Dead entries can still wait in paused nodes' inboxes; they are dropped there when handled.
    this.deadTimers = 0;
  }

  private handle(node: SimNode, item: NodeItem): void {
    const actor = node.actor;
    if (!actor) return;
    if (item.kind === 'deliver') {
      actor.receive(item.from, item.message);
      return;
    }
    if (node.timers.get(item.key) !== item.token) {
      if (this.deadTimers > 0) this.deadTimers -= 1;
      return; // replaced or cancelled
    }
    // Marked, not deleted, while its handler runs: a handler that sets the same timer again (the agent's
    // watchdog, every few seconds per agent) then reuses the map entry. A delete and re-add of the only key
    // made V8 shrink and regrow the map's table each time, garbage that reached the old generation.
    node.timers.set(item.key, FIRED);
    actor.timer(item.key);
    if (node.timers.get(item.key) === FIRED) node.timers.delete(item.key);
  }

  /** Sends a message through the network (NodeContext calls this for a live node). */
  sendFrom(from: NodeId, to: NodeId, message: Message): void {
    const target = this.nodes.get(to);
    if (!target || target.status === 'stopped') return; // connection refused
    const sender = this.nodes.get(from) ?? null;
    const senderIncarnation = sender === null ? 0 : sender.incarnation;
    if (isHeartbeat(message) && target.status === 'running' && this.network.clearAndIdle(from, to, this.clockMs)) {
      const i = this.immediateCount;
      this.immediateFrom[i] = from;
      this.immediateTo[i] = target;
      this.immediateMessage[i] = message;
      this.immediateIncarnation[i] = target.incarnation;
      this.immediateCount = i + 1;
      return;
    }
    if (from === to) {
      this.queue.push(this.clockMs, { kind: 'deliver', from, to, message, incarnation: target.incarnation, sender, senderIncarnation });
      return;
    }
    const fate = this.network.route(from, to, message, this.clockMs);
    switch (fate.kind) {
      case 'deliver':
        this.queue.push(fate.atMs, { kind: 'deliver', from, to, message, incarnation: target.incarnation, sender, senderIncarnation });
        if (fate.duplicateAtMs !== null) {
          this.queue.push(fate.duplicateAtMs, { kind: 'deliver', from, to, message, incarnation: target.incarnation, sender, senderIncarnation });
          this.emit({ type: 'message.duplicated', from, to, message: message.type });
        }
        return;
      case 'lost':
        this.emit({ type: 'message.dropped', from, to, message: message.type, cause: 'loss' });
        return;
      case 'blocked':
      case 'held':
        return;
      default:
        assertNever(fate, 'message fate');
    }
  }

  private contextFor(node: SimNode): ActorContext {
    return new NodeContext(this, node, node.incarnation, this.streams.get(`actor:${node.id}`));
  }

  /** For NodeContext: sets (or replaces) a live node's timer. */
  setTimerOf(node: SimNode, key: string, delayMs: number): void {
    const previous = node.timers.get(key);
    if (previous !== undefined && previous !== FIRED) this.deadTimers += 1; // its queued entry is now dead
    this.timerToken += 1;
    node.timers.set(key, this.timerToken);
    this.queue.push(this.clockMs + Math.max(0, delayMs), { kind: 'timer', node: node.id, key, token: this.timerToken, incarnation: node.incarnation });
  }

  /** For NodeContext: cancels a live node's timer. */
  cancelTimerOf(node: SimNode, key: string): void {
    const previous = node.timers.get(key);
    if (previous === undefined) return;
    node.timers.delete(key);
    if (previous !== FIRED) this.deadTimers += 1;
  }

  private mustGet(id: NodeId): SimNode {
    const node = this.nodes.get(id);
    assert(node, `unknown node ${id}`);
    return node;
  }
}
