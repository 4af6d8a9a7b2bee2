import type { ConsensusParams } from './params.js';

/** One voter's charge times: sorted, a moving head for expiry, refunds as tombstone counts. */
interface ChargeLog {
  times: number[];
  head: number;
  /** Live (charged, not refunded, not expired) charges. */
  live: number;
  /** Refunded times still inside `times[head..]`, with multiplicity. */
  refunded: Map<number, number>;
}

/**
 * Per-voter novelty budget over a rolling window: the times of honeypot-unconfirmed new listings
 * the voter was charged for (and not refunded). A rolling window stops a ring from spending two
 * days' budget around midnight. Charges arrive in time order (a sorted insert otherwise), expire
 * by advancing a head index, and refunds are tombstones found by binary search: charge, refund
 * and `used` are O(log n) amortised, with no linear search or splice (docs/consensus.md, novelty).
 */
export class NoveltyBudget {
  private readonly logs: (ChargeLog | undefined)[] = [];
  /** Voter -> time until which it counts as out of budget (pending a delisting review). */
  readonly suspended = new Map<number, number>();

  constructor(private readonly p: ConsensusParams) {}

  used(voter: number, now: number): number {
    const log = this.logs[voter];
    if (log === undefined) return 0;
    const since = now - this.p.noveltyWindowMs;
    const { times } = log;
    while (log.head < times.length && times[log.head] <= since) {
      const t = times[log.head++];
      const dead = log.refunded.get(t);
      if (dead === undefined) log.live--;
      else if (dead > 1) log.refunded.set(t, dead - 1);
      else log.refunded.delete(t);
    }
    if (log.head > 64 && log.head * 2 > times.length) {
      log.times = times.slice(log.head);
      log.head = 0;
    }
    return log.live;
  }

  exhausted(voter: number, now: number): boolean {
    if (this.p.noveltyMode === 'off') return false;
    const until = this.suspended.get(voter);
    if (until !== undefined) {
      if (until > now) return true;
      this.suspended.delete(voter);
    }
    return this.used(voter, now) >= this.p.noveltyBudget;
  }

  charge(voter: number, at: number): void {
    const log = (this.logs[voter] ??= { times: [], head: 0, live: 0, refunded: new Map<number, number>() });
    const { times } = log;
    if (times.length === log.head || times[times.length - 1] <= at) times.push(at);
    else times.splice(upperBound(times, log.head, at), 0, at);
    log.live++;
  }

  refund(voter: number, at: number): void {
    const log = this.logs[voter];
    if (log === undefined) return;
    const { times } = log;
    const hi = upperBound(times, log.head, at);
    const lo = lowerBound(times, log.head, at);
    const dead = log.refunded.get(at) ?? 0;
    if (hi - lo <= dead) return;
    log.refunded.set(at, dead + 1);
    log.live--;
  }

  /** Voters with live charges (times with multiplicity), for snapshots. */
  export(): [number, number[]][] {
    const out: [number, number[]][] = [];
    this.logs.forEach((log, voter) => {
      if (log === undefined || log.live === 0) return;
      const skip = new Map(log.refunded);
      const times: number[] = [];
      for (let i = log.head; i < log.times.length; i++) {
        const t = log.times[i];
        const d = skip.get(t) ?? 0;
        if (d > 0) skip.set(t, d - 1);
        else times.push(t);
      }
      out.push([voter, times]);
    });
    return out;
  }

  import(voter: number, times: number[]): void {
    const sorted = [...times].sort((a, b) => a - b);
    this.logs[voter] = { times: sorted, head: 0, live: sorted.length, refunded: new Map<number, number>() };
  }
}

/** First index in [from, a.length) whose value is >= v. */
function lowerBound(a: number[], from: number, v: number): number {
  let lo = from;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index in [from, a.length) whose value is > v. */
function upperBound(a: number[], from: number, v: number): number {
  let lo = from;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
