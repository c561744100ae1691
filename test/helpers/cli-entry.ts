/** Runs the CLI from source (through tsx) as its own process, for tests that need real daemons: `node --import tsx test/helpers/cli-entry.ts <args>`. */
import { main } from '../../src/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
