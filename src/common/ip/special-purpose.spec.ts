import { parseIp, type ParsedIp } from './ip-address.js';
import {
  NOT_APPLICABLE_DECISIONS,
  SpecialPurposeTable,
  specialPurpose,
  specialPurposeEntry,
  type SpecialPurposeData,
} from './special-purpose.js';

const ip = (text: string): ParsedIp => {
  const p = parseIp(text);
  if (p === null) throw new Error(`bad ip ${text}`);
  return p;
};

describe('specialPurpose (repository data)', () => {
  it.each([
    ['0.1.2.3', '0.0.0.0/8'],
    ['0.0.0.0', '0.0.0.0/32'],
    ['10.20.30.40', '10.0.0.0/8'],
    ['100.64.0.1', '100.64.0.0/10'],
    ['100.127.255.255', '100.64.0.0/10'],
    ['127.0.0.1', '127.0.0.0/8'],
    ['169.254.169.254', '169.254.0.0/16'],
    ['172.31.255.255', '172.16.0.0/12'],
    ['192.0.0.1', '192.0.0.0/29'],
    ['192.0.0.8', '192.0.0.8/32'],
    ['192.0.0.100', '192.0.0.0/24'],
    ['192.0.0.170', '192.0.0.170/32'],
    ['192.0.2.1', '192.0.2.0/24'],
    ['192.88.99.1', '192.88.99.0/24'],
    ['192.88.99.2', '192.88.99.2/32'],
    ['192.168.1.1', '192.168.0.0/16'],
    ['198.18.0.1', '198.18.0.0/15'],
    ['198.19.255.255', '198.18.0.0/15'],
    ['198.51.100.7', '198.51.100.0/24'],
    ['203.0.113.7', '203.0.113.0/24'],
    ['224.0.0.1', '224.0.0.0/4'],
    ['239.255.255.250', '224.0.0.0/4'],
    ['240.0.0.1', '240.0.0.0/4'],
    ['255.255.255.255', '255.255.255.255/32'],
    ['::ffff:10.0.0.1', '10.0.0.0/8'],
    ['::', '::/128'],
    ['::1', '::1/128'],
    ['::2', '::/8'],
    ['::1.2.3.4', '::/8'],
    ['64:ff9b:1::1', '64:ff9b:1::/48'],
    ['100::1', '100::/64'],
    ['100:0:0:1::1', '100:0:0:1::/64'],
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', '2001::/32'],
    ['2001:2::1', '2001:2::/48'],
    ['2001:5::1', '2001::/23'],
    ['2001:10::1', '2001:10::/28'],
    ['2001:db8::1', '2001:db8::/32'],
    ['3fff::1', '3fff::/20'],
    ['5f00::1', '5f00::/16'],
    ['fc00::1', 'fc00::/7'],
    ['fd12:3456::1', 'fc00::/7'],
    ['fe80::1', 'fe80::/10'],
    ['fec0::1', 'fec0::/10'],
    ['ff02::1', 'ff00::/8'],
    ['4000::1', '4000::/3'],
    ['e000::1', 'e000::/4'],
    ['2002:a00:1::1', '2002:a00::/24'],
    ['2002:c0a8:101::1', '2002:c0a8::/32'],
    ['2002:e000:1::', '2002:e000::/20'],
    ['64:ff9b::10.1.2.3', '64:ff9b::a00:0/104'],
    ['64:ff9b::127.0.0.1', '64:ff9b::7f00:0/104'],
  ])('%s is blocked by %s', (address, cidr) => {
    expect(specialPurpose(ip(address))?.cidr).toBe(cidr);
  });

  it.each([
    '1.1.1.1', '8.8.8.8', '100.63.255.255', '100.128.0.0', '172.15.255.255', '172.32.0.0', '192.0.1.255',
    '192.0.3.0', '192.88.98.255', '192.88.100.0', '192.167.255.255', '192.169.0.0', '198.17.255.255',
    '198.20.0.0', '203.0.112.255', '203.0.114.0', '223.255.255.255', '11.0.0.1',
    '2001:4860:4860::8888', '2606:4700::1111', '2a00:1450::1', '2c0f::1', '2001:200::1', '3ffe::1',
    '2002:808:808::1', '64:ff9b::8.8.8.8',
  ])('%s may be listed', (address) => {
    expect(specialPurpose(ip(address))).toBeNull();
  });

  it.each([
    ['192.0.0.9', 'Port Control Protocol Anycast'],
    ['192.0.0.10', 'Traversal Using Relays around NAT Anycast'],
    ['192.31.196.1', 'AS112-v4'],
    ['192.52.193.1', 'AMT'],
    ['192.175.48.1', 'Direct Delegation AS112 Service'],
    ['2001:1::1', 'Port Control Protocol Anycast'],
    ['2001:1::3', 'DNS-SD Service Registration Protocol Anycast'],
    ['2001:3::1', 'AMT'],
    ['2001:4:112::1', 'AS112-v6'],
    ['2001:20::1', 'ORCHIDv2'],
    ['2001:30::1', 'Drone Remote ID Protocol Entity Tags (DETs) Prefix'],
    ['2620:4f:8000::1', 'Direct Delegation AS112 Service'],
    ['64:ff9b::1.1.1.1', 'IPv4-IPv6 Translat.'],
    ['2002:101:101::1', '6to4'],
  ])('%s sits in the globally reachable block %s: reported, but not blocking', (address, name) => {
    const entry = specialPurposeEntry(ip(address));
    expect(entry?.name).toBe(name);
    expect(entry?.blocksListing).toBe(false);
    expect(specialPurpose(ip(address))).toBeNull();
  });

  it('carries name, RFC and flags', () => {
    expect(specialPurpose(ip('10.0.0.1'))).toEqual({
      cidr: '10.0.0.0/8',
      name: 'Private-Use',
      rfc: '[RFC1918]',
      source: 'iana-ipv4-special',
      globallyReachable: false,
      blocksListing: true,
    });
    expect(specialPurpose(ip('2002:a00::1'))).toMatchObject({
      name: '6to4 embedding of Private-Use (10.0.0.0/8)',
      source: 'derived-6to4',
    });
    expect(specialPurpose(ip('192.88.99.1'))).toMatchObject({ globallyReachable: null, blocksListing: true });
    expect(specialPurposeEntry(ip('8.8.8.8'))).toBeNull();
  });
});

describe('SpecialPurposeTable.fromData', () => {
  const data = (rows: Partial<SpecialPurposeData['ipv6']['entries'][number]>[]): SpecialPurposeData => ({
    ipv4: { entries: [] },
    ipv6: {
      entries: rows.map((r) => ({ cidr: '2001:db8::/32', name: 'x', rfc: '[RFC0]', terminationDate: null, globallyReachable: null, ...r })),
    },
    extra: { entries: [] },
  });

  it('fails closed on an N/A row that has no recorded decision', () => {
    const table = SpecialPurposeTable.fromData(data([{ cidr: '2001:db8::/32', globallyReachable: null }]));
    expect(table.blocking(ip('2001:db8::1'))?.cidr).toBe('2001:db8::/32');
  });

  it('blocks terminated rows even when they say globally reachable', () => {
    const table = SpecialPurposeTable.fromData(data([{ terminationDate: '2020-01', globallyReachable: true }]));
    expect(table.blocking(ip('2001:db8::1'))).not.toBeNull();
  });

  it('follows the registry flag otherwise', () => {
    const table = SpecialPurposeTable.fromData(data([{ globallyReachable: true }]));
    expect(table.blocking(ip('2001:db8::1'))).toBeNull();
    expect(table.entry(ip('2001:db8::1'))?.blocksListing).toBe(false);
  });

  it('has a decision for every N/A row of the repository data', () => {
    const rows = SpecialPurposeTable.fromFile().entries.filter((e) => e.source.startsWith('iana-') && e.globallyReachable === null);
    expect(rows.map((e) => e.cidr).sort()).toEqual(Object.keys(NOT_APPLICABLE_DECISIONS).sort());
  });

  it('rejects malformed CIDRs in the data', () => {
    expect(() => SpecialPurposeTable.fromData(data([{ cidr: '2001:db8::/333' }]))).toThrow('bad CIDR');
  });
});
