/** The exact texts agents sign (pure; shared with the reference client's documentation). */
export const LOGIN_CONTEXT = 'quorum-login-v1';
export const ROTATE_CONTEXT = 'quorum-rotate-v1';
export const SIGNALS_CONTEXT = 'quorum-signals-v1';

export function loginMessage(agentId: string, sentAt: string, nonce: string): Buffer {
  return Buffer.from(`${LOGIN_CONTEXT}\n${agentId}\n${sentAt}\n${nonce}`, 'utf8');
}

export function rotateMessage(agentId: string, newPublicKey: string, sentAt: string): Buffer {
  return Buffer.from(`${ROTATE_CONTEXT}\n${agentId}\n${newPublicKey}\n${sentAt}`, 'utf8');
}

export function signalsMessage(agentId: string, sentAt: string, nonce: string, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`${SIGNALS_CONTEXT}\n${agentId}\n${sentAt}\n${nonce}\n`, 'utf8'), body]);
}

export const NONCE_PATTERN = /^[A-Za-z0-9_-]{16,64}$/;

/** RFC 3339 timestamp with an explicit zone; returns epoch ms or null. */
export function parseTimestamp(value: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/.test(value)) return null;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms : null;
}
