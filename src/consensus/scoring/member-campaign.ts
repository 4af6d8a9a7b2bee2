import type { ConsensusParams } from './params.js';

/** Per-family state of the member-evidence campaign watch. */
interface FamilyWatch {
  short: number;
  long: number;
  at: number;
  /** Established voters (owner or collusion root) and their ASNs, with the last time each counted. */
  voters: Map<number, number>;
  asns: Map<number, number>;
  /** Cached verdict for `checkedAt`. */
  checkedAt: number;
  surging: boolean;
}

/**
 * Campaign surges seen through member evidence (docs/consensus.md, "Campaign detection"): many
 * *new* IPs of one scenario family that each pass the add gates on their own (S, D_AS, V, E,
 * before the novelty budget) within minutes, corroborated by many distinct established voters in
 * many ASNs. Voters are collusion-cluster roots, so a ring sharing a list counts once; young
 * sybils never count (they are not established); a ring confined to few ASNs never reaches the
 * ASN floor. Each IP counts once, when it first passes the gates while all its votes are recent.
 */
export class MemberCampaignWatch {
  private readonly fam: (FamilyWatch | undefined)[] = [];
  /** Families whose surge started since the last `takeStarted` call (bit set). */
  private started = 0;

  constructor(private readonly p: ConsensusParams) {}

  private watch(f: number, now: number): FamilyWatch {
    let w = this.fam[f];
    if (w === undefined) {
      w = { short: 0, long: 0, at: now, voters: new Map(), asns: new Map(), checkedAt: -Infinity, surging: false };
      this.fam[f] = w;
    }
    return w;
  }

  private decayTo(w: FamilyWatch, now: number): void {
    const dt = now - w.at;
    if (dt <= 0) return;
    w.short *= Math.exp(-dt / this.p.campaignWindowMs);
    w.long *= Math.exp(-dt / this.p.campaignBaselineMs);
    w.at = now;
  }

  /**
   * A new IP of the families in `familyBits` passed the add gates; `voters[i]` / `asns[i]` for
   * i < n are its established voters and their ASNs.
   */
  corroborated(familyBits: number, voters: ArrayLike<number>, asns: ArrayLike<number>, n: number, now: number): void {
    for (let f = 0; f < 32; f++) {
      if ((familyBits & (1 << f)) === 0) continue;
      const w = this.watch(f, now);
      this.decayTo(w, now);
      w.short += 1;
      w.long += 1;
      for (let i = 0; i < n; i++) {
        w.voters.set(voters[i], now);
        w.asns.set(asns[i], now);
      }
      w.checkedAt = -Infinity;
      const was = w.surging;
      if (!was && this.evaluate(w, now)) this.started |= 1 << f;
    }
  }

  /** Whether any family in `familyBits` is in a member-evidence surge at `now`. */
  surging(familyBits: number, now: number): boolean {
    if (this.p.campaignMinOwners <= 0) return false;
    for (let f = 0; f < 32; f++) {
      if ((familyBits & (1 << f)) === 0) continue;
      const w = this.fam[f];
      if (w !== undefined && this.evaluate(w, now)) return true;
    }
    return false;
  }

  /**
   * Whether a family in `familyBits` shows a burst of new corroborated IPs at the surge rate, at
   * least `campaignWarmNew` of them, whatever the voters behind them: the minutes before a surge is
   * confirmed (or a burst of one ring's own list).
   */
  warming(familyBits: number, now: number): boolean {
    const p = this.p;
    if (p.campaignMinOwners <= 0 || p.campaignWarmNew <= 0) return false;
    for (let f = 0; f < 32; f++) {
      if ((familyBits & (1 << f)) === 0) continue;
      const w = this.fam[f];
      if (w === undefined) continue;
      const dt = Math.max(0, now - w.at);
      const s = w.short * Math.exp(-dt / p.campaignWindowMs);
      const l = w.long * Math.exp(-dt / p.campaignBaselineMs);
      if (s >= p.campaignWarmNew && s / p.campaignWindowMs >= (p.campaignFactor * l) / p.campaignBaselineMs) return true;
    }
    return false;
  }

  /** Family bits whose surge started since the last call. */
  takeStarted(): number {
    const s = this.started;
    this.started = 0;
    return s;
  }

  private evaluate(w: FamilyWatch, now: number): boolean {
    if (w.checkedAt === now) return w.surging;
    const p = this.p;
    const dt = Math.max(0, now - w.at);
    const s = w.short * Math.exp(-dt / p.campaignWindowMs);
    const l = w.long * Math.exp(-dt / p.campaignBaselineMs);
    let surging = s >= p.campaignMinNew && s / p.campaignWindowMs >= (p.campaignFactor * l) / p.campaignBaselineMs;
    if (surging) {
      const since = now - p.campaignWindowMs;
      surging = countSince(w.voters, since) >= p.campaignMinOwners && countSince(w.asns, since) >= p.campaignMinAsns;
    }
    w.checkedAt = now;
    w.surging = surging;
    return surging;
  }

  export(): [number, number, number, number, [number, number][], [number, number][]][] {
    const out: [number, number, number, number, [number, number][], [number, number][]][] = [];
    this.fam.forEach((w, f) => {
      if (w !== undefined) out.push([f, w.short, w.long, w.at, [...w.voters], [...w.asns]]);
    });
    return out;
  }

  import(data: [number, number, number, number, [number, number][], [number, number][]][]): void {
    for (const [f, short, long, at, voters, asns] of data) {
      this.fam[f] = { short, long, at, voters: new Map(voters), asns: new Map(asns), checkedAt: -Infinity, surging: false };
    }
  }
}

/** Entries last seen at or after `since`; older ones are dropped. */
function countSince(m: Map<number, number>, since: number): number {
  let n = 0;
  for (const [k, t] of m) {
    if (t >= since) n++;
    else m.delete(k);
  }
  return n;
}
