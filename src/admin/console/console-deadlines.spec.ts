import { trustBand } from '../../consensus/reporter-standing.js';
import { DEFAULT_CONSENSUS_PARAMS } from '../../consensus/scoring/params.js';
import { privacyDeadline } from '../../privacy/privacy-queue.js';

describe('operator console deadlines and bands (docs/operators.md)', () => {
  it('a privacy request is due one calendar month after receipt, on the last day of a shorter month', () => {
    expect(privacyDeadline(new Date('2026-03-15T10:20:00Z')).toISOString()).toBe('2026-04-15T10:20:00.000Z');
    expect(privacyDeadline(new Date('2026-01-31T08:00:00Z')).toISOString()).toBe('2026-02-28T08:00:00.000Z');
    expect(privacyDeadline(new Date('2028-01-31T08:00:00Z')).toISOString()).toBe('2028-02-29T08:00:00.000Z');
    expect(privacyDeadline(new Date('2026-12-31T23:59:00Z')).toISOString()).toBe('2027-01-31T23:59:00.000Z');
  });

  it('bands trust by the engine establishedWeight, and quarantine wins', () => {
    const established = DEFAULT_CONSENSUS_PARAMS.establishedWeight;
    expect(trustBand(established, false)).toBe('established');
    expect(trustBand(established - 0.001, false)).toBe('building');
    expect(trustBand(0.2, false)).toBe('building');
    expect(trustBand(0.199, false)).toBe('low');
    expect(trustBand(0.99, true)).toBe('quarantined');
  });
});
