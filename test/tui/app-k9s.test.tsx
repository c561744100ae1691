/**
 * What k9s and Mesos UI users reach for first: `:` view commands with short
 * aliases, command history on Up/Down, Tab completion of commands and ids,
 * regex / `!` / several-term filters, completed tasks apart, `y` for JSON and
 * `l` for a task's output.
 */
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { KEY, renderTui, statusLine, type Harness } from './harness.js';

let h: Harness | null = null;
afterEach(() => {
  h?.unmount();
  h = null;
});

const BIG = { columns: 120, rows: 40 };

/** The key-hint line (the last line). */
function hints(harness: Harness): string {
  return harness.lines().at(-1) ?? '';
}

describe(': view commands', () => {
  for (const [command, title] of [
    ['tasks', 'Tasks'],
    ['tk', 'Tasks'],
    ['agents', 'Agents'],
    ['ag', 'Agents'],
    ['fw', 'Frameworks'],
    ['of', 'Offers'],
    ['ev', 'Events'],
    ['ms', 'Masters'],
    ['ov', 'Overview'],
  ] as const) {
    it(`:${command} switches to ${title}`, async () => {
      h = await renderTui();
      if (title === 'Overview') await h.press('2');
      await h.press(`:${command}\r`);
      assert.equal(h.state().view, title.toLowerCase());
      assert.match(h.lines()[1] ?? '', new RegExp(`\\[\\d ${title}\\]`));
    });
  }

  it('an unknown command suggests the near ones', async () => {
    h = await renderTui();
    await h.press(':ta\r');
    assert.match(statusLine(h), /^error: unknown command "ta" \(did you mean :tasks, :task\?\)$/);
  });
});

describe('command history and completion', () => {
  it('Up recalls older lines, Down newer ones, then an empty line', async () => {
    h = await renderTui();
    await h.press(':speed 2\r');
    await h.press(':tasks\r');
    await h.press(':');
    await h.press(KEY.up);
    assert.equal(h.state().input?.text, 'tasks');
    await h.press(KEY.up);
    assert.equal(h.state().input?.text, 'speed 2');
    await h.press(KEY.up);
    assert.equal(h.state().input?.text, 'speed 2', 'the oldest stays');
    await h.press(KEY.down);
    assert.equal(h.state().input?.text, 'tasks');
    await h.press(KEY.down);
    assert.equal(h.state().input?.text, '');
    await h.press(KEY.up);
    await h.press(KEY.enter);
    assert.equal(h.state().view, 'tasks', 'a recalled line runs');
  });

  it('Tab completes a command word, then an id, and lists the candidates when several remain', async () => {
    h = await renderTui({ size: BIG });
    await h.press(':kil');
    await h.press(KEY.tab);
    assert.equal(h.state().input?.text, 'kill ');
    await h.press('ta');
    await h.press(KEY.tab);
    assert.equal(h.state().input?.text, 'kill task ');
    await h.press('ap');
    await h.press(KEY.tab);
    assert.equal(h.state().input?.text, 'kill task api.');
    assert.match(hints(h), /^tab: 3 match: api\.0 api\.1 api\.2$/);
    await h.press('1');
    await h.press(KEY.tab);
    assert.equal(h.state().input?.text, 'kill task api.1 ');
    await h.press(KEY.enter);
    assert.deepEqual(h.feed.injected, [{ kind: 'kill-task', taskId: 'api.1', frameworkId: 'm1-0001' }]);
  });

  it('Tab completes agent hosts after kill agent', async () => {
    h = await renderTui();
    await h.press(':restart agent agent-3');
    await h.press(KEY.tab);
    assert.equal(h.state().input?.text, 'restart agent agent-3 ');
  });
});

describe('filters', () => {
  it('a regex', async () => {
    h = await renderTui({ size: BIG });
    await h.press('4');
    await h.press('/^web\\.[12]$\r');
    assert.match(h.frame(), /Tasks 2\/9 {2}filter "\^web\\\.\[12\]\$"/);
  });

  it('! negates a word; several words must all match', async () => {
    h = await renderTui({ size: BIG });
    await h.press('4');
    await h.press('/!web\r');
    assert.match(h.frame(), /Tasks 3\/9/, 'the three api tasks');
    await h.press(KEY.escape);
    await h.press('/web agent-1\r');
    const rows = h.lines().filter((l) => /^[> ] web\.\d/.test(l));
    assert.ok(rows.length > 0 && rows.every((l) => /agent-1/.test(l)), rows.join('\n'));
  });

  it('/ again edits the current filter: typing replaces it, backspace edits it', async () => {
    h = await renderTui({ size: BIG });
    await h.press('4');
    await h.press('/web\r');
    await h.press('/');
    assert.equal(h.state().input?.text, 'web');
    assert.match(hints(h), /typing replaces the filter/);
    await h.press('api');
    assert.equal(h.state().filter.tasks, 'api', 'replaced, not "webapi"');
    await h.press('\r/');
    await h.press(KEY.backspace);
    assert.equal(h.state().filter.tasks, 'ap', 'backspace edits');
    await h.press('i');
    assert.equal(h.state().filter.tasks, 'api');
  });
});

describe('completed tasks, JSON and output', () => {
  it('completed tasks are hidden by default; c shows them', async () => {
    h = await renderTui({ size: BIG });
    h.feed.setTaskState('api.2', 'TASK_FINISHED');
    await h.press('4');
    assert.match(h.frame(), /Tasks 8\/8 {2}sort ID asc {2}active \(c: completed too\)/);
    assert.doesNotMatch(h.frame(), /FINISHED/);
    await h.press('c');
    assert.match(h.frame(), /Tasks 9\/9 .*active\+completed/);
    assert.match(h.frame(), /api\.2 .*FINISHED/);
  });

  it('y shows the selected row as JSON in the shape of --once --json', async () => {
    h = await renderTui({ size: { columns: 120, rows: 60 } });
    await h.press('2');
    await h.press('y');
    const frame = h.frame();
    assert.match(frame, /Agents: m1-S0 as JSON/);
    assert.match(frame, /"agentId": "m1-S0",/);
    assert.match(frame, /"registry": "registered",/);
    await h.press(KEY.escape);
    await h.press('4');
    await h.press('y');
    assert.match(h.frame(), /"taskId": "api\.0"/);
    assert.doesNotMatch(h.frame(), /"history"/, 'tasks without their status history, as --once --json');
  });

  it('l shows the selected task’s output; outside Tasks it says what to do', async () => {
    h = await renderTui({ size: BIG });
    await h.press('2');
    await h.press('l');
    assert.match(statusLine(h), /^error: l shows a task’s output: select a task \(4\)$/);
    await h.press('4');
    await h.press('l');
    const frame = h.frame();
    assert.match(frame, /Output of task api\.0 \(esc closes; l again refreshes\)/);
    assert.match(frame, /stdout \(4 lines\)/);
    assert.match(frame, /launching api task api\.0 on m1-S\d/);
    assert.match(frame, /stderr \(0 lines\)/);
  });
});
