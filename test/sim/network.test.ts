import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SimNetwork } from '../../src/sim/network.js';
import { Prng } from '../../src/core/prng.js';

const net = () => new SimNetwork<string>({ latencyMinMs: 1, latencyMaxMs: 5 }, Prng.from('net'));

test('healthy links deliver within the latency bounds, FIFO per link', () => {
  const n = net();
  let last = 0;
  for (let i = 0; i < 200; i += 1) {
    const fate = n.route('a', 'b', `m${i}`, 100);
    assert.equal(fate.kind, 'deliver');
    if (fate.kind !== 'deliver') return;
    assert.ok(fate.atMs >= 101 && fate.atMs <= 105);
    assert.ok(fate.atMs >= last, 'FIFO');
    last = fate.atMs;
  }
});

const partitionCases: Array<{ name: string; groups: string[][]; oneWay: boolean; blocked: Array<[string, string]>; open: Array<[string, string]> }> = [
  { name: 'symmetric, isolate agent', groups: [['a1'], ['m1', 'm2']], oneWay: false, blocked: [['a1', 'm1'], ['m2', 'a1']], open: [['m1', 'm2'], ['a1', 's1'], ['s1', 'm1']] },
  { name: 'one-way from the agent', groups: [['a1'], ['m1']], oneWay: true, blocked: [['a1', 'm1']], open: [['m1', 'a1']] },
  { name: '2-1 among masters', groups: [['m1', 'm2'], ['m3']], oneWay: false, blocked: [['m1', 'm3'], ['m3', 'm2']], open: [['m1', 'm2']] },
];
for (const c of partitionCases) {
  test(`partition: ${c.name}`, () => {
    const n = net();
    n.partition(c.groups, c.oneWay);
    for (const [from, to] of c.blocked) assert.equal(n.route(from, to, 'x', 0).kind, 'blocked', `${from}->${to}`);
    for (const [from, to] of c.open) assert.equal(n.route(from, to, 'x', 0).kind, 'deliver', `${from}->${to}`);
    n.heal();
    for (const [from, to] of c.blocked) assert.equal(n.route(from, to, 'x', 0).kind, 'deliver');
  });
}

test('loss drops about the given share; delay adds to latency', () => {
  const n = net();
  n.link(['a'], ['b'], true, { loss: 0.3, delayMs: 100 });
  let lost = 0;
  for (let i = 0; i < 10_000; i += 1) {
    const f = n.route('a', 'b', 'x', 0);
    if (f.kind === 'lost') lost += 1;
    else if (f.kind === 'deliver') assert.ok(f.atMs >= 101);
  }
  assert.ok(lost > 2700 && lost < 3300, `lost ${lost}`);
  assert.equal(n.route('b', 'a', 'x', 0).kind, 'deliver', 'one-way link fault leaves the reverse path alone');
});

test('clog holds messages and unclog releases them in order', () => {
  const n = net();
  n.clog(['b']);
  assert.equal(n.route('a', 'b', 'one', 0).kind, 'held');
  assert.equal(n.route('b', 'c', 'two', 0).kind, 'held');
  assert.equal(n.route('a', 'c', 'free', 0).kind, 'deliver');
  const released = n.unclog(['b']);
  assert.deepEqual(released.map((h) => h.message), ['one', 'two']);
  assert.equal(n.route('a', 'b', 'x', 0).kind, 'deliver');
});

test('duplicate produces a second delivery', () => {
  const n = net();
  n.link([], [], false, { duplicate: 1 });
  const f = n.route('a', 'b', 'x', 0);
  assert.ok(f.kind === 'deliver' && f.duplicateAtMs !== null);
});
