/**
 * Exact latency percentiles from every recorded response. autocannon's own histogram has a 1 ms
 * resolution, too coarse for sub-millisecond medians, so the runner records raw response times.
 */
export class LatencySamples {
  private values = new Float64Array(1 << 16);
  private length = 0;
  private sorted = true;

  get count(): number {
    return this.length;
  }

  push(ms: number): void {
    if (this.length === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.length++] = ms;
    this.sorted = false;
  }

  pushAll(other: LatencySamples): void {
    for (let i = 0; i < other.length; i++) this.push(other.values[i]);
  }

  /** Nearest-rank percentile (p in 0..100); NaN when empty. */
  percentile(p: number): number {
    if (this.length === 0) return Number.NaN;
    if (!this.sorted) {
      this.values.subarray(0, this.length).sort();
      this.sorted = true;
    }
    const rank = Math.ceil((Math.min(Math.max(p, 0), 100) / 100) * this.length);
    return this.values[Math.max(rank, 1) - 1];
  }
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Candidate over baseline; NaN when the baseline is zero or missing. */
export function ratio(candidate: number, baseline: number): number {
  return baseline > 0 && Number.isFinite(baseline) ? candidate / baseline : Number.NaN;
}
