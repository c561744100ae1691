// The framework of the api-updates-per-s bench, in its own process (its own
// core): subscribes to the master at argv[2] (a port on 127.0.0.1), launches
// `sleep 1` tasks on every offer, and acknowledges every UPDATE with its own
// POST /api/v1/scheduler. It runs until killed.
//
// It is written to cost the server's figure as little as it can: the calls
// are raw HTTP/1.1 on CONNECTIONS keep-alive sockets, pipelined (the acks of
// one stream read go out in one socket write per connection), and RecordIO is
// decoded from bytes. Every call is still a whole HTTP request that the
// server parses and answers; every answer is checked for its status (202),
// and any other status ends the client with exit 1, which fails the bench.
import { connect } from 'node:net';
import { Buffer } from 'node:buffer';
import { request } from 'node:http';

const port = Number(process.argv[2]);
const CONNECTIONS = 8;
let frameworkId = '';
let streamId = '';
let nextTask = 0;

/** A keep-alive connection with pipelined calls and a minimal response reader (status lines and Content-Length). */
class Connection {
  constructor() {
    this.socket = connect(port, '127.0.0.1');
    this.socket.setNoDelay(true);
    this.queued = [];
    this.pending = Buffer.alloc(0);
    this.socket.on('data', (chunk) => this.read(chunk));
    this.socket.on('error', (e) => fail(`connection: ${e.message}`));
    this.socket.on('close', () => fail('a connection closed'));
  }
  call(body) {
    this.queued.push(`POST /api/v1/scheduler HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nMesos-Stream-Id: ${streamId}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    if (this.queued.length === 1) process.nextTick(() => this.flush());
  }
  flush() {
    if (this.queued.length === 0) return;
    this.socket.write(this.queued.join(''));
    this.queued.length = 0;
  }
  read(chunk) {
    let buf = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    for (;;) {
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) break;
      const head = buf.toString('latin1', 0, end);
      const status = Number(head.slice(9, 12));
      const length = Number(/content-length: *(\d+)/i.exec(head)?.[1] ?? 0);
      if (buf.length < end + 4 + length) break;
      if (status !== 202) fail(`a call answered ${status}: ${buf.toString('utf8', end + 4, end + 4 + length).trim()}`);
      buf = buf.subarray(end + 4 + length);
    }
    this.pending = buf;
  }
}

function fail(why) {
  process.stderr.write(`api-updates-client: ${why}\n`);
  process.exit(1);
}

const connections = [];
let turn = 0;
function call(body) {
  if (connections.length === 0) for (let i = 0; i < CONNECTIONS; i++) connections.push(new Connection());
  connections[turn++ % CONNECTIONS].call(JSON.stringify({ framework_id: { value: frameworkId }, ...body }));
}

function onEvent(event) {
  if (event.type === 'SUBSCRIBED') frameworkId = event.subscribed.framework_id.value;
  else if (event.type === 'OFFERS') {
    for (const offer of event.offers.offers) {
      const cpus = offer.resources.find((r) => r.name === 'cpus')?.scalar?.value ?? 0;
      const task_infos = Array.from({ length: Math.floor(cpus / 0.1 + 1e-9) }, () => ({
        name: 'u',
        task_id: { value: `u-${nextTask++}` },
        agent_id: offer.agent_id,
        resources: [{ name: 'cpus', type: 'SCALAR', scalar: { value: 0.1 } }, { name: 'mem', type: 'SCALAR', scalar: { value: 8 } }],
        command: { shell: true, value: 'sleep 1' },
      }));
      call({ type: 'ACCEPT', accept: { offer_ids: [offer.id], operations: [{ type: 'LAUNCH', launch: { task_infos } }], filters: { refuse_seconds: 0 } } });
    }
  } else if (event.type === 'UPDATE' && event.update.status.uuid) {
    const { agent_id, task_id, uuid } = event.update.status;
    call({ type: 'ACKNOWLEDGE', acknowledge: { agent_id, task_id, uuid } });
  }
}

// RecordIO from bytes: "<length>\n<length bytes>".
let rest = Buffer.alloc(0);
function onStreamData(chunk) {
  let buf = rest.length === 0 ? chunk : Buffer.concat([rest, chunk]);
  let at = 0;
  for (;;) {
    const nl = buf.indexOf(10, at);
    if (nl < 0) break;
    const length = Number(buf.toString('latin1', at, nl));
    if (!(length > 0)) fail(`bad RecordIO length at byte ${at}`);
    if (buf.length < nl + 1 + length) break;
    onEvent(JSON.parse(buf.toString('utf8', nl + 1, nl + 1 + length)));
    at = nl + 1 + length;
  }
  rest = buf.subarray(at);
}

const req = request({ host: '127.0.0.1', port, path: '/api/v1/scheduler', method: 'POST', headers: { 'Content-Type': 'application/json' } }, (res) => {
  if (res.statusCode !== 200) fail(`SUBSCRIBE answered ${res.statusCode}`);
  streamId = String(res.headers['mesos-stream-id']);
  res.on('data', onStreamData);
  res.on('end', () => process.exit(0));
});
req.on('error', () => process.exit(1));
req.end(JSON.stringify({ type: 'SUBSCRIBE', subscribe: { framework_info: { user: 'bench', name: 'updates', failover_timeout: 600 } } }));
