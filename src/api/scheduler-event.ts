/**
 * Core master->scheduler messages to v1 scheduler Event JSON (scheduler.proto
 * `message Event`), in the proto's shape, not the docs': OFFERS is
 * `offers:{offers:[...]}`, ERROR is `error:{message}`. Every offer carries
 * `url{scheme, address{hostname, ip, port}, path}` (mesos-framework reads
 * `url.address.ip`). Status uuids go out as Base64 of 16 bytes.
 */
import type { MasterToSchedulerMessage, Offer, TaskStatus } from '../core/messages.js';
import { masterInfoOf, type Address, type Addresses } from './addresses.js';
import { resourcesToV1 } from './resources.js';
import type { StatusUuidCodec } from './status-uuid.js';

/** A v1 Event as a plain object (serialise with JSON.stringify: compact, newlines escaped). */
export type V1Event = { readonly type: string } & Record<string, unknown>;

/** What the translation needs besides the message. */
export interface EventContext {
  readonly addresses: Addresses;
  readonly uuids: StatusUuidCodec;
  /** The address of the master that serves this stream (for SUBSCRIBED's master_info). */
  readonly master: Address;
}

/** Seconds as Mesos's TaskStatus.timestamp (a double). */
function seconds(ms: number): number {
  return ms / 1000;
}

/** A v1 TaskStatus. */
export function taskStatusToV1(status: TaskStatus, uuids: StatusUuidCodec): Record<string, unknown> {
  const out: Record<string, unknown> = {
    task_id: { value: status.taskId },
    state: status.state,
    source: status.source,
    agent_id: { value: status.agentId },
    timestamp: seconds(status.timestampMs),
  };
  if (status.reason !== undefined) out.reason = status.reason;
  if (status.message !== undefined) out.message = status.message;
  if (status.uuid !== undefined) out.uuid = uuids.encode(status.uuid);
  if (status.unreachableTimeMs !== undefined) out.unreachable_time = { nanoseconds: status.unreachableTimeMs * 1_000_000 };
  return out;
}

/** A v1 Offer. */
export function offerToV1(offer: Offer, addresses: Addresses): Record<string, unknown> {
  const agent = addresses.agent(offer.host);
  return {
    id: { value: offer.offerId },
    framework_id: { value: offer.frameworkId },
    agent_id: { value: offer.agentId },
    hostname: agent.hostname,
    url: { scheme: 'http', address: { hostname: agent.hostname, ip: agent.ip, port: agent.port }, path: '/slave(1)' },
    resources: resourcesToV1(offer.resources, offer.role),
    attributes: Object.entries(offer.attributes).map(([name, value]) => ({ name, type: 'TEXT', text: { value } })),
    allocation_info: { role: offer.role },
  };
}

/** The v1 event for a master->scheduler message; `master.subscribed` needs the serving master's id in the message. */
export function schedulerEventOf(message: MasterToSchedulerMessage, context: EventContext): V1Event {
  switch (message.type) {
    case 'master.subscribed':
      return {
        type: 'SUBSCRIBED',
        subscribed: {
          framework_id: { value: message.frameworkId },
          heartbeat_interval_seconds: seconds(message.heartbeatIntervalMs),
          master_info: masterInfoOf(message.masterId, context.master),
        },
      };
    case 'master.offers':
      return { type: 'OFFERS', offers: { offers: message.offers.map((o) => offerToV1(o, context.addresses)) } };
    case 'master.rescind':
      return { type: 'RESCIND', rescind: { offer_id: { value: message.offerId } } };
    case 'master.update':
      return { type: 'UPDATE', update: { status: taskStatusToV1(message.status, context.uuids) } };
    case 'master.failure':
      return { type: 'FAILURE', failure: { agent_id: { value: message.agentId } } };
    case 'master.error':
      return { type: 'ERROR', error: { message: message.message } };
    case 'master.heartbeat':
      return { type: 'HEARTBEAT' };
    default: {
      const never: never = message;
      throw new Error(`unexpected master message ${JSON.stringify(never)}`);
    }
  }
}

/** The ERROR event Mesos sends on the old stream when a framework subscribes again. */
export function failedOverEvent(): V1Event {
  return { type: 'ERROR', error: { message: 'Framework failed over' } };
}
