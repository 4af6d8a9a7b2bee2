import { Logger } from '@nestjs/common';
import { parseIp } from '../../src/common/ip/ip-address.js';
import { loadConfig } from '../../src/config/app-config.js';
import { ScoresFeed } from '../../src/consensus/scores-feed.js';
import { ScoresFeedRepository } from '../../src/consensus/scores-feed.repository.js';
import type { FeedScoreRow } from '../../src/consensus/scores-feed.types.js';
import { PrismaService } from '../../src/infra/prisma/prisma.service.js';
import { ReadReplica } from '../../src/infra/prisma/read-replica.js';
import { LookupIndexService } from '../../src/lookup/index/lookup-index.service.js';
import { sql } from '../setup/db.js';
import { testEnv } from '../setup/test-env.js';

const NET = '45.85.14';

/** The lookup index against the real ip_score table: snapshot load, catch-up by version, generations in progress. */
describe('lookup index feed', () => {
  const config = loadConfig(testEnv());
  const db = config.database.url;
  let prisma: PrismaService;
  let replica: ReadReplica;
  let feed: ScoresFeed;
  let savedCursor: Array<Record<string, unknown>>;

  beforeAll(async () => {
    Logger.overrideLogger(false);
    prisma = new PrismaService(config);
    replica = new ReadReplica(prisma, config);
    feed = new ScoresFeed(new ScoresFeedRepository(), replica);
    savedCursor = await sql(db, 'SELECT id, last_signal_id, generation, last_tick_at FROM consensus_cursor WHERE id = 1');
  });
  afterAll(async () => {
    await sql(db, `DELETE FROM ip_score WHERE ip_key LIKE '${NET}.%'`);
    await sql(db, 'DELETE FROM consensus_cursor WHERE id = 1');
    for (const c of savedCursor) {
      await sql(db, 'INSERT INTO consensus_cursor (id, last_signal_id, generation, last_tick_at) VALUES ($1, $2, $3, $4)', [c.id, c.last_signal_id, c.generation, c.last_tick_at]);
    }
    await replica.onApplicationShutdown();
    await prisma.onApplicationShutdown();
  });

  const nextVersion = async () => Number((await sql<{ v: string }>(db, 'SELECT (coalesce(max(version), 0) + 1)::text AS v FROM ip_score'))[0].v);
  const setCursor = (generation: number) =>
    sql(db, 'INSERT INTO consensus_cursor (id, generation) VALUES (1, $1) ON CONFLICT (id) DO UPDATE SET generation = EXCLUDED.generation', [generation]);
  const write = (last: number, score: number, version: number) =>
    sql(
      db,
      `INSERT INTO ip_score (ip_key, score, reporters, established, asns, scenarios, first_seen, last_seen, listed, honeypot, version, updated_at)
       VALUES ($1, $2, 2, 1, 2, '{http-probing,ssh-bf}', now(), now(), false, false, $3, now())
       ON CONFLICT (ip_key) DO UPDATE SET score = EXCLUDED.score, version = EXCLUDED.version`,
      [`${NET}.${last}`, score, version],
    );
  const scoreOf = (service: LookupIndexService, last: number) => service.current.lookup(parseIp(`${NET}.${last}`)!, Math.floor(Date.now() / 1000))?.score ?? null;

  it('hands over changed rows page by page in (version, key) order', async () => {
    const v = await nextVersion();
    for (let i = 1; i <= 5; i++) await write(i, 1, v + (i % 2));
    const pages: FeedScoreRow[][] = [];
    const snapshot = await feed.changesSince(v - 1, (rows) => pages.push(rows.filter((r) => r.ipKey.startsWith(NET))), { announced: 0, held: 0 }, 2);
    const seen = pages.flat();
    expect(snapshot).toEqual(expect.objectContaining({ max: v + 1, source: 'primary' }));
    expect(pages.length).toBeGreaterThanOrEqual(3);
    expect(seen.map((r) => r.ipKey)).toEqual([`${NET}.2`, `${NET}.4`, `${NET}.1`, `${NET}.3`, `${NET}.5`]);
    expect(seen[0]).toEqual(expect.objectContaining({ score: 1, reporters: 2, established: 1, asns: 2, listed: false, scenarios: 'http-probing\u001fssh-bf' }));
    expect(seen[0].firstSeen).toBeGreaterThan(1_700_000_000);
  });

  it('loads a snapshot, then catches up by version, re-reading a generation until the consensus cursor closes it', async () => {
    const service = new LookupIndexService(feed);
    const g = await nextVersion();
    await setCursor(g - 1);
    await write(10, 2, g);
    await service.load();
    expect(service.ready).toBe(true);
    expect(scoreOf(service, 10)).toBe(49);
    expect(service.current.version).toBe(g - 1);

    // A later chunk of the same, still open, generation is found by the next catch-up.
    await write(11, 9, g);
    await service.catchUp();
    expect(scoreOf(service, 11)).toBe(95);
    expect(service.current.version).toBe(g - 1);

    await setCursor(g);
    await service.catchUp();
    expect(service.current.version).toBe(g);

    // A generation announced on pub/sub counts as complete at once.
    await write(10, 6, g + 1);
    await service.catchUp(g + 1);
    expect(scoreOf(service, 10)).toBe(86);
    expect(service.current.version).toBe(g + 1);
  });
});
