import { parseCidr } from '../../common/ip/cidr.js';
import { parseIp } from '../../common/ip/ip-address.js';
import { IndexBuilder } from './index-builder.js';
import { IpScoreIndex, parseIndexKey } from './ip-score-index.js';
import { sortedOrder } from './radix-sort.js';
import { SCENARIO_SEPARATOR, type ScoreRow } from './score-columns.js';

const NOW = 1_800_000_000;

function row(ipKey: string, overrides: Partial<ScoreRow> = {}): ScoreRow {
  return {
    ipKey,
    score: 4,
    reporters: 4,
    established: 3,
    asns: 3,
    scenarios: ['ssh-bf', 'http-probing'].join(SCENARIO_SEPARATOR),
    firstSeen: NOW - 3600,
    lastSeen: NOW - 60,
    listed: true,
    listedUntil: NOW + 86_400,
    honeypot: false,
    version: 1,
    ...overrides,
  };
}

function ip(text: string) {
  const parsed = parseIp(text);
  if (!parsed) throw new Error(text);
  return parsed;
}

function cidr(text: string) {
  const parsed = parseCidr(text);
  if (!parsed) throw new Error(text);
  return parsed;
}

function build(rows: ScoreRow[], version = 1): IpScoreIndex {
  const builder = new IndexBuilder();
  rows.forEach((r) => builder.add(r));
  return builder.build(version);
}

describe('radix sortedOrder', () => {
  it('orders uint32 keys like a comparator sort, stably', () => {
    const keys = Uint32Array.from([0xffffffff, 5, 70_000, 5, 0, 0x80000000, 65_536]);
    const order = sortedOrder(keys);
    expect(Array.from(order, (i) => keys[i])).toEqual([0, 5, 5, 65_536, 70_000, 0x80000000, 0xffffffff]);
    expect(order[1]).toBe(1);
    expect(order[2]).toBe(3);
  });
});

describe('parseIndexKey', () => {
  it('reads IPv4 keys and IPv6 /64 keys, and rejects the rest', () => {
    expect(parseIndexKey('203.0.113.7')).toEqual({ v: 4, key: 0xcb007107 });
    expect(parseIndexKey('2001:db8:1:2::/64')).toEqual({ v: 6, key: 0x20010db800010002n });
    expect(parseIndexKey('2001:db8::/48')).toBeNull();
    expect(parseIndexKey('nonsense')).toBeNull();
  });
});

describe('IpScoreIndex', () => {
  it('finds IPv4 rows loaded in any order, with encoded fields', () => {
    const index = build([row('198.51.100.9', { score: 0.5, listed: false, reporters: 1, established: 0, asns: 1 }), row('203.0.113.7'), row('1.2.3.4')]);
    expect(index.size).toBe(3);
    const hit = index.lookup(ip('203.0.113.7'), NOW);
    expect(hit).toEqual(
      expect.objectContaining({ score: 74, listed: true, listedUntil: NOW + 86_400, reporterBucket: 2, confidence: 3, scenarios: ['ssh-bf', 'http-probing'] }),
    );
    expect(index.lookup(ip('198.51.100.9'), NOW)).toEqual(expect.objectContaining({ score: 15, listed: false, reporterBucket: 1, confidence: 1 }));
    expect(index.lookup(ip('203.0.113.8'), NOW)).toBeNull();
    expect(index.lookup(ip('0.0.0.0'), NOW)).toBeNull();
    expect(index.lookup(ip('255.255.255.255'), NOW)).toBeNull();
  });

  it('treats a listing past listed_until as not listed', () => {
    const index = build([row('203.0.113.7', { listedUntil: NOW - 1 })]);
    expect(index.lookup(ip('203.0.113.7'), NOW)?.listed).toBe(false);
  });

  it('answers any address of an IPv6 /64 with the /64 row, and IPv4-mapped input as IPv4', () => {
    const index = build([row('2001:db8:1:2::/64', { score: 9 }), row('192.0.2.1')]);
    expect(index.lookup(ip('2001:db8:1:2:abcd::1'), NOW)?.score).toBe(95);
    expect(index.lookup(ip('2001:db8:1:3::1'), NOW)).toBeNull();
    expect(index.lookup(ip('::ffff:192.0.2.1'), NOW)).not.toBeNull();
  });

  it('applies changed rows over the base, then compacts without changing answers', () => {
    const index = build([row('10.0.0.1', { score: 1 }), row('10.0.0.3', { score: 1 }), row('2001:db8::/64', { score: 1 })]);
    index.apply([row('10.0.0.3', { score: 9, version: 2 }), row('10.0.0.2', { score: 2, version: 2 }), row('2001:db8:0:1::/64', { version: 2 }), row('bad-key')]);
    const before = ['10.0.0.1', '10.0.0.2', '10.0.0.3', '2001:db8::5', '2001:db8:0:1::5'].map((t) => index.lookup(ip(t), NOW));
    expect(index.size).toBe(5);
    expect(before.map((f) => f?.score)).toEqual([28, 49, 95, 28, 74]);
    index.v4.compact();
    index.v6.compact();
    expect(index.v4.deltaSize).toBe(0);
    const after = ['10.0.0.1', '10.0.0.2', '10.0.0.3', '2001:db8::5', '2001:db8:0:1::5'].map((t) => index.lookup(ip(t), NOW));
    expect(after).toEqual(before);
    expect(index.size).toBe(5);
  });

  it('scans a range in address order, merging base and delta rows', () => {
    const index = build([row('203.0.113.1'), row('203.0.113.200', { listed: false, score: 0.2 }), row('203.0.114.1'), row('203.0.112.255')]);
    index.apply([row('203.0.113.50', { version: 3 }), row('203.0.113.200', { score: 6, version: 3 })]);
    const seen: Array<[string, number]> = [];
    index.scanRange(cidr('203.0.113.0/24'), NOW, (key, f) => {
      seen.push([key, f.score]);
    });
    expect(seen).toEqual([
      ['203.0.113.1', 74],
      ['203.0.113.50', 74],
      ['203.0.113.200', 86],
    ]);
    expect(index.summarize(cidr('203.0.113.0/24'), NOW)).toEqual({ scored: 3, listed: 3, maxScore: 86 });
    expect(index.summarize(cidr('203.0.0.0/16'), NOW).scored).toBe(5);
  });

  it('scans IPv6 blocks by /64 keys', () => {
    const index = build([row('2001:db8:1:1::/64'), row('2001:db8:1:2::/64', { listed: false }), row('2001:db8:2::/64')]);
    index.apply([row('2001:db8:1:ffff::/64', { version: 2 })]);
    const keys: string[] = [];
    index.scanRange(cidr('2001:db8:1::/48'), NOW, (key) => {
      keys.push(key);
    });
    expect(keys).toEqual(['2001:db8:1:1::/64', '2001:db8:1:2::/64', '2001:db8:1:ffff::/64']);
    expect(index.summarize(cidr('2001:db8:1:2::/64'), NOW)).toEqual({ scored: 1, listed: 0, maxScore: 74 });
    expect(index.summarize(cidr('2001:db8:1:2::/80'), NOW).scored).toBe(1);
  });

  it('stays within 30 bytes per scored IPv4 address for large tables', () => {
    const builder = new IndexBuilder();
    for (let i = 0; i < 200_000; i++) builder.add(row(`${(i * 7919) >>> 16 & 255}.${(i >>> 8) & 255}.${i & 255}.${(i * 13) & 255}`));
    const index = builder.build(1);
    expect(index.v4.byteLength / index.v4.size).toBeLessThan(30);
  });
});
