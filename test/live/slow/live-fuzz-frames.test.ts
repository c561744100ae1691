/**
 * Issue 13, "Must show" 4: 10,000 random and malformed frames (fuzzed JSON,
 * wrong types, huge frames, binary garbage, messages before hello, a host
 * that is not the connection's) against a running master with an agent: it
 * stays up, answers /master/health, and its state is unchanged. Also: a wrong
 * secret is refused on the WebSocket and on the HTTP API (401), and
 * `faultline execute --secret-file` gets through.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import WebSocket from 'ws';
import { basicAuthHeader, proofOf } from '../../../src/live/transport/auth.js';
import { TRANSPORT_PATH } from '../../../src/live/transport/protocol.js';
import { getJson, LiveDaemons, until } from '../../helpers/live-daemons.js';
import { seeded } from '../../helpers/random.js';

const daemons = new LiveDaemons();
after(() => daemons.stopAll());

interface StateJson {
  slaves: Array<{ id: string; hostname: string; port: number; active: boolean }>;
  frameworks: unknown[];
  activated_slaves: number;
}

/** What must not change: the agents and frameworks the master knows. */
async function fingerprint(port: number): Promise<string> {
  const state = (await getJson(port, '/master/state')) as StateJson;
  return JSON.stringify({ slaves: state.slaves.map((s) => [s.id, s.hostname, s.port, s.active]), frameworks: state.frameworks.length, activated: state.activated_slaves });
}

const register = { type: 'agent.register', host: 'fuzz-node', resources: { cpus: 1, mem: 1, disk: 1, gpus: 0, ports: [] }, attributes: {} };

/** One bad frame (never a valid register of a new agent). */
function badFrame(random: () => number, i: number): string | Buffer {
  const pick = Math.floor(random() * 12);
  const junk = (): unknown => [null, 1, -1, 'x', true, [], {}, 1e308, '\u0000', { v: 1 }][Math.floor(random() * 10)];
  switch (pick) {
    case 0:
      return Buffer.from(Array.from({ length: 1 + Math.floor(random() * 64) }, () => Math.floor(random() * 256)));
    case 1:
      return `{"v":1,"type":"message","message":${'['.repeat(1 + Math.floor(random() * 50))}`;
    case 2:
      return JSON.stringify({ v: 1, type: 'message', message: { ...register, resources: junk() } });
    case 3:
      return JSON.stringify({ v: 1, type: 'message', message: { ...register, host: junk() } });
    case 4:
      return JSON.stringify({ v: 1, type: 'message', message: { type: 'agent.pong', agentId: junk(), epoch: junk() } });
    case 5:
      return JSON.stringify({ v: junk(), type: 'hello', node: 'n', role: 'agent', listen: { ip: '127.0.0.1', port: 1 } });
    case 6:
      return JSON.stringify({ v: 1, type: 'hello', node: junk(), role: junk(), listen: junk() });
    case 7:
      return JSON.stringify({ v: 1, type: 'message', message: { type: `agent.${String(junk())}`, i } });
    case 8:
      return JSON.stringify({ v: 1, type: 'message', message: { type: 'agent.status_update', agentId: 'x', update: { frameworkId: junk(), status: junk(), latestState: 'TASK_RUNNING' } } });
    case 9:
      return String(random()).repeat(Math.floor(random() * 20));
    case 10:
      return JSON.stringify({ v: 1, type: 'message', message: { type: 'master.ping', epoch: 1, agentId: 'x' } });
    default:
      return JSON.stringify(Object.fromEntries(Array.from({ length: 3 }, (_, k) => [`k${k}`, junk()])));
  }
}

/** Opens a connection, optionally says a valid hello first, sends frames, and waits until the master closes it (or 2 s). */
function blast(port: number, frames: Array<string | Buffer>, hello: boolean): Promise<void> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}${TRANSPORT_PATH}`);
    const done = (): void => {
      clearTimeout(timer);
      ws.terminate();
      resolve();
    };
    const timer = setTimeout(done, 2000);
    ws.on('error', done);
    ws.on('close', done);
    ws.on('message', (data) => {
      const frame = JSON.parse(String(data)) as { type: string };
      if (frame.type === 'challenge') {
        if (hello) ws.send(JSON.stringify({ v: 1, type: 'hello', node: `fuzz-${Math.random()}`, role: 'agent', listen: { ip: '127.0.0.1', port: 1 } }));
        for (const f of frames) ws.send(f, { binary: Buffer.isBuffer(f) });
      }
    });
  });
}

describe('a live master under hostile frames', () => {
  it('stays up with its state unchanged after 10,000 bad frames', async () => {
    const master = await daemons.master();
    await daemons.agent(master.address);
    await until('the agent registered', async () => ((await getJson(master.port, '/master/state')) as StateJson).slaves.length === 1);
    const before = await fingerprint(master.port);
    const random = seeded(13);
    let sent = 0;
    const batch: Array<Promise<void>> = [];
    for (let c = 0; sent < 10_000; c += 1) {
      const frames = Array.from({ length: 20 }, (_, k) => badFrame(random, sent + k));
      sent += frames.length;
      batch.push(blast(master.port, frames, c % 2 === 0));
      if (batch.length === 20) await Promise.all(batch.splice(0));
    }
    await Promise.all(batch);
    // Huge frames, above the 4 MiB limit.
    for (let k = 0; k < 3; k += 1) await blast(master.port, [`{"v":1,"type":"message","message":"${'x'.repeat(5 * 1024 * 1024)}"}`], true);
    const health = await fetch(`http://127.0.0.1:${master.port}/master/health`);
    assert.equal(health.status, 200);
    assert.equal(await fingerprint(master.port), before);
    assert.equal(master.daemon.child.exitCode, null, master.daemon.output());
  });

  it('refuses a wrong secret on the WebSocket and the HTTP API', async () => {
    const secretFile = join(daemons.dir, 'secret');
    const wrongFile = join(daemons.dir, 'wrong');
    writeFileSync(secretFile, 'right-secret\n');
    writeFileSync(wrongFile, 'wrong-secret\n');
    const master = await daemons.master(['--secret-file', secretFile]);
    const wrong = await daemons.agent(master.address, { extra: ['--secret-file', wrongFile] });
    await until('the wrong secret refused', () => /refused: unauthorized/.test(wrong.daemon.output()), 10_000, () => wrong.daemon.output());
    const right = await daemons.agent(master.address, { extra: ['--secret-file', secretFile] });
    await until('the right secret admitted', async () => ((await getJson(master.port, '/master/state')) as StateJson).slaves.length === 1, 20_000, () => right.daemon.output());
    const slaves = ((await getJson(master.port, '/master/state')) as StateJson).slaves;
    assert.deepEqual(slaves.map((s) => s.port), [right.port]);

    // A raw client without a proof is refused too.
    const refusal = await new Promise<string>((resolve) => {
      const ws = new WebSocket(`ws://127.0.0.1:${master.port}${TRANSPORT_PATH}`);
      ws.on('message', (data) => {
        const frame = JSON.parse(String(data)) as { type: string; nonce?: string; code?: string };
        if (frame.type === 'challenge') ws.send(JSON.stringify({ v: 1, type: 'hello', node: 'n', role: 'agent', listen: { ip: '127.0.0.1', port: 1 }, proof: proofOf('wrong-secret', frame.nonce ?? '', 'n') }));
        if (frame.type === 'error') resolve(frame.code ?? '');
      });
      ws.on('close', () => resolve('closed'));
    });
    assert.equal(refusal, 'unauthorized');

    const call = (headers: Record<string, string>) => fetch(`http://127.0.0.1:${master.port}/api/v1`, { method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json', ...headers }, body: JSON.stringify({ type: 'GET_HEALTH' }) });
    assert.equal((await call({})).status, 401);
    assert.equal((await call({ Authorization: basicAuthHeader('wrong-secret') })).status, 401);
    assert.equal((await call({ Authorization: basicAuthHeader('right-secret') })).status, 200);
    const scheduler = await fetch(`http://127.0.0.1:${master.port}/api/v1/scheduler`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    assert.equal(scheduler.status, 401);

    // faultline execute sends the secret with HTTP Basic; without it, it is refused until it gives up.
    const withSecret = await daemons.start(['execute', `--master=${master.address}`, '--name=secret-task', '--command=true', `--secret-file=${secretFile}`], null);
    assert.equal(await withSecret.exited, 0, withSecret.output());
    const without = await daemons.start(['execute', `--master=${master.address}`, '--name=no-secret', '--command=true', '--timeout=3s'], null);
    assert.equal(await without.exited, 1, without.output());

    // faultline top sends it on every operator call; without it, or with a wrong one, one line and exit 69.
    const top = await daemons.start(['top', `--master=${master.address}`, '--once', '--json', `--secret-file=${secretFile}`], null);
    assert.equal(await top.exited, 0, top.output());
    assert.match(top.output(), /"agents"/);
    const topWithout = await daemons.start(['top', `--master=${master.address}`, '--once'], null);
    assert.equal(await topWithout.exited, 69, topWithout.output());
    assert.match(topWithout.output(), /answered 401.*give its secret with --secret-file/);
    const topWrong = await daemons.start(['top', `--master=${master.address}`, '--once', `--secret-file=${wrongFile}`], null);
    assert.equal(await topWrong.exited, 69, topWrong.output());
    assert.match(topWrong.output(), /the secret given is not its secret/);
  });
});
