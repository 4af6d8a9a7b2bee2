import { AuditService } from '../../src/audit/audit.service.js';
import { DelistingExpiryService } from '../../src/consensus/delisting/delisting-expiry.service.js';
import { DELISTING_EXPIRY } from '../../src/consensus/delisting/delisting-expiry-policy.js';
import { Clock } from '../../src/infra/clock/clock.js';
import { MetricsService } from '../../src/infra/metrics/metrics.service.js';
import { PrivacyModule } from '../../src/privacy/privacy.module.js';
import { sql, truncate } from '../setup/db.js';
import { createTestApp, type TestApp } from '../setup/test-app.js';

const MARGIN = 60_000;

/** Pins the app's injectable clock (every service reads time through it). */
function pinClock(t: TestApp, at: Date): void {
  const clock = t.app.get(Clock);
  clock.now = () => new Date(at.getTime());
  clock.nowMs = () => at.getTime();
}

describe('delisting requests are bounded: unproven deleted, unreviewed escalated then expired (injected clock)', () => {
  let t: TestApp;
  let db: string;
  const now = new Date(Math.floor(Date.now() / 60_000) * 60_000);
  const ago = (ms: number) => new Date(now.getTime() - ms);

  beforeAll(async () => {
    t = await createTestApp();
    db = t.config.database.url;
    pinClock(t, now);
    await truncate(db, ['delisting_request']);
  });
  afterAll(async () => {
    await truncate(db, ['delisting_request']);
    await t.close();
  });

  async function insert(name: string, status: string, createdAt: Date, verifiedAt: Date | null, extra: { closedAt?: Date } = {}): Promise<void> {
    // The name is carried in the IP column only to tell rows apart in assertions.
    await sql(
      db,
      `INSERT INTO delisting_request (id, ip_key, ip, status, token_hash, created_at, verified_at, closed_at)
       VALUES (gen_random_uuid(), $1, $1, $2, 'h', $3, $4, $5)`,
      [name, status, createdAt, verifiedAt, extra.closedAt ?? null],
    );
  }

  async function rows(): Promise<Record<string, { status: string; escalated: boolean; closed: boolean }>> {
    const list = await sql<{ ip: string; status: string; escalated_at: Date | null; closed_at: Date | null }>(db, 'SELECT ip, status, escalated_at, closed_at FROM delisting_request');
    return Object.fromEntries(list.map((r) => [r.ip, { status: r.status, escalated: r.escalated_at !== null, closed: r.closed_at !== null }]));
  }

  it('applies each rule one minute either side of its limit, and a second run changes nothing', async () => {
    const { unprovenMs, escalateMs, expireMs } = DELISTING_EXPIRY;
    await insert('unproven-past', 'pending_proof', ago(unprovenMs + MARGIN), null);
    await insert('unproven-inside', 'pending_proof', ago(unprovenMs - MARGIN), null);
    await insert('verified-fresh', 'verified', ago(escalateMs), ago(escalateMs - MARGIN));
    await insert('verified-escalate', 'verified', ago(escalateMs + MARGIN), ago(escalateMs + MARGIN));
    await insert('suppressed-escalate', 'suppressed', ago(escalateMs * 2), ago(escalateMs * 2));
    await insert('suppressed-inside', 'suppressed', ago(expireMs), ago(expireMs - MARGIN));
    await insert('verified-expire', 'verified', ago(expireMs + MARGIN), ago(expireMs + MARGIN));
    // A request proven 500 days ago and never reviewed (the finding): expires too.
    await insert('verified-500d', 'verified', ago(500 * 86_400_000), ago(500 * 86_400_000));
    // Reviewed requests are not this rule's business (R10 deletes them 12 months after closure).
    await insert('upheld-old', 'upheld', ago(expireMs * 2), ago(expireMs * 2), { closedAt: ago(expireMs * 2) });

    const service = t.app.select(PrivacyModule).get(DelistingExpiryService);
    const report = await service.run();
    expect(report.deletedUnproven).toBe(1);
    expect(report.expired).toHaveLength(2);
    expect(report.escalated).toHaveLength(3);

    const after = await rows();
    expect(after['unproven-past']).toBeUndefined();
    expect(after['unproven-inside']).toEqual({ status: 'pending_proof', escalated: false, closed: false });
    expect(after['verified-fresh']).toEqual({ status: 'verified', escalated: false, closed: false });
    expect(after['verified-escalate']).toEqual({ status: 'verified', escalated: true, closed: false });
    expect(after['suppressed-escalate']).toEqual({ status: 'suppressed', escalated: true, closed: false });
    expect(after['suppressed-inside']).toEqual({ status: 'suppressed', escalated: true, closed: false });
    expect(after['verified-expire']).toEqual({ status: 'expired', escalated: false, closed: true });
    expect(after['verified-500d']).toEqual({ status: 'expired', escalated: false, closed: true });
    expect(after['upheld-old']).toEqual({ status: 'upheld', escalated: false, closed: true });

    const [closedBy] = await sql<{ decided_by: string; justification: string }>(db, "SELECT decided_by, justification FROM delisting_request WHERE ip = 'verified-500d'");
    expect(closedBy.decided_by).toBe('rule:unreviewed-expiry');
    // The audit log is shared with other test files (the delisting e2e expires requests too): count
    // the entries about this test's own requests.
    const ours = (ids: string[]) => new Set(ids.map((id) => `delisting:${id}`));
    const audit = await t.app.get(AuditService).recent(50);
    const expiredTargets = ours(report.expired);
    const escalatedTargets = ours(report.escalated);
    expect(audit.filter((e) => e.action === 'delisting.expired_unreviewed' && expiredTargets.has(e.target ?? ''))).toHaveLength(2);
    expect(audit.filter((e) => e.action === 'delisting.escalated' && escalatedTargets.has(e.target ?? ''))).toHaveLength(3);

    const again = await service.run();
    expect(again).toEqual({ deletedUnproven: 0, escalated: [], expired: [] });
    expect(await rows()).toEqual(after);
  });

  it('exports the unreviewed counts and the oldest unreviewed age; an escalated request expires once its 30 days pass', async () => {
    const metrics = await t.app.get(MetricsService).render();
    expect(metrics.body).toMatch(/quorum_delisting_unreviewed\{state="waiting"\} 4/);
    expect(metrics.body).toMatch(/quorum_delisting_unreviewed\{state="escalated"\} 3/);
    const oldest = Number(/quorum_delisting_oldest_unreviewed_age_seconds (\d+)/.exec(metrics.body)?.[1]);
    expect(oldest).toBe((DELISTING_EXPIRY.expireMs - MARGIN) / 1000);

    // Two minutes later, the request that was one minute inside the 30 days has expired.
    pinClock(t, new Date(now.getTime() + 2 * MARGIN));
    const later = await t.app.select(PrivacyModule).get(DelistingExpiryService).run();
    expect(later.expired).toHaveLength(1);
    expect((await rows())['suppressed-inside']).toEqual({ status: 'expired', escalated: true, closed: true });
  });
});
