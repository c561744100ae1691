/**
 * `faultline run` as yargs sees it: its options, and a handler that imports
 * run.ts (the runner, the reports, the JUnit writer) only when the command runs.
 */
import type { CliCommand } from '../command.js';

/** `faultline run`. */
export const runCliCommand: CliCommand = {
  command: 'run <scenarios..>',
  describe: 'Run chaos scenario files in the simulator (or on real processes with --live) and report the verdict',
  builder: (c) =>
    c
      .positional('scenarios', { type: 'string', array: true, describe: 'Scenario files (scenarios/*.yaml)' })
      .option('seed', { type: 'string', requiresArg: true, describe: "Seed for every scenario (default: each file's seed)" })
      .option('json', { type: 'boolean', default: false, describe: 'Print the JSON report (an array for several scenarios)' })
      .option('junit', { type: 'string', requiresArg: true, describe: 'Write a JUnit XML report to this file (one test case per check)' })
      .option('history', {
        type: 'string',
        requiresArg: true,
        describe: 'Write the JSONL history to this file, with the checkers\' context in <file>.meta.json; with several scenarios, one file each: out.jsonl -> out.<scenario>.jsonl',
      })
      .option('quiet', { type: 'boolean', default: false, describe: 'Print only the verdict line of each scenario' })
      .option('live', {
        type: 'boolean',
        default: false,
        describe: 'Run on real processes: a ZooKeeper (several masters), faultline master and agent daemons on 127.0.0.x, the schedulers in this process; kill is SIGKILL, pause SIGSTOP; as root partitions and lossy links are iptables rules in a network namespace of the run\'s own, else they are applied in the masters\' transport (delay, jitter and duplication always are). A scenario that cannot be made real (clogs, a latency on every link, timing overrides, external frameworks) is refused up front',
      })
      .option('net', { choices: ['auto', 'transport'] as const, default: 'auto' as const, describe: 'With --live: auto uses iptables in a namespace when root; transport never does (network faults in the masters\' transport)' })
      .example('$0 run scenarios/*.yaml --junit out.xml', 'Run every bundled scenario, as CI does')
      .example('$0 run scenarios/agent-loss.yaml --seed 7 --history run.jsonl', 'Run one with another seed and keep its history')
      .example('sudo $0 run --live scenarios/partition-heal.yaml', 'The same scenario on real processes, the partition an iptables rule')
      .epilogue(
        'Several scenarios end with one summary line: "13 passed, 0 failed, 0 inconclusive".\nExit codes: the worst verdict (1 safety > 2 liveness > 3 inconclusive > 0 pass); 64 a broken scenario file (or, with --live, one that cannot be made real); 69 with --live, several masters and no ZooKeeper installed; 130 interrupted (Ctrl-C: the rollbacks still run); 141 the output pipe closed.',
      ),
  run: async (args, io) => {
    const flags = {
      scenarios: (args.scenarios as string[] | undefined) ?? [],
      seed: args.seed === undefined ? undefined : String(args.seed),
      json: args.json as boolean,
      junit: args.junit as string | undefined,
      history: args.history as string | undefined,
      quiet: args.quiet as boolean,
    };
    if (args.live !== true && args.net !== 'auto') {
      const { fail } = await import('../io.js');
      return fail(io, { code: 'USAGE', message: 'only with --live (how a live run applies network faults)', where: '--net' });
    }
    if (args.live === true) {
      const { runLiveCommand } = await import('./run-live.js');
      return runLiveCommand({ ...flags, net: args.net as 'auto' | 'transport' }, io);
    }
    const { runCommand } = await import('./run.js');
    return runCommand(flags, io);
  },
};
