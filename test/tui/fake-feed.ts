/**
 * A fake ClusterFeed for TUI tests: it builds ClusterState objects directly
 * (no simulator), records every call, and applies the few fault effects the
 * tests look for (a killed task becomes TASK_KILLED and its service launches a
 * replacement; a killed agent's tasks go LOST; pause/resume; failover).
 */
import { err, ok, type Result } from '../../src/core/errors.js';
import type { ClusterEvent, HistoryRecord } from '../../src/core/events.js';
import { describeFault, type Fault } from '../../src/core/faults.js';
import { EMPTY_RESOURCES, add, resources } from '../../src/core/resources.js';
import { AGENT_STATES, type AgentState, type AgentView, type ClusterState, type FrameworkView, type MasterView, type OfferView, type TaskView } from '../../src/core/state.js';
import { TASK_STATES, isTerminal, type TaskReason, type TaskState } from '../../src/core/task-state.js';
import type { ClusterFeed, ScenarioRunFeed, ScenarioRunSnapshot } from '../../src/tui/source.js';

/** Shape of the fake cluster. */
export interface FakeClusterOptions {
  readonly masters?: number;
  readonly agents?: number;
  /** Tasks per app: web (partition-aware) and api. */
  readonly web?: number;
  readonly api?: number;
  /** Extra history records to start with (beyond the startup ones). */
  readonly extraEvents?: number;
}

/** A scenario run the test drives by hand. */
export class FakeRun implements ScenarioRunFeed {
  private listeners = new Set<() => void>();
  constructor(public state: ScenarioRunSnapshot) {}
  snapshot(): ScenarioRunSnapshot {
    return this.state;
  }
  subscribe(onChange: () => void): () => void {
    this.listeners.add(onChange);
    return () => this.listeners.delete(onChange);
  }
  /** Replaces the run's state and notifies. */
  update(patch: Partial<ScenarioRunSnapshot>): void {
    this.state = { ...this.state, ...patch };
    for (const l of this.listeners) l();
  }
}

/** The fake feed. */
export class FakeFeed implements ClusterFeed {
  readonly seed = '42';
  readonly timingProfile = 'fast';
  readonly injected: Fault[] = [];
  readonly written: string[] = [];
  readonly runsStarted: string[] = [];
  readonly runs: FakeRun[] = [];
  readonly history: HistoryRecord[] = [];
  nowMs = 60_000;
  paused = false;
  speed = 1;
  private listeners = new Set<() => void>();
  private cached: ClusterState | null = null;
  private masters = new Map<string, MasterView>();
  private agents = new Map<string, AgentView>();
  private frameworks = new Map<string, FrameworkView>();
  private tasks = new Map<string, TaskView>();
  private offers = new Map<string, OfferView>();
  private leader: { node: string; masterId: string; epoch: number } | null = null;
  private nextTask = new Map<string, number>();

  readonly clock = {
    paused: (): boolean => this.paused,
    speed: (): number => this.speed,
    setPaused: (paused: boolean): void => {
      this.paused = paused;
      this.changed();
    },
    setSpeed: (speed: number): void => {
      this.speed = speed;
      this.changed();
    },
  };

  constructor(options: FakeClusterOptions = {}) {
    const masterCount = options.masters ?? 3;
    for (let i = 1; i <= masterCount; i += 1) {
      const node = `master-${i}`;
      this.masters.set(node, { node, state: i === 1 ? 'leading' : 'standby', masterId: i === 1 ? 'm1' : null, epoch: i === 1 ? 1 : null, electedAtMs: i === 1 ? 500 : null });
    }
    this.leader = { node: 'master-1', masterId: 'm1', epoch: 1 };
    this.record({ type: 'cluster.started', seed: this.seed, timing: 'fast', masters: [...this.masters.keys()], agents: [] }, 0);
    this.record({ type: 'master.elected', node: 'master-1', masterId: 'm1', epoch: 1 }, 500);
    for (let i = 1; i <= (options.agents ?? 4); i += 1) {
      const agentId = `m1-S${i - 1}`;
      this.agents.set(agentId, {
        agentId,
        host: `agent-${i}`,
        state: 'registered',
        resources: resources({ cpus: 4, mem: 8192 }),
        used: EMPTY_RESOURCES,
        offered: EMPTY_RESOURCES,
        attributes: { rack: `r${i % 2}` },
        taskCount: 0,
        registeredAtMs: 1000,
        unreachableSinceMs: null,
      });
      this.record({ type: 'agent.registered', agentId, host: `agent-${i}`, resources: resources({ cpus: 4, mem: 8192 }), attributes: {}, epoch: 1 }, 1000);
    }
    this.addFramework('m1-0000', 'web', true);
    this.addFramework('m1-0001', 'api', false);
    for (let i = 0; i < (options.web ?? 6); i += 1) this.launch('web', 'm1-0000', 2000 + i * 1000);
    for (let i = 0; i < (options.api ?? 3); i += 1) this.launch('api', 'm1-0001', 3000 + i * 1000);
    const agent = [...this.agents.values()][0];
    if (agent) this.offers.set('m1-O1', { offerId: 'm1-O1', frameworkId: 'm1-0001', agentId: agent.agentId, resources: resources({ cpus: 1, mem: 512 }), createdAtMs: 50_000 });
    for (let i = 0; i < (options.extraEvents ?? 0); i += 1) {
      this.record({ type: 'scheduler.note', frameworkId: 'm1-0000', node: 'scheduler-web', app: 'web', note: `note ${i}` }, 10_000 + i);
    }
  }

  private addFramework(frameworkId: string, name: string, partitionAware: boolean): void {
    this.frameworks.set(frameworkId, {
      frameworkId,
      name,
      node: `scheduler-${name}`,
      roles: ['*'],
      partitionAware,
      state: 'active',
      failoverTimeoutMs: 60_000,
      activeTasks: 0,
      used: EMPTY_RESOURCES,
      offered: EMPTY_RESOURCES,
      subscribedAtMs: 1500,
      disconnectedAtMs: null,
      disconnectReason: null,
    });
    this.record({ type: 'framework.subscribed', frameworkId, name, node: `scheduler-${name}`, roles: ['*'], partitionAware, failoverTimeoutMs: 60_000, epoch: 1 }, 1500);
  }

  /** Launches a RUNNING task of `app` on the least loaded registered agent. */
  launch(app: string, frameworkId: string, atMs: number): TaskView {
    const n = this.nextTask.get(app) ?? 0;
    this.nextTask.set(app, n + 1);
    const candidates = [...this.agents.values()].filter((a) => a.state === 'registered');
    candidates.sort((a, b) => a.taskCount - b.taskCount);
    const agent = candidates[0];
    if (!agent) throw new Error('no agent to launch on');
    const taskId = `${app}.${n}`;
    const task: TaskView = {
      taskId,
      name: app,
      frameworkId,
      agentId: agent.agentId,
      host: agent.host,
      state: 'TASK_RUNNING',
      reason: null,
      resources: resources({ cpus: 0.5, mem: 256 }),
      launchedAtMs: atMs,
      updatedAtMs: atMs + 200,
      history: [
        { atMs, state: 'TASK_STAGING', reason: null, message: null },
        { atMs: atMs + 100, state: 'TASK_STARTING', reason: null, message: null },
        { atMs: atMs + 200, state: 'TASK_RUNNING', reason: null, message: null },
      ],
    };
    this.tasks.set(taskId, task);
    this.agents.set(agent.agentId, { ...agent, taskCount: agent.taskCount + 1, used: add(agent.used, task.resources) });
    this.record({ type: 'task.launched', taskId, frameworkId, agentId: agent.agentId, name: app, resources: task.resources }, atMs);
    this.record({ type: 'task.updated', taskId, frameworkId, agentId: agent.agentId, state: 'TASK_RUNNING', reason: null, source: 'SOURCE_EXECUTOR', message: null }, atMs + 200);
    this.cached = null;
    return task;
  }

  /** Sets a task's state (appending to its history and the event log). */
  setTaskState(taskId: string, state: TaskState, reason: TaskReason | null = null): void {
    const task = this.tasks.get(taskId);
    if (!task) throw new Error(`no task ${taskId}`);
    this.tasks.set(taskId, { ...task, state, reason, updatedAtMs: this.nowMs, history: [...task.history, { atMs: this.nowMs, state, reason, message: null }] });
    this.record({ type: 'task.updated', taskId, frameworkId: task.frameworkId, agentId: task.agentId, state, reason, source: 'SOURCE_MASTER', message: null }, this.nowMs);
    this.changed();
  }

  private setAgentState(host: string, state: AgentState): AgentView | null {
    for (const agent of this.agents.values()) {
      if (agent.host === host) {
        const next = { ...agent, state, unreachableSinceMs: state === 'unreachable' ? this.nowMs : null };
        this.agents.set(agent.agentId, next);
        return next;
      }
    }
    return null;
  }

  private record(event: ClusterEvent, atMs: number): void {
    this.history.push({ ...event, seq: this.history.length, atMs } as HistoryRecord);
  }

  /** Appends an event now and notifies. */
  emit(event: ClusterEvent): void {
    this.record(event, this.nowMs);
    this.changed();
  }

  /** Moves virtual time on and notifies. */
  advance(ms: number): void {
    this.nowMs += ms;
    this.changed();
  }

  private changed(): void {
    this.cached = null;
    for (const l of [...this.listeners]) l();
  }

  snapshot(): ClusterState {
    if (this.cached) return this.cached;
    const tasksByState = Object.fromEntries(TASK_STATES.map((s) => [s, 0])) as Record<TaskState, number>;
    for (const t of this.tasks.values()) tasksByState[t.state] += 1;
    const agentsByState = Object.fromEntries(AGENT_STATES.map((s) => [s, 0])) as Record<AgentState, number>;
    let total = EMPTY_RESOURCES;
    let used = EMPTY_RESOURCES;
    let offered = EMPTY_RESOURCES;
    for (const a of this.agents.values()) {
      agentsByState[a.state] += 1;
      total = add(total, a.resources);
      used = add(used, a.used);
    }
    for (const o of this.offers.values()) offered = add(offered, o.resources);
    const frameworks = new Map<string, FrameworkView>();
    for (const f of this.frameworks.values()) {
      const active = [...this.tasks.values()].filter((t) => t.frameworkId === f.frameworkId && !isTerminal(t.state)).length;
      frameworks.set(f.frameworkId, { ...f, activeTasks: active });
    }
    this.cached = {
      nowMs: this.nowMs,
      seed: this.seed,
      leader: this.leader,
      masters: new Map(this.masters),
      agents: new Map(this.agents),
      frameworks,
      tasks: new Map(this.tasks),
      offers: new Map(this.offers),
      counts: { tasksByState, agentsByState, total, used, offered },
    };
    return this.cached;
  }

  events(sinceSeq: number, limit: number): readonly HistoryRecord[] {
    const fresh = this.history.filter((r) => r.seq > sinceSeq);
    return fresh.slice(Math.max(0, fresh.length - limit));
  }

  subscribe(onChange: () => void): () => void {
    this.listeners.add(onChange);
    return () => this.listeners.delete(onChange);
  }

  /** How many listeners are subscribed (to check unsubscribe). */
  listenerCount(): number {
    return this.listeners.size;
  }

  inject(fault: Fault): Result<string> {
    const applied = this.apply(fault);
    if (!applied.ok) return applied;
    this.injected.push(fault);
    const detail = describeFault(fault);
    this.record({ type: 'fault.injected', fault, detail }, this.nowMs);
    this.changed();
    return ok(detail);
  }

  private apply(fault: Fault): Result<null> {
    switch (fault.kind) {
      case 'kill-task': {
        const task = this.tasks.get(fault.taskId);
        if (!task) return err('UNKNOWN_TARGET', `no task ${fault.taskId}`);
        this.setTaskState(fault.taskId, 'TASK_KILLED');
        this.launch(task.name, task.frameworkId, this.nowMs);
        return ok(null);
      }
      case 'kill-agent': {
        const agent = this.setAgentState(fault.node, 'unreachable');
        if (!agent) return err('UNKNOWN_TARGET', `no agent ${fault.node}`);
        for (const t of [...this.tasks.values()]) if (t.agentId === agent.agentId && !isTerminal(t.state)) this.setTaskState(t.taskId, 'TASK_LOST', 'REASON_AGENT_REMOVED');
        return ok(null);
      }
      case 'pause-agent':
      case 'resume-agent':
        return this.setAgentState(fault.node, fault.kind === 'pause-agent' ? 'paused' : 'registered') ? ok(null) : err('UNKNOWN_TARGET', `no agent ${fault.node}`);
      case 'failover': {
        const next = [...this.masters.values()].find((m) => m.node !== fault.node);
        if (!next || !this.leader) return err('UNKNOWN_TARGET', 'no standby');
        const epoch = this.leader.epoch + 1;
        this.masters.set(fault.node, { ...(this.masters.get(fault.node) as MasterView), state: 'standby' });
        this.masters.set(next.node, { ...next, state: 'leading', masterId: `m${epoch}`, epoch, electedAtMs: this.nowMs });
        this.leader = { node: next.node, masterId: `m${epoch}`, epoch };
        return ok(null);
      }
      default:
        return ok(null);
    }
  }

  writeScenario(path: string): Result<string> {
    if (path.startsWith('/nonexistent/')) return err('IO', `cannot write ${path}: no such directory`);
    this.written.push(path);
    return ok(`wrote ${this.injected.length} faults to ${path}`);
  }

  runScenario(path: string): Result<ScenarioRunFeed> {
    this.runsStarted.push(path);
    if (path === 'missing.yaml') return err('IO', 'cannot read missing.yaml', 'missing.yaml');
    const run = new FakeRun({
      scenario: path.replace(/\.yaml$/, ''),
      phase: 'method',
      steps: [
        { label: 'kill-agent agent-2', state: 'done' },
        { label: 'wait 10s', state: 'running' },
        { label: 'heal', state: 'pending' },
      ],
      checks: [
        { name: 'no-oversubscription', verdict: 'pass', detail: null },
        { name: 'rescheduled-within-bound', verdict: 'pending', detail: null },
      ],
      verdict: null,
      verdictDetail: null,
    });
    this.runs.push(run);
    return ok(run);
  }
}
