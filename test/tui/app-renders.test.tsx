import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderTui, settle } from './harness.js';

test('a store update that changes nothing on screen draws no frame; one that changes a visible row does', async () => {
  const h = await renderTui({ size: { columns: 100, rows: 20 } });
  try {
    await h.press('4');
    const before = h.renders();
    const frame = h.frame();
    // A new snapshot 10 ms later: the same second on the clock, the same ages, the same rows.
    h.feed.advance(10);
    h.session.store.apply((s) => ({ ...s }));
    await settle();
    assert.notEqual(h.state().cluster.nowMs, 0);
    assert.equal(h.renders(), before, 'no frame for an invisible change');
    assert.equal(h.frame(), frame);

    h.feed.setTaskState('api.0', 'TASK_UNREACHABLE');
    await settle();
    assert.equal(h.renders(), before + 1, 'a visible row changed: one frame');
    assert.match(h.frame(), /api\.0 .*UNREACHABLE/);

    h.feed.advance(1_000);
    await settle();
    assert.equal(h.renders(), before + 2, 'the clock and the ages moved: one frame');
  } finally {
    h.unmount();
  }
});
