/**
 * The TUI's public surface for the CLI: run it, restore the terminal, and the
 * feed interface to implement. (The first paint, first-paint.ts, and the
 * terminal's restore, terminal.ts, are imported directly: they must not load Ink.)
 */
export { runTui, EXIT_CRASH, type RunTuiOptions, type TuiHandle } from './run.js';
export { restoreTerminal, enterFullScreen } from './terminal.js';
export type { ClusterFeed, ClockControl, TaskOutput, ScenarioRunFeed, ScenarioRunSnapshot, ScenarioStepView, ScenarioCheckView, ScenarioVerdict } from './source.js';
export { App, type AppProps } from './app.js';
export { createTuiSession, DEFAULT_REFRESH_MS, type TuiSession, type TuiSessionOptions } from './session.js';
export { EXIT_QUIT, EXIT_INTERRUPT } from './controller.js';
