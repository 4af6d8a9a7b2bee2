import { parseCidr } from './cidr.js';
import { ignoredRanges, ignoreFilter } from './ignore-filter.js';
import { ownAddresses } from './local-addresses.js';

describe('ignore filter', () => {
  const own = [parseCidr('203.0.113.1')!];

  it('ignores own addresses, allowlisted ranges and, by default, private ones', () => {
    const ignored = ignoreFilter(ignoredRanges({ allowlist: ['198.51.100.0/24'], ignorePrivateAddresses: true, own }));
    expect(['203.0.113.1', '198.51.100.77', '10.1.2.3', '192.168.0.1', '127.0.0.1', '::1', 'fe80::1', 'fd00::1', '100.64.0.1'].filter((ip) => !ignored(ip))).toEqual([]);
    expect(['203.0.113.2', '198.51.101.1', '8.8.8.8', '2001:db8::1'].filter(ignored)).toEqual([]);
  });

  it('can report private addresses (lab setups)', () => {
    const ignored = ignoreFilter(ignoredRanges({ allowlist: [], ignorePrivateAddresses: false, own }));
    expect(ignored('10.1.2.3')).toBe(false);
    expect(ignored('203.0.113.1')).toBe(true);
  });

  it('rejects a bad allowlist', () => {
    expect(() => ignoredRanges({ allowlist: ['x'], ignorePrivateAddresses: true, own })).toThrow(/x/);
  });

  it('finds the loopback among the real interfaces', () => {
    expect(ownAddresses().map((c) => c.text)).toContain('127.0.0.1');
  });
});
