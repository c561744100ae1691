import { test } from 'node:test';
import assert from 'node:assert/strict';
import { add, contains, formatResources, parseResources, resources, subtract } from '../../src/core/resources.js';

test('parses the Mesos resource syntax', () => {
  const r = parseResources('cpus:4;mem:8192;disk:100;ports:[31000-32000,33000]');
  assert.ok(r.ok);
  assert.deepEqual(r.value, { cpus: 4, mem: 8192, disk: 100, gpus: 0, ports: [{ begin: 31000, end: 32000 }, { begin: 33000, end: 33000 }] });
  assert.equal(formatResources(r.value), 'cpus:4;mem:8192;disk:100;ports:[31000-32000,33000]');
});

const bad: Array<[string, string, string]> = [
  ['cpus:x', 'resources.cpus', 'RESOURCE_PARSE'],
  ['cpus:-1', 'resources.cpus', 'RESOURCE_INVALID'],
  ['bogus:1', 'resources.bogus', 'RESOURCE_PARSE'],
  ['cpus', 'resources', 'RESOURCE_PARSE'],
  ['', 'resources', 'RESOURCE_PARSE'],
  ['cpus:1;cpus:2', 'resources.cpus', 'RESOURCE_PARSE'],
  ['ports:31000-32000', 'resources.ports', 'RESOURCE_PARSE'],
  ['ports:[32000-31000]', 'resources.ports', 'RESOURCE_INVALID'],
  ['ports:[1-10,5-20]', 'resources.ports', 'RESOURCE_INVALID'],
  ['ports:[70000]', 'resources.ports', 'RESOURCE_INVALID'],
];
for (const [text, where, code] of bad) {
  test(`rejects "${text}" with a typed error naming ${where}`, () => {
    const r = parseResources(text);
    assert.equal(r.ok, false);
    if (r.ok) return;
    assert.equal(r.error.code, code);
    assert.equal(r.error.where, where);
  });
}

test('fixed point keeps 0.1 + 0.2 == 0.3 across many operations', () => {
  let r = resources();
  for (let i = 0; i < 1000; i += 1) r = add(r, resources({ cpus: 0.1 }));
  for (let i = 0; i < 997; i += 1) r = subtract(r, resources({ cpus: 0.1 }));
  assert.equal(r.cpus, 0.3);
});

test('ports are added, contained and subtracted by range', () => {
  const a = resources({ cpus: 2, ports: [{ begin: 100, end: 200 }] });
  const b = resources({ cpus: 1, ports: [{ begin: 150, end: 160 }] });
  assert.ok(contains(a, b));
  const left = subtract(a, b);
  assert.deepEqual(left.ports, [{ begin: 100, end: 149 }, { begin: 161, end: 200 }]);
  assert.equal(contains(left, b), false);
  assert.deepEqual(add(left, b).ports, [{ begin: 100, end: 200 }]);
});
