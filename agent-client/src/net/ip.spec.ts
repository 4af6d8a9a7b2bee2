import { canonicalIp, formatIPv6, parseAddress, parseIPv4, parseIPv6 } from './ip.js';

describe('parseIPv4', () => {
  it.each([
    ['1.2.3.4', 0x01020304],
    ['0.0.0.0', 0],
    ['255.255.255.255', 0xffffffff],
    ['203.0.113.7', 0xcb007107],
  ])('parses %s', (text, value) => expect(parseIPv4(text)).toBe(value));

  it.each(['', '1.2.3', '1.2.3.4.5', '256.1.1.1', '01.2.3.4', '1.2.3.04', '1..2.3', '1.2.3.4 ', 'a.b.c.d', '1.2.3.-1', '1234.1.1.1'])(
    'rejects %j',
    (text) => expect(parseIPv4(text)).toBe(-1),
  );

  it('parses a slice of a longer string', () => {
    const line = 'from 198.51.100.9 port 22';
    expect(parseIPv4(line, 5, 17)).toBe(0xc6336409);
  });
});

describe('parseIPv6 / formatIPv6', () => {
  it.each([
    ['::', '::'],
    ['::1', '::1'],
    ['2001:DB8::1', '2001:db8::1'],
    ['2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['2001:db8::1:0:0:0:1', '2001:db8:0:1::1'],
    ['1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8'],
    ['1:2:3:4:5:6:7::', '1:2:3:4:5:6:7:0'],
    ['fe80::1:2', 'fe80::1:2'],
    ['::ffff:1.2.3.4', '::ffff:102:304'],
    ['64:ff9b::192.0.2.33', '64:ff9b::c000:221'],
  ])('%s -> %s', (input, canonical) => {
    const v = parseIPv6(input);
    expect(v).not.toBeNull();
    expect(formatIPv6(v as bigint)).toBe(canonical);
  });

  it.each([':', ':::', '1::2::3', '1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7', '12345::', 'g::1', '::1%eth0', '1:2:3:4:5:6:7:8::', ':1::', '1::2:', '::1.2.3', '1.2.3.4::'])(
    'rejects %j',
    (text) => expect(parseIPv6(text)).toBeNull(),
  );
});

describe('parseAddress', () => {
  it('folds IPv4-mapped IPv6 to IPv4', () => {
    expect(parseAddress('::ffff:198.51.100.7')).toEqual({ family: 4, value: 0xc6336407n, text: '198.51.100.7' });
  });

  it('gives canonical IPv6 text', () => {
    expect(parseAddress('2001:DB8:0:0::7')?.text).toBe('2001:db8::7');
  });

  it('returns null for host names', () => expect(parseAddress('example.com')).toBeNull());
});

describe('canonicalIp', () => {
  it('returns IPv4 slices unchanged and normalises IPv6', () => {
    expect(canonicalIp('x 1.2.3.4 y', 2, 9)).toBe('1.2.3.4');
    expect(canonicalIp('2001:DB8::0001')).toBe('2001:db8::1');
    expect(canonicalIp('::ffff:10.0.0.1')).toBe('10.0.0.1');
    expect(canonicalIp('host.example')).toBeNull();
  });
});
