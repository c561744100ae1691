import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertNever } from '../../../src/core/errors.js';
import {
  defaultBaseScenario,
  FUZZ_KINDS,
  generateSchedule,
  MAX_PRIMARY_FAULTS,
  scheduleScenario,
  targetsOf,
  type FuzzFault,
  type FuzzKind,
} from '../../../src/chaos/fuzz/index.js';
import { parseScenario, scenarioToYaml, type FaultStep, type Scenario, type TargetSpec } from '../../../src/chaos/scenario/index.js';

const base = defaultBaseScenario();
const METHOD_MS = 10 * 60_000;
const SEEDS = Array.from({ length: 60 }, (_, i) => String(i + 1));

/** The undo kinds the generator may add after each primary kind. */
const UNDOS: Readonly<Partial<Record<FuzzKind, readonly string[]>>> = {
  'kill-agent': ['restart-agent'],
  'pause-agent': ['resume-agent'],
  'kill-master': ['restart-master'],
  'pause-master': ['resume-master'],
  'crash-framework': ['restart-framework'],
  partition: ['heal'],
  link: ['heal'],
  clog: ['unclog'],
};

function ids(target: TargetSpec): string[] {
  switch (target.kind) {
    case 'id':
      return [target.id];
    case 'list':
      return target.items.flatMap(ids);
    default:
      return [];
  }
}

/** Every node id a step names. */
function namedNodes(step: FaultStep): string[] {
  switch (step.kind) {
    case 'kill-agent':
    case 'restart-agent':
    case 'pause-agent':
    case 'resume-agent':
      return ids(step.agent);
    case 'kill-master':
    case 'restart-master':
    case 'pause-master':
    case 'resume-master':
    case 'failover':
      return ids(step.master);
    case 'crash-framework':
    case 'restart-framework':
      return ids(step.framework);
    case 'partition':
      return step.partition.kind === 'groups' ? step.partition.groups.flatMap(ids) : step.partition.kind === 'isolate' ? ids(step.partition.node) : [];
    case 'link':
      return [...ids(step.from), ...ids(step.to)];
    case 'clog':
    case 'unclog':
    case 'swizzle-clog':
      return ids(step.nodes);
    case 'kill-task':
    case 'heal':
      return [];
    default:
      return assertNever(step, 'fault step');
  }
}

function nodeOf(fault: FuzzFault): string | undefined {
  return namedNodes(fault.step)[0];
}

describe('generateSchedule', () => {
  it('gives the same schedule for the same seed, and different schedules for different seeds', () => {
    const first = SEEDS.map((seed) => generateSchedule({ seed, base, kinds: FUZZ_KINDS }));
    const again = SEEDS.map((seed) => generateSchedule({ seed, base, kinds: FUZZ_KINDS }));
    assert.deepEqual(again, first);
    const distinct = new Set(first.map((s) => JSON.stringify(s.faults)));
    assert.equal(distinct.size, SEEDS.length);
  });

  it('swarm: each seed enables its own subset, weights and rate', () => {
    const schedules = SEEDS.map((seed) => generateSchedule({ seed, base, kinds: FUZZ_KINDS }));
    const subsets = new Set(schedules.map((s) => s.kinds.join(',')));
    assert.ok(subsets.size > SEEDS.length / 2, `${subsets.size} distinct subsets`);
    for (const s of schedules) {
      assert.ok(s.kinds.length >= 1);
      assert.ok(s.ratePerMin >= 0.3 && s.ratePerMin <= 3, `rate ${s.ratePerMin}`);
      for (const kind of s.kinds) assert.ok((s.weights[kind] ?? 0) > 0);
    }
    const sizes = schedules.map((s) => s.kinds.length);
    assert.ok(Math.min(...sizes) < Math.max(...sizes));
  });

  it('draws only the seed\'s kinds and their undos, at least one fault, within the method, in time order', () => {
    for (const seed of SEEDS) {
      const s = generateSchedule({ seed, base, kinds: FUZZ_KINDS });
      const allowed = new Set<string>([...s.kinds, ...s.kinds.flatMap((k) => UNDOS[k] ?? [])]);
      assert.ok(s.faults.length >= 1, `seed ${seed} has faults`);
      const primaries = s.faults.filter((f) => (s.kinds as readonly string[]).includes(f.step.kind));
      assert.ok(primaries.length <= 2 * MAX_PRIMARY_FAULTS);
      let last = 0;
      for (const f of s.faults) {
        assert.ok(allowed.has(f.step.kind), `seed ${seed}: ${f.step.kind} not among ${[...allowed].join(',')}`);
        assert.ok(f.atMs >= last && f.atMs < METHOD_MS, `seed ${seed}: ${f.atMs} after ${last}`);
        assert.equal(f.atMs % 100, 0, 'times on a 100 ms grain');
        last = f.atMs;
      }
    }
  });

  it('respects --faults: a restricted list never yields another primary kind', () => {
    const cases: FuzzKind[][] = [['kill-agent'], ['partition', 'link'], ['pause-master', 'kill-task'], ['swizzle-clog']];
    for (const kinds of cases) {
      const allowed = new Set<string>([...kinds, ...kinds.flatMap((k) => UNDOS[k] ?? [])]);
      for (const seed of SEEDS.slice(0, 30)) {
        const s = generateSchedule({ seed, base, kinds });
        assert.ok(s.kinds.every((k) => kinds.includes(k)));
        for (const f of s.faults) assert.ok(allowed.has(f.step.kind), `${kinds.join(',')}: drew ${f.step.kind}`);
      }
    }
  });

  it('aims only at nodes of the cluster, and kill-task at its services', () => {
    const targets = targetsOf(base);
    const nodes = new Set(targets.nodes);
    assert.ok(nodes.has('coordinator') && nodes.has('scheduler-web') && nodes.has('agent-10') && nodes.has('master-3'));
    for (const seed of SEEDS) {
      for (const f of generateSchedule({ seed, base, kinds: FUZZ_KINDS }).faults) {
        for (const node of namedNodes(f.step)) assert.ok(nodes.has(node), `seed ${seed}: ${node} is not in the cluster`);
        if (f.step.kind === 'kill-task') assert.ok(f.step.task.kind === 'of' && targets.services.includes(f.step.task.app));
      }
    }
  });

  it('pairs a fault with its undo on the same node later, and never hits a node that is down', () => {
    let undone = 0;
    let leftOpen = 0;
    for (const seed of SEEDS) {
      const faults = generateSchedule({ seed, base, kinds: ['kill-agent', 'pause-agent', 'pause-master', 'crash-framework'] }).faults;
      const down = new Map<string, string>();
      for (const f of faults) {
        const node = nodeOf(f);
        assert.ok(node !== undefined);
        const undoOf: Record<string, string> = { 'restart-agent': 'kill-agent', 'resume-agent': 'pause-agent', 'resume-master': 'pause-master', 'restart-framework': 'crash-framework' };
        const undoes = undoOf[f.step.kind];
        if (undoes !== undefined) {
          assert.equal(down.get(node), undoes, `seed ${seed}: ${f.step.kind} ${node} undoes what was done to it`);
          down.delete(node);
          undone += 1;
        } else {
          assert.equal(down.has(node), false, `seed ${seed}: ${f.step.kind} ${node} while it is down (${down.get(node)})`);
          down.set(node, f.step.kind);
        }
      }
      leftOpen += down.size;
      const mastersDown = [...down.keys()].filter((n) => n.startsWith('master-')).length;
      assert.ok(mastersDown <= 1, 'at most a minority of the 3 masters down');
    }
    assert.ok(undone > 0, 'undos are scheduled');
    assert.ok(leftOpen > 0, 'some faults are left for the liveness phase');
  });

  it('scales hold times to the timing: a mesos-profile base holds faults longer', () => {
    const mesosBase: Scenario = { ...base, timing: { profile: 'mesos', overrides: {} } };
    const gaps = (b: Scenario): number[] =>
      SEEDS.flatMap((seed) => {
        const faults = generateSchedule({ seed, base: b, kinds: ['pause-agent'] }).faults;
        return faults.flatMap((f, i) => {
          if (f.step.kind !== 'pause-agent') return [];
          const resume = faults.slice(i + 1).find((g) => g.step.kind === 'resume-agent' && nodeOf(g) === nodeOf(f));
          return resume === undefined ? [] : [resume.atMs - f.atMs];
        });
      });
    const fast = gaps(base);
    const mesos = gaps(mesosBase);
    assert.ok(fast.length > 0 && mesos.length > 0);
    assert.ok(Math.min(...fast) >= 4_500, 'fast: at least 1.5 x the 3 s detection');
    assert.ok(Math.min(...mesos) >= 112_500, 'mesos: at least 1.5 x the 75 s detection');
  });

  it('becomes a scenario that survives the file round trip with the same method', () => {
    for (const seed of SEEDS.slice(0, 20)) {
      const schedule = generateSchedule({ seed, base, kinds: FUZZ_KINDS });
      const scenario = scheduleScenario({ base, seed, faults: schedule.faults, methodMs: schedule.methodMs });
      assert.equal(scenario.seed, seed);
      const waitedMs = scenario.method.reduce((sum, step) => sum + (step.kind === 'wait' ? step.ms : 0), 0);
      assert.equal(waitedMs, METHOD_MS, 'the method lasts the whole 10 minutes');
      assert.equal(scenario.method.filter((s) => s.kind === 'fault').length, schedule.faults.length);
      const parsed = parseScenario(scenarioToYaml(scenario), `fuzz-${seed}.yaml`);
      assert.ok(parsed.ok, parsed.ok ? '' : `${parsed.error.where}: ${parsed.error.message}`);
      const strip = (s: Scenario): unknown => JSON.parse(JSON.stringify(s.method, (key, value: unknown) => (key === 'loc' ? undefined : value)));
      assert.deepEqual(strip(parsed.value), strip(scenario));
    }
  });
});

describe('fault coverage: a scheduler cut from the masters while an agent is lost', () => {
  it('some seeds isolate an agent, then cut a scheduler from every master before the agent is declared lost, with one heal after both', () => {
    const targets = targetsOf(base);
    const groupsOf = (step: FaultStep): string[][] | null =>
      step.kind === 'partition' && step.partition.kind === 'groups' ? step.partition.groups.map(ids) : null;
    let found = 0;
    for (let seed = 1; seed <= 200; seed += 1) {
      const faults = generateSchedule({ seed: String(seed), base, kinds: ['partition'] }).faults;
      faults.forEach((f, i) => {
        const agentCut = groupsOf(f.step);
        const next = faults[i + 1];
        const schedulerCut = next === undefined ? null : groupsOf(next.step);
        if (agentCut === null || schedulerCut === null || next === undefined) return;
        const [lone, rest] = agentCut;
        const [scheduler, masters] = schedulerCut;
        if (lone?.length !== 1 || !targets.agents.includes(lone[0] ?? '') || rest?.includes(lone[0] ?? '')) return;
        if (scheduler?.length !== 1 || !targets.schedulers.includes(scheduler[0] ?? '')) return;
        assert.deepEqual([...(masters ?? [])].sort(), [...targets.masters].sort());
        assert.ok(next.atMs - f.atMs < 3_000, 'the scheduler is cut before the agent is declared lost (fast detection is 3 s)');
        found += 1;
      });
    }
    assert.ok(found >= 3, `found ${found} such pairs in 200 seeds`);
  });
});
