/**
 * The v1 scheduler API (`POST /api/v1/scheduler`) of every served master.
 * Each HTTP framework is a proxy node (`http-fw-N`) on the cluster's network;
 * it keeps its node across resubscriptions (so a partition of that node holds
 * across reconnects). SUBSCRIBE answers 200 at once with a Mesos-Stream-Id and
 * writes SUBSCRIBED when the master's answer reaches the proxy, then every
 * event, one RecordIO record per write. A second SUBSCRIBE of the framework
 * ends the old stream with ERROR "Framework failed over". A stream that closes
 * tells the master at once (`scheduler.disconnected`); the streams of a master
 * that stops leading close (server.ts says when). Other calls answer 202
 * (UPDATE_FRAMEWORK 200) with an empty body.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Addresses } from '../../api/addresses.js';
import { gateFrameworkCall, gateSubscribe, type FrameworkStanding } from '../../api/gate.js';
import { encodeRecord } from '../../api/recordio.js';
import { parseSchedulerCall, type ParsedCall } from '../../api/scheduler-call.js';
import { failedOverEvent, schedulerEventOf, type V1Event } from '../../api/scheduler-event.js';
import { StatusUuidCodec } from '../../api/status-uuid.js';
import type { HistoryRecord } from '../../core/events.js';
import type { FrameworkId, NodeId } from '../../core/ids.js';
import type { MasterToSchedulerMessage } from '../../core/messages.js';
import { sendError } from './respond.js';
import { createSchedulerProxy, type SchedulerProxy } from './scheduler-proxy.js';
import type { ServedWorld } from './world.js';

/** One open subscription stream. */
interface Stream {
  readonly res: ServerResponse;
  readonly streamId: string;
  /** The master it was opened at. */
  readonly master: NodeId;
  /** Until SUBSCRIBED is written nothing else is. */
  subscribed: boolean;
  /** Ended by faultline (failover, master change): no `scheduler.disconnected` for it. */
  closing: boolean;
}

/** An HTTP framework: its proxy node and its current stream. */
interface Link {
  readonly node: NodeId;
  proxy: SchedulerProxy | null;
  frameworkId: FrameworkId | null;
  stream: Stream | null;
}

/** Options of the endpoint. */
export interface SchedulerEndpointOptions {
  readonly world: ServedWorld;
  readonly addresses: () => Addresses;
  /** Prefix of the proxy node ids. */
  readonly nodePrefix?: string;
}

/** The scheduler API shared by all served masters. */
export class SchedulerEndpoint {
  private readonly uuids = new StatusUuidCodec();
  private readonly links = new Map<NodeId, Link>();
  private readonly byFramework = new Map<FrameworkId, Link>();
  /** What the history says of each framework (cheaper per call than a projection snapshot). */
  private readonly frameworkStates = new Map<FrameworkId, 'active' | 'disconnected' | 'removed'>();
  private nextNode = 1;

  constructor(private readonly options: SchedulerEndpointOptions) {
    for (const f of options.world.state().frameworks.values()) this.frameworkStates.set(f.frameworkId, f.state);
  }

  /** Handles a call whose gate (leadership, method, Content-Type) passed at `master`. */
  handle(master: NodeId, req: IncomingMessage, res: ServerResponse, body: string): void {
    const parsed = parseSchedulerCall(body, this.uuids);
    if (!parsed.ok) return sendError(res, parsed.error);
    const call = parsed.value;
    if (call.kind === 'subscribe') return this.subscribe(master, req, res, call);
    const gated = gateFrameworkCall(call.frameworkId, req.headers, this.standing(call.frameworkId));
    if (!gated.ok) return sendError(res, gated.error);
    const link = this.byFramework.get(call.frameworkId);
    if (!link?.proxy) return sendError(res, { status: 403, message: 'Framework is not subscribed' });
    if (call.message === null) link.proxy.note(call.type, call.frameworkId, 'accepted, not modelled by faultline');
    else {
      if (call.message.type === 'scheduler.acknowledge') link.proxy.acknowledged(call.frameworkId, call.message.taskId, call.message.uuid);
      link.proxy.call(master, call.message, call.type, call.frameworkId);
    }
    res.writeHead(call.type === 'UPDATE_FRAMEWORK' ? 200 : 202, { 'Content-Length': 0 });
    res.end();
  }

  /** Ends every stream opened at `master` (it stopped leading or stopped). */
  closeStreamsOf(master: NodeId): void {
    for (const link of this.links.values()) {
      if (link.stream?.master === master) this.endStream(link, null, false);
    }
  }

  /** Follows the history's framework records (the standing of a call is read from them). */
  onRecord(record: HistoryRecord): void {
    switch (record.type) {
      case 'framework.subscribed':
      case 'framework.resubscribed':
        this.frameworkStates.set(record.frameworkId, 'active');
        return;
      case 'framework.disconnected':
        this.frameworkStates.set(record.frameworkId, 'disconnected');
        return;
      case 'framework.removed': {
        this.frameworkStates.set(record.frameworkId, 'removed');
        // Torn down (TEARDOWN, failover timeout): its stream ends, as Mesos closes it.
        const link = this.byFramework.get(record.frameworkId);
        if (link?.stream) this.endStream(link, null, false);
        return;
      }
      default:
        return;
    }
  }

  /** Ends every stream (server shutdown). */
  closeAll(): void {
    for (const link of this.links.values()) if (link.stream) this.endStream(link, null, false);
  }

  /** How many streams are open (for tests and the CLI). */
  openStreams(): number {
    let n = 0;
    for (const link of this.links.values()) if (link.stream) n += 1;
    return n;
  }

  private standing(frameworkId: FrameworkId): FrameworkStanding {
    const state = this.frameworkStates.get(frameworkId);
    if (state === undefined || state === 'removed') return { kind: 'unknown' };
    if (state === 'disconnected') return { kind: 'disconnected' };
    const link = this.byFramework.get(frameworkId);
    if (!link) return { kind: 'not_http' };
    if (!link.stream || !link.stream.subscribed) return { kind: 'disconnected' };
    return { kind: 'subscribed', streamId: link.stream.streamId };
  }

  private subscribe(master: NodeId, req: IncomingMessage, res: ServerResponse, call: Extract<ParsedCall, { kind: 'subscribe' }>): void {
    const gated = gateSubscribe(req.headers, 'scheduler');
    if (!gated.ok) return sendError(res, gated.error);
    const requested = call.framework.frameworkId;
    let link = requested === undefined ? undefined : this.byFramework.get(requested);
    if (link?.stream) {
      this.write(link.stream, failedOverEvent());
      this.endStream(link, null, false);
    }
    if (!link) link = this.newLink();
    const stream: Stream = { res, streamId: randomUUID(), master, subscribed: false, closing: false };
    link.stream = stream;
    res.writeHead(200, { 'Content-Type': 'application/json', 'Mesos-Stream-Id': stream.streamId, 'Cache-Control': 'no-cache' });
    res.flushHeaders();
    const owner = link;
    res.on('close', () => this.onClosed(owner, stream));
    link.proxy?.call(master, { type: 'scheduler.subscribe', framework: call.framework }, 'SUBSCRIBE', requested ?? null);
  }

  private newLink(): Link {
    const node = `${this.options.nodePrefix ?? 'http-fw'}-${this.nextNode++}`;
    const link: Link = { node, proxy: null, frameworkId: null, stream: null };
    this.links.set(node, link);
    this.options.world.addFrameworkNode(node, (ctx) => {
      const proxy = createSchedulerProxy(ctx, {
        deliver: (from, message) => this.onMessage(link, from, message),
        redirected: (from) => {
          if (link.stream?.master === from) this.endStream(link, null, false);
        },
      });
      link.proxy = proxy;
      return proxy;
    });
    return link;
  }

  private onMessage(link: Link, from: NodeId, message: MasterToSchedulerMessage): void {
    const stream = link.stream;
    if (!stream || stream.master !== from || stream.closing) return;
    if (!stream.subscribed) {
      if (message.type === 'master.error') {
        this.endStream(link, schedulerEventOf(message, this.eventContext(from)), false);
        return;
      }
      if (message.type !== 'master.subscribed') return; // events of an older subscription
      stream.subscribed = true;
      if (link.frameworkId !== null && link.frameworkId !== message.frameworkId) this.byFramework.delete(link.frameworkId);
      link.frameworkId = message.frameworkId;
      this.byFramework.set(message.frameworkId, link);
      link.proxy?.keepAlive({ master: from, frameworkId: message.frameworkId, intervalMs: message.heartbeatIntervalMs });
    }
    const event = schedulerEventOf(message, this.eventContext(from));
    if (message.type === 'master.error') this.endStream(link, event, false);
    else {
      this.write(stream, event);
      if (message.type === 'master.update') link.proxy?.delivered(message.status, message.epoch);
    }
  }

  private eventContext(master: NodeId) {
    const addresses = this.options.addresses();
    const address = addresses.master(master) ?? { hostname: master, ip: '0.0.0.0', port: 0 };
    return { addresses, uuids: this.uuids, master: address };
  }

  private write(stream: Stream, event: V1Event): void {
    const res = stream.res;
    if (res.writableEnded || res.destroyed) return;
    // Still one write (one HTTP chunk) per record; a burst goes out in one socket write: corked here,
    // uncorked after this turn (a simulation step; live, every message the node host delivers in
    // this turn, each in its own setImmediate: so not on process.nextTick).
    if (res.writableCorked === 0) {
      res.cork();
      setImmediate(() => {
        if (!res.writableEnded) res.uncork();
      });
    }
    res.write(encodeRecord(JSON.stringify(event)));
  }

  /** Ends the link's stream (after `last`, if given); `tellMaster` sends `scheduler.disconnected`. */
  private endStream(link: Link, last: V1Event | null, tellMaster: boolean): void {
    const stream = link.stream;
    if (!stream) return;
    stream.closing = true;
    link.stream = null;
    link.proxy?.keepAlive(null);
    if (last) this.write(stream, last);
    if (tellMaster && link.frameworkId !== null) {
      link.proxy?.call(stream.master, { type: 'scheduler.disconnected', frameworkId: link.frameworkId, reason: 'subscription stream closed' }, 'DISCONNECT', link.frameworkId);
    }
    if (!stream.res.writableEnded) stream.res.end();
  }

  private onClosed(link: Link, stream: Stream): void {
    if (link.stream !== stream || stream.closing) return;
    // The client went away: the master learns it now, as Mesos does from the broken connection.
    this.endStream(link, null, true);
  }
}
