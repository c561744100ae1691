// The framework of the api-updates-per-s bench, in its own process (its own
// core): subscribes to the master at argv[2] (a port on 127.0.0.1), launches
// `sleep 1` tasks on every offer, and acknowledges every UPDATE over
// keep-alive connections. It runs until killed.
import { Agent, request } from 'node:http';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { read } = require('@dcos/recordio');
const port = Number(process.argv[2]);
const agent = new Agent({ keepAlive: true, maxSockets: 32 });
let frameworkId = '';
let streamId = '';
let nextTask = 0;

function call(body) {
  const req = request({ host: '127.0.0.1', port, path: '/api/v1/scheduler', method: 'POST', agent, headers: { 'Content-Type': 'application/json', 'Mesos-Stream-Id': streamId } }, (res) => res.resume());
  req.on('error', () => {});
  req.end(JSON.stringify({ framework_id: { value: frameworkId }, ...body }));
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

const req = request({ host: '127.0.0.1', port, path: '/api/v1/scheduler', method: 'POST', headers: { 'Content-Type': 'application/json' } }, (res) => {
  streamId = String(res.headers['mesos-stream-id']);
  res.setEncoding('utf8');
  let rest = '';
  res.on('data', (chunk) => {
    const [records, left] = read(rest + chunk);
    rest = left;
    for (const r of records) onEvent(JSON.parse(r));
  });
  res.on('end', () => process.exit(0));
});
req.on('error', () => process.exit(1));
req.end(JSON.stringify({ type: 'SUBSCRIBE', subscribe: { framework_info: { user: 'bench', name: 'updates', failover_timeout: 600 } } }));
