/**
 * A minimal partition-aware service framework over the v1 scheduler HTTP API,
 * for live tests: keeps `instances` tasks of `command` running (at most
 * `maxPerAgent` per agent), acknowledges every update, and kills surplus
 * tasks (a task reported RUNNING while `instances` others already run), as
 * Marathon does when an unreachable agent comes back.
 */
import { SchedulerClient, parseMasterAddress, toV1Resources, type MasterEndpoint, type V1Event, type V1Offer } from '../../src/live/scheduler-client/index.js';
import { resources } from '../../src/core/resources.js';

const ACTIVE = new Set(['TASK_STAGING', 'TASK_STARTING', 'TASK_RUNNING']);

/** A task the service knows. */
export interface ServiceTask {
  readonly taskId: string;
  state: string;
  agentId: string;
}

/** The service framework. */
export class LiveService {
  readonly tasks = new Map<string, ServiceTask>();
  readonly killed = new Set<string>();
  /** Every update whose ACKNOWLEDGE the master accepted (202), in the order the acceptances came. */
  readonly acked: Array<{ readonly taskId: string; readonly agentId: string; readonly state: string }> = [];
  /** The latest reconciliation answer (REASON_RECONCILIATION) per task, since `clearReconciled()`. */
  readonly reconciled = new Map<string, string>();
  private readonly client: SchedulerClient;
  private next = 0;
  /** May be raised while running (e.g. to let one agent take every task). */
  maxPerAgent: number;

  /** `redetect`: where to resubscribe after losing the master (a ZooKeeper detector's leader); `trace`: what the service does, for a bench's timeline. */
  constructor(private readonly options: { master: string; instances: number; maxPerAgent: number; command: string; trace?: (what: string) => void; redetect?: () => MasterEndpoint | null }) {
    this.maxPerAgent = options.maxPerAgent;
    const endpoint = parseMasterAddress(options.master);
    if (!endpoint.ok) throw new Error(endpoint.error.message);
    this.client = new SchedulerClient({
      master: endpoint.value,
      subscribeCall: (frameworkId) => {
        const info = { user: 'test', name: 'live-service', role: '*', failover_timeout: 3600, capabilities: [{ type: 'PARTITION_AWARE' }], ...(frameworkId === undefined ? {} : { id: { value: frameworkId } }) };
        return frameworkId === undefined ? { type: 'SUBSCRIBE', subscribe: { framework_info: info } } : { type: 'SUBSCRIBE', framework_id: { value: frameworkId }, subscribe: { framework_info: info } };
      },
      onEvent: (event) => this.onEvent(event),
      ...(options.redetect === undefined ? {} : { redetect: options.redetect }),
    });
  }

  start(): void {
    this.client.start();
  }

  stop(): void {
    this.client.stop();
  }

  /** Tasks active (staging, starting, running) now, per agent id. */
  activeByAgent(): Map<string, string[]> {
    const out = new Map<string, string[]>();
    for (const t of this.tasks.values()) if (ACTIVE.has(t.state)) out.set(t.agentId, [...(out.get(t.agentId) ?? []), t.taskId]);
    return out;
  }

  /** Kills every task it knows (set `maxPerAgent` to 0 first so none is relaunched). */
  killAll(): void {
    for (const t of this.tasks.values()) {
      this.killed.add(t.taskId);
      void this.client.send({ type: 'KILL', framework_id: this.fid(), kill: { task_id: { value: t.taskId }, agent_id: { value: t.agentId } } });
    }
  }

  /** Kills one task; resolves with whether the master accepted the KILL (202). */
  async kill(taskId: string): Promise<boolean> {
    const task = this.tasks.get(taskId);
    if (!task) return false;
    this.killed.add(taskId);
    const sent = await this.client.send({ type: 'KILL', framework_id: this.fid(), kill: { task_id: { value: taskId }, agent_id: { value: task.agentId } } });
    return sent.ok;
  }

  /** Explicit reconciliation of every task it ever launched (with its agent); answers land in `reconciled`. */
  async reconcile(): Promise<boolean> {
    const tasks = [...this.tasks.values()].map((t) => ({ task_id: { value: t.taskId }, ...(t.agentId === '' ? {} : { agent_id: { value: t.agentId } }) }));
    const sent = await this.client.send({ type: 'RECONCILE', framework_id: this.fid(), reconcile: { tasks } });
    return sent.ok;
  }

  clearReconciled(): void {
    this.reconciled.clear();
  }

  /** The master the client talks to now. */
  endpoint(): string {
    return `${this.client.endpoint.host}:${this.client.endpoint.port}`;
  }

  running(): ServiceTask[] {
    return [...this.tasks.values()].filter((t) => t.state === 'TASK_RUNNING');
  }

  private fid(): { value: string } {
    return { value: this.client.frameworkId ?? '' };
  }

  private onEvent(event: V1Event): void {
    if (this.options.trace) this.options.trace(event.type === 'UPDATE' ? `UPDATE ${event.update?.status.task_id.value} ${event.update?.status.state}` : event.type === 'OFFERS' ? `OFFERS ${(event.offers?.offers ?? []).map((o) => o.agent_id.value).join(',')}` : event.type);
    if (event.type === 'OFFERS') for (const offer of event.offers?.offers ?? []) this.onOffer(offer);
    if (event.type === 'UPDATE' && event.update) {
      const status = event.update.status;
      const taskId = status.task_id.value;
      const known = this.tasks.get(taskId);
      const agentId = status.agent_id?.value ?? known?.agentId ?? '';
      const previous = known?.state;
      if (known) {
        known.state = status.state;
        known.agentId = agentId;
      } else this.tasks.set(taskId, { taskId, state: status.state, agentId });
      // A task it did not kill itself is gone: it will want an instance again, so it revives (as Marathon
      // does when it has tasks to launch) rather than wait out the refuse filters of its declines.
      if (known && ACTIVE.has(previous ?? '') && !ACTIVE.has(status.state) && !this.killed.has(taskId)) void this.client.send({ type: 'REVIVE', framework_id: this.fid() });
      if (status.reason === 'REASON_RECONCILIATION') this.reconciled.set(taskId, status.state);
      if (status.uuid !== undefined) {
        const acked = { taskId, agentId, state: status.state };
        void this.client.send({ type: 'ACKNOWLEDGE', framework_id: this.fid(), acknowledge: { agent_id: { value: agentId }, task_id: { value: taskId }, uuid: status.uuid } }).then((sent) => {
          if (sent.ok) this.acked.push(acked);
        });
      }
      if (status.state === 'TASK_RUNNING') {
        const others = [...this.tasks.values()].filter((t) => t.taskId !== taskId && t.state === 'TASK_RUNNING').length;
        if (others >= this.options.instances && !this.killed.has(taskId)) {
          this.killed.add(taskId);
          void this.client.send({ type: 'KILL', framework_id: this.fid(), kill: { task_id: { value: taskId }, agent_id: { value: agentId } } });
        }
      }
    }
  }

  private onOffer(offer: V1Offer): void {
    const active = [...this.tasks.values()].filter((t) => ACTIVE.has(t.state)).length;
    const onAgent = this.activeByAgent().get(offer.agent_id.value)?.length ?? 0;
    const want = Math.min(this.options.instances - active, this.maxPerAgent - onAgent);
    if (want <= 0) {
      void this.client.send({ type: 'DECLINE', framework_id: this.fid(), decline: { offer_ids: [offer.id], filters: { refuse_seconds: 1 } } });
      return;
    }
    const infos = [];
    for (let i = 0; i < want; i += 1) {
      const taskId = `svc-${this.next++}`;
      this.tasks.set(taskId, { taskId, state: 'TASK_STAGING', agentId: offer.agent_id.value });
      infos.push({ name: 'svc', task_id: { value: taskId }, agent_id: offer.agent_id, resources: toV1Resources(resources({ cpus: 0.1, mem: 16 })), command: { value: this.options.command, shell: true } });
    }
    void this.client.send({ type: 'ACCEPT', framework_id: this.fid(), accept: { offer_ids: [offer.id], operations: [{ type: 'LAUNCH', launch: { task_infos: infos } }], filters: { refuse_seconds: 1 } } });
  }
}
