import { parseAddress } from './ip.js';
import { CidrMatcher, mergeRanges, parseCidr, parseCidrList, rangeToCidrs, subtractRanges, type IpRange } from './cidr.js';

function cidr(text: string) {
  const c = parseCidr(text);
  if (!c) throw new Error(text);
  return c;
}

function addr(text: string) {
  const a = parseAddress(text);
  if (!a) throw new Error(text);
  return a;
}

describe('parseCidr', () => {
  it('clears host bits and writes single addresses without a prefix', () => {
    expect(cidr('10.1.2.3/8').text).toBe('10.0.0.0/8');
    expect(cidr('192.0.2.1/32').text).toBe('192.0.2.1');
    expect(cidr('2001:db8::1/48').text).toBe('2001:db8::/48');
    expect(cidr('::ffff:10.0.0.0/104').text).toBe('10.0.0.0/8');
  });

  it('computes the first and last address', () => {
    const c = cidr('198.51.100.0/24');
    expect(c.first).toBe(0xc6336400n);
    expect(c.last).toBe(0xc63364ffn);
  });

  it.each(['10.0.0.0/33', '10.0.0.0/', '10.0.0.0/08', '2001:db8::/129', 'foo/8', '10.0.0.0/-1'])('rejects %j', (t) => expect(parseCidr(t)).toBeNull());

  it('collects invalid entries of a list', () => {
    expect(parseCidrList(['10.0.0.0/8', 'nope', ' 192.0.2.1 ']).invalid).toEqual(['nope']);
  });
});

describe('CidrMatcher', () => {
  const m = new CidrMatcher([cidr('10.0.0.0/8'), cidr('192.168.1.0/24'), cidr('2001:db8::/32'), cidr('10.1.0.0/16'), cidr('203.0.113.9')]);

  it.each([
    ['10.255.255.255', true],
    ['11.0.0.0', false],
    ['192.168.1.77', true],
    ['192.168.2.1', false],
    ['203.0.113.9', true],
    ['203.0.113.10', false],
    ['2001:db8:ffff::1', true],
    ['2001:db9::1', false],
    ['::ffff:10.2.3.4', true],
  ])('%s -> %s', (ip, expected) => expect(m.contains(addr(ip))).toBe(expected));

  it('merges overlapping entries', () => expect(m.size).toBe(4));

  it('matches nothing when empty', () => expect(new CidrMatcher([]).contains(addr('1.2.3.4'))).toBe(false));
});

describe('ranges', () => {
  const texts = (rs: IpRange[]) => rs.flatMap(rangeToCidrs).map((c) => c.text);

  it('decomposes a range into the fewest CIDRs', () => {
    expect(texts([{ family: 4, first: addr('10.0.0.1').value, last: addr('10.0.0.6').value }])).toEqual([
      '10.0.0.1',
      '10.0.0.2/31',
      '10.0.0.4/31',
      '10.0.0.6',
    ]);
    expect(texts([cidr('0.0.0.0/1')])).toEqual(['0.0.0.0/1']);
    expect(texts([cidr('::/0')])).toEqual(['::/0']);
  });

  it('merges overlaps but keeps adjacent CIDRs apart', () => {
    expect(texts(mergeRanges([cidr('10.0.0.0/24'), cidr('10.0.0.7'), cidr('10.0.1.0/24')]))).toEqual(['10.0.0.0/24', '10.0.1.0/24']);
  });

  it('subtracts holes, splitting ranges around them', () => {
    const out = texts(subtractRanges([cidr('10.0.0.0/29'), cidr('2001:db8::/126'), cidr('192.0.2.1')], [cidr('10.0.0.3'), cidr('2001:db8::/127'), cidr('192.0.2.0/24')]));
    expect(out).toEqual(['10.0.0.0/31', '10.0.0.2', '10.0.0.4/30', '2001:db8::2/127']);
  });
});
