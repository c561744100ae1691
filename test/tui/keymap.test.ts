import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bindingOf, hintItems, keyHelpLines, KEYMAP } from '../../src/tui/keymap.js';
import { VIEWS } from '../../src/tui/views.js';

test('no key is bound twice in a mode; a replay key wins over the same key only in a replay', () => {
  for (const replay of [false, true]) {
    const seen = new Map<string, string>();
    for (const b of KEYMAP) {
      if ((b.replay === true) !== replay) continue;
      for (const k of b.keys) {
        assert.equal(seen.has(k), false, `${k} is bound to ${seen.get(k)} and ${b.command}`);
        seen.set(k, b.command);
      }
    }
  }
  assert.equal(bindingOf('g')?.command, 'top');
  assert.equal(bindingOf('g', { replay: true })?.command, 'replay-start');
  assert.equal(bindingOf('home', { replay: true })?.command, 'top', 'home still moves in a table');
  assert.equal(bindingOf(']')?.command, undefined, 'replay keys do nothing live');
});

test('no key that tmux, screen or flow control takes', () => {
  const taken = ['ctrl-a', 'ctrl-b', 'ctrl-s', 'ctrl-q', 'ctrl-z'];
  for (const b of KEYMAP) for (const k of b.keys) assert.equal(taken.includes(k), false, `${k} is taken by the terminal`);
});

test('the issue-5 keys are all bound to the right commands', () => {
  const expected: Record<string, string> = {
    j: 'down', k: 'up', down: 'down', up: 'up', g: 'top', G: 'bottom', pageup: 'page-up', pagedown: 'page-down',
    '/': 'filter', s: 'sort-next', S: 'sort-reverse', enter: 'describe', '?': 'help', ':': 'command', q: 'quit', tab: 'next-view',
    space: 'pause-clock', '+': 'faster', '-': 'slower',
    x: 'kill-task', K: 'kill-node', R: 'restart-node', p: 'pause-node', i: 'isolate-node', h: 'heal', F: 'failover', w: 'write', W: 'warnings',
  };
  for (const [key, command] of Object.entries(expected)) assert.equal(bindingOf(key)?.command, command, key);
  for (const v of VIEWS) assert.equal(bindingOf(v.digit)?.view, v.name, v.digit);
});

test('every fault key is marked as a fault (so --readonly turns it off)', () => {
  for (const key of ['x', 'K', 'R', 'p', 'i', 'h', 'F']) assert.equal(bindingOf(key)?.fault, true, key);
  for (const key of ['j', 'w', 'q', ':', 'space']) assert.notEqual(bindingOf(key)?.fault, true, key);
});

test('help is generated from the keymap: every binding has a line', () => {
  const help = keyHelpLines({ readonly: false }).join('\n');
  for (const b of KEYMAP.filter((k) => k.replay !== true)) assert.match(help, new RegExp(`^  ${b.label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s+${b.help.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`, 'm'));
  assert.doesNotMatch(help, /off: --readonly/);
  assert.match(keyHelpLines({ readonly: true }).join('\n'), /kill the selected task \(off: --readonly\)/);
  assert.doesNotMatch(help, /^Replay$/m, 'no replay keys live');
  const replayHelp = keyHelpLines({ readonly: true, replay: true }).join('\n');
  for (const b of KEYMAP.filter((k) => k.replay === true)) assert.match(replayHelp, new RegExp(`^  ${b.label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s+`, 'm'));
  assert.match(replayHelp, /^ {2}home\s+top/m, 'g is the replay\'s: home is left for the top of a table');
  assert.match(replayHelp, /^ {2}space\s+play \/ pause the replay/m);
});

test('hints put help first, then the view keys; readonly hides fault hints', () => {
  const tasks = hintItems({ view: 'tasks', readonly: false });
  assert.equal(tasks[0], '? help');
  assert.ok(tasks.indexOf('x kill') < tasks.indexOf('q quit'));
  assert.ok(!hintItems({ view: 'tasks', readonly: true }).includes('x kill'));
  assert.ok(hintItems({ view: 'agents', readonly: false }).includes('K kill'));
  assert.ok(!hintItems({ view: 'agents', readonly: false }).includes('x kill'));
  assert.ok(hintItems({ view: 'events', readonly: false }).includes('W warnings'));
});
