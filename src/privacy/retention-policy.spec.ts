import { partitionsToDrop, retentionCutoffs, type RetentionPeriods } from './retention-policy.js';

const periods: RetentionPeriods = {
  signalDays: 30,
  signalUuidDays: 7,
  ipScoreDays: 90,
  blocklistDays: 7,
  explanationDays: 30,
  delistingDays: 365,
  auditDays: 365,
  usageDays: 400,
  privacyRequestDays: 365,
};

describe('retention policy', () => {
  const now = new Date('2026-11-25T06:00:00.000Z');

  it('computes each cutoff from its configured period', () => {
    const c = retentionCutoffs(now, periods);
    expect(c.signal.toISOString()).toBe('2026-10-26T06:00:00.000Z');
    expect(c.ipScore.toISOString()).toBe('2026-08-27T06:00:00.000Z');
    expect(c.audit.toISOString()).toBe('2025-11-25T06:00:00.000Z');
    expect(c.pendingPrivacyRequest.toISOString()).toBe('2026-11-18T06:00:00.000Z');
  });

  it('drops only partitions that end at or before the cutoff, never ones ahead or foreign tables', () => {
    const cutoff = retentionCutoffs(now, periods).signal; // 2026-10-26T06:00Z
    const names = ['signal_p20261024', 'signal_p20261025', 'signal_p20261026', 'signal_p20261125', 'signal_p20261202', 'signal_default', 'other'];
    expect(partitionsToDrop(names, cutoff)).toEqual(['signal_p20261024', 'signal_p20261025']);
  });

  it('drops the partition that ends exactly at a midnight cutoff', () => {
    expect(partitionsToDrop(['signal_p20261025', 'signal_p20261026'], new Date('2026-10-26T00:00:00.000Z'))).toEqual(['signal_p20261025']);
  });
});
