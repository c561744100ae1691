/**
 * The parsed, validated scenario: plain data (no classes, no functions), with
 * every default filled in, so the runner, the fuzzer and the TUI can consume it
 * without knowing YAML. FORMAT.md describes the file these come from.
 *
 * Targets stay unresolved here (`random`, `leader`, `{running: web}`): they are
 * resolved against the live ClusterState at the moment a step runs
 * (`resolveTarget`, `faultOf`), because "an agent running web" means a
 * different agent at every run.
 */
import type { FaultKind, LinkFaultSpec } from '../../core/faults.js';
import type { NodeId } from '../../core/ids.js';
import type { Attributes } from '../../core/messages.js';
import type { Resources } from '../../core/resources.js';
import type { AgentState, MasterView } from '../../core/state.js';
import type { TaskState } from '../../core/task-state.js';
import type { TimingOverrides, TimingProfileName } from '../../core/timing.js';

/** Where something was written: 1-based line and column in `file`. */
export interface Loc {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/** A whole scenario file. */
export interface Scenario {
  readonly name: string;
  /** What the scenario proves; '' when absent. */
  readonly description: string;
  /** The PRNG seed as text (`42` and `"42"` both give `'42'`); default `'1'`; `--seed` overrides it. */
  readonly seed: string;
  readonly timing: TimingSpec;
  readonly cluster: ClusterSpec;
  readonly workload: WorkloadSpec;
  /** Frameworks under test that run outside faultline (their scheduler is a process the runner starts). */
  readonly frameworks: readonly ExternalFrameworkSpec[];
  /** Checks that must hold before the method starts and again after it ends. */
  readonly steady: SteadySpec;
  /** The experiment: steps run in order. */
  readonly method: readonly Step[];
  /** Steps that always run after the method (also on failure or Ctrl-C). */
  readonly rollbacks: readonly Step[];
  /** After the method and rollbacks: heal everything, then require convergence. */
  readonly liveness: LivenessSpec;
}

/** A timing profile plus overrides; `timingOf(profile, overrides)` (core/timing.ts) gives the Timing. */
export interface TimingSpec {
  readonly profile: TimingProfileName;
  /** Only the fields the file set, in milliseconds (counts and ratios as given). */
  readonly overrides: TimingOverrides;
}

/** The simulated (or live) cluster's shape. */
export interface ClusterSpec {
  /** Number of masters, named `master-1..n`; default 3. */
  readonly masters: number;
  /** Every agent, expanded (an `agents: {count: 5}` file gives five entries `agent-1..5`). */
  readonly agents: readonly AgentSpec[];
  /** Network latency; null = the runtime's default. */
  readonly network: NetworkSpec | null;
}

/** One agent host. */
export interface AgentSpec {
  /** The agent's host name and network node id (`agent-3`). */
  readonly host: NodeId;
  readonly resources: Resources;
  readonly attributes: Attributes;
  readonly loc: Loc;
}

/** Per-message one-way latency, uniform in [latencyMinMs, latencyMaxMs]. */
export interface NetworkSpec {
  readonly latencyMinMs: number;
  readonly latencyMaxMs: number;
}

/** The frameworks and their apps. Every app name is unique across the three lists. */
export interface WorkloadSpec {
  readonly services: readonly ServiceSpec[];
  readonly batch: readonly BatchSpec[];
  readonly execute: readonly ExecuteSpec[];
}

/** What every app (service, batch job, execute command) has: one framework each. */
export interface AppCommon {
  /** Unique across services, batch and execute; the framework's name and scheduler node `scheduler-<name>`. */
  readonly name: string;
  /** Per task; default `cpus:1;mem:128` (Marathon's and mesos-execute's). */
  readonly resources: Resources;
  /** The framework's role; default `*`. */
  readonly role: string;
  /** Subscribes with the PARTITION_AWARE capability (sees TASK_UNREACHABLE instead of TASK_LOST); default true. */
  readonly partitionAware: boolean;
  /** FrameworkInfo.failover_timeout; default one week. */
  readonly failoverTimeoutMs: number;
  /** A task not RUNNING this long after launch is killed and replaced; null = the scheduler's default for the timing. */
  readonly taskLaunchTimeoutMs: number | null;
  readonly loc: Loc;
}

/** A Marathon-style long-running app: the service scheduler keeps `instances` tasks running. */
export interface ServiceSpec extends AppCommon {
  readonly instances: number;
  /**
   * Marathon's unreachableStrategy: when to start a replacement for an unreachable
   * task (inactiveAfterMs) and when to kill the original if it returns (expungeAfterMs).
   * null = the timing profile's inactiveAfterMs / expungeAfterMs.
   */
  readonly unreachableStrategy: UnreachableStrategy | 'disabled' | null;
  /** Which task to kill when there are too many; default YoungestFirst. */
  readonly killSelection: KillSelection;
  /** The shell command (run for real only by the live executor); default `sleep infinity`. */
  readonly command: string;
  /** Simulated run time of each task; null (default) = runs until killed. */
  readonly durationMs: number | null;
  /** Simulated chance (0..1) that a task fails; default 0. */
  readonly failureProbability: number;
}

/** Marathon's unreachableStrategy, in milliseconds. */
export interface UnreachableStrategy {
  readonly inactiveAfterMs: number;
  readonly expungeAfterMs: number;
}

/** Marathon's killSelection. */
export type KillSelection = 'YoungestFirst' | 'OldestFirst';

/** A batch job: `tasks` tasks that each run `durationMs` and finish, retried on failure. */
export interface BatchSpec extends AppCommon {
  readonly tasks: number;
  /** null = the batch scheduler's default (`sleep <duration>`). */
  readonly command: string | null;
  /** Simulated run time of each task; default 10 s. */
  readonly durationMs: number;
  /** Chance (0..1) that a task run fails; default 0. */
  readonly failureProbability: number;
  /** Retries per task after a failure; default 3. */
  readonly maxRetries: number;
  /** Most tasks running at once; null = as many as fit. */
  readonly parallelism: number | null;
}

/** `mesos-execute`: one command, every update printed. */
export interface ExecuteSpec extends AppCommon {
  readonly command: string;
  /** Simulated run time; null (default) = runs until killed. */
  readonly durationMs: number | null;
  /** Simulated chance (0..1) that the task fails; default 0. */
  readonly failureProbability: number;
}

/** A framework under test: a scheduler process outside faultline that speaks the Mesos v1 HTTP API. */
export interface ExternalFrameworkSpec {
  /** The name it subscribes with (FrameworkInfo.name), unique among app names; passed to it as $FRAMEWORK_NAME. */
  readonly name: string;
  /** Run with `sh -c`; $FAULTLINE_MASTER holds the leading master's host:port. */
  readonly command: string;
  /** Extra environment variables. */
  readonly env: Readonly<Record<string, string>>;
  readonly loc: Loc;
}

/** A condition as written in a list (`steady`, `liveness`). */
export interface Check {
  readonly condition: Condition;
  readonly loc: Loc;
}

/** The steady-state hypothesis. */
export interface SteadySpec {
  /** How long the cluster may take to reach the steady state (before the method, and again after); default 60 s. */
  readonly withinMs: number;
  readonly checks: readonly Check[];
}

/** The liveness phase. */
export interface LivenessSpec {
  /** Convergence deadline after the heal; default 60 s (fast profile) or 20 min (mesos profile). */
  readonly deadlineMs: number;
  /** Extra conditions beyond the runner's own convergence checks. */
  readonly checks: readonly Check[];
}

/** One step of `method` or `rollbacks`. */
export type Step =
  | { readonly kind: 'fault'; readonly fault: FaultStep; readonly loc: Loc }
  | { readonly kind: 'wait'; readonly ms: number; readonly loc: Loc }
  | { readonly kind: 'until'; readonly condition: Condition; readonly withinMs: number; readonly loc: Loc }
  /** Runs every step at once; done when all are done. */
  | { readonly kind: 'parallel'; readonly steps: readonly Step[]; readonly loc: Loc }
  | { readonly kind: 'repeat'; readonly times: number; readonly steps: readonly Step[]; readonly loc: Loc };

/** Faults aimed at one agent host. */
export type AgentFaultKind = 'kill-agent' | 'restart-agent' | 'pause-agent' | 'resume-agent';
/** Faults aimed at one master. */
export type MasterFaultKind = 'kill-master' | 'restart-master' | 'pause-master' | 'resume-master' | 'failover';
/** Faults aimed at one framework's scheduler. */
export type FrameworkFaultKind = 'crash-framework' | 'restart-framework';

/** A fault with unresolved targets, as written in the file. */
export type FaultStep =
  | { readonly kind: AgentFaultKind; readonly agent: TargetSpec }
  | { readonly kind: MasterFaultKind; readonly master: TargetSpec }
  | { readonly kind: FrameworkFaultKind; readonly framework: TargetSpec }
  | { readonly kind: 'kill-task'; readonly task: TargetSpec }
  | { readonly kind: 'partition'; readonly partition: PartitionSpec; readonly oneWay: boolean }
  | { readonly kind: 'heal' }
  /** Both directions unless oneWay; `all` on either side means every node. */
  | { readonly kind: 'link'; readonly from: TargetSpec; readonly to: TargetSpec; readonly oneWay: boolean; readonly spec: LinkFaultSpec }
  | { readonly kind: 'clog' | 'unclog'; readonly nodes: TargetSpec }
  | { readonly kind: 'swizzle-clog'; readonly nodes: TargetSpec; readonly stepMs: number };

/** How a partition splits the nodes. */
export type PartitionSpec =
  /** Explicit groups (each a node set); at least two. */
  | { readonly kind: 'groups'; readonly groups: readonly TargetSpec[] }
  /** One node (or set) against every other node. */
  | { readonly kind: 'isolate'; readonly node: TargetSpec }
  /** A random minority of the masters and of the agents against the rest; `leader` places the leading master. */
  | { readonly kind: 'majority-minority'; readonly leader: LeaderSide };

/** Which side of a majority/minority split the leader must be on. */
export type LeaderSide = 'minority' | 'majority' | 'any';

/** An unresolved target, resolved at run time by `resolveTarget`. */
export type TargetSpec =
  /** A node id or host (`agent-3`, `master-1`), an agent id, a task id, a framework id or an app name. */
  | { readonly kind: 'id'; readonly id: string }
  /** One, chosen at random (Jepsen's `:one`). */
  | { readonly kind: 'one' }
  /** One, chosen at random (same as `one`; both spellings are kept for the round trip). */
  | { readonly kind: 'random' }
  /** The leading master. */
  | { readonly kind: 'leader' }
  /** A random minority of the masters plus a random minority of the agents. */
  | { readonly kind: 'minority' }
  /** A random majority of the masters plus a random majority of the agents. */
  | { readonly kind: 'majority' }
  /** Every node. */
  | { readonly kind: 'all' }
  /** An agent with a TASK_RUNNING task of this app. */
  | { readonly kind: 'running'; readonly app: string }
  /** An active task of this app. */
  | { readonly kind: 'of'; readonly app: string }
  /** The union of several targets. */
  | { readonly kind: 'list'; readonly items: readonly TargetSpec[] };

/** The `kind` strings of target specs. */
export type TargetKind = TargetSpec['kind'];

/** `==`, `!=`, `>=`, `<=`, `>`, `<`. */
export type CompareOp = '==' | '!=' | '>=' | '<=' | '>' | '<';

/** A master's state as counted by `masters <state> <op> <n>`. */
export type MasterState = MasterView['state'];

/** What `framework <app> <state>` asks. */
export type FrameworkCondition = 'connected' | 'disconnected' | 'removed';

/** A parsed condition (`formatCondition` prints the canonical text back). */
export type Condition =
  /** `service web running == 10`: tasks of the app's framework in the state. */
  | { readonly kind: 'app-tasks'; readonly app: string; readonly state: TaskState; readonly op: CompareOp; readonly value: number }
  /** `tasks TASK_RUNNING >= 20`: all tasks in the state. */
  | { readonly kind: 'tasks'; readonly state: TaskState; readonly op: CompareOp; readonly value: number }
  /** `agents unreachable == 0`. */
  | { readonly kind: 'agents'; readonly state: AgentState; readonly op: CompareOp; readonly value: number }
  /** `masters down == 0`. */
  | { readonly kind: 'masters'; readonly state: MasterState; readonly op: CompareOp; readonly value: number }
  /** `offers >= 1`: outstanding offers. */
  | { readonly kind: 'offers'; readonly op: CompareOp; readonly value: number }
  /** `leader elected`. */
  | { readonly kind: 'leader-elected' }
  /** `no leader`. */
  | { readonly kind: 'no-leader' }
  /** `leader epoch >= 2`: a failover happened. */
  | { readonly kind: 'leader-epoch'; readonly op: CompareOp; readonly value: number }
  /** `task <id> state == TASK_KILLED`. */
  | { readonly kind: 'task-state'; readonly taskId: string; readonly op: '==' | '!='; readonly state: TaskState }
  /** `framework web connected`. */
  | { readonly kind: 'framework'; readonly app: string; readonly state: FrameworkCondition }
  /** `A and B`: all hold. */
  | { readonly kind: 'and'; readonly conditions: readonly Condition[] };

// Compile-time proof that the scenario covers every fault of core/faults.ts and no other.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const faultKindsMatch: Same<FaultStep['kind'], FaultKind> = true;
void faultKindsMatch;
