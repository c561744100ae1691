import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { KEY, renderTui, settle, statusLine, type Harness } from './harness.js';

let h: Harness | null = null;
afterEach(() => {
  h?.unmount();
  h = null;
});

test('space pauses and resumes the simulation', async () => {
  h = await renderTui();
  await h.press(' ');
  assert.equal(h.feed.paused, true);
  assert.match(h.lines()[0] ?? '', /PAUSED/);
  assert.match(statusLine(h), /^paused \(space resumes\)$/);
  await h.press(' ');
  assert.equal(h.feed.paused, false);
  assert.match(h.lines()[0] ?? '', /t 01:00 x1/);
  assert.match(statusLine(h), /^resumed$/);
});

test('+ and - step the speed up and down', async () => {
  h = await renderTui();
  await h.press('+');
  assert.equal(h.feed.speed, 2);
  await h.press('++');
  assert.equal(h.feed.speed, 10);
  assert.match(h.lines()[0] ?? '', /x10/);
  await h.press('-');
  assert.equal(h.feed.speed, 5);
  await h.press('------');
  assert.equal(h.feed.speed, 0.1);
  await h.press('-');
  assert.equal(h.feed.speed, 0.1, 'the slowest step is the floor');
  assert.match(statusLine(h), /^speed x0\.1$/);
});

test('the header follows the feed: virtual time and leader', async () => {
  h = await renderTui();
  h.feed.advance(65_000);
  await settle();
  assert.match(h.lines()[0] ?? '', /t 02:05/);
});

test(':run shows the scenario panel: steps, phase, checks with live verdicts, final verdict', async () => {
  h = await renderTui();
  await h.press(':run agent-loss.yaml\r');
  assert.deepEqual(h.feed.runsStarted, ['agent-loss.yaml']);
  assert.match(h.frame(), /\[8 Run\]/);
  assert.match(h.frame(), /Scenario {2}agent-loss/);
  assert.match(h.frame(), /Phase {5}method/);
  assert.match(h.frame(), /\[done\]\s+kill-agent agent-2/);
  assert.match(h.frame(), /> \[running\]\s+wait 10s/);
  assert.match(h.frame(), /\[pending\]\s+heal/);
  assert.match(h.frame(), /pass\s+no-oversubscription/);
  assert.match(h.frame(), /\.\.\.\.\s+rescheduled-within-bound/);
  assert.match(h.lines()[0] ?? '', /run method 1\/3/);
  const run = h.feed.runs[0];
  assert.ok(run);
  run.update({
    phase: 'liveness',
    steps: run.state.steps.map((s) => ({ ...s, state: 'done' as const })),
    checks: [
      { name: 'no-oversubscription', verdict: 'pass', detail: null },
      { name: 'rescheduled-within-bound', verdict: 'fail', detail: 'web.3 not replaced within 4s' },
    ],
  });
  await settle();
  assert.match(h.frame(), /Phase {5}liveness/);
  assert.match(h.frame(), /FAIL\s+rescheduled-within-bound: web\.3 not replaced within 4s/);
  run.update({ phase: 'done', verdict: 'liveness-failure', verdictDetail: 'web has 11 of 12 running' });
  await settle();
  assert.match(h.frame(), /Verdict {3}LIVENESS FAILURE \(exit 2\): web has 11 of 12 running/);
  assert.match(h.lines()[0] ?? '', /run LIVENESS FAILURE/);
});

test('the run panel joins the tab cycle and key 8; without a run, 8 says so', async () => {
  h = await renderTui();
  await h.press('8');
  assert.match(statusLine(h), /^error: no scenario is running/);
  assert.doesNotMatch(h.lines()[1] ?? '', /Run/);
  await h.press(':run s.yaml\r');
  await h.press('1');
  await h.press('8');
  assert.match(h.frame(), /\[8 Run\]/);
  await h.press(KEY.tab);
  assert.match(h.frame(), /\[1 Overview\]/);
});

test('--scenario starts the run at once', async () => {
  h = await renderTui({ scenario: 'partition.yaml' });
  assert.deepEqual(h.feed.runsStarted, ['partition.yaml']);
  assert.match(h.frame(), /Scenario {2}partition/);
});

test(':run with a bad file, or while a run is going, is a one-line error', async () => {
  h = await renderTui();
  await h.press(':run missing.yaml\r');
  assert.match(statusLine(h), /^error: missing\.yaml: cannot read missing\.yaml$/);
  await h.press(':run a.yaml\r');
  await h.press(':run b.yaml\r');
  assert.match(statusLine(h), /^error: scenario a is still running$/);
  assert.deepEqual(h.feed.runsStarted, ['missing.yaml', 'a.yaml']);
});

test('q quits with 0', async () => {
  h = await renderTui();
  await h.press('q');
  assert.deepEqual(h.quits, [0]);
});

test('q asks while a scenario runs: n stays, y quits', async () => {
  h = await renderTui();
  await h.press(':run soak.yaml\r');
  await h.press('q');
  assert.match(statusLine(h), /^scenario soak is still running: quit anyway\? \[y\/n\]$/);
  await h.press('n');
  assert.deepEqual(h.quits, []);
  assert.match(statusLine(h), /^cancelled$/);
  await h.press('q');
  await h.press('y');
  assert.deepEqual(h.quits, [130], 'a run cut short has no verdict: interrupted, not a pass');
});

test('q does not ask once the scenario has its verdict', async () => {
  h = await renderTui();
  await h.press(':run soak.yaml\r');
  h.feed.runs[0]?.update({ verdict: 'pass', phase: 'done' });
  await settle();
  await h.press('q');
  assert.deepEqual(h.quits, [0]);
});

test('ctrl-c quits at once with 130, even with a prompt open', async () => {
  h = await renderTui();
  await h.press(':run soak.yaml\r');
  await h.press('q');
  await h.press(KEY.ctrlC);
  assert.deepEqual(h.quits, [130]);
});

test('after quitting, keys do nothing', async () => {
  h = await renderTui();
  await h.press('q');
  await h.press('4K');
  assert.deepEqual(h.quits, [0]);
  assert.equal(h.state().view, 'overview');
});

test('esc with nothing open clears the status line', async () => {
  h = await renderTui();
  await h.press('8');
  assert.match(statusLine(h), /^error:/);
  await h.press(KEY.escape);
  assert.equal(statusLine(h).trim(), '');
});
