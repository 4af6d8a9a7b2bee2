import { Injectable, Logger } from '@nestjs/common';
import { IndexBuilder } from './index-builder.js';
import { IpScoreIndex } from './ip-score-index.js';
import { completeGeneration } from './generations.js';
import { ScoreFeedRepository } from './score-feed.repository.js';

const RETRY_UNSEEN_MS = 100;
const RETRY_UNSEEN_FOR_MS = 10_000;

/**
 * Owns this replica's IpScoreIndex: a full load from a consistent snapshot at boot (and periodically,
 * to drop rows retention deleted), then catch-up by version: every row of a generation newer than the
 * index's, whether the generation was announced on pub/sub or found by polling. The index's version is
 * the newest complete generation; rows of a generation still being written are applied and read again
 * on the next catch-up, until the generation is complete.
 */
@Injectable()
export class LookupIndexService {
  private readonly logger = new Logger('LookupIndex');
  private index = IpScoreIndex.empty();
  private loaded = false;
  private running: Promise<void> | null = null;
  private again = false;
  private announced = 0;
  private announcedAtMs = 0;
  /** when the index last moved to a newer generation (epoch ms) */
  lastAdvanceMs = 0;

  constructor(private readonly feed: ScoreFeedRepository) {}

  get ready(): boolean {
    return this.loaded;
  }

  get current(): IpScoreIndex {
    return this.index;
  }

  /** Builds a new index from a snapshot and swaps it in, then catches up past the snapshot. */
  async load(): Promise<void> {
    const started = Date.now();
    const builder = new IndexBuilder();
    const versions = await this.feed.loadAll((rows) => {
      for (const row of rows) builder.add(row);
    });
    const next = builder.build(0);
    next.version = completeGeneration(versions, this.announced);
    if (builder.skipped > 0) this.logger.warn(`${builder.skipped} ip_score keys could not be parsed and were skipped`);
    this.index = next;
    this.loaded = true;
    this.lastAdvanceMs = Date.now();
    this.logger.log(`lookup index loaded: ${next.size} keys at generation ${next.version} in ${Date.now() - started} ms`);
    await this.catchUp();
  }

  /**
   * Brings the index to `version` (announced on pub/sub: complete) or to what the database shows.
   * Calls made while one runs are coalesced into one more run.
   */
  catchUp(version = 0): Promise<void> {
    if (version > this.announced) {
      this.announced = version;
      this.announcedAtMs = Date.now();
    }
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
    const versions = await this.feed.versions();
    if (this.announced > versions.max) {
      // Announced but not visible yet (a lagging read replica): look again shortly.
      if (Date.now() - this.announcedAtMs < RETRY_UNSEEN_FOR_MS) setTimeout(() => void this.catchUp().catch(() => undefined), RETRY_UNSEEN_MS).unref();
      else this.announced = 0;
    }
    if (versions.max <= index.version) return;
    let skipped = 0;
    await this.feed.changedSince(index.version, versions.max, (rows) => {
      skipped += index.apply(rows);
    });
    if (skipped > 0) this.logger.warn(`${skipped} ip_score keys could not be parsed and were skipped`);
    const complete = completeGeneration(versions, this.announced);
    if (complete > index.version) {
      index.version = complete;
      this.lastAdvanceMs = Date.now();
    }
    index.compactIfNeeded();
  }
}
