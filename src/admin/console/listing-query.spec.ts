import { DomainError } from '../../common/errors/domain-error.js';
import { parseListingQuery } from './listing-query.js';

describe('listings search: an IP or a bounded range', () => {
  it('takes an IP as its scoring key (IPv6: its /64)', () => {
    expect(parseListingQuery(' 203.0.113.7 ')).toEqual({ kind: 'ip', text: '203.0.113.7', key: '203.0.113.7' });
    expect(parseListingQuery('2001:db8:1:2::99')).toEqual({ kind: 'ip', text: '2001:db8:1:2::99', key: '2001:db8:1:2::/64' });
  });

  it('expands a range into its keys in address order', () => {
    const v4 = parseListingQuery('198.51.100.5/30');
    expect(v4).toEqual({ kind: 'range', text: '198.51.100.4/30', keys: ['198.51.100.4', '198.51.100.5', '198.51.100.6', '198.51.100.7'] });
    expect((parseListingQuery('10.1.0.0/16') as { keys: string[] }).keys).toHaveLength(65_536);
    const v6 = parseListingQuery('2001:db8:0:fffe::/63') as { keys: string[] };
    expect(v6.keys).toEqual(['2001:db8:0:fffe::/64', '2001:db8:0:ffff::/64']);
    expect((parseListingQuery('2001:db8:5::/48') as { keys: string[] }).keys).toHaveLength(65_536);
    expect((parseListingQuery('2001:db8::1:0/112') as { keys: string[] }).keys).toEqual(['2001:db8::/64']);
  });

  it('refuses what is not an address or range, and ranges wider than a /16 or a /48', () => {
    for (const bad of ['', 'example.org', '10.0.0.0/33', '10.0.0.0/15', '2001:db8::/47', '1.2.3.4/']) {
      expect(() => parseListingQuery(bad)).toThrow(DomainError);
    }
  });
});
