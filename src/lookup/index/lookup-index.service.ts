import { Injectable, Logger } from '@nestjs/common';
import { ScoresFeed } from '../../consensus/scores-feed.js';
import type { FeedNeed, FeedSnapshot } from '../../consensus/scores-feed.types.js';
import { IndexBuilder } from './index-builder.js';
import { IpScoreIndex } from './ip-score-index.js';

/**
 * Owns this replica's IpScoreIndex: a full load from a consistent snapshot at boot (and periodically,
 * to drop rows retention deleted), then catch-up by version: every row of a generation newer than the
 * index's, whether the generation was announced on pub/sub or found by polling. The index's version is
 * the newest complete generation; rows of a generation still being written are applied and read again
 * on the next catch-up, until the generation is complete. Rows come from consensus's ScoresFeed, which
 * reads a read replica when one is configured: the index never moves back to an older generation
 * because a replica lags (docs/scaling.md "Read replica").
 */
@Injectable()
export class LookupIndexService {
  private readonly logger = new Logger('LookupIndex');
  private index = IpScoreIndex.empty();
  private loaded = false;
  private running: Promise<void> | null = null;
  private again = false;
  private announced = 0;
  /** when the index last moved to a newer generation (epoch ms) */
  lastAdvanceMs = 0;

  constructor(private readonly feed: ScoresFeed) {}

  get ready(): boolean {
    return this.loaded;
  }

  get current(): IpScoreIndex {
    return this.index;
  }

  /** What a snapshot must show before the index uses it. */
  private need(): FeedNeed {
    return { announced: this.announced, held: this.loaded ? this.index.version : 0 };
  }

  /**
   * An announcement of which the primary itself shows no trace (neither its cursor nor its rows reached
   * it: the database went back) is forgotten, so later reads stop waiting for a replica to reach it.
   */
  private settleAnnounced(need: FeedNeed, snapshot: FeedSnapshot): void {
    const unknown = snapshot.source === 'primary' && Math.max(snapshot.committed, snapshot.max) < need.announced;
    if (unknown && this.announced === need.announced) this.announced = Math.max(snapshot.committed, snapshot.max);
  }

  /**
   * Builds a new index from a snapshot and swaps it in, then catches up past the snapshot. A snapshot
   * older than the index is refused unless it is the primary's (the database itself went back, e.g.
   * a restore): a lagging replica never turns the index back.
   */
  async load(): Promise<void> {
    const started = Date.now();
    let builder = new IndexBuilder();
    const need = this.need();
    const snapshot = await this.feed.loadAll(() => {
      builder = new IndexBuilder();
      return (rows) => {
        for (const row of rows) builder.add(row);
      };
    }, need);
    this.settleAnnounced(need, snapshot);
    if (this.loaded && snapshot.complete < this.index.version) {
      if (snapshot.source !== 'primary') {
        this.logger.warn(`lookup index reload refused: the ${snapshot.source} is at generation ${snapshot.complete}, the index at ${this.index.version}`);
        return;
      }
      this.logger.warn(`the database went back from generation ${this.index.version} to ${snapshot.complete}: the index follows it`);
    }
    const next = builder.build(snapshot.complete);
    if (builder.skipped > 0) this.logger.warn(`${builder.skipped} ip_score keys could not be parsed and were skipped`);
    this.index = next;
    this.loaded = true;
    this.lastAdvanceMs = Date.now();
    this.logger.log(`lookup index loaded: ${next.size} keys at generation ${next.version} from the ${snapshot.source} in ${Date.now() - started} ms`);
    await this.catchUp();
  }

  /**
   * Brings the index to `version` (announced on pub/sub: complete) or to what the database shows.
   * Calls made while one runs are coalesced into one more run.
   */
  catchUp(version = 0): Promise<void> {
    if (version > this.announced) this.announced = version;
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.runCatchUps().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async runCatchUps(): Promise<void> {
    do {
      this.again = false;
      if (this.loaded) await this.catchUpOnce();
    } while (this.again);
  }

  private async catchUpOnce(): Promise<void> {
    const index = this.index;
    let skipped = 0;
    const need = this.need();
    const snapshot = await this.feed.changesSince(
      index.version,
      (rows) => {
        skipped += index.apply(rows);
      },
      need,
    );
    this.settleAnnounced(need, snapshot);
    if (skipped > 0) this.logger.warn(`${skipped} ip_score keys could not be parsed and were skipped`);
    // The index was swapped by a reload meanwhile: that one is newer.
    if (index !== this.index) return;
    if (snapshot.complete > index.version) {
      index.version = snapshot.complete;
      this.lastAdvanceMs = Date.now();
    }
    index.compactIfNeeded();
  }
}
