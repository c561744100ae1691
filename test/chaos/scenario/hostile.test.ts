/**
 * Hostile scenario files end in one `file:line:column` error, quickly and in
 * bounded memory: an alias bomb, a huge file, waits of days.
 */
import { after, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseScenario, parseScenarioFile } from '../../../src/chaos/scenario/index.js';

const dir = mkdtempSync(join(tmpdir(), 'faultline-hostile-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A billion-laughs document under 1.5 KB: ten levels of nine aliases each. */
function aliasBomb(): string {
  const lines = ['name: bomb', 'a0: &a0 [x, x, x, x, x, x, x, x, x]'];
  for (let i = 1; i <= 10; i += 1) lines.push(`a${i}: &a${i} [${Array.from({ length: 9 }, () => `*a${i - 1}`).join(', ')}]`);
  lines.push('method: []');
  return `${lines.join('\n')}\n`;
}

it('an alias bomb is refused at its first alias, at once', () => {
  const text = aliasBomb();
  assert.ok(text.length < 1536);
  const started = performance.now();
  const parsed = parseScenario(text, 'bomb.yaml');
  assert.ok(performance.now() - started < 2_000, 'no exponential walk');
  assert.equal(parsed.ok, false);
  if (parsed.ok) return;
  assert.equal(parsed.error.where, 'bomb.yaml:3:10');
  assert.match(parsed.error.message, /aliases here expand too much/);
});

it('a few honest aliases still work', () => {
  const parsed = parseScenario('name: ok\nmethod:\n  - wait: &w 1s\n  - wait: *w\n', 'ok.yaml');
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.error.message);
});

it('a file over 1 MB is refused before it is read', async () => {
  const path = join(dir, 'big.yaml');
  writeFileSync(path, `name: big\ndescription: "${'x'.repeat(2 * 1024 * 1024)}"\nmethod: []\n`);
  const parsed = await parseScenarioFile(path);
  assert.equal(parsed.ok, false);
  if (parsed.ok) return;
  assert.equal(parsed.error.where, `${path}:1:1`);
  assert.match(parsed.error.message, /^the file is 2049 KB: a scenario file may be at most 1024 KB$/);
});

for (const [step, at, says] of [
  ['  - wait: 100000d', '6:11', /^wait must be at most 1d, got "100000d"$/],
  ['  - until: service web running == 1\n    within: 2d', '7:13', /^within must be at most 1d, got "2d"$/],
] as const) {
  it(`a wait of days is refused: ${step.trim().split('\n')[0] ?? ''}`, () => {
    const parsed = parseScenario(`name: long\nworkload:\n  services:\n    - { name: web, instances: 1 }\nmethod:\n${step}\n`, 'long.yaml');
    assert.equal(parsed.ok, false);
    if (parsed.ok) return;
    assert.equal(parsed.error.where, `long.yaml:${at}`);
    assert.match(parsed.error.message, says);
  });
}
