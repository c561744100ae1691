import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCoordinatorRegistry } from '../../../src/core/master/coordinator-registry.js';
import type { RegistryOutcome } from '../../../src/core/master/registry.js';
import { FakeContext } from '../../helpers/fake-context.js';

test('a late answer to an earlier incarnation’s write (another epoch, same request id) does not complete this one’s (fuzz seed 126)', () => {
  const ctx = new FakeContext('master-1', 1);
  const registry = createCoordinatorRegistry(ctx, { coordinator: 'coordinator', epoch: () => 86, timeoutMs: 4_000 });
  const outcomes: RegistryOutcome[] = [];
  registry.write([{ op: 'admit', agentId: 'S5', host: 'agent-1' }], (o) => outcomes.push(o));
  const sent = ctx.sentOfType('coordinator.registry_write')[0]?.message;
  assert.equal(sent?.requestId, 1);
  // Request ids restart at 1 in every incarnation: this is the answer to a write made at epoch 76.
  registry.receive({ type: 'coordinator.registry_written', epoch: 76, requestId: 1, accepted: true });
  assert.deepEqual(outcomes, [], 'not this write: it never reached the store');
  assert.equal(registry.agent('S5'), undefined);
  registry.receive({ type: 'coordinator.registry_written', epoch: 86, requestId: 1, accepted: true });
  assert.deepEqual(outcomes, [{ ok: true, value: undefined }]);
  assert.equal(registry.agent('S5')?.state, 'admitted');
});
