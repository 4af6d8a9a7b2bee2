import type { Gauge } from 'prom-client';
import type { AppConfig } from '../config/app-config.js';
import { FixedClock } from '../infra/clock/clock.js';
import { MetricsService } from '../infra/metrics/metrics.service.js';
import type { DataLifecycle } from './data-lifecycle.js';
import type { DataLifecycles } from './data-lifecycles.js';
import { RetentionMetricsService } from './retention-metrics.service.js';

const NOW = new Date('2026-12-07T03:00:00.000Z');
const DAY = 86_400_000;
const RETENTION = { signalDays: 30, signalUuidDays: 7, ipScoreDays: 90, blocklistDays: 30, explanationDays: 90, delistingDays: 365, auditDays: 365, usageDays: 400, privacyRequestDays: 365 };

/** Each domain's oldest retained row per table, changed by the test; `reads` counts the queries. */
function setup() {
  const oldest: Array<Record<string, Date | null>> = [
    { signal: new Date(NOW.getTime() - 2 * DAY - 400) },
    { audit_log: new Date(NOW.getTime() - 10 * DAY), usage_counter: null },
  ];
  let reads = 0;
  const registered = oldest.map((_, i) => ({ oldestRows: async () => (reads++, { ...oldest[i] }) }) as unknown as DataLifecycle);
  const lifecycles = { all: () => registered } as unknown as DataLifecycles;
  const metrics = new MetricsService();
  const clock = new FixedClock(NOW);
  const config = { privacy: { retention: RETENTION } } as unknown as AppConfig;
  new RetentionMetricsService(metrics, lifecycles, clock, config).onModuleInit();
  const gauge = async (name: string) => {
    const values = (await (metrics.registry.getSingleMetric(name) as Gauge<'table'>).get()).values;
    return Object.fromEntries(values.map((v) => [v.labels.table, v.value]));
  };
  const scrape = async () => {
    await metrics.render();
    return gauge('quorum_retention_oldest_row_age_seconds');
  };
  return { oldest, clock, gauge, scrape, reads: () => reads };
}

describe('RetentionMetricsService', () => {
  it('publishes every configured retention period in seconds at start', async () => {
    const { gauge } = setup();
    expect(await gauge('quorum_retention_limit_seconds')).toMatchObject({
      signal: 30 * 86_400,
      ip_score: 90 * 86_400,
      blocklist_version: 30 * 86_400,
      audit_log: 365 * 86_400,
      usage_counter: 400 * 86_400,
      privacy_request: 365 * 86_400,
    });
  });

  it("publishes each domain's oldest row age in whole seconds, 0 for an empty table or a row dated in the future", async () => {
    const { oldest, clock, scrape } = setup();
    expect(await scrape()).toEqual({ signal: 2 * 86_400, audit_log: 10 * 86_400, usage_counter: 0 });
    oldest[0].signal = new Date(NOW.getTime() + 65_000);
    clock.advance(60_000);
    expect((await scrape()).signal).toBe(0);
  });

  it('queries the tables at most once a minute, however often it is scraped', async () => {
    const { oldest, clock, scrape, reads } = setup();
    await scrape();
    oldest[1].audit_log = new Date(NOW.getTime() - DAY);
    clock.advance(60_000 - 1);
    expect((await scrape()).audit_log).toBe(10 * 86_400);
    expect(reads()).toBe(2);
    clock.advance(1);
    expect((await scrape()).audit_log).toBe(86_400 + 60);
    expect(reads()).toBe(4);
  });
});
