import { Injectable } from '@nestjs/common';
import { type HeldSignals, SignalsFeedRepository } from './signals-feed.repository.js';

/** A stored signal as other domains read it (scoring). */
export interface FeedSignal {
  id: bigint;
  receivedAt: Date;
  reporter: string;
  owner: string;
  ipKey: string;
  scope: string;
  scenario: string;
  stoppedAt: Date;
  weight: number;
}

/**
 * The signal table's reads for other domains (table ownership, docs/architecture.md): scoring reads
 * new rows by id, explanations count voters, privacy asks what is held about an IP.
 */
@Injectable()
export class SignalsFeed {
  constructor(private readonly repository: SignalsFeedRepository) {}

  /** Signals in id order after `afterId` (the id sequence is shared by all day partitions). */
  async after(afterId: bigint, since: Date, limit: number): Promise<FeedSignal[]> {
    return (await this.repository.after(afterId, since, limit)).map(toFeedSignal);
  }

  /** The signals with these ids, in id order. */
  async byIds(ids: readonly bigint[], since: Date): Promise<FeedSignal[]> {
    return (await this.repository.byIds(ids, since)).map(toFeedSignal);
  }

  /** Signals received since `since` (the dashboard's daily volume). */
  countSince(since: Date): Promise<number> {
    return this.repository.countSince(since);
  }

  maxId(): Promise<bigint> {
    return this.repository.maxId();
  }

  /** Distinct (owner, reporter) pseudonym pairs that reported `ipKey` after `since`. */
  votersOf(ipKey: string, since: Date): Promise<Array<{ owner: string; reporter: string }>> {
    return this.repository.votersOf(ipKey, since);
  }

  /**
   * The evidence behind an explanation, for operators: per reporter pseudonym and scenario, the signals
   * of `ipKey` received since `since`, first and last (most recent first, at most `limit` pairs).
   */
  async evidenceOf(ipKey: string, since: Date, limit = 500): Promise<Array<{ reporter: string; scenario: string; signals: number; firstAt: Date; lastAt: Date }>> {
    return (await this.repository.evidenceOf(ipKey, since, limit)).map((r) => ({ reporter: r.reporter, scenario: r.scenario, signals: r.signals, firstAt: r.first_at, lastAt: r.last_at }));
  }

  /** IP keys an owner pseudonym reported (withdrawal of an erased organisation's votes). */
  ipKeysOfOwner(owner: string): Promise<string[]> {
    return this.repository.ipKeysOfOwner(owner);
  }

  /** Those of `keys` another owner than `owner` reported. */
  keysReportedByOthers(keys: readonly string[], owner: string): Promise<string[]> {
    return this.repository.keysReportedByOthers(keys, owner);
  }

  /** Reporter pseudonyms with a signal received since `since`. */
  reportersActiveSince(since: Date): Promise<string[]> {
    return this.repository.reportersActiveSince(since);
  }

  /** Whether the IP (the address only, for an IPv6 address in its /64) was reported since `since`. */
  hasSignalsSince(ipKey: string, since: Date, address: string | null = null): Promise<boolean> {
    return this.repository.hasSignalsSince(ipKey, since, address !== null && address !== ipKey ? address : null);
  }

  otherAddressesLeft(ipKey: string, address: string): Promise<boolean> {
    return this.repository.otherAddressesLeft(ipKey, address);
  }

  /** What is held about an IP (R8), without any reporter column; `limit` rows copied, newest first. */
  held(ipKey: string, address: string | null, limit: number): Promise<HeldSignals> {
    return this.repository.held(ipKey, address !== null && address !== ipKey ? address : null, limit);
  }
}

function toFeedSignal(r: { id: string; received_at: Date; reporter: string; owner: string; ip_key: string; scope: string; scenario: string; stopped_at: Date; weight: number }): FeedSignal {
  return { id: BigInt(r.id), receivedAt: r.received_at, reporter: r.reporter, owner: r.owner, ipKey: r.ip_key, scope: r.scope, scenario: r.scenario, stoppedAt: r.stopped_at, weight: r.weight };
}
