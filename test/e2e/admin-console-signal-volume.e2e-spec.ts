import { sql } from '../setup/db.js';
import { createTestApp, type TestApp } from '../setup/test-app.js';
import { createOperator, type Operator } from '../support/principals.js';
import { ensureDayPartitions } from '../support/signal-partitions.js';

const DAY = 86_400_000;

/**
 * GET /v1/admin/console/signal-volume over the real stack (docs/operators.md, "Community"): signals
 * stored today, yesterday and 12 days ago are counted per UTC day and scenario family, from the signals
 * domain (one day partition per statement); bad queries are 400 JSON; only admin and support read it.
 */
describe('operator console: signal volume by scenario family (API)', () => {
  let t: TestApp;
  let admin: Operator;
  let billing: Operator;
  const today = Math.floor(Date.now() / DAY) * DAY;
  const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

  async function store(at: number, scenario: string, n: number): Promise<void> {
    await sql(
      t.config.database.url,
      `INSERT INTO signal (received_at, reporter, owner, source, ip, scope, scenario, started_at, stopped_at, weight)
       SELECT $1, 'volume-reporter', 'volume-owner', 'quorum', '203.0.113.' || g, 'ip', $2, $1, $1, 1 FROM generate_series(1, $3::int) AS g`,
      [new Date(at), scenario, n],
    );
  }

  beforeAll(async () => {
    t = await createTestApp();
    await ensureDayPartitions(t, [12, 1, 0]);
    await sql(t.config.database.url, "DELETE FROM signal WHERE reporter = 'volume-reporter'");
    await store(today + 1_000, 'crowdsecurity/ssh-bf', 3);
    await store(today + 2_000, 'quorum/ssh-slow-bf', 1);
    await store(today + 3_000, 'crowdsecurity/http-probing', 2);
    await store(today - DAY + 5_000, 'crowdsecurity/mail-bf', 4);
    await store(today - 12 * DAY + 5_000, 'crowdsecurity/portscan', 5);
    admin = await createOperator(t.app, 'admin', null);
    billing = await createOperator(t.app, 'billing', null);
  }, 120_000);
  afterAll(async () => t?.close());

  it('counts the signals of each day per scenario family, oldest day first', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/v1/admin/console/signal-volume?days=14', headers: admin.headers });
    expect(res.statusCode).toBe(200);
    const body = res.json() as { families: string[]; days: Array<{ day: string; total: number; families: Record<string, number>; truncated: boolean }> };
    expect(body.families).toEqual(expect.arrayContaining(['ssh', 'http', 'mail', 'scan', 'other']));
    expect(body.days).toHaveLength(14);
    expect(body.days[13].day).toBe(dayOf(today));
    expect(body.days[0].day).toBe(dayOf(today - 13 * DAY));
    const byDay = new Map(body.days.map((d) => [d.day, d]));
    // other test files share the database: at least this file's rows are there, in the right family
    expect(byDay.get(dayOf(today))!.families.ssh).toBeGreaterThanOrEqual(4);
    expect(byDay.get(dayOf(today))!.families.http).toBeGreaterThanOrEqual(2);
    expect(byDay.get(dayOf(today - DAY))!.families.mail).toBeGreaterThanOrEqual(4);
    expect(byDay.get(dayOf(today - 12 * DAY))!.families.scan).toBe(5);
    for (const d of body.days) {
      expect(Object.values(d.families).reduce((a, b) => a + b, 0)).toBe(d.total);
      expect(d.truncated).toBe(false);
    }
    // a shorter window ends today too
    const short = (await t.app.inject({ method: 'GET', url: '/v1/admin/console/signal-volume?days=1', headers: admin.headers })).json() as { days: Array<{ day: string }> };
    expect(short.days.map((d) => d.day)).toEqual([dayOf(today)]);
  });

  it('reads today again on every call (closed days may be cached)', async () => {
    const before = (await t.app.inject({ method: 'GET', url: '/v1/admin/console/signal-volume?days=2', headers: admin.headers })).json() as { days: Array<{ families: Record<string, number> }> };
    await store(today + 4_000, 'crowdsecurity/ssh-bf', 2);
    const after = (await t.app.inject({ method: 'GET', url: '/v1/admin/console/signal-volume?days=2', headers: admin.headers })).json() as { days: Array<{ families: Record<string, number> }> };
    expect(after.days[1].families.ssh - before.days[1].families.ssh).toBeGreaterThanOrEqual(2);
  });

  it('refuses a window beyond 30 days or not a number with 400 JSON, and billing staff with 403', async () => {
    for (const q of ['days=31', 'days=0', 'days=abc']) {
      const res = await t.app.inject({ method: 'GET', url: `/v1/admin/console/signal-volume?${q}`, headers: admin.headers });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toEqual(expect.objectContaining({ code: expect.any(String), message: expect.any(String), requestId: expect.any(String) }));
    }
    expect((await t.app.inject({ method: 'GET', url: '/v1/admin/console/signal-volume', headers: billing.headers })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: '/v1/admin/console/signal-volume' })).statusCode).toBe(401);
  });
});
