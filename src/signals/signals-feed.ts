import { Injectable } from '@nestjs/common';
import { SCENARIO_FAMILIES, type ScenarioFamily, scenarioFamily } from './scenario-families.js';
import { type HeldSignals, SignalsFeedRepository } from './signals-feed.repository.js';

const DAY_MS = 86_400_000;
/** A closed day's counts are read again after this long (an erasure or the retention may have removed rows since). */
const CLOSED_DAY_TTL_MS = 3_600_000;
/** Distinct scenarios read per day, most frequent first; a day with more is marked `truncated`. */
const SCENARIOS_PER_DAY = 1_000;

/** One UTC day's signals per scenario family (every family present, zero when none). */
export interface FamilyVolumeDay {
  day: string;
  total: number;
  families: Record<ScenarioFamily, number>;
  /** more distinct scenarios than were read that day: the counts miss the rarest ones */
  truncated: boolean;
}

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
  private readonly closedDays = new Map<string, { at: number; counts: Array<{ scenario: string; signals: number }> }>();

  constructor(private readonly repository: SignalsFeedRepository) {}

  /**
   * Signals received per UTC day and scenario family (src/signals/scenario-families.ts) over the `days`
   * days ending with today (`now`'s day), oldest first. One statement per day, each confined to that
   * day's partition; closed days are kept for an hour, today is always read.
   */
  async volumeByFamily(days: number, now: Date): Promise<FamilyVolumeDay[]> {
    const today = Math.floor(now.getTime() / DAY_MS) * DAY_MS;
    const out: FamilyVolumeDay[] = [];
    for (let i = days - 1; i >= 0; i--) {
      const start = today - i * DAY_MS;
      const day = new Date(start).toISOString().slice(0, 10);
      const cached = i > 0 ? this.closedDays.get(day) : undefined;
      let counts = cached && now.getTime() - cached.at < CLOSED_DAY_TTL_MS ? cached.counts : undefined;
      if (!counts) {
        counts = await this.repository.scenarioCounts(new Date(start), new Date(start + DAY_MS), SCENARIOS_PER_DAY);
        if (i > 0) this.closedDays.set(day, { at: now.getTime(), counts });
      }
      const families = Object.fromEntries(SCENARIO_FAMILIES.map((f) => [f, 0])) as Record<ScenarioFamily, number>;
      let total = 0;
      for (const c of counts) {
        families[scenarioFamily(c.scenario)] += c.signals;
        total += c.signals;
      }
      out.push({ day, total, families, truncated: counts.length >= SCENARIOS_PER_DAY });
    }
    for (const day of this.closedDays.keys()) if (day < out[0].day) this.closedDays.delete(day);
    return out;
  }

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
