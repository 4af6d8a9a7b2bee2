import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { PrismaService } from '../../src/infra/prisma/prisma.service.js';
import { partitionFor } from '../../src/signals/signal-partitions.js';
import { SignalPartitionsRepository } from '../../src/signals/signal-partitions.repository.js';
import { SignalsFeedRepository } from '../../src/signals/signals-feed.repository.js';
import { type BatchContext, type SignalRow, SignalsRepository, type StoredBatch } from '../../src/signals/signals.repository.js';
import { sql, truncate } from '../setup/db.js';
import { testConfig } from '../setup/test-app.js';

const DAY = 86_400_000;

/**
 * Resends are recognised against the reporter's own signal rows (docs/scaling.md "Storage per signal"):
 * across day partitions, within the resend window (QUORUM_RETENTION_SIGNAL_UUID_DAYS), and under
 * concurrent batches of one reporter (the advisory lock of src/signals/signals.repository.ts).
 */
describe('signal resends against the stored rows', () => {
  const config = testConfig({ QUORUM_RETENTION_SIGNAL_UUID_DAYS: '7', DATABASE_POOL_SIZE: '20' });
  const db = config.database.url;
  let prisma: PrismaService;
  let repository: SignalsRepository;
  const now = Date.now();

  beforeAll(async () => {
    prisma = new PrismaService(config);
    repository = new SignalsRepository(prisma, config);
    await new SignalPartitionsRepository(prisma).ensure([-1, 0, 1, 6, 8].map((d) => partitionFor(Math.floor((now - d * DAY) / DAY) * DAY)));
  });
  beforeEach(() => truncate(db, ['signal', 'signal_batch_nonce']));
  afterAll(async () => {
    await truncate(db, ['signal', 'signal_batch_nonce']);
    await prisma.onApplicationShutdown();
  });

  const row = (uuid: string | null, ip = '185.220.101.7', ipKey = ip): SignalRow => ({
    ip, ipKey, scope: 'ip', scenario: 'crowdsecurity/ssh-bf', scenarioVersion: null, scenarioHash: null, scenarioTrust: null,
    startedAt: new Date(now - 60_000), stoppedAt: new Date(now - 1_000), uuid, labels: null, weight: 1, flags: 0,
  });
  const context = (reporter: string, receivedAt = new Date(now)): BatchContext => ({
    receivedAt, reporter, owner: `owner-${reporter}`, reporterAsn: null, reporterNet: null, reporterCountry: null, source: 'quorum',
    agentId: randomUUID(), nonce: randomUUID(), nonceExpiresAt: new Date(now + 600_000),
  });
  const stored = async (uuid: string) => (await sql<{ n: number }>(db, 'SELECT count(*)::int AS n FROM signal WHERE uuid = $1', [uuid]))[0].n;

  it('stores each uuid of a reporter once when its batches race, and acknowledges each to exactly one of them', async () => {
    // Every batch's statement is held at its start (the nonce table is locked) until all of them wait,
    // then all are let go together: without the reporter's lock they would all read before any commits.
    const gate = new pg.Client({ connectionString: db });
    await gate.connect();
    const uuids = Array.from({ length: 100 }, () => randomUUID());
    let results: StoredBatch[];
    try {
      await gate.query('BEGIN');
      await gate.query('LOCK TABLE signal_batch_nonce IN SHARE MODE');
      const racing = Promise.all(Array.from({ length: 16 }, () => repository.insertBatch(context('racer'), uuids.map((u) => row(u)))));
      const waiting = async () =>
        Number((await gate.query<{ n: string }>("SELECT count(*) AS n FROM pg_locks WHERE NOT granted AND relation = 'signal_batch_nonce'::regclass")).rows[0].n);
      for (const started = Date.now(); (await waiting()) < 16; ) {
        if (Date.now() - started > 60_000) throw new Error('the 16 batches did not all reach the nonce table within 60 s');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await gate.query('COMMIT');
      results = await racing;
    } finally {
      await gate.end();
    }
    expect(results.every((r) => r.fresh)).toBe(true);
    expect(results.reduce((sum, r) => sum + r.inserted, 0)).toBe(uuids.length);
    for (const u of uuids) expect(results.filter((r) => r.claimedUuids.has(u))).toHaveLength(1);
    expect((await sql<{ n: number }>(db, "SELECT count(*)::int AS n FROM signal WHERE reporter = 'racer'"))[0].n).toBe(uuids.length);
  });

  it('recognises a resend whose original sits in an earlier day partition, and only for the same reporter', async () => {
    const uuid = randomUUID();
    expect((await repository.insertBatch(context('r1', new Date(now - DAY)), [row(uuid)])).inserted).toBe(1);
    const again = await repository.insertBatch(context('r1'), [row(uuid), row(null)]);
    expect(again).toEqual({ fresh: true, inserted: 1, claimedUuids: new Set() });
    expect((await repository.insertBatch(context('r2'), [row(uuid)])).claimedUuids).toEqual(new Set([uuid]));
    expect(await stored(uuid)).toBe(2);
  });

  it('recognises resends for the window and stores a uuid again once its original is older', async () => {
    const inside = randomUUID();
    const past = randomUUID();
    await repository.insertBatch(context('r1', new Date(now - 6 * DAY)), [row(inside)]);
    await repository.insertBatch(context('r1', new Date(now - 8 * DAY)), [row(past)]);
    const resent = await repository.insertBatch(context('r1'), [row(inside), row(past)]);
    expect(resent.claimedUuids).toEqual(new Set([past]));
    expect([await stored(inside), await stored(past)]).toEqual([1, 2]);
  });

  it('writes nothing for a replayed nonce', async () => {
    const first = context('r1');
    await repository.insertBatch(first, [row(randomUUID())]);
    const replay = await repository.insertBatch({ ...first }, [row(randomUUID())]);
    expect(replay).toEqual({ fresh: false, inserted: 0, claimedUuids: new Set() });
  });

  it('stores ip_key only where it differs from ip, and the feed reads the key back either way', async () => {
    await repository.insertBatch(context('r1'), [row(null, '185.220.101.9'), row(null, '2a01:4f8:1:2:3:4:5:6', '2a01:4f8:1:2::/64')]);
    expect(await sql(db, 'SELECT ip, ip_key FROM signal ORDER BY ip')).toEqual([
      { ip: '185.220.101.9', ip_key: null },
      { ip: '2a01:4f8:1:2:3:4:5:6', ip_key: '2a01:4f8:1:2::/64' },
    ]);
    const feed = new SignalsFeedRepository(prisma);
    expect((await feed.after(0n, new Date(now - DAY), 10)).map((s) => s.ip_key).sort()).toEqual(['185.220.101.9', '2a01:4f8:1:2::/64']);
    expect(await feed.votersOf('185.220.101.9', new Date(now - DAY))).toEqual([{ owner: 'owner-r1', reporter: 'r1' }]);
  });
});
