import { formatIpv4, parseIp } from '../../src/common/ip/ip-address.js';
import { specialPurpose } from '../../src/common/ip/special-purpose.js';

/**
 * The i-th scored IPv4 address of the bench data set: i · 2654435761 mod 2^32 (an odd multiplier,
 * so a bijection of the address space: indexes below the data set size are scored, those above are not).
 */
export function scoredIpv4(i: number): number {
  return Math.imul(i, 2_654_435_761 | 0) >>> 0;
}

/** Same as the SQL of seedScores: the i-th IPv6 /64 (its first address). */
export function scoredIpv6(i: number): string {
  return `2a01:${(4000 + Math.floor(i / 65536)).toString(16)}:${(Math.floor(i / 256) % 256).toString(16)}:${(i % 256).toString(16)}::1`;
}

/** Deterministic xorshift32, so every run asks the same questions. */
export function prng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4_294_967_296;
  };
}

export interface MixCounts {
  listed: number;
  scoredUnlisted: number;
  unscored: number;
  ipv6: number;
}

/**
 * `count` lookup targets: half scored IPv4 addresses (a third of them listed), 45% addresses that are
 * not scored, 5% IPv6 addresses inside scored /64s.
 */
export function lookupMix(count: number, v4Count: number, v6Count: number, seed = 7): { ips: string[]; counts: MixCounts } {
  const random = prng(seed);
  const ips: string[] = [];
  const counts: MixCounts = { listed: 0, scoredUnlisted: 0, unscored: 0, ipv6: 0 };
  for (let n = 0; n < count; n++) {
    const r = random();
    if (r < 0.05 && v6Count > 0) {
      ips.push(scoredIpv6(Math.floor(random() * v6Count)));
      counts.ipv6++;
    } else if (r < 0.55) {
      const i = Math.floor(random() * v4Count);
      // Special-purpose space answers `reserved` without the index or metering: not a real target.
      if (reserved(scoredIpv4(i))) {
        n--;
        continue;
      }
      ips.push(formatIpv4(scoredIpv4(i)));
      if (i % 3 === 0) counts.listed++;
      else counts.scoredUnlisted++;
    } else {
      const value = scoredIpv4(v4Count + Math.floor(random() * v4Count));
      if (reserved(value)) {
        n--;
        continue;
      }
      ips.push(formatIpv4(value));
      counts.unscored++;
    }
  }
  return { ips, counts };
}

function reserved(value: number): boolean {
  return specialPurpose(parseIp(formatIpv4(value))!) !== null;
}
