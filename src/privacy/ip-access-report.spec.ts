import { accessReport } from './ip-access-report.js';
import type { HeldIpData } from './ip-data.service.js';
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
    copy: { signals: [], explanations: [], blocklist: [], delistingRequests: [] },
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

  it('states the processing (Art. 15(1)(a)-(h)) and copies the rows held without reporter columns', () => {
    const at = new Date('2026-11-24T10:00:00.000Z');
    const report = accessReport(
      held({
        signals: { count: 1, oldest: at, newest: at, sources: ['honeypot'], scenarios: ['ssh-bf'] },
        copy: {
          signals: [{ ip: '2001:db8::1', receivedAt: at, source: 'honeypot', scenario: 'ssh-bf', startedAt: at, stoppedAt: at }],
          explanations: [],
          blocklist: [{ value: '2001:db8::/64', scenarioClass: 'ssh', until: new Date('2026-11-25T11:00:00.000Z'), open: true }],
          delistingRequests: [{ status: 'rejected', createdAt: at, closedAt: at }],
        },
      }),
      periods,
      now,
    );
    expect(report.lawful_basis.article).toMatch(/6\(1\)\(f\)/);
    expect(report.automated_decision_making.exists).toBe(true);
    expect(report.automated_decision_making.logic).toMatch(/96 hours/);
    expect(report.retention_periods).toEqual(expect.objectContaining({ raw_reports_days: 30, aggregate_days_after_last_report: 90, published_decision_max_hours: 96 }));
    expect(report.rights.map((r) => r.right.split(' ')[0])).toEqual(['access', 'erasure', 'objection', 'rectification', 'restriction']);
    expect(report.complaint).toMatch(/Art\. 77/);
    expect(report.copy.signals).toEqual([{ ip: '2001:db8::1', received_at: at.toISOString(), source: 'honeypot', scenario: 'ssh-bf', started_at: at.toISOString(), stopped_at: at.toISOString() }]);
    // An open entry whose until has passed is history, not a current decision.
    expect(report.copy.blocklist_entries).toEqual([{ value: '2001:db8::/64', scenario_class: 'ssh', until: '2026-11-25T11:00:00.000Z', current: false }]);
    expect(report.copy.delisting_requests).toEqual([{ status: 'rejected', created_at: at.toISOString(), closed_at: at.toISOString() }]);
  });
});
