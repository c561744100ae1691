/** The transport's frames: encode/decode round trips, and every refusal class (src/live/transport/protocol.ts). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { basicAuthHeader, basicAuthHolds, newNonce, proofHolds, proofOf } from '../../../src/live/transport/auth.js';
import { decodeClientFrame, decodeMasterFrame, encodeEventFrame, encodeFrame, MAX_FRAME_BYTES, MAX_OPERATOR_FRAME_BYTES, problemOf } from '../../../src/live/transport/protocol.js';

const resources = { cpus: 4, mem: 1024, disk: 100, gpus: 0, ports: [{ begin: 31000, end: 31010 }] };
const register = { type: 'agent.register', host: '127.0.0.1:5051', resources, attributes: { rack: 'r1' }, bootId: 'b1' };

function codeOf(data: string | Buffer): string {
  const decoded = decodeClientFrame(data);
  assert.equal(decoded.ok, false, `accepted ${String(data).slice(0, 80)}`);
  return decoded.ok ? '' : problemOf(decoded.error.message).code;
}

describe('transport frames', () => {
  it('round-trips a hello and a core message', () => {
    const hello = decodeClientFrame(encodeFrame({ type: 'hello', node: 'n', role: 'agent', listen: { ip: '127.0.0.1', port: 5051 } }));
    assert.ok(hello.ok);
    assert.equal(hello.value.type, 'hello');
    const message = decodeClientFrame(encodeFrame({ type: 'message', message: register } as Parameters<typeof encodeFrame>[0]));
    assert.ok(message.ok);
    assert.deepEqual(message.ok && message.value.type === 'message' ? message.value.message : null, register);
    const ping = decodeMasterFrame(JSON.stringify({ v: 1, type: 'message', message: { type: 'master.ping', epoch: 1, agentId: 'a-S0' } }));
    assert.ok(ping.ok);
  });

  it('carries an agent\'s hostname in its hello when it has one (--node-id), and refuses a non-string one', () => {
    const hello = decodeClientFrame(encodeFrame({ type: 'hello', node: 'agent-1', role: 'agent', listen: { ip: '127.0.0.1', port: 5051 }, hostname: 'agent-1' }));
    assert.ok(hello.ok && hello.value.type === 'hello');
    assert.equal(hello.ok && hello.value.type === 'hello' && hello.value.role === 'agent' ? hello.value.hostname : null, 'agent-1');
    assert.equal(codeOf(JSON.stringify({ v: 1, type: 'hello', node: 'n', role: 'agent', listen: { ip: '127.0.0.1', port: 1 }, hostname: 7 })), 'schema');
    assert.equal(codeOf(JSON.stringify({ v: 1, type: 'hello', node: 'n', role: 'agent', listen: { ip: '127.0.0.1', port: 1 }, hostname: 'h'.repeat(257) })), 'schema');
  });

  it('decodes the operator role: a hello without listen, call frames with an object call and a short id', () => {
    const hello = decodeClientFrame(encodeFrame({ type: 'hello', node: 'top-1', role: 'operator' }));
    assert.ok(hello.ok && hello.value.type === 'hello' && hello.value.role === 'operator');
    assert.equal(codeOf(JSON.stringify({ v: 1, type: 'hello', node: 'n', role: 'observer' })), 'schema');
    const call = decodeClientFrame(encodeFrame({ type: 'call', id: '1', call: { type: 'GET_STATE' } }));
    assert.ok(call.ok && call.value.type === 'call');
    assert.deepEqual(call.ok && call.value.type === 'call' ? call.value.call : null, { type: 'GET_STATE' });
    assert.equal(codeOf(JSON.stringify({ v: 1, type: 'call', id: '1', call: [1] })), 'schema');
    assert.equal(codeOf(JSON.stringify({ v: 1, type: 'call', id: 'i'.repeat(65), call: {} })), 'schema');
    assert.equal(codeOf(JSON.stringify({ v: 1, type: 'call', call: {} })), 'schema');
    const event = decodeMasterFrame(encodeEventFrame('7', Buffer.from('{"type":"HEARTBEAT"}')));
    assert.deepEqual(event, { ok: true, value: { v: 1, type: 'event', id: '7', event: { type: 'HEARTBEAT' } } });
    const response = decodeMasterFrame(encodeFrame({ type: 'response', id: '7', status: 403, body: 'no\n' }));
    assert.ok(response.ok && response.value.type === 'response' && response.value.status === 403);
    // Answers are not split: an operator client reads frames above the master's limit (a large GET_STATE).
    const big = encodeFrame({ type: 'response', id: '8', status: 200, body: 'x'.repeat(MAX_FRAME_BYTES + 1), location: '//h:1/api/v1' });
    assert.equal(decodeMasterFrame(big).ok, false);
    const read = decodeMasterFrame(big, MAX_OPERATOR_FRAME_BYTES);
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
