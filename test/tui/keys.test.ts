import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tokensOf, type KeyFlags } from '../../src/tui/keys.js';

const cases: Array<[string, string, KeyFlags, string[]]> = [
  ['one letter', 'j', {}, ['j']],
  ['four presses in one input string', 'jjjj', {}, ['j', 'j', 'j', 'j']],
  ['mixed printable burst', 'gG?', {}, ['g', 'G', '?']],
  ['space is named', ' ', {}, ['space']],
  ['enter inside a burst', 'jj\r', {}, ['j', 'j', 'enter']],
  ['DEL inside a burst is backspace', 'ab\x7f', {}, ['a', 'b', 'backspace']],
  ['up arrow', '', { upArrow: true }, ['up']],
  ['down arrow', '', { downArrow: true }, ['down']],
  ['page up', '', { pageUp: true }, ['pageup']],
  ['page down', '', { pageDown: true }, ['pagedown']],
  ['home', '', { home: true }, ['home']],
  ['end', '', { end: true }, ['end']],
  ['return', '', { return: true }, ['enter']],
  ['tab', '', { tab: true }, ['tab']],
  ['shift-tab', '', { tab: true, shift: true }, ['shift-tab']],
  ['backspace', '', { backspace: true }, ['backspace']],
  ['delete (what most terminals send for Backspace)', '', { delete: true }, ['backspace']],
  ['escape', '', { escape: true }, ['escape']],
  ['ctrl-c', 'c', { ctrl: true }, ['ctrl-c']],
  ['other ctrl letters are ignored (ctrl-s, ctrl-z belong to the terminal)', 's', { ctrl: true }, []],
];

for (const [name, input, key, expected] of cases) {
  test(`tokens: ${name}`, () => {
    assert.deepEqual(tokensOf(input, key), expected);
  });
}
