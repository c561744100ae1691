/**
 * `faultline run --live`: bundled scenarios on real processes pass with the
 * same verdicts and the same history checkers as in the simulation (as root,
 * as CI runs, partitions are iptables rules in a namespace of the run's own);
 * the fallback without iptables applies the partition in the masters'
 * transport and says so; a scenario that cannot be made real is refused
 * before anything starts; and Ctrl-C in the middle of a run leaves no
 * process and no namespace behind.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';
import { zookeeperSkip } from '../../helpers/zookeeper.js';

const ROOT = resolve(import.meta.dirname, '../../..');
const ENTRY = join(ROOT, 'test/helpers/cli-entry.ts');
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const out = mkdtempSync(join(tmpdir(), 'faultline-live-run-test-'));

interface Ran {
  readonly code: number | string;
  readonly stdout: string;
  readonly stderr: string;
}

/** Every pid whose command line or working directory is under `dir`. */
function processesUnder(dir: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      let cwd = '';
      try {
        cwd = readlinkSync(`/proc/${entry}/cwd`);
      } catch {
        // a process that just ended
      }
      if (cmdline.includes(dir) || cwd.startsWith(dir)) pids.push(Number(entry));
    } catch {
      // gone between readdir and read
    }
  }
  return pids;
}

/** Network namespaces whose name says they belong to process `pid`. */
function namespacesOf(pid: number): string[] {
  try {
    return execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })
      .split('\n')
      .map((line) => line.split(' ')[0] ?? '')
      .filter((name) => name.startsWith(`flt-${pid}-`));
  } catch {
    return [];
  }
}

const started = new Set<ReturnType<typeof spawn>>();
after(() => {
  for (const child of started) if (child.exitCode === null) child.kill('SIGKILL');
  rmSync(out, { recursive: true, force: true });
});

function faultline(args: readonly string[], onStart?: (child: ReturnType<typeof spawn>) => void): Promise<Ran> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--import', 'tsx', ENTRY, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CI: 'true' } });
    started.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code, signal) => done({ code: code ?? signal ?? 'unknown', stdout, stderr }));
    onStart?.(child);
  });
}

describe('faultline run --live', { skip: zookeeperSkip, timeout: 900_000 }, () => {
  // leader-isolated partitions the leader from ZooKeeper too: only iptables (as root) cuts that link.
  for (const name of ['agent-loss', 'partition-heal', 'master-failover', 'one-way-partition', ...(isRoot ? ['leader-isolated'] : [])]) {
    it(`${name} passes on real processes, and faultline check agrees with its history`, { timeout: 240_000 }, async () => {
      const history = join(out, `${name}.jsonl`);
      const ran = await faultline(['run', '--live', `scenarios/${name}.yaml`, '--history', history]);
      assert.equal(ran.code, 0, `${ran.stdout}\n${ran.stderr}`);
      assert.match(ran.stdout, /live on real processes/);
      assert.match(ran.stdout, isRoot ? /network faults: iptables/ : /network faults: not root/);
      const checked = await faultline(['check', history]);
      assert.equal(checked.code, 0, `${checked.stdout}\n${checked.stderr}`);
    });
  }

  it('every other bundled scenario a live run can carry out passes too, in one run of several files', { timeout: 600_000 }, async () => {
    const others = ['kill-task', 'rolling-restart', 'framework-failover', 'batch-under-chaos', 'flapping-agent', 'reregister-timeout'];
    const ran = await faultline(['run', '--live', '--quiet', ...others.map((name) => `scenarios/${name}.yaml`)]);
    assert.equal(ran.code, 0, `${ran.stdout}\n${ran.stderr}`);
    assert.match(ran.stdout, new RegExp(`^${others.length} passed, 0 failed`, 'm'));
  });

  it('without iptables (--net transport) partitions are applied in the transport, and the report says so', { timeout: 240_000 }, async () => {
    const ran = await faultline(['run', '--live', '--net', 'transport', 'scenarios/one-way-partition.yaml']);
    assert.equal(ran.code, 0, `${ran.stdout}\n${ran.stderr}`);
    assert.match(ran.stdout, /network faults: .*transport/);
  });

  it('lossy-network with --net transport: messages are lost and duplicated, the fault bites, the service recovers', { timeout: 240_000 }, async () => {
    const ran = await faultline(['run', '--live', '--net', 'transport', 'scenarios/lossy-network.yaml']);
    assert.equal(ran.code, 0, `${ran.stdout}\n${ran.stderr}`);
    assert.match(ran.stdout, /faults-bite .*bit at .*(dropped|duplicated)/);
  });

  it('refuses swizzle-clog up front, with the reason and the step, and starts nothing', async () => {
    const ran = await faultline(['run', '--live', 'scenarios/swizzle-clog.yaml']);
    assert.equal(ran.code, 64);
    assert.match(ran.stderr, /scenarios\/swizzle-clog\.yaml: cannot run live: swizzle-clog: .*\(scenarios\/swizzle-clog\.yaml:\d+:\d+\)/);
  });

  it('Ctrl-C in the middle: the rollbacks run, exit 130, and no process, rule or namespace is left', { timeout: 240_000 }, async () => {
    let runner: ReturnType<typeof spawn> | null = null;
    const running = faultline(['run', '--live', 'scenarios/partition-heal.yaml'], (child) => (runner = child));
    const pid = (runner as ReturnType<typeof spawn> | null)?.pid;
    assert.ok(pid !== undefined);
    // Wait until the cluster runs tasks: a process whose working directory is a sandbox of the run.
    const deadline = Date.now() + 120_000;
    let dir: string | null = null;
    while (Date.now() < deadline) {
      const found = readdirSync(tmpdir()).filter((d) => d.startsWith('faultline-live-partition-heal-'));
      const busy = found.map((d) => join(tmpdir(), d)).find((d) => processesUnder(join(d, "nodes")).length >= 14);
      if (busy !== undefined) {
        dir = busy;
        break;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    assert.ok(dir !== null, 'the live cluster never ran tasks');
    if (isRoot) assert.equal(namespacesOf(pid).length, 1, 'the run has its namespace');
    (runner as ReturnType<typeof spawn> | null)?.kill('SIGINT');
    const ran = await running;
    assert.equal(ran.code, 130, `${ran.stdout}\n${ran.stderr}`);
    assert.match(ran.stdout, /INTERRUPTED \(rollbacks ran\)/);
    assert.deepEqual(processesUnder(dir), [], 'no daemon, task or ZooKeeper of the run is left');
    assert.deepEqual(namespacesOf(pid), [], 'the namespace is deleted');
    rmSync(dir, { recursive: true, force: true });
  });
});
