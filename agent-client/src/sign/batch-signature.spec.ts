import { createPublicKey, verify } from 'node:crypto';

import { generateAgentKeys } from './agent-keys.js';
import { newNonce, signBatch, signedMessage, verifyBatch } from './batch-signature.js';

describe('batch signature', () => {
  const { privateKey, publicKey } = generateAgentKeys();
  const body = Buffer.from('{"signals":[{"ip":"203.0.113.5","scenario":"quorum/ssh-bf"}]}');
  const now = Date.UTC(2026, 10, 25, 17, 0, 0);

  it('produces the three headers of the shared scheme', () => {
    const h = signBatch('agent-1', privateKey, body, now, 'nonce_nonce-123456');
    expect(h['x-quorum-sent-at']).toBe('2026-11-25T17:00:00.000Z');
    expect(h['x-quorum-nonce']).toBe('nonce_nonce-123456');
    expect(Buffer.from(h['x-quorum-signature'], 'base64')).toHaveLength(64);
  });

  it('signs exactly the documented message bytes', () => {
    const h = signBatch('agent-1', privateKey, body, now, 'nonce_nonce-123456');
    const message = Buffer.concat([Buffer.from('quorum-signals-v1\nagent-1\n2026-11-25T17:00:00.000Z\nnonce_nonce-123456\n'), body]);
    expect(signedMessage('agent-1', h['x-quorum-sent-at'], h['x-quorum-nonce'], body)).toEqual(message);
    expect(verify(null, message, publicKey, Buffer.from(h['x-quorum-signature'], 'base64'))).toBe(true);
  });

  it('verifies, and rejects any change to agent, body, time, nonce or key', () => {
    const h = signBatch('agent-1', privateKey, body, now);
    expect(verifyBatch('agent-1', publicKey, body, h)).toBe(true);
    expect(verifyBatch('agent-2', publicKey, body, h)).toBe(false);
    expect(verifyBatch('agent-1', publicKey, Buffer.concat([body, Buffer.from(' ')]), h)).toBe(false);
    expect(verifyBatch('agent-1', publicKey, body, { ...h, 'x-quorum-sent-at': '2026-11-25T17:00:00.001Z' })).toBe(false);
    expect(verifyBatch('agent-1', publicKey, body, { ...h, 'x-quorum-nonce': newNonce() })).toBe(false);
    expect(verifyBatch('agent-1', generateAgentKeys().publicKey, body, h)).toBe(false);
    expect(verifyBatch('agent-1', publicKey, body, { ...h, 'x-quorum-signature': 'AAAA' })).toBe(false);
    expect(verifyBatch('agent-1', publicKey, body, { ...h, 'x-quorum-nonce': 'short' })).toBe(false);
  });

  it('makes nonces in the allowed alphabet, different each time', () => {
    const a = newNonce();
    expect(a).toMatch(/^[A-Za-z0-9_-]{16,64}$/);
    expect(newNonce()).not.toBe(a);
    expect(() => signBatch('a', privateKey, body, now, 'bad nonce!')).toThrow();
  });

  it('works with a public key derived from the private key', () => {
    const h = signBatch('agent-1', privateKey, body, new Date(now));
    expect(verifyBatch('agent-1', createPublicKey(privateKey), body, h)).toBe(true);
  });
});
