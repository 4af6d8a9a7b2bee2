import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Engines download `links.blocklists` URLs without credentials, so each URL carries its own
 * capability: the watcher's id and an HMAC of (watcher, list). Pure; the secret is passed in.
 */
function mac(secret: string, agentId: string, list: string): string {
  return createHmac('sha256', secret).update(`crowdsec-list\n${agentId}\n${list}`).digest('base64url').slice(0, 32);
}

export function listCapability(secret: string, agentId: string, list: string): string {
  return `${agentId}.${mac(secret, agentId, list)}`;
}

/** The watcher id the capability was issued to, or null when it does not verify for `list`. */
export function verifyListCapability(secret: string, capability: string, list: string): string | null {
  const dot = capability.lastIndexOf('.');
  if (dot <= 0) return null;
  const agentId = capability.slice(0, dot);
  const given = Buffer.from(capability.slice(dot + 1));
  const expected = Buffer.from(mac(secret, agentId, list));
  return given.length === expected.length && timingSafeEqual(given, expected) ? agentId : null;
}
