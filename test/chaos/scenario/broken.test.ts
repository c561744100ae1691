import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ErrorCode } from '../../../src/core/errors.js';
import { parseScenario, parseScenarioFile } from '../../../src/chaos/scenario/index.js';
import { seeded } from '../../helpers/random.js';

const dir = join(import.meta.dirname, '../../fixtures/scenarios/broken');

interface Broken {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly code: ErrorCode;
  /** What the file holds at line:column (proves the location is the bad node, not its parent). */
  readonly at: string;
  /** A piece of the message. */
  readonly says: string;
}

const cases: readonly Broken[] = [
  { file: 'bad-yaml.yaml', line: 4, column: 1, code: 'SCENARIO_YAML', at: 'liveness', says: 'invalid YAML: flow sequence' },
  { file: 'unknown-top-key.yaml', line: 3, column: 1, code: 'SCENARIO_SCHEMA', at: 'metod:', says: 'unknown key "metod" in the scenario, did you mean "method"?' },
  { file: 'unknown-nested-key.yaml', line: 5, column: 3, code: 'SCENARIO_SCHEMA', at: 'agnets:', says: 'unknown key "agnets" in cluster, did you mean "agents"?' },
  { file: 'wrong-type.yaml', line: 4, column: 12, code: 'SCENARIO_SCHEMA', at: 'three', says: 'masters must be a whole number, got "three"' },
  { file: 'unknown-fault.yaml', line: 5, column: 5, code: 'SCENARIO_SCHEMA', at: 'kill-agnet', says: 'unknown step "kill-agnet", did you mean "kill-agent"?' },
  { file: 'bad-target.yaml', line: 6, column: 17, code: 'SCENARIO_SEMANTIC', at: 'agent-9', says: 'unknown agent "agent-9" (agents: agent-1, agent-2, agent-3)' },
  { file: 'wrong-target-kind.yaml', line: 4, column: 17, code: 'SCENARIO_SEMANTIC', at: 'leader', says: 'kill-agent cannot target "leader"' },
  { file: 'missing-deadline.yaml', line: 5, column: 5, code: 'SCENARIO_SCHEMA', at: 'until', says: 'until needs a deadline: add "within: 60s"' },
  { file: 'bad-duration.yaml', line: 4, column: 11, code: 'SCENARIO_SCHEMA', at: '30 seconds', says: '"30 seconds" is not a duration' },
  { file: 'unitless-duration.yaml', line: 4, column: 11, code: 'SCENARIO_SCHEMA', at: '30', says: 'needs a unit' },
  { file: 'bad-resources.yaml', line: 7, column: 18, code: 'SCENARIO_SCHEMA', at: '"cpus:x', says: 'resources.cpus: "x" is not a number' },
  { file: 'bad-condition.yaml', line: 6, column: 17, code: 'SCENARIO_SCHEMA', at: 'runing', says: 'bad condition: unknown task state "runing", did you mean "running"?' },
  { file: 'condition-unknown-app.yaml', line: 6, column: 21, code: 'SCENARIO_SEMANTIC', at: 'webb', says: 'unknown app "webb", did you mean "web"?' },
  { file: 'negative-count.yaml', line: 6, column: 18, code: 'SCENARIO_SCHEMA', at: '-2', says: 'instances must be at least 0, got -2' },
  { file: 'duplicate-key.yaml', line: 5, column: 1, code: 'SCENARIO_YAML', at: 'name: again', says: 'duplicate key "name"' },
  { file: 'empty.yaml', line: 1, column: 1, code: 'SCENARIO_SCHEMA', at: '', says: 'the file is empty' },
  { file: 'not-a-mapping.yaml', line: 2, column: 1, code: 'SCENARIO_SCHEMA', at: '- kill-agent', says: 'a scenario is a mapping of keys' },
  { file: 'unknown-profile.yaml', line: 4, column: 12, code: 'SCENARIO_SCHEMA', at: 'quick', says: 'timing profile must be one of fast, mesos, got "quick"' },
  { file: 'unknown-app.yaml', line: 6, column: 27, code: 'SCENARIO_SEMANTIC', at: 'webb', says: 'unknown app "webb", did you mean "web"?' },
  { file: 'tabs.yaml', line: 4, column: 1, code: 'SCENARIO_YAML', at: '\t- heal', says: 'indent with spaces, not tabs' },
  { file: 'two-actions.yaml', line: 5, column: 5, code: 'SCENARIO_SCHEMA', at: 'wait', says: 'one action per step' },
  { file: 'bad-probability.yaml', line: 4, column: 45, code: 'SCENARIO_SCHEMA', at: '1.5', says: 'loss must be between 0 and 1, got 1.5' },
  { file: 'unknown-alias.yaml', line: 4, column: 11, code: 'SCENARIO_SCHEMA', at: '*pause', says: 'unknown alias *pause' },
  { file: 'expunge-before-inactive.yaml', line: 6, column: 76, code: 'SCENARIO_SEMANTIC', at: '30}', says: 'expungeAfterSeconds (30) must be at least inactiveAfterSeconds (60)' },
  { file: 'duplicate-app.yaml', line: 5, column: 18, code: 'SCENARIO_SEMANTIC', at: 'web', says: 'app name "web" is used twice' },
  { file: 'one-group.yaml', line: 4, column: 25, code: 'SCENARIO_SCHEMA', at: '[[master-1', says: 'a partition needs at least two groups, got 1' },
  { file: 'missing-name.yaml', line: 2, column: 1, code: 'SCENARIO_SCHEMA', at: 'description', says: 'the scenario needs "name"' },
  { file: 'repeat-zero.yaml', line: 5, column: 14, code: 'SCENARIO_SCHEMA', at: '0', says: 'times must be at least 1, got 0' },
  { file: 'too-big-app.yaml', line: 6, column: 51, code: 'SCENARIO_SEMANTIC', at: '"cpus:64', says: 'needs cpus:64;mem:128 per task, more than any agent has' },
  { file: 'unknown-step-key.yaml', line: 5, column: 5, code: 'SCENARIO_SCHEMA', at: 'withn', says: 'unknown key "withn" in the until step, did you mean "within"?' },
];

test('every broken fixture has a row in the table, and every row a fixture', async () => {
  const { readdirSync } = await import('node:fs');
  const files = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();
  assert.deepEqual(files, cases.map((c) => c.file).sort());
  assert.ok(new Set(cases.map((c) => c.code)).size === 3, 'all three scenario error codes are exercised');
});

for (const c of cases) {
  test(`${c.file}: one line at ${c.line}:${c.column} (${c.code})`, async () => {
    const path = join(dir, c.file);
    const result = await parseScenarioFile(path);
    assert.equal(result.ok, false);
    if (result.ok) return;
    const { error } = result;
    assert.equal(error.code, c.code);
    assert.equal(error.where, `${path}:${c.line}:${c.column}`);
    assert.ok(error.message.includes(c.says), `message: ${error.message}`);
    assert.ok(!/[\n\r]/.test(error.message), 'one line');
    const lineText = readFileSync(path, 'utf8').split('\n')[c.line - 1] ?? '';
    assert.ok(lineText.slice(c.column - 1).startsWith(c.at), `at ${c.line}:${c.column} the file holds ${JSON.stringify(lineText.slice(c.column - 1))}`);
  });
}

test('an unreadable file is an IO error naming the path, not a throw', async () => {
  const path = join(dir, 'no-such-file.yaml');
  const result = await parseScenarioFile(path);
  assert.equal(result.ok, false);
  if (result.ok) return;
  assert.equal(result.error.code, 'IO');
  assert.equal(result.error.where, path);
});

test('the file name given is the one in every location', () => {
  const result = parseScenario('name: x\nmethod:\n  - kil-agent: random\n', 'scenarios/mine.yaml');
  assert.equal(result.ok, false);
  if (result.ok) return;
  assert.equal(result.error.where, 'scenarios/mine.yaml:3:5');
});

test('of several problems, the earliest of the most basic kind is reported', () => {
  // A semantic problem on line 3 and a schema problem on line 5: the schema one wins.
  const text = 'name: x\nmethod:\n  - kill-agent: agent-99\n  - wait: 1s\n  - wait: soon\n';
  const result = parseScenario(text, 'f.yaml');
  assert.equal(result.ok, false);
  if (result.ok) return;
  assert.equal(result.error.code, 'SCENARIO_SCHEMA');
  assert.equal(result.error.where, 'f.yaml:5:11');
});

test('a misspelt required key is reported as the typo, not as missing', () => {
  const result = parseScenario('nme: x\nmethod: [heal]\n', 'f.yaml');
  assert.equal(result.ok, false);
  if (result.ok) return;
  assert.match(result.error.message, /unknown key "nme" in the scenario, did you mean "name"\?/);
});

const garbage: ReadonlyArray<readonly [string, string]> = [
  ['a lone scalar', 'just words'],
  ['a number', '42'],
  ['nulls everywhere', 'name:\nmethod:\n'],
  ['a step that is a list', 'name: x\nmethod:\n  - [heal]\n'],
  ['a key that is a mapping', 'name: x\n? {a: 1}\n: 2\nmethod: [heal]\n'],
  ['deep nonsense', 'name: x\nmethod:\n  - parallel: {a: [1, 2]}\n  - repeat: [heal]\n  - partition: [[]]\n'],
  ['binary-ish text', 'name: "\\x00\\x01"\nmethod: [heal, {wait: []}]\n'],
];
for (const [what, text] of garbage) {
  test(`never throws on ${what}`, () => {
    const result = parseScenario(text, 'g.yaml');
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.match(result.error.where ?? '', /^g\.yaml:\d+:\d+$/);
  });
}

test('an empty step and a stray within each get their own message', () => {
  const empty = parseScenario('name: x\nmethod:\n  - {}\n', 'e.yaml');
  assert.ok(!empty.ok && empty.error.message.startsWith('an empty step') && empty.error.where === 'e.yaml:3:5');
  const stray = parseScenario('name: x\nmethod:\n  - within: 5s\n', 's.yaml');
  assert.ok(!stray.ok && stray.error.message.startsWith('within belongs to an until step'));
});

test('damaged files never throw: 150 seeded mutations of a valid file', () => {
  const original = readFileSync(join(dir, '../valid/every-step.yaml'), 'utf8');
  const random = seeded(12345);
  const next = (n: number): number => Math.floor(random() * n);
  const pieces = [':', '-', ' ', '\n', '{', '}', '[', ']', '"', "'", '&a', '*a', '#', '\t', '0', 'x', 'kill-agent', '---'];
  let failures = 0;
  for (let i = 0; i < 150; i += 1) {
    let text = original;
    for (let edits = 1 + next(3); edits > 0; edits -= 1) {
      const at = next(text.length);
      text = next(2) === 0 ? text.slice(0, at) + (pieces[next(pieces.length)] ?? '') + text.slice(at) : text.slice(0, at) + text.slice(at + 1 + next(8));
    }
    const result = parseScenario(text, 'm.yaml');
    if (result.ok) continue;
    failures += 1;
    assert.match(result.error.where ?? '', /^m\.yaml:\d+:\d+$/, text);
    assert.ok(!/[\n\r]/.test(result.error.message), result.error.message);
    assert.ok(['SCENARIO_YAML', 'SCENARIO_SCHEMA', 'SCENARIO_SEMANTIC'].includes(result.error.code));
  }
  assert.ok(failures > 40, `most mutations break the file (${failures})`);
});
