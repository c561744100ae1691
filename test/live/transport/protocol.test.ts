/** The transport's frames: encode/decode round trips, and every refusal class (src/live/transport/protocol.ts). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { basicAuthHeader, basicAuthHolds, newNonce, proofHolds, proofOf } from '../../../src/live/transport/auth.js';
import { decodeClientFrame, decodeMasterFrame, decodeOperatorFrame, encodeEventFrame, encodeFrame, encodeMessageFrame, MAX_FRAME_BYTES, messageFramesOf, problemOf } from '../../../src/live/transport/protocol.js';

const resources = { cpus: 4, mem: 1024, disk: 100, gpus: 0, ports: [{ begin: 31000, end: 31010 }] };
const register = { type: 'agent.register', host: '127.0.0.1:5051', resources, attributes: { rack: 'r1' }, bootId: 'b1' };

function codeOf(data: string | Buffer): string {
  const decoded = decodeClientFrame(data, 'agent');
  assert.equal(decoded.ok, false, `accepted ${String(data).slice(0, 80)}`);
  return decoded.ok ? '' : problemOf(decoded.error.message).code;
}

describe('transport frames', () => {
  it('round-trips a hello and a core message', () => {
    const hello = decodeClientFrame(encodeFrame({ type: 'hello', node: 'n', role: 'agent', listen: { ip: '127.0.0.1', port: 5051 } }), null);
    assert.ok(hello.ok);
    assert.equal(hello.value.type, 'hello');
    const message = decodeClientFrame(encodeFrame({ type: 'message', message: register } as Parameters<typeof encodeFrame>[0]), 'agent');
    assert.ok(message.ok);
    assert.deepEqual(message.ok && message.value.type === 'message' ? message.value.message : null, register);
    const ping = decodeMasterFrame(JSON.stringify({ v: 1, type: 'message', message: { type: 'master.ping', epoch: 1, agentId: 'a-S0' } }), 'agent');
    assert.ok(ping.ok);
  });

  it('encodes a message frame as encodeFrame does', () => {
    const ping = { type: 'master.ping', epoch: 3, agentId: 'a-S0' } as const;
    assert.equal(encodeMessageFrame(ping), encodeFrame({ type: 'message', message: ping }));
  });

  it('splits offers above the frame limit into frames that fit, and nothing else', () => {
    const offer = (i: number) => ({ offerId: `o-${i}`, frameworkId: 'f', agentId: `a-S${i}`, host: `h${i}`, role: '*', resources, attributes: {} });
    const offers = { type: 'master.offers', epoch: 1, offers: Array.from({ length: 100 }, (_, i) => offer(i)) } as const;
    const whole = encodeMessageFrame(offers);
    assert.deepEqual(messageFramesOf(offers, whole.length), [whole]);
    const parts = messageFramesOf(offers, Math.floor(whole.length / 5));
    assert.ok(parts.length >= 5, `${parts.length} parts`);
    for (const part of parts) assert.ok(part.length <= whole.length / 5);
    const decoded = parts.map((p) => decodeMasterFrame(p, 'scheduler'));
    const ids = decoded.flatMap((d) => (d.ok && d.value.type === 'message' && d.value.message.type === 'master.offers' ? d.value.message.offers.map((o) => o.offerId) : []));
    assert.deepEqual(ids, offers.offers.map((o) => o.offerId));
    const error = { type: 'master.error', epoch: 1, message: 'x'.repeat(1000) } as const;
    assert.equal(messageFramesOf(error, 100).length, 1);
  });

  it('names the path of the first problem', () => {
    const bad = { ...register, resources: { ...resources, ports: [{ begin: 1, end: 2 }, { begin: -1, end: 2 }] } };
    const decoded = decodeClientFrame(JSON.stringify({ v: 1, type: 'message', message: bad }), 'agent');
    assert.equal(decoded.ok ? '' : decoded.error.message, 'schema: frame.message.resources.ports[1].begin: not a non-negative integer');
    const hello = decodeClientFrame(JSON.stringify({ v: 1, type: 'hello', node: 'n', role: 'agent', listen: { ip: 7, port: 1 } }), null);
    assert.equal(hello.ok ? '' : hello.error.message, 'schema: frame.listen.ip: not a string');
  });

  it('carries an agent\'s hostname in its hello when it has one (--node-id), and refuses a non-string one', () => {
    const hello = decodeClientFrame(encodeFrame({ type: 'hello', node: 'agent-1', role: 'agent', listen: { ip: '127.0.0.1', port: 5051 }, hostname: 'agent-1' }), null);
    assert.ok(hello.ok && hello.value.type === 'hello' && hello.value.role === 'agent');
    assert.equal(hello.ok && hello.value.type === 'hello' && hello.value.role === 'agent' ? hello.value.hostname : null, 'agent-1');
    assert.equal(codeOf(JSON.stringify({ v: 1, type: 'hello', node: 'n', role: 'agent', listen: { ip: '127.0.0.1', port: 1 }, hostname: 7 })), 'schema');
    assert.equal(codeOf(JSON.stringify({ v: 1, type: 'hello', node: 'n', role: 'agent', listen: { ip: '127.0.0.1', port: 1 }, hostname: 'h'.repeat(257) })), 'schema');
  });

  it('decodes the operator role: a hello without listen, call frames with an object call and a short id, no messages', () => {
    const hello = decodeClientFrame(encodeFrame({ type: 'hello', node: 'top-1', role: 'operator' }), null);
    assert.ok(hello.ok && hello.value.type === 'hello' && hello.value.role === 'operator');
    const operatorCode = (data: string): string | null => {
      const decoded = decodeClientFrame(data, 'operator');
      return decoded.ok ? null : problemOf(decoded.error.message).code;
    };
    assert.equal(operatorCode(JSON.stringify({ v: 1, type: 'hello', node: 'n', role: 'observer' })), 'schema');
    const call = decodeClientFrame(encodeFrame({ type: 'call', id: '1', call: { type: 'GET_STATE' } }), 'operator');
    assert.deepEqual(call.ok && call.value.type === 'call' ? call.value.call : null, { type: 'GET_STATE' });
    assert.ok(decodeClientFrame(encodeFrame({ type: 'call', id: '1', call: {} }), null).ok, 'before the hello a call decodes (and is refused as unexpected)');
    assert.equal(operatorCode(JSON.stringify({ v: 1, type: 'call', id: '1', call: [1] })), 'schema');
    assert.equal(operatorCode(JSON.stringify({ v: 1, type: 'call', id: 'i'.repeat(65), call: {} })), 'schema');
    assert.equal(operatorCode(JSON.stringify({ v: 1, type: 'call', call: {} })), 'schema');
    assert.equal(operatorCode(JSON.stringify({ v: 1, type: 'message', message: { type: 'agent.pong', agentId: 'a', epoch: 1 } })), 'schema');
    assert.equal(codeOf(JSON.stringify({ v: 1, type: 'call', id: '1', call: {} })), 'schema', 'an agent sends no calls');
    const event = decodeOperatorFrame(encodeEventFrame('7', Buffer.from('{"type":"HEARTBEAT"}')));
    assert.deepEqual(event, { ok: true, value: { v: 1, type: 'event', id: '7', event: { type: 'HEARTBEAT' } } });
    const response = decodeOperatorFrame(encodeFrame({ type: 'response', id: '7', status: 403, body: 'no\n' }));
    assert.ok(response.ok && response.value.type === 'response' && response.value.status === 403);
    assert.ok(!decodeOperatorFrame(encodeFrame({ type: 'kill' })).ok, 'an operator gets no kills');
    // Answers are not split: an operator client reads frames above the master's limit (a large GET_STATE).
    const big = encodeFrame({ type: 'response', id: '8', status: 200, body: 'x'.repeat(MAX_FRAME_BYTES + 1), location: '//h:1/api/v1' });
    assert.equal(decodeOperatorFrame(big, MAX_FRAME_BYTES).ok, false);
    const read = decodeOperatorFrame(big);
    assert.ok(read.ok && read.value.type === 'response' && read.value.location === '//h:1/api/v1');
  });

  it('refuses what is not a v1 JSON object', () => {
    assert.equal(codeOf('not json'), 'malformed');
    assert.equal(codeOf('[1,2]'), 'malformed');
    assert.equal(codeOf(Buffer.from([0xff, 0xfe, 0x00])), 'malformed');
    assert.equal(codeOf(JSON.stringify({ type: 'hello' })), 'version');
    assert.equal(codeOf(JSON.stringify({ v: 2, type: 'hello' })), 'version');
    assert.equal(codeOf('x'.repeat(MAX_FRAME_BYTES + 1)), 'too_large');
  });

  it('refuses unknown frame and message types and wrongly typed fields', () => {
    assert.equal(codeOf(JSON.stringify({ v: 1, type: 'nope' })), 'schema');
    assert.equal(codeOf(JSON.stringify({ v: 1, type: 'message', message: { type: 'master.ping', epoch: 1, agentId: 'x' } })), 'schema');
    assert.equal(codeOf(JSON.stringify({ v: 1, type: 'message', message: { ...register, resources: { ...resources, cpus: '4' } } })), 'schema');
    assert.equal(codeOf(JSON.stringify({ v: 1, type: 'message', message: { ...register, attributes: { rack: 1 } } })), 'schema');
    assert.equal(codeOf(JSON.stringify({ v: 1, type: 'message', message: { type: 'agent.pong', agentId: 'a', epoch: 'one' } })), 'schema');
    const update = { type: 'agent.status_update', agentId: 'a', update: { frameworkId: 'f', latestState: 'TASK_RUNNING', status: { taskId: 't', frameworkId: 'f', agentId: 'a', state: 'TASK_BOGUS', source: 'SOURCE_EXECUTOR', timestampMs: 1 } } };
    assert.equal(codeOf(JSON.stringify({ v: 1, type: 'message', message: update })), 'schema');
    assert.equal(codeOf(JSON.stringify({ v: 1, type: 'hello', node: 5, role: 'agent', listen: { ip: '127.0.0.1', port: 1 } })), 'schema');
    assert.equal(codeOf(JSON.stringify({ v: 1, type: 'hello', node: 'n', role: 'agent', listen: { ip: '127.0.0.1', port: -1 } })), 'schema');
  });

  it('checks HMAC proofs and HTTP Basic in constant time', () => {
    const nonce = newNonce();
    assert.ok(proofHolds('s3cret', nonce, 'n', proofOf('s3cret', nonce, 'n')));
    assert.ok(!proofHolds('s3cret', nonce, 'n', proofOf('wrong', nonce, 'n')));
    assert.ok(!proofHolds('s3cret', nonce, 'n', proofOf('s3cret', nonce, 'other-node')));
    assert.ok(!proofHolds('s3cret', nonce, 'n', undefined));
    assert.ok(basicAuthHolds('s3cret', basicAuthHeader('s3cret')));
    assert.ok(!basicAuthHolds('s3cret', basicAuthHeader('wrong')));
    assert.ok(!basicAuthHolds('s3cret', undefined));
    assert.ok(!basicAuthHolds('s3cret', 'Bearer s3cret'));
  });
});
