import { Injectable } from '@nestjs/common';
import { BlocklistLifecycle } from '../blocklist/blocklist.erasure.js';
import { ConsensusLifecycle } from '../consensus/consensus.erasure.js';
import { SignalsFeed } from '../signals/signals-feed.js';
import { DataLifecycles } from './data-lifecycles.js';
import type { Removed } from './data-lifecycle.js';

export interface HeldIpData {
  aggregate: {
    score: number;
    reporters: number;
    scenarios: string[];
    firstSeen: Date;
    lastSeen: Date;
    listed: boolean;
    listedUntil: Date | null;
    honeypot: boolean;
  } | null;
  signals: { count: number; oldest: Date | null; newest: Date | null; sources: string[]; scenarios: string[] };
  explanations: { count: number; newest: Date | null };
  openListing: { until: Date } | null;
  delistingRequests: number;
  /** Art. 15(3) copy: the rows themselves, without any reporter column (Art. 15(4)); newest first, bounded. */
  copy: HeldIpCopy;
}

export interface HeldIpCopy {
  signals: Array<{ ip: string; receivedAt: Date; source: string; scenario: string; startedAt: Date; stoppedAt: Date }>;
  explanations: Array<{ listedAt: Date; reason: string; score: number; scenarioClasses: string[]; firstSeen: Date; lastSeen: Date }>;
  blocklist: Array<{ value: string; scenarioClass: string; until: Date; open: boolean }>;
  delistingRequests: Array<{ status: string; createdAt: Date; closedAt: Date | null }>;
}

/** Rows copied per store into an access report; the counts say how many exist in all. */
export const COPY_LIMIT = 1_000;

/**
 * Everything stored about one IP key (R8), read through the owning domains' services, and its erasure
 * (R9) through every domain's lifecycle. Reporter columns are never read.
 */
@Injectable()
export class IpDataService {
  constructor(
    private readonly signals: SignalsFeed,
    private readonly consensus: ConsensusLifecycle,
    private readonly blocklist: BlocklistLifecycle,
    private readonly lifecycles: DataLifecycles,
  ) {}

  /**
   * `address` narrows per-address stores for IPv6 (raw signals, delisting records hold the address);
   * aggregates, explanations and listings are per consensus key (the IPv4 address, or the IPv6 /64).
   */
  async held(ipKey: string, address: string | null = null): Promise<HeldIpData> {
    const signals = await this.signals.held(ipKey, address, COPY_LIMIT);
    const scores = await this.consensus.held(ipKey, address, COPY_LIMIT);
    const listing = await this.blocklist.held(ipKey, COPY_LIMIT);
    return {
      aggregate: scores.aggregate,
      signals: { count: signals.count, oldest: signals.oldest, newest: signals.newest, sources: signals.sources, scenarios: signals.scenarios },
      explanations: scores.explanations,
      openListing: listing.openUntil ? { until: listing.openUntil } : null,
      delistingRequests: scores.delistingRequests,
      copy: { signals: signals.copy, explanations: scores.copy.explanations, blocklist: listing.copy, delistingRequests: scores.copy.delistingRequests },
    };
  }

  hasSignalsSince(ipKey: string, since: Date, address: string | null = null): Promise<boolean> {
    return this.signals.hasSignalsSince(ipKey, since, address);
  }

  /**
   * R9: every domain removes the IP from its stores. For an IPv6 address (`address` inside the /64
   * `ipKey`) only what is about that address goes (raw signals, delisting records); the /64's aggregate,
   * explanations and blocklist history go too when no other address of the /64 is left in the raw signals
   * (otherwise the rescoring that follows rebuilds them from the others). A listed IP is refused before
   * this runs. Other requests still pending for the address drop the raw IP and token at once.
   */
  async erase(ipKey: string, address: string, now: Date, requestId: string | null): Promise<Removed> {
    const wholeKey = address === ipKey || !(await this.signals.otherAddressesLeft(ipKey, address));
    const out: Removed = {};
    for (const lifecycle of this.lifecycles.all()) {
      for (const [table, n] of Object.entries(await lifecycle.eraseIp({ ipKey, address, wholeKey, requestId, now }))) out[table] = (out[table] ?? 0) + n;
    }
    return out;
  }
}
