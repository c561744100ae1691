/**
 * `faultline sim` as yargs sees it: its options, and a handler that imports
 * sim.ts (the simulator, the history hasher) only when the command runs.
 */
import type { TimingProfileName } from '../../core/timing.js';
import type { CliCommand } from '../command.js';

/** `faultline sim`. */
export const simCliCommand: CliCommand = {
  command: 'sim',
  describe: 'Run a headless simulation and print a summary',
  builder: (c) =>
    c
      .option('agents', { type: 'number', requiresArg: true, default: 20, describe: 'Number of agents' })
      .option('masters', { type: 'number', requiresArg: true, default: 1, describe: 'Number of masters (more than one: leader election through the coordinator)' })
      .option('services', { type: 'string', requiresArg: true, array: true, default: [] as string[], describe: 'Services as name=instances (web=10,api=5)' })
      .option('duration', { type: 'string', requiresArg: true, default: '5m', describe: 'Simulated time to run (500ms, 30s, 5m, 1h)' })
      .option('seed', { type: 'string', requiresArg: true, describe: 'Seed (printed when drawn at random)' })
      .option('timing', { requiresArg: true, choices: ['fast', 'mesos'] as const, default: 'fast' as const, describe: 'Timing profile' })
      .option('resources', { type: 'string', requiresArg: true, default: 'cpus:4;mem:8192;disk:10240;ports:[31000-32000]', describe: 'Resources of each agent' })
      .option('json', { type: 'boolean', default: false, describe: 'Print the summary as JSON' })
      .option('history', { type: 'string', requiresArg: true, describe: 'Write the JSONL history to this file' })
      .example('$0 sim --agents 20 --services web=10 --duration 5m --seed 7 --json', ''),
  run: async (args, io) => {
    const { simCommand } = await import('./sim.js');
    return simCommand(
      {
        agents: args.agents as number,
        masters: args.masters as number,
        services: args.services as string[],
        duration: args.duration as string,
        seed: args.seed as string | undefined,
        timing: args.timing as TimingProfileName,
        resources: args.resources as string,
        json: args.json as boolean,
        history: args.history as string | undefined,
      },
      io,
    );
  },
};
