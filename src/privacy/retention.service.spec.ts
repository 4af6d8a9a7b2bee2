import type { AppConfig } from '../config/app-config.js';
import { FixedClock } from '../infra/clock/clock.js';
import type { DataLifecycle } from './data-lifecycle.js';
import type { DataLifecycles } from './data-lifecycles.js';
import type { ErasureLedgerService } from './erasure-ledger.service.js';
import type { OrganizationErasureService } from './organization-erasure.service.js';
import { RetentionService } from './retention.service.js';
import type { RetentionCutoffs } from './retention-policy.js';

const DAY = 86_400_000;
const NOW = new Date('2026-12-07T03:00:00.000Z');
const daysAgo = (days: number) => new Date(NOW.getTime() - days * DAY);

/** A domain's retained rows in memory: each table deletes by its own cutoff, signals drop whole day partitions. */
function lifecycle(tables: Record<string, { rows: Date[]; cutoff: keyof RetentionCutoffs; partitions?: boolean }>): DataLifecycle {
  return {
    async applyRetention(_now: Date, cut: RetentionCutoffs) {
      const removed: Record<string, number> = {};
      for (const [name, table] of Object.entries(tables)) {
        const cutoff = cut[table.cutoff];
        const old = table.rows.filter((at) => at < cutoff);
        table.rows.splice(0, table.rows.length, ...table.rows.filter((at) => at >= cutoff));
        if (table.partitions) for (const at of old) removed[`partition:${name}_p${at.toISOString().slice(0, 10).replaceAll('-', '')}`] = 1;
        else removed[name] = old.length;
      }
      return removed;
    },
  } as unknown as DataLifecycle;
}

const RETENTION = { signalDays: 30, signalUuidDays: 7, ipScoreDays: 90, blocklistDays: 30, explanationDays: 90, delistingDays: 365, auditDays: 365, usageDays: 400, privacyRequestDays: 365 };

function setup(backupDir: string) {
  const signals = { signal: { rows: [daysAgo(31), daysAgo(32), daysAgo(29)], cutoff: 'signal' as const, partitions: true } };
  const blocklist = { blocklist_entry: { rows: [daysAgo(31), daysAgo(1)], cutoff: 'blocklist' as const } };
  const audit = { audit_log: { rows: [daysAgo(366), daysAgo(364)], cutoff: 'audit' as const } };
  // two domains may report rows of tables with the same name (one count each): they are summed
  const other = { blocklist_entry: { rows: [daysAgo(40)], cutoff: 'blocklist' as const } };
  const registered = [lifecycle(signals), lifecycle(blocklist), lifecycle(audit), lifecycle(other)];
  const lifecycles = { all: () => registered } as unknown as DataLifecycles;
  const ledgerCutoffs: Date[] = [];
  const ledger = { prune: async (cutoff: Date) => (ledgerCutoffs.push(cutoff), 2) } as unknown as ErasureLedgerService;
  const erasures = { purgeLeftovers: async () => 0 } as unknown as OrganizationErasureService;
  const config = { privacy: { retention: RETENTION, backup: { dir: backupDir, retentionDays: 35, everyHours: 24 } } } as unknown as AppConfig;
  const service = new RetentionService(lifecycles, erasures, ledger, new FixedClock(NOW), config);
  return { service, ledgerCutoffs, signals, blocklist, audit };
}

describe('RetentionService.run', () => {
  it("applies every domain's periods to its own rows, lists dropped partitions and sums counts per table", async () => {
    const { service, signals, blocklist, audit } = setup('');
    const report = await service.run();
    expect(report.droppedPartitions.sort()).toEqual(['signal_p20261105', 'signal_p20261106']);
    expect(report.deleted).toEqual({ blocklist_entry: 2, audit_log: 1, organization: 0, erasure_ledger: 2 });
    expect(signals.signal.rows).toEqual([daysAgo(29)]);
    expect(blocklist.blocklist_entry.rows).toEqual([daysAgo(1)]);
    expect(audit.audit_log.rows).toEqual([daysAgo(364)]);
  });

  it('with backups off, prunes the erasure ledger older than the backup retention plus a day; with backups on it leaves that to the backup job', async () => {
    const off = setup('');
    await off.service.run();
    expect(off.ledgerCutoffs).toEqual([daysAgo(36)]);
    const on = setup('/var/backups/quorum');
    const report = await on.service.run();
    expect(on.ledgerCutoffs).toEqual([]);
    expect(report.deleted).not.toHaveProperty('erasure_ledger');
  });

  it('removes nothing more on a second run, and the job then reports skipped', async () => {
    const { service } = setup('/var/backups/quorum');
    expect(await service.handleRetention()).toBe('done');
    expect(await service.run()).toEqual({ droppedPartitions: [], deleted: { blocklist_entry: 0, audit_log: 0, organization: 0 } });
    expect(await service.handleRetention()).toBe('skipped');
  });
});
