/**
 * A live master in this process (issue 13): an oversized frame gets a
 * `too_large` error frame and the connection is closed (one beyond the
 * socket's read limit is cut off by ws with 1009); the master's
 * /master/state `start_time` is its start, in seconds.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import { FAST_TIMING } from '../../src/core/timing.js';
import { startLiveMaster, type LiveMaster } from '../../src/live/master/live-master.js';
import { MAX_FRAME_BYTES, MAX_RECEIVE_BYTES, TRANSPORT_PATH } from '../../src/live/transport/protocol.js';
import { getJson } from '../helpers/live-daemons.js';

interface Outcome {
  readonly frames: Array<{ type: string; code?: string }>;
  readonly closeCode: number;
}

/** Connects, optionally says hello, sends `frame`, and collects what comes back until the close. */
function exchange(port: number, frame: string, hello: boolean): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}${TRANSPORT_PATH}`, { perMessageDeflate: false });
    const frames: Array<{ type: string; code?: string }> = [];
    const timer = setTimeout(() => {
      ws.terminate();
      reject(new Error(`no close within 10 s; got ${JSON.stringify(frames)}`));
    }, 10_000);
    ws.on('error', () => undefined);
    ws.on('close', (closeCode) => {
      clearTimeout(timer);
      resolve({ frames, closeCode });
    });
    ws.on('message', (data) => {
      const received = JSON.parse(String(data)) as { type: string; code?: string };
      frames.push(received);
      if (received.type === 'challenge') {
        if (hello) ws.send(JSON.stringify({ v: 1, type: 'hello', node: 'scheduler-big', role: 'scheduler' }));
        else ws.send(frame);
      } else if (received.type === 'welcome') ws.send(frame);
    });
  });
}

/** A message frame of exactly `bytes` bytes. */
function frameOf(bytes: number): string {
  const head = '{"v":1,"type":"message","message":{"type":"scheduler.heartbeat","frameworkId":"';
  const tail = '"}}';
  return head + 'x'.repeat(bytes - head.length - tail.length) + tail;
}

describe('a live master', () => {
  let dir = '';
  let master: LiveMaster | null = null;
  let startedSec = 0;
  let listeningSec = 0;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'faultline-master-frames-'));
    startedSec = Date.now() / 1000;
    const started = await startLiveMaster({ host: '127.0.0.1', port: 0, workDir: dir, secret: null, allowChaos: false, timing: FAST_TIMING, heartbeatIntervalMs: 1000 });
    listeningSec = Date.now() / 1000;
    assert.ok(started.ok, started.ok ? '' : started.error.message);
    master = started.value;
  });

  after(async () => {
    await master?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers a frame above the limit with a too_large error frame, then closes', async () => {
    assert.ok(master);
    for (const hello of [true, false]) {
      const outcome = await exchange(master.port, frameOf(MAX_FRAME_BYTES + 1), hello);
      assert.deepEqual(
        outcome.frames.filter((f) => f.type === 'error').map((f) => f.code),
        ['too_large'],
        JSON.stringify(outcome.frames),
      );
      assert.equal(outcome.closeCode, 1008);
    }
    // One at the limit is read and checked: refused for what it says (a framework id above 256 characters), not for its size.
    const atLimit = await exchange(master.port, frameOf(MAX_FRAME_BYTES), true);
    assert.deepEqual(atLimit.frames.filter((f) => f.type === 'error').map((f) => f.code), ['schema']);
  });

  it('cuts off a frame beyond the read limit without buffering it (ws: 1009)', async () => {
    assert.ok(master);
    const outcome = await exchange(master.port, frameOf(MAX_RECEIVE_BYTES + 1), true);
    assert.equal(outcome.closeCode, 1009);
    const health = await fetch(`http://127.0.0.1:${master.port}/master/health`);
    assert.equal(health.status, 200);
  });

  it('gives its start time in /master/state, in seconds', async () => {
    assert.ok(master);
    const state = (await getJson(master.port, '/master/state')) as { start_time: number };
    assert.ok(state.start_time >= Math.floor(startedSec) && state.start_time <= listeningSec, `start_time ${state.start_time} not in [${startedSec}, ${listeningSec}]`);
  });
});
