import { type KeyObject, randomBytes, sign, verify } from 'node:crypto';

export const SIGNATURE_CONTEXT = 'quorum-signals-v1';
export const NONCE_PATTERN = /^[A-Za-z0-9_-]{16,64}$/;
const SENT_AT_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export interface SignatureHeaders {
  'x-quorum-sent-at': string;
  'x-quorum-nonce': string;
  'x-quorum-signature': string;
}

/** 24 characters of base64url (144 random bits). */
export function newNonce(): string {
  return randomBytes(18).toString('base64url');
}

/** `"quorum-signals-v1\n" + agentId + "\n" + sentAt + "\n" + nonce + "\n"` then the exact body bytes. */
export function signedMessage(agentId: string, sentAt: string, nonce: string, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`${SIGNATURE_CONTEXT}\n${agentId}\n${sentAt}\n${nonce}\n`, 'utf8'), body]);
}

/**
 * Headers for `POST /v1/signals`. `body` is the raw JSON exactly as sent before any compression;
 * `now` is passed in so callers (and tests) control the clock.
 */
export function signBatch(agentId: string, privateKey: KeyObject, body: Buffer, now: Date | number, nonce: string = newNonce()): SignatureHeaders {
  if (!NONCE_PATTERN.test(nonce)) throw new Error('nonce must be 16-64 characters of [A-Za-z0-9_-]');
  const sentAt = new Date(now).toISOString();
  const signature = sign(null, signedMessage(agentId, sentAt, nonce, body), privateKey).toString('base64');
  return { 'x-quorum-sent-at': sentAt, 'x-quorum-nonce': nonce, 'x-quorum-signature': signature };
}

/** Checks the header formats and the signature (not freshness or nonce reuse: that is the server's job). */
export function verifyBatch(agentId: string, publicKey: KeyObject, body: Buffer, headers: Partial<SignatureHeaders>): boolean {
  const sentAt = headers['x-quorum-sent-at'];
  const nonce = headers['x-quorum-nonce'];
  const signature = headers['x-quorum-signature'];
  if (!sentAt || !SENT_AT_PATTERN.test(sentAt) || !nonce || !NONCE_PATTERN.test(nonce) || !signature) return false;
  const sig = Buffer.from(signature, 'base64');
  if (sig.length !== 64) return false;
  return verify(null, signedMessage(agentId, sentAt, nonce, body), publicKey, sig);
}
