import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareKeys, naturalKey, NaturalKeys } from '../../src/tui/natural.js';
import { RowOrder, type SortBy } from '../../src/tui/row-order.js';
import { seeded } from '../helpers/random.js';

interface Row {
  readonly id: string;
  name: string;
  age: number;
}

const BY_ID = { title: 'id' };
const BY_NAME = { title: 'name' };
const BY_AGE = { title: 'age' };

function byId(descending = false): SortBy<Row> {
  return { column: BY_ID, inputOf: (r) => r.id, fixed: true, descending };
}
function byName(descending = false): SortBy<Row> {
  return { column: BY_NAME, inputOf: (r) => r.name, fixed: false, descending };
}
function byAge(descending = false): SortBy<Row> {
  return { column: BY_AGE, inputOf: (r) => r.age, fixed: false, descending };
}

/** The reference: a stable sort of the feed's rows. */
function reference(rows: readonly Row[], by: SortBy<Row>): string[] {
  const key = (r: Row): string | number => {
    const input = by.inputOf(r);
    return typeof input === 'number' ? input : naturalKey(input);
  };
  const sign = by.descending ? -1 : 1;
  return [...rows].sort((a, b) => sign * compareKeys(key(a), key(b))).map((r) => r.id);
}

/** NaturalKeys that counts the keys it is asked for. */
class CountingKeys extends NaturalKeys {
  asked = 0;
  override of(text: string): string {
    this.asked += 1;
    return super.of(text);
  }
}

test('the order is that of a stable full sort through inserts, removals, in-place changes, replaced rows and sort changes', () => {
  const random = seeded(7);
  const pick = (n: number): number => Math.floor(random() * n);
  let next = 0;
  const fresh = (): Row => {
    next += 1;
    return { id: `task-${pick(50)}.${next}`, name: `svc-${pick(6)}`, age: pick(20) };
  };
  let rows: Row[] = Array.from({ length: 200 }, fresh);
  const sorts = [byId(), byId(true), byName(), byName(true), byAge(), byAge(true)];
  const order = new RowOrder<Row>();
  const keys = new NaturalKeys();
  let by = sorts[0] as SortBy<Row>;
  for (let step = 0; step < 300; step += 1) {
    const change = pick(6);
    if (change === 0) rows = rows.concat(Array.from({ length: pick(5) }, fresh));
    else if (change === 1) rows = rows.filter(() => random() > 0.05);
    else if (change === 2) for (let i = 0; i < 5; i += 1) (rows[pick(rows.length)] as Row).name = `svc-${pick(6)}`;
    else if (change === 3) for (const r of rows) r.age += 1;
    else if (change === 4) rows = rows.map((r) => (random() < 0.05 ? { ...r, age: pick(20) } : r));
    else by = sorts[pick(sorts.length)] as SortBy<Row>;
    // A filter hides and shows rows in the middle of the feed order.
    const shown = step % 7 === 0 ? rows.filter((r) => r.name !== 'svc-1') : rows;
    assert.deepEqual(
      order.sort(shown, by, keys).map((r) => r.id),
      reference(shown, by),
      `step ${step}`,
    );
  }
});

test('a row whose key changed in place moves to its new place', () => {
  const rows: Row[] = ['a', 'b', 'c', 'd'].map((id, i) => ({ id, name: `n${i}`, age: i }));
  const order = new RowOrder<Row>();
  const keys = new NaturalKeys();
  assert.deepEqual(order.sort(rows, byAge(), keys).map((r) => r.id), ['a', 'b', 'c', 'd']);
  (rows[0] as Row).age = 10; // the same object, changed: the projection updates views in place
  assert.deepEqual(order.sort(rows, byAge(), keys).map((r) => r.id), ['b', 'c', 'd', 'a']);
  (rows[2] as Row).name = 'n9';
  assert.deepEqual(order.sort(rows, byName(), keys).map((r) => r.id), ['a', 'b', 'd', 'c']);
});

test('a fixed column reads only the new rows again, and natural keys are looked up only for new text', () => {
  let reads = 0;
  const byCountedId: SortBy<Row> = { column: BY_ID, inputOf: (r) => (reads++, r.id), fixed: true, descending: false };
  const rows: Row[] = Array.from({ length: 100 }, (_, i) => ({ id: `task-${99 - i}`, name: 'x', age: 0 }));
  const order = new RowOrder<Row>();
  const keys = new CountingKeys();
  order.sort(rows, byCountedId, keys);
  assert.equal(reads, 100);
  assert.equal(keys.asked, 100);
  const more = rows.slice(3).concat([{ id: 'task-5.5', name: 'x', age: 0 }]);
  const sorted = order.sort(more, byCountedId, keys).map((r) => r.id);
  assert.equal(reads, 101, 'only the new row is read');
  assert.equal(keys.asked, 101, 'only the new row needs a natural key');
  assert.deepEqual(sorted, reference(more, byCountedId));

  // A column that may change is read every time, but unchanged text keeps its key.
  let nameReads = 0;
  const byCountedName: SortBy<Row> = { column: BY_NAME, inputOf: (r) => (nameReads++, r.name), fixed: false, descending: false };
  order.sort(more, byCountedName, keys);
  const asked = keys.asked;
  order.sort(more, byCountedName, keys);
  assert.equal(nameReads, 2 * more.length);
  assert.equal(keys.asked, asked, 'no key looked up again for unchanged names');
});
