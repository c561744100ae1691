/**
 * `scenarioToYaml`: a Scenario back to the file format, so the TUI can save
 * what the user did and the fuzzer can write a shrunk reproducer.
 * `parseScenario(scenarioToYaml(s))` gives `s` back (locations aside).
 */
import { Document, isCollection, isScalar, isSeq, visit } from 'yaml';
import { assertNever } from '../../core/errors.js';
import { formatResources } from '../../core/resources.js';
import type { TimingOverrides } from '../../core/timing.js';
import { formatCondition } from './condition.js';
import { formatDuration } from './duration.js';
import { timingKeyOf } from './parse-cluster.js';
import { DEFAULT_SWIZZLE_STEP_MS } from './parse-fault.js';
import { TARGET_KEYWORDS } from './parse-target.js';
import { DEFAULT_STEADY_WITHIN_MS } from './parse.js';
import { DEFAULT_BATCH_DURATION_MS, DEFAULT_FAILOVER_TIMEOUT_MS, DEFAULT_MAX_RETRIES, DEFAULT_ROLE, DEFAULT_SERVICE_COMMAND } from '../../schedulers/defaults.js';
import type { AgentSpec, AppCommon, Check, ClusterSpec, FaultStep, Scenario, Step, TargetSpec, WorkloadSpec } from './types.js';

type Yaml = string | number | boolean | null | Yaml[] | { [key: string]: Yaml };

/** The scenario as YAML text. */
export function scenarioToYaml(scenario: Scenario): string {
  const out: { [key: string]: Yaml } = { name: scenario.name };
  if (scenario.description !== '') out.description = scenario.description;
  out.seed = /^(0|[1-9]\d{0,14})$/.test(scenario.seed) ? Number(scenario.seed) : scenario.seed;
  out.timing = timingYaml(scenario);
  out.cluster = clusterYaml(scenario.cluster);
  const workload = workloadYaml(scenario.workload);
  if (workload !== null) out.workload = workload;
  if (scenario.frameworks.length > 0) out.frameworks = scenario.frameworks.map((f) => ({ external: { name: f.name, command: f.command, ...(Object.keys(f.env).length > 0 ? { env: { ...f.env } } : {}) } }));
  if (scenario.steady.checks.length > 0 || scenario.steady.withinMs !== DEFAULT_STEADY_WITHIN_MS) {
    out.steady =
      scenario.steady.withinMs === DEFAULT_STEADY_WITHIN_MS
        ? checksYaml(scenario.steady.checks)
        : { within: formatDuration(scenario.steady.withinMs), conditions: checksYaml(scenario.steady.checks) };
  }
  out.method = scenario.method.map(stepYaml);
  if (scenario.rollbacks.length > 0) out.rollbacks = scenario.rollbacks.map(stepYaml);
  const liveness: { [key: string]: Yaml } = { deadline: formatDuration(scenario.liveness.deadlineMs) };
  if (scenario.liveness.checks.length > 0) liveness.conditions = checksYaml(scenario.liveness.checks);
  out.liveness = liveness;
  const doc = new Document(out);
  // Small leaf collections read best inline (`agent: {running: web}`); steps and list entries stay block.
  const inline = (node: { items: unknown[]; flow?: boolean }, path: readonly unknown[]): void => {
    const parent = path[path.length - 1];
    const depth = path.filter(isCollection).length;
    if (depth < 2 || isSeq(parent) || node.items.length > 4) return;
    if (node.items.every((item) => isScalar(item) || (isPairLike(item) && isScalar(item.value)))) node.flow = true;
  };
  visit(doc, { Map: (_key, node, path) => inline(node, path), Seq: (_key, node, path) => inline(node, path) });
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false });
}

function isPairLike(item: unknown): item is { value: unknown } {
  return typeof item === 'object' && item !== null && 'value' in item;
}

function timingYaml(scenario: Scenario): Yaml {
  const overrides = Object.entries(scenario.timing.overrides) as Array<[keyof TimingOverrides, number]>;
  if (overrides.length === 0) return scenario.timing.profile;
  const out: { [key: string]: Yaml } = { profile: scenario.timing.profile };
  for (const [field, value] of overrides) out[timingKeyOf(field)] = field.endsWith('Ms') ? formatDuration(value) : value;
  return out;
}

function attributesYaml(attributes: AgentSpec['attributes']): { [key: string]: Yaml } {
  return { ...attributes };
}

function clusterYaml(cluster: ClusterSpec): Yaml {
  const out: { [key: string]: Yaml } = { masters: cluster.masters };
  out.agents = agentsYaml(cluster.agents);
  if (cluster.network !== null) {
    const { latencyMinMs, latencyMaxMs } = cluster.network;
    out.network = { latency: { min: formatDuration(latencyMinMs), max: formatDuration(latencyMaxMs) } };
  }
  return out;
}

/** `{count, resources, attributes}` when the agents are uniform and named agent-1..n, else the list. */
function agentsYaml(agents: readonly AgentSpec[]): Yaml {
  const first = agents[0];
  if (first === undefined) return 0;
  const uniform =
    agents.every(
      (agent, i) =>
        agent.host === `agent-${i + 1}` &&
        formatResources(agent.resources) === formatResources(first.resources) &&
        JSON.stringify(agent.attributes) === JSON.stringify(first.attributes),
    );
  if (uniform) {
    const out: { [key: string]: Yaml } = { count: agents.length, resources: formatResources(first.resources) };
    if (Object.keys(first.attributes).length > 0) out.attributes = attributesYaml(first.attributes);
    return out;
  }
  return agents.map((agent) => {
    const out: { [key: string]: Yaml } = { host: agent.host, resources: formatResources(agent.resources) };
    if (Object.keys(agent.attributes).length > 0) out.attributes = attributesYaml(agent.attributes);
    return out;
  });
}


/** The fields every app has; defaults are left out so a saved file stays short. */
function commonYaml(app: AppCommon): { [key: string]: Yaml } {
  const out: { [key: string]: Yaml } = { name: app.name, resources: formatResources(app.resources) };
  if (app.role !== DEFAULT_ROLE) out.role = app.role;
  if (!app.partitionAware) out.partitionAware = false;
  if (app.failoverTimeoutMs !== DEFAULT_FAILOVER_TIMEOUT_MS) out.failoverTimeout = formatDuration(app.failoverTimeoutMs);
  if (app.taskLaunchTimeoutMs !== null) out.taskLaunchTimeout = formatDuration(app.taskLaunchTimeoutMs);
  return out;
}

function workloadYaml(workload: WorkloadSpec): Yaml {
  const out: { [key: string]: Yaml } = {};
  if (workload.services.length > 0) {
    out.services = workload.services.map((s) => {
      const app = commonYaml(s);
      app.instances = s.instances;
      if (s.unreachableStrategy !== null) {
        app.unreachableStrategy =
          s.unreachableStrategy === 'disabled'
            ? 'disabled'
            : { inactiveAfterSeconds: s.unreachableStrategy.inactiveAfterMs / 1000, expungeAfterSeconds: s.unreachableStrategy.expungeAfterMs / 1000 };
      }
      if (s.killSelection !== 'YoungestFirst') app.killSelection = s.killSelection;
      if (s.command !== DEFAULT_SERVICE_COMMAND) app.command = s.command;
      if (s.durationMs !== null) app.duration = formatDuration(s.durationMs);
      if (s.failureProbability !== 0) app.failureProbability = s.failureProbability;
      return app;
    });
  }
  if (workload.batch.length > 0) {
    out.batch = workload.batch.map((b) => {
      const app = commonYaml(b);
      app.tasks = b.tasks;
      if (b.command !== null) app.command = b.command;
      if (b.durationMs !== DEFAULT_BATCH_DURATION_MS) app.duration = formatDuration(b.durationMs);
      if (b.failureProbability !== 0) app.failureProbability = b.failureProbability;
      if (b.maxRetries !== DEFAULT_MAX_RETRIES) app.maxRetries = b.maxRetries;
      if (b.parallelism !== null) app.parallelism = b.parallelism;
      return app;
    });
  }
  if (workload.execute.length > 0) {
    out.execute = workload.execute.map((e) => {
      const app = commonYaml(e);
      app.command = e.command;
      if (e.durationMs !== null) app.duration = formatDuration(e.durationMs);
      if (e.failureProbability !== 0) app.failureProbability = e.failureProbability;
      return app;
    });
  }
  return Object.keys(out).length === 0 ? null : out;
}

function checksYaml(checks: readonly Check[]): Yaml[] {
  return checks.map((check) => formatCondition(check.condition));
}

/** One step in its file form. */
export function stepYaml(step: Step): Yaml {
  switch (step.kind) {
    case 'fault':
      return faultYaml(step.fault);
    case 'wait':
      return { wait: formatDuration(step.ms) };
    case 'until':
      return { until: formatCondition(step.condition), within: formatDuration(step.withinMs) };
    case 'parallel':
      return { parallel: step.steps.map(stepYaml) };
    case 'repeat':
      return { repeat: { times: step.times, steps: step.steps.map(stepYaml) } };
    default:
      return assertNever(step, 'step');
  }
}

/** A target in its file form; an id that reads like a keyword is written `{id: ...}`. */
export function targetYaml(spec: TargetSpec): Yaml {
  switch (spec.kind) {
    case 'id':
      return (TARGET_KEYWORDS as readonly string[]).includes(spec.id) ? { id: spec.id } : spec.id;
    case 'one':
    case 'random':
    case 'leader':
    case 'minority':
    case 'majority':
    case 'all':
      return spec.kind;
    case 'running':
      return { running: spec.app };
    case 'of':
      return { of: spec.app };
    case 'list':
      return spec.items.map(targetYaml);
    default:
      return assertNever(spec, 'target');
  }
}

/** A fault in its file form: single-target faults use the shorthand `kill-agent: random`. */
function faultYaml(fault: FaultStep): Yaml {
  switch (fault.kind) {
    case 'kill-agent':
    case 'restart-agent':
    case 'pause-agent':
    case 'resume-agent':
      return { [fault.kind]: targetYaml(fault.agent) };
    case 'kill-master':
    case 'restart-master':
    case 'pause-master':
    case 'resume-master':
    case 'failover':
      return { [fault.kind]: targetYaml(fault.master) };
    case 'crash-framework':
    case 'restart-framework':
      return { [fault.kind]: targetYaml(fault.framework) };
    case 'kill-task':
      return { 'kill-task': targetYaml(fault.task) };
    case 'heal':
      return 'heal';
    case 'partition': {
      const p = fault.partition;
      const params: { [key: string]: Yaml } = {};
      if (p.kind === 'isolate') params.isolate = targetYaml(p.node);
      else if (p.kind === 'groups') params.groups = p.groups.map(targetYaml);
      else {
        params.split = 'majority-minority';
        if (p.leader !== 'any') params.leader = p.leader;
      }
      if (fault.oneWay) params.mode = 'one-way';
      return { partition: params };
    }
    case 'link': {
      const params: { [key: string]: Yaml } = {};
      if (fault.from.kind !== 'all') params.from = targetYaml(fault.from);
      if (fault.to.kind !== 'all') params.to = targetYaml(fault.to);
      if (fault.spec.delayMs !== undefined) params.delay = formatDuration(fault.spec.delayMs);
      if (fault.spec.jitterMs !== undefined) params.jitter = formatDuration(fault.spec.jitterMs);
      if (fault.spec.loss !== undefined) params.loss = fault.spec.loss;
      if (fault.spec.duplicate !== undefined) params.duplicate = fault.spec.duplicate;
      if (fault.oneWay) params.mode = 'one-way';
      return { link: params };
    }
    case 'clog':
    case 'unclog':
      return { [fault.kind]: targetYaml(fault.nodes) };
    case 'swizzle-clog': {
      const params: { [key: string]: Yaml } = { nodes: targetYaml(fault.nodes) };
      if (fault.stepMs !== DEFAULT_SWIZZLE_STEP_MS) params.step = formatDuration(fault.stepMs);
      return { 'swizzle-clog': params };
    }
    default:
      return assertNever(fault, 'fault step');
  }
}
