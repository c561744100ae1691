// The client of the api-state-ms bench, in its own process (as curl or a
// dashboard would be): on each message {port} from the parent it reads
// GET /master/state and then POST /api/v1 GET_STATE, each to its last byte,
// and answers with their wall ms and sizes.
import { request } from 'node:http';
import { performance } from 'node:perf_hooks';

function timeRead(port, method, path, body) {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const req = request({ host: '127.0.0.1', port, path, method, headers: body === undefined ? {} : { 'Content-Type': 'application/json' } }, (res) => {
      let bytes = 0;
      res.on('data', (c) => (bytes += c.length));
      res.on('end', () => resolve({ ms: performance.now() - start, bytes, status: res.statusCode }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

process.on('message', async ({ port }) => {
  const cpu = process.cpuUsage();
  const state = await timeRead(port, 'GET', '/master/state');
  const operator = await timeRead(port, 'POST', '/api/v1', '{"type":"GET_STATE"}');
  const used = process.cpuUsage(cpu);
  process.send({ state, operator, cpuMs: (used.user + used.system) / 1000 });
});
process.on('disconnect', () => process.exit(0));
