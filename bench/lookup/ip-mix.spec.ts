import { lookupMix, scoredIpv4 } from './ip-mix.js';

describe('bench lookup mix', () => {
  it('maps indexes to distinct addresses, matching the SQL formula', () => {
    const seen = new Set<number>();
    for (let i = 0; i < 100_000; i++) seen.add(scoredIpv4(i));
    expect(seen.size).toBe(100_000);
    expect(scoredIpv4(3)).toBe(Number((3n * 2654435761n) % 4294967296n));
  });

  it('mixes listed, unlisted, unscored and IPv6 targets deterministically', () => {
    const a = lookupMix(10_000, 1_000_000, 50_000);
    expect(a.ips).toEqual(lookupMix(10_000, 1_000_000, 50_000).ips);
    expect(a.counts.listed).toBeGreaterThan(1_000);
    expect(a.counts.scoredUnlisted).toBeGreaterThan(2_500);
    expect(a.counts.unscored).toBeGreaterThan(4_000);
    expect(a.counts.ipv6).toBeGreaterThan(300);
  });
});
