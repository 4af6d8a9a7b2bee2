import { Injectable } from '@nestjs/common';
import { READ_REPLICA_BEHIND, ReadReplica } from '../infra/prisma/read-replica.js';
import { completeGeneration, snapshotReaches } from './scores-feed-generations.js';
import { ScoresFeedRepository } from './scores-feed.repository.js';
import type { FeedNeed, FeedScoreRow, FeedSnapshot } from './scores-feed.types.js';

/**
 * How long a replica that has not reached what a reader needs is asked again before the primary is
 * read: replication usually closes the gap in milliseconds after a run is announced.
 */
export const REPLICA_WAIT_MS = 1_000;

/**
 * The consensus output for readers in other domains (the lookup index): scored rows of ip_score by
 * generation, and which generations are complete. Reads go to the read replica when one is configured
 * and its snapshot reaches what the reader needs (`FeedNeed`: the announced generation, what it holds),
 * else to the primary; a reader never gets a snapshot older than what it holds from the replica.
 * docs/scaling.md "Read replica".
 */
@Injectable()
export class ScoresFeed {
  constructor(
    private readonly repository: ScoresFeedRepository,
    private readonly replica: ReadReplica,
  ) {}

  /**
   * Every row of one snapshot, page by page. `start` is called when a read (re)starts and returns the
   * page handler: a read that failed on the replica starts again on the primary, from scratch.
   */
  async loadAll(start: () => (rows: FeedScoreRow[]) => void, need: FeedNeed, pageSize = 20_000): Promise<FeedSnapshot> {
    const { value, source } = await this.replica.snapshot(
      async (client, where) => {
        const stored = await this.repository.generations(client);
        if (where === 'replica' && !snapshotReaches(stored, need)) return READ_REPLICA_BEHIND;
        await this.repository.scanAll(client, start(), pageSize);
        return stored;
      },
      { waitMs: REPLICA_WAIT_MS },
    );
    return { ...value, complete: completeGeneration(value, need.announced), source };
  }

  /**
   * The rows written by generations after `from` (the reader's complete generation), up to the newest
   * visible one, from one snapshot; rows of a generation still in progress come again next time.
   */
  async changesSince(from: number, onPage: (rows: FeedScoreRow[]) => void, need: FeedNeed, pageSize = 10_000): Promise<FeedSnapshot> {
    const { value, source } = await this.replica.snapshot(
      async (client, where) => {
        const stored = await this.repository.generations(client);
        if (where === 'replica' && !snapshotReaches(stored, need)) return READ_REPLICA_BEHIND;
        if (stored.max > from) await this.repository.changedSince(client, from, stored.max, onPage, pageSize);
        return stored;
      },
      { waitMs: REPLICA_WAIT_MS },
    );
    return { ...value, complete: completeGeneration(value, need.announced), source };
  }
}
