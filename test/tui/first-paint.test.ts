import { test } from 'node:test';
import assert from 'node:assert/strict';
import { frameText, paintFirstFrame, sgrOf } from '../../src/tui/first-paint.js';
import { runTui } from '../../src/tui/run.js';
import { enterFullScreen, restoreTerminal } from '../../src/tui/terminal.js';
import { modulesLoadedBy } from '../helpers/loaded-modules.js';
import { FakeFeed } from './fake-feed.js';
import { FakeStdin, FakeStdout } from './fake-terminal.js';
import { settle } from './harness.js';

const ENTER = '\x1b[?1049h';
const LEAVE = '\x1b[?1049l';
const HIDE = '\x1b[?25l';
const HOME = '\x1b[H';

/** Screen lines of some terminal output: escape sequences dropped, trailing blanks trimmed. */
function visibleLines(output: string): string[] {
  // eslint-disable-next-line no-control-regex
  return output.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').split(/\r?\n/).map((l) => l.trimEnd());
}

test('frameText: from the top-left corner, one row per line, styles as SGR (none without colour), blanks trimmed, cursor back home', () => {
  const lines = [
    { text: 'faultline  seed 7', style: 'header' as const },
    { text: 'a row   ', style: 'plain' as const },
    { text: '> chosen  ', style: 'selected' as const },
    { text: '', style: 'hint' as const },
  ];
  const coloured = frameText(lines, false);
  assert.equal(coloured, `${HOME}\x1b[1;36mfaultline  seed 7\x1b[0m\r\na row\r\n\x1b[7m> chosen\x1b[0m\r\n${HOME}`);
  assert.equal(frameText(lines, true), `${HOME}faultline  seed 7\r\na row\r\n> chosen\r\n${HOME}`);
  assert.equal(sgrOf({}), '');
  assert.equal(sgrOf({ dimColor: true, bold: true }), '\x1b[1;2m');
  assert.equal(sgrOf({ color: 'yellow' }), '\x1b[33m');
});

test('enterFullScreen with a TTY stdin turns raw mode on and restoreTerminal off again; any other stdin is left alone', () => {
  const stdout = new FakeStdout();
  const tty = new FakeStdin(true);
  enterFullScreen(stdout as unknown as NodeJS.WriteStream, tty as unknown as NodeJS.ReadStream);
  enterFullScreen(stdout as unknown as NodeJS.WriteStream, tty as unknown as NodeJS.ReadStream);
  assert.deepEqual(tty.rawModes, [true]);
  restoreTerminal(stdout as unknown as NodeJS.WriteStream);
  restoreTerminal(stdout as unknown as NodeJS.WriteStream);
  assert.deepEqual(tty.rawModes, [true, false]);
  assert.equal(stdout.output.split(LEAVE).length - 1, 1);

  const piped = new FakeStdin(false);
  const other = new FakeStdout();
  enterFullScreen(other as unknown as NodeJS.WriteStream, piped as unknown as NodeJS.ReadStream);
  restoreTerminal(other as unknown as NodeJS.WriteStream);
  assert.deepEqual(piped.rawModes, []);
});

test('the first paint draws the frame Ink then draws over it, with the same session; the terminal is restored on exit', async () => {
  const feed = new FakeFeed();
  const stdout = new FakeStdout();
  const stdin = new FakeStdin(true);
  const options = {
    feed,
    stdin: stdin as unknown as NodeJS.ReadStream,
    stdout: stdout as unknown as NodeJS.WriteStream,
    readonly: false,
    noColor: true,
    refreshMs: 0,
  };
  const session = paintFirstFrame(options);
  assert.ok(stdout.output.startsWith(ENTER + HIDE));
  assert.deepEqual(stdin.rawModes, [true], 'keys typed before Ink listens neither echo nor signal');
  const painted = visibleLines(stdout.output.slice(stdout.output.indexOf(HOME)));
  assert.equal(painted.length, 23, 'rows - 1 lines');
  assert.match(painted[0] ?? '', /^faultline {2}seed 42/);
  assert.ok(painted.includes('Overview'));

  const paintedLength = stdout.output.length;
  const exits: number[] = [];
  const handle = runTui({ ...options, stderr: new FakeStdout() as unknown as NodeJS.WriteStream, session, onExit: (code) => exits.push(code) });
  try {
    await settle();
    assert.equal(handle.session, session);
    stdin.write('q');
    assert.equal(await handle.exited, 0);
    assert.deepEqual(exits, [0]);
    // Judged after the exit: with CI set (as the test command runs) Ink writes only its last frame, at unmount.
    const drawn = stdout.output.slice(paintedLength);
    assert.ok(!drawn.includes(ENTER), 'the full screen is entered once');
    assert.deepEqual(visibleLines(drawn).slice(0, painted.length), painted, 'Ink draws the same frame over the painted one');
    assert.ok(stdout.output.endsWith(LEAVE));
    assert.equal(stdin.rawModes.at(-1), false, 'raw mode is off again');
  } finally {
    handle.exit(0);
  }
});

test('a resize while Ink loads is picked up when runTui takes the painted session', async () => {
  const stdout = new FakeStdout();
  const options = {
    feed: new FakeFeed(),
    stdin: new FakeStdin(false) as unknown as NodeJS.ReadStream,
    stdout: stdout as unknown as NodeJS.WriteStream,
    readonly: false,
    noColor: true,
    refreshMs: 0,
  };
  const session = paintFirstFrame(options);
  stdout.columns = 60;
  stdout.rows = 15;
  const handle = runTui({ ...options, stderr: new FakeStdout() as unknown as NodeJS.WriteStream, session, onExit: () => {} });
  try {
    const deadlineMs = performance.now() + 10_000;
    while (session.store.getState().size.columns !== 60 && performance.now() < deadlineMs) await settle();
    assert.deepEqual(session.store.getState().size, { columns: 60, rows: 15 });
  } finally {
    handle.exit(0);
  }
});

test('the first paint and the terminal restore load neither Ink nor React (the point of painting first)', () => {
  const loaded = modulesLoadedBy(`
    await import('./src/tui/first-paint.ts');
    await import('./src/tui/terminal.ts');
    process.stderr.write('DONE\\n');
  `);
  assert.ok(loaded.includes('src/tui/frame.ts'), `the hook sees the TUI: ${loaded.join(' ')}`);
  assert.deepEqual(
    loaded.filter((file) => /^node_modules\/(ink|react|react-reconciler|yoga-layout|es-toolkit)\//.test(file) || file === 'src/tui/run.ts' || file === 'src/tui/app.tsx'),
    [],
  );
});
