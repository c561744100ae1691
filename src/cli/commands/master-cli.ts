/**
 * `faultline master` as yargs sees it; master.ts loads only when it runs.
 */
import type { TimingProfileName } from '../../core/timing.js';
import type { CliCommand } from '../command.js';

/** `faultline master`. */
export const masterCliCommand: CliCommand = {
  command: 'master',
  describe: 'Run a live master: the Mesos HTTP API, state endpoints and browser view on --listen, agents (and operator clients) connect over WebSocket on the same port',
  builder: (c) =>
    c
      .option('listen', { type: 'string', default: '127.0.0.1:5050', describe: 'HOST:PORT to listen on (port 0: a free port)' })
      .option('work-dir', { type: 'string', describe: 'Where the registry is kept (default: a directory under the system temp dir named by --listen)' })
      .option('secret-file', { type: 'string', describe: 'A file holding the shared secret: agents answer an HMAC challenge, HTTP API clients send it with HTTP Basic (401 otherwise)' })
      .option('allow-chaos', { type: 'boolean', default: false, describe: 'Let FAULTLINE_INJECT_FAULT kill tasks and agent processes and isolate agents (403 otherwise)' })
      .option('timing', { choices: ['fast', 'mesos'] as const, default: 'mesos' as const, describe: 'Timing profile (ping and allocation intervals)' })
      .option('heartbeat-interval', { type: 'string', default: '15s', describe: 'HEARTBEAT interval on operator streams' })
      .option('zk', { type: 'string', describe: 'zk://HOST:PORT[,HOST:PORT]/PATH: high availability, election (PATH/json.info_ nodes, as Mesos) and the registry in ZooKeeper; standbys answer 307 to the leader (default PATH /faultline)' })
      .option('node-id', { type: 'string', describe: 'The master actor\'s node id in the history (default master-1; with --zk master-<hex>, and the id is also its MasterInfo id in ZooKeeper); 1-64 of A-Z a-z 0-9 . _ : -' })
      .option('event-log', { type: 'string', describe: 'Append every event of this process\'s history to FILE, one JSON line each ({atEpochMs, node, event}), for a live runner to merge' })
      .option('zk-session-timeout', { type: 'string', default: '10s', describe: 'ZooKeeper session timeout: a leader cut off from ZooKeeper this long aborts and contends again as a standby' })
      .example('$0 master --listen 127.0.0.1:5050 --work-dir /var/lib/faultline', '')
      .example('$0 master --listen 127.0.0.1:5050 --zk zk://127.0.0.1:2181/faultline', 'one of several masters, elected through ZooKeeper'),
  run: async (args, io) => {
    const { masterCommand } = await import('./master.js');
    return masterCommand(
      {
        listen: args.listen as string,
        workDir: args.workDir as string | undefined,
        secretFile: args.secretFile as string | undefined,
        allowChaos: args.allowChaos as boolean,
        timing: args.timing as TimingProfileName,
        heartbeatInterval: args.heartbeatInterval as string,
        zk: args.zk as string | undefined,
        zkSessionTimeout: args.zkSessionTimeout as string,
        nodeId: args.nodeId as string | undefined,
        eventLog: args.eventLog as string | undefined,
      },
      io,
    );
  },
};
