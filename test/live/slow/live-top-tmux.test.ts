/**
 * End to end: the real `faultline top --master` in tmux against a real
 * `faultline master --allow-chaos`, two real `faultline agent`s and a small
 * service framework on loopback. It renders the live master's agents and
 * tasks; K on an agent kills that agent's process (FAULTLINE_INJECT_FAULT
 * kill-agent) and its tasks come back on the other agent; l on a running task
 * shows what the task printed, read from the agent's /files/read; q restores
 * the screen. Every process (tmux, daemons, task process groups) is stopped in
 * the after hook, also on failure.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { after, it } from 'node:test';
import { getJson, LiveDaemons, until } from '../../helpers/live-daemons.js';
import { LiveService } from '../../helpers/live-service.js';

const root = resolve(import.meta.dirname, '../../..');
const socket = `faultline-live-top-${process.pid}`;
const session = 'top';
const daemons = new LiveDaemons();
let service: LiveService | null = null;
let tmuxStarted = false;

after(async () => {
  if (tmuxStarted) {
    try {
      tmux('kill-server');
    } catch {
      // already gone
    }
  }
  service?.stop();
  await daemons.stopAll();
});

function tmux(...args: string[]): string {
  return execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
}

function screen(): string {
  return tmux('capture-pane', '-p', '-t', session).replace(/\n$/, '');
}

async function waitFor(what: string, predicate: (text: string) => boolean, timeoutMs = 30_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    last = screen();
    if (predicate(last)) return last;
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.fail(`timed out waiting for ${what}; the screen was:\n${last}`);
}

function runningOf(text: string): number {
  const m = /^Tasks\s+(\d+) RUNNING/m.exec(text);
  return m ? Number(m[1]) : -1;
}

it('faultline top --master on a live master: agents, tasks, K kills an agent process, its tasks move, l reads a sandbox, q restores', { timeout: 240_000 }, async () => {
  const master = await daemons.master(['--allow-chaos', '--heartbeat-interval', '1s']);
  const a = await daemons.agent(master.address);
  const b = await daemons.agent(master.address);
  const svc = new LiveService({ master: master.address, instances: 4, maxPerAgent: 2, command: 'echo "hello from $MESOS_TASK_ID"; exec /bin/sleep 600' });
  service = svc;
  svc.start();
  await until('4 tasks running on 2 agents', () => svc.running().length === 4 && svc.activeByAgent().size === 2, 60_000);
  daemons.noteTasks();

  const entry = join(root, 'test/helpers/cli-entry.ts');
  tmux('new-session', '-d', '-s', session, '-x', '120', '-y', '34', `cd ${root} && env -u CI ${process.execPath} --import tsx ${entry} top --master ${master.address}; echo EXITED $?; sleep 600`);
  tmuxStarted = true;
  await waitFor('the first frame', (s) => s.includes(`top ${master.address}`) && s.includes('Overview'));
  assert.equal(tmux('display', '-p', '-t', session, '#{alternate_on}').trim(), '1', 'full screen');
  assert.doesNotMatch(screen(), /read-only/, 'the master allows chaos');
  await waitFor('4 tasks running', (s) => runningOf(s) === 4);

  tmux('send-keys', '-t', session, '2');
  const agents = await waitFor('both agents', (s) => /Agents 2\/2/.test(s) && (s.match(/^\S*\s+\S+-S\d+\s+127\.0\.0\.1\s+registered\s+up\b.*\s2$/gm) ?? []).length === 2);
  assert.doesNotMatch(agents, /unreachable|down/);

  // K on the first agent row: the agent named in the confirmation is the victim.
  tmux('send-keys', '-t', session, 'g', 'K');
  // Both agents run on 127.0.0.1: the confirmation names the agent id too, and the master resolves it to the process.
  const ask = await waitFor('the confirmation', (s) => /kill agent \S+ \(\S+, 2 tasks\)/.test(s) && s.includes('[y/n]'));
  const victimId = /kill agent \S+ \((\S+),/.exec(ask)?.[1] ?? '';
  const state = (await getJson(master.port, '/master/state')) as { slaves: Array<{ id: string; pid: string }> };
  const victimPid = state.slaves.find((s) => s.id === victimId)?.pid ?? '';
  const victim = [a, b].find((d) => victimPid.endsWith(`@${d.node}`));
  assert.ok(victim, `the confirmation names one of the agents: ${victimId} (${victimPid})`);
  const survivor = victim === a ? b : a;
  tmux('send-keys', '-t', session, 'y');
  await waitFor('the fault sent through FAULTLINE_INJECT_FAULT', (s) => new RegExp(`sent kill-agent ${victimId} to 127\\.0\\.0\\.1:\\d+ \\(FAULTLINE_INJECT_FAULT\\)`).test(s));
  assert.equal(await victim.daemon.exited, 'SIGKILL', 'the agent process killed itself');

  // Its tasks come back on the other agent (the service allows all 4 there now).
  svc.maxPerAgent = 4;
  await until('4 tasks running on the survivor', () => svc.running().length === 4 && svc.running().every((t) => t.agentId === svc.running()[0]?.agentId), 90_000);
  daemons.noteTasks();
  tmux('send-keys', '-t', session, '1');
  await waitFor('4 running again and the loss on screen', (s) => runningOf(s) === 4 && /UNREACHABLE|LOST/.test(s), 60_000);

  // l on a running task: its stdout from the survivor's /files/read.
  tmux('send-keys', '-t', session, '4');
  await waitFor('the Tasks view', (s) => /Tasks \d+\/\d+/.test(s));
  tmux('send-keys', '-t', session, '/', 'RUNNING', 'Enter');
  await waitFor('running tasks only', (s) => s.includes('RUNNING') && !/\bUNREACHABLE\b.*svc-/.test(s));
  // The first l starts the read from the agent and says so; l again shows what came back.
  tmux('send-keys', '-t', session, 'g', 'l');
  await waitFor('the read started', (s) => /Output of task svc-\d+/.test(s));
  const output = await waitFor('the task output', (s) => {
    if (/hello from svc-\d+/.test(s)) return true;
    tmux('send-keys', '-t', session, 'l');
    return false;
  });
  assert.match(output, new RegExp(survivor.node.replace(/\./g, '\\.')), 'read from the survivor');

  tmux('send-keys', '-t', session, 'Escape');
  tmux('send-keys', '-t', session, 'q');
  const exited = await waitFor('the exit', (s) => s.includes('EXITED'));
  assert.match(exited, /EXITED 0/);
  assert.equal(tmux('display', '-p', '-t', session, '#{alternate_on}').trim(), '0', 'the alternate screen is off');
});
