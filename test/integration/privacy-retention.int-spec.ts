import { AuditService } from '../../src/audit/audit.service.js';
import { Clock } from '../../src/infra/clock/clock.js';
import { PrivacyModule } from '../../src/privacy/privacy.module.js';
import { RetentionService } from '../../src/privacy/retention.service.js';
import { partitionFor } from '../../src/signals/signal-partitions.js';
import { SignalPartitionsRepository } from '../../src/signals/signal-partitions.repository.js';
import { sql, truncate } from '../setup/db.js';
import { createTestApp, type TestApp } from '../setup/test-app.js';

const DAY = 86_400_000;
const MARGIN = 60_000;

const SEEDED = [
  'signal', 'ip_score', 'listing_explanation', 'blocklist_entry', 'blocklist_version',
  'delisting_request', 'audit_log', 'audit_anchor', 'usage_counter', 'privacy_request', 'ip_protection',
];

/** Pins the app's injectable clock (every service reads time through it). */
function pinClock(t: TestApp, at: Date): void {
  const clock = t.app.get(Clock);
  clock.now = () => new Date(at.getTime());
  clock.nowMs = () => at.getTime();
}

describe('GDPR retention job (R1-R4, R10, R11, usage, requests): just inside survives, just past is gone', () => {
  let t: TestApp;
  let db: string;
  // Mid-day, so the R1 cutoff falls inside a day partition and the boundary delete is exercised.
  const now = new Date(Math.floor(Date.now() / DAY) * DAY + 13 * 3_600_000 + 123);
  const ago = (days: number, delta = 0) => new Date(now.getTime() - days * DAY + delta);

  beforeAll(async () => {
    t = await createTestApp();
    db = t.config.database.url;
    pinClock(t, now);
    await truncate(db, SEEDED);
    const partitions = t.app.select(PrivacyModule).get(SignalPartitionsRepository);
    await partitions.ensure([40, 31, 30, 29, 1, 0, -3].map((d) => partitionFor(Math.floor(ago(d).getTime() / DAY) * DAY)));
  });
  // Later test files start from empty retained tables, not from this file's back-dated rows.
  afterAll(async () => {
    await truncate(db, SEEDED);
    await t.close();
  });

  async function insertSignal(ip: string, receivedAt: Date) {
    await sql(
      db,
      `INSERT INTO signal (received_at, reporter, owner, source, ip, ip_key, scope, scenario, started_at, stopped_at, weight)
       VALUES ($1, 'r', 'o', 'quorum', $2, $2, 'ip', 'ssh-bf', $1, $1, 1)`,
      [receivedAt, ip],
    );
  }

  async function ips(table: string, column = 'ip_key'): Promise<string[]> {
    return (await sql<{ v: string }>(db, `SELECT ${column} AS v FROM ${table} ORDER BY 1`)).map((r) => r.v);
  }

  it('applies every period on one run, and a second run removes nothing (idempotent)', async () => {
    // R1 raw signals (30 d): whole old partitions dropped, boundary rows deleted row by row.
    await insertSignal('185.1.0.40', ago(40));
    await insertSignal('185.1.0.2', ago(30, -MARGIN));
    await insertSignal('185.1.0.1', ago(30, MARGIN));
    await insertSignal('185.1.0.3', ago(0));
    // R2 aggregates (90 d after the last signal)
    for (const [key, lastSeen] of [['185.2.0.2', ago(90, -MARGIN)], ['185.2.0.1', ago(90, MARGIN)]] as const) {
      await sql(db, `INSERT INTO ip_score (ip_key, score, reporters, established, asns, first_seen, last_seen, version, updated_at) VALUES ($1, 1, 1, 0, 1, $2, $2, 1, $2)`, [key, lastSeen]);
    }
    // R4 explanations (30 d)
    for (const [key, created] of [['185.3.0.2', ago(30, -MARGIN)], ['185.3.0.1', ago(30, MARGIN)]] as const) {
      await sql(
        db,
        `INSERT INTO listing_explanation (ip_key, listed_at, reason, score, asns, established, scenario_classes, first_seen, last_seen, voters, created_at)
         VALUES ($1, $2, 'consensus', 3, 4, 4, '{}', $2, $2, '{v1}', $2)`,
        [key, created],
      );
    }
    // R3 blocklist versions (7 d), with entries closed by them and one still open
    const versions = [ago(8), ago(7, -MARGIN), ago(7, MARGIN), ago(0, -3_600_000)];
    for (let i = 0; i < versions.length; i++) await sql(db, 'INSERT INTO blocklist_version (id, created_at, added, removed, total) VALUES ($1, $2, 0, 0, 0)', [i + 1, versions[i]]);
    for (const [value, addedIn, removedIn] of [['185.4.0.1', 1, 2], ['185.4.0.2', 2, 3], ['185.4.0.3', 1, null], ['185.4.0.4', 3, 4]] as const) {
      await sql(db, `INSERT INTO blocklist_entry (value, ip_key, scope, scenario_class, score, until, added_in, removed_in) VALUES ($1, $1, 'ip', 'ssh', 3, $2, $3, $4)`, [value, ago(-1), addedIn, removedIn]);
    }
    // R10 delisting records (12 months after closure; unproven ones by creation)
    const delisting = `INSERT INTO delisting_request (id, ip_key, ip, status, token_hash, created_at, closed_at) VALUES (gen_random_uuid(), $1, $1, $2, 'h', $3, $4)`;
    await sql(db, delisting, ['185.5.0.2', 'upheld', ago(400), ago(365, -MARGIN)]);
    await sql(db, delisting, ['185.5.0.1', 'upheld', ago(400), ago(365, MARGIN)]);
    await sql(db, delisting, ['185.5.0.3', 'pending_proof', ago(365, -MARGIN), null]);
    await sql(db, delisting, ['185.5.0.4', 'verified', ago(400), null]);
    // usage counters (billing: 400 d)
    for (const [key, hour] of [['00000000-0000-4000-8000-000000000002', ago(400, -MARGIN)], ['00000000-0000-4000-8000-000000000001', ago(400, MARGIN)]] as const) {
      await sql(db, 'INSERT INTO usage_counter (organization_id, api_key_id, hour, lookups) VALUES ($1, $1, $2, 1)', [key, hour]);
    }
    // privacy requests: closed ones 12 months, unverified ones (holding the IP) 7 days
    const request = `INSERT INTO privacy_request (id, kind, subject, ip, status, created_at, closed_at) VALUES (gen_random_uuid(), 'ip_access', $1, $2, $3, $4, $5)`;
    await sql(db, request, ['closed-past', null, 'completed', ago(400), ago(365, -MARGIN)]);
    await sql(db, request, ['closed-inside', null, 'completed', ago(400), ago(365, MARGIN)]);
    await sql(db, request, ['pending-past', '185.6.0.2', 'pending_proof', ago(7, -MARGIN), null]);
    await sql(db, request, ['pending-inside', '185.6.0.1', 'pending_proof', ago(7, MARGIN), null]);
    await sql(db, `INSERT INTO ip_protection (ip_hash, created_at, expires_at) VALUES ('gone', $1, $2), ('kept', $1, $3)`, [ago(30), ago(0, -MARGIN), ago(0, -MARGIN * -1)]);

    const service = t.app.get(RetentionService);
    const report = await service.run();

    expect(report.droppedPartitions).toContain(partitionFor(Math.floor(ago(40).getTime() / DAY) * DAY).name);
    expect(report.droppedPartitions).not.toContain(partitionFor(Math.floor(ago(-3).getTime() / DAY) * DAY).name);
    const partitions = await t.app.select(PrivacyModule).get(SignalPartitionsRepository).list();
    expect(partitions).toContain(partitionFor(Math.floor(ago(-3).getTime() / DAY) * DAY).name);
    expect(partitions).not.toContain(partitionFor(Math.floor(ago(31).getTime() / DAY) * DAY).name);
    expect(await ips('signal', 'ip')).toEqual(['185.1.0.1', '185.1.0.3']);
    expect(await ips('ip_score')).toEqual(['185.2.0.1']);
    expect(await ips('listing_explanation')).toEqual(['185.3.0.1']);
    expect(await ips('blocklist_version', 'id')).toEqual([3, 4]);
    expect(await ips('blocklist_entry', 'value')).toEqual(['185.4.0.3', '185.4.0.4']);
    expect(await ips('delisting_request')).toEqual(['185.5.0.1', '185.5.0.4']);
    expect(await ips('usage_counter', 'organization_id')).toEqual(['00000000-0000-4000-8000-000000000001']);
    expect(await ips('privacy_request', 'subject')).toEqual(['closed-inside', 'pending-inside']);
    expect(await ips('ip_protection', 'ip_hash')).toEqual(['kept']);

    const again = await service.run();
    expect(again.droppedPartitions).toEqual([]);
    expect(Object.values(again.deleted).every((n) => n === 0)).toBe(true);
  });

  it('prunes the audit log after 12 months and the remaining chain still verifies from its anchor (R11)', async () => {
    const audit = t.app.get(AuditService);
    for (const at of [ago(400), ago(365, -MARGIN), ago(365, MARGIN), ago(0)]) {
      pinClock(t, at);
      await audit.record('system', 'test.entry', `at:${at.toISOString()}`, { n: 1 });
    }
    pinClock(t, now);
    expect(await audit.verify()).toEqual(expect.objectContaining({ ok: true, checked: 4 }));
    await t.app.get(RetentionService).run();
    const rows = await sql<{ target: string }>(db, 'SELECT target FROM audit_log ORDER BY id');
    expect(rows.map((r) => r.target)).toEqual([`at:${ago(365, MARGIN).toISOString()}`, `at:${ago(0).toISOString()}`]);
    expect(await sql(db, 'SELECT after_id FROM audit_anchor')).toHaveLength(1);
    const verified = await audit.verify();
    expect(verified).toEqual(expect.objectContaining({ ok: true, checked: 2 }));
  });

  it('detects tampering after pruning: a deleted first row or an edited row breaks the chain', async () => {
    const audit = t.app.get(AuditService);
    const [first] = await sql<{ id: string; at: Date; actor: string; action: string; target: string; details: unknown; prev_hash: string; hash: string }>(
      db,
      'SELECT id::text, at, actor, action, target, details, prev_hash, hash FROM audit_log ORDER BY id LIMIT 1',
    );
    await sql(db, 'DELETE FROM audit_log WHERE id = $1', [first.id]);
    expect((await audit.verify()).ok).toBe(false);
    await sql(db, 'INSERT INTO audit_log (id, at, actor, action, target, details, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)', [
      first.id, first.at, first.actor, first.action, first.target, JSON.stringify(first.details), first.prev_hash, first.hash,
    ]);
    expect((await audit.verify()).ok).toBe(true);
    await sql(db, `UPDATE audit_log SET action = 'forged' WHERE id = $1`, [first.id]);
    expect(await audit.verify()).toEqual(expect.objectContaining({ ok: false, brokenAt: first.id }));
    await sql(db, 'UPDATE audit_log SET action = $2 WHERE id = $1', [first.id, first.action]);
    expect((await audit.verify()).ok).toBe(true);
  });

  it('exposes the age of the oldest row per retained table on /metrics', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    const line = res.body.split('\n').find((l) => l.startsWith('quorum_retention_oldest_row_age_seconds{table="signal"}'));
    expect(line).toBeDefined();
    const age = Number(line!.split(' ')[1]);
    // The oldest surviving signal was received 30 days minus a minute before the pinned clock.
    expect(age).toBeGreaterThan(29 * 86_400);
    expect(age).toBeLessThanOrEqual(30 * 86_400);
    expect(res.body).toContain('quorum_retention_limit_seconds{table="ip_score"} 7776000');
  });
});
