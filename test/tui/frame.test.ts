import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as act from '../../src/tui/actions.js';
import { buildFrame } from '../../src/tui/frame.js';
import { TableCache } from '../../src/tui/tables.js';
import { initialState, type UiState } from '../../src/tui/ui-state.js';
import { VIEWS } from '../../src/tui/views.js';
import { FakeFeed } from './fake-feed.js';

function baseState(options: { noColor?: boolean } = {}): { state: UiState; cache: TableCache; feed: FakeFeed } {
  const feed = new FakeFeed({ web: 30, api: 6, extraEvents: 40 });
  const initial = initialState({ seed: '7', timingProfile: 'fast', readonly: false, noColor: options.noColor ?? true, cluster: feed.snapshot(), clock: { paused: false, speed: 1 }, size: { columns: 80, rows: 24 } });
  const state = act.setRun(act.ingest(initial, { cluster: feed.snapshot(), records: feed.events(-1, 5000), clock: { paused: false, speed: 1 } }), {
    scenario: 'agent-loss',
    phase: 'liveness',
    steps: [{ label: 'kill-agent agent-2 with a label long enough to be cut on a narrow screen', state: 'done' }],
    checks: [{ name: 'no-oversubscription', verdict: 'pass', detail: null }],
    verdict: null,
    verdictDetail: null,
  });
  return { state, cache: new TableCache(), feed };
}

const SIZES = [
  { columns: 80, rows: 24 },
  { columns: 60, rows: 15 },
  { columns: 40, rows: 10 },
  { columns: 20, rows: 6 },
  { columns: 12, rows: 4 },
  { columns: 5, rows: 2 },
  { columns: 1, rows: 1 },
];

function variants(state: UiState): Array<[string, UiState]> {
  const out: Array<[string, UiState]> = VIEWS.map((v) => [v.name, { ...state, view: v.name }]);
  out.push(['help', act.toggleHelp({ ...state, view: 'tasks' })]);
  out.push(['describe task', { ...state, view: 'tasks', overlay: { kind: 'describe', view: 'tasks', id: 'web.3', scroll: 0 } }]);
  out.push(['describe agent', { ...state, view: 'agents', overlay: { kind: 'describe', view: 'agents', id: 'm1-S1', scroll: 0 } }]);
  out.push(['confirm', act.askConfirm({ ...state, view: 'tasks' }, 'kill task web.3 on agent-4?', { kind: 'quit' })]);
  out.push(['command line', act.typeText(act.startCommand(state), 'partition agent-1,agent-2 master-1,master-2,master-3')]);
  out.push(['error status', act.setStatus(state, 'no task "nope" and a long explanation that does not fit', 'error')]);
  return out;
}

for (const size of SIZES) {
  test(`every view fits ${size.columns}x${size.rows}: rows-1 lines, none wider than the screen`, () => {
    const { state, cache } = baseState();
    for (const [name, variant] of variants({ ...state, size })) {
      const frame = buildFrame(variant, cache);
      assert.equal(frame.length, Math.max(1, size.rows - 1), `${name}: line count`);
      for (const line of frame) assert.ok(line.text.length <= size.columns, `${name}: "${line.text}" is wider than ${size.columns}`);
      for (const line of frame) assert.doesNotMatch(line.text, /\n/, `${name}: a line never breaks`);
    }
  });
}

test('at 80x24 the tasks view shows header, tabs, title, columns, rows, status and hints', () => {
  const { state, cache } = baseState();
  const frame = buildFrame({ ...state, view: 'tasks' }, cache).map((l) => l.text);
  assert.match(frame[0] ?? '', /^faultline {2}seed 7 fast {2}leader master-1 e1 {2}t 01:00 x1 {2}run liveness 1\/1$/);
  assert.match(frame[1] ?? '', /\[4 Tasks\]/);
  assert.match(frame[2] ?? '', /^Tasks 36\/36 {2}sort ID asc/);
  assert.match(frame[3] ?? '', /ID\s+NAME\s+FRAMEWORK\s+AGENT\s+STATE\s+REASON\s+AGE/);
  assert.match(frame[4] ?? '', /^> api\.0 /);
  assert.equal(frame.filter((l) => /^ {2}(api|web)\./.test(l)).length, 16, '17 rows fit, one is selected');
  assert.match(frame[22] ?? '', /^\? help/);
});

test('the selected row has a > marker and its own style; warnings are marked in words', () => {
  const { state, cache, feed } = baseState();
  feed.setTaskState('api.1', 'TASK_LOST', 'REASON_AGENT_REMOVED');
  const s = act.ingest({ ...state, view: 'tasks' }, { cluster: feed.snapshot(), records: [], clock: state.clock });
  const frame = buildFrame(s, cache);
  const selected = frame.find((l) => l.text.startsWith('> '));
  assert.equal(selected?.style, 'selected');
  const lost = frame.find((l) => l.text.includes('api.1'));
  assert.equal(lost?.style, 'warning');
  assert.match(lost?.text ?? '', /LOST\s+AGENT_REMOVED/);
});

test('60x15 tabs collapse to digits but keep the current title', () => {
  const { state, cache } = baseState();
  const frame = buildFrame({ ...state, view: 'masters', size: { columns: 60, rows: 15 } }, cache);
  assert.match(frame[1]?.text ?? '', /\[7 Masters\]/);
  assert.match(frame[1]?.text ?? '', / 1 {2}2 {2}3 /);
});

test('overview shows leader, agents, frameworks, tasks, meters, sparkline and faults', () => {
  const { state, cache } = baseState();
  const text = buildFrame({ ...state, view: 'overview' }, cache).map((l) => l.text).join('\n');
  assert.match(text, /Leader\s+master-1 epoch 1 \(id m1\)\s+masters: 1 leading, 2 standby/);
  assert.match(text, /Agents\s+4: 4 registered/);
  assert.match(text, /Frameworks web active 30 \| api active 6/);
  assert.match(text, /Tasks\s+36 RUNNING/);
  assert.match(text, /cpus\s+\[#+\+*\.+\]\s+16\s+18|cpus\s+\[#+\+*\.*\]/);
  assert.match(text, /# allocated {2}\+ offered {2}\. idle/);
  assert.match(text, /Running\s+\S+ 36/);
  assert.match(text, /Last faults\n {2}none yet/);
});

test('noColor draws an ASCII sparkline; colour mode uses blocks', () => {
  const { state, cache } = baseState({ noColor: true });
  const samples = [1, 5, 9];
  const plain = buildFrame({ ...state, samples, view: 'overview' }, cache).map((l) => l.text).join('\n');
  assert.match(plain, /Running\s+[_.\-~=+*#]{3} 36/);
  const colour = buildFrame({ ...state, noColor: false, samples, view: 'overview' }, cache).map((l) => l.text).join('\n');
  assert.match(colour, /Running\s+[▁▂▃▄▅▆▇█]{3} 36/);
});

test('the run panel lists steps, phase, checks and verdict in words', () => {
  const { state, cache } = baseState();
  const text = buildFrame({ ...state, view: 'run' }, cache).map((l) => l.text).join('\n');
  assert.match(text, /Scenario {2}agent-loss/);
  assert.match(text, /Phase {5}liveness/);
  assert.match(text, /Verdict {3}running/);
  assert.match(text, /\[done\]\s+kill-agent agent-2/);
  assert.match(text, /pass\s+no-oversubscription/);
  const failed = act.setRun(state, { ...(state.run ?? ({} as never)), verdict: 'safety-violation', verdictDetail: 'task web.1 ran twice', checks: [{ name: 'single-instance', verdict: 'fail', detail: 'web.1 on agent-1 and agent-2' }] });
  const failedText = buildFrame({ ...failed, view: 'run' }, cache).map((l) => l.text).join('\n');
  assert.match(failedText, /Verdict {3}SAFETY VIOLATION \(exit 1\): task web\.1 ran twice/);
  assert.match(failedText, /FAIL\s+single-instance: web\.1 on agent-1 and agent-2/);
});

test('a long document says how much more there is', () => {
  const { state, cache } = baseState();
  const help = buildFrame(act.toggleHelp({ ...state, size: { columns: 80, rows: 15 } }), cache);
  assert.match(help[2]?.text ?? '', /^Help .*\(\d+ more: j\/PgDn\)/);
});
