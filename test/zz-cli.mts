import { main } from '/work/wt-replay/src/cli/main.ts';
process.exitCode = await main(process.argv.slice(2));
