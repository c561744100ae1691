/**
 * The projection's incremental sums against a recount from its own views, over
 * seeded random stories (launches, updates, partitions, host crashes, offers,
 * failovers), checked at many points along the way.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ClusterProjection } from '../../../src/core/projection.js';
import type { OfferId } from '../../../src/core/ids.js';
import type { ClusterState } from '../../../src/core/state.js';
import { isTerminal, type TaskState } from '../../../src/core/task-state.js';
import { story, type Story } from './story.js';
import { seeded } from '../../helpers/random.js';

const HOSTS = ['agent-1', 'agent-2', 'agent-3', 'agent-4'];

/** A random but protocol-shaped story of `steps` steps. */
function randomStory(seed: number, steps: number): { s: Story; checkpoints: number[] } {
  const random = seeded(seed);
  const pick = <T>(items: readonly T[]): T | undefined => items[Math.floor(random() * items.length)];
  const s = story().start({ agents: HOSTS, resources: 'cpus:8;mem:8192;ports:[31000-31100]' }).subscribe('web').subscribe('batch', { partitionAware: false });
  const down = new Set<string>();
  const away = new Set<string>();
  const offers: OfferId[] = [];
  let n = 0;
  const checkpoints: number[] = [];
  for (let step = 0; step < steps; step += 1) {
    s.after(1 + Math.floor(random() * 50));
    const up = HOSTS.filter((h) => !down.has(h) && !away.has(h));
    const live = [...s.taskFacts.keys()].filter((t) => s.isActive(t) && !away.has(s.host(s.taskFacts.get(t)?.agentId ?? '')));
    const roll = random();
    if (roll < 0.3 && up.length > 0) {
      n += 1;
      const ports = random() < 0.3 ? `;ports:[${31000 + (n % 90)}]` : '';
      s.launch(random() < 0.5 ? 'web' : 'batch', `t${n}`, pick(up) ?? 'agent-1', `cpus:0.${1 + (n % 9)};mem:${10 + (n % 7)}${ports}`);
    } else if (roll < 0.6 && live.length > 0) {
      const task = pick(live) ?? '';
      const next: TaskState = pick(['TASK_STARTING', 'TASK_RUNNING', 'TASK_RUNNING', 'TASK_FINISHED', 'TASK_FAILED', 'TASK_KILLED']) ?? 'TASK_RUNNING';
      s.status(task, next);
    } else if (roll < 0.68 && up.length > 1) {
      const host = pick(up) ?? '';
      away.add(host);
      s.unreachable(host);
    } else if (roll < 0.76 && away.size > 0) {
      const host = pick([...away]) ?? '';
      away.delete(host);
      s.reregister(host);
    } else if (roll < 0.8 && up.length > 1) {
      const host = pick(up) ?? '';
      down.add(host);
      s.killHost(host);
      s.emit({ type: 'agent.removed', agentId: s.agentId(host), host, reason: 'killed', epoch: s.currentEpoch() });
    } else if (roll < 0.83 && down.size > 0) {
      const host = pick([...down]) ?? '';
      down.delete(host);
      s.emit({ type: 'node.started', node: host, role: 'agent' }).registerAgent(host, 'cpus:8;mem:8192;ports:[31000-31100]');
    } else if (roll < 0.92 && up.length > 0) {
      s.offer(random() < 0.5 ? 'web' : 'batch', pick(up) ?? 'agent-1', `cpus:0.5;mem:${1 + (step % 5)}${random() < 0.3 ? ';ports:[31095-31100]' : ''}`, (id) => offers.push(id));
    } else if (roll < 0.98 && offers.length > 0) {
      const offerId = offers.splice(Math.floor(random() * offers.length), 1)[0] ?? '';
      s.emit({ type: 'offer.rescinded', offerId, frameworkId: s.frameworkId('web'), reason: 'test' });
    } else {
      s.elect('master-1', s.currentEpoch() + 1);
    }
    if (step % 7 === 0) checkpoints.push(s.records.length);
  }
  return { s, checkpoints };
}

/** Recounts everything from the views and compares with what the projection keeps. */
function assertConsistent(state: ClusterState, where: string, evicted: boolean): void {
  const used = new Map<string, { cpus: number; mem: number; tasks: number }>();
  const fwUsed = new Map<string, { cpus: number; tasks: number }>();
  const byState = new Map<TaskState, number>();
  for (const t of state.tasks.values()) {
    byState.set(t.state, (byState.get(t.state) ?? 0) + 1);
    const agent = state.agents.get(t.agentId);
    if (isTerminal(t.state) || t.state === 'TASK_UNREACHABLE' || !agent || (agent.registry !== 'registered' && agent.registry !== 'disconnected')) continue;
    const u = used.get(t.agentId) ?? { cpus: 0, mem: 0, tasks: 0 };
    used.set(t.agentId, { cpus: u.cpus + t.resources.cpus, mem: u.mem + t.resources.mem, tasks: u.tasks + 1 });
    const f = fwUsed.get(t.frameworkId) ?? { cpus: 0, tasks: 0 };
    fwUsed.set(t.frameworkId, { cpus: f.cpus + t.resources.cpus, tasks: f.tasks + 1 });
  }
  const offered = new Map<string, number>();
  for (const o of state.offers.values()) offered.set(o.agentId, (offered.get(o.agentId) ?? 0) + o.resources.cpus);
  const total = { cpus: 0, used: 0, offered: 0 };
  const agentStates = new Map<string, number>();
  for (const a of state.agents.values()) {
    const u = used.get(a.agentId) ?? { cpus: 0, mem: 0, tasks: 0 };
    assert.equal(round(a.used.cpus), round(u.cpus), `${where}: ${a.agentId} used cpus`);
    assert.equal(round(a.used.mem), round(u.mem), `${where}: ${a.agentId} used mem`);
    assert.equal(a.taskCount, u.tasks, `${where}: ${a.agentId} taskCount`);
    assert.equal(round(a.offered.cpus), round(offered.get(a.agentId) ?? 0), `${where}: ${a.agentId} offered`);
    agentStates.set(a.state, (agentStates.get(a.state) ?? 0) + 1);
    if (a.state === 'registered') {
      total.cpus += a.resources.cpus;
      total.used += a.used.cpus;
      total.offered += a.offered.cpus;
    } else assert.equal(offered.get(a.agentId) ?? 0, 0, `${where}: an offer outlived ${a.agentId} (${a.state})`);
  }
  for (const [state_, count] of Object.entries(state.counts.agentsByState)) assert.equal(count, agentStates.get(state_ as never) ?? 0, `${where}: agents ${state_}`);
  assert.equal(round(state.counts.total.cpus), round(total.cpus), `${where}: total`);
  assert.equal(round(state.counts.used.cpus), round(total.used), `${where}: used`);
  assert.equal(round(state.counts.offered.cpus), round(total.offered), `${where}: offered`);
  for (const f of state.frameworks.values()) {
    assert.equal(f.activeTasks, fwUsed.get(f.frameworkId)?.tasks ?? 0, `${where}: ${f.frameworkId} activeTasks`);
    assert.equal(round(f.used.cpus), round(fwUsed.get(f.frameworkId)?.cpus ?? 0), `${where}: ${f.frameworkId} used`);
  }
  for (const [s, count] of Object.entries(state.counts.tasksByState) as Array<[TaskState, number]>) {
    if (evicted && isTerminal(s)) assert.ok(count >= (byState.get(s) ?? 0), `${where}: ${s}`);
    else assert.equal(count, byState.get(s) ?? 0, `${where}: tasks ${s}`);
  }
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

describe('ClusterProjection: sums agree with a recount', () => {
  for (const seed of [1, 2, 3, 4, 5, 6]) {
    it(`random story, seed ${seed}`, () => {
      const { s, checkpoints } = randomStory(seed, 600);
      const projection = new ClusterProjection();
      let applied = 0;
      for (const upTo of [...checkpoints, s.records.length]) {
        for (; applied < upTo; applied += 1) {
          const r = s.records[applied];
          if (r) projection.apply(r);
        }
        assertConsistent(projection.snapshot(), `seed ${seed} after ${applied} records`, false);
      }
      assert.ok(projection.snapshot().tasks.size > 50, 'the story launched enough tasks to mean something');
    });
  }

  it('stays consistent while evicting terminal tasks', () => {
    const { s } = randomStory(9, 800);
    const projection = new ClusterProjection({ maxTerminalTasks: 10 });
    for (const r of s.records) projection.apply(r);
    const state = projection.snapshot();
    assertConsistent(state, 'evicting', true);
    assert.ok([...state.tasks.values()].filter((t) => isTerminal(t.state)).length <= 10);
  });
});

