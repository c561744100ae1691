/**
 * Which scenarios a live run refuses up front, and why: every bundled one
 * that a live run can carry out is accepted, swizzle-clog and clogs, delays
 * and a network latency are refused with the step's location, and without
 * iptables a one-way partition and a lossy link are refused too.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { liveRefusals } from '../../../src/chaos/runner/live-support.js';
import { parseScenario, type Scenario } from '../../../src/chaos/scenario/index.js';

function bundled(name: string): Scenario {
  const file = `scenarios/${name}.yaml`;
  const parsed = parseScenario(readFileSync(file, 'utf8'), file);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.value;
}

function withOverrides(): Scenario {
  const text = 'name: t\nseed: 1\ntiming:\n  profile: fast\n  heartbeatInterval: 2s\ncluster:\n  masters: 1\n  agents: 2\nworkload:\n  services:\n    - name: web\n      instances: 2\nsteady:\n  - service web running == 2\nmethod:\n  - wait: 1s\n';
  const parsed = parseScenario(text, 't.yaml');
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.value;
}

function scenario(method: string, extra = ''): Scenario {
  const text = `name: t\nseed: 1\ncluster:\n  masters: 1\n  agents: 2\n${extra}workload:\n  services:\n    - name: web\n      instances: 2\nsteady:\n  - service web running == 2\nmethod:\n${method}\n`;
  const parsed = parseScenario(text, 't.yaml');
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.value;
}

describe('liveRefusals', () => {
  for (const name of ['agent-loss', 'partition-heal', 'master-failover', 'one-way-partition', 'kill-task', 'rolling-restart', 'framework-failover']) {
    it(`accepts ${name} with iptables`, () => {
      assert.deepEqual(liveRefusals(bundled(name)), []);
    });
  }

  it('refuses swizzle-clog, naming the step', () => {
    const reasons = liveRefusals(bundled('swizzle-clog'));
    assert.ok(reasons.length > 0);
    assert.match(reasons[0] ?? '', /^swizzle-clog: .*\(scenarios\/swizzle-clog\.yaml:\d+:\d+\)$/);
  });

  it('accepts delayed, duplicating and lossy links', () => {
    assert.deepEqual(liveRefusals(scenario('  - link: {from: all, to: all, duplicate: 0.1}')), []);
    assert.deepEqual(liveRefusals(scenario('  - link: {from: all, to: all, delay: 100ms, jitter: 50ms}')), []);
    assert.deepEqual(liveRefusals(scenario('  - link: {from: all, to: all, loss: 0.2}')), []);
  });

  it('accepts what iptables or the transport carries out: one-way partitions, loss, delay', () => {
    for (const name of ['one-way-partition', 'partition-heal', 'lossy-network', 'leader-isolated']) assert.deepEqual(liveRefusals(bundled(name)), [], name);
    assert.deepEqual(liveRefusals(scenario('  - link: {from: all, to: all, loss: 0.2, delay: 10ms}')), []);
  });

  it('refuses timing overrides, which the daemons would not get', () => {
    const reasons = liveRefusals(withOverrides());
    assert.match(reasons[0] ?? '', /^timing overrides \(heartbeatIntervalMs\) are not passed to the daemons/);
  });

  it('refuses a network latency on every link', () => {
    const reasons = liveRefusals(scenario('  - wait: 1s', '  network: {latency: {min: 1ms, max: 5ms}}\n'));
    assert.match(reasons[0] ?? '', /^cluster\.network/);
  });
});
