/**
 * `faultline up` as yargs sees it: its options, and a handler that imports
 * up.ts (the embedded cluster, the scenario parser) only when the command
 * runs, so no other command pays for loading it.
 */
import type { TimingProfileName } from '../../core/timing.js';
import type { CliCommand } from '../command.js';

/** `faultline up`, also the default command. */
export const upCliCommand: CliCommand = {
  command: ['up', '$0'],
  describe: 'Open the TUI over an embedded simulated cluster (the default command)',
  builder: (c) =>
    c
      .option('agents', { type: 'number', requiresArg: true, default: 8, describe: 'Number of agents' })
      .option('masters', { type: 'number', requiresArg: true, default: 3, describe: 'Number of masters' })
      .option('seed', { type: 'string', requiresArg: true, describe: 'Seed (shown in the header; drawn at random when absent)' })
      .option('speed', { type: 'number', requiresArg: true, default: 1, describe: 'Simulated seconds per wall second (space pauses, + and - change it)' })
      .option('timing', { requiresArg: true, choices: ['fast', 'mesos'] as const, default: 'fast' as const, describe: 'Timing profile' })
      .option('scenario', { type: 'string', requiresArg: true, describe: 'Open and run this scenario file inside the TUI' })
      .option('readonly', { type: 'boolean', default: false, describe: 'No fault keys or fault commands' })
      .option('color', { type: 'boolean', default: true, describe: 'Colour (--no-color, NO_COLOR, FORCE_COLOR=0 and TERM=dumb turn it off)' })
      .option('once', { type: 'boolean', default: false, describe: 'Do not draw: run for --duration and print one snapshot' })
      .option('json', { type: 'boolean', default: false, describe: 'With --once: print the snapshot as JSON' })
      .option('duration', { type: 'string', requiresArg: true, default: '30s', describe: 'With --once: simulated time before the snapshot' })
      .option('listen', { type: 'string', requiresArg: true, describe: 'Also serve the Mesos HTTP API on HOST:PORT and the next ports, one per master (see faultline serve)' })
      .option('heartbeat-interval', { type: 'string', requiresArg: true, default: '15s', describe: 'With --listen: master HEARTBEAT interval on the API streams' })
      .epilogue(
        [
          'Keys (? lists them all): 1-8 views, j/k move, enter describe, / filter (words AND, !word NOT, regex), s/S sort, c completed tasks too, y row as JSON, l task output, x K R p i h F faults (each asks y/n), w write a scenario (never overwrites), space pause, +/- speed, : command, q quit.',
          'Commands (: then Tab completes, Up/Down recall): :agents :tasks :frameworks :offers :events :masters :overview (short :ag :tk :fw :of :ev :ms :ov), :kill task <id>, :kill agent <host>, :isolate <node>, :partition <a,b> <c,d>, :heal, :failover, :run <scenario>, :speed <x>, :write [file], :help, :q.',
          'The tables show the master\'s view; the ACTUAL column is the simulation\'s ground truth. After :run, q exits with the run\'s verdict code.',
          'Needs a terminal on stdin and stdout (not TERM=dumb); otherwise exit 64: use --once --json or faultline run.',
        ].join('\n'),
      ),
  run: async (args, io) => {
    const { upCommand } = await import('./up.js');
    return upCommand(
      {
        agents: args.agents as number,
        masters: args.masters as number,
        seed: args.seed as string | undefined,
        speed: args.speed as number,
        timing: args.timing as TimingProfileName,
        scenario: args.scenario as string | undefined,
        readonly: args.readonly as boolean,
        color: args.color as boolean,
        once: args.once as boolean,
        json: args.json as boolean,
        duration: args.duration as string,
        listen: args.listen as string | undefined,
        heartbeatInterval: args.heartbeatInterval as string,
      },
      io,
    );
  },
};
