import { generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { OrganizationsService } from '../../src/agents/organizations.service.js';
import { loginMessage, signalsMessage } from '../../src/agents/signed-messages.js';
import { ed25519PublicKeyToBase64 } from '../../src/common/crypto/ed25519.js';

export interface TestAgent {
  id: string;
  organizationId: string;
  privateKey: KeyObject;
  publicKey: string;
  token: string;
}

export function keyPair(): { privateKey: KeyObject; publicKey: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { privateKey, publicKey: ed25519PublicKeyToBase64(publicKey) };
}

export function nonce(): string {
  return randomBytes(12).toString('base64url');
}

/**
 * A unique, routable-looking source address per test agent (enrollment caps count per /24). Each file
 * starts at a random /24; a file that tests the per-network cap takes its own first octet.
 */
let sourceCounter = Math.floor(Math.random() * 60_000);
let sourceOctet = 45;
export function useSourceOctet(octet: number): void {
  sourceOctet = octet;
}
export function nextSourceAddress(): string {
  sourceCounter++;
  return `${sourceOctet}.${(sourceCounter >> 8) & 255}.${sourceCounter & 255}.10`;
}

export async function createOrganization(app: NestFastifyApplication, name = 'Acme'): Promise<{ organizationId: string; enrollKey: string }> {
  const organizations = app.get(OrganizationsService);
  const org = await organizations.create(name);
  const { key } = await organizations.createEnrollmentKey(org.id, 'test key');
  return { organizationId: org.id, enrollKey: key };
}

export function signedLogin(agentId: string, privateKey: KeyObject, when = new Date()): Record<string, string> {
  const sentAt = when.toISOString();
  const n = nonce();
  return { agent_id: agentId, sent_at: sentAt, nonce: n, signature: sign(null, loginMessage(agentId, sentAt, n), privateKey).toString('base64') };
}

/** Enrolls (with the org's key) and logs in through the HTTP API. */
export async function enrollAgent(app: NestFastifyApplication, enrollKey: string, name = 'agent'): Promise<TestAgent> {
  const { privateKey, publicKey } = keyPair();
  const source = nextSourceAddress();
  const enrolled = await app.inject({ method: 'POST', url: '/v1/agents', payload: { name, public_key: publicKey, enroll_key: enrollKey }, remoteAddress: source });
  if (enrolled.statusCode !== 201) throw new Error(`enroll failed: ${enrolled.statusCode} ${enrolled.body}`);
  const agent = enrolled.json() as { id: string; organization_id: string };
  const login = await app.inject({ method: 'POST', url: '/v1/agents/login', payload: signedLogin(agent.id, privateKey), remoteAddress: source });
  if (login.statusCode !== 200) throw new Error(`login failed: ${login.statusCode} ${login.body}`);
  return { id: agent.id, organizationId: agent.organization_id, privateKey, publicKey, token: (login.json() as { token: string }).token };
}

export interface SignedRequest {
  headers: Record<string, string>;
  payload: string;
}

export function signBatch(agent: Pick<TestAgent, 'id' | 'privateKey' | 'token'>, body: unknown, opts: { sentAt?: Date; nonce?: string } = {}): SignedRequest {
  const payload = typeof body === 'string' ? body : JSON.stringify(body);
  const sentAt = (opts.sentAt ?? new Date()).toISOString();
  const n = opts.nonce ?? nonce();
  const signature = sign(null, signalsMessage(agent.id, sentAt, n, Buffer.from(payload)), agent.privateKey).toString('base64');
  return {
    payload,
    headers: {
      authorization: `Bearer ${agent.token}`,
      'content-type': 'application/json',
      'x-quorum-sent-at': sentAt,
      'x-quorum-nonce': n,
      'x-quorum-signature': signature,
    },
  };
}
