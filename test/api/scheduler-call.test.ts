import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseSchedulerCall } from '../../src/api/scheduler-call.js';
import { StatusUuidCodec } from '../../src/api/status-uuid.js';

const FW = { framework_id: { value: 'm-0000' } };
const uuids = new StatusUuidCodec();
const GOOD_UUID = uuids.encode('0123456789abcdef');

function parse(body: unknown) {
  return parseSchedulerCall(typeof body === 'string' ? body : JSON.stringify(body), uuids);
}

describe('v1 scheduler calls -> core messages', () => {
  const cases: Array<{ name: string; call: unknown; expect: unknown }> = [
    {
      name: 'SUBSCRIBE with nulls (as mesos-framework sends them), capabilities, role',
      call: {
        type: 'SUBSCRIBE',
        framework_id: null,
        accept: null,
        subscribe: { framework_info: { user: 'root', name: 'hello', id: null, failover_timeout: 604800, role: 'web', capabilities: [{ type: 'PARTITION_AWARE' }], hostname: null, extra_unknown: 3 } },
      },
      expect: {
        kind: 'subscribe',
        type: 'SUBSCRIBE',
        framework: { name: 'hello', user: 'root', roles: ['web'], capabilities: { partitionAware: true, taskKillingState: false }, failoverTimeoutMs: 604_800_000, checkpoint: false },
      },
    },
    {
      name: 'SUBSCRIBE with an id (failover) and MULTI_ROLE roles',
      call: { type: 'SUBSCRIBE', framework_id: { value: 'm-0001' }, subscribe: { framework_info: { user: 'u', name: 'n', id: { value: 'm-0001' }, roles: ['a', 'b'], capabilities: [{ type: 'MULTI_ROLE' }] } } },
      expect: { kind: 'subscribe', type: 'SUBSCRIBE', framework: { name: 'n', user: 'u', roles: ['a', 'b'], capabilities: { partitionAware: false, taskKillingState: false }, failoverTimeoutMs: 0, checkpoint: false, frameworkId: 'm-0001' } },
    },
    { name: 'TEARDOWN', call: { ...FW, type: 'TEARDOWN' }, expect: { kind: 'call', type: 'TEARDOWN', frameworkId: 'm-0000', message: { type: 'scheduler.teardown', frameworkId: 'm-0000' } } },
    {
      name: 'ACCEPT with LAUNCH (resources array, shell command, sleep N gives a duration), filters',
      call: {
        ...FW,
        type: 'ACCEPT',
        accept: {
          offer_ids: [{ value: 'm-O1' }],
          operations: [
            {
              type: 'LAUNCH',
              launch: {
                task_infos: [
                  {
                    name: 'hello',
                    task_id: { value: 't1' },
                    agent_id: { value: 'm-S0' },
                    resources: [
                      { name: 'cpus', type: 'SCALAR', scalar: { value: 1 } },
                      { name: 'mem', type: 'SCALAR', scalar: { value: 128 } },
                      { name: 'ports', type: 'RANGES', ranges: { range: [{ begin: 31000, end: 31001 }] } },
                    ],
                    command: { shell: true, value: 'sleep 10' },
                  },
                ],
              },
            },
          ],
          filters: { refuse_seconds: 2.5 },
        },
      },
      expect: {
        kind: 'call',
        type: 'ACCEPT',
        frameworkId: 'm-0000',
        message: {
          type: 'scheduler.accept',
          frameworkId: 'm-0000',
          offerIds: ['m-O1'],
          operations: [
            { type: 'LAUNCH', tasks: [{ taskId: 't1', name: 'hello', agentId: 'm-S0', resources: { cpus: 1, mem: 128, disk: 0, gpus: 0, ports: [{ begin: 31000, end: 31001 }] }, command: 'sleep 10', durationMs: 10_000 }] },
          ],
          refuseMs: 2_500,
        },
      },
    },
    {
      name: 'DECLINE',
      call: { ...FW, type: 'DECLINE', decline: { offer_ids: [{ value: 'm-O2' }] } },
      expect: { kind: 'call', type: 'DECLINE', frameworkId: 'm-0000', message: { type: 'scheduler.decline', frameworkId: 'm-0000', offerIds: ['m-O2'] } },
    },
    {
      name: 'REVIVE with roles[] (the proto, not the docs\' "role")',
      call: { ...FW, type: 'REVIVE', revive: { roles: ['web'] } },
      expect: { kind: 'call', type: 'REVIVE', frameworkId: 'm-0000', message: { type: 'scheduler.revive', frameworkId: 'm-0000', roles: ['web'] } },
    },
    { name: 'REVIVE without a body: all roles', call: { ...FW, type: 'REVIVE' }, expect: { kind: 'call', type: 'REVIVE', frameworkId: 'm-0000', message: { type: 'scheduler.revive', frameworkId: 'm-0000' } } },
    {
      name: 'SUPPRESS with roles',
      call: { ...FW, type: 'SUPPRESS', suppress: { roles: ['a'] } },
      expect: { kind: 'call', type: 'SUPPRESS', frameworkId: 'm-0000', message: { type: 'scheduler.suppress', frameworkId: 'm-0000', roles: ['a'] } },
    },
    {
      name: 'KILL',
      call: { ...FW, type: 'KILL', kill: { task_id: { value: 't1' }, agent_id: { value: 'm-S0' } } },
      expect: { kind: 'call', type: 'KILL', frameworkId: 'm-0000', message: { type: 'scheduler.kill', frameworkId: 'm-0000', taskId: 't1', agentId: 'm-S0' } },
    },
    {
      name: 'ACKNOWLEDGE maps the 16-byte uuid back to the core uuid',
      call: { ...FW, type: 'ACKNOWLEDGE', acknowledge: { agent_id: { value: 'm-S0' }, task_id: { value: 't1' }, uuid: GOOD_UUID } },
      expect: { kind: 'call', type: 'ACKNOWLEDGE', frameworkId: 'm-0000', message: { type: 'scheduler.acknowledge', frameworkId: 'm-0000', agentId: 'm-S0', taskId: 't1', uuid: '0123456789abcdef' } },
    },
    {
      name: 'RECONCILE explicit',
      call: { ...FW, type: 'RECONCILE', reconcile: { tasks: [{ task_id: { value: 't1' } }, { task_id: { value: 't2' }, agent_id: { value: 'm-S1' } }] } },
      expect: { kind: 'call', type: 'RECONCILE', frameworkId: 'm-0000', message: { type: 'scheduler.reconcile', frameworkId: 'm-0000', tasks: [{ taskId: 't1' }, { taskId: 't2', agentId: 'm-S1' }] } },
    },
    {
      name: 'RECONCILE implicit (empty)',
      call: { ...FW, type: 'RECONCILE', reconcile: {} },
      expect: { kind: 'call', type: 'RECONCILE', frameworkId: 'm-0000', message: { type: 'scheduler.reconcile', frameworkId: 'm-0000', tasks: [] } },
    },
    {
      name: 'MESSAGE is accepted with no core message',
      call: { ...FW, type: 'MESSAGE', message: { agent_id: { value: 'a' }, executor_id: { value: 'e' }, data: 'aGk=' } },
      expect: { kind: 'call', type: 'MESSAGE', frameworkId: 'm-0000', message: null },
    },
    { name: 'REQUEST is request.requests', call: { ...FW, type: 'REQUEST', request: { requests: [{}] } }, expect: { kind: 'call', type: 'REQUEST', frameworkId: 'm-0000', message: null } },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const parsed = parse(c.call);
      assert.ok(parsed.ok, JSON.stringify(parsed));
      assert.deepEqual(parsed.value, c.expect);
    });
  }
});

describe('bad calls are typed errors with Mesos status codes', () => {
  const bad16 = Buffer.alloc(15).toString('base64');
  const cases: Array<{ name: string; body: unknown; status: number; match: RegExp }> = [
    { name: 'not JSON', body: '{"type":', status: 400, match: /Failed to parse body into JSON/ },
    { name: 'not an object', body: '[1]', status: 400, match: /expected an object/ },
    { name: 'no type', body: { ...FW }, status: 400, match: /Missing required fields: type/ },
    { name: 'enum as a number', body: { ...FW, type: 3 }, status: 400, match: /names, not numbers/ },
    { name: 'unknown enum name', body: { ...FW, type: 'FROB' }, status: 400, match: /unknown enum value "FROB"/ },
    { name: 'UNKNOWN', body: { ...FW, type: 'UNKNOWN' }, status: 501, match: /unknown call type/ },
    { name: 'no framework_id on a non-SUBSCRIBE call', body: { type: 'TEARDOWN' }, status: 400, match: /Expecting 'framework_id' to be present/ },
    { name: 'ACCEPT without accept', body: { ...FW, type: 'ACCEPT' }, status: 400, match: /Expecting 'accept' to be present/ },
    { name: 'SUBSCRIBE without framework_info', body: { type: 'SUBSCRIBE', subscribe: {} }, status: 400, match: /Missing required fields: subscribe.framework_info/ },
    { name: 'SUBSCRIBE without user', body: { type: 'SUBSCRIBE', subscribe: { framework_info: { name: 'x' } } }, status: 400, match: /framework_info.user/ },
    {
      name: 'SUBSCRIBE whose framework_id differs from framework_info.id',
      body: { type: 'SUBSCRIBE', framework_id: { value: 'a' }, subscribe: { framework_info: { user: 'u', name: 'n', id: { value: 'b' } } } },
      status: 400,
      match: /differs/,
    },
    { name: 'capability as a number', body: { type: 'SUBSCRIBE', subscribe: { framework_info: { user: 'u', name: 'n', capabilities: [{ type: 5 }] } } }, status: 400, match: /not numbers/ },
    { name: 'ACKNOWLEDGE uuid of 15 bytes', body: { ...FW, type: 'ACKNOWLEDGE', acknowledge: { agent_id: { value: 'a' }, task_id: { value: 't' }, uuid: bad16 } }, status: 400, match: /16 bytes, got 15/ },
    { name: 'ACKNOWLEDGE uuid not Base64', body: { ...FW, type: 'ACKNOWLEDGE', acknowledge: { agent_id: { value: 'a' }, task_id: { value: 't' }, uuid: '!!!!' } }, status: 400, match: /not Base64/ },
    { name: 'ACKNOWLEDGE without task_id', body: { ...FW, type: 'ACKNOWLEDGE', acknowledge: { agent_id: { value: 'a' }, uuid: GOOD_UUID } }, status: 400, match: /acknowledge.task_id/ },
    { name: 'KILL without task_id', body: { ...FW, type: 'KILL', kill: {} }, status: 400, match: /kill.task_id/ },
    {
      name: 'a task without a command or executor',
      body: { ...FW, type: 'ACCEPT', accept: { offer_ids: [], operations: [{ type: 'LAUNCH', launch: { task_infos: [{ name: 'x', task_id: { value: 't' }, agent_id: { value: 'a' } }] } }] } },
      status: 400,
      match: /CommandInfo or ExecutorInfo/,
    },
    {
      name: 'a negative scalar',
      body: {
        ...FW,
        type: 'ACCEPT',
        accept: { operations: [{ type: 'LAUNCH', launch: { task_infos: [{ name: 'x', task_id: { value: 't' }, agent_id: { value: 'a' }, command: { value: 'x' }, resources: [{ name: 'cpus', type: 'SCALAR', scalar: { value: -1 } }] }] } }] },
      },
      status: 400,
      match: /negative/,
    },
    { name: 'a string where an id object belongs', body: { framework_id: 'm-0000', type: 'TEARDOWN' }, status: 400, match: /expected an object/ },
  ];
  for (const c of cases) {
    it(`${c.status}: ${c.name}`, () => {
      const parsed = parse(c.body);
      assert.equal(parsed.ok, false);
      if (parsed.ok) return;
      assert.equal(parsed.error.status, c.status);
      assert.match(parsed.error.message, c.match);
      assert.ok(!parsed.error.message.includes('\n'), 'one line');
    });
  }
});

describe('status uuids', () => {
  it('a core hex uuid becomes Base64 of exactly 16 bytes and decodes back; a foreign 16-byte value maps to a uuid no agent has', () => {
    const codec = new StatusUuidCodec();
    for (const core of ['0123456789abcdef', 'ff', 'abcdefabcdefabcdefabcdefabcdef']) {
      const wire = codec.encode(core);
      assert.equal(Buffer.from(wire, 'base64').length, 16);
      assert.equal(codec.decode(wire, 'u'), core);
    }
    const odd = codec.encode('not-hex!');
    assert.equal(Buffer.from(odd, 'base64').length, 16);
    assert.equal(codec.decode(odd, 'u'), 'not-hex!');
    const foreign = Buffer.alloc(16, 7).toString('base64');
    assert.equal(codec.decode(foreign, 'u'), `wire:${foreign}`);
  });
});
