/**
 * One-line labels of steps and faults for progress lines and reports:
 * `kill-agent {running: web} (agent-loss.yaml:14:7)`, `agent-3`.
 */
import { assertNever } from '../../core/errors.js';
import { formatCondition, formatDuration, formatLoc, stepYaml, type Step } from '../scenario/index.js';

/** A YAML value in one-line flow style. */
function flow(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(flow).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${k}: ${flow(v)}`)
      .join(', ')}}`;
  }
  return String(value);
}

/** A step in one line, without its location. */
export function stepText(step: Step): string {
  switch (step.kind) {
    case 'fault': {
      const yaml = stepYaml(step) as unknown;
      if (typeof yaml === 'string') return yaml;
      const [entry] = Object.entries(yaml as Record<string, unknown>);
      return entry === undefined ? step.fault.kind : `${entry[0]} ${flow(entry[1])}`;
    }
    case 'wait':
      return `wait ${formatDuration(step.ms)}`;
    case 'until':
      return `until ${formatCondition(step.condition)} within ${formatDuration(step.withinMs)}`;
    case 'parallel':
      return `parallel (${step.steps.length} steps)`;
    case 'repeat':
      return `repeat ${step.times}x (${step.steps.length} steps)`;
    default:
      return assertNever(step, 'step');
  }
}

export { faultTarget } from '../../core/faults.js';

/** A step in one line with its location: `wait 30s (agent-loss.yaml:12:5)`. */
export function stepLabel(step: Step): string {
  return `${stepText(step)} (${formatLoc(step.loc)})`;
}

/** A measured virtual duration in seconds with one decimal: `3.2 s`. */
export function secondsText(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
