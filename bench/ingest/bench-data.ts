import { execFile } from 'node:child_process';
import { generateKeyPairSync, type KeyObject, randomBytes, randomUUID, sign } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import type pg from 'pg';
import { loginMessage } from '../../src/agents/signed-messages.js';
import { ed25519PublicKeyToBase64 } from '../../src/common/crypto/ed25519.js';
import { issueToken } from '../../src/common/crypto/secret-token.js';
import type { KeepAliveClient } from './http-client.js';

const run = promisify(execFile);

/** `quorum migrate` on the bench database (creates it when missing), bounded in time. */
export async function migrateBenchDatabase(root: string, databaseUrl: string, timeoutMs: number): Promise<void> {
  await run(process.execPath, [join(root, 'bin', 'quorum.js'), 'migrate'], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: databaseUrl, QUORUM_LOG_LEVEL: 'warn' },
    timeout: timeoutMs,
  });
}

export async function flushRedisDb(url: string): Promise<void> {
  const redis = new Redis(url, { maxRetriesPerRequest: 2, connectTimeout: 5_000, lazyConnect: true });
  try {
    await redis.connect();
    await redis.flushdb();
  } finally {
    redis.disconnect();
  }
}

/** Empties what earlier runs left in the dedicated bench database. */
export async function resetBenchTables(pool: pg.Pool): Promise<void> {
  await pool.query('TRUNCATE signal, signal_batch_nonce, agent, enrollment_key, reporter_key, organization RESTART IDENTITY CASCADE');
}

/** One organisation with its reporter key and an enrollment key, written directly. */
export async function createBenchOrganization(pool: pg.Pool): Promise<{ organizationId: string; enrollKey: string }> {
  const organizationId = randomUUID();
  const issued = issueToken('qek');
  await pool.query("INSERT INTO organization (id, name, updated_at) VALUES ($1, 'bench:ingest', now())", [organizationId]);
  await pool.query('INSERT INTO reporter_key (organization_id, secret) VALUES ($1, $2)', [organizationId, randomBytes(32)]);
  await pool.query("INSERT INTO enrollment_key (id, organization_id, name, prefix, key_hash) VALUES ($1, $2, 'bench', $3, $4)", [
    randomUUID(),
    organizationId,
    issued.prefix,
    issued.hash,
  ]);
  return { organizationId, enrollKey: issued.token };
}

export interface BenchAgent {
  id: string;
  token: string;
  privateKey: KeyObject;
}

/** Enrolls and logs in `count` agents through the HTTP API, as real agents do. */
export async function enrollAgents(client: KeepAliveClient, enrollKey: string, count: number): Promise<BenchAgent[]> {
  const agents: BenchAgent[] = [];
  for (let i = 0; i < count; i++) {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const enrolled = await client.postJson('/v1/agents', { name: `bench-${i}`, public_key: ed25519PublicKeyToBase64(publicKey), enroll_key: enrollKey });
    if (enrolled.status !== 201) throw new Error(`enrollment answered ${enrolled.status}: ${enrolled.body.toString('utf8').slice(0, 300)}`);
    const { id } = JSON.parse(enrolled.body.toString('utf8')) as { id: string };
    const sentAt = new Date().toISOString();
    const nonce = randomBytes(18).toString('base64url');
    const signature = sign(null, loginMessage(id, sentAt, nonce), privateKey).toString('base64');
    const login = await client.postJson('/v1/agents/login', { agent_id: id, sent_at: sentAt, nonce, signature });
    if (login.status !== 200) throw new Error(`login answered ${login.status}: ${login.body.toString('utf8').slice(0, 300)}`);
    agents.push({ id, privateKey, token: (JSON.parse(login.body.toString('utf8')) as { token: string }).token });
  }
  return agents;
}
