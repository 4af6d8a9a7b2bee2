import { Inject, Injectable, Module } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { SignalsFeed } from '../signals/signals-feed.js';
import { SignalsModule } from '../signals/signals.module.js';
import type { ExplanationRow, IpScoreRow } from './consensus.types.js';
import { ListingRecordsRepository } from './listing-records.repository.js';
import { resolveParams } from './scoring/params.js';

export interface VoterEvidence {
  reporter: string;
  scenario: string;
  signals: number;
  firstAt: Date;
  lastAt: Date;
}

/**
 * What consensus knows of listed and scored IPs, for operators (docs/operators.md, "Listings"): scores
 * by key, the explanations written when a key was listed (voters as pseudonyms), and the evidence
 * behind a key's votes (signals per reporter pseudonym and scenario within the vote window).
 */
@Injectable()
export class ListingRecords {
  private readonly voteWindowMs: number;

  constructor(
    private readonly repository: ListingRecordsRepository,
    private readonly signals: SignalsFeed,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.voteWindowMs = resolveParams(config.consensus.params).voteMaxAgeMs;
  }

  async scores(keys: readonly string[]): Promise<Map<string, IpScoreRow>> {
    return new Map((await this.repository.scores(keys)).map((r) => [r.ipKey, r]));
  }

  explanations(ipKey: string, limit = 20): Promise<ExplanationRow[]> {
    return this.repository.explanations(ipKey, limit);
  }

  /** Signals of `ipKey` per reporter and scenario within the engine's vote window (older ones no longer vote). */
  evidence(ipKey: string, now: Date): Promise<VoterEvidence[]> {
    return this.signals.evidenceOf(ipKey, new Date(now.getTime() - this.voteWindowMs));
  }

  get voteWindowHours(): number {
    return this.voteWindowMs / 3_600_000;
  }
}

@Module({ imports: [SignalsModule], providers: [ListingRecordsRepository, ListingRecords], exports: [ListingRecords] })
export class ListingRecordsModule {}
