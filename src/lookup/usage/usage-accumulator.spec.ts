import { HOUR_MS, UsageAccumulator } from './usage-accumulator.js';

const H = Date.UTC(2026, 10, 25, 10);

describe('UsageAccumulator', () => {
  it('sums lookups per key and UTC hour between drains', () => {
    const usage = new UsageAccumulator();
    usage.add('o1', 'k1', 1, H + 10);
    usage.add('o1', 'k1', 3, H + 20);
    usage.add('o1', 'k2', 2, H + 30);
    usage.add('o1', 'k1', 5, H + HOUR_MS + 1);
    usage.add('o1', 'k1', 0, H + HOUR_MS + 2);
    const rows = usage.drain().sort((a, b) => a.apiKeyId.localeCompare(b.apiKeyId) || a.hourMs - b.hourMs);
    expect(rows).toEqual([
      { organizationId: 'o1', apiKeyId: 'k1', hourMs: H, lookups: 4 },
      { organizationId: 'o1', apiKeyId: 'k1', hourMs: H + HOUR_MS, lookups: 5 },
      { organizationId: 'o1', apiKeyId: 'k2', hourMs: H, lookups: 2 },
    ]);
    expect(usage.drain()).toEqual([]);
  });

  it('gives a failed flush back to the next one', () => {
    const usage = new UsageAccumulator();
    usage.add('o1', 'k1', 2, H);
    const failed = usage.drain();
    usage.add('o1', 'k1', 1, H + 5);
    usage.restore(failed);
    expect(usage.drain()).toEqual([{ organizationId: 'o1', apiKeyId: 'k1', hourMs: H, lookups: 3 }]);
  });
});
