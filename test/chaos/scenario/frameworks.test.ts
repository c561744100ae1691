/**
 * External frameworks in scenario files: `frameworks: [{external: ...}]` and
 * the `expect: {framework, running}` condition, with one-line errors that name
 * file:line:column, and the serializer's round trip.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseScenario, scenarioToYaml } from '../../../src/chaos/scenario/index.js';

const BASE = `name: ext
frameworks:
  - external:
      name: ext
      command: node test/fixtures/external-scheduler.mjs
      env: {INSTANCES: 3, IGNORE_UNREACHABLE: "0"}
steady:
  - expect: {framework: ext, running: 3}
method:
  - kill-agent: {running: ext}
liveness:
  deadline: 30s
  conditions:
    - expect: {framework: ext, running: 3, staging: 0}
`;

describe('external frameworks in a scenario', () => {
  it('parses the framework, its env and the expectations', () => {
    const parsed = parseScenario(BASE, 'x.yaml');
    assert.ok(parsed.ok, parsed.ok ? '' : `${parsed.error.where}: ${parsed.error.message}`);
    const s = parsed.value;
    assert.deepEqual(s.frameworks.map((f) => [f.name, f.command, f.env]), [['ext', 'node test/fixtures/external-scheduler.mjs', { INSTANCES: '3', IGNORE_UNREACHABLE: '0' }]]);
    assert.deepEqual(s.steady.checks[0]?.condition, { kind: 'app-tasks', app: 'ext', state: 'TASK_RUNNING', op: '==', value: 3 });
    assert.equal(s.liveness.checks[0]?.condition.kind, 'and');
  });

  it('round-trips through the serializer', () => {
    const parsed = parseScenario(BASE, 'x.yaml');
    assert.ok(parsed.ok);
    const again = parseScenario(scenarioToYaml(parsed.value), 'y.yaml');
    assert.ok(again.ok, again.ok ? '' : again.error.message);
    assert.deepEqual(again.value.frameworks.map((f) => ({ ...f, loc: null })), parsed.value.frameworks.map((f) => ({ ...f, loc: null })));
    assert.deepEqual(again.value.steady.checks.map((c) => c.condition), parsed.value.steady.checks.map((c) => c.condition));
  });

  it('names a default, external-<n>', () => {
    const parsed = parseScenario('name: x\nframeworks: [{external: {command: "sleep 1"}}]\nmethod: []\n', 'x.yaml');
    assert.ok(parsed.ok);
    assert.equal(parsed.value.frameworks[0]?.name, 'external-1');
  });

  const BROKEN: ReadonlyArray<readonly [string, string, RegExp]> = [
    ['no command', 'name: x\nframeworks: [{external: {name: a}}]\nmethod: []\n', /^x\.yaml:2:\d+$/],
    ['unknown key', 'name: x\nframeworks: [{external: {command: a, enviro: {}}}]\nmethod: []\n', /^x\.yaml:2:\d+$/],
    ['not external', 'name: x\nframeworks: [{internal: {command: a}}]\nmethod: []\n', /^x\.yaml:2:\d+$/],
    ['FAULTLINE_MASTER is ours', 'name: x\nframeworks: [{external: {command: a, env: {FAULTLINE_MASTER: x}}}]\nmethod: []\n', /^x\.yaml:2:\d+$/],
    ['a name taken by an app', 'name: x\nworkload: {services: [{name: web, instances: 1}]}\nframeworks: [{external: {name: web, command: a}}]\nmethod: []\n', /^x\.yaml:3:\d+$/],
    ['expect of an unknown framework', 'name: x\nsteady: [{expect: {framework: nope, running: 1}}]\nmethod: []\n', /^x\.yaml:2:\d+$/],
    ['expect without a state', 'name: x\nframeworks: [{external: {name: a, command: b}}]\nsteady: [{expect: {framework: a}}]\nmethod: []\n', /^x\.yaml:3:\d+$/],
    ['expect with a bad count', 'name: x\nframeworks: [{external: {name: a, command: b}}]\nsteady: [{expect: {framework: a, running: -1}}]\nmethod: []\n', /^x\.yaml:3:\d+$/],
  ];
  for (const [what, text, where] of BROKEN) {
    it(`refuses ${what} with one line naming file:line:column`, () => {
      const parsed = parseScenario(text, 'x.yaml');
      assert.ok(!parsed.ok, 'accepted');
      assert.match(parsed.error.where ?? '', where, parsed.error.message);
      assert.doesNotMatch(parsed.error.message, /\n/);
    });
  }
});
