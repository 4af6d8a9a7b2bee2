import { Logger } from '@nestjs/common';
import type { ScoresFeed } from '../../consensus/scores-feed.js';
import type { FeedNeed, FeedScoreRow, FeedSnapshot } from '../../consensus/scores-feed.types.js';
import { parseIp } from '../../common/ip/ip-address.js';
import { LookupIndexService } from './lookup-index.service.js';

const row = (ipKey: string, score: number, version: number): FeedScoreRow => ({
  ipKey,
  score,
  reporters: 3,
  established: 2,
  asns: 2,
  scenarios: 'ssh-bf',
  firstSeen: 1_700_000_000,
  lastSeen: 1_700_000_100,
  listed: false,
  listedUntil: 0,
  honeypot: false,
  version,
});

/** A scores feed whose next snapshot (rows, generation, source) the test sets; it records what it was asked for. */
class FakeFeed {
  rows: FeedScoreRow[] = [];
  generation = 0;
  source: FeedSnapshot['source'] = 'replica';
  readonly needs: FeedNeed[] = [];

  private snapshot(): FeedSnapshot {
    return { max: this.generation, committed: this.generation, complete: this.generation, source: this.source };
  }

  async loadAll(start: () => (rows: FeedScoreRow[]) => void, need: FeedNeed): Promise<FeedSnapshot> {
    this.needs.push(need);
    start()(this.rows);
    return this.snapshot();
  }

  async changesSince(from: number, onPage: (rows: FeedScoreRow[]) => void, need: FeedNeed): Promise<FeedSnapshot> {
    this.needs.push(need);
    onPage(this.rows.filter((r) => r.version > from));
    return this.snapshot();
  }
}

describe('LookupIndexService generations', () => {
  let feed: FakeFeed;
  let service: LookupIndexService;
  const scoreOf = (ip: string) => service.current.lookup(parseIp(ip)!, 1_700_000_200)?.score ?? null;

  beforeAll(() => Logger.overrideLogger(false));
  beforeEach(() => {
    feed = new FakeFeed();
    service = new LookupIndexService(feed as unknown as ScoresFeed);
  });

  it('asks the feed for what it holds and what was announced', async () => {
    feed.rows = [row('45.9.0.1', 5, 4)];
    feed.generation = 4;
    await service.load();
    await service.catchUp(6);
    expect(feed.needs[0]).toEqual({ announced: 0, held: 0 });
    expect(feed.needs.at(-1)).toEqual({ announced: 6, held: 4 });
  });

  it('refuses a reload from a replica snapshot older than the index', async () => {
    feed.rows = [row('45.9.0.1', 5, 7)];
    feed.generation = 7;
    await service.load();
    const loaded = service.current;
    const before = scoreOf('45.9.0.1');
    feed.rows = [row('45.9.0.1', 1, 6)];
    feed.generation = 6;
    await service.load();
    expect(service.current).toBe(loaded);
    expect(service.current.version).toBe(7);
    expect(scoreOf('45.9.0.1')).toBe(before);
  });

  it('follows the primary when the database itself went back', async () => {
    feed.rows = [row('45.9.0.1', 5, 7)];
    feed.generation = 7;
    await service.load();
    feed.rows = [row('45.9.0.2', 1, 3)];
    feed.generation = 3;
    feed.source = 'primary';
    await service.load();
    expect(service.current.version).toBe(3);
    expect(scoreOf('45.9.0.1')).toBeNull();
    expect(scoreOf('45.9.0.2')).not.toBeNull();
  });

  it('forgets an announced generation of which the primary shows no trace, so reads stop waiting for the replica', async () => {
    feed.rows = [row('45.9.0.1', 5, 4)];
    feed.generation = 4;
    await service.load();
    feed.source = 'primary';
    await service.catchUp(9);
    await service.catchUp();
    expect(feed.needs.at(-1)).toEqual({ announced: 4, held: 4 });
    // Only the primary is authoritative: a replica behind the announcement keeps it.
    feed.source = 'replica';
    await service.catchUp(9);
    await service.catchUp();
    expect(feed.needs.at(-1)).toEqual({ announced: 9, held: 4 });
  });

  it('never moves the version back on catch-up', async () => {
    feed.rows = [row('45.9.0.1', 5, 7)];
    feed.generation = 7;
    await service.load();
    feed.generation = 5;
    await service.catchUp();
    expect(service.current.version).toBe(7);
  });
});
