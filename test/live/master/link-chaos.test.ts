/** What a partition or link fault means on one live master's links to its clients. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { linkChangesOf } from '../../../src/live/master/link-chaos.js';

const clients = ['agent-1', 'agent-2', 'scheduler-web'];

describe('linkChangesOf', () => {
  it('isolating an agent cuts both directions of its link to the master, and no other', () => {
    const changes = linkChangesOf('master-1', { kind: 'partition', groups: [['agent-1'], ['agent-2', 'master-1', 'scheduler-web']], oneWay: false }, clients);
    assert.deepEqual(changes.map((c) => `${c.node}:${c.direction}`), ['agent-1:out', 'agent-1:in']);
  });

  it('a one-way partition drops only what leaves groups[0]', () => {
    const fromAgent = linkChangesOf('master-1', { kind: 'partition', groups: [['agent-1'], ['master-1', 'agent-2']], oneWay: true }, clients);
    assert.deepEqual(fromAgent.map((c) => `${c.node}:${c.direction}`), ['agent-1:in']);
    const fromMaster = linkChangesOf('master-1', { kind: 'partition', groups: [['master-1'], ['agent-1', 'agent-2']], oneWay: true }, clients);
    assert.deepEqual(fromMaster.map((c) => `${c.node}:${c.direction}`), ['agent-1:out', 'agent-2:out']);
  });

  it('a master not named by the partition, or on the same side, cuts nothing', () => {
    assert.deepEqual(linkChangesOf('master-2', { kind: 'partition', groups: [['agent-1'], ['agent-2']], oneWay: false }, clients), []);
    assert.deepEqual(linkChangesOf('master-1', { kind: 'partition', groups: [['agent-1', 'master-1'], ['agent-2']], oneWay: false }, ['agent-1']), []);
  });

  it('a link fault on all links degrades both directions of every client link; one-way only from -> to', () => {
    const all = linkChangesOf('master-1', { kind: 'link', from: [], to: [], oneWay: false, spec: { delayMs: 200, loss: 0.1 } }, ['agent-1']);
    assert.deepEqual(all.map((c) => `${c.node}:${c.direction}`), ['agent-1:out', 'agent-1:in']);
    assert.deepEqual(all[0]?.change, { loss: 0.1, delayMs: 200 });
    const oneWay = linkChangesOf('master-1', { kind: 'link', from: ['agent-1'], to: ['master-1'], oneWay: true, spec: { delayMs: 50 } }, clients);
    assert.deepEqual(oneWay.map((c) => `${c.node}:${c.direction}`), ['agent-1:in']);
  });
});
