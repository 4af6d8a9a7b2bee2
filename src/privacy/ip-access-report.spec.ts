import { accessReport } from './ip-access-report.js';
import type { HeldIpData } from './ip-data.repository.js';
import { reporterBucket } from '../common/reporter-bucket.js';
import { ipSubject, organizationSubject } from './subject-hash.js';

const periods = { signalDays: 30, signalUuidDays: 7, ipScoreDays: 90, blocklistDays: 7, explanationDays: 30, delistingDays: 365, auditDays: 365, usageDays: 400, privacyRequestDays: 365 };
const now = new Date('2026-11-25T12:00:00.000Z');

function held(overrides: Partial<HeldIpData> = {}): HeldIpData {
  return {
    aggregate: null,
    signals: { count: 0, oldest: null, newest: null, sources: [], scenarios: [] },
    explanations: { count: 0, newest: null },
    openListing: null,
    delistingRequests: 0,
    ...overrides,
  };
}

describe('IP-holder access report (R8)', () => {
  it('reports nothing held as empty, with no retention dates', () => {
    const report = accessReport(held(), periods, now);
    expect(report).toEqual(expect.objectContaining({ listed: false, reporters: '0', raw_signals: 0, first_seen: null }));
    expect(report.retention).toEqual({ raw_signals_until: null, aggregate_until: null, explanations_until: null });
  });

  it('buckets reporters and dates each store by its own period', () => {
    const lastSeen = new Date('2026-11-20T00:00:00.000Z');
    const report = accessReport(
      held({
        aggregate: { score: 4, reporters: 7, scenarios: ['ssh'], firstSeen: lastSeen, lastSeen, listed: true, listedUntil: new Date('2026-11-26T00:00:00.000Z'), honeypot: true },
        signals: { count: 9, oldest: lastSeen, newest: lastSeen, sources: ['quorum'], scenarios: ['ssh-bf'] },
        openListing: { until: new Date('2026-11-26T00:00:00.000Z') },
      }),
      periods,
      now,
    );
    expect(report).toEqual(expect.objectContaining({ listed: true, listed_until: '2026-11-26T00:00:00.000Z', reporters: '6-20', honeypot: true, raw_signals: 9 }));
    expect(report.retention.raw_signals_until).toBe('2026-12-20T00:00:00.000Z');
    expect(report.retention.aggregate_until).toBe('2027-02-18T00:00:00.000Z');
  });

  it('an open entry whose until has passed is not a listing', () => {
    const report = accessReport(held({ openListing: { until: new Date('2026-11-25T11:00:00.000Z') } }), periods, now);
    expect(report.listed).toBe(false);
  });

  it('buckets and keyed hashes', () => {
    expect([0, 1, 2, 3, 5, 6, 20, 21].map(reporterBucket)).toEqual(['0', '1-2', '1-2', '3-5', '3-5', '6-20', '6-20', '>20']);
    const secret = 'x'.repeat(32);
    expect(ipSubject(secret, '198.51.100.1')).toMatch(/^[0-9a-f]{32}$/);
    expect(ipSubject(secret, '198.51.100.1')).not.toBe(organizationSubject(secret, '198.51.100.1'));
    expect(ipSubject(secret, '198.51.100.1')).not.toBe(ipSubject('y'.repeat(32), '198.51.100.1'));
  });
});
