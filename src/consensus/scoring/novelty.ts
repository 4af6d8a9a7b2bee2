import type { ConsensusParams } from './params.js';

/**
 * Per-voter novelty budget over a rolling window: the times of honeypot-unconfirmed new listings
 * the voter was charged for (and not refunded). A rolling window stops a ring from spending two
 * days' budget around midnight.
 */
export class NoveltyBudget {
  private readonly charges: (number[] | undefined)[] = [];
  /** Voter -> time until which it counts as out of budget (pending a delisting review). */
  readonly suspended = new Map<number, number>();

  constructor(private readonly p: ConsensusParams) {}

  used(voter: number, now: number): number {
    const list = this.charges[voter];
    if (list === undefined) return 0;
    const since = now - this.p.noveltyWindowMs;
    let drop = 0;
    while (drop < list.length && list[drop] <= since) drop++;
    if (drop > 0) list.splice(0, drop);
    return list.length;
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
    const list = (this.charges[voter] ??= []);
    let i = list.length;
    while (i > 0 && list[i - 1] > at) i--;
    list.splice(i, 0, at);
  }

  refund(voter: number, at: number): void {
    const list = this.charges[voter];
    if (list === undefined) return;
    const i = list.lastIndexOf(at);
    if (i >= 0) list.splice(i, 1);
  }

  /** Voters with recorded charges, for snapshots. */
  export(): [number, number[]][] {
    const out: [number, number[]][] = [];
    this.charges.forEach((list, voter) => {
      if (list !== undefined && list.length > 0) out.push([voter, [...list]]);
    });
    return out;
  }

  import(voter: number, times: number[]): void {
    this.charges[voter] = [...times].sort((a, b) => a - b);
  }
}
