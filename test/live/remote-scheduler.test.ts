/**
 * A built-in scheduler as a scheduler node on the WebSocket transport
 * (src/live/transport/remote-scheduler.ts), against a live master and a live
 * agent in this process (real task processes, `sleep 30`): a service of 2
 * gets 2 tasks RUNNING; chaos kills never go to a scheduler, a partition
 * isolates it; closing it disconnects its framework; a restarted master is
 * subscribed to again under the same framework id; a wrong secret is refused.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { ClusterEvent } from '../../src/core/events.js';
import { FAST_TIMING } from '../../src/core/timing.js';
import { startLiveAgent, type LiveAgent } from '../../src/live/agent/live-agent.js';
import { createProcessExecutor } from '../../src/live/executor/process-executor.js';
import { startLiveMaster, type LiveMaster, type LiveMasterOptions } from '../../src/live/master/live-master.js';
import { basicAuthHeader } from '../../src/live/transport/auth.js';
import { REMOTE_SCHEDULER_LEADER, startRemoteScheduler, type RemoteScheduler } from '../../src/live/transport/remote-scheduler.js';
import { createServiceScheduler, newSchedulerDisk, serviceAppOf, type SchedulerDisk, type ServiceActor } from '../../src/schedulers/workload.js';
import { until } from '../helpers/live-daemons.js';

const SECRET = 'ws-scheduler-secret';
const NODE = 'scheduler-web';

interface Cluster {
  readonly dir: string;
  master: LiveMaster;
  readonly agent: LiveAgent;
  readonly masterOptions: LiveMasterOptions;
}

async function startCluster(): Promise<Cluster> {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-ws-scheduler-'));
  const masterOptions: LiveMasterOptions = { host: '127.0.0.1', port: 0, workDir: join(dir, 'master'), secret: SECRET, allowChaos: true, timing: FAST_TIMING, heartbeatIntervalMs: 1000 };
  const master = await startLiveMaster(masterOptions);
  assert.ok(master.ok, master.ok ? '' : master.error.message);
  const agent = await startLiveAgent({
    master: `127.0.0.1:${master.value.port}`,
    host: '127.0.0.1',
    port: 0,
    resources: { cpus: 4, mem: 1024, disk: 1000, gpus: 0, ports: [{ begin: 31000, end: 31010 }] },
    attributes: {},
    workDir: join(dir, 'agent'),
    secret: SECRET,
    timing: FAST_TIMING,
    createExecutor: createProcessExecutor,
  });
  if (!agent.ok) {
    await master.value.close();
    assert.fail(agent.error.message);
  }
  return { dir, master: master.value, agent: agent.value, masterOptions };
}

async function stopCluster(cluster: Cluster | null, scheduler: RemoteScheduler<ServiceActor> | null): Promise<void> {
  scheduler?.close();
  if (cluster === null) return;
  await cluster.agent.close({ killTasks: true });
  await cluster.master.close();
  rmSync(cluster.dir, { recursive: true, force: true });
}

function startService(port: number, events: ClusterEvent[], disk: SchedulerDisk = newSchedulerDisk(), secret: string = SECRET): RemoteScheduler<ServiceActor> {
  const app = serviceAppOf({ name: 'web', instances: 2, command: 'sleep 30', resources: { cpus: 0.5, mem: 64, disk: 0, gpus: 0, ports: [] } }, FAST_TIMING);
  return startRemoteScheduler({
    master: `127.0.0.1:${port}`,
    node: NODE,
    secret,
    build: (ctx) => createServiceScheduler(ctx, { app, timing: FAST_TIMING, leader: REMOTE_SCHEDULER_LEADER, disk }),
    emit: (_node, event) => events.push(event),
    minBackoffMs: 50,
    maxBackoffMs: 500,
  });
}

/** The framework's tasks the master has RUNNING. */
function runningOnMaster(master: LiveMaster, frameworkId: string | null): string[] {
  return [...master.state().tasks.values()].filter((t) => t.frameworkId === frameworkId && t.state === 'TASK_RUNNING').map((t) => t.taskId);
}

describe('a built-in scheduler over the WebSocket transport', () => {
  it('runs a service of 2 on a live agent; no chaos kill reaches it, a partition isolates it, closing it disconnects its framework', async () => {
    let cluster: Cluster | null = null;
    let scheduler: RemoteScheduler<ServiceActor> | null = null;
    try {
      cluster = await startCluster();
      const { master } = cluster;
      const events: ClusterEvent[] = [];
      const disk = newSchedulerDisk();
      const svc = startService(master.port, events, disk);
      scheduler = svc;
      const explain = (): string => JSON.stringify({ status: svc.actor.status(), frameworks: [...master.state().frameworks.values()].map((f) => [f.frameworkId, f.node, f.state]) });
      await until('2 tasks RUNNING', () => svc.actor.status().running === 2 && runningOnMaster(master, disk.frameworkId).length === 2, 30_000, explain);
      const framework = [...master.state().frameworks.values()].find((f) => f.frameworkId === disk.frameworkId);
      assert.equal(framework?.node, NODE);
      assert.equal(framework?.state, 'active');
      assert.deepEqual(svc.actor.tasks().map((t) => t.agentId).filter((a, i, all) => all.indexOf(a) === i).length, 1);

      // Chaos kills are for agent processes only.
      assert.equal(master.transport.roleOf(NODE), 'scheduler');
      assert.equal(master.transport.kill(NODE), false);
      assert.equal(master.transport.killTask(NODE, runningOnMaster(master, disk.frameworkId)[0] ?? ''), false);
      assert.equal(master.transport.roleOf(cluster.agent.node), 'agent');

      // A partition of the scheduler node from the master: no heartbeats reach it, its driver notices.
      const inject = async (fault: unknown): Promise<{ status: number; body: string }> => {
        const res = await fetch(`http://127.0.0.1:${master.port}/api/v1`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Accept: 'application/json', Authorization: basicAuthHeader(SECRET) },
          body: JSON.stringify({ type: 'FAULTLINE_INJECT_FAULT', faultline_inject_fault: { fault } }),
        });
        return { status: res.status, body: await res.text() };
      };
      const partition = await inject({ kind: 'partition', groups: [[NODE], ['master-1']], oneWay: false });
      assert.equal(partition.status, 200, partition.body);
      assert.match(partition.body, /scheduler-web->master-1 in the transport until heal/);
      const noted = (): boolean => events.some((e) => e.type === 'scheduler.note' && /no word from master-1/.test(e.note));
      await until('the scheduler misses the heartbeats', noted, 15_000, explain);
      assert.equal((await inject({ kind: 'heal' })).status, 200);
      await until('resubscribed after the heal', () => svc.actor.status().running === 2 && master.state().frameworks.get(disk.frameworkId ?? '')?.state === 'active', 15_000, explain);

      // Its connection is its subscription: closing it disconnects the framework (the failover timeout starts).
      svc.close();
      await until('the framework disconnected', () => master.state().frameworks.get(disk.frameworkId ?? '')?.state === 'disconnected', 10_000, explain);
      assert.equal(master.state().frameworks.get(disk.frameworkId ?? '')?.disconnectReason, 'the WebSocket connection closed');
      assert.equal(runningOnMaster(master, disk.frameworkId).length, 2, 'its tasks keep running');
    } finally {
      await stopCluster(cluster, scheduler);
    }
  });

  it('subscribes again under the same framework id to a restarted master', async () => {
    let cluster: Cluster | null = null;
    let scheduler: RemoteScheduler<ServiceActor> | null = null;
    try {
      cluster = await startCluster();
      const c = cluster;
      const events: ClusterEvent[] = [];
      const disk = newSchedulerDisk();
      const svc = startService(c.master.port, events, disk);
      scheduler = svc;
      await until('2 tasks RUNNING', () => svc.actor.status().running === 2, 30_000);
      const frameworkId = disk.frameworkId;
      assert.notEqual(frameworkId, null);
      const port = c.master.port;
      await c.master.close();
      await until('the scheduler saw the connection go', () => !svc.connected(), 10_000);
      const again = await startLiveMaster({ ...c.masterOptions, port });
      assert.ok(again.ok, again.ok ? '' : again.error.message);
      c.master = again.value;
      const explain = (): string => JSON.stringify({ status: svc.actor.status(), frameworks: [...again.value.state().frameworks.values()].map((f) => [f.frameworkId, f.node, f.state]) });
      await until('resubscribed to the new master', () => again.value.state().frameworks.get(frameworkId ?? '')?.state === 'active', 20_000, explain);
      assert.equal(disk.frameworkId, frameworkId);
      await until('2 tasks RUNNING on the new master', () => svc.actor.status().running === 2 && runningOnMaster(again.value, frameworkId).length === 2, 30_000, explain);
    } finally {
      await stopCluster(cluster, scheduler);
    }
  });

  it('is refused with a wrong secret', async () => {
    let cluster: Cluster | null = null;
    let scheduler: RemoteScheduler<ServiceActor> | null = null;
    try {
      cluster = await startCluster();
      const lines: string[] = [];
      const app = serviceAppOf({ name: 'web', instances: 1, command: 'sleep 30' }, FAST_TIMING);
      scheduler = startRemoteScheduler({
        master: `127.0.0.1:${cluster.master.port}`,
        node: NODE,
        secret: 'wrong',
        build: (ctx) => createServiceScheduler(ctx, { app, timing: FAST_TIMING, leader: REMOTE_SCHEDULER_LEADER, disk: newSchedulerDisk() }),
        log: (line) => lines.push(line),
      });
      await until('refused', () => lines.some((l) => /refused: unauthorized/.test(l)), 10_000, () => lines.join('\n'));
      assert.equal(scheduler.connected(), false);
      assert.equal(cluster.master.state().frameworks.size, 0);
    } finally {
      await stopCluster(cluster, scheduler);
    }
  });
});
