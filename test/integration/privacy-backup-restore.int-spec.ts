import { randomInt } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { ProofVerifier } from '../../src/consensus/delisting/proof-verifier.js';
import { backupCommand } from '../../src/privacy/backup.command.js';
import { BackupService } from '../../src/privacy/backup.service.js';
import { backupFileName } from '../../src/privacy/backup-files.js';
import { LEDGER_FILE } from '../../src/privacy/erasure-ledger.service.js';
import { LedgerReplayService } from '../../src/privacy/ledger-replay.service.js';
import { OrganizationErasureService } from '../../src/privacy/organization-erasure.service.js';
import { PrivacyModule } from '../../src/privacy/privacy.module.js';
import { ipSubject, organizationSubject } from '../../src/privacy/subject-hash.js';
import { createOrganization, enrollAgent, signBatch, type TestAgent } from '../factories/agent.factory.js';
import { signal } from '../factories/signal.factory.js';
import { recreateDatabase, sql } from '../setup/db.js';
import { createTestApp, type TestApp } from '../setup/test-app.js';
import { ensureDayPartitions } from '../support/signal-partitions.js';
import { testEnv } from '../setup/test-env.js';

const DAY = 86_400_000;
jest.setTimeout(180_000);

/** Every row of every table whose text holds one of the needles. */
async function tablesHolding(db: string, needles: string[]): Promise<string[]> {
  const client = new pg.Client({ connectionString: db });
  await client.connect();
  try {
    const tables = await client.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND NOT c.relispartition AND c.relname <> '_prisma_migrations'`,
    );
    const hits: string[] = [];
    for (const { name } of tables.rows) {
      const { rows } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM "${name}" x WHERE ${needles.map((_, i) => `strpos(lower(x::text), $${i + 1}) > 0`).join(' OR ')}`, needles.map((n) => n.toLowerCase()));
      if (Number(rows[0].n) > 0) hits.push(name);
    }
    return hits;
  } finally {
    await client.end();
  }
}

describe('GDPR R13: a backup taken before an erasure, restored, then the erasure ledger replayed', () => {
  let t: TestApp;
  let restored: TestApp | undefined;
  let dir: string;
  let db: string;
  let scratch: string;
  const orgName = `ledger-org-${randomInt(1e9)}`;
  const erasedIp = `196.${randomInt(0, 256)}.${randomInt(0, 256)}.${randomInt(1, 255)}`;
  let organizationId: string;
  let agents: TestAgent[];
  let backupFile: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'quorum-backup-'));
    t = await createTestApp({ QUORUM_BACKUP_DIR: dir, QUORUM_SIGNALS_MAX_BATCHES_PER_SECOND: '1000' });
    db = t.config.database.url;
    const url = new URL(db);
    url.pathname = `${url.pathname}_restore`;
    scratch = url.toString();
    jest.spyOn(t.app.select(PrivacyModule).get(ProofVerifier), 'verify').mockImplementation(async () => true);
    await ensureDayPartitions(t, [10, 0]);

    // An organisation with agents and signals, and an inactive IP with a stored signal.
    const org = await createOrganization(t.app, orgName);
    organizationId = org.organizationId;
    agents = [await enrollAgent(t.app, org.enrollKey, `${orgName}-a`), await enrollAgent(t.app, org.enrollKey, `${orgName}-b`)];
    for (const agent of agents) {
      const req = signBatch(agent, { signals: [signal(), signal()] });
      const res = await t.app.inject({ method: 'POST', url: '/v1/signals', headers: req.headers, payload: req.payload });
      expect(res.statusCode).toBe(200);
    }
    const old = new Date(Date.now() - 10 * DAY);
    await sql(
      db,
      `INSERT INTO signal (received_at, reporter, owner, source, ip, ip_key, scope, scenario, started_at, stopped_at, weight)
       VALUES ($1, 'r', 'o', 'quorum', $2, $2, 'ip', 'crowdsecurity/ssh-bf', $1, $1, 1)`,
      [old, erasedIp],
    );
  });

  afterAll(async () => {
    await restored?.close();
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes an encrypted backup that holds none of the data in clear', async () => {
    const report = await t.app.get(BackupService).backup();
    backupFile = report.file;
    expect(report.file.startsWith(dir)).toBe(true);
    expect(report.file).toMatch(/\/quorum-\d{8}T\d{6}Z\.dump\.enc$/);
    expect(report.bytes).toBeGreaterThan(1_000);
    const bytes = readFileSync(report.file);
    expect(bytes.subarray(0, 4).toString()).toBe('QBK1');
    for (const needle of [orgName, organizationId, erasedIp, 'PGDMP']) expect(bytes.includes(Buffer.from(needle))).toBe(false);
    await expect(t.app.get(BackupService).verify(report.file)).resolves.toBeUndefined();
  });

  it('the operator command verifies a backup (quorum backup verify) and explains its usage', async () => {
    const env = testEnv();
    const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
    Object.assign(process.env, env);
    const written: string[] = [];
    const out = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    try {
      expect(await backupCommand(['verify', backupFile])).toBe(0);
      expect(await backupCommand(['restore'])).toBe(1);
    } finally {
      out.mockRestore();
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
    expect(written.join('')).toContain('is intact');
  });

  it('a tampered backup is refused before anything is restored', async () => {
    const bytes = readFileSync(backupFile);
    bytes[bytes.length >> 1] ^= 0xff;
    const forged = join(dir, 'forged.dump.enc');
    writeFileSync(forged, bytes);
    await recreateDatabase(scratch);
    await expect(t.app.get(BackupService).restore(forged, scratch)).rejects.toThrow(/auth/i);
    expect(await sql(scratch, `SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'`)).toEqual([{ n: 0 }]);
    rmSync(forged);
  });

  it('after the restore the erased organisation and IP are back; after the ledger replay they are gone', async () => {
    // The erasures happen after the backup.
    await t.app.select(PrivacyModule).get(OrganizationErasureService).erase(organizationId, 'test');
    const created = await t.app.inject({ method: 'POST', url: '/v1/privacy/ip-requests', payload: { ip: erasedIp, kind: 'erasure' }, remoteAddress: '10.91.0.1' });
    const verified = await t.app.inject({ method: 'POST', url: `/v1/privacy/ip-requests/${created.json().id}/verify`, payload: { token: created.json().token }, remoteAddress: '10.91.0.2' });
    expect(verified.json().status).toBe('completed');
    const secret = t.config.privacy.pseudonymSecret;
    // The ledger names both by keyed hash only, in the table and in the file beside the backups.
    const ledger = readFileSync(join(dir, LEDGER_FILE), 'utf8');
    expect(ledger).toContain(organizationSubject(secret, organizationId));
    expect(ledger).toContain(ipSubject(secret, erasedIp));
    expect(ledger).not.toContain(organizationId);
    expect(ledger).not.toContain(erasedIp);
    expect(await tablesHolding(db, [organizationId, erasedIp])).toEqual([]);

    await recreateDatabase(scratch);
    await t.app.get(BackupService).restore(backupFile, scratch);
    // The restored database predates the erasures: everything is back, and its own ledger lacks them.
    expect(await sql(scratch, 'SELECT name FROM organization WHERE id = $1', [organizationId])).toEqual([{ name: orgName }]);
    expect(await sql(scratch, 'SELECT count(*)::int AS n FROM agent WHERE organization_id = $1', [organizationId])).toEqual([{ n: 2 }]);
    expect(await sql(scratch, 'SELECT count(*)::int AS n FROM signal WHERE ip = $1', [erasedIp])).toEqual([{ n: 1 }]);
    expect(await sql(scratch, 'SELECT count(*)::int AS n FROM erasure_ledger WHERE subject = $1', [organizationSubject(secret, organizationId)])).toEqual([{ n: 0 }]);

    restored = await createTestApp({ DATABASE_URL: scratch, QUORUM_BACKUP_DIR: dir });
    const report = await restored.app.select(PrivacyModule).get(LedgerReplayService).replay();
    expect(report).toEqual(expect.objectContaining({ organizations: 1, ipKeys: 1, markers: expect.any(Number) }));
    expect(report.markers).toBeGreaterThanOrEqual(1);

    const agentIds = agents.map((a) => a.id);
    expect(await tablesHolding(scratch, [organizationId, orgName, erasedIp, ...agentIds])).toEqual([]);
    expect(await sql(scratch, 'SELECT secret FROM reporter_key WHERE organization_id = $1', [organizationId])).toEqual([]);
    const [marker] = await sql<{ expires_at: Date }>(scratch, 'SELECT expires_at FROM ip_protection WHERE ip_hash = $1', [ipSubject(secret, erasedIp)]);
    expect(marker.expires_at.getTime()).toBeGreaterThan(Date.now() + 29 * DAY);

    // A second replay finds nothing more to erase.
    const again = await restored.app.select(PrivacyModule).get(LedgerReplayService).replay();
    expect(again).toEqual(expect.objectContaining({ organizations: 0, ipKeys: 0, ipv6Addresses: 0 }));
  });

  it('rotation deletes backups past the retention period, never the newest, and prunes the ledger they needed', async () => {
    const service = t.app.get(BackupService);
    const old = backupFileName(new Date(Date.now() - 40 * DAY));
    const recent = backupFileName(new Date(Date.now() - 34 * DAY));
    writeFileSync(join(dir, old), 'x');
    writeFileSync(join(dir, recent), 'x');
    writeFileSync(join(dir, 'notes.txt'), 'not a backup');
    // A ledger entry older than every kept backup (by more than the one-day margin) is no longer needed.
    const stale = { kind: 'ip', subject: 'f'.repeat(32), erased_at: new Date(Date.now() - 36 * DAY).toISOString() };
    writeFileSync(join(dir, LEDGER_FILE), JSON.stringify(stale) + '\n', { flag: 'a' });
    await sql(db, 'INSERT INTO erasure_ledger (kind, subject, erased_at) VALUES ($1, $2, $3)', [stale.kind, stale.subject, stale.erased_at]);
    const { deleted, ledgerPruned } = await service.rotate();
    expect(deleted).toEqual([old]);
    expect(ledgerPruned).toBe(1);
    const ledger = readFileSync(join(dir, LEDGER_FILE), 'utf8');
    expect(ledger).not.toContain(stale.subject);
    expect(ledger).toContain(organizationSubject(t.config.privacy.pseudonymSecret, organizationId));
    expect(await sql(db, 'SELECT 1 FROM erasure_ledger WHERE subject = $1', [stale.subject])).toEqual([]);
    expect(readdirSync(dir).sort()).toEqual(expect.arrayContaining([recent, 'notes.txt', LEDGER_FILE]));
    expect(readdirSync(dir)).not.toContain(old);
  });
});
