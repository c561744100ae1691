/**
 * The scenario runner: one scenario on a cluster, phase by phase. setup builds
 * the cluster; steady-before waits for the steady state; the method runs its
 * steps in virtual time; the rollbacks always run (after a failure or Ctrl-C
 * too); the liveness phase heals everything and waits for convergence;
 * steady-after checks the steady state again; then every checker reads the
 * history and the worst check decides the verdict.
 */
import type { Fault } from '../../core/faults.js';
import type { HistoryRecord } from '../../core/events.js';
import type { Cluster, ClusterFactory } from '../../cluster/index.js';
import { DEFAULT_SLACK_MS, recoveryMetrics, runCheckers, summariseRecovery, type CheckContext, type CheckResult } from '../checkers/index.js';
import { evaluate, faultOf, formatCondition, formatDuration, formatLoc, type Check, type Condition, type FaultStep, type Loc, type Scenario, type Step } from '../scenario/index.js';
import { buildCluster, type BuiltCluster } from './build.js';
import { milestonesOf } from './milestones.js';
import { convergenceReasons, type ConvergenceSpec } from './convergence.js';
import { Driver } from './driver.js';
import { healingFaults } from './heal.js';
import { faultTarget, secondsText } from './label.js';
import { runProgram, type Program, type ProgramEnd } from './program.js';
import { stepsProgram, type StepEnv, type StepFailureClass } from './steps.js';
import type { ConvergenceResult, FaultRecord, PhaseBoundary, PhaseBoundaryName, RunOptions, RunPhase, RunResult, RunScenario } from './types.js';
import { EXIT_OF_VERDICT, verdictOf } from './verdict.js';
import { RunWatch } from './watch.js';

/** The PRNG stream that resolves `random`, `one`, `minority`... of the scenario's steps. */
export const FAULT_STREAM = 'faults:scenario';

/** A runner of parsed scenarios on the clusters `newCluster` builds; it returns everything the reports print. */
export function createScenarioRunner(newCluster: ClusterFactory): RunScenario {
  return async (scenario, file, options = {}) => {
    const seed = options.seed ?? scenario.seed;
    const built = buildCluster(scenario, { seed, ...(options.bugs ? { bugs: options.bugs } : {}) }, newCluster);
    // The parser validated the scenario, so a refused spec is a bug (exit 70), not a user error.
    if (!built.ok) throw new Error(`the runtime refused the scenario's cluster: ${built.error.where ?? ''} ${built.error.message}`);
    options.onCluster?.(built.value.cluster);
    return new ScenarioRun(scenario, file, seed, built.value, options).execute();
  };
}

/** The command that reproduces a run. */
export function reproduceCommand(file: string | null, scenarioName: string, seed: string): string {
  return `faultline run ${shellWord(file ?? `${scenarioName}.yaml`)} --seed ${shellWord(seed)}`;
}

function shellWord(word: string): string {
  return /^[\w./:=@+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

interface StepFailure {
  readonly text: string;
  readonly failure: StepFailureClass;
}

/** The boundary entering a phase records: `checks` ends the run's time (setup and done are not phases of the history). */
const BOUNDARY_OF: Readonly<Record<RunPhase, PhaseBoundaryName | null>> = {
  setup: null,
  'steady-before': 'steady-before',
  method: 'method',
  rollbacks: 'rollbacks',
  liveness: 'liveness',
  'steady-after': 'steady-after',
  checks: 'end',
  done: null,
};

/** One run's state, phase by phase. */
class ScenarioRun {
  private readonly cluster: Cluster;
  private readonly driver: Driver;
  private readonly watch = new RunWatch();
  private readonly faults: FaultRecord[] = [];
  private readonly random: () => number;
  private readonly wallStartMs = performance.now();
  private phase: RunPhase = 'setup';
  private step: string | null = null;
  private readonly checks: CheckResult[] = [];
  private readonly stepFailures: string[] = [];
  private readonly boundaries: PhaseBoundary[] = [];

  constructor(
    private readonly scenario: Scenario,
    private readonly file: string | null,
    private readonly seed: string,
    private readonly built: BuiltCluster,
    private readonly options: RunOptions,
  ) {
    this.cluster = built.cluster;
    // The records emitted while building belong to the run (and to its hash) too.
    for (const record of this.cluster.history()) this.watch.observe(record);
    this.cluster.onRecord((record) => this.watch.observe(record));
    this.random = this.cluster.randomStream(FAULT_STREAM);
    this.driver = new Driver(this.cluster, {
      ...(options.yieldControl ? { yieldControl: options.yieldControl } : {}),
      ...(options.chunkMs ? { chunkMs: options.chunkMs } : {}),
      ...(options.shouldStop ? { shouldStop: options.shouldStop } : {}),
    });
  }

  async execute(): Promise<RunResult> {
    const frameworks = this.scenario.frameworks;
    if (frameworks.length === 0) return this.phases();
    const host = this.options.externals;
    // Parsed scenarios reach here only through commands that can start them; anything else is a wiring bug.
    if (host === undefined) throw new Error(`${this.scenario.name} has external frameworks (${frameworks.map((f) => f.name).join(', ')}): only faultline run can start them`);
    const externals = await host.start(this.cluster, frameworks);
    try {
      return await this.phases(async () => {
        await externals.stop();
        return externals.notes();
      });
    } finally {
      await externals.stop();
    }
  }

  /** Every phase; `beforeChecks` stops the external frameworks (their last events belong to the history the checkers read). */
  private async phases(beforeChecks?: () => Promise<readonly string[]>): Promise<RunResult> {
    this.enter('steady-before');
    const steadyBefore = await this.steady('steady-before');
    const methodStartMs = this.cluster.now();
    if (steadyBefore !== 'interrupted') {
      this.enter('method');
      if (steadyBefore === 'held') await this.method();
      else this.checks.push({ name: 'method', kind: 'liveness', verdict: 'inconclusive', detail: 'not run: the steady state never held' });
    }
    this.enter('rollbacks');
    await this.rollbacks();
    let convergence: ConvergenceResult | null = null;
    let livenessStartMs: number | null = null;
    if (!this.driver.stopped()) {
      this.enter('liveness');
      livenessStartMs = this.cluster.now();
      convergence = await this.liveness();
      // Interrupted while converging: judge the run as one without a liveness phase.
      if (convergence === null) livenessStartMs = null;
      if (convergence?.converged === true) {
        this.enter('steady-after');
        await this.steady('steady-after');
      }
    }
    const externalNotes = (await beforeChecks?.()) ?? [];
    this.enter('checks');
    const history = this.cluster.history();
    const services = this.built.services;
    const endMs = this.cluster.now();
    const checkContext: CheckContext = { timing: this.built.timing, services, livenessStartMs, endMs };
    this.checks.push(...runCheckers(history, checkContext));
    const recovery = recoveryMetrics(history, { services });
    this.enter('done');
    const verdict = verdictOf(this.checks);
    return {
      scenario: this.scenario.name,
      file: this.file,
      seed: this.seed,
      verdict,
      exitCode: EXIT_OF_VERDICT[verdict],
      interrupted: this.driver.stopRequested,
      historyHash: this.watch.hasher.digest(),
      simulatedMs: endMs,
      wallMs: Math.round(performance.now() - this.wallStartMs),
      checks: this.checks,
      faults: this.faults,
      recovery,
      recoverySummary: summariseRecovery(recovery),
      convergence,
      stepFailures: this.stepFailures,
      history: this.options.keepHistory === false ? null : (history as readonly HistoryRecord[]),
      reproduce: reproduceCommand(this.file, this.scenario.name, this.seed),
      methodStartMs,
      livenessStartMs,
      phases: this.boundaries,
      checkContext,
      externalNotes,
      milestones: milestonesOf(history),
    };
  }

  private enter(phase: RunPhase): void {
    this.phase = phase;
    this.step = null;
    const boundary = BOUNDARY_OF[phase];
    // The watch has seen every record so far (the cluster's history may be capped; the count is not).
    if (boundary !== null) this.boundaries.push({ phase: boundary, atMs: this.cluster.now(), position: this.watch.count });
    this.report();
  }

  private report(): void {
    this.options.onProgress?.({ phase: this.phase, simulatedMs: this.cluster.now(), step: this.step, faults: this.faults });
  }

  private holds(condition: Condition) {
    return evaluate(condition, this.cluster.state(), this.watch.names);
  }

  /** Waits for every steady condition; adds the check. */
  private async steady(phase: 'steady-before' | 'steady-after'): Promise<'held' | 'failed' | 'interrupted'> {
    const { checks, withinMs } = this.scenario.steady;
    if (checks.length === 0) {
      this.checks.push({ name: phase, kind: 'liveness', verdict: 'pass', detail: 'no steady-state conditions to check' });
      return 'held';
    }
    const startMs = this.cluster.now();
    const allHold = (): boolean => checks.every((c) => this.holds(c.condition).holds);
    const end = await this.waitFor(allHold, startMs + withinMs);
    if (end === 'interrupted') return 'interrupted';
    if (end === 'held') {
      const list = checks.map((c) => formatCondition(c.condition)).join('; ');
      this.checks.push({ name: phase, kind: 'liveness', verdict: 'pass', detail: `held after ${secondsText(this.cluster.now() - startMs)}: ${list}` });
      return 'held';
    }
    const failing = checks.filter((c) => !this.holds(c.condition).holds).map((c) => this.unmet(c));
    this.checks.push({ name: phase, kind: 'liveness', verdict: 'fail', detail: `did not hold within ${formatDuration(withinMs)}: ${failing.join('; ')}` });
    return 'failed';
  }

  private unmet(check: Check): string {
    return `${formatCondition(check.condition)} (was ${this.holds(check.condition).actual}) (${formatLoc(check.loc)})`;
  }

  /** Runs the cluster until `test` holds or `deadlineMs` passes. */
  private async waitFor(test: () => boolean, deadlineMs: number): Promise<'held' | 'deadline' | 'interrupted'> {
    let held = false;
    const program = function* (): Program {
      held = yield { kind: 'until', test, deadlineMs };
    };
    const end = await runProgram(program(), this.driver);
    return end === 'interrupted' ? 'interrupted' : held ? 'held' : 'deadline';
  }

  private async method(): Promise<void> {
    const failures: StepFailure[] = [];
    const failed = (): boolean => failures.some((f) => f.failure === 'liveness');
    const end = await runProgram(stepsProgram(this.scenario.method, this.stepEnv('method', failures, true), failed), this.driver, failed);
    this.checks.push(stepsCheck('method', this.scenario.method, failures, end, this.cluster.now()));
  }

  private async rollbacks(): Promise<void> {
    const steps = this.scenario.rollbacks;
    if (steps.length === 0) return;
    // Rollbacks run to their end even after Ctrl-C: that is what they are for.
    this.driver.interruptible = false;
    const failures: StepFailure[] = [];
    const end = await runProgram(stepsProgram(steps, this.stepEnv('rollbacks', failures, false), () => false), this.driver);
    this.driver.interruptible = true;
    this.checks.push(stepsCheck('rollbacks', steps, failures, end, this.cluster.now()));
  }

  private stepEnv(phase: RunPhase, failures: StepFailure[], stopsOnFailure: boolean): StepEnv {
    return {
      now: () => this.cluster.now(),
      evaluate: (condition) => this.holds(condition),
      inject: (fault, loc) => this.injectStep(fault, loc, phase, failures),
      fail: (text, failure) => {
        failures.push({ text, failure });
        this.stepFailures.push(text);
      },
      progress: (label) => {
        this.step = label;
        this.report();
      },
      stopsOnFailure,
    };
  }

  private injectStep(step: FaultStep, loc: Loc, phase: RunPhase, failures: StepFailure[]): boolean {
    const resolved = faultOf(step, this.cluster.state(), this.random, { names: this.watch.names, nodes: this.cluster.networkNodes(), loc });
    // faultOf's messages already start with the fault's kind; the simulator's do not.
    const injected = resolved.ok ? this.inject(resolved.value, phase) : resolved;
    if (injected.ok) return true;
    const message = resolved.ok ? `${step.kind}: ${injected.error.message}` : injected.error.message;
    const text = `${message}: the fault was not injected (${formatLoc(loc)})`;
    failures.push({ text, failure: 'inconclusive' });
    this.stepFailures.push(text);
    return false;
  }

  private inject(fault: Fault, phase: RunPhase): ReturnType<Cluster['inject']> {
    const atMs = this.cluster.now();
    const result = this.cluster.inject(fault);
    if (result.ok) this.faults.push({ atMs, kind: fault.kind, target: faultTarget(fault), fault, phase });
    return result;
  }

  /**
   * Heals everything, then waits for convergence: every condition holding for
   * a stable window (two allocation intervals plus slack: long enough for a
   * surplus or a fresh loss to show) that began within the deadline.
   */
  private async liveness(): Promise<ConvergenceResult | null> {
    const healAtMs = this.cluster.now();
    const restartedSchedulers: string[] = [];
    const restartedAgents: string[] = [];
    for (const fault of healingFaults(this.cluster)) {
      this.inject(fault, 'liveness');
      if (fault.kind === 'restart-framework') restartedSchedulers.push(fault.node);
      if (fault.kind === 'restart-agent') restartedAgents.push(fault.node);
    }
    const timing = this.built.timing;
    const spec: ConvergenceSpec = {
      services: this.built.services,
      hosts: this.cluster.agents(),
      names: this.watch.names,
      checks: this.scenario.liveness.checks,
      restartedSchedulers,
      subscribedSinceHeal: (node) => this.watch.subscribedSince(node, healAtMs),
      restartedAgents,
      registeredSinceHeal: (host) => this.watch.agentRegisteredSince(host, healAtMs),
      lastOfferAtMs: () => this.watch.lastOfferAtMs(),
      offerSilenceMs: 2 * timing.allocationIntervalMs + DEFAULT_SLACK_MS + timing.defaultRefuseMs,
    };
    const deadlineMs = this.scenario.liveness.deadlineMs;
    const stableMs = 2 * timing.allocationIntervalMs + DEFAULT_SLACK_MS;
    let stableSinceMs: number | null = null;
    const stable = (): boolean => {
      const now = this.cluster.now();
      if (convergenceReasons(this.cluster.state(), spec).length > 0) stableSinceMs = null;
      else stableSinceMs ??= now;
      return stableSinceMs !== null && (now - stableSinceMs >= stableMs || stableSinceMs > healAtMs + deadlineMs);
    };
    const end = await this.waitFor(stable, healAtMs + deadlineMs + stableMs);
    if (end === 'interrupted') return null;
    const convergedAtMs: number | null = stableSinceMs;
    if (convergedAtMs !== null && convergedAtMs <= healAtMs + deadlineMs) {
      const afterMs = convergedAtMs - healAtMs;
      this.checks.push({ name: 'convergence', kind: 'liveness', verdict: 'pass', detail: `converged ${secondsText(afterMs)} after the heal, stable for ${secondsText(this.cluster.now() - convergedAtMs)}` });
      return { converged: true, convergedAfterMs: afterMs, reasons: [] };
    }
    const reasons = convergenceReasons(this.cluster.state(), spec);
    if (reasons.length === 0) reasons.push(`converged only ${secondsText((convergedAtMs ?? this.cluster.now()) - healAtMs)} after the heal, past the deadline`);
    this.checks.push({ name: 'convergence', kind: 'liveness', verdict: 'fail', detail: `not converged ${formatDuration(deadlineMs)} after the heal: ${reasons.join('; ')}` });
    return { converged: false, convergedAfterMs: null, reasons };
  }
}

/** The check a list of steps gives: failed on a missed deadline, inconclusive on a fault that could not be injected or an interrupt. */
function stepsCheck(name: 'method' | 'rollbacks', steps: readonly Step[], failures: readonly StepFailure[], end: ProgramEnd, nowMs: number): CheckResult {
  const liveness = failures.filter((f) => f.failure === 'liveness');
  const texts = failures.map((f) => f.text).join('; ');
  if (liveness.length > 0) return { name, kind: 'liveness', verdict: 'fail', detail: texts };
  if (end === 'interrupted') return { name, kind: 'liveness', verdict: 'inconclusive', detail: `interrupted at ${secondsText(nowMs)}${texts ? `; ${texts}` : ''}` };
  if (failures.length > 0) return { name, kind: 'liveness', verdict: 'inconclusive', detail: texts };
  return { name, kind: 'liveness', verdict: 'pass', detail: `${countSteps(steps)} step(s) done` };
}

function countSteps(steps: readonly Step[]): number {
  let n = 0;
  for (const step of steps) {
    n += 1;
    if (step.kind === 'parallel') n += countSteps(step.steps);
    else if (step.kind === 'repeat') n += step.times * countSteps(step.steps);
  }
  return n;
}
