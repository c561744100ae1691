/**
 * How a CLI command plugs into yargs: each `commands/<name>-cli.ts` exports one
 * `CliCommand`, and main.ts registers the list. A handler returns the exit code.
 * The declaration is kept apart from the command's code (`commands/<name>.ts`),
 * which `run` imports on demand: launching the TUI then loads no runner,
 * fuzzer or report, and `faultline run` no TUI.
 */
import type { Argv } from 'yargs';
import type { CliIo } from './io.js';

/** One command of the CLI. */
export interface CliCommand {
  /** yargs command string: `run <scenarios..>`, or `$0` for the default. */
  readonly command: string | readonly string[];
  readonly describe: string;
  /** Declares the options. */
  readonly builder: (y: Argv) => Argv;
  /** Runs the command with the parsed arguments (importing its implementation first). */
  readonly run: (args: Record<string, unknown>, io: CliIo) => Promise<number>;
}
