import { test } from 'node:test';
import assert from 'node:assert/strict';
import { intersectPorts, minusPorts, unionPorts } from '../../../src/core/allocator/quantities.js';
import type { PortRange } from '../../../src/core/resources.js';
import { normalisePorts } from '../../../src/core/resources.js';
import { seeded } from '../../helpers/random.js';

function randomRanges(rng: () => number): PortRange[] {
  const ranges: PortRange[] = [];
  for (let i = Math.floor(rng() * 4); i > 0; i -= 1) {
    const begin = Math.floor(rng() * 60);
    ranges.push({ begin, end: begin + Math.floor(rng() * 10) });
  }
  return normalisePorts(ranges);
}

const asSet = (ranges: readonly PortRange[]): number[] => ranges.flatMap((r) => Array.from({ length: r.end - r.begin + 1 }, (_, i) => r.begin + i));
const fromSet = (ports: readonly number[]): PortRange[] => normalisePorts(ports.map((p) => ({ begin: p, end: p })));

test('port range algebra matches set algebra on the ports (and stays normalised)', () => {
  const rng = seeded(99);
  for (let round = 0; round < 2000; round += 1) {
    const a = randomRanges(rng);
    const b = rng() < 0.2 ? a.map((r) => ({ ...r })) : randomRanges(rng);
    const sa = new Set(asSet(a));
    const sb = new Set(asSet(b));
    assert.deepEqual(minusPorts(a, b), fromSet([...sa].filter((p) => !sb.has(p))), `minus round ${round}`);
    assert.deepEqual(intersectPorts(a, b), fromSet([...sa].filter((p) => sb.has(p))), `intersect round ${round}`);
    assert.deepEqual(unionPorts(a, b), fromSet([...new Set([...sa, ...sb])]), `union round ${round}`);
  }
});
