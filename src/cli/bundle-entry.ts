/**
 * The bundle's entry (scripts/build-cli.mjs): what the launcher, bin/faultline,
 * imports from dist/bundle/main.js.
 */
export { endQuietlyOnClosedPipe } from './closed-pipe.js';
export { main } from './main.js';
