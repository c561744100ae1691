/**
 * The network lab as root, for real: a namespace of its own with iptables
 * rules in it (skipped, saying why, when not root or without iptables).
 * - A symmetric drop really stops TCP: a fresh connect from 127.0.0.11 to a
 *   server on 127.0.0.10 does not connect; after heal it does again.
 * - A portal leads from the host's 127.0.0.1 to a server inside the lab.
 * - A one-way drop blocks one direction only: UDP from .11 to .10 is lost
 *   while .10 to .11 arrives (TCP fails both ways, as its handshake needs both).
 * - close() leaves no namespace and no process; a process started with
 *   wrap() is killed. The host's own iptables never see the lab's chain.
 * - A lab process killed with SIGKILL leaves its namespace; sweepStaleLabs
 *   removes it and what runs in it, and leaves a live process's lab alone.
 * - With installLabCleanupOnExit, a SIGINT removes everything and exits 130.
 */
import { after, afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createConnection } from 'node:net';
import { createInterface } from 'node:readline';
import { openNetLab, sweepStaleLabs, type NetLab } from '../../../src/live/lab/index.js';
import { LabProbe, netLabSkip, netnsNames, processRuns, removeNamespaceHard } from '../../helpers/netlab.js';

const CONNECT_TIMEOUT_MS = 1_500;
const HOLD_LAB = join(import.meta.dirname, '..', '..', 'fixtures', 'netlab', 'hold-lab.ts');

describe('network lab (iptables in a namespace)', { skip: netLabSkip }, () => {
  const labs: NetLab[] = [];
  const probes: LabProbe[] = [];
  const namespaces: string[] = [];
  const children: ChildProcess[] = [];
  const pidsToKill: number[] = [];

  async function open(): Promise<NetLab> {
    const opened = await openNetLab({ mode: 'iptables' });
    assert.ok(opened.ok, opened.ok ? '' : opened.error.message);
    labs.push(opened.value);
    return opened.value;
  }

  function probe(lab: NetLab): LabProbe {
    const p = new LabProbe(lab);
    probes.push(p);
    return p;
  }

  afterEach(async () => {
    for (const p of probes.splice(0)) p.kill();
    for (const lab of labs.splice(0)) await lab.close();
    for (const child of children.splice(0)) child.kill('SIGKILL');
    for (const pid of pidsToKill.splice(0)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
    for (const name of namespaces.splice(0)) removeNamespaceHard(name);
  });

  after(() => {
    // Whatever a failed test left is removed above; nothing of this file may outlive it.
    assert.deepEqual(netnsNames().filter((n) => n.startsWith(`flt-${process.pid}-`)), []);
  });

  it('a symmetric drop stops a TCP connect, and heal lets it through again', async () => {
    const lab = await open();
    assert.equal(lab.mode, 'iptables');
    const server = lab.allocateAddress();
    const client = lab.allocateAddress();
    assert.deepEqual([server, client], ['127.0.0.10', '127.0.0.11']);
    const p = probe(lab);
    const { port } = await p.run({ op: 'tcp-listen', host: server });
    const connect = async () => (await p.run({ op: 'tcp-connect', from: client, to: server, port, timeoutMs: CONNECT_TIMEOUT_MS })).result;
    assert.equal(await connect(), 'connected');
    assert.deepEqual(await lab.drop([client], [server], { oneWay: false }), { ok: true, value: true });
    assert.notEqual(await connect(), 'connected', 'the partition must stop the connect');
    assert.deepEqual(await lab.heal(), { ok: true, value: true });
    assert.equal(await connect(), 'connected');
    // The rules lived in the lab only: the host's INPUT never jumps to FLT.
    const hostRules = spawnSync('iptables', ['-w', '5', '-S', 'INPUT'], { encoding: 'utf8' }).stdout;
    assert.doesNotMatch(hostRules, /-j FLT/);
  });

  it('a one-way drop blocks only its direction (UDP), while TCP fails both ways', async () => {
    const lab = await open();
    const a = lab.allocateAddress(); // .10
    const b = lab.allocateAddress(); // .11
    const p = probe(lab);
    const portA = Number((await p.run({ op: 'udp-bind', host: a })).port);
    const portB = Number((await p.run({ op: 'udp-bind', host: b })).port);
    const tcpA = Number((await p.run({ op: 'tcp-listen', host: a })).port);
    const tcpB = Number((await p.run({ op: 'tcp-listen', host: b })).port);
    assert.deepEqual(await lab.drop([b], [a], { oneWay: true }), { ok: true, value: true });

    await p.run({ op: 'udp-send', from: b, to: a, port: portA, msg: 'b-to-a-while-dropped' });
    await p.run({ op: 'udp-send', from: a, to: b, port: portB, msg: 'a-to-b-while-dropped' });
    await p.datagram('a-to-b-while-dropped');
    // A SYN-ACK is a packet from the server back: with b → a dropped, neither side completes a handshake.
    assert.notEqual((await p.run({ op: 'tcp-connect', from: b, to: a, port: tcpA, timeoutMs: CONNECT_TIMEOUT_MS })).result, 'connected');
    assert.notEqual((await p.run({ op: 'tcp-connect', from: a, to: b, port: tcpB, timeoutMs: CONNECT_TIMEOUT_MS })).result, 'connected');

    assert.ok((await lab.heal()).ok);
    await p.run({ op: 'udp-send', from: b, to: a, port: portA, msg: 'b-to-a-healed' });
    await p.datagram('b-to-a-healed');
    // On loopback a datagram is queued at the receiver as it is sent: had the first one passed, it would be here, first.
    assert.deepEqual(
      p.datagrams.filter((d) => d.host === a).map((d) => d.msg),
      ['b-to-a-healed'],
    );
  });

  it('a portal leads from the host into the lab, and closes with it', async () => {
    const lab = await open();
    const p = probe(lab);
    const host = lab.allocateAddress();
    const target = { host, port: Number((await p.run({ op: 'tcp-echo', host })).port) };
    const portal = await lab.portal(target);
    assert.ok(portal.ok, portal.ok ? '' : portal.error.message);
    assert.equal(portal.value.host, '127.0.0.1');
    const echo = async (text: string): Promise<string> => {
      const socket = createConnection({ host: portal.value.host, port: portal.value.port });
      try {
        return await new Promise<string>((resolve, reject) => {
          let got = '';
          socket.on('data', (chunk: Buffer) => {
            got += chunk.toString();
            if (got.length >= text.length) resolve(got);
          });
          socket.once('error', reject);
          socket.write(text);
        });
      } finally {
        socket.destroy();
      }
    };
    assert.equal(await echo('through the portal'), 'through the portal');
    const second = await lab.portal(target);
    assert.ok(second.ok);
    assert.equal(await echo('x'.repeat(100_000)), 'x'.repeat(100_000));
    await lab.close();
    const refused = await new Promise<string>((resolve) => {
      const socket = createConnection({ host: '127.0.0.1', port: portal.value.port });
      socket.once('connect', () => {
        socket.destroy();
        resolve('connected');
      });
      socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
    });
    assert.equal(refused, 'ECONNREFUSED');
  });

  it('close leaves no namespace and no process; a process started with wrap() is killed', async () => {
    const lab = await open();
    const ns = lab.namespace as string;
    assert.ok(netnsNames().includes(ns));
    const p = probe(lab);
    await p.run({ op: 'tcp-listen', host: lab.allocateAddress() });
    assert.ok((await lab.pids()).includes(p.pid), 'the wrapped process runs in the namespace');
    await lab.close();
    assert.ok(!netnsNames().includes(ns), 'the namespace is gone');
    assert.equal((await p.exited()).signal, 'SIGKILL');
    assert.equal(processRuns(p.pid), false);
    assert.deepEqual(await lab.pids(), []);
    await lab.close();
  });

  it('sweepStaleLabs removes the namespace of a lab process killed with SIGKILL, and what runs in it', async () => {
    const holder = spawn(process.execPath, ['--import', 'tsx', HOLD_LAB], { stdio: ['ignore', 'pipe', 'inherit'] });
    children.push(holder);
    const line = await new Promise<string>((resolve) => createInterface({ input: holder.stdout }).once('line', resolve));
    const { namespace, sleepPid } = JSON.parse(line) as { namespace: string; sleepPid: number };
    namespaces.push(namespace);
    pidsToKill.push(sleepPid);
    assert.equal(namespace, `flt-${holder.pid}-0`);
    // A live process's lab, which the sweep must leave alone.
    const mine = await open();

    holder.kill('SIGKILL');
    await new Promise((resolve) => holder.once('exit', resolve));
    assert.ok(netnsNames().includes(namespace), 'SIGKILL ran no cleanup: the namespace is left');
    assert.ok(processRuns(sleepPid), 'and its process still runs');

    const swept = await sweepStaleLabs();
    assert.ok(swept.includes(namespace), `swept ${JSON.stringify(swept)}`);
    assert.ok(!swept.includes(mine.namespace as string));
    assert.ok(!netnsNames().includes(namespace));
    assert.ok(netnsNames().includes(mine.namespace as string), 'a live process keeps its lab');
    // The sleeper is our grandchild's orphan, reaped by init: wait for it to leave /proc rather than race it.
    for (let i = 0; i < 100 && processRuns(sleepPid); i += 1) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(processRuns(sleepPid), false);
  });

  it('with installLabCleanupOnExit, SIGINT removes the namespace and its processes and exits 130', async () => {
    const holder = spawn(process.execPath, ['--import', 'tsx', HOLD_LAB, 'hook'], { stdio: ['ignore', 'pipe', 'inherit'] });
    children.push(holder);
    const line = await new Promise<string>((resolve) => createInterface({ input: holder.stdout }).once('line', resolve));
    const { namespace, sleepPid } = JSON.parse(line) as { namespace: string; sleepPid: number };
    namespaces.push(namespace);
    pidsToKill.push(sleepPid);
    const exited = new Promise<number | null>((resolve) => holder.once('exit', (code) => resolve(code)));
    holder.kill('SIGINT');
    assert.equal(await exited, 130);
    assert.ok(!netnsNames().includes(namespace));
    for (let i = 0; i < 100 && processRuns(sleepPid); i += 1) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(processRuns(sleepPid), false);
  });
});
