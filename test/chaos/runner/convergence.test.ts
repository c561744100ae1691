import { test } from 'node:test';
import assert from 'node:assert/strict';
import { project } from '../../../src/core/projection.js';
import { AppNameBook } from '../../../src/chaos/runner/build.js';
import { convergenceReasons, type ConvergenceSpec } from '../../../src/chaos/runner/convergence.js';
import { webOfTwo } from '../checkers/scenarios.js';

function spec(names: AppNameBook): ConvergenceSpec {
  return {
    services: [{ name: 'web', instances: 2, inactiveAfterMs: 0, partitionAware: true }],
    hosts: ['agent-1', 'agent-2', 'agent-3'],
    names,
    checks: [],
    restartedSchedulers: [],
    subscribedSinceHeal: () => true,
    restartedAgents: [],
    registeredSinceHeal: () => true,
    lastOfferAtMs: () => 0,
    offerSilenceMs: 1_000_000,
  };
}

test('not converged while a RUNNING task sits on an agent whose host registered anew (fuzz seed 617: the runner said "converged", its checkers did not)', () => {
  const names = new AppNameBook();
  const healthy = webOfTwo();
  names.subscribed('web', healthy.frameworkId('web'));
  assert.deepEqual(convergenceReasons(project(healthy.records), spec(names)), []);
  // agent-1's host died and came back with a new agent id; after a failover no master removed the old one yet.
  const s = webOfTwo().at(3_000).killHost('agent-1').at(4_000).elect('master-2');
  s.emit({ type: 'node.started', node: 'agent-1', role: 'agent' }).registerAgent('agent-1');
  const reasons = convergenceReasons(project(s.records), spec(names));
  assert.deepEqual(reasons, ['web: 1 of 2 running, 1 RUNNING on a lost agent']);
});
