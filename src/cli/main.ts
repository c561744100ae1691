/**
 * The CLI: yargs commands wired to the layers. `main` returns the exit code
 * instead of exiting so tests run it in-process with captured streams.
 */
import yargs, { type Argv } from 'yargs';
import type { CliCommand } from './command.js';
import { EXIT, exitCodesHelpLine } from '../core/exit-codes.js';
import { processIo, type CliIo } from './io.js';
import { usageMessageOf } from './usage-message.js';
import { version } from './version.js';
import { simCliCommand } from './commands/sim-cli.js';
import { upCliCommand } from './commands/up-cli.js';
import { runCliCommand } from './commands/run-cli.js';
import { checkCliCommand } from './commands/check-cli.js';
import { fuzzCliCommand } from './commands/fuzz-cli.js';
import { serveCliCommand } from './commands/serve-cli.js';
import { executeCliCommand } from './commands/execute-cli.js';
import { topCliCommand } from './commands/top-cli.js';
import { replayCliCommand } from './commands/replay-cli.js';
import { masterCliCommand } from './commands/master-cli.js';
import { agentCliCommand } from './commands/agent-cli.js';

/** Every command, in help order. Each loads its implementation only when it runs. */
const COMMANDS: readonly CliCommand[] = [upCliCommand, topCliCommand, serveCliCommand, masterCliCommand, agentCliCommand, simCliCommand, runCliCommand, checkCliCommand, replayCliCommand, fuzzCliCommand, executeCliCommand];

/** Runs the CLI with `argv` (without node and script) and returns the exit code. */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  let exitCode: number = EXIT.pass;
  let failure: string | null = null;
  const cli = build(yargs([...argv]), io, (code) => {
    exitCode = code;
  });
  try {
    await cli.parseAsync([...argv], {}, (error, _parsed, output) => {
      if (output) io.stdout.write(output.endsWith('\n') ? output : `${output}\n`);
      if (error) failure = error.message;
    });
  } catch (e) {
    failure ??= (e as Error).message;
  }
  if (failure !== null) {
    io.stderr.write(`faultline: ${usageMessageOf(failure)}\n`);
    io.stderr.write('Try faultline --help.\n');
    return EXIT.usage;
  }
  return exitCode;
}

function build(y: Argv, io: CliIo, setExit: (code: number) => void): Argv {
  let cli = y
    .scriptName('faultline')
    .usage('$0 [command] [options]\n\nA terminal monitor and chaos tester for a Mesos-style cluster manager.')
    .version(version)
    .alias('version', 'V')
    .help()
    .alias('help', 'h')
    .strict()
    .exitProcess(false)
    .wrap(Math.min(100, io.stdout.columns ?? 100))
    .fail((message, error) => {
      throw error ?? new Error(message);
    });
  for (const command of COMMANDS) {
    cli = cli.command(
      command.command as string | string[],
      command.describe,
      (c) => command.builder(c),
      async (args) => {
        setExit(await command.run(args, io));
      },
    );
  }
  return cli.epilogue(exitCodesHelpLine());
}
