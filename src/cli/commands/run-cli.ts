/**
 * `faultline run` as yargs sees it: its options, and a handler that imports
 * run.ts (the runner, the reports, the JUnit writer) only when the command runs.
 */
import type { CliCommand } from '../command.js';

/** `faultline run`. */
export const runCliCommand: CliCommand = {
  command: 'run <scenarios..>',
  describe: 'Run chaos scenario files in the simulator and report the verdict',
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
      .example('$0 run scenarios/*.yaml --junit out.xml', 'Run every bundled scenario, as CI does')
      .example('$0 run scenarios/agent-loss.yaml --seed 7 --history run.jsonl', 'Run one with another seed and keep its history')
      .epilogue(
        'Several scenarios end with one summary line: "13 passed, 0 failed, 0 inconclusive".\nExit codes: the worst verdict (1 safety > 2 liveness > 3 inconclusive > 0 pass); 64 a broken scenario file; 130 interrupted (Ctrl-C: the rollbacks still run); 141 the output pipe closed.',
      ),
  run: async (args, io) => {
    const { runCommand } = await import('./run.js');
    return runCommand(
      {
        scenarios: (args.scenarios as string[] | undefined) ?? [],
        seed: args.seed === undefined ? undefined : String(args.seed),
        json: args.json as boolean,
        junit: args.junit as string | undefined,
        history: args.history as string | undefined,
        quiet: args.quiet as boolean,
      },
      io,
    );
  },
};
