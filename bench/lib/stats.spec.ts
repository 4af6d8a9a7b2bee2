import { LatencySamples, median, ratio } from './stats.js';

describe('LatencySamples', () => {
  it('gives nearest-rank percentiles over unsorted input', () => {
    const samples = new LatencySamples();
    for (const v of [5, 1, 4, 2, 3, 10, 9, 8, 7, 6]) samples.push(v);
    expect(samples.count).toBe(10);
    expect(samples.percentile(50)).toBe(5);
    expect(samples.percentile(90)).toBe(9);
    expect(samples.percentile(99)).toBe(10);
    expect(samples.percentile(0)).toBe(1);
    expect(samples.percentile(100)).toBe(10);
  });

  it('keeps sub-millisecond values and grows past its first buffer', () => {
    const samples = new LatencySamples();
    const n = 200_000;
    for (let i = n; i >= 1; i--) samples.push(i / 1000);
    expect(samples.count).toBe(n);
    expect(samples.percentile(50)).toBeCloseTo(100, 6);
    expect(samples.percentile(99)).toBeCloseTo(198, 6);
    samples.push(0.001 / 2);
    expect(samples.percentile(0)).toBeCloseTo(0.0005, 9);
  });

  it('pools samples of several runs', () => {
    const a = new LatencySamples();
    const b = new LatencySamples();
    [1, 2, 3].forEach((v) => a.push(v));
    [10, 20].forEach((v) => b.push(v));
    const pooled = new LatencySamples();
    pooled.pushAll(a);
    pooled.pushAll(b);
    expect(pooled.count).toBe(5);
    expect(pooled.percentile(50)).toBe(3);
    expect(pooled.percentile(100)).toBe(20);
  });

  it('is NaN when empty', () => {
    expect(new LatencySamples().percentile(50)).toBeNaN();
  });
});

describe('median and ratio', () => {
  it('computes medians of odd and even lists', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });

  it('divides by the baseline and refuses a zero baseline', () => {
    expect(ratio(30, 60)).toBe(0.5);
    expect(ratio(1, 0)).toBeNaN();
    expect(ratio(1, Number.NaN)).toBeNaN();
  });
});
