/**
 * The live master's registry is durable in its work dir: restarted (SIGTERM,
 * then started on the same port and work dir), it recovers its admitted
 * agent, which reregisters with the same agent id.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { getJson, LiveDaemons, until } from '../../helpers/live-daemons.js';

const daemons = new LiveDaemons();
after(() => daemons.stopAll());

interface StateJson {
  slaves: Array<{ id: string; port: number; active: boolean }>;
}

it('recovers its admitted agents from the registry after a restart', async () => {
  const first = await daemons.master();
  const agent = await daemons.agent(first.address);
  await until('the agent registered', async () => ((await getJson(first.port, '/master/state')) as StateJson).slaves.length === 1);
  const [slave] = ((await getJson(first.port, '/master/state')) as StateJson).slaves;
  assert.ok(slave);
  const registry = JSON.parse(readFileSync(join(first.workDir, 'registry.json'), 'utf8')) as { agents: Array<{ agentId: string; host: string; state: string }> };
  assert.deepEqual(registry.agents.map((a) => [a.agentId, a.host, a.state]), [[slave.id, agent.node, 'admitted']]);

  first.daemon.child.kill('SIGTERM');
  assert.equal(await first.daemon.exited, 143);
  const second = await daemons.master([], first.port);
  await until(
    'the agent reregistered with the same id',
    async () => {
      const state = (await getJson(second.port, '/master/state')) as StateJson;
      return state.slaves.length === 1 && state.slaves[0]?.id === slave.id && state.slaves[0].active;
    },
    30_000,
    () => `${second.daemon.output()}\n${agent.daemon.output()}`,
  );
});
