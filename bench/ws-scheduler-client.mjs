// The framework of ws-updates-per-s, in its own process (its own core): a
// scheduler node on the master's WebSocket transport at argv[2] (a port on
// 127.0.0.1), as `faultline run --live` connects its built-in schedulers
// (src/live/transport/remote-scheduler.ts). It subscribes, launches 0.1-cpu
// `sleep 1` tasks on every offer, and acknowledges every update that carries
// a uuid with its own scheduler.acknowledge message: one message per update,
// as a v1 framework sends one ACKNOWLEDGE call per update. What it sends in
// one event-loop turn leaves in one socket write (corked until the next
// check phase), as the transport's clients do. It runs until killed; an
// error frame or a closed connection ends it with exit 1, which fails the bench.
import { setImmediate, setInterval } from 'node:timers';
import WebSocket from 'ws';

const port = Number(process.argv[2]);
const node = 'scheduler-bench';
const ws = new WebSocket(`ws://127.0.0.1:${port}/faultline/v1`, { perMessageDeflate: false });
let raw = null;
let corked = false;
let frameworkId = '';
let nextTask = 0;

function fail(why) {
  process.stderr.write(`ws-scheduler-client: ${why}\n`);
  process.exit(1);
}

function send(message) {
  if (raw !== null && !corked) {
    corked = true;
    raw.cork();
    setImmediate(() => {
      corked = false;
      raw.uncork();
    });
  }
  ws.send(JSON.stringify({ v: 1, type: 'message', message }));
}

function onMessage(m) {
  switch (m.type) {
    case 'master.subscribed':
      frameworkId = m.frameworkId;
      return;
    case 'master.offers':
      for (const offer of m.offers) {
        const tasks = Array.from({ length: Math.floor(offer.resources.cpus / 0.1 + 1e-9) }, () => ({
          taskId: `u-${nextTask++}`,
          name: 'u',
          agentId: offer.agentId,
          resources: { cpus: 0.1, mem: 8, disk: 0, gpus: 0, ports: [] },
          command: 'sleep 1',
        }));
        send({ type: 'scheduler.accept', frameworkId, offerIds: [offer.offerId], operations: [{ type: 'LAUNCH', tasks }], refuseMs: 0 });
      }
      return;
    case 'master.update': {
      const { status } = m;
      if (status.uuid !== undefined) send({ type: 'scheduler.acknowledge', frameworkId, agentId: status.agentId, taskId: status.taskId, uuid: status.uuid });
      return;
    }
    case 'master.error':
      fail(`the master ended the framework: ${m.message}`);
      return;
    default:
      return;
  }
}

ws.on('upgrade', (res) => (raw = res.socket));
ws.on('error', (e) => fail(`connection: ${e.message}`));
ws.on('close', () => fail('the connection closed'));
ws.on('message', (data) => {
  const frame = JSON.parse(String(data));
  if (frame.type === 'challenge') ws.send(JSON.stringify({ v: 1, type: 'hello', node, role: 'scheduler' }));
  else if (frame.type === 'welcome') {
    send({ type: 'scheduler.subscribe', framework: { name: 'updates', user: 'bench', roles: ['*'], capabilities: { partitionAware: false }, failoverTimeoutMs: 600_000 } });
    setInterval(() => frameworkId !== '' && send({ type: 'scheduler.heartbeat', frameworkId }), 1000).unref();
  } else if (frame.type === 'message') onMessage(frame.message);
  else if (frame.type === 'error') fail(`the master refused: ${frame.code}: ${frame.message}`);
});
