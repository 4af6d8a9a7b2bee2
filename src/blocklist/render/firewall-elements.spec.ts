import { collectFirewallElements, timeoutSeconds } from './firewall-elements.js';
import { BlocklistRenderError, type BlocklistEntry } from './types.js';

const now = new Date('2026-11-25T17:00:00.000Z');
const at = (seconds: number): Date => new Date(now.getTime() + seconds * 1000);
const entry = (value: string, seconds: number): BlocklistEntry => ({
  value,
  scope: value.includes('/') ? 'range' : 'ip',
  scenarioClass: 'ssh-bruteforce',
  score: 1,
  until: at(seconds),
});

describe('timeoutSeconds', () => {
  it('rounds down, never below 1 s and never above the maximum', () => {
    expect(timeoutSeconds(at(3600), now, 1e9)).toBe(3600);
    expect(timeoutSeconds(at(3600.999), now, 1e9)).toBe(3600);
    expect(timeoutSeconds(at(1.5), now, 1e9)).toBe(1);
    expect(timeoutSeconds(at(0.2), now, 1e9)).toBe(1);
    expect(timeoutSeconds(at(0), now, 1e9)).toBe(1);
    expect(timeoutSeconds(at(-500), now, 1e9)).toBe(1);
    expect(timeoutSeconds(new Date(Number.NaN), now, 1e9)).toBe(1);
    expect(timeoutSeconds(at(10_000_000), now, 4_294_967)).toBe(4_294_967);
  });
});

describe('collectFirewallElements', () => {
  const options = { maxTimeoutSeconds: 1e9, dropCovered: true };

  it('splits by family and keeps input order', () => {
    const result = collectFirewallElements(
      [entry('192.0.2.1', 10), entry('2001:db8:1:2::/64', 20), entry('203.0.113.0/24', 30), entry('::1', 40)],
      now,
      options,
    );
    expect(result.v4).toEqual([
      { value: '192.0.2.1', timeoutSeconds: 10 },
      { value: '203.0.113.0/24', timeoutSeconds: 30 },
    ]);
    expect(result.v6).toEqual([
      { value: '2001:db8:1:2::/64', timeoutSeconds: 20 },
      { value: '::1', timeoutSeconds: 40 },
    ]);
    expect(result.merged).toBe(0);
  });

  it('merges duplicates by network (host bits ignored), keeping the longest timeout', () => {
    const result = collectFirewallElements(
      [entry('10.0.0.5/24', 100), entry('10.0.0.0/24', 300), entry('192.0.2.1', 5), entry('192.0.2.1', 2),
        entry('2001:db8:1:2::/64', 7), entry('2001:db8:1:2:ffff::/64', 9), entry('2001:DB8:1:2::/64', 1)],
      now,
      options,
    );
    expect(result.v4).toEqual([
      { value: '10.0.0.5/24', timeoutSeconds: 300 },
      { value: '192.0.2.1', timeoutSeconds: 5 },
    ]);
    expect(result.v6).toEqual([{ value: '2001:db8:1:2::/64', timeoutSeconds: 9 }]);
    expect(result.merged).toBe(4);
  });

  it('drops elements inside a listed range only when asked (nftables), at any depth', () => {
    const entries = [
      entry('198.51.100.7', 50), entry('198.51.100.0/24', 10), entry('198.51.0.0/16', 5), entry('198.52.0.1', 1),
      entry('2001:db8:1:2::1', 3), entry('2001:db8:1::/48', 3), entry('2001:db8:2::1', 3),
    ];
    const nft = collectFirewallElements(entries, now, options);
    expect(nft.v4.map((e) => e.value)).toEqual(['198.51.0.0/16', '198.52.0.1']);
    expect(nft.v6.map((e) => e.value)).toEqual(['2001:db8:1::/48', '2001:db8:2::1']);
    expect(nft.merged).toBe(3);
    const ipset = collectFirewallElements(entries, now, { ...options, dropCovered: false });
    expect(ipset.v4).toHaveLength(4);
    expect(ipset.v6).toHaveLength(3);
  });

  it('does not confuse IPv4 networks with IPv6 ones holding the same bits', () => {
    // Without the family tag, ::1 masked to /8 would hit the IPv4 0.0.0.0/8 (all-zero words, /8).
    const result = collectFirewallElements(
      [entry('0.0.0.0/8', 1), entry('0.0.0.1', 1), entry('2000::/8', 1), entry('::1', 1), entry('::', 1)],
      now,
      options,
    );
    expect(result.v4.map((e) => e.value)).toEqual(['0.0.0.0/8']);
    expect(result.v6.map((e) => e.value)).toEqual(['2000::/8', '::1', '::']);
  });

  it('refuses values that are not IPs or CIDRs', () => {
    expect(() => collectFirewallElements([entry('192.0.2.1 } ; flush ruleset', 1)], now, options)).toThrow(
      BlocklistRenderError,
    );
  });
});
