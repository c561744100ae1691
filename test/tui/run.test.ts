import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { runTui, type TuiHandle } from '../../src/tui/run.js';
import { restoreTerminal } from '../../src/tui/terminal.js';
import { FakeFeed } from './fake-feed.js';
import { FakeStdin, FakeStdout } from './fake-terminal.js';
import { settle } from './harness.js';

const ENTER = '\x1b[?1049h';
const LEAVE = '\x1b[?1049l';
const HIDE = '\x1b[?25l';
const SHOW = '\x1b[?25h';

let handle: TuiHandle | null = null;
afterEach(() => {
  handle?.exit(0);
  handle = null;
});

function start(options: { isTTY?: boolean; feed?: FakeFeed } = {}) {
  const stdout = new FakeStdout();
  const stdin = new FakeStdin(options.isTTY ?? true);
  const exits: Array<{ code: number; error?: unknown; outputAtExit: string }> = [];
  handle = runTui({
    feed: options.feed ?? new FakeFeed(),
    stdin: stdin as unknown as NodeJS.ReadStream,
    stdout: stdout as unknown as NodeJS.WriteStream,
    stderr: new FakeStdout() as unknown as NodeJS.WriteStream,
    readonly: false,
    noColor: true,
    refreshMs: 0,
    onExit: (code, error) => exits.push(error === undefined ? { code, outputAtExit: stdout.output } : { code, error, outputAtExit: stdout.output }),
  });
  return { stdout, stdin, exits, handle };
}

test('enters the alternate screen with the cursor hidden before drawing', async () => {
  const { stdout } = start();
  await settle();
  assert.ok(stdout.output.startsWith(ENTER + HIDE), JSON.stringify(stdout.output.slice(0, 20)));
});

test('q unmounts, leaves the alternate screen, shows the cursor, then reports 0', async () => {
  const { stdin, exits, handle: h } = start();
  await settle();
  stdin.write('q');
  const code = await h.exited;
  assert.equal(code, 0);
  assert.equal(exits.length, 1);
  assert.equal(exits[0]?.code, 0);
  const out = exits[0]?.outputAtExit ?? '';
  assert.ok(out.lastIndexOf(LEAVE) > out.lastIndexOf(ENTER), 'left the alternate screen');
  assert.ok(out.lastIndexOf(SHOW) > out.lastIndexOf(HIDE), 'cursor shown');
  assert.ok(out.endsWith(LEAVE), 'the restore is the last thing written before onExit');
});

test('ctrl-c restores the terminal and reports 130', async () => {
  const { stdin, exits, handle: h } = start();
  await settle();
  stdin.write('\x03');
  assert.equal(await h.exited, 130);
  assert.equal(exits[0]?.code, 130);
  assert.ok(exits[0]?.outputAtExit.endsWith(LEAVE));
});

test('exit(code) (the CLI on SIGTERM/SIGHUP) restores once; restoreTerminal is idempotent', async () => {
  const { stdout, exits, handle: h } = start();
  await settle();
  h.exit(143);
  assert.equal(await h.exited, 143);
  const after = stdout.output;
  h.exit(129);
  restoreTerminal(stdout as unknown as NodeJS.WriteStream);
  await settle();
  assert.equal(stdout.output, after, 'nothing more is written');
  assert.deepEqual(exits.map((e) => e.code), [143]);
  assert.equal(after.split(LEAVE).length - 1, 1, 'left the alternate screen exactly once');
  assert.equal((h.session.feed as FakeFeed).listenerCount(), 0, 'stopped listening to the feed');
});

test('restoreTerminal on a stream runTui never touched writes nothing', () => {
  const stdout = new FakeStdout();
  restoreTerminal(stdout as unknown as NodeJS.WriteStream);
  assert.equal(stdout.output, '');
});

test('resize events reach the layout', async () => {
  const { stdout, handle: h } = start();
  await settle();
  stdout.columns = 60;
  stdout.rows = 15;
  stdout.emit('resize');
  await settle();
  assert.deepEqual(h.session.store.getState().size, { columns: 60, rows: 15 });
  h.exit(0);
  assert.equal(stdout.listenerCount('resize'), 0, 'the resize listener is removed');
});

test('a stdin that is not a TTY does not crash: no keyboard, still draws and exits', async () => {
  const { stdin, exits, handle: h } = start({ isTTY: false });
  await settle();
  stdin.write('q');
  await settle();
  assert.deepEqual(exits, [], 'keys are not read');
  h.exit(0);
  assert.equal(await h.exited, 0);
});

test('a crash while rendering restores the terminal and reports 70 with the error', async () => {
  const feed = new FakeFeed();
  const { exits, handle: h } = start({ feed });
  await settle();
  const broken = feed.snapshot();
  feed.snapshot = () => ({ ...broken, counts: undefined as never });
  feed.advance(1);
  assert.equal(await h.exited, 70);
  assert.equal(exits[0]?.code, 70);
  assert.ok(exits[0]?.error instanceof Error);
  assert.ok(exits[0]?.outputAtExit.endsWith(LEAVE));
});

test('a widen then q: the screen is cleared before the alternate screen is left, and nothing is written after', async () => {
  const { stdout, stdin, handle: h } = start();
  await settle();
  stdout.columns = 160;
  stdout.rows = 50;
  stdout.emit('resize');
  await settle();
  stdin.write('q');
  await h.exited;
  const out = stdout.output;
  const leave = out.lastIndexOf(LEAVE);
  assert.ok(out.lastIndexOf('\x1b[2J') > out.lastIndexOf('faultline'), 'the last frame is cleared');
  assert.ok(out.lastIndexOf('\x1b[2J') < leave, 'before leaving the alternate screen');
  stdout.emit('resize');
  h.session.feed.clock.setSpeed(3);
  await settle();
  await new Promise((r) => setTimeout(r, 60));
  assert.equal(stdout.output.length, out.length, 'nothing lands on the shell screen afterwards');
});
