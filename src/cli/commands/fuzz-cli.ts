/**
 * `faultline fuzz` as yargs sees it: its options, and a handler that imports
 * fuzz.ts (the fuzzer, the worker pool, the shrinker, the runner) only when
 * the command runs.
 */
// kinds.ts directly, not the fuzz index: the index would load the whole fuzzer on every launch.
import { FUZZ_KINDS } from '../../chaos/fuzz/kinds.js';
import type { CliCommand } from '../command.js';

/**
 * The default of --duration: chaos/fuzz's DEFAULT_METHOD_MS (10 minutes) as
 * text. Spelled out because that constant lives beside the schedule generator,
 * which loads the scenario parser; test/cli/fuzz-cli.test.ts keeps the two equal.
 */
export const DEFAULT_METHOD_TEXT = '10m';

const HELP_EPILOGUE = [
  'Each seed draws its own mix of fault kinds, weights and rate (swarm testing) and a schedule of concrete faults over the method; the runner then heals everything and checks convergence.',
  'Inconclusive seeds (a fault that never bit, e.g. a link fault on a quiet link) are counted and listed but are not failures: they are not shrunk, and alone they exit 3. --strict shrinks and lists them too.',
  `A share of the seeds (5%, at least one from 20 seeds on) is run twice; a different history hash is a failure (exit 70), as is a run that throws.`,
  'Every failing seed prints the command that reproduces it and is shrunk (delta debugging over its faults, same seed) to OUT/fuzz-<seed>.yaml, which `faultline run` replays and `faultline replay OUT/fuzz-<seed>.yaml --violation 1` opens in the TUI at its first finding.',
  'Exit codes: 0 every seed passed, else the worst verdict: 1 safety, 2 liveness, 3 inconclusive; 64 usage or scenario-file error, 70 non-determinism or internal error, 130 interrupted (Ctrl-C).',
].join('\n');

/** `faultline fuzz`. */
export const fuzzCliCommand: CliCommand = {
  command: 'fuzz',
  describe: 'Random fault schedules per seed; shrink every failure to a scenario file',
  builder: (c) =>
    c
      .option('seeds', { type: 'number', requiresArg: true, default: 100, describe: 'Number of seeds to run' })
      .option('start', { type: 'string', requiresArg: true, describe: 'First seed (default: drawn at random and printed)' })
      .option('base', { type: 'string', requiresArg: true, describe: 'Scenario file giving the cluster, workload, timing and liveness (its method is replaced)' })
      .option('faults', { type: 'string', requiresArg: true, describe: `Fault kinds to draw from, comma-separated (default all: ${FUZZ_KINDS.join(',')})` })
      .option('json', { type: 'boolean', default: false, describe: 'Print the summary as JSON' })
      .option('out', { type: 'string', requiresArg: true, default: 'fuzz-out', describe: 'Directory for shrunk scenario files' })
      .option('workers', { type: 'number', requiresArg: true, describe: 'Worker threads (default: min(cores, seeds); 0 runs in this thread)' })
      .option('duration', { type: 'string', requiresArg: true, default: DEFAULT_METHOD_TEXT, describe: 'Simulated length of the method (the fault schedule)' })
      .option('max-failures', { type: 'number', requiresArg: true, default: 0, describe: 'Stop starting seeds after this many failures (0: no limit)' })
      .option('strict', { type: 'boolean', default: false, describe: 'Treat inconclusive seeds as failures' })
      .option('shrink', { type: 'boolean', default: true, describe: 'Shrink failing schedules (--no-shrink to skip)' })
      .example('$0 fuzz --seeds 1000', '')
      .example('$0 fuzz --seeds 200 --start 1 --faults kill-agent,partition --out fuzz-out', '')
      .example('$0 fuzz --seeds 1 --start 17', 'run one seed again')
      .epilogue(HELP_EPILOGUE),
  run: async (args, io) => {
    const { fuzzCommand } = await import('./fuzz.js');
    return fuzzCommand(
      {
        seeds: args.seeds as number,
        start: args.start as string | undefined,
        base: args.base as string | undefined,
        faults: args.faults as string | undefined,
        json: args.json as boolean,
        out: args.out as string,
        workers: args.workers as number | undefined,
        duration: args.duration as string,
        maxFailures: args['max-failures'] as number,
        strict: args.strict as boolean,
        shrink: args.shrink as boolean,
      },
      io,
    );
  },
};
