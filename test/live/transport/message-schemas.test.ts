/**
 * A schema per core message type on the wire (src/live/transport/message-schemas.ts):
 * one valid sample of every type each role sends and receives passes (the
 * sample tables are keyed by the unions' `type`, so a new message type fails to
 * compile here until it has a sample), a broken field of each is refused, and
 * each role's messages are refused on the other role's connection.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AgentMessage, MasterRedirectMessage, MasterToAgentMessage, MasterToSchedulerMessage, SchedulerMessage, TaskInfo, TaskStatus } from '../../../src/core/messages.js';
import { decodeClientFrame, decodeMasterFrame, encodeFrame, problemOf, type ClientRole } from '../../../src/live/transport/protocol.js';

type Samples<M extends { type: string }> = { readonly [K in M['type']]: Extract<M, { type: K }> };

const resources = { cpus: 1, mem: 128, disk: 0, gpus: 0, ports: [{ begin: 31000, end: 31000 }] };
const task: TaskInfo = { taskId: 'web.000001', name: 'web', agentId: 'm-S0', resources, command: 'sleep 30', labels: { app: 'web' } };
const status: TaskStatus = { taskId: 'web.000001', frameworkId: 'f-1', agentId: 'm-S0', state: 'TASK_RUNNING', source: 'SOURCE_EXECUTOR', uuid: 'u1', timestampMs: 1 };
const framework = { frameworkId: 'f-1', name: 'web', schedulerNode: 'scheduler-web', partitionAware: true };

const AGENT: Samples<AgentMessage> = {
  'agent.register': { type: 'agent.register', host: 'h', resources, attributes: { rack: 'r1' }, bootId: 'b' },
  'agent.reregister': { type: 'agent.reregister', agentId: 'm-S0', host: 'h', resources, attributes: {}, tasks: [{ task, frameworkId: 'f-1', state: 'TASK_RUNNING' }], frameworks: [framework] },
  'agent.pong': { type: 'agent.pong', agentId: 'm-S0', epoch: 1 },
  'agent.status_update': { type: 'agent.status_update', agentId: 'm-S0', update: { frameworkId: 'f-1', status, latestState: 'TASK_RUNNING' } },
};

const TO_AGENT: Samples<MasterToAgentMessage> = {
  'master.agent_registered': { type: 'master.agent_registered', epoch: 1, masterId: 'm', agentId: 'm-S0' },
  'master.agent_reregistered': { type: 'master.agent_reregistered', epoch: 1, masterId: 'm', agentId: 'm-S0', reconciliations: [{ frameworkId: 'f-1', partitionAware: true, taskIds: ['t'] }] },
  'master.ping': { type: 'master.ping', epoch: 1, agentId: 'm-S0' },
  'master.run_task': { type: 'master.run_task', epoch: 1, framework, task },
  'master.kill_task': { type: 'master.kill_task', epoch: 1, frameworkId: 'f-1', taskId: 't' },
  'master.status_update_ack': { type: 'master.status_update_ack', epoch: 1, frameworkId: 'f-1', taskId: 't', uuid: 'u1' },
  'master.shutdown_framework': { type: 'master.shutdown_framework', epoch: 1, frameworkId: 'f-1' },
  'master.shutdown_agent': { type: 'master.shutdown_agent', epoch: 1, reason: 'bye' },
};

const SCHEDULER: Samples<SchedulerMessage> = {
  'scheduler.subscribe': {
    type: 'scheduler.subscribe',
    framework: { frameworkId: 'f-1', name: 'web', user: 'root', roles: ['*'], capabilities: { partitionAware: true, taskKillingState: false }, failoverTimeoutMs: 60_000, checkpoint: true },
  },
  'scheduler.accept': { type: 'scheduler.accept', frameworkId: 'f-1', offerIds: ['o1'], operations: [{ type: 'LAUNCH', tasks: [task] }], refuseMs: 5000 },
  'scheduler.decline': { type: 'scheduler.decline', frameworkId: 'f-1', offerIds: ['o1', 'o2'], refuseMs: 1000 },
  'scheduler.revive': { type: 'scheduler.revive', frameworkId: 'f-1', roles: ['*'] },
  'scheduler.suppress': { type: 'scheduler.suppress', frameworkId: 'f-1' },
  'scheduler.kill': { type: 'scheduler.kill', frameworkId: 'f-1', taskId: 't', agentId: 'm-S0' },
  'scheduler.acknowledge': { type: 'scheduler.acknowledge', frameworkId: 'f-1', agentId: 'm-S0', taskId: 't', uuid: 'u1' },
  'scheduler.reconcile': { type: 'scheduler.reconcile', frameworkId: 'f-1', tasks: [{ taskId: 't' }, { taskId: 'u', agentId: 'm-S0' }] },
  'scheduler.teardown': { type: 'scheduler.teardown', frameworkId: 'f-1' },
  'scheduler.heartbeat': { type: 'scheduler.heartbeat', frameworkId: 'f-1' },
  'scheduler.disconnected': { type: 'scheduler.disconnected', frameworkId: 'f-1', reason: 'closing' },
};

const TO_SCHEDULER: Samples<MasterToSchedulerMessage | MasterRedirectMessage> = {
  'master.subscribed': { type: 'master.subscribed', epoch: 1, masterId: 'm', frameworkId: 'f-1', heartbeatIntervalMs: 1000 },
  'master.offers': { type: 'master.offers', epoch: 1, offers: [{ offerId: 'o1', frameworkId: 'f-1', agentId: 'm-S0', host: 'h', role: '*', resources, attributes: { rack: 'r1' } }] },
  'master.rescind': { type: 'master.rescind', epoch: 1, offerId: 'o1' },
  'master.update': { type: 'master.update', epoch: 1, status: { ...status, reason: 'REASON_AGENT_REREGISTERED', message: 'back', unreachableTimeMs: 5 } },
  'master.failure': { type: 'master.failure', epoch: 1, agentId: 'm-S0' },
  'master.error': { type: 'master.error', epoch: 1, message: 'framework removed' },
  'master.heartbeat': { type: 'master.heartbeat', epoch: 1 },
  'master.redirect': { type: 'master.redirect', epoch: 2, leader: null },
};

function clientCode(message: unknown, role: ClientRole | null): string | null {
  const decoded = decodeClientFrame(JSON.stringify({ v: 1, type: 'message', message }), role);
  return decoded.ok ? null : problemOf(decoded.error.message).code;
}

function masterCode(message: unknown, role: ClientRole): string | null {
  const decoded = decodeMasterFrame(JSON.stringify({ v: 1, type: 'message', message }), role);
  return decoded.ok ? null : problemOf(decoded.error.message).code;
}

/** The sample with its first field (after `type`) set to a value no schema takes. */
function broken(message: object): object {
  const [field] = Object.keys(message).filter((k) => k !== 'type');
  assert.ok(field !== undefined);
  return { ...message, [field]: { nested: true } };
}

describe('message schemas', () => {
  it('take a valid sample of every message type of each direction and role', () => {
    for (const m of Object.values(AGENT)) assert.equal(clientCode(m, 'agent'), null, m.type);
    for (const m of Object.values(SCHEDULER)) assert.equal(clientCode(m, 'scheduler'), null, m.type);
    for (const m of Object.values(TO_AGENT)) assert.equal(masterCode(m, 'agent'), null, m.type);
    for (const m of Object.values(TO_SCHEDULER)) assert.equal(masterCode(m, 'scheduler'), null, m.type);
    assert.equal(masterCode({ ...TO_SCHEDULER['master.redirect'], leader: 'master-2' }, 'scheduler'), null);
  });

  it('refuse a wrongly typed field of every message type', () => {
    for (const m of Object.values(AGENT)) assert.equal(clientCode(broken(m), 'agent'), 'schema', m.type);
    for (const m of Object.values(SCHEDULER)) assert.equal(clientCode(broken(m), 'scheduler'), 'schema', m.type);
    for (const m of Object.values(TO_AGENT)) assert.equal(masterCode(broken(m), 'agent'), 'schema', m.type);
    for (const m of Object.values(TO_SCHEDULER)) assert.equal(masterCode(broken(m), 'scheduler'), 'schema', m.type);
    assert.equal(clientCode({ ...SCHEDULER['scheduler.accept'], operations: [{ type: 'RESERVE', tasks: [] }] }, 'scheduler'), 'schema');
    assert.equal(clientCode({ ...SCHEDULER['scheduler.subscribe'], framework: { name: 'web', roles: [1], capabilities: { partitionAware: true }, failoverTimeoutMs: 0 } }, 'scheduler'), 'schema');
  });

  it("refuse one role's messages on the other role's connection", () => {
    for (const m of Object.values(AGENT)) assert.equal(clientCode(m, 'scheduler'), 'schema', m.type);
    for (const m of Object.values(SCHEDULER)) assert.equal(clientCode(m, 'agent'), 'schema', m.type);
    for (const m of Object.values(TO_AGENT)) assert.equal(masterCode(m, 'scheduler'), 'schema', m.type);
    for (const m of Object.values(TO_SCHEDULER)) assert.equal(masterCode(m, 'agent'), 'schema', m.type);
    // Before the hello any client's message passes its schema (the transport then refuses it as unexpected).
    assert.equal(clientCode(AGENT['agent.pong'], null), null);
    assert.equal(clientCode(SCHEDULER['scheduler.heartbeat'], null), null);
  });
});

describe('hello and chaos frames by role', () => {
  const hello = (frame: object): string | null => {
    const decoded = decodeClientFrame(JSON.stringify({ v: 1, type: 'hello', ...frame }), null);
    return decoded.ok ? null : problemOf(decoded.error.message).code;
  };

  it('takes a scheduler hello without listen, and wants listen of an agent', () => {
    assert.equal(hello({ node: 'scheduler-web', role: 'scheduler' }), null);
    assert.equal(hello({ node: 'scheduler-web', role: 'scheduler', proof: 'ab' }), null);
    const decoded = decodeClientFrame(encodeFrame({ type: 'hello', node: 'scheduler-web', role: 'scheduler' }), null);
    assert.deepEqual(decoded.ok ? decoded.value : null, { v: 1, type: 'hello', node: 'scheduler-web', role: 'scheduler' });
    assert.equal(hello({ node: '127.0.0.1:5051', role: 'agent' }), 'schema');
    assert.equal(hello({ node: '127.0.0.1:5051', role: 'agent', listen: { ip: '127.0.0.1', port: 5051 } }), null);
    assert.equal(hello({ node: 'x', role: 'observer' }), 'schema');
    assert.equal(hello({ node: 'x', role: 'operator' }), null, 'an operator client (operator-role.ts) says hello without listen');
    assert.equal(hello({ node: 7, role: 'scheduler' }), 'schema');
  });

  it('lets a scheduler refuse the chaos frames an agent obeys', () => {
    for (const frame of [{ type: 'kill' }, { type: 'kill_task', taskId: 't' }]) {
      assert.ok(decodeMasterFrame(JSON.stringify({ v: 1, ...frame }), 'agent').ok);
      const decoded = decodeMasterFrame(JSON.stringify({ v: 1, ...frame }), 'scheduler');
      assert.equal(decoded.ok ? null : problemOf(decoded.error.message).code, 'schema');
    }
  });
});
