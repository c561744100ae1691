import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FAST_TIMING, MESOS_TIMING } from '../../src/core/timing.js';
import { DEFAULT_FAILOVER_TIMEOUT_MS, MARATHON_TASK_LAUNCH_TIMEOUT_MS, taskLaunchTimeoutMsOf } from '../../src/schedulers/defaults.js';
import { validateBatchJob, validateExecuteCommand, validateServiceApp, validateWorkload } from '../../src/schedulers/validate/specs.js';

describe('validateServiceApp: errors name the field', () => {
  const cases: Array<{ input: unknown; where: string; message: RegExp; code?: string }> = [
    { input: { name: 'web', instances: 1, resources: 'cpus:x;mem:128' }, where: 'services[0].resources.cpus', message: /"x" is not a number/, code: 'RESOURCE_PARSE' },
    { input: { name: 'web', instances: 1, resources: { cpus: 'x' } }, where: 'services[0].resources.cpus', message: /"x" is not a number/, code: 'RESOURCE_PARSE' },
    { input: { name: 'web', instances: 1, resources: { cpus: -1 } }, where: 'services[0].resources.cpus', message: /negative/, code: 'RESOURCE_INVALID' },
    { input: { name: 'web', instances: 1, resources: 'cpus:0;mem:0' }, where: 'services[0].resources', message: /needs some/, code: 'RESOURCE_INVALID' },
    { input: { name: 'web', instances: 1, resources: { cpu: 1 } }, where: 'services[0].resources.cpu', message: /unknown field/ },
    { input: { instances: 1 }, where: 'services[0].name', message: /is required/ },
    { input: { name: 'Web.App', instances: 1 }, where: 'services[0].name', message: /lowercase/ },
    { input: { name: 'web' }, where: 'services[0].instances', message: /is required/ },
    { input: { name: 'web', instances: 1.5 }, where: 'services[0].instances', message: /whole number/ },
    { input: { name: 'web', instances: -2 }, where: 'services[0].instances', message: /below 0/ },
    { input: { name: 'web', instances: '3' }, where: 'services[0].instances', message: /"3" is not a number/ },
    { input: { name: 'web', instances: 1, instnces: 2 }, where: 'services[0].instnces', message: /unknown field/ },
    { input: { name: 'web', instances: 1, partitionAware: 'yes' }, where: 'services[0].partitionAware', message: /not true or false/ },
    { input: { name: 'web', instances: 1, killSelection: 'Random' }, where: 'services[0].killSelection', message: /YoungestFirst, OldestFirst/ },
    { input: { name: 'web', instances: 1, unreachableStrategy: 'off' }, where: 'services[0].unreachableStrategy', message: /disabled/ },
    { input: { name: 'web', instances: 1, unreachableStrategy: { inactiveAfterMs: 'soon' } }, where: 'services[0].unreachableStrategy.inactiveAfterMs', message: /not a duration/ },
    { input: { name: 'web', instances: 1, unreachableStrategy: { inactiveAfterMs: 10_000, expungeAfterMs: 5_000 } }, where: 'services[0].unreachableStrategy.expungeAfterMs', message: /less than inactiveAfterMs/ },
    { input: { name: 'web', instances: 1, failureProbability: 2 }, where: 'services[0].failureProbability', message: /above 1/ },
    { input: { name: 'web', instances: 1, taskLaunchTimeoutMs: 0 }, where: 'services[0].taskLaunchTimeoutMs', message: /more than 0/ },
    { input: 'web', where: 'services[0]', message: /not an object/ },
  ];
  for (const c of cases) {
    it(`${JSON.stringify(c.input)} -> ${c.where}`, () => {
      const r = validateServiceApp(c.input, 'services[0]', FAST_TIMING);
      assert.equal(r.ok, false);
      if (r.ok) return;
      assert.equal(r.error.where, c.where);
      assert.match(r.error.message, c.message);
      assert.equal(r.error.code, c.code ?? 'SPEC_INVALID');
    });
  }
});

describe('validateServiceApp: defaults', () => {
  it('fills Marathon-like defaults from the timing profile', () => {
    const r = validateServiceApp({ name: 'web', instances: 3 }, 'services[0]', MESOS_TIMING);
    assert.ok(r.ok);
    const app = r.value;
    assert.equal(app.role, '*');
    assert.equal(app.partitionAware, true);
    assert.equal(app.failoverTimeoutMs, DEFAULT_FAILOVER_TIMEOUT_MS);
    assert.deepEqual(app.unreachableStrategy, { inactiveAfterMs: 300_000, expungeAfterMs: 600_000 });
    assert.equal(app.killSelection, 'YoungestFirst');
    assert.equal(app.taskLaunchTimeoutMs, MARATHON_TASK_LAUNCH_TIMEOUT_MS);
    assert.equal(app.resources.cpus, 1);
    assert.equal(app.resources.mem, 128);
  });

  it('the fast profile gives a shorter launch timeout and inactiveAfter 0', () => {
    const r = validateServiceApp({ name: 'web', instances: 3 }, 'x', FAST_TIMING);
    assert.ok(r.ok);
    assert.deepEqual(r.value.unreachableStrategy, { inactiveAfterMs: 0, expungeAfterMs: FAST_TIMING.expungeAfterMs });
    assert.equal(r.value.taskLaunchTimeoutMs, taskLaunchTimeoutMsOf(FAST_TIMING));
    assert.ok(r.value.taskLaunchTimeoutMs < MARATHON_TASK_LAUNCH_TIMEOUT_MS);
  });

  it('accepts resource text or objects, duration text, and "disabled"', () => {
    const r = validateServiceApp(
      { name: 'api-2', instances: 2, resources: 'cpus:0.5;mem:256;ports:[31000-31001]', unreachableStrategy: 'disabled', taskLaunchTimeoutMs: '2m', killSelection: 'OldestFirst' },
      'x',
      FAST_TIMING,
    );
    assert.ok(r.ok, r.ok ? '' : r.error.message);
    assert.equal(r.value.resources.cpus, 0.5);
    assert.deepEqual(r.value.resources.ports, [{ begin: 31000, end: 31001 }]);
    assert.equal(r.value.unreachableStrategy, 'disabled');
    assert.equal(r.value.taskLaunchTimeoutMs, 120_000);
    const o = validateServiceApp({ name: 'web', instances: 1, resources: { cpus: 0.25, mem: 64 }, unreachableStrategy: { inactiveAfterMs: '30s' } }, 'x', FAST_TIMING);
    assert.ok(o.ok, o.ok ? '' : o.error.message);
    assert.deepEqual(o.value.unreachableStrategy, { inactiveAfterMs: 30_000, expungeAfterMs: 60_000 });
  });
});

describe('validateBatchJob and validateExecuteCommand', () => {
  it('batch: errors name the field; defaults fill the rest', () => {
    const bad = validateBatchJob({ name: 'etl', tasks: 2, maxRetries: -1 }, 'batch[1]', FAST_TIMING);
    assert.deepEqual(bad.ok ? null : [bad.error.where, bad.error.code], ['batch[1].maxRetries', 'SPEC_INVALID']);
    const good = validateBatchJob({ name: 'etl', tasks: 2, durationMs: '30s' }, 'batch[1]', FAST_TIMING);
    assert.ok(good.ok);
    assert.equal(good.value.durationMs, 30_000);
    assert.equal(good.value.command, 'sleep 30');
    assert.equal(good.value.maxRetries, 3);
  });

  it('execute: the command is required', () => {
    const bad = validateExecuteCommand({ name: 'hello' }, 'execute[0]', FAST_TIMING);
    assert.deepEqual(bad.ok ? null : [bad.error.where, bad.error.message], ['execute[0].command', 'is required']);
    const good = validateExecuteCommand({ name: 'hello', command: 'echo hi', durationMs: null }, 'execute[0]', FAST_TIMING);
    assert.ok(good.ok);
    assert.equal(good.value.durationMs, null);
  });
});

describe('validateWorkload', () => {
  it('validates every list with its index in the path', () => {
    const r = validateWorkload({ services: [{ name: 'web', instances: 1 }, { name: 'api', instances: 'x' }] }, 'workload', FAST_TIMING);
    assert.equal(r.ok ? '' : r.error.where, 'workload.services[1].instances');
  });

  it('names must be unique across services, batch and execute', () => {
    const r = validateWorkload({ services: [{ name: 'web', instances: 1 }], execute: [{ name: 'web', command: 'true' }] }, 'workload', FAST_TIMING);
    assert.equal(r.ok, false);
    if (r.ok) return;
    assert.equal(r.error.where, 'workload.execute[0].name');
    assert.match(r.error.message, /workload\.services\[0\]/);
  });

  it('missing lists are empty; an unknown list is an error', () => {
    const r = validateWorkload({ batch: [{ name: 'etl', tasks: 1 }] }, 'workload', FAST_TIMING);
    assert.ok(r.ok);
    assert.deepEqual([r.value.services.length, r.value.batch.length, r.value.execute.length], [0, 1, 0]);
    const bad = validateWorkload({ servces: [] }, 'workload', FAST_TIMING);
    assert.equal(bad.ok ? '' : bad.error.where, 'workload.servces');
  });
});
