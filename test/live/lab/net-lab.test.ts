/**
 * openNetLab with a fake command runner (no root): which mechanism `auto`
 * picks and the one-line why; the commands iptables mode runs to set up, drop,
 * heal and close (`ip netns exec NAME ...`, one iptables-restore per drop);
 * transport mode's wrap and UNSUPPORTED drop; a failed probe falls back and
 * deletes what it created, but never a namespace it did not create; close is
 * idempotent and unregisters the lab.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { basename } from 'node:path';
import { closeAllLabs, openLabNamespaces, openNetLab, type CommandRunner } from '../../../src/live/lab/index.js';
import { err, ok } from '../../../src/core/errors.js';

interface Call {
  readonly line: string;
  readonly input?: string;
}

/** A runner that records each call (tools by base name) and fails those `failing` matches. */
function fakeRunner(options: { failing?: RegExp; stdout?: (line: string) => string } = {}): { exec: CommandRunner; calls: Call[] } {
  const calls: Call[] = [];
  const exec: CommandRunner = async (command, args, runOptions = {}) => {
    const line = [basename(command), ...args.map((a) => (a.startsWith('/') ? basename(a) : a))].join(' ');
    calls.push(runOptions.input === undefined ? { line } : { line, input: runOptions.input });
    if (options.failing?.test(line) === true) return err('COMMAND', `${line}: exit 1: Operation not permitted`);
    return ok({ stdout: options.stdout?.(line) ?? '', stderr: '' });
  };
  return { exec, calls };
}

describe('openNetLab', () => {
  it('auto, not root: the transport, and the why says so', async () => {
    const { exec, calls } = fakeRunner();
    const opened = await openNetLab({ exec, runningAsRoot: false });
    assert.ok(opened.ok);
    const lab = opened.value;
    assert.equal(lab.mode, 'transport');
    assert.equal(lab.why, "not root: network faults are applied in faultline's transport");
    assert.equal(lab.namespace, null);
    assert.deepEqual(calls, [], 'not even a probe');
    assert.deepEqual(lab.wrap('node', ['x.js', '--ip', '127.0.0.10']), { command: 'node', args: ['x.js', '--ip', '127.0.0.10'] });
    assert.deepEqual([lab.allocateAddress(), lab.allocateAddress()], ['127.0.0.10', '127.0.0.11']);
    const dropped = await lab.drop(['127.0.0.10'], ['127.0.0.11'], { oneWay: false });
    assert.equal(dropped.ok, false);
    if (!dropped.ok) assert.equal(dropped.error.code, 'UNSUPPORTED');
    assert.deepEqual(await lab.heal(), { ok: true, value: true });
    assert.deepEqual(await lab.pids(), []);
    await lab.close();
    await lab.close();
  });

  it('transport asked for: no probe even as root', async () => {
    const { exec, calls } = fakeRunner();
    const opened = await openNetLab({ mode: 'transport', exec, runningAsRoot: true });
    assert.ok(opened.ok);
    assert.equal(opened.value.mode, 'transport');
    assert.match(opened.value.why, /^transport mode asked for: /);
    assert.deepEqual(calls, []);
  });

  it('iptables insisted on, not root: UNSUPPORTED', async () => {
    const opened = await openNetLab({ mode: 'iptables', exec: fakeRunner().exec, runningAsRoot: false });
    assert.equal(opened.ok, false);
    if (!opened.ok) assert.deepEqual(opened.error, { code: 'UNSUPPORTED', message: 'iptables mode is not available: not root' });
  });

  it('a bad name is USAGE', async () => {
    const opened = await openNetLab({ name: 'no/slashes', exec: fakeRunner().exec, runningAsRoot: true });
    assert.equal(opened.ok, false);
    if (!opened.ok) assert.equal(opened.error.code, 'USAGE');
  });

  it('auto as root: a namespace flt-<pid>-<n> with lo up and the FLT chain jumped to from INPUT', async () => {
    const { exec, calls } = fakeRunner();
    const opened = await openNetLab({ exec, runningAsRoot: true });
    assert.ok(opened.ok);
    const lab = opened.value;
    try {
      assert.equal(lab.mode, 'iptables');
      assert.match(lab.namespace ?? '', new RegExp(`^flt-${process.pid}-\\d+$`));
      const ns = lab.namespace as string;
      assert.match(lab.why, new RegExp(`^iptables: .*${ns}`));
      assert.deepEqual(
        calls.map((c) => c.line),
        [
          `ip netns add ${ns}`,
          `ip -n ${ns} link set lo up`,
          `ip netns exec ${ns} iptables -w 5 -N FLT`,
          `ip netns exec ${ns} iptables -w 5 -I INPUT 1 -j FLT`,
          `ip netns exec ${ns} iptables-restore -w 5 --noflush`,
        ],
      );
      assert.ok(openLabNamespaces().includes(ns), 'registered for closeAllLabs');
      const wrapped = lab.wrap('node', ['agent.js']);
      assert.equal(basename(wrapped.command), 'ip');
      assert.deepEqual(wrapped.args, ['netns', 'exec', ns, 'node', 'agent.js']);
    } finally {
      await lab.close();
    }
  });

  it('drop is one iptables-restore in the namespace; heal flushes FLT; both in call order', async () => {
    const { exec, calls } = fakeRunner();
    const opened = await openNetLab({ exec, runningAsRoot: true, name: 'flt-test-drop' });
    assert.ok(opened.ok);
    const lab = opened.value;
    try {
      calls.length = 0;
      const [dropped, healed] = await Promise.all([lab.drop(['127.0.0.11'], ['127.0.0.10', '127.0.0.12'], { oneWay: true, probability: 0.2 }), lab.heal()]);
      assert.deepEqual(dropped, { ok: true, value: true });
      assert.deepEqual(healed, { ok: true, value: true });
      assert.deepEqual(calls, [
        {
          line: 'ip netns exec flt-test-drop iptables-restore -w 5 --noflush',
          input:
            '*filter\n' +
            '-A FLT -s 127.0.0.11/32 -d 127.0.0.10/32 -m statistic --mode random --probability 0.2 -j DROP\n' +
            '-A FLT -s 127.0.0.11/32 -d 127.0.0.12/32 -m statistic --mode random --probability 0.2 -j DROP\n' +
            'COMMIT\n',
        },
        { line: 'ip netns exec flt-test-drop iptables -w 5 -F FLT' },
      ]);
      calls.length = 0;
      const bad = await lab.drop(['127.0.0.11'], ['nope'], { oneWay: false });
      assert.equal(bad.ok, false);
      if (!bad.ok) assert.equal(bad.error.code, 'FAULT_INVALID');
      assert.deepEqual(calls, [], 'nothing run for bad input');
    } finally {
      await lab.close();
    }
  });

  it('a failing iptables command is COMMAND with the command line', async () => {
    const { exec } = fakeRunner({ failing: /iptables-restore -w 5 --noflush/ });
    // The probe's restore fails too, so insist: the error names the step.
    const opened = await openNetLab({ exec, runningAsRoot: true, mode: 'iptables', name: 'flt-test-fail' });
    assert.equal(opened.ok, false);
    if (!opened.ok) {
      assert.equal(opened.error.code, 'UNSUPPORTED');
      assert.match(opened.error.message, /ip netns exec flt-test-fail iptables-restore -w 5 --noflush: exit 1: Operation not permitted/);
    }
  });

  it('a failed probe falls back to the transport and deletes the namespace it created', async () => {
    const { exec, calls } = fakeRunner({ failing: /iptables -w 5 -N FLT/ });
    const opened = await openNetLab({ exec, runningAsRoot: true, name: 'flt-test-probe' });
    assert.ok(opened.ok);
    assert.equal(opened.value.mode, 'transport');
    assert.match(opened.value.why, /^no namespace with iptables \(ip netns exec flt-test-probe iptables -w 5 -N FLT: .*\): network faults are applied in faultline's transport$/);
    assert.ok(!opened.value.why.includes('\n'), 'one line');
    assert.ok(calls.some((c) => c.line === 'ip netns del flt-test-probe'));
    assert.ok(!openLabNamespaces().includes('flt-test-probe'));
  });

  it('a namespace that already exists is never deleted', async () => {
    const { exec, calls } = fakeRunner({ failing: /^ip netns add/ });
    const opened = await openNetLab({ exec, runningAsRoot: true, name: 'someone-elses' });
    assert.ok(opened.ok);
    assert.equal(opened.value.mode, 'transport');
    assert.match(opened.value.why, /^cannot create a network namespace/);
    assert.deepEqual(calls.map((c) => c.line), ['ip netns add someone-elses']);
  });

  it('close kills the namespace processes, deletes it once, and a closed lab refuses rules', async () => {
    let pidsAsked = 0;
    const { exec, calls } = fakeRunner({
      // One pid that is surely not ours to kill does not exist: 2^22 + 1 is above Linux's pid_max.
      stdout: (line) => (line.startsWith('ip netns pids') && pidsAsked++ === 0 ? '4194305\n' : ''),
    });
    const opened = await openNetLab({ exec, runningAsRoot: true, name: 'flt-test-close' });
    assert.ok(opened.ok);
    const lab = opened.value;
    calls.length = 0;
    await Promise.all([lab.close(), lab.close()]);
    await lab.close();
    assert.deepEqual(
      calls.map((c) => c.line),
      ['ip netns pids flt-test-close', 'ip netns pids flt-test-close', 'ip netns del flt-test-close'],
    );
    assert.ok(!openLabNamespaces().includes('flt-test-close'));
    const late = await lab.drop(['127.0.0.10'], ['127.0.0.11'], { oneWay: false });
    assert.equal(late.ok, false);
    assert.deepEqual(await lab.pids(), []);
  });

  it('closeAllLabs closes every lab still open', async () => {
    const { exec, calls } = fakeRunner();
    const one = await openNetLab({ exec, runningAsRoot: true, name: 'flt-test-all-1' });
    const two = await openNetLab({ exec, runningAsRoot: true, name: 'flt-test-all-2' });
    assert.ok(one.ok && two.ok);
    await closeAllLabs();
    assert.ok(calls.some((c) => c.line === 'ip netns del flt-test-all-1'));
    assert.ok(calls.some((c) => c.line === 'ip netns del flt-test-all-2'));
    assert.deepEqual(openLabNamespaces().filter((n) => n.startsWith('flt-test-all')), []);
  });
});
