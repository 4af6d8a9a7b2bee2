import {
  cidrContains,
  cidrCovers,
  cidrRange,
  cidrSize,
  cidrV4,
  cidrV6,
  hostCidr,
  parseCidr,
  parseCidrOrIp,
  type ParsedCidr,
} from './cidr.js';
import { parseIp } from './ip-address.js';

function cidr(text: string): ParsedCidr {
  const c = parseCidr(text);
  if (c === null) throw new Error(`bad cidr ${text}`);
  return c;
}

const ip = (text: string) => {
  const p = parseIp(text);
  if (p === null) throw new Error(`bad ip ${text}`);
  return p;
};

describe('parseCidr', () => {
  it.each([
    ['10.0.0.0/8', '10.0.0.0/8', true],
    ['10.1.2.3/8', '10.0.0.0/8', false],
    ['0.0.0.0/0', '0.0.0.0/0', true],
    ['1.2.3.4/0', '0.0.0.0/0', false],
    ['203.0.113.7/32', '203.0.113.7/32', true],
    ['192.0.2.128/25', '192.0.2.128/25', true],
    ['192.0.2.129/25', '192.0.2.128/25', false],
    ['2001:DB8::/32', '2001:db8::/32', true],
    ['2001:db8::1/32', '2001:db8::/32', false],
    ['2001:db8:0:0:8000::/65', '2001:db8:0:0:8000::/65', true],
    ['2001:db8::c000:0/66', '2001:db8::/66', false],
    ['::/0', '::/0', true],
    ['::1/128', '::1/128', true],
    ['::ffff:10.0.0.0/104', '10.0.0.0/8', true],
    ['::ffff:0:0/96', '0.0.0.0/0', true],
    ['::ffff:0:0/95', '::fffe:0:0/95', false],
  ])('%s -> %s (canonical: %s)', (input, text, canonical) => {
    const c = cidr(input);
    expect(c.text).toBe(text);
    expect(c.isCanonical).toBe(canonical);
    expect(cidr(text)).toEqual({ ...c, isCanonical: true });
  });

  it.each([
    '', '10.0.0.0', '10.0.0.0/', '/8', '10.0.0.0/33', '10.0.0.0/08', '10.0.0.0/-1', '10.0.0.0/8/8', '10.0.0/8',
    '010.0.0.0/8', '10.0.0.0 /8', '10.0.0.0/ 8', '::/129', '::/0128', '[::]/0', 'fe80::/10%eth0', '::1%1/128',
    '2001:db8::/1x', '10.0.0.0/1000',
  ])('rejects %j', (input) => {
    expect(parseCidr(input)).toBeNull();
  });

  it('gives the first and last address', () => {
    expect(cidrRange(cidr('192.0.2.0/24') as Extract<ParsedCidr, { version: 4 }>)).toEqual([0xc0000200, 0xc00002ff]);
    expect(cidrRange(cidr('0.0.0.0/0'))).toEqual([0, 0xffffffff]);
    expect(cidrRange(cidr('2001:db8::/32'))).toEqual([
      0x20010db8000000000000000000000000n,
      0x20010db8ffffffffffffffffffffffffn,
    ]);
    expect(cidrRange(cidr('2001:db8::/96'))).toEqual([0x20010db8000000000000000000000000n, 0x20010db80000000000000000ffffffffn]);
    expect(cidrRange(cidr('::/0'))).toEqual([0n, (1n << 128n) - 1n]);
    expect(cidrSize(cidr('10.0.0.0/8'))).toBe(1n << 24n);
    expect(cidrSize(cidr('2001:db8::/64'))).toBe(1n << 64n);
  });

  it('parseCidrOrIp takes bare addresses as host blocks', () => {
    expect(parseCidrOrIp('1.2.3.4')?.text).toBe('1.2.3.4/32');
    expect(parseCidrOrIp('2001:db8::1')?.text).toBe('2001:db8::1/128');
    expect(parseCidrOrIp('::ffff:1.2.3.4')?.text).toBe('1.2.3.4/32');
    expect(parseCidrOrIp('1.2.3.0/24')?.text).toBe('1.2.3.0/24');
    expect(parseCidrOrIp('nope')).toBeNull();
    expect(hostCidr(ip('2001:db8::7'))).toEqual(cidr('2001:db8::7/128'));
  });

  it('constructors check prefix lengths', () => {
    expect(() => cidrV4(0, 33)).toThrow(RangeError);
    expect(() => cidrV6(0n, 0n, -1)).toThrow(RangeError);
  });
});

describe('cidrContains', () => {
  it.each([
    ['10.0.0.0/8', '10.0.0.0', true],
    ['10.0.0.0/8', '10.255.255.255', true],
    ['10.0.0.0/8', '11.0.0.0', false],
    ['10.0.0.0/8', '9.255.255.255', false],
    ['0.0.0.0/0', '255.255.255.255', true],
    ['1.2.3.4/32', '1.2.3.4', true],
    ['1.2.3.4/32', '1.2.3.5', false],
    ['2001:db8::/32', '2001:db8:ffff:ffff:ffff:ffff:ffff:ffff', true],
    ['2001:db8::/32', '2001:db9::', false],
    ['2001:db8::/32', '2001:db7:ffff::', false],
    ['2001:db8:0:0:8000::/65', '2001:db8::8000:0:0:1', true],
    ['2001:db8:0:0:8000::/65', '2001:db8::7fff:0:0:1', false],
    ['2001:db8::/127', '2001:db8::1', true],
    ['2001:db8::/127', '2001:db8::2', false],
    ['::/0', '::1', true],
    ['::/0', '1.2.3.4', false],
    ['10.0.0.0/8', '::a00:1', false],
    ['::ffff:10.0.0.0/104', '::ffff:10.1.1.1', true],
  ])('%s contains %s: %s', (c, address, expected) => {
    expect(cidrContains(cidr(c), ip(address))).toBe(expected);
  });

  it('cidrCovers tells nesting', () => {
    expect(cidrCovers(cidr('10.0.0.0/8'), cidr('10.1.0.0/16'))).toBe(true);
    expect(cidrCovers(cidr('10.1.0.0/16'), cidr('10.0.0.0/8'))).toBe(false);
    expect(cidrCovers(cidr('10.0.0.0/8'), cidr('11.0.0.0/16'))).toBe(false);
    expect(cidrCovers(cidr('2001:db8::/32'), cidr('2001:db8:1::/48'))).toBe(true);
    expect(cidrCovers(cidr('2001:db8::/32'), cidr('2001:db9::/48'))).toBe(false);
    expect(cidrCovers(cidr('::/0'), cidr('10.0.0.0/8'))).toBe(false);
  });
});
