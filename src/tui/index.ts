/**
 * The TUI's public surface for the CLI: run it, restore the terminal, and the
 * feed interface to implement.
 */
export { runTui, restoreTerminal, enterFullScreen, EXIT_CRASH, type RunTuiOptions, type TuiHandle } from './run.js';
export type { ClusterFeed, ClockControl, ScenarioRunFeed, ScenarioRunSnapshot, ScenarioStepView, ScenarioCheckView, ScenarioVerdict } from './source.js';
export { App, type AppProps } from './app.js';
export { createTuiSession, DEFAULT_REFRESH_MS, type TuiSession, type TuiSessionOptions } from './session.js';
export { EXIT_QUIT, EXIT_INTERRUPT } from './controller.js';
