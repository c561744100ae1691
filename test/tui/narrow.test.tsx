/**
 * Narrow terminals: ids are cut in the middle (their tails tell agents apart),
 * a y/n prompt keeps its `[y/n]`, and the hint line keeps every key, `:` and
 * `q` above all.
 */
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cutMiddle } from '../../src/tui/format.js';
import { hintLine } from '../../src/tui/keymap.js';
import { layoutColumns, rowLine } from '../../src/tui/table-layout.js';
import { AGENT_SPEC } from '../../src/tui/table-specs.js';
import { VIEWS } from '../../src/tui/views.js';
import { renderTui, statusLine, type Harness } from './harness.js';

let h: Harness | null = null;
afterEach(() => {
  h?.unmount();
  h = null;
});

describe('ids are cut in the middle', () => {
  it('cutMiddle keeps both ends', () => {
    assert.equal(cutMiddle('b2412f6f-5c1e-4d2a-9d2f-0e8a1f3c2b10-S12', 12), 'b2412…10-S12');
    assert.equal(cutMiddle('abcdefghij', 5), 'ab…ij');
    assert.equal(cutMiddle('abcdefghij', 6), 'ab…hij');
    assert.equal(cutMiddle('short', 10), 'short');
    assert.equal(cutMiddle('abcdefghij', 5, true), 'ab~ij');
  });

  it('at 60 columns the agent id column still tells -S0 from -S1', () => {
    const columns = AGENT_SPEC.columns;
    const placed = layoutColumns(columns, 60);
    const idColumn = placed.find((p) => p.index === 0);
    assert.ok(idColumn, 'the id column is shown');
    const id = (n: number) => `b2412f6f-5c1e-4d2a-9d2f-0e8a1f3c2b10-S${n}`;
    assert.ok(id(0).length > idColumn.width, 'the test needs ids wider than the column');
    const row = (n: number) => rowLine({ columns, placed, cells: [id(n), `agent-${n}`, 'registered', '1/4', '256/8192', '2'], selected: false, ascii: false });
    assert.match(row(0), /-S0 /);
    assert.match(row(1), /-S1 /);
    assert.notEqual(row(0).slice(0, idColumn.width + 2), row(1).slice(0, idColumn.width + 2));
  });
});

describe('prompts and hints fit', () => {
  it('a y/n prompt at 60 columns keeps its [y/n]', async () => {
    h = await renderTui({ size: { columns: 60, rows: 15 } });
    await h.press('2');
    await h.press('K');
    const status = statusLine(h);
    assert.ok(status.length <= 60, status);
    assert.match(status, /kill agent .*\[y\/n\]$/);
  });

  for (const [columns, rows] of [
    [80, 24],
    [60, 15],
  ] as const) {
    it(`at ${columns}x${rows} the hint line of every view keeps ? : q and every key`, () => {
      for (const view of VIEWS.map((v) => v.name)) {
        const line = hintLine({ view, readonly: false, width: columns });
        assert.ok(line.length <= columns, `${view}: ${line.length} > ${columns}: ${line}`);
        assert.match(line, /^\? help/, `${view}: ${line}`);
        assert.match(line, /: cmd {2}q quit$/, `${view}: ${line}`);
        if (view === 'overview' || view === 'agents') assert.match(line, /(^| )h( |$)|h heal/, `${view} keeps h: ${line}`);
        if (view === 'overview' || view === 'masters') assert.match(line, /(^| )F( |$)|F failover/, `${view} keeps F: ${line}`);
      }
    });
  }
});
