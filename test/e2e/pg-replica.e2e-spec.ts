import { OrganizationsService } from '../../src/agents/organizations.service.js';
import { BlocklistService } from '../../src/blocklist/blocklist.service.js';
import type { ListingChange } from '../../src/blocklist/blocklist.types.js';
import { applyMigrations } from '../../src/infra/prisma/migrate/migrate.js';
import { MetricsService } from '../../src/infra/metrics/metrics.service.js';
import { ReadReplica } from '../../src/infra/prisma/read-replica.js';
import { LookupIndexService } from '../../src/lookup/index/lookup-index.service.js';
import { ApiKeysService } from '../../src/lookup/keys/api-keys.service.js';
import { LookupPlansService } from '../../src/lookup/plans/lookup-plans.service.js';
import { recreateDatabase, sql } from '../setup/db.js';
import { createTestApp, type TestApp } from '../setup/test-app.js';
import { type PgReplicaPair, pgReplicaUnavailable, startPgReplicaPair } from '../support/pg-replica.js';
import { waitFor } from '../support/waits.js';

/**
 * Two API processes on one private primary (test/support/pg-replica.ts): one reads through a streaming
 * replica (DATABASE_REPLICA_URL), the other reads the primary only. Every lookup and blocklist answer
 * must be the same, also while the replica lags (WAL replay paused). docs/scaling.md "Read replica".
 */
const unavailable = pgReplicaUnavailable();
if (unavailable) console.warn(`SKIPPED pg-replica e2e: ${unavailable}`);
const suite = unavailable ? describe.skip : describe;

const DATABASE = 'quorum_test_replica_e2e';
const SETUP_TIMEOUT_MS = 240_000;
const NET = '45.87';
const HOUR = 3_600_000;


suite('API answers through a read replica', () => {
  let pair: PgReplicaPair;
  let primaryUrl: string;
  let viaReplica: TestApp;
  let viaPrimary: TestApp;
  let key: string;
  const ips: string[] = [];

  beforeAll(async () => {
    pair = await startPgReplicaPair();
    primaryUrl = pair.primaryUrl(DATABASE);
    await recreateDatabase(primaryUrl);
    await applyMigrations(primaryUrl);
    await pair.caughtUp();
    viaPrimary = await createTestApp({ DATABASE_URL: primaryUrl });
    viaReplica = await createTestApp({ DATABASE_URL: primaryUrl, DATABASE_REPLICA_URL: pair.replicaUrl(DATABASE) });
    expect(viaReplica.app.get(ReadReplica).configured).toBe(true);
    expect(viaPrimary.app.get(ReadReplica).configured).toBe(false);
    // The pro plan's answer fields without its per-second burst: this test asks hundreds of lookups at once.
    await sql(
      primaryUrl,
      `INSERT INTO plan (id, name, burst_per_second, daily_quota, monthly_quota, bulk_size, fields, views)
       SELECT 'replica-test', 'Replica test', 1000000, 100000000, 1000000000, bulk_size, fields, views FROM plan WHERE id = 'pro'`,
    );
    for (const t of [viaPrimary, viaReplica]) await t.app.get(LookupPlansService).reload();
    const org = (await viaPrimary.app.get(OrganizationsService).create(`replica-org-${Date.now()}`)).id;
    await viaPrimary.app.get(LookupPlansService).setOrganizationPlan(org, 'replica-test');
    key = (await viaPrimary.app.get(ApiKeysService).create(org, 'k', ['lookup'], 'test')).key;
    for (const t of [viaPrimary, viaReplica]) await waitFor('the lookup index', 60_000, () => t.app.get(LookupIndexService).ready);
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await viaReplica?.close();
    await viaPrimary?.close();
    pair?.stop();
  }, SETUP_TIMEOUT_MS);

  /** A scoring run as consensus commits it: rows under `generation` (one statement), then the cursor; both processes told. */
  async function scoringRun(generation: number, count: number, bump: number): Promise<void> {
    const keys = Array.from({ length: count }, (_, n) => `${NET}.${(n + 1) >> 8}.${(n + 1) & 255}`);
    for (const ip of keys) if (!ips.includes(ip)) ips.push(ip);
    await sql(
      primaryUrl,
      `INSERT INTO ip_score (ip_key, score, reporters, established, asns, scenarios, first_seen, last_seen, listed, listed_at, listed_until, honeypot, version, updated_at)
       SELECT k, ((i * 7 + $2) % 90) / 10.0, 4, 3, 3,
         CASE WHEN i % 2 = 1 THEN '{crowdsecurity/ssh-bf}'::text[] ELSE '{crowdsecurity/http-probing}'::text[] END,
         now() - interval '2 hours', now() - interval '1 hour', i % 3 = 0, CASE WHEN i % 3 = 0 THEN now() - interval '1 hour' END,
         CASE WHEN i % 3 = 0 THEN now() + interval '1 day' END, false, $3, now()
       FROM unnest($1::text[]) WITH ORDINALITY AS t(k, i)
       ON CONFLICT (ip_key) DO UPDATE SET score = EXCLUDED.score, listed = EXCLUDED.listed, listed_until = EXCLUDED.listed_until, version = EXCLUDED.version`,
      [keys, bump, generation],
    );
    await sql(primaryUrl, 'INSERT INTO consensus_cursor (id, generation) VALUES (1, $1) ON CONFLICT (id) DO UPDATE SET generation = EXCLUDED.generation', [generation]);
    await Promise.all([viaPrimary, viaReplica].map((t) => t.app.get(LookupIndexService).catchUp(generation)));
  }

  const lookups = async (t: TestApp) => {
    const answers = [];
    for (const ip of [...ips, `${NET}.250.250`]) {
      const res = await t.app.inject({ method: 'GET', url: `/v1/ip/${ip}`, headers: { 'x-api-key': key } });
      expect(res.statusCode).toBe(200);
      answers.push(res.json());
    }
    return answers;
  };

  const upsert = (n: number, score: number): ListingChange => {
    const ipKey = `46.87.${n >> 8}.${n & 255}`;
    return { ipKey, value: ipKey, scope: 'ip', scenarioClass: 'ssh-bruteforce', score, until: new Date(Date.now() + 24 * HOUR), kind: 'upsert' };
  };
  async function publish(changes: ListingChange[]): Promise<number> {
    const published = await viaPrimary.app.get(BlocklistService).publishChanges(changes, new Date());
    if (!published) throw new Error('nothing published');
    for (const t of [viaPrimary, viaReplica]) {
      await waitFor(`version ${published.version} in both processes`, 30_000, () => t.app.get(BlocklistService).currentVersion() === published.version);
    }
    return published.version;
  }
  const blocklist = async (t: TestApp) => {
    const get = (url: string) => t.app.inject({ method: 'GET', url, headers: { 'x-api-key': key } });
    const full = await get('/v1/blocklist?format=json');
    const delta = await get('/v1/blocklist/changes?since=1');
    expect([full.statusCode, delta.statusCode]).toEqual([200, 200]);
    return { full: full.json(), etag: full.headers.etag, delta: delta.json() };
  };

  it('answers lookups and the blocklist exactly like the process that reads the primary', async () => {
    await scoringRun(1, 400, 0);
    await publish(Array.from({ length: 300 }, (_, i) => upsert(i, 5)));
    await publish([...Array.from({ length: 50 }, (_, i) => ({ ...upsert(i, 0), kind: 'remove' as const })), upsert(1_000, 7)]);
    await pair.caughtUp();
    expect(await lookups(viaReplica)).toEqual(await lookups(viaPrimary));
    const expected = await blocklist(viaPrimary);
    expect(expected.full.entries).toHaveLength(251);
    expect(await blocklist(viaReplica)).toEqual(expected);
  });

  it('keeps answering like the primary while the replica lags', async () => {
    await pair.pauseReplay();
    try {
      await scoringRun(2, 450, 13);
      expect(viaReplica.app.get(LookupIndexService).current.version).toBe(2);
      expect(await lookups(viaReplica)).toEqual(await lookups(viaPrimary));
      await publish([upsert(2_000, 9), { ...upsert(60, 0), kind: 'remove' }]);
      expect(await blocklist(viaReplica)).toEqual(await blocklist(viaPrimary));
      expect(viaReplica.app.get(ReadReplica).fallbackCount).toBeGreaterThan(0);
      const metrics = (await viaReplica.app.get(MetricsService).render()).body;
      expect(metrics).toMatch(/^quorum_db_replica_reads_total\{source="replica",reason="caught_up"\} [1-9]/m);
      expect(metrics).toMatch(/^quorum_db_replica_reads_total\{source="primary",reason="behind"\} [1-9]/m);
    } finally {
      await pair.resumeReplay();
    }
  });
});
