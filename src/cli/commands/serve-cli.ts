/**
 * `faultline serve` as yargs sees it: the cluster flags of `faultline up`,
 * `--listen` and `--heartbeat-interval`; serve.ts loads only when it runs.
 */
import type { TimingProfileName } from '../../core/timing.js';
import type { CliCommand } from '../command.js';

/** `faultline serve`. */
export const serveCliCommand: CliCommand = {
  command: 'serve',
  describe: 'Serve the Mesos HTTP API (scheduler v1, operator v1, /master/state) and the browser view (GET /, with fault buttons) over an embedded simulated cluster, headless',
  builder: (c) =>
    c
      .option('listen', { type: 'string', default: '127.0.0.1:5050', describe: 'HOST:PORT of master-1; the other masters listen on the next ports (port 0: any free ports)' })
      .option('heartbeat-interval', { type: 'string', default: '15s', describe: 'Master HEARTBEAT interval on scheduler and operator streams (mesos-framework gives up after 10 s of silence)' })
      .option('agents', { type: 'number', default: 8, describe: 'Number of agents' })
      .option('masters', { type: 'number', default: 3, describe: 'Number of masters' })
      .option('seed', { type: 'string', describe: 'Seed (drawn at random when absent)' })
      .option('speed', { type: 'number', default: 1, describe: 'Simulated seconds per wall second' })
      .option('timing', { choices: ['fast', 'mesos'] as const, default: 'fast' as const, describe: 'Timing profile' })
      .option('scenario', { type: 'string', describe: "Serve this scenario's cluster and run its method (paced), then keep serving" }),
  run: async (args, io) => {
    const { serveCommand } = await import('./serve.js');
    return serveCommand(
      {
        agents: args.agents as number,
        masters: args.masters as number,
        seed: args.seed as string | undefined,
        speed: args.speed as number,
        timing: args.timing as TimingProfileName,
        scenario: args.scenario as string | undefined,
        listen: args.listen as string,
        heartbeatInterval: args.heartbeatInterval as string,
      },
      io,
    );
  },
};
