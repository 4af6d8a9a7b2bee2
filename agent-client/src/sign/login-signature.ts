import { type KeyObject, sign } from 'node:crypto';

import { newNonce, NONCE_PATTERN } from './batch-signature.js';

export const LOGIN_CONTEXT = 'quorum-login-v1';

/** Body of `POST /v1/agents/login`: a signature over `"quorum-login-v1\n" + agentId + "\n" + sentAt + "\n" + nonce`. */
export interface LoginChallenge {
  agent_id: string;
  sent_at: string;
  nonce: string;
  signature: string;
}

export function signLogin(agentId: string, privateKey: KeyObject, now: Date | number, nonce: string = newNonce()): LoginChallenge {
  if (!NONCE_PATTERN.test(nonce)) throw new Error('nonce must be 16-64 characters of [A-Za-z0-9_-]');
  const sentAt = new Date(now).toISOString();
  const message = Buffer.from(`${LOGIN_CONTEXT}\n${agentId}\n${sentAt}\n${nonce}`, 'utf8');
  return { agent_id: agentId, sent_at: sentAt, nonce, signature: sign(null, message, privateKey).toString('base64') };
}
