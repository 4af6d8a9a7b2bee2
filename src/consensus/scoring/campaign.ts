import type { ConsensusParams } from './params.js';

/**
 * Honeypot-observed campaign surges, per scenario family. Counts IPs that our own sensors see for
 * the first time, in a short and a long exponentially decayed window. A surge is a high short
 * count that is also far above the long-run rate. Reporters cannot fake it: only completed
 * sessions on our sensors count.
 */
export class CampaignWatch {
  private readonly short: number[] = [];
  private readonly long: number[] = [];
  private readonly at: number[] = [];

  constructor(private readonly p: ConsensusParams) {}

  private decayTo(f: number, now: number): void {
    const dt = now - (this.at[f] ?? now);
    if (dt > 0) {
      this.short[f] *= Math.exp(-dt / this.p.campaignWindowMs);
      this.long[f] *= Math.exp(-dt / this.p.campaignBaselineMs);
    }
    this.at[f] = now;
  }

  /** A honeypot saw an IP for the first time, in family bit position `f`. */
  firstSighting(f: number, now: number): void {
    if (this.at[f] === undefined) {
      this.short[f] = 0;
      this.long[f] = 0;
      this.at[f] = now;
    }
    if (now < this.at[f]) now = this.at[f];
    this.decayTo(f, now);
    this.short[f] += 1;
    this.long[f] += 1;
  }

  /** Whether any family in `familyBits` is in a surge at `now`. */
  surging(familyBits: number, now: number): boolean {
    const p = this.p;
    for (let f = 0; f < 32; f++) {
      if ((familyBits & (1 << f)) === 0 || this.at[f] === undefined) continue;
      const dt = Math.max(0, now - this.at[f]);
      const s = this.short[f] * Math.exp(-dt / p.campaignWindowMs);
      const l = this.long[f] * Math.exp(-dt / p.campaignBaselineMs);
      const shortRate = s / p.campaignWindowMs;
      const longRate = l / p.campaignBaselineMs;
      if (s >= p.campaignMinNew && shortRate >= p.campaignFactor * longRate) return true;
    }
    return false;
  }

  export(): { short: number[]; long: number[]; at: number[] } {
    return { short: [...this.short], long: [...this.long], at: [...this.at] };
  }

  import(data: { short: number[]; long: number[]; at: number[] }): void {
    data.at.forEach((t, f) => {
      if (t === null || t === undefined) return;
      this.at[f] = t;
      this.short[f] = data.short[f];
      this.long[f] = data.long[f];
    });
  }
}
