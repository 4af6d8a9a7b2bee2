import type { ListingChange, OpenRow } from './blocklist.types.js';
import { planVersion, wantedListings } from './publish-plan.js';

const now = new Date('2026-11-25T17:00:00.000Z');
const later = new Date('2026-11-26T17:00:00.000Z');

function change(overrides: Partial<ListingChange> = {}): ListingChange {
  return { ipKey: '203.0.113.7', value: '203.0.113.7', scope: 'ip', scenarioClass: 'ssh-bruteforce', score: 4.5, until: later, kind: 'upsert', ...overrides };
}

function open(overrides: Partial<OpenRow> = {}): OpenRow {
  return { id: '1', ipKey: '203.0.113.7', value: '203.0.113.7', scope: 'ip', scenarioClass: 'ssh-bruteforce', score: 4.5, until: later, addedInVersion: 1, ...overrides };
}

describe('wantedListings', () => {
  const options = { ipv6Prefix: 64 as const, now };

  it('keeps the last change per key', () => {
    const { wanted } = wantedListings([change({ score: 1 }), change({ ipKey: '198.51.100.1', value: '198.51.100.1' }), change({ score: 2 })], options);
    expect(wanted.map((w) => [w.ipKey, w.row?.score])).toEqual([
      ['198.51.100.1', 4.5],
      ['203.0.113.7', 2],
    ]);
  });

  it('turns an upsert that has already expired into a removal', () => {
    const { wanted } = wantedListings([change({ until: now })], options);
    expect(wanted).toEqual([{ ipKey: '203.0.113.7', row: null }]);
  });

  it('publishes an IPv6 key as its /64 range by default, or the address with the /128 option', () => {
    const v6 = change({ ipKey: '2001:db8:1:2::/64', value: '2001:db8:1:2::55', scope: 'ip' });
    expect(wantedListings([v6], options).wanted[0].row).toEqual(expect.objectContaining({ value: '2001:db8:1:2::/64', scope: 'range' }));
    expect(wantedListings([v6], { ...options, ipv6Prefix: 128 }).wanted[0].row).toEqual(
      expect.objectContaining({ value: '2001:db8:1:2::55', scope: 'ip' }),
    );
  });

  it('derives the scope from the value (a CIDR shorter than a host is a range)', () => {
    const { wanted } = wantedListings([change({ ipKey: '198.51.100.0/24', value: '198.51.100.0/24', scope: 'ip' })], options);
    expect(wanted[0].row?.scope).toBe('range');
  });

  it('skips changes no firewall could load, and says why', () => {
    const { wanted, skipped } = wantedListings(
      [
        change({ ipKey: 'not-an-ip' }),
        change({ value: '300.1.1.1' }),
        change({ ipKey: '198.51.100.2', value: '198.51.100.2', score: Number.NaN }),
        change({ ipKey: '198.51.100.3', value: '198.51.100.3', scenarioClass: '' }),
        change({ ipKey: '198.51.100.4', value: '198.51.100.4', until: new Date('nope') }),
        change({ ipKey: '198.51.100.5', value: '198.51.100.5' }),
      ],
      options,
    );
    expect(wanted.map((w) => w.ipKey)).toEqual(['198.51.100.5']);
    expect(skipped.map((s) => s.reason)).toEqual([
      'ipKey is not an IP address or CIDR',
      'value is not an IP address or CIDR',
      'score must be a finite number',
      'scenarioClass must be 1-128 printable ASCII characters',
      'until must be a valid Date',
    ]);
  });
});

describe('planVersion', () => {
  const wanted = (changes: ListingChange[]) => wantedListings(changes, { ipv6Prefix: 64, now }).wanted;

  it('opens new listings and leaves identical ones alone', () => {
    const plan = planVersion(wanted([change(), change({ ipKey: '198.51.100.1', value: '198.51.100.1' })]), [open()]);
    expect(plan.close).toEqual([]);
    expect(plan.open.map((r) => r.ipKey)).toEqual(['198.51.100.1']);
  });

  it('replaces a listing whose until, score or class changed (close + open)', () => {
    for (const overrides of [{ until: new Date(later.getTime() + 1) }, { score: 4.6 }, { scenarioClass: 'http-probing' }]) {
      const plan = planVersion(wanted([change(overrides)]), [open({ id: '9' })]);
      expect(plan.close).toEqual(['9']);
      expect(plan.open).toEqual([expect.objectContaining({ ipKey: '203.0.113.7', ...overrides })]);
    }
  });

  it('closes removed listings and ignores removals of keys that are not listed', () => {
    const plan = planVersion(wanted([change({ kind: 'remove' }), change({ ipKey: '198.51.100.1', kind: 'remove' })]), [open({ id: '4' })]);
    expect(plan).toEqual({ close: ['4'], open: [] });
  });

  it('repairs a key with two open rows, keeping the identical one', () => {
    const plan = planVersion(wanted([change()]), [open({ id: '1', score: 1 }), open({ id: '2' })]);
    expect(plan).toEqual({ close: ['1'], open: [] });
  });
});
