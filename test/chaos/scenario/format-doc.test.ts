import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseScenario, TOP_KEYS } from '../../../src/chaos/scenario/index.js';

// FORMAT.md is the reference users read: every example in it must parse.
const doc = readFileSync(join(import.meta.dirname, '../../../src/chaos/scenario/FORMAT.md'), 'utf8');
const blocks = [...doc.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');

/** Apps and hosts the fragments refer to. */
const SCAFFOLD: Readonly<Record<string, string>> = {
  name: 'name: doc-example',
  cluster: 'cluster: {masters: 3, agents: 5}',
  workload: 'workload: {services: [{name: web, instances: 6}], batch: [{name: etl}], execute: [{name: hello, command: echo}]}',
  method: 'method: [heal]',
};

/** A fragment as a whole file: list items go under method; missing keys come from the scaffold. */
function asScenario(block: string): string | null {
  let body = block;
  if (body.startsWith('- ')) body = `method:\n${body.replace(/^/gm, '  ')}`;
  const nested = /^ {2}([a-z]+):/.exec(body)?.[1];
  if (nested === 'agents') body = `cluster:\n${body}`;
  if (nested === 'services' || nested === 'batch' || nested === 'execute') body = `workload:\n${body}`;
  const first = /^([a-z]+):/.exec(body)?.[1];
  if (first === undefined || !(TOP_KEYS as readonly string[]).includes(first)) return null; // a fragment of something else
  const present = new Set([...body.matchAll(/^([a-z]+):/gm)].map((m) => m[1]));
  const extra = Object.entries(SCAFFOLD).filter(([key]) => !present.has(key)).map(([, line]) => line);
  return `${extra.join('\n')}\n${body}`;
}

test('FORMAT.md has examples to check', () => {
  assert.ok(blocks.length >= 10, `found ${blocks.length} yaml blocks`);
});

blocks.forEach((block, index) => {
  const text = asScenario(block);
  if (text === null) return;
  test(`FORMAT.md example ${index + 1} (${block.split('\n')[0]}) parses`, () => {
    const result = parseScenario(text, `FORMAT.md#${index + 1}`);
    assert.ok(result.ok, result.ok ? '' : `${result.error.where}: ${result.error.message}\n${text}`);
  });
});
