import { cidrContains, cidrV4, cidrV6, type ParsedCidr } from './cidr.js';
import { CidrSet } from './cidr-set.js';
import { ipFromHiLo, ipv4FromValue, parseIp, type ParsedIp } from './ip-address.js';

const ip = (text: string): ParsedIp => {
  const p = parseIp(text);
  if (p === null) throw new Error(`bad ip ${text}`);
  return p;
};

function rng(seed: number): (n: number) => number {
  let s = seed >>> 0;
  return (n) => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) % n;
  };
}

/** Longest-prefix match by brute force; identical blocks: the later wins. */
function naive<T>(entries: [ParsedCidr, T][], address: ParsedIp): T | undefined {
  let best: [ParsedCidr, T] | undefined;
  for (const e of entries) {
    if (cidrContains(e[0], address) && (best === undefined || e[0].prefix >= best[0].prefix)) best = e;
  }
  return best?.[1];
}

describe('CidrSet', () => {
  it('matches the most specific block, whatever the insertion order', () => {
    const entries: [string, string][] = [
      ['10.1.2.0/24', 'c'],
      ['10.0.0.0/8', 'a'],
      ['10.1.0.0/16', 'b'],
      ['10.1.2.3', 'd'],
      ['192.0.2.0/24', 'doc'],
      ['2001:db8::/32', 'v6doc'],
      ['2001:db8:1::/48', 'v6inner'],
      ['::1', 'loop'],
    ];
    for (const order of [entries, [...entries].reverse()]) {
      const set = CidrSet.build(order);
      expect(set.match(ip('10.0.0.1'))).toBe('a');
      expect(set.match(ip('10.9.9.9'))).toBe('a');
      expect(set.match(ip('10.1.0.5'))).toBe('b');
      expect(set.match(ip('10.1.9.9'))).toBe('b');
      expect(set.match(ip('10.1.2.9'))).toBe('c');
      expect(set.match(ip('10.1.2.3'))).toBe('d');
      expect(set.match(ip('10.1.2.4'))).toBe('c');
      expect(set.match(ip('10.1.3.0'))).toBe('b');
      expect(set.match(ip('10.2.0.0'))).toBe('a');
      expect(set.match(ip('11.0.0.0'))).toBeUndefined();
      expect(set.match(ip('9.255.255.255'))).toBeUndefined();
      expect(set.match(ip('2001:db8:2::1'))).toBe('v6doc');
      expect(set.match(ip('2001:db8:1:ffff::1'))).toBe('v6inner');
      expect(set.match(ip('2001:db9::'))).toBeUndefined();
      expect(set.match(ip('::1'))).toBe('loop');
      expect(set.match(ip('::2'))).toBeUndefined();
      expect(set.has(ip('192.0.2.255'))).toBe(true);
      expect(set.has(ip('192.0.3.0'))).toBe(false);
      expect(set.size).toBe(8);
    }
  });

  it('lets a later identical block replace an earlier one', () => {
    const set = CidrSet.build([['10.0.0.0/8', 1], ['10.0.0.0/8', 2], ['10.0.0.0/24', 3], ['10.0.0.0/24', 4]]);
    expect(set.match(ip('10.1.0.0'))).toBe(2);
    expect(set.match(ip('10.0.0.1'))).toBe(4);
  });

  it('handles the ends of both address spaces', () => {
    const set = CidrSet.build([
      ['0.0.0.0/0', 'all4'],
      ['255.255.255.255/32', 'top4'],
      ['0.0.0.0/32', 'bottom4'],
      ['::/0', 'all6'],
      ['ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128', 'top6'],
      ['::/128', 'bottom6'],
    ]);
    expect(set.match(ip('255.255.255.255'))).toBe('top4');
    expect(set.match(ip('255.255.255.254'))).toBe('all4');
    expect(set.match(ip('0.0.0.0'))).toBe('bottom4');
    expect(set.match(ip('0.0.0.1'))).toBe('all4');
    expect(set.match(ip('ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'))).toBe('top6');
    expect(set.match(ip('ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe'))).toBe('all6');
    expect(set.match(ip('::'))).toBe('bottom6');
    expect(set.match(ip('8000::'))).toBe('all6');
    expect(set.rangeCounts).toEqual({ v4: 3, v6: 3 });
  });

  it('merges adjacent ranges that carry the same value', () => {
    const set = CidrSet.fromCidrs(['10.0.0.0/9', '10.128.0.0/9', '10.0.0.0/8', '11.0.0.0/8', '2001:db8::/33', '2001:db8:8000::/33']);
    expect(set.rangeCounts).toEqual({ v4: 1, v6: 1 });
    expect(set.match(ip('11.255.255.255'))).toBe(true);
    expect(set.match(ip('2001:db8:ffff::'))).toBe(true);
  });

  it('rejects invalid entries unless asked to skip them', () => {
    expect(() => CidrSet.fromCidrs(['10.0.0.0/8', 'bogus'])).toThrow('invalid CIDR');
    const skipped: string[] = [];
    const set = CidrSet.fromCidrs(['10.0.0.0/8', 'bogus', '1.2.3.4/33'], (s) => skipped.push(s));
    expect(skipped).toEqual(['bogus', '1.2.3.4/33']);
    expect(set.size).toBe(1);
  });

  it('an empty set matches nothing', () => {
    const set = CidrSet.fromCidrs([]);
    expect(set.match(ip('1.1.1.1'))).toBeUndefined();
    expect(set.match(ip('2001:db8::1'))).toBeUndefined();
  });

  it('agrees with a brute-force longest-prefix match on random nested IPv4 blocks', () => {
    const r = rng(7);
    const entries: [ParsedCidr, number][] = [];
    for (let i = 0; i < 600; i++) {
      // a narrow top range so that blocks nest and collide often
      const addr = ((0x0a000000 + r(1 << 20)) >>> 0);
      entries.push([cidrV4(addr, 8 + r(25)), r(5)]);
    }
    const set = CidrSet.build(entries);
    for (let i = 0; i < 4000; i++) {
      const address = ipv4FromValue((0x09ff0000 + r(1 << 25)) >>> 0);
      expect([address.text, set.match(address)]).toEqual([address.text, naive(entries, address)]);
    }
  });

  it('agrees with a brute-force longest-prefix match on random nested IPv6 blocks', () => {
    const r = rng(11);
    const entries: [ParsedCidr, number][] = [];
    const hiOf = () => 0x20010db800000000n | (BigInt(r(16)) << 24n) | BigInt(r(4));
    for (let i = 0; i < 400; i++) {
      entries.push([cidrV6(hiOf(), BigInt(r(1 << 20)) << 40n, 28 + r(101)), r(7)]);
    }
    const set = CidrSet.build(entries);
    for (let i = 0; i < 3000; i++) {
      const address = ipFromHiLo(hiOf(), (BigInt(r(1 << 20)) << 40n) | BigInt(r(1000)));
      expect([address.text, set.match(address)]).toEqual([address.text, naive(entries, address)]);
    }
  });

  it('builds from 150k entries quickly and answers correctly', () => {
    const r = rng(99);
    const entries: [string, number][] = [];
    const lastValue = new Map<string, number>();
    const probes: [ParsedIp, string][] = [];
    for (let i = 0; i < 120_000; i++) {
      const base = (r(1 << 24) << 8) >>> 0;
      const text = `${ipv4FromValue(base).text}/24`;
      entries.push([text, i]);
      lastValue.set(text, i); // random /24s repeat: the last one wins
      if (i % 1000 === 0) probes.push([ipv4FromValue(base + 17), text]);
    }
    for (let i = 0; i < 30_000; i++) entries.push([cidrV6(0x2a000000_00000000n | (BigInt(i) << 16n), 0n, 48).text, i]);
    // CPU time of this process, not wall-clock time: other processes on a busy machine stretch the latter.
    const t0 = process.cpuUsage();
    const set = CidrSet.build(entries);
    const used = process.cpuUsage(t0);
    expect((used.user + used.system) / 1000).toBeLessThan(3000);
    expect(set.size).toBe(150_000);
    for (const [address, block] of probes) expect(set.match(address)).toBe(lastValue.get(block));
    expect(set.match(ipFromHiLo(0x2a000000_12340000n, 99n))).toBe(0x1234);
    expect(set.match(ipFromHiLo(0x2a000000_00000000n | (30_000n << 16n), 0n))).toBeUndefined();
  });
});
