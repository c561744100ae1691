import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { routeOf, taskHref } from '../../src/web/route.js';
import { naturalCompare } from '../../src/web/sorting.js';

describe('the page routes', () => {
  const cases: Array<[string, unknown]> = [
    ['', { view: 'overview' }],
    ['#/', { view: 'overview' }],
    ['#/agents', { view: 'agents' }],
    ['#/frameworks', { view: 'frameworks' }],
    ['#/frameworks/abc-0001', { view: 'framework', id: 'abc-0001' }],
    ['#/tasks', { view: 'tasks' }],
    [taskHref('web.0001/x y'), { view: 'task', id: 'web.0001/x y' }],
    ['#/tasks/%E0%A4%A', { view: 'task', id: '%E0%A4%A' }],
    ['#/offers', { view: 'offers' }],
    ['#/masters', { view: 'masters' }],
    ['#/events', { view: 'events' }],
    ['#/nope', { view: 'unknown', hash: '#/nope' }],
  ];
  for (const [hash, route] of cases) it(`${hash || '(no hash)'} is ${JSON.stringify(route)}`, () => assert.deepEqual(routeOf(hash), route));
});

describe('natural order', () => {
  it('orders digit runs by value, numbers by value', () => {
    const names = ['agent-10', 'agent-2', 'agent-1', 'agent-02', 'b', 'a.000100', 'a.000020'];
    assert.deepEqual([...names].sort(naturalCompare), ['a.000020', 'a.000100', 'agent-1', 'agent-2', 'agent-02', 'agent-10', 'b']);
    assert.ok(naturalCompare(2, 10) < 0);
  });
});
