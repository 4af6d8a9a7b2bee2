import { tierFor, viewSpecFor } from './tiers.js';

const sizes = { communitySize: 3_000, contributorSize: 15_000, contributorWindowDays: 7 };
const now = Date.parse('2026-11-25T17:00:00.000Z');
const day = 86_400_000;

describe('blocklist tiers', () => {
  it('gives API keys the full list', () => {
    expect(tierFor({ kind: 'apiKey' }, now, sizes)).toBe('full');
    expect(viewSpecFor('full', [], sizes).limit).toBe(Infinity);
  });

  it('gives agents with an accepted signal in the last 7 days the contributor view', () => {
    expect(tierFor({ kind: 'agent', lastSignalAt: new Date(now - 7 * day) }, now, sizes)).toBe('contributor');
    expect(tierFor({ kind: 'agent', lastSignalAt: new Date(now - 7 * day - 1) }, now, sizes)).toBe('community');
    expect(tierFor({ kind: 'agent', lastSignalAt: null }, now, sizes)).toBe('community');
    expect(viewSpecFor('contributor', [], sizes).limit).toBe(15_000);
    expect(viewSpecFor('community', [], sizes).limit).toBe(3_000);
  });

  it('normalises the scenario filter (sorted, unique) so equal filters share one cached view', () => {
    expect(viewSpecFor('community', ['ssh', 'http', 'ssh'], sizes).scenarios).toEqual(['http', 'ssh']);
  });
});
