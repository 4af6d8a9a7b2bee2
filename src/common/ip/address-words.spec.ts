import ipaddr from 'ipaddr.js';
import { isIP } from 'node:net';
import { compareAddresses, parseAddress, type ParsedAddress } from './address-words.js';

function words(a: ParsedAddress): number[] {
  return [a.w0, a.w1, a.w2, a.w3];
}

/** Reference: the network's 16 bytes (IPv4 in the last 4) computed with ipaddr.js. */
function referenceWords(text: string): { family: 4 | 6; words: number[]; prefix: number } {
  const [addr, prefix] = text.includes('/') ? ipaddr.parseCIDR(text) : [ipaddr.parse(text), -1];
  const family = addr.kind() === 'ipv4' ? 4 : 6;
  const bits = prefix < 0 ? (family === 4 ? 32 : 128) : prefix;
  const net =
    prefix < 0 ? addr : family === 4 ? ipaddr.IPv4.networkAddressFromCIDR(text) : ipaddr.IPv6.networkAddressFromCIDR(text);
  const bytes = [...(family === 4 ? new Array<number>(12).fill(0) : []), ...net.toByteArray()];
  const out: number[] = [];
  for (let i = 0; i < 16; i += 4) out.push(((bytes[i] << 24) | (bytes[i + 1] << 16) | (bytes[i + 2] << 8) | bytes[i + 3]) >>> 0);
  return { family, words: out, prefix: bits };
}

describe('parseAddress', () => {
  it.each([
    ['192.0.2.1', 4, [0, 0, 0, 0xc0000201], 32],
    ['0.0.0.0', 4, [0, 0, 0, 0], 32],
    ['255.255.255.255', 4, [0, 0, 0, 0xffffffff], 32],
    ['198.51.100.0/24', 4, [0, 0, 0, 0xc6336400], 24],
    ['10.0.0.5/24', 4, [0, 0, 0, 0x0a000000], 24],
    ['128.0.0.1/1', 4, [0, 0, 0, 0x80000000], 1],
    ['2001:db8::1', 6, [0x20010db8, 0, 0, 1], 128],
    ['2001:db8:1:2::/64', 6, [0x20010db8, 0x00010002, 0, 0], 64],
    ['2001:db8:1:2:3:4:5:6/64', 6, [0x20010db8, 0x00010002, 0, 0], 64],
    ['::', 6, [0, 0, 0, 0], 128],
    ['::1', 6, [0, 0, 0, 1], 128],
    ['1::', 6, [0x00010000, 0, 0, 0], 128],
    ['1:2:3:4:5:6:7::', 6, [0x00010002, 0x00030004, 0x00050006, 0x00070000], 128],
    ['::ffff:192.0.2.1', 6, [0, 0, 0xffff, 0xc0000201], 128],
    ['64:ff9b::198.51.100.7', 6, [0x0064ff9b, 0, 0, 0xc6336407], 128],
    ['FE80::ABCD', 6, [0xfe800000, 0, 0, 0xabcd], 128],
    ['2001:db8::/33', 6, [0x20010db8, 0, 0, 0], 33],
    ['2001:db9:ffff::/31', 6, [0x20010db8, 0, 0, 0], 31],
  ])('parses %s', (text, family, expected, prefix) => {
    const parsed = parseAddress(text);
    expect(parsed).not.toBeNull();
    expect(parsed!.family).toBe(family);
    expect(words(parsed!)).toEqual(expected);
    expect(parsed!.prefix).toBe(prefix);
  });

  it.each([
    '', '1.2.3', '1.2.3.4.5', '256.1.1.1', '01.2.3.4', '1.2.3.04', '1..2.3', '.1.2.3', '1.2.3.4.',
    ' 1.2.3.4', '1.2.3.4 ', '1.2.3.4\n', '1.2.3.4/0', '1.2.3.4/33', '1.2.3.4/024', '1.2.3.4/', '/24',
    '1.2.3.4/2a', 'a.b.c.d', '::/0', '2001:db8::/129', '2001:db8::/', 'fe80::1%eth0', ':::', '1:::2',
    '1::2::3', ':1:2:3:4:5:6:7', '1:2:3:4:5:6:7:', '1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7', '12345::',
    'g::1', '::ffff:1.2.3', '::ffff:1.2.3.256', '1:2:3:4:5:6:7:1.2.3.4', '1.2.3.4::', '1:2:3:4:5:6:7:8::',
    '1.2.3.4; flush ruleset', '192.0.2.1 timeout 0', 'x',
  ])('rejects %j', (text) => {
    expect(parseAddress(text)).toBeNull();
  });

  it('agrees with ipaddr.js and node:net on random addresses and networks', () => {
    let seed = 7;
    const next = (): number => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0);
    for (let n = 0; n < 1500; n++) {
      let text: string;
      if (n % 2 === 0) {
        text = [next() & 255, next() & 255, next() & 255, next() & 255].join('.');
        if (n % 4 === 0) text += `/${1 + (next() % 32)}`;
      } else {
        const groups = Array.from({ length: 8 }, () => (next() % 3 === 0 ? '0' : (next() & 0xffff).toString(16)));
        text = groups.join(':');
        const zeroRun = text.match(/(^|:)0(:0)+(:|$)/);
        if (zeroRun && next() % 2 === 0) text = text.replace(zeroRun[0], '::');
        if (n % 3 === 0) text += `/${1 + (next() % 128)}`;
      }
      const base = text.split('/')[0];
      expect(isIP(base)).not.toBe(0);
      const parsed = parseAddress(text);
      expect(parsed).not.toBeNull();
      const ref = referenceWords(text);
      expect({ family: parsed!.family, words: words(parsed!), prefix: parsed!.prefix }).toEqual(ref);
    }
  });
});

describe('compareAddresses', () => {
  it('orders IPv4 before IPv6, then by address, then shorter prefix first', () => {
    const texts = ['2001:db8::1', '10.0.0.1', '9.255.255.255', '10.0.0.0', '10.0.0.0/24', '10.0.0.0/8', '::1', '2001:db8::/32'];
    const sorted = texts
      .map((t) => ({ t, a: parseAddress(t)! }))
      .sort((x, y) => compareAddresses(x.a, y.a))
      .map((x) => x.t);
    expect(sorted).toEqual(['9.255.255.255', '10.0.0.0/8', '10.0.0.0/24', '10.0.0.0', '10.0.0.1', '::1', '2001:db8::/32', '2001:db8::1']);
  });
});
