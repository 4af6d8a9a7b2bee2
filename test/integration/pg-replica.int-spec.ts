import { Logger } from '@nestjs/common';
import { BlocklistRepository } from '../../src/blocklist/blocklist.repository.js';
import type { NewRow, StoredEntry } from '../../src/blocklist/blocklist.types.js';
import { parseIp } from '../../src/common/ip/ip-address.js';
import { loadConfig } from '../../src/config/app-config.js';
import { ScoresFeed } from '../../src/consensus/scores-feed.js';
import { ScoresFeedRepository } from '../../src/consensus/scores-feed.repository.js';
import { applyMigrations } from '../../src/infra/prisma/migrate/migrate.js';
import { PrismaService } from '../../src/infra/prisma/prisma.service.js';
import { ReadReplica } from '../../src/infra/prisma/read-replica.js';
import { LookupIndexService } from '../../src/lookup/index/lookup-index.service.js';
import { recreateDatabase, sql } from '../setup/db.js';
import { testEnv } from '../setup/test-env.js';
import { type PgReplicaPair, pgReplicaUnavailable, startPgReplicaPair } from '../support/pg-replica.js';

/**
 * DATABASE_REPLICA_URL against a real streaming replica (docs/scaling.md "Read replica"): a private
 * primary started with initdb and a hot standby cloned from it with pg_basebackup, on loopback ports
 * (test/support/pg-replica.ts). Lag is made real by pausing WAL replay on the standby.
 */
const unavailable = pgReplicaUnavailable();
if (unavailable) console.warn(`SKIPPED pg-replica: ${unavailable}`);
const suite = unavailable ? describe.skip : describe;

const DATABASE = 'quorum_test_replica';
const IPV4_ROWS = 6_000;
const IPV6_ROWS = 300;
const SETUP_TIMEOUT_MS = 240_000;

// Keys 45.<i>: spread over /16s, generations 1-5, a third listed, two scenario sets.
const SEED_SCORES = `
INSERT INTO ip_score (ip_key, score, reporters, established, asns, scenarios, first_seen, last_seen, listed, listed_at, listed_until, honeypot, version, updated_at)
SELECT '45.' || (i * 2003 / 65536 % 256) || '.' || (i * 2003 / 256 % 256) || '.' || (i * 2003 % 256),
  (i % 97) / 10.0, 1 + i % 9, i % 5, 1 + i % 4,
  CASE WHEN i % 2 = 0 THEN '{ssh-bf}'::text[] ELSE '{http-probing,ssh-bf}'::text[] END,
  now() - interval '3 hours', now() - interval '1 hour', i % 3 = 0,
  CASE WHEN i % 3 = 0 THEN now() - interval '1 hour' END, CASE WHEN i % 3 = 0 THEN now() + interval '1 day' END,
  i % 50 = 0, 1 + i % 5, now()
FROM generate_series(1, $1::int) AS i
UNION ALL
SELECT '2001:db8:' || to_hex(i) || ':1::/64', (i % 90) / 10.0, 2, 1, 2, '{ssh-bf}'::text[],
  now() - interval '2 hours', now() - interval '1 hour', i % 4 = 0, NULL, CASE WHEN i % 4 = 0 THEN now() + interval '1 day' END,
  false, 1 + i % 5, now()
FROM generate_series(1, $2::int) AS i`;

const setGeneration = (url: string, generation: number) =>
  sql(url, 'INSERT INTO consensus_cursor (id, generation) VALUES (1, $1) ON CONFLICT (id) DO UPDATE SET generation = EXCLUDED.generation', [generation]);

/** A scoring run as consensus commits it: its rows under the new generation, then the cursor. */
async function scoringRun(url: string, generation: number, likePattern: string, bump: number): Promise<void> {
  await sql(url, `UPDATE ip_score SET score = score + $2, listed = NOT listed, version = $1 WHERE ip_key LIKE $3`, [generation, bump, likePattern]);
  await setGeneration(url, generation);
}

suite('PostgreSQL read replica (DATABASE_REPLICA_URL)', () => {
  let pair: PgReplicaPair;
  let primaryUrl: string;
  let prisma: PrismaService;
  let onlyPrimary: ReadReplica;
  let withReplica: ReadReplica;
  const keys: string[] = [];

  beforeAll(async () => {
    Logger.overrideLogger(false);
    pair = await startPgReplicaPair();
    primaryUrl = pair.primaryUrl(DATABASE);
    await recreateDatabase(primaryUrl);
    await applyMigrations(primaryUrl);
    const env = { ...testEnv(), DATABASE_URL: primaryUrl };
    const primaryConfig = loadConfig(env);
    prisma = new PrismaService(primaryConfig);
    onlyPrimary = new ReadReplica(prisma, primaryConfig);
    withReplica = new ReadReplica(prisma, loadConfig({ ...env, DATABASE_REPLICA_URL: pair.replicaUrl(DATABASE) }));
    expect(onlyPrimary.configured).toBe(false);
    expect(withReplica.configured).toBe(true);
    await sql(primaryUrl, SEED_SCORES, [IPV4_ROWS, IPV6_ROWS]);
    await setGeneration(primaryUrl, 5);
    for (const row of await sql<{ ip_key: string }>(primaryUrl, 'SELECT ip_key FROM ip_score ORDER BY ip_key')) keys.push(row.ip_key);
    await pair.caughtUp();
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await withReplica?.onApplicationShutdown();
    await prisma?.onApplicationShutdown();
    pair?.stop();
  }, SETUP_TIMEOUT_MS);

  const feedOf = (reader: ReadReplica) => new ScoresFeed(new ScoresFeedRepository(), reader);
  const probe = (key: string) => parseIp(key.replace('::/64', '::7'))!;
  /** Every seeded key, plus addresses that are not in the table. */
  const answers = (index: LookupIndexService) => {
    const now = Math.floor(Date.now() / 1000);
    return [...keys, '45.255.255.254', '2001:db8:ffff:1::1'].map((k) => index.current.lookup(probe(k), now));
  };

  describe('lookup index', () => {
    let fromPrimary: LookupIndexService;
    let fromReplica: LookupIndexService;

    beforeAll(async () => {
      fromPrimary = new LookupIndexService(feedOf(onlyPrimary));
      fromReplica = new LookupIndexService(feedOf(withReplica));
      await fromPrimary.load();
      await fromReplica.load();
    });

    it('loads from the replica and answers exactly as an index loaded from the primary', async () => {
      const snapshot = await feedOf(withReplica).loadAll(() => () => undefined, { announced: 5, held: 5 });
      expect(snapshot).toEqual(expect.objectContaining({ source: 'replica', complete: 5, committed: 5 }));
      expect(withReplica.fallbackCount).toBe(0);
      expect(fromReplica.current.version).toBe(5);
      expect(fromReplica.current.size).toBe(IPV4_ROWS + IPV6_ROWS);
      const expected = answers(fromPrimary);
      expect(expected.filter((a) => a !== null)).toHaveLength(IPV4_ROWS + IPV6_ROWS);
      expect(answers(fromReplica)).toEqual(expected);
    });

    it('follows an announced generation through the replica once it has replayed it', async () => {
      await scoringRun(primaryUrl, 6, '45.0.%', 1);
      await pair.caughtUp();
      await fromPrimary.catchUp(6);
      await fromReplica.catchUp(6);
      expect(withReplica.fallbackCount).toBe(0);
      expect(fromReplica.current.version).toBe(6);
      expect(answers(fromReplica)).toEqual(answers(fromPrimary));
    });

    it('never goes back in generation on a lagging replica: announced generations and reloads fall back to the primary', async () => {
      await pair.pauseReplay();
      try {
        await scoringRun(primaryUrl, 7, '45.1.%', 2);
        await fromPrimary.catchUp(7);
        // The replica really is behind: read there without needs, it shows generation 6.
        const stale = await feedOf(withReplica).loadAll(() => () => undefined, { announced: 0, held: 0 });
        expect(stale).toEqual(expect.objectContaining({ source: 'replica', complete: 6 }));

        const fallbacks = withReplica.fallbackCount;
        await fromReplica.catchUp(7);
        expect(fromReplica.current.version).toBe(7);
        expect(withReplica.fallbackCount).toBe(fallbacks + 1);
        expect(answers(fromReplica)).toEqual(answers(fromPrimary));

        // A periodic reload must not swap in the replica's generation 6.
        await fromReplica.load();
        expect(fromReplica.current.version).toBe(7);
        expect(answers(fromReplica)).toEqual(answers(fromPrimary));
        // Nor a poll.
        await fromReplica.catchUp();
        expect(fromReplica.current.version).toBe(7);
        expect(withReplica.fallbackCount).toBeGreaterThan(fallbacks + 1);
      } finally {
        await pair.resumeReplay();
      }
      await pair.caughtUp();
      const fallbacks = withReplica.fallbackCount;
      await scoringRun(primaryUrl, 8, '45.2.%', 3);
      await pair.caughtUp();
      await fromPrimary.catchUp(8);
      await fromReplica.catchUp(8);
      await fromReplica.load();
      expect(withReplica.fallbackCount).toBe(fallbacks);
      expect(fromReplica.current.version).toBe(8);
      expect(answers(fromReplica)).toEqual(answers(fromPrimary));
    });
  });

  describe('blocklist entry reads', () => {
    let primaryRows: BlocklistRepository;
    let replicaRows: BlocklistRepository;
    const until = new Date(Date.now() + 86_400_000);
    const row = (n: number): NewRow => {
      const value = `46.${(n >> 8) & 255}.${n & 255}.${n % 7}`;
      return { ipKey: value, value, scope: 'ip', scenarioClass: n % 2 === 0 ? 'ssh-bf' : 'http-probing', score: (n % 90) / 10, until };
    };
    const byKey = (entries: StoredEntry[]) => [...entries].sort((a, b) => a.ipKey.localeCompare(b.ipKey));
    const publish = (opened: NewRow[], closeKeys: string[]) =>
      primaryRows.publishVersion([...opened.map((r) => r.ipKey), ...closeKeys], new Date(), (open) => ({
        close: open.filter((o) => closeKeys.includes(o.ipKey)).map((o) => o.id),
        open: opened,
      }));
    /** The four entry reads of versions `from` and `to`, as one comparable value. */
    const reads = async (repository: BlocklistRepository, from: number, to: number) => ({
      at: byKey(await repository.entriesAt(to)),
      opened: byKey(await repository.openedBetween(from, to)),
      closed: byKey(await repository.closedBetween(from, to)),
      expiring: byKey(await repository.expiringBetween(from, to, new Date(0), new Date(until.getTime() + 1))),
    });

    beforeAll(() => {
      primaryRows = new BlocklistRepository(prisma, onlyPrimary);
      replicaRows = new BlocklistRepository(prisma, withReplica);
    });

    it('reads versions the replica holds from the replica, with the same rows as the primary', async () => {
      const first = Array.from({ length: 2_000 }, (_, i) => row(i));
      const v1 = await publish(first, []);
      const v2 = await publish(
        Array.from({ length: 300 }, (_, i) => row(5_000 + i)),
        first.slice(0, 400).map((r) => r.ipKey),
      );
      expect([v1?.id, v2?.id]).toEqual([1, 2]);
      await pair.caughtUp();
      const fallbacks = withReplica.fallbackCount;
      const expected = await reads(primaryRows, 1, 2);
      expect(expected.at).toHaveLength(1_900);
      expect(expected.closed).toHaveLength(400);
      expect(await reads(replicaRows, 1, 2)).toEqual(expected);
      expect(await replicaRows.entriesAt(1)).toHaveLength(2_000);
      expect(withReplica.fallbackCount).toBe(fallbacks);
    });

    it('reads a version the lagging replica lacks from the primary, and older ones still from the replica', async () => {
      await pair.pauseReplay();
      try {
        const v3 = await publish([row(9_000)], [row(5_000).ipKey]);
        expect(v3?.id).toBe(3);
        const fallbacks = withReplica.fallbackCount;
        expect(await reads(replicaRows, 2, 3)).toEqual(await reads(primaryRows, 2, 3));
        expect(withReplica.fallbackCount).toBe(fallbacks + 4);
        expect(await reads(replicaRows, 1, 2)).toEqual(await reads(primaryRows, 1, 2));
        expect(withReplica.fallbackCount).toBe(fallbacks + 4);
      } finally {
        await pair.resumeReplay();
      }
    });
  });

  describe('a replica that is down', () => {
    it('keeps answering from the primary, the index moving forward', async () => {
      const index = new LookupIndexService(feedOf(withReplica));
      const reference = new LookupIndexService(feedOf(onlyPrimary));
      await Promise.all([index.load(), reference.load()]);
      pair.stopReplica();
      await scoringRun(primaryUrl, 9, '45.3.%', 4);
      const fallbacks = withReplica.fallbackCount;
      await index.catchUp(9);
      await reference.catchUp(9);
      expect(index.current.version).toBe(9);
      expect(answers(index)).toEqual(answers(reference));
      expect(withReplica.fallbackCount).toBe(fallbacks + 1);
      await index.load();
      const replicaRows = new BlocklistRepository(prisma, withReplica);
      expect(await replicaRows.entriesAt(1)).toHaveLength(2_000);
      expect(withReplica.fallbackCount).toBe(fallbacks + 4);
      expect(index.current.version).toBe(9);
    });
  });
});
